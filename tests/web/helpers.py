"""What the browser tests ask the API directly (as an admin would, or to count what arrived)."""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

from tests.e2e.conftest import DEMO_ADMIN, call, login


def admin_token(base: str) -> str:
    return login(base, *DEMO_ADMIN)


def product_by_sku(base: str, token: str, sku: str) -> dict[str, Any]:
    reply = call("GET", f"{base}/v1/products?q={sku}", token)
    assert reply.status_code == 200, reply.text
    found = [p for p in reply.json()["data"] if p["sku"] == sku]
    assert found, sku
    return found[0]


def shop_orders(base: str, token: str) -> list[dict[str, Any]]:
    reply = call("GET", f"{base}/v1/orders?limit=100", token)
    assert reply.status_code == 200, reply.text
    orders: list[dict[str, Any]] = reply.json()["data"]
    return orders


def order(base: str, token: str, order_id: str) -> dict[str, Any]:
    reply = call("GET", f"{base}/v1/orders/{order_id}", token)
    assert reply.status_code == 200, reply.text
    data: dict[str, Any] = reply.json()["data"]
    return data


def own_product(base: str, admin: str, names: dict[str, str], like: str, base_price: int = 12000) -> dict[str, Any]:
    """A product of the test's own, in the category of the demo's `like` (SKU): the demo's stock
    and prices are shared with the other tests. One unit a pack, 100 in stock, 19 % VAT."""
    body = {
        "sku": f"OWN-{uuid.uuid4().hex[:10].upper()}",
        "category_id": product_by_sku(base, admin, like)["category_id"],
        "names": names,
        "sale_unit": "piece",
        "pack_size": 1,
        "base_price": base_price,
        "cost_price": base_price * 3 // 4,
        "vat_rate": 19,
        "stock_quantity": 100,
        "min_stock_level": 0,
    }
    made = call("POST", f"{base}/v1/products", admin, json=body)
    assert made.status_code == 201, made.text
    product: dict[str, Any] = made.json()["data"]
    return product


def edited_product(base: str, admin: str, product_id: str, **changes: Any) -> None:
    """An admin's edit of a product, at its current version."""
    version = call("GET", f"{base}/v1/products/{product_id}", admin).json()["data"]["version"]
    edited = call("PATCH", f"{base}/v1/products/{product_id}", admin, json={"version": version, **changes})
    assert edited.status_code == 200, edited.text


def placed_order(
    base: str, shop_token: str, quantities: dict[str, int], payment: str = "cash_on_delivery"
) -> dict[str, Any]:
    """An order of the shop (cash unless `payment` says "credit"): `quantities` by product id."""
    lines = [{"product_id": product_id, "quantity": q} for product_id, q in quantities.items()]
    body = {"items": lines, "payment_method": payment}
    placed = call("POST", f"{base}/v1/orders", shop_token, json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
    assert placed.status_code == 201, placed.text
    data: dict[str, Any] = placed.json()["data"]
    return data


def dispatched_order(
    base: str, admin: str, shop_token: str, items: dict[str, int], driver: str, payment: str = "cash_on_delivery"
) -> dict[str, Any]:
    """An order of the shop (`items` by SKU), confirmed, prepared and out for delivery with `driver`."""
    by_id = {product_by_sku(base, admin, sku)["product_id"]: q for sku, q in items.items()}
    order_id = placed_order(base, shop_token, by_id, payment)["order_id"]
    staff = call("GET", f"{base}/v1/admin/staff", admin).json()["data"]
    driver_id = next(u["user_id"] for u in staff if u["username"] == driver)
    for step in ({"to": "confirmed"}, {"to": "preparing"}, {"to": "out_for_delivery", "driver_id": driver_id}):
        moved = call("POST", f"{base}/v1/orders/{order_id}/transitions", admin, json=step)
        assert moved.status_code == 200, moved.text
    return order(base, admin, order_id)


def registered_shop(base: str, language: str) -> dict[str, Any]:
    """A shop signed up a moment ago and waiting for approval: the API's reply (`retailer`,
    `owner`, `onboarding_token`…); its owner's password is `DEMO_PASSWORD`."""
    from tests.web.conftest import DEMO_PASSWORD

    n = uuid.uuid4().int % 10**6
    username = f"nadia.{n}"
    owner = {"username": username, "password": DEMO_PASSWORD, "full_name": "Nadia Saidi", "phone": f"0771{n:06d}"}
    body = {
        "business_name": f"Épicerie Saidi {n}",
        "business_type": "superette",
        "registration_number": f"31/00-{1000000 + n} B 21",
        "tax_number": f"{3116091234 + n:015d}",
        "nis": "003116010012345",
        "ai": "31012345678",
        "phone": f"0662{n:06d}",
        "address": "5 boulevard de la Soummam",
        "wilaya": 31,
        "commune": "Oran",
        "owner": {**owner, "language": language},
    }
    made = call("POST", f"{base}/v1/retailers", json=body)
    assert made.status_code == 201, made.text
    reply: dict[str, Any] = made.json()["data"]
    return reply


def new_shop(base: str, language: str, credit_limit: int = 0) -> str:
    """A shop signed up and approved a moment ago (nothing ordered yet): its owner's username
    (password `DEMO_PASSWORD`)."""
    registered = registered_shop(base, language)
    shop_id = registered["retailer"]["retailer_id"]
    limit = {"credit_limit": credit_limit}
    approved = call("POST", f"{base}/v1/retailers/{shop_id}/approve", admin_token(base), json=limit)
    assert approved.status_code == 200, approved.text
    return str(registered["owner"]["username"])


def texted_code(base: str, template: str, user_id: str | None = None) -> str:
    """The 6 digits the local stack's worker texted with `template` (to `user_id`, when given):
    the recording provider's log keeps them readable; the worker sends within a moment."""
    admin = admin_token(base)
    for _ in range(40):
        log = call("GET", f"{base}/v1/admin/messages", admin).json()["data"]
        mine = [m for m in log if m["template"] == template and user_id in (None, m["user_id"])]
        if mine:
            return re.search(r"\b(\d{6})\b", mine[0]["body"]).group(1)
        time.sleep(0.25)
    raise AssertionError(f"no code was sent ({template})")
