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
    stored = requests.post(
        upload["url"], data=upload["fields"], files={"file": ("rc.pdf", b"%PDF-1.4 demo")}, timeout=10
    )
    assert stored.status_code in (200, 204), stored.text

    pending = call("POST", f"{base_url}/v1/auth/login", json={"username": "e2e.owner", "password": PASSWORD})
    assert pending.status_code == 403 and pending.json()["error"]["code"] == "retailer_pending"

    admin = call("POST", f"{base_url}/v1/auth/login", json={"username": ADMIN[0], "password": ADMIN[1]}).json()["data"]
    docs = call("GET", f"{base_url}/v1/retailers/{rid}/documents", admin["access_token"]).json()["data"]
    assert docs[0]["uploaded"] is True and docs[0]["size"] == len(b"%PDF-1.4 demo")
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
