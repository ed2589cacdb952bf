"""Order lifecycle: who may move an order where, cancellation, dispatch, (partial) delivery,
lists, dashboard."""

from __future__ import annotations

import pytest


def order(api, token, items, **extra):
    reply = api.post("/v1/orders", token, {"items": items, **extra}, headers=api.key())
    assert reply.status == 201, reply.body
    return reply.data


def move(api, token, order_id, to, **extra):
    return api.post(f"/v1/orders/{order_id}/transitions", token, {"to": to, **extra})


@pytest.fixture
def placed(api, shop, catalog):
    return order(
        api,
        shop["buyer_token"],
        [
            {"product_id": catalog["oil"]["product_id"], "quantity": 8},
            {"product_id": catalog["water"]["product_id"], "quantity": 12},
        ],
    )


def dispatch(api, admin_token, order_id, driver_id):
    for to in ("confirmed", "preparing"):
        assert move(api, admin_token, order_id, to).status == 200
    reply = move(api, admin_token, order_id, "out_for_delivery", driver_id=driver_id)
    assert reply.status == 200, reply.body
    return reply.data


def test_the_happy_path_records_every_step(api, shop, admin_token, driver_token, driver_id, placed):
    oid = placed["order_id"]
    dispatch(api, admin_token, oid, driver_id)
    delivered = move(api, driver_token, oid, "delivered", cash_collected=placed["total_amount"])
    assert delivered.status == 200, delivered.body
    data = delivered.data
    assert data["status"] == "delivered" and data["version"] == 5
    assert [(e["from_status"], e["to_status"], e["by_role"]) for e in data["history"]] == [
        (None, "pending", "buyer"),
        ("pending", "confirmed", "admin"),
        ("confirmed", "preparing", "admin"),
        ("preparing", "out_for_delivery", "admin"),
        ("out_for_delivery", "delivered", "driver"),
    ]
    assert data["delivered_total"] == placed["total_amount"] and data["cash_collected"] == placed["total_amount"]
    assert data["invoice_number"].startswith("FA-")
    assert data["due_date"] is None  # fully paid at the door: nothing owed
    credit = api.get(f"/v1/retailers/{shop['retailer_id']}/credit", shop["owner_token"]).data
    assert credit["balance"] == 0 and credit["oldest_due_date"] is None
    trail = api.get(f"/v1/audit?resource_type=order&resource_id={oid}", admin_token).data
    assert [e["action"] for e in trail][:2] == ["order.delivered", "order.out_for_delivery"]


def test_a_delivery_sent_twice_with_its_key_is_recorded_once(api, shop, admin_token, driver_token, driver_id, placed):
    """A driver's phone on a bad connection sends the confirmation again: same order, no 409."""
    oid = placed["order_id"]
    dispatch(api, admin_token, oid, driver_id)
    body = {"to": "delivered", "cash_collected": 100000}
    headers = {"Idempotency-Key": "delivery-key-0001"}
    first = api.post(f"/v1/orders/{oid}/transitions", driver_token, body, headers=headers)
    again = api.post(f"/v1/orders/{oid}/transitions", driver_token, body, headers=headers)
    assert first.status == again.status == 200, again.body
    assert first.headers["Idempotent-Replayed"] == "false" and again.headers["Idempotent-Replayed"] == "true"
    assert again.data["version"] == first.data["version"] == 5
    assert again.data["invoice_number"] == first.data["invoice_number"]
    credit = api.get(f"/v1/retailers/{shop['retailer_id']}/credit", shop["owner_token"]).data
    assert credit["balance"] == placed["total_amount"] - 100000  # the cash counted once
    other = api.post(f"/v1/orders/{oid}/transitions", driver_token, {**body, "cash_collected": 0}, headers=headers)
    assert other.status == 422 and other.error["code"] == "idempotency_key_reused"
    without_key = move(api, driver_token, oid, "delivered", cash_collected=100000)
    assert without_key.status == 409 and without_key.error["code"] == "invalid_order_transition"
    # the statuses in words, not the API's codes (a driver reads this on the road)
    assert without_key.error["message"] == "Une commande au statut livrée ne peut pas passer à livrée."


def test_a_keyed_move_costs_no_extra_round_trip(api, admin_token, placed, dynamodb_calls):
    with dynamodb_calls() as calls:
        reply = api.post(
            f"/v1/orders/{placed['order_id']}/transitions", admin_token, {"to": "confirmed"}, headers=api.key()
        )
    assert reply.status == 200
    # the session, the order and the key read together; after the commit the event is on
    # the queue and its outbox item is dropped
    assert calls == ["BatchGetItem", "TransactWriteItems", "DeleteItem"]


