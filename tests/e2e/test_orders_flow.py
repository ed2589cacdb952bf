"""Orders over real HTTP (moto server + chalice local), where concurrency is real: parallel
orders never oversell stock or overspend credit, one Idempotency-Key places one order, and a
demo order goes from placement to a delivered, paid order with its invoice."""

from __future__ import annotations

import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.e2e.conftest import DEMO_ADMIN, call, login

BUYER = ("yacine.baraka", "demo-pass-2026")  # Supérette El Baraka: 50,000.00 DA of credit
WAHRANI_BUYER = ("sofiane.w", "demo-pass-2026")  # Wahrani: 20,000.00 DA of credit
DRIVER = ("driver.mourad", "demo-pass-2026")


@pytest.fixture(scope="module")
def admin(demo_url):
    return login(demo_url, *DEMO_ADMIN)


def new_product(base, admin, **fields):
    category = call("GET", f"{base}/v1/categories", admin).json()["data"][0]["category_id"]
    body = {
        "sku": f"E2E-{uuid.uuid4().hex[:10]}",
        "category_id": category,
        "names": {"ar": "منتج اختبار", "fr": "Produit de test"},
        "sale_unit": "piece",
        "pack_size": 1,
        "base_price": 10000,
        "vat_rate": 0,
        "stock_quantity": 10,
        **fields,
    }
    reply = call("POST", f"{base}/v1/products", admin, json=body)
    assert reply.status_code == 201, reply.text
    return reply.json()["data"]


def place(base, token, product_id, quantity=1, key=None, **extra):
    body = {"items": [{"product_id": product_id, "quantity": quantity}], **extra}
    headers = {"Idempotency-Key": key or uuid.uuid4().hex}
    # the local stack runs moto and chalice in one process, one DynamoDB call at a time:
    # 50 parallel orders queue for several seconds (the bench measures it; AWS does not queue)
    return call("POST", f"{base}/v1/orders", token, json=body, headers=headers, timeout=120)


def test_50_parallel_orders_never_oversell(demo_url, admin):
    product = new_product(demo_url, admin, stock_quantity=10)
    buyer = login(demo_url, *BUYER)
    with ThreadPoolExecutor(max_workers=50) as pool:
        replies = list(pool.map(lambda _: place(demo_url, buyer, product["product_id"]), range(50)))
    statuses = Counter(r.status_code for r in replies)
    assert statuses == {201: 10, 409: 40}, statuses
    refusals = {r.json()["error"]["code"] for r in replies if r.status_code == 409}
    assert refusals <= {"order_rejected", "order_busy"}
    stock = call("GET", f"{demo_url}/v1/products/{product['product_id']}", admin).json()["data"]["stock_quantity"]
    assert stock == 0
    moves = call("GET", f"{demo_url}/v1/products/{product['product_id']}/stock?limit=100", admin).json()["data"]
    order_moves = [m for m in moves if m["source"] == "order"]
    assert len(order_moves) == 10 and all(m["delta"] == -1 for m in order_moves)
    numbers = {r.json()["data"]["order_number"] for r in replies if r.status_code == 201}
    assert {m["reason"] for m in order_moves} == numbers  # one stock line per placed order, none for refusals


def test_parallel_credit_orders_never_exceed_the_limit(demo_url, admin):
    product = new_product(demo_url, admin, stock_quantity=1000, base_price=300000)  # 3,000.00 DA each
    buyer = login(demo_url, *WAHRANI_BUYER)
    me = call("GET", f"{demo_url}/v1/me", buyer).json()["data"]
    retailer_id = me["retailer"]["retailer_id"]
    before = call("GET", f"{demo_url}/v1/retailers/{retailer_id}/credit", admin).json()["data"]
    fits = before["available"] // 300000
    with ThreadPoolExecutor(max_workers=20) as pool:
        replies = list(
            pool.map(lambda _: place(demo_url, buyer, product["product_id"], payment_method="credit"), range(20))
        )
    placed = [r for r in replies if r.status_code == 201]
    assert len(placed) == fits, Counter(r.status_code for r in replies)
    after = call("GET", f"{demo_url}/v1/retailers/{retailer_id}/credit", admin).json()["data"]
    assert after["open_orders_amount"] == before["open_orders_amount"] + fits * 300000
    assert after["balance"] + after["open_orders_amount"] <= after["credit_limit"]
    for reply in replies:
        if reply.status_code == 409:
            assert reply.json()["error"]["details"][0]["code"] == "credit_limit_exceeded"


