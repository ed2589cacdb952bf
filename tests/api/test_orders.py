"""Placing orders: server pricing, one transaction, per-line refusals, idempotency, credit."""

from __future__ import annotations

import re

import pytest


def place(api, token, items, **extra):
    return api.post("/v1/orders", token, {"items": items, **extra}, headers=api.key())


@pytest.fixture
def oil(catalog):
    return catalog["oil"]  # pack 4, VAT 9 %, 120.00 DA, stock 120


@pytest.fixture
def water(catalog):
    return catalog["water"]  # pack 6, VAT 19 %, 120.00 DA, stock 120


def test_order_is_priced_by_the_server_and_written_whole(api, shop, admin_token, oil, water):
    reply = place(
        api,
        shop["buyer_token"],
        [
            {"product_id": oil["product_id"], "quantity": 4, "unit_price": 1},  # a client price is ignored
            {"product_id": water["product_id"], "quantity": 12},
            {"product_id": oil["product_id"], "quantity": 8},  # repeated lines are merged
        ],
        notes="Livrer avant 10h",
    )
    assert reply.status == 201, reply.body
    order = reply.data
    assert re.fullmatch(r"LV-\d{4}-\d{6}", order["order_number"])
    assert order["status"] == "pending" and order["payment_method"] == "cash_on_delivery"
    assert [(line["product_id"], line["quantity"]) for line in order["lines"]] == [
        (oil["product_id"], 12),
        (water["product_id"], 12),
    ]
    assert order["subtotal"] == 12 * 12000 + 12 * 12000
    # VAT per rate on that rate's base: 9 % of 1440.00 and 19 % of 1440.00
    assert order["vat_breakdown"] == [
        {"rate": 9, "base": 144000, "vat": 12960},
        {"rate": 19, "base": 144000, "vat": 27360},
    ]
    assert order["total_amount"] == 288000 + 12960 + 27360
    assert order["delivery_address"].startswith("12 rue Didouche Mourad")
    assert order["delivery_phone"] == api.get(f"/v1/retailers/{shop['retailer_id']}", admin_token).data["phone"]
    assert order["history"][0]["to_status"] == "pending" and order["history"][0]["by_role"] == "buyer"
    assert api.stock_of(admin_token, oil["product_id"]) == 120 - 12
    assert api.stock_of(admin_token, water["product_id"]) == 120 - 12
    moves = api.get(f"/v1/products/{oil['product_id']}/stock", admin_token).data
    assert (moves[0]["delta"], moves[0]["balance_after"], moves[0]["source"]) == (-12, None, "order")
    assert moves[0]["reference"] == order["order_id"]
    assert api.get(f"/v1/orders/{order['order_id']}", shop["owner_token"]).data == order


def test_order_numbers_are_sequential_and_unique(api, shop, oil):
    numbers = [place(api, shop["buyer_token"], [{"product_id": oil["product_id"], "quantity": 4}]).data for _ in "ab"]
    first, second = (int(o["order_number"].rsplit("-", 1)[1]) for o in numbers)
    assert second == first + 1


def test_each_refused_line_says_why_and_nothing_is_written(api, shop, admin_token, catalog, oil, water):
    api.patch(
        f"/v1/products/{water['product_id']}",
        admin_token,
        {"min_order_quantity": 24, "version": water["version"]},
    )
    reply = place(
        api,
        shop["buyer_token"],
        [
            {"product_id": oil["product_id"], "quantity": 124},  # stock 120
            {"product_id": catalog["retired"]["product_id"], "quantity": 6},
            {"product_id": water["product_id"], "quantity": 12},  # below the minimum of 24
            {"product_id": catalog["juice"]["product_id"], "quantity": 7},  # packs of 6
            {"product_id": "01HZZZZZZZZZZZZZZZZZZZZZZZ", "quantity": 1},
        ],
    )
    assert reply.status == 409 and reply.error["code"] == "order_rejected"
    reasons = {(d["field"], d["code"]) for d in reply.error["details"]}
    assert reasons == {
        ("items.0.quantity", "out_of_stock"),
        ("items.1.product_id", "inactive_product"),
        ("items.2.quantity", "below_min_order_quantity"),
        ("items.3.quantity", "not_pack_multiple"),
        ("items.4.product_id", "product_not_found"),
    }
    details = {d["code"]: d for d in reply.error["details"]}
    assert details["out_of_stock"]["available"] == 120
    assert details["below_min_order_quantity"]["min_order_quantity"] == 24
    assert details["not_pack_multiple"]["pack_size"] == 6
    assert api.stock_of(admin_token, oil["product_id"]) == 120
    assert api.get("/v1/orders", shop["owner_token"]).data == []


