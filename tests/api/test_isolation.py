"""Every route declares its roles; tenants never see each other (404, not 403)."""

from __future__ import annotations

import re

import pytest

import app  # noqa: F401  (importing the app registers every route)
from chalicelib.core.openapi import REGISTRY

# a valid body per route, so isolation (not validation) is what answers
VALID_BODIES = {
    ("PATCH", "/v1/retailers/{retailer_id}"): {"version": 1, "commune": "Kouba"},
    ("POST", "/v1/retailers/{retailer_id}/documents"): {"document_type": "rc_extract", "content_type": "image/png"},
    ("POST", "/v1/retailers/{retailer_id}/users"): {
        "username": "intruder1",
        "password": "intruder-pass-1",
        "role": "buyer",
        "full_name": "Intruder",
        "phone": "0698000001",
    },
    ("PATCH", "/v1/retailers/{retailer_id}/users/{user_id}"): {"full_name": "Renamed"},
    ("POST", "/v1/retailers/{retailer_id}/approve"): {"credit_limit": 100},
    ("POST", "/v1/retailers/{retailer_id}/reject"): {"reason": "no reason"},
    ("POST", "/v1/retailers/{retailer_id}/suspend"): {"reason": "no reason"},
}

RETAILER_SCOPED = [spec for spec in REGISTRY if "{retailer_id}" in spec.path]


def test_every_route_declares_roles():
    assert REGISTRY
    for spec in REGISTRY:
        assert spec.roles, spec.path


UNKNOWN_ID = "01HZZZZZZZZZZZZZZZZZZZZZZZ"


def _fill(path: str, shop: dict, user_id: str | None = None) -> str:
    """Real ids for the shop's own resources, a well-formed unknown id for everything else."""
    path = path.replace("{retailer_id}", shop["retailer_id"]).replace("{user_id}", user_id or shop["buyer_id"])
    return re.sub(r"\{[a-z_]+_id\}", UNKNOWN_ID, path)


@pytest.mark.parametrize("spec", RETAILER_SCOPED, ids=lambda s: f"{s.method} {s.path}")
def test_other_tenants_get_404(api, shop, other_shop, spec):
    """Allowed roles get 404 for another shop's ids; other roles get the same 403 as anywhere."""
    body = VALID_BODIES.get((spec.method, spec.path), {}) if spec.body is not None else None
    for role in ("owner", "buyer"):
        reply = api.call(
            spec.method, _fill(spec.path, shop, user_id=shop["owner_id"]), other_shop[f"{role}_token"], body
        )
        expected = (404, "not_found") if role in spec.roles else (403, "forbidden")
        assert (reply.status, reply.error.get("code")) == expected, (role, reply.body)


@pytest.mark.parametrize("spec", [s for s in REGISTRY if "public" not in s.roles], ids=lambda s: f"{s.method} {s.path}")
def test_role_matrix(api, shop, admin_token, driver_token, spec):
    """A role outside the route's list gets 403 (401 without a token)."""
    tokens = {"admin": admin_token, "driver": driver_token, "owner": shop["owner_token"], "buyer": shop["buyer_token"]}
    path = _fill(spec.path, shop)
    body = {} if spec.body is not None else None
    assert api.call(spec.method, path, None, body).status == 401
    for role, token in tokens.items():
        reply = api.call(spec.method, path, token, body)
        if role in spec.roles:
            assert reply.status != 403 or reply.error["code"] == "cannot_change_self", (role, reply.body)
        else:
            assert reply.status in (403, 404), (role, reply.status, reply.body)


def test_owner_sees_only_own_audit(api, shop, other_shop, admin_token):
    mine = api.get("/v1/audit", shop["owner_token"]).data
    assert mine and all(e["retailer_id"] == shop["retailer_id"] for e in mine)
    theirs = api.get(f"/v1/audit?retailer_id={other_shop['retailer_id']}", shop["owner_token"])
    assert theirs.status == 200 and theirs.data == []
    everything = api.get("/v1/audit?limit=100", admin_token).data
    assert {shop["retailer_id"], other_shop["retailer_id"]} <= {e["retailer_id"] for e in everything}


ORDER_SCOPED = [spec for spec in REGISTRY if "{order_id}" in spec.path]
ORDER_BODIES = {
    ("POST", "/v1/orders/{order_id}/transitions"): {"to": "cancelled"},
    ("POST", "/v1/orders/{order_id}/reorder"): {},
    ("POST", "/v1/orders/{order_id}/payments"): {"amount": 100, "method": "cash"},
}


@pytest.mark.parametrize("spec", ORDER_SCOPED, ids=lambda s: f"{s.method} {s.path}")
def test_another_shops_order_is_404(api, shop, other_shop, catalog, spec):
    """Every order route answers 404 to the users of another shop (403 where their role is not allowed)."""
    placed = api.post(
        "/v1/orders",
        shop["buyer_token"],
        {"items": [{"product_id": catalog["oil"]["product_id"], "quantity": 4}]},
        headers={"Idempotency-Key": "isolation-order-1"},
    )
    path = spec.path.replace("{order_id}", placed.data["order_id"])
    body = ORDER_BODIES.get((spec.method, spec.path)) if spec.body is not None else None
    for role in ("owner", "buyer"):
        reply = api.call(spec.method, path, other_shop[f"{role}_token"], body, headers={"Idempotency-Key": "x" * 12})
        expected = (404, "not_found") if role in spec.roles else (403, "forbidden")
        assert (reply.status, reply.error.get("code")) == expected, (role, reply.body)
    # and the order is untouched
    assert api.get(f"/v1/orders/{placed.data['order_id']}", shop["owner_token"]).data["status"] == "pending"