def test_one_idempotency_key_sent_10_times_in_parallel_places_one_order(demo_url, admin):
    product = new_product(demo_url, admin, stock_quantity=100)
    buyer = login(demo_url, *BUYER)
    key = uuid.uuid4().hex
    with ThreadPoolExecutor(max_workers=10) as pool:
        replies = list(pool.map(lambda _: place(demo_url, buyer, product["product_id"], 2, key=key), range(10)))
    assert {r.status_code for r in replies} == {201}, [r.text for r in replies if r.status_code != 201]
    assert len({r.json()["data"]["order_id"] for r in replies}) == 1
    assert sum(r.headers["Idempotent-Replayed"] == "false" for r in replies) == 1
    stock = call("GET", f"{demo_url}/v1/products/{product['product_id']}", admin).json()["data"]["stock_quantity"]
    assert stock == 98


def test_one_payment_key_sent_8_times_in_parallel_records_one_payment(demo_url, admin):
    product = new_product(demo_url, admin, stock_quantity=100)
    buyer = login(demo_url, *BUYER)
    driver = login(demo_url, *DRIVER)
    driver_id = call("GET", f"{demo_url}/v1/me", driver).json()["data"]["user"]["user_id"]
    order = place(demo_url, buyer, product["product_id"], 5, payment_method="credit").json()["data"]
    url = f"{demo_url}/v1/orders/{order['order_id']}"
    for to, extra in (("confirmed", {}), ("preparing", {}), ("out_for_delivery", {"driver_id": driver_id})):
        assert call("POST", f"{url}/transitions", admin, json={"to": to, **extra}).status_code == 200
    assert call("POST", f"{url}/transitions", driver, json={"to": "delivered"}).status_code == 200
    retailer_id = order["retailer_id"]
    before = call("GET", f"{demo_url}/v1/retailers/{retailer_id}/credit", admin).json()["data"]["balance"]
    key = uuid.uuid4().hex
    body = {"amount": 10000, "method": "cash"}
    with ThreadPoolExecutor(max_workers=8) as pool:
        replies = list(
            pool.map(
                lambda _: call(
                    "POST", f"{url}/payments", driver, json=body, headers={"Idempotency-Key": key}, timeout=120
                ),
                range(8),
            )
        )
    assert {r.status_code for r in replies} == {201}, [r.text for r in replies if r.status_code != 201]
    assert len({r.json()["data"]["entry_id"] for r in replies}) == 1
    assert sum(r.headers["Idempotent-Replayed"] == "false" for r in replies) == 1
    after = call("GET", f"{demo_url}/v1/retailers/{retailer_id}/credit", admin).json()["data"]["balance"]
    assert after == before - 10000


def test_an_order_from_placement_to_paid_delivery(demo_url, admin):
    buyer = login(demo_url, *BUYER)
    driver = login(demo_url, *DRIVER)
    driver_id = call("GET", f"{demo_url}/v1/me", driver).json()["data"]["user"]["user_id"]
    oil = call("GET", f"{demo_url}/v1/products", buyer, params={"q": "Elio"}).json()["data"][0]
    placed = place(demo_url, buyer, oil["product_id"], oil["min_order_quantity"], payment_method="credit")
    assert placed.status_code == 201, placed.text
    order = placed.json()["data"]
    url = f"{demo_url}/v1/orders/{order['order_id']}"
    for to, extra in (("confirmed", {}), ("preparing", {}), ("out_for_delivery", {"driver_id": driver_id})):
        assert call("POST", f"{url}/transitions", admin, json={"to": to, **extra}).status_code == 200
    delivered = call("POST", f"{url}/transitions", driver, json={"to": "delivered"})
    assert delivered.status_code == 200, delivered.text
    owed = delivered.json()["data"]["delivered_total"]
    paid = call(
        "POST",
        f"{url}/payments",
        driver,
        json={"amount": owed, "method": "cash"},
        headers={"Idempotency-Key": uuid.uuid4().hex, "Accept-Language": "ar"},
    )
    assert paid.status_code == 201, paid.text
    receipt = paid.json()["data"]
    assert receipt["stamp_duty"] > 0 and "دينار جزائري" in receipt["amount_in_words"]
    board = call("GET", f"{demo_url}/v1/admin/dashboard", admin).json()["data"]
    assert board["orders_by_status"]["delivered"] >= 1 and board["today"]["delivered_amount"] >= owed


