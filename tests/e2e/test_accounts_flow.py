"""Over real HTTP: `scripts/devstack.py` (moto server + chalice local), as `make run` starts it."""

from __future__ import annotations

import pytest
import requests

from tests.e2e.conftest import call, devstack

ADMIN = ("e2e-admin", "e2e-admin-pass-1")
PASSWORD = "shop-pass-2026"


@pytest.fixture(scope="module")
def base_url():
    with devstack(ADMIN, demo=False) as url:
        yield url


def test_unknown_route_is_an_envelope(base_url):
    reply = call("GET", f"{base_url}/v1/nowhere")
    assert reply.status_code == 404
    assert reply.json()["error"]["code"] == "route_not_found"
    assert reply.headers["X-Content-Type-Options"] == "nosniff"  # as API Gateway answers it
    assert reply.headers["Server"] == "livrili"  # no software or version named


def test_a_method_nothing_routes_is_the_gateway_envelope_not_the_servers_page(base_url):
    import requests

    reply = requests.request("TRACE", f"{base_url}/health", timeout=5)
    assert reply.status_code == 404 and reply.json()["error"]["code"] == "route_not_found"
    assert reply.headers["X-Content-Type-Options"] == "nosniff" and reply.headers["Server"] == "livrili"


def test_register_approve_share_refresh_reuse_logout_all(base_url):
    registration = {
        "business_name": "Épicerie du Port",
        "business_type": "grocery",
        "registration_number": "31/00-0456789 A 15",
        "tax_number": "001531045678912",
        "phone": "0550 98 76 54",
        "address": "Boulevard de la Soummam",
        "wilaya": 31,
        "commune": "Oran",
        "owner": {"username": "e2e.owner", "password": PASSWORD, "full_name": "Owner", "phone": "0550987655"},
    }
    registered = call("POST", f"{base_url}/v1/retailers", json=registration)
    assert registered.status_code == 201, registered.text
    rid = registered.json()["data"]["retailer"]["retailer_id"]
    onboarding = registered.json()["data"]["onboarding_token"]

    # the new shop uploads its RC extract through the presigned POST, to the moto server
    upload = call(
        "POST",
        f"{base_url}/v1/retailers/{rid}/documents",
        onboarding,
        {"document_type": "rc_extract", "content_type": "application/pdf"},
    ).json()["data"]["upload"]
    stored = requests.post(upload["url"], data=upload["fields"], files={"file": ("rc.pdf", _pdf())}, timeout=10)
    assert stored.status_code in (200, 204), stored.text

    pending = call("POST", f"{base_url}/v1/auth/login", json={"username": "e2e.owner", "password": PASSWORD})
    assert pending.status_code == 403 and pending.json()["error"]["code"] == "retailer_pending"

    admin = call("POST", f"{base_url}/v1/auth/login", json={"username": ADMIN[0], "password": ADMIN[1]}).json()["data"]
    # the stack's document check reads the file once it lands: a real PDF is accepted
    docs = _documents_when_checked(base_url, rid, admin["access_token"])
    assert docs[0]["status"] == "accepted" and docs[0]["size"] == len(_pdf()) and docs[0]["pages"] == 1
    assert docs[0]["download_url"]
    approved = call(
        "POST", f"{base_url}/v1/retailers/{rid}/approve", admin["access_token"], {"credit_limit": 3_000_000}
    )
    assert approved.status_code == 200 and approved.json()["data"]["status"] == "approved"

    owner = call("POST", f"{base_url}/v1/auth/login", json={"username": "e2e.owner", "password": PASSWORD}).json()[
        "data"
    ]
    buyer_in = {
        "username": "e2e.buyer",
        "password": PASSWORD,
        "role": "buyer",
        "full_name": "Buyer",
        "phone": "0551445566",
    }
    added = call("POST", f"{base_url}/v1/retailers/{rid}/users", owner["access_token"], buyer_in)
    assert added.status_code == 201, added.text

    buyer = call(
        "POST",
        f"{base_url}/v1/auth/login",
        json={"username": "e2e.buyer", "password": PASSWORD, "device_id": "phone-1"},
    ).json()["data"]
    me = call("GET", f"{base_url}/v1/me", buyer["access_token"], headers={"Accept-Language": "ar"}).json()["data"]
    assert me["user"]["role"] == "buyer" and me["retailer"]["retailer_id"] == rid

    rotated = call("POST", f"{base_url}/v1/auth/refresh", json={"refresh_token": buyer["refresh_token"]})
    assert rotated.status_code == 200
    new = rotated.json()["data"]
    assert new["refresh_token"] != buyer["refresh_token"]

    reuse = call("POST", f"{base_url}/v1/auth/refresh", json={"refresh_token": buyer["refresh_token"]})
    assert reuse.status_code == 401 and reuse.json()["error"]["code"] == "refresh_token_reused"
    assert call("GET", f"{base_url}/v1/me", new["access_token"]).status_code == 401

    # two fresh sessions, then logout-all ends both
    s1 = call("POST", f"{base_url}/v1/auth/login", json={"username": "e2e.buyer", "password": PASSWORD}).json()["data"]
    s2 = call("POST", f"{base_url}/v1/auth/login", json={"username": "e2e.buyer", "password": PASSWORD}).json()["data"]
    ended = call("POST", f"{base_url}/v1/auth/logout-all", s1["access_token"])
    assert ended.status_code == 200 and ended.json()["data"]["sessions_ended"] == 2
    assert call("GET", f"{base_url}/v1/me", s2["access_token"]).status_code == 401

    trail = call("GET", f"{base_url}/v1/audit?retailer_id={rid}", owner["access_token"]).json()["data"]
    actions = {e["action"] for e in trail}
    assert {
        "retailer.registered",
        "retailer.approved",
        "user.created",
        "auth.refresh_reuse",
        "auth.logout_all",
    } <= actions


