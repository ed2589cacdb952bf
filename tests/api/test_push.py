"""Web Push: browsers subscribe (checked endpoint and keys), the stage's VAPID key is public, and
the worker pushes order steps to every browser of the shop's users — to a fake push service on
127.0.0.1 that checks the VAPID signature and decrypts the payload (RFC 8291 aes128gcm) with
the subscription's own keys; a 410 forgets the subscription, a 5xx is retried, a redelivered
event pushes nothing twice."""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from chalicelib.notify import handlers
from tests.api.test_notify import _confirm, _queue_messages, _records


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Browser:
    """A browser's side of a subscription: its key pair and auth secret."""

    def __init__(self) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)

    def subscription(self, endpoint: str) -> dict[str, Any]:
        point = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {"endpoint": endpoint, "keys": {"p256dh": _b64(point), "auth": _b64(self.auth)}, "expirationTime": None}


class FakePushService:
    """Answers like a push service (201 by default, or what `status[path]` says), after checking
    what a real one checks; keeps what each browser would have shown."""

    def __init__(self) -> None:
        self.browsers: dict[str, Browser] = {}
        self.status: dict[str, int] = {}
        self.received: list[dict[str, Any]] = []
        self.problems: list[str] = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                service.check(self.path, dict(self.headers), body)
                self.send_response(service.status.get(self.path, 201))
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def endpoint(self, name: str) -> tuple[str, Browser]:
        self.browsers[f"/push/{name}"] = Browser()
        return f"{self.origin}/push/{name}", self.browsers[f"/push/{name}"]

    def check(self, path: str, headers: dict[str, str], body: bytes) -> None:
        try:
            scheme, _, params = headers["Authorization"].partition(" ")
            fields = dict(part.strip().split("=", 1) for part in params.split(","))
            assert scheme == "vapid", scheme
            token, key = fields["t"], fields["k"]
            header, claims, signature = token.split(".")
            assert json.loads(_unb64(header))["alg"] == "ES256"
            public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), _unb64(key))
            raw = _unb64(signature)
            der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
            public.verify(der, f"{header}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
            claimed = json.loads(_unb64(claims))
            assert claimed["aud"] == self.origin, claimed
            assert claimed["exp"] > time.time() and claimed["sub"], claimed
            assert headers["Content-Encoding"] == "aes128gcm" and int(headers["TTL"]) > 0
            browser = self.browsers[path]
            plain = http_ece.decrypt(body, private_key=browser.key, auth_secret=browser.auth, version="aes128gcm")
            self.received.append({"path": path, "vapid_key": key, **json.loads(plain)})
        except Exception as exc:  # the test reads the problems: a failing check must fail it
            self.problems.append(f"{path}: {exc!r}")

    def close(self) -> None:
        self.server.shutdown()


@pytest.fixture
def push_service():
    service = FakePushService()
    yield service
    service.close()


def _subscribe(api, token: str, subscription: dict[str, Any]) -> Any:
    return api.post("/v1/me/push-subscriptions", token, subscription)


def test_the_public_key_is_the_one_that_signs(api, shop, push_service):
    key = api.get("/v1/push/key", shop["owner_token"]).data["public_key"]
    point = _unb64(key)
    assert len(point) == 65 and point[0] == 4  # an uncompressed P-256 point: the applicationServerKey
    assert api.get("/v1/push/key", None).status == 401


def test_subscribing_checks_the_endpoint_and_the_keys(api, shop, push_service):
    endpoint, browser = push_service.endpoint("a")
    good = browser.subscription(endpoint)
    for bad_endpoint in (
        "http://push.example.com/x",
        "https://10.0.0.5/x",
        "https://169.254.169.254/latest",
        "ftp://push.example/y",
    ):
        reply = _subscribe(api, shop["owner_token"], {**good, "endpoint": bad_endpoint})
        assert reply.status == 422 and reply.error["details"][0]["code"] == "push_endpoint_invalid", bad_endpoint
    short = {**good, "keys": {**good["keys"], "auth": _b64(b"x" * 12)}}
    assert _subscribe(api, shop["owner_token"], short).error["details"][0]["code"] == "push_keys_invalid"
    created = _subscribe(api, shop["owner_token"], good)
    assert created.status == 201
    assert created.data["push_service"] == push_service.origin and "endpoint" not in created.data
    again = _subscribe(api, shop["owner_token"], good)  # the same browser again: replaced, not doubled
    assert again.data["subscription_id"] == created.data["subscription_id"]
    mine = api.get("/v1/me/push-subscriptions", shop["owner_token"]).data
    assert [s["subscription_id"] for s in mine] == [created.data["subscription_id"]]
    assert api.get("/v1/me/push-subscriptions", shop["buyer_token"]).data == []  # per user
    sub_id = created.data["subscription_id"]
    assert api.delete(f"/v1/me/push-subscriptions/{sub_id}", shop["buyer_token"]).status == 404  # not theirs
    assert api.delete(f"/v1/me/push-subscriptions/{sub_id}", shop["owner_token"]).status == 200
    assert api.get("/v1/me/push-subscriptions", shop["owner_token"]).data == []


def test_an_order_step_is_pushed_encrypted_to_each_browser_once(api, admin_token, shop, catalog, push_service):
    owner_endpoint, _ = push_service.endpoint("owner-phone")
    buyer_endpoint, _ = push_service.endpoint("buyer-phone")
    assert (
        _subscribe(
            api, shop["owner_token"], push_service.browsers["/push/owner-phone"].subscription(owner_endpoint)
        ).status
        == 201
    )
    assert (
        _subscribe(
            api, shop["buyer_token"], push_service.browsers["/push/buyer-phone"].subscription(buyer_endpoint)
        ).status
        == 201
    )
    _queue_messages()
    order = _confirm(api, admin_token, shop, catalog)
    messages = _queue_messages()
    assert handlers.process(_records(messages)) == {"batchItemFailures": []}
    assert push_service.problems == []
    assert sorted(r["path"] for r in push_service.received) == ["/push/buyer-phone", "/push/owner-phone"]
    shown = push_service.received[0]
    assert shown["title"] == "Livrili"  # the test users read French
    assert order["order_number"] in shown["body"] and "confirmée" in shown["body"]
    assert shown["url"] == f"/orders/{order['order_id']}"
    assert shown["vapid_key"] == api.get("/v1/push/key", shop["owner_token"]).data["public_key"]
    assert set(shown) == {"path", "vapid_key", "title", "body", "url", "tag"}  # nothing more than it shows
    log = api.get("/v1/admin/messages", admin_token).data
    pushes = [m for m in log if m["channel"] == "push"]
    assert (
        len(pushes) == 2
        and {m["status"] for m in pushes} == {"sent"}
        and {m["provider"] for m in pushes} == {"webpush"}
    )

    assert handlers.process(_records(messages)) == {"batchItemFailures": []}  # redelivered
    assert len(push_service.received) == 2  # nothing pushed twice


def test_a_gone_subscription_is_forgotten_and_a_failing_service_retried(api, admin_token, shop, catalog, push_service):
    gone, _ = push_service.endpoint("gone")
    flaky, _ = push_service.endpoint("flaky")
    _subscribe(api, shop["owner_token"], push_service.browsers["/push/gone"].subscription(gone))
    _subscribe(api, shop["buyer_token"], push_service.browsers["/push/flaky"].subscription(flaky))
    push_service.status = {"/push/gone": 410, "/push/flaky": 503}
    _queue_messages()
    _confirm(api, admin_token, shop, catalog)
    messages = _queue_messages()
    with pytest.raises(BatchProcessingError):  # the 503: the (only) event comes back
        handlers.process(_records(messages))
    assert api.get("/v1/me/push-subscriptions", shop["owner_token"]).data == []  # 410: forgotten
    push_service.status = {}
    assert handlers.process(_records(messages, receive_count=2)) == {"batchItemFailures": []}
    assert [r["path"] for r in push_service.received].count("/push/flaky") == 2  # the 503'd try, then the good one
    assert [r["path"] for r in push_service.received].count("/push/gone") == 1  # never again
    assert push_service.problems == []


def test_an_announcement_is_pushed_to_the_browsers_of_its_audience_only(
    api, admin_token, shop, driver_token, push_service
):
    """Algiers' shop (wilaya 16), a driver and an admin subscribe; each announcement reaches the
    browsers it is meant for, in the reader's language, once; one that has ended is not pushed."""
    from datetime import timedelta

    from chalicelib.core import clock

    browsers = {"shop16": shop["owner_token"], "driver": driver_token, "admin": admin_token}
    for name, token in browsers.items():
        endpoint, browser = push_service.endpoint(name)
        assert _subscribe(api, token, browser.subscription(endpoint)).status == 201
    _queue_messages()

    def post_and_deliver(**body: Any) -> list[str]:
        push_service.received.clear()
        texts = {"ar": "عطلة يوم الجمعة", "fr": "Fermé vendredi"}
        assert api.post("/v1/admin/announcements", admin_token, {"texts": texts, **body}).status == 201
        messages = _queue_messages()
        assert handlers.process(_records(messages)) == {"batchItemFailures": []}
        assert handlers.process(_records(messages)) == {"batchItemFailures": []}  # redelivered: nothing twice
        assert push_service.problems == []
        return sorted(r["path"].removeprefix("/push/") for r in push_service.received)

    assert post_and_deliver(audience="wilaya", wilaya=16) == ["shop16"]
    shown = push_service.received[0]
    assert shown["title"] == "Livrili" and shown["body"] == "Fermé vendredi"  # the owner reads French
    assert post_and_deliver(audience="wilaya", wilaya=31) == []
    assert post_and_deliver(audience="drivers") == ["driver"]
    assert post_and_deliver(audience="shops") == ["shop16"]
    assert post_and_deliver(audience="everyone") == ["admin", "driver", "shop16"]
    # an announcement that ends before the worker gets to it is not worth a notification
    ends = (clock.now() + timedelta(minutes=5)).isoformat()
    texts = {"ar": "اليوم فقط"}
    assert api.post("/v1/admin/announcements", admin_token, {"texts": texts, "ends_at": ends}).status == 201
    clock.freeze(clock.now() + timedelta(minutes=10))
    push_service.received.clear()
    assert handlers.process(_records(_queue_messages())) == {"batchItemFailures": []}
    assert push_service.received == []
