"""The envelope for every kind of error, health, OpenAPI, correlation ids."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate

import app as app_module
from chalicelib.accounts import auth as accounts_auth
from chalicelib.core.openapi import REGISTRY


def test_health_is_one_cheap_read_for_the_load_balancer(api):
    reply = api.get("/health")
    assert reply.status == 200 and reply.data == {"status": "ok", "stage": "test"}


def test_the_admins_health_checks_every_dependency_with_timings(api, admin_token, shop):
    reply = api.get("/v1/admin/health", admin_token)
    assert reply.status == 200 and reply.headers["Cache-Control"] == "no-store"
    checks = {c["name"]: c for c in reply.data["checks"]}
    assert list(checks) == ["table", "files", "event_queue", "dead_letters", "messaging", "push"]
    assert all(c["ok"] and c["ms"] >= 0 for c in checks.values())
    assert checks["dead_letters"]["detail"] == "0 waiting"
    assert checks["messaging"]["detail"] == "recording (nothing is sent)"  # the test stage sends nothing
    assert reply.data["status"] == "ok"
    assert api.get("/v1/admin/health", shop["owner_token"]).status == 403


def test_dead_letters_make_the_api_degraded_and_a_missing_queue_failing(api, admin_token):
    import boto3

    from chalicelib.core.config import settings
    from chalicelib.events import outbox

    sqs = boto3.client("sqs", region_name="eu-west-3")
    dlq = sqs.get_queue_url(QueueName=settings().dead_letter_queue_name)["QueueUrl"]
    sqs.send_message(QueueUrl=dlq, MessageBody="{}")
    degraded = api.get("/v1/admin/health", admin_token).data
    assert degraded["status"] == "degraded"
    assert {c["name"]: c["detail"] for c in degraded["checks"]}["dead_letters"] == "1 waiting"
    sqs.delete_queue(QueueUrl=outbox.queue_url())
    outbox.reset()
    failing = api.get("/v1/admin/health", admin_token).data
    assert failing["status"] == "failing"
    queue = {c["name"]: c for c in failing["checks"]}["event_queue"]
    assert queue["ok"] is False and queue["detail"] == "unreachable"
    assert api.get("/health").status == 200  # the load balancer keeps the API: it still serves


def test_health_fails_cleanly_without_table(api):
    import boto3

    boto3.client("dynamodb", region_name="eu-west-3").delete_table(TableName="livrili-test")
    reply = api.get("/health")
    assert reply.status == 503 and reply.error["code"] == "service_unavailable"


def test_wrong_method_is_an_envelope(api):
    reply = api.call("PUT", "/health", headers={"Accept-Language": "en"})
    assert reply.status == 405
    assert reply.body == {
        "success": False,
        "error": {"code": "method_not_allowed", "message": "This method is not allowed here.", "details": None},
    }


def test_wrong_content_type_is_an_envelope(api):
    reply = api.call("POST", "/v1/auth/login", body="a=b", headers={"Content-Type": "text/plain"})
    assert reply.status == 415 and reply.error["code"] == "unsupported_media_type"


def test_bad_json_is_400(api):
    for raw in ("{bad", "[1, 2]", '"text"', ""):
        reply = api.call("POST", "/v1/auth/login", body=raw)
        assert reply.status == 400 and reply.error["code"] == "invalid_json", raw


def test_unhandled_error_is_500_with_correlation_id_and_no_internals(api, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("secret internal detail: table livrili-test")

    monkeypatch.setattr(accounts_auth, "login", boom)
    reply = api.post(
        "/v1/auth/login", body={"username": "a", "password": "b"}, headers={"X-Correlation-Id": "corr-12345678"}
    )
    assert reply.status == 500
    assert reply.error["code"] == "internal_error"
    assert "corr-12345678" in reply.error["message"]
    assert "secret" not in str(reply.body) and "livrili-test" not in str(reply.body)
    assert reply.headers["X-Correlation-Id"] == "corr-12345678"


def test_messages_follow_accept_language(api):
    for lang, text in (
        ("ar", "يجب تسجيل الدخول."),
        ("fr", "Authentification requise."),
        ("en", "Authentication is required."),
    ):
        reply = api.get("/v1/me", headers={"Accept-Language": f"{lang};q=0.9, de;q=1.0"})
        assert reply.error["message"] == text
        assert reply.headers["Content-Language"] == lang


def test_openapi_is_valid_and_covers_every_route(api):
    reply = api.client.http.get("/openapi.json")
    import json

    document = json.loads(reply.body)
    validate(document)
    assert document["openapi"].startswith("3.1")
    for path, methods in app_module.app.routes.items():
        for method in methods:
            operation = document["paths"][path][method.lower()]
            assert operation["x-roles"], (method, path)
    assert len(REGISTRY) == sum(len(m) for m in app_module.app.routes.values())
    login = document["paths"]["/v1/auth/login"]["post"]
    schema_name = login["requestBody"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
    assert set(document["components"]["schemas"][schema_name]["properties"]) >= {"username", "password", "device_id"}


def test_openapi_states_what_the_edge_enforces(api):
    """What a client meets beyond the schemas: 413/415 on every write, 304 on cacheable reads,
    the webhooks' form body, the password rule."""
    import json

    document = json.loads(api.client.http.get("/openapi.json").body)
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            codes = set(operation["responses"])
            if method in ("post", "put", "patch"):
                assert {"413", "415"} <= codes, (method, path)
    assert "304" in document["paths"]["/v1/products"]["get"]["responses"]
    assert "304" not in document["paths"]["/v1/me"]["get"]["responses"]  # no-store: never revalidated
    inbound = document["paths"]["/v1/webhooks/twilio/inbound"]["post"]["requestBody"]["content"]
    assert list(inbound) == ["application/x-www-form-urlencoded"]
    password = document["components"]["schemas"]["UserCreateIn"]["properties"]["password"]
    assert password["minLength"] == 10 and "digit" in password["description"]
    weak = {"login": "someone", "code": "123456", "new_password": "abc123"}
    short = api.post("/v1/auth/password-reset/confirm", None, weak)
    assert short.status == 422 and short.error["details"][0]["code"] == "weak_password"  # as documented