def test_a_new_driver_forgets_the_password_and_resets_it_with_the_texted_code(base_url):
    """Temporary password → forgotten → code in the recorded messages → reset → old tokens dead."""
    import re
    import time

    admin = call("POST", f"{base_url}/v1/auth/login", json={"username": ADMIN[0], "password": ADMIN[1]})
    admin_token = admin.json()["data"]["access_token"]
    staff = {
        "username": "e2e.driver",
        "temporary_password": "temporaire-2026",
        "role": "driver",
        "full_name": "Driver E2E",
        "phone": "0661 77 70 00",
        "language": "ar",
    }
    assert call("POST", f"{base_url}/v1/admin/staff", admin_token, json=staff).status_code == 201
    first = call("POST", f"{base_url}/v1/auth/login", json={"username": "e2e.driver", "password": "temporaire-2026"})
    old = first.json()["data"]
    asked = call("POST", f"{base_url}/v1/auth/password-reset", json={"login": "0661777000"})
    assert asked.status_code == 202
    code = None
    deadline = time.monotonic() + 30
    while code is None and time.monotonic() < deadline:  # the worker of `make run` sends it
        log = call("GET", f"{base_url}/v1/admin/messages?limit=20", admin_token).json()["data"]
        texts = [m for m in log if m["template"] == "auth_reset_code"]
        found = re.search(r"\d{6}", texts[0]["body"]) if texts else None
        code = found.group(0) if found else None
        time.sleep(0.3)
    assert code, "no code in the message log"
    assert texts[0]["language"] == "ar" and "رمز" in texts[0]["body"]
    body = {"login": "e2e.driver", "code": code, "new_password": "ma-tournee-2027"}
    assert call("POST", f"{base_url}/v1/auth/password-reset/confirm", json=body).status_code == 200
    assert call("GET", f"{base_url}/v1/me", old["access_token"]).json()["error"]["code"] == "session_revoked"
    refreshed = call("POST", f"{base_url}/v1/auth/refresh", json={"refresh_token": old["refresh_token"]})
    assert refreshed.status_code == 401
    again = call("POST", f"{base_url}/v1/auth/login", json={"username": "e2e.driver", "password": "ma-tournee-2027"})
    assert again.status_code == 200 and again.json()["data"]["user"]["must_change_password"] is False


@pytest.mark.parametrize("depth", [1000, 100_000])
def test_a_deeply_nested_body_over_http_is_a_4xx_in_the_envelope(base_url, depth):
    raw = "[" * depth + "]" * depth
    reply = requests.post(
        f"{base_url}/v1/auth/login", data=raw, headers={"Content-Type": "application/json"}, timeout=30
    )
    assert reply.status_code in (400, 413), reply.text
    assert reply.json()["success"] is False and reply.json()["error"]["code"] in ("json_too_deep", "payload_too_large")


def _pdf() -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _documents_when_checked(base_url: str, rid: str, token: str) -> list[dict]:
    import time

    for _ in range(60):
        docs = call("GET", f"{base_url}/v1/retailers/{rid}/documents", token).json()["data"]
        if docs and all(d["status"] not in ("awaiting_upload", "scanning") for d in docs):
            return docs
        time.sleep(0.25)
    raise AssertionError(f"the documents were not checked: {docs}")