@pytest.mark.parametrize(
    ("role", "to", "status"),
    [
        ("buyer", "confirmed", 403),
        ("owner", "confirmed", 403),
        ("driver", "confirmed", 404),  # not assigned: the driver cannot even see it
        ("admin", "delivered", 409),  # pending cannot jump to delivered
        ("admin", "pending", 409),
    ],
)
def test_who_may_move_a_pending_order(api, shop, admin_token, driver_token, placed, role, to, status):
    tokens = {"buyer": shop["buyer_token"], "owner": shop["owner_token"], "driver": driver_token, "admin": admin_token}
    reply = move(api, tokens[role], placed["order_id"], to)
    assert reply.status == status, reply.body
    if status == 409:
        assert reply.error["code"] == "invalid_order_transition"


def test_a_shop_cancels_while_pending_and_gets_stock_and_credit_back(api, shop, admin_token, catalog):
    oil = catalog["oil"]["product_id"]
    placed = order(api, shop["buyer_token"], [{"product_id": oil, "quantity": 8}], payment_method="credit")
    assert api.stock_of(admin_token, oil) == 112
    reply = move(api, shop["buyer_token"], placed["order_id"], "cancelled", reason="Commande en double")
    assert reply.status == 200 and reply.data["status"] == "cancelled"
    assert reply.data["history"][-1]["reason"] == "Commande en double"
    assert api.stock_of(admin_token, oil) == 120
    moves = api.get(f"/v1/products/{oil}/stock", admin_token).data
    assert (moves[0]["delta"], moves[0]["source"]) == (8, "cancellation")
    credit = api.get(f"/v1/retailers/{shop['retailer_id']}/credit", shop["owner_token"]).data
    assert credit["open_orders_amount"] == 0 and credit["available"] == 50_000_00
    again = move(api, shop["buyer_token"], placed["order_id"], "cancelled")
    assert again.status == 409


def test_once_confirmed_only_an_admin_cancels(api, shop, admin_token, placed):
    assert move(api, admin_token, placed["order_id"], "confirmed").status == 200
    late = move(api, shop["owner_token"], placed["order_id"], "cancelled")
    # the shop could cancel it while pending: told where the order stands, not "not allowed"
    assert (late.status, late.error["code"]) == (409, "order_moved_on")
    assert late.error["message"] == "Cette commande est maintenant confirmée : seul Livrili peut la passer à annulée."
    assert move(api, admin_token, placed["order_id"], "cancelled", reason="Rupture fournisseur").status == 200


def test_out_for_delivery_cannot_be_cancelled(api, admin_token, driver_id, placed):
    dispatch(api, admin_token, placed["order_id"], driver_id)
    assert move(api, admin_token, placed["order_id"], "cancelled").status == 409


def test_dispatch_needs_an_active_driver(api, shop, admin_token, placed):
    oid = placed["order_id"]
    for to in ("confirmed", "preparing"):
        move(api, admin_token, oid, to)
    missing = move(api, admin_token, oid, "out_for_delivery")
    assert missing.status == 422 and missing.error["details"][0]["field"] == "driver_id"
    not_a_driver = move(api, admin_token, oid, "out_for_delivery", driver_id=shop["owner_id"])
    assert not_a_driver.status == 422 and not_a_driver.error["details"][0]["code"] == "driver_not_found"


def test_stale_version_is_refused(api, admin_token, placed):
    assert move(api, admin_token, placed["order_id"], "confirmed", version=1).status == 200
    stale = move(api, admin_token, placed["order_id"], "preparing", version=1)
    assert stale.status == 409 and stale.error["code"] == "version_conflict"
    assert stale.error["message"]  # localized


def test_only_the_assigned_driver_delivers(api, admin_token, driver_token, driver_id, placed):
    from chalicelib.accounts import staff as accounts_staff
    from chalicelib.core.rbac import Role

    accounts_staff.create_staff_user("driver2", "driver-pass-2026", "Driver Two", role=Role.DRIVER)
    other = api.token("driver2", "driver-pass-2026")
    dispatch(api, admin_token, placed["order_id"], driver_id)
    assert api.get(f"/v1/orders/{placed['order_id']}", other).status == 404
    assert move(api, other, placed["order_id"], "delivered", cash_collected=0).status == 404
    mine = api.get("/v1/orders", driver_token).data
    assert [o["order_id"] for o in mine] == [placed["order_id"]]
    assert api.get("/v1/orders", other).data == []