@pytest.mark.parametrize("depth", [17, 1000, 10_000, 30_000])
@pytest.mark.parametrize("path", ["/v1/auth/login", "/v1/orders"])
def test_a_deeply_nested_body_is_a_400_not_a_500(api, shop, path, depth):
    body = "[" * depth + "]" * depth
    token = shop["buyer_token"] if path == "/v1/orders" else None
    reply = api.call("POST", path, token, body=body, headers={"Accept-Language": "en", **api.key()})
    assert reply.status in (400, 413), reply.body  # 30,000 levels is also over the size limit
    assert reply.error["code"] == ("json_too_deep" if len(body) <= 64 * 1024 else "payload_too_large")
    assert reply.error["message"]


def test_brackets_inside_strings_do_not_count_and_a_normal_body_passes(api, shop):
    deep_text = '{"username": "' + "[" * 60 + '", "password": "x"}'
    reply = api.call("POST", "/v1/auth/login", body=deep_text)
    assert reply.status == 401 and reply.error["code"] == "invalid_credentials"


def test_a_body_over_64_kb_is_a_413(api):
    reply = api.call("POST", "/v1/auth/login", body='{"username": "' + "a" * 70_000 + '"}')
    assert reply.status == 413 and reply.error["code"] == "payload_too_large"


def test_every_reply_carries_the_security_headers(api, shop):
    from chalicelib.core.headers import SECURITY_HEADERS

    replies = [
        api.get("/health"),  # success
        api.get("/v1/me"),  # 401 in the envelope
        api.call("PUT", "/health"),  # Chalice's own 405 (unknown routes: API Gateway, tests/infra)
        api.get("/v1/products", shop["buyer_token"]),
    ]
    for reply in replies:
        assert {k: reply.headers.get(k) for k in SECURITY_HEADERS} == SECURITY_HEADERS, reply.status
    assert SECURITY_HEADERS["X-Content-Type-Options"] == "nosniff"


def test_replies_with_tokens_or_the_profile_are_never_stored(api, shop):
    login = api.login(shop["buyer"])
    assert login.headers["Cache-Control"] == "no-store"
    refreshed = api.post("/v1/auth/refresh", body={"refresh_token": login.data["refresh_token"]})
    assert refreshed.headers["Cache-Control"] == "no-store"
    me = api.get("/v1/me", refreshed.data["access_token"])
    assert me.headers["Cache-Control"] == "no-store" and "ETag" not in me.headers
    products = api.get("/v1/products", refreshed.data["access_token"])
    assert products.headers["Cache-Control"] == "private, no-cache"  # the catalog may be revalidated


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("PATCH", "/v1/me/notifications", {"opted_out": 0}, "opted_out"),
        ("POST", "/v1/categories", {"names": {"ar": "مشروبات"}, "position": False}, "position"),
        ("PATCH", "/v1/me", {"language": "ar", "full_name": True}, "full_name"),
    ],
)
def test_a_body_value_of_the_wrong_json_type_is_refused_not_coerced(api, admin_token, method, path, body, field):
    reply = api.call(method, path, admin_token, body)
    assert reply.status == 422, reply.body
    assert reply.error["details"][0]["field"] == field and reply.error["details"][0]["code"] == "field_wrong_type"