def test_a_line_whose_price_moved_since_the_shop_saw_it_is_refused_with_todays_price(
    api, shop, admin_token, oil, water
):
    """A phone that was offline sends the unit prices with VAT the shop saw: a line whose price
    moved since is refused with today's price and nothing is written; at today's price it goes."""
    moved = api.patch(
        f"/v1/products/{oil['product_id']}", admin_token, {"base_price": 13000, "version": oil["version"]}
    )
    assert moved.status == 200, moved.body
    lines = [
        {"product_id": oil["product_id"], "quantity": 4, "price_seen": 13080},  # 120.00 DA + 9 %, as it was
        {"product_id": water["product_id"], "quantity": 6, "price_seen": 14280},  # 120.00 DA + 19 %, still
    ]
    reply = place(api, shop["buyer_token"], lines)
    assert reply.status == 409 and reply.error["code"] == "order_rejected"
    [detail] = reply.error["details"]
    assert (detail["field"], detail["code"]) == ("items.0.price_seen", "price_changed")
    assert (detail["price_seen"], detail["price_with_vat"], detail["base_price"]) == (13080, 14170, 13000)
    assert "14170" in detail["message"] and "13080" in detail["message"]
    assert api.stock_of(admin_token, oil["product_id"]) == 120
    assert api.get("/v1/orders", shop["owner_token"]).data == []

    lines[0]["price_seen"] = 14170  # the shop accepts today's price
    placed = place(api, shop["buyer_token"], lines)
    assert placed.status == 201, placed.body
    assert placed.data["total_amount"] == 4 * 14170 + 6 * 14280


def test_refusals_are_in_the_callers_language(api, shop, oil):
    reply = api.post(
        "/v1/orders",
        shop["buyer_token"],
        {"items": [{"product_id": oil["product_id"], "quantity": 500}]},
        headers={**api.key(), "Accept-Language": "ar"},
    )
    assert reply.error["details"][0]["message"] == "المخزون غير كاف: المتوفر 120."


def test_idempotency_key_returns_the_first_order(api, shop, admin_token, oil):
    body = {"items": [{"product_id": oil["product_id"], "quantity": 4}]}
    headers = {"Idempotency-Key": "retry-me-0001"}
    first = api.post("/v1/orders", shop["buyer_token"], body, headers=headers)
    again = api.post("/v1/orders", shop["buyer_token"], body, headers=headers)
    assert first.status == again.status == 201
    assert again.data["order_id"] == first.data["order_id"]
    assert first.headers["Idempotent-Replayed"] == "false" and again.headers["Idempotent-Replayed"] == "true"
    assert api.stock_of(admin_token, oil["product_id"]) == 116
    other = api.post(
        "/v1/orders",
        shop["buyer_token"],
        {"items": [{"product_id": oil["product_id"], "quantity": 8}]},
        headers=headers,
    )
    assert other.status == 422 and other.error["code"] == "idempotency_key_reused"
    assert len(api.get("/v1/orders", shop["owner_token"]).data) == 1


def test_idempotency_keys_belong_to_their_user(api, shop, other_shop, oil):
    headers = {"Idempotency-Key": "shared-key-0001"}
    body = {"items": [{"product_id": oil["product_id"], "quantity": 4}]}
    mine = api.post("/v1/orders", shop["buyer_token"], body, headers=headers)
    theirs = api.post("/v1/orders", other_shop["buyer_token"], body, headers=headers)
    assert mine.status == theirs.status == 201
    assert mine.data["order_id"] != theirs.data["order_id"]
    assert theirs.data["retailer_id"] == other_shop["retailer_id"]