def test_partial_delivery_returns_the_rest_to_stock_and_bills_what_was_delivered(
    api, shop, admin_token, driver_token, driver_id, catalog, placed
):
    oil, water = catalog["oil"]["product_id"], catalog["water"]["product_id"]
    dispatch(api, admin_token, placed["order_id"], driver_id)
    reply = move(
        api,
        driver_token,
        placed["order_id"],
        "delivered",
        lines=[{"product_id": water, "delivered_quantity": 6}],  # oil delivered in full
        cash_collected=50000,
        reason="6 bouteilles cassées",
    )
    assert reply.status == 200, reply.body
    data = reply.data
    assert {line["product_id"]: line["delivered_quantity"] for line in data["lines"]} == {oil: 8, water: 6}
    # oil 8 x 120.00 at 9 %, water 6 x 120.00 at 19 %
    assert data["delivered_vat_breakdown"] == [
        {"rate": 9, "base": 96000, "vat": 8640},
        {"rate": 19, "base": 72000, "vat": 13680},
    ]
    assert data["delivered_total"] == 96000 + 72000 + 8640 + 13680
    assert data["total_amount"] == placed["total_amount"]  # what was ordered stays on record
    assert api.stock_of(admin_token, water) == 120 - 12 + 6
    assert api.stock_of(admin_token, oil) == 120 - 8
    owed = data["delivered_total"] - 50000
    credit = api.get(f"/v1/retailers/{shop['retailer_id']}/credit", admin_token).data
    assert credit["balance"] == owed and credit["oldest_due_date"] == data["due_date"]
    ledger = api.get(f"/v1/retailers/{shop['retailer_id']}/ledger", shop["owner_token"]).data
    assert [(e["kind"], e["amount"], e["balance_after"]) for e in ledger] == [
        ("payment", -50000, owed),
        ("delivery", data["delivered_total"], data["delivered_total"]),
    ]
    assert ledger[0]["stamp_duty"] == 500  # 500.00 DA: 5 slices of 100 DA at 1 DA, raised to the 5 DA minimum


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({}, "field_required"),  # cash on delivery: say how much was collected
        ({"cash_collected": 10**9}, "cash_exceeds_total"),
        (
            {"cash_collected": 0, "lines": [{"product_id": "01HZZZZZZZZZZZZZZZZZZZZZZZ", "delivered_quantity": 1}]},
            "not_in_order",
        ),
        ({"cash_collected": 0, "lines": "ALL_ZERO"}, "nothing_delivered"),
        ({"cash_collected": 0, "lines": "TOO_MANY"}, "more_than_ordered"),
    ],
)
def test_bad_deliveries_get_422_and_change_nothing(
    api, admin_token, driver_token, driver_id, catalog, placed, extra, code
):
    oil, water = catalog["oil"]["product_id"], catalog["water"]["product_id"]
    if extra.get("lines") == "ALL_ZERO":
        extra["lines"] = [{"product_id": oil, "delivered_quantity": 0}, {"product_id": water, "delivered_quantity": 0}]
    if extra.get("lines") == "TOO_MANY":
        extra["lines"] = [{"product_id": oil, "delivered_quantity": 9}]
    dispatch(api, admin_token, placed["order_id"], driver_id)
    reply = move(api, driver_token, placed["order_id"], "delivered", **extra)
    assert reply.status == 422, reply.body
    assert reply.error["details"][0]["code"] == code
    assert api.get(f"/v1/orders/{placed['order_id']}", admin_token).data["status"] == "out_for_delivery"


def test_a_failed_delivery_goes_back_to_preparing(api, admin_token, driver_id, placed):
    dispatch(api, admin_token, placed["order_id"], driver_id)
    no_reason = move(api, admin_token, placed["order_id"], "preparing")
    assert no_reason.status == 422
    assert no_reason.error["details"][0]["field"] == "reason_code"
    back = move(api, admin_token, placed["order_id"], "preparing", reason_code="other", reason="Camion en panne")
    assert back.status == 200 and back.data["status"] == "preparing"
    event = back.data["history"][-1]
    assert {k: event[k] for k in ("by_role", "from_status", "to_status", "reason", "reason_code")} == {
        "by_role": "admin",
        "from_status": "out_for_delivery",
        "to_status": "preparing",
        "reason": "Camion en panne",
        "reason_code": "other",
    }
    assert move(api, admin_token, placed["order_id"], "cancelled", reason="Client injoignable").status == 200


