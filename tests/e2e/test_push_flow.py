"""Web Push over real HTTP on the local stack: a shop's browser subscribes, the admin sends its
order out for delivery, and the stack's own worker (driven by `scripts/local_events.py`)
pushes the step to the fake push service on 127.0.0.1, which checks the VAPID signature and
decrypts the payload with the browser's keys."""

from __future__ import annotations

import time
import uuid

import pytest

from tests.api.test_push import FakePushService
from tests.e2e.conftest import DEMO_ADMIN, call, login

DEMO_PASSWORD = "demo-pass-2026"


@pytest.fixture(scope="module")
def admin(demo_url):
    return login(demo_url, *DEMO_ADMIN)


def test_an_order_on_its_way_reaches_the_shops_browser_encrypted(demo_url, admin):
    service = FakePushService()
    try:
        owner = login(demo_url, "karim.baraka", DEMO_PASSWORD)
        endpoint, browser = service.endpoint("karim-phone")
        subscribed = call("POST", f"{demo_url}/v1/me/push-subscriptions", owner, json=browser.subscription(endpoint))
        assert subscribed.status_code == 201, subscribed.text
        product = call("GET", f"{demo_url}/v1/products?q=SEM-SIM-FIN-10", owner).json()["data"][0]
        placed = call(
            "POST",
            f"{demo_url}/v1/orders",
            owner,
            json={"items": [{"product_id": product["product_id"], "quantity": 1}]},
            headers={"Idempotency-Key": str(uuid.uuid4())},
        ).json()["data"]
        staff = call("GET", f"{demo_url}/v1/admin/staff", admin).json()["data"]
        driver = next(u["user_id"] for u in staff if u["username"] == "driver.mourad")
        for step in ({"to": "confirmed"}, {"to": "preparing"}, {"to": "out_for_delivery", "driver_id": driver}):
            moved = call("POST", f"{demo_url}/v1/orders/{placed['order_id']}/transitions", admin, json=step)
            assert moved.status_code == 200, moved.text
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            on_its_way = [r for r in service.received if r["tag"] == f"order.out_for_delivery:{placed['order_id']}"]
            if on_its_way:
                break
            time.sleep(0.3)
        assert service.problems == []
        assert on_its_way, service.received
        assert placed["order_number"] in on_its_way[0]["body"]
        assert on_its_way[0]["url"] == f"/orders/{placed['order_id']}"
    finally:
        service.close()