def test_a_refused_order_does_not_burn_its_key(api, shop, admin_token, oil):
    headers = {"Idempotency-Key": "after-restock-1"}
    body = {"items": [{"product_id": oil["product_id"], "quantity": 200}]}
    assert api.post("/v1/orders", shop["buyer_token"], body, headers=headers).status == 409
    api.post(f"/v1/products/{oil['product_id']}/stock", admin_token, {"delta": 100, "reason": "Arrivage"})
    assert api.post("/v1/orders", shop["buyer_token"], body, headers=headers).status == 201


def test_an_order_is_one_read_and_one_write_and_its_replay_two_reads(api, shop, oil, water, dynamodb_calls):
    """The session, shop, credit account, order sequence, key and products in one
    BatchGetItem; the order, its number, stock, key, audit and counters in one transaction."""
    body = {
        "items": [{"product_id": oil["product_id"], "quantity": 4}, {"product_id": water["product_id"], "quantity": 6}]
    }
    headers = api.key()
    with dynamodb_calls() as placing:
        first = api.post("/v1/orders", shop["buyer_token"], body, headers=headers)
    with dynamodb_calls() as replaying:
        again = api.post("/v1/orders", shop["buyer_token"], body, headers={**headers, "Accept-Language": "ar"})
    assert first.status == again.status == 201
    assert placing == ["BatchGetItem", "TransactWriteItems"]
    assert replaying == ["BatchGetItem", "BatchGetItem"]  # the key's record, then the order it placed
    assert again.data["order_id"] == first.data["order_id"] and again.headers["Idempotent-Replayed"] == "true"
    assert again.data["lines"][0]["name"] != first.data["lines"][0]["name"]  # replayed in the caller's language


def test_order_numbers_follow_each_other_without_gaps(api, shop, oil):
    numbers = []
    for quantity in (4, 400, 8):  # the refused one takes no number
        reply = place(api, shop["buyer_token"], [{"product_id": oil["product_id"], "quantity": quantity}])
        if reply.status == 201:
            numbers.append(int(reply.data["order_number"].rsplit("-", 1)[1]))
    assert numbers[1] == numbers[0] + 1


def test_a_used_key_can_be_used_again_once_it_has_expired(api, shop, admin_token, oil):
    from datetime import timedelta

    from chalicelib.core import clock

    body = {"items": [{"product_id": oil["product_id"], "quantity": 4}]}
    headers = {"Idempotency-Key": "kept-thirty-days"}
    first = api.post("/v1/orders", shop["buyer_token"], body, headers=headers)
    clock.freeze(clock.now() + timedelta(days=29))
    token = api.token(shop["buyer"])  # a month later: a new login
    assert api.post("/v1/orders", token, body, headers=headers).data["order_id"] == first.data["order_id"]
    clock.freeze(clock.now() + timedelta(days=2))
    token = api.token(shop["buyer"])
    later = api.post("/v1/orders", token, body, headers=headers)
    assert later.status == 201 and later.data["order_id"] != first.data["order_id"]
    assert later.headers["Idempotent-Replayed"] == "false"
    clock.freeze(None)
    assert api.stock_of(admin_token, oil["product_id"]) == 112


def test_a_logged_out_session_places_nothing(api, shop, admin_token, oil, dynamodb_calls):
    assert api.post("/v1/auth/logout", shop["buyer_token"]).status == 200
    with dynamodb_calls() as calls:
        reply = place(api, shop["buyer_token"], [{"product_id": oil["product_id"], "quantity": 4}])
    assert reply.status == 401 and reply.error["code"] == "session_revoked"
    assert "TransactWriteItems" not in calls
    assert api.stock_of(admin_token, oil["product_id"]) == 120


def test_a_refusal_is_not_shown_to_a_dead_session(api, shop, oil):
    """The order would be refused (422), but the session is checked first: 401."""
    assert api.post("/v1/auth/logout", shop["buyer_token"]).status == 200
    reply = place(api, shop["buyer_token"], [{"product_id": oil["product_id"], "quantity": 0}])
    assert reply.status == 401 and reply.error["code"] == "session_revoked"