def test_the_driver_reports_a_failed_delivery_with_a_reason(api, admin_token, driver_token, driver_id, placed):
    dispatch(api, admin_token, placed["order_id"], driver_id)
    assert move(api, driver_token, placed["order_id"], "preparing").status == 422  # the reason is required
    unknown = move(api, driver_token, placed["order_id"], "preparing", reason_code="tired")
    assert unknown.status == 422 and unknown.error["details"][0]["field"] == "reason_code"
    back = move(api, driver_token, placed["order_id"], "preparing", reason_code="shop_closed")
    assert back.status == 200 and back.data["status"] == "preparing"
    # a code, not words: the shop reads it in its language, whatever the driver's
    assert (back.data["history"][-1]["reason_code"], back.data["history"][-1]["reason"]) == ("shop_closed", None)
    # back at the depot, the order is the admins' again: the driver cannot send it out
    assert move(api, driver_token, placed["order_id"], "out_for_delivery").status in (403, 404)


def test_lists_are_newest_first_and_tenant_scoped(api, shop, other_shop, admin_token, catalog):
    oil = catalog["oil"]["product_id"]
    mine = [order(api, shop["buyer_token"], [{"product_id": oil, "quantity": 4}])["order_id"] for _ in range(3)]
    theirs = order(api, other_shop["buyer_token"], [{"product_id": oil, "quantity": 4}])["order_id"]
    page1 = api.get("/v1/orders?limit=2", shop["owner_token"])
    page2 = api.get(f"/v1/orders?limit=2&cursor={page1.body['meta']['next_cursor']}", shop["owner_token"])
    assert [o["order_id"] for o in page1.data + page2.data] == mine[::-1]
    assert api.get(f"/v1/orders/{theirs}", shop["owner_token"]).status == 404
    assert api.get(f"/v1/orders?retailer_id={other_shop['retailer_id']}", shop["owner_token"]).status == 404
    by_shop = api.get(f"/v1/orders?retailer_id={other_shop['retailer_id']}", admin_token).data
    assert [o["order_id"] for o in by_shop] == [theirs]
    pending = api.get("/v1/orders?status=pending&limit=100", admin_token).data
    assert {o["order_id"] for o in pending} == {*mine, theirs}
    move(api, admin_token, mine[0], "confirmed")
    assert [o["order_id"] for o in api.get("/v1/orders?status=confirmed", admin_token).data] == [mine[0]]
    assert [o["order_id"] for o in api.get("/v1/orders?status=confirmed", shop["owner_token"]).data] == [mine[0]]


def test_lists_filter_by_date(api, shop, admin_token, catalog):
    from datetime import UTC, datetime

    from chalicelib.core import clock

    oil = catalog["oil"]["product_id"]
    clock.freeze(datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    march = order(api, shop["buyer_token"], [{"product_id": oil, "quantity": 4}])["order_id"]
    clock.freeze(datetime(2026, 4, 2, 9, 0, tzinfo=UTC))
    april = order(api, shop["buyer_token"], [{"product_id": oil, "quantity": 4}])["order_id"]
    clock.freeze(None)
    ids = lambda q: [o["order_id"] for o in api.get(f"/v1/orders?{q}", shop["owner_token"]).data]  # noqa: E731
    assert ids("date_from=2026-03-01&date_to=2026-03-31") == [march]
    assert ids("date_from=2026-04-01") == [april]
    assert ids("date_to=2026-04-02") == [april, march]
    bad = api.get("/v1/orders?date_from=2026-05-01&date_to=2026-04-01", shop["owner_token"])
    assert bad.status == 422


def test_dashboard_counts_orders_sales_and_credit(api, shop, admin_token, driver_token, driver_id, catalog):
    oil = catalog["oil"]["product_id"]
    a = order(api, shop["buyer_token"], [{"product_id": oil, "quantity": 4}])
    b = order(api, shop["buyer_token"], [{"product_id": oil, "quantity": 8}], payment_method="credit")
    c = order(api, shop["buyer_token"], [{"product_id": oil, "quantity": 4}])
    move(api, admin_token, c["order_id"], "cancelled", reason="Erreur de saisie")
    dispatch(api, admin_token, a["order_id"], driver_id)
    move(api, driver_token, a["order_id"], "delivered", cash_collected=a["total_amount"] - 10000)
    board = api.get("/v1/admin/dashboard", admin_token)
    assert board.status == 200
    data = board.data
    assert data["orders_by_status"] == {
        "pending": 1,
        "confirmed": 0,
        "preparing": 0,
        "out_for_delivery": 0,
        "delivered": 1,
        "cancelled": 1,
    }
    placed_amount = a["total_amount"] + b["total_amount"] + c["total_amount"]
    assert data["today"] == {
        "placed_count": 3,
        "placed_amount": placed_amount,
        "delivered_count": 1,
        "delivered_amount": a["total_amount"],
    }
    assert data["this_month"] == data["today"]
    assert data["outstanding_balance"] == 10000
    assert data["open_credit_orders"] == b["total_amount"]
    assert data["credit_exposure"] == 10000 + b["total_amount"]
    assert data["overdue_amount"] == 0