def test_concurrent_transitions_cannot_both_win(demo_url, admin):
    product = new_product(demo_url, admin, stock_quantity=100)
    buyer = login(demo_url, *BUYER)
    order = place(demo_url, buyer, product["product_id"], 5).json()["data"]
    url = f"{demo_url}/v1/orders/{order['order_id']}/transitions"
    moves = [(admin, {"to": "confirmed"})] * 5 + [(buyer, {"to": "cancelled", "reason": "Changé d'avis"})] * 5
    with ThreadPoolExecutor(max_workers=10) as pool:
        replies = list(pool.map(lambda m: call("POST", url, m[0], json=m[1], timeout=120), moves))
    winners = [r for r in replies if r.status_code == 200]
    assert len(winners) == 1, [r.status_code for r in replies]
    assert all(r.status_code in (403, 409) for r in replies if r.status_code != 200)
    final = call("GET", f"{demo_url}/v1/orders/{order['order_id']}", admin).json()["data"]
    assert final["status"] == winners[0].json()["data"]["status"] and final["version"] == 2
    assert len(final["history"]) == 2
    stock = call("GET", f"{demo_url}/v1/products/{product['product_id']}", admin).json()["data"]["stock_quantity"]
    assert stock == (100 if final["status"] == "cancelled" else 95)  # cancelled once, restocked once


def test_a_confirmed_order_reaches_the_shop_in_its_language(demo_url, admin):
    """The worker of `make run` takes the event off the moto queue and records the messages."""
    buyer = login(demo_url, *BUYER)  # Yacine (El Baraka's buyer) reads Arabic, Karim (owner) French
    product = new_product(demo_url, admin, stock_quantity=100, base_price=125000)  # 1,250.00 DA
    order = place(demo_url, buyer, product["product_id"], 2).json()["data"]
    url = f"{demo_url}/v1/orders/{order['order_id']}/transitions"
    assert call("POST", url, admin, json={"to": "confirmed"}).status_code == 200
    deadline = time.monotonic() + 30
    mine: list[dict] = []
    while time.monotonic() < deadline and len(mine) < 2:
        log = call("GET", f"{demo_url}/v1/admin/messages?limit=50", admin).json()["data"]
        mine = [m for m in log if order["order_number"] in m["body"]]
        time.sleep(0.5)
    by_language = {m["language"]: m for m in mine}
    assert set(by_language) == {"ar", "fr"}, mine
    assert "2 500,00 DA" in by_language["fr"]["body"] and "تم تأكيد طلبيتكم" in by_language["ar"]["body"]
    assert all(m["status"] == "sent" and m["provider"] == "recorded" for m in mine)


def test_the_shop_sees_its_order_confirmed_on_its_next_poll_and_then_a_304(demo_url, admin):
    """Over HTTP, real clock: the feed shows a change once it has settled (3 s)."""
    buyer = login(demo_url, *BUYER)
    product = new_product(demo_url, admin, stock_quantity=50)
    time.sleep(3.2)  # let the demo's own changes settle behind the cursor
    start = call("GET", f"{demo_url}/v1/changes", buyer).json()["meta"]["next_cursor"]
    order = place(demo_url, buyer, product["product_id"], 1).json()["data"]
    url = f"{demo_url}/v1/orders/{order['order_id']}/transitions"
    assert call("POST", url, admin, json={"to": "confirmed"}).status_code == 200
    seen: list[str] = []
    deadline = time.monotonic() + 15
    cursor, etag = start, None
    while "order.confirmed" not in seen and time.monotonic() < deadline:
        time.sleep(1)
        reply = call("GET", f"{demo_url}/v1/changes", buyer, params={"after": cursor})
        assert reply.status_code == 200, reply.text
        seen += [c["kind"] for c in reply.json()["data"] if c["data"].get("order_id") == order["order_id"]]
        cursor, etag = reply.json()["meta"]["next_cursor"], reply.headers["ETag"]
    assert seen == ["order.placed", "order.confirmed"]
    unchanged = call("GET", f"{demo_url}/v1/changes", buyer, params={"after": cursor}, headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.content == b""