def test_a_token_claiming_another_role_than_its_session_is_refused(api, shop, oil):
    from chalicelib.core import security

    claims = security.decode_token(shop["buyer_token"])
    forged = security.issue_token({k: claims[k] for k in ("sub", "sid", "rid", "usr")} | {"role": "admin"}, 900)
    reply = api.get("/v1/admin/dashboard", forged)
    assert reply.status == 401 and reply.error["code"] == "session_revoked"
    assert api.get("/v1/admin/dashboard", shop["buyer_token"]).status == 403


@pytest.mark.parametrize(
    ("headers", "code"),
    [({}, "idempotency_key_required"), ({"Idempotency-Key": "short"}, "idempotency_key_invalid")],
)
def test_the_idempotency_key_is_required(api, shop, oil, headers, code):
    reply = api.post(
        "/v1/orders",
        shop["buyer_token"],
        {"items": [{"product_id": oil["product_id"], "quantity": 4}]},
        headers=headers,
    )
    assert reply.status == 400 and reply.error["code"] == code


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"items": []}, "items"),
        ({"items": [{"product_id": "nope", "quantity": 4}]}, "items.0.product_id"),
        ({"items": [{"product_id": "01HZZZZZZZZZZZZZZZZZZZZZZZ", "quantity": 0}]}, "items.0.quantity"),
        ({"items": [{"product_id": "01HZZZZZZZZZZZZZZZZZZZZZZZ", "quantity": 4.5}]}, "items.0.quantity"),
        ({"items": [{"product_id": "01HZZZZZZZZZZZZZZZZZZZZZZZ", "quantity": 4}], "payment_method": "iou"}, None),
    ],
)
def test_malformed_orders_get_422(api, shop, body, field):
    reply = api.post("/v1/orders", shop["buyer_token"], body, headers=api.key())
    assert reply.status == 422, reply.body
    if field:
        assert field in {d["field"] for d in reply.error["details"]}


def test_an_order_holds_at_most_40_products(api, shop, admin_token, catalog):
    items = [{"product_id": f"01HZZZZZZZZZZZZZZZZZZZZZ{i:02d}", "quantity": 1} for i in range(41)]
    reply = place(api, shop["buyer_token"], items)
    assert reply.status == 422 and reply.error["details"][0]["code"] == "too_many_products"


def test_credit_orders_reserve_within_the_limit(api, shop, admin_token, oil):
    # the shop fixture has a 50,000.00 DA limit
    big = place(api, shop["buyer_token"], [{"product_id": oil["product_id"], "quantity": 120}], payment_method="credit")
    assert big.status == 201, big.body
    total = big.data["total_amount"]
    assert big.data["credit_reserved"] == total
    credit = api.get(f"/v1/retailers/{shop['retailer_id']}/credit", shop["owner_token"]).data
    assert credit["open_orders_amount"] == total and credit["available"] == 50_000_00 - total
    api.patch(
        f"/v1/retailers/{shop['retailer_id']}/credit", admin_token, {"credit_limit": 15_000_00}
    )  # below what is open
    api.post(f"/v1/products/{oil['product_id']}/stock", admin_token, {"delta": 100, "reason": "Arrivage"})
    refused = place(
        api, shop["buyer_token"], [{"product_id": oil["product_id"], "quantity": 4}], payment_method="credit"
    )
    assert refused.status == 409
    assert refused.error["details"] == [
        {
            "field": "payment_method",
            "code": "credit_limit_exceeded",
            "message": refused.error["details"][0]["message"],
            "available": 0,
        }
    ]
    assert api.stock_of(admin_token, oil["product_id"]) == 100
    # cash on delivery is still possible
    assert place(api, shop["buyer_token"], [{"product_id": oil["product_id"], "quantity": 4}]).status == 201


def test_a_shop_without_a_credit_line_pays_cash(api, other_shop, oil):
    reply = place(
        api, other_shop["buyer_token"], [{"product_id": oil["product_id"], "quantity": 4}], payment_method="credit"
    )
    assert reply.status == 409 and reply.error["details"][0]["code"] == "credit_not_available"


def test_an_admin_orders_on_behalf_of_a_shop(api, shop, admin_token, oil):
    missing = place(api, admin_token, [{"product_id": oil["product_id"], "quantity": 4}])
    assert missing.status == 422 and missing.error["details"][0]["field"] == "retailer_id"
    reply = place(api, admin_token, [{"product_id": oil["product_id"], "quantity": 4}], retailer_id=shop["retailer_id"])
    assert reply.status == 201 and reply.data["placed_by_role"] == "admin"
    trail = api.get(f"/v1/audit?resource_type=order&resource_id={reply.data['order_id']}", admin_token).data
    assert trail[0]["action"] == "order.placed" and trail[0]["actor_role"] == "admin"
    assert trail[0]["metadata"]["on_behalf"] is True
    assert trail[0]["retailer_id"] == shop["retailer_id"]


def test_a_shop_cannot_order_for_another(api, shop, other_shop, oil):
    reply = place(
        api,
        shop["buyer_token"],
        [{"product_id": oil["product_id"], "quantity": 4}],
        retailer_id=other_shop["retailer_id"],
    )
    assert reply.status == 404


def test_a_suspended_shop_cannot_be_ordered_for(api, shop, admin_token, oil):
    api.post(f"/v1/retailers/{shop['retailer_id']}/suspend", admin_token, {"reason": "Impayés répétés"})
    reply = place(api, admin_token, [{"product_id": oil["product_id"], "quantity": 4}], retailer_id=shop["retailer_id"])
    assert reply.status == 409 and reply.error["code"] == "retailer_not_approved"


def test_reorder_places_the_same_products_at_todays_prices(api, shop, admin_token, oil, water):
    first = place(
        api,
        shop["buyer_token"],
        [{"product_id": oil["product_id"], "quantity": 8}, {"product_id": water["product_id"], "quantity": 6}],
    ).data
    api.patch(f"/v1/products/{oil['product_id']}", admin_token, {"base_price": 13000, "version": oil["version"]})
    again = api.post(f"/v1/orders/{first['order_id']}/reorder", shop["owner_token"], {}, headers=api.key())
    assert again.status == 201, again.body
    assert again.data["reorder_of"] == first["order_id"]
    assert [(x["product_id"], x["quantity"]) for x in again.data["lines"]] == [
        (oil["product_id"], 8),
        (water["product_id"], 6),
    ]
    assert again.data["lines"][0]["unit_price"] == 13000
    assert again.data["order_number"] != first["order_number"]


def test_a_shop_asks_for_a_delivery_day_within_two_weeks(api, shop, oil):
    from datetime import date, timedelta

    from chalicelib.core import clock

    items = [{"product_id": oil["product_id"], "quantity": 4}]
    today = date.fromisoformat(clock.local_date())  # the Algiers calendar's day
    in_two_days = str(today + timedelta(days=2))
    placed = place(api, shop["owner_token"], items, requested_date=in_two_days)
    assert placed.status == 201 and placed.data["requested_date"] == in_two_days
    seen = api.get(f"/v1/orders/{placed.data['order_id']}", shop["buyer_token"]).data
    assert seen["requested_date"] == in_two_days
    assert place(api, shop["owner_token"], items, requested_date=str(today)).status == 201  # today will do
    assert place(api, shop["owner_token"], items).data["requested_date"] is None  # as soon as it can
    past = place(api, shop["owner_token"], items, requested_date=str(today - timedelta(days=1)))
    assert past.status == 422 and past.error["details"][0]["code"] == "date_in_past"
    far = place(api, shop["owner_token"], items, requested_date=str(today + timedelta(days=15)))
    assert far.status == 422 and far.error["details"][0] == {
        "field": "requested_date",
        "code": "date_too_far",
        "message": "Choisissez un jour dans les 14 prochains jours au plus.",
        "max_days": 14,
    }
    assert place(api, shop["owner_token"], items, requested_date=str(today + timedelta(days=14))).status == 201
    garbage = place(api, shop["owner_token"], items, requested_date="next friday")
    assert garbage.status == 422 and garbage.error["details"][0]["field"] == "requested_date"
    later = str(today + timedelta(days=5))
    again = api.post(
        f"/v1/orders/{placed.data['order_id']}/reorder",
        shop["owner_token"],
        {"requested_date": later},
        headers=api.key(),
    )
    assert again.status == 201 and again.data["requested_date"] == later
