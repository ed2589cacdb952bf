"""Credit: receivables and due dates, payments (oldest due first, never more than owed,
stamp duty), reversals, limits and terms, overdue shops."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.core import clock
from tests.api.conftest import ADMIN


@pytest.fixture
def deliver(api, shop, admin_token, driver_token, driver_id, catalog):
    """Deliver a credit order of `packs` packs of oil (cash 0): returns the delivered order."""

    def run(packs: int = 2, cash: int = 0, shop_: dict | None = None) -> dict:
        who = shop_ or shop
        placed = api.post(
            "/v1/orders",
            who["buyer_token"],
            {
                "items": [{"product_id": catalog["oil"]["product_id"], "quantity": 4 * packs}],
                "payment_method": "credit",
            },
            headers=api.key(),
        )
        assert placed.status == 201, placed.body
        oid = placed.data["order_id"]
        for to in ("confirmed", "preparing"):
            api.post(f"/v1/orders/{oid}/transitions", admin_token, {"to": to})
        api.post(f"/v1/orders/{oid}/transitions", admin_token, {"to": "out_for_delivery", "driver_id": driver_id})
        done = api.post(f"/v1/orders/{oid}/transitions", driver_token, {"to": "delivered", "cash_collected": cash})
        assert done.status == 200, done.body
        return done.data

    return run


def pay(api, token, order_id, amount, method="cash", **extra):
    return api.post(
        f"/v1/orders/{order_id}/payments", token, {"amount": amount, "method": method, **extra}, headers=api.key()
    )


def credit(api, token, retailer_id):
    return api.get(f"/v1/retailers/{retailer_id}/credit", token).data


def test_a_credit_delivery_is_owed_after_the_payment_terms(api, shop, admin_token, deliver):
    clock.freeze(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    order = deliver(packs=2)
    assert order["due_date"] == "2026-12-08"  # 15 days
    view = credit(api, shop["owner_token"], shop["retailer_id"])
    assert view["balance"] == order["delivered_total"]
    assert view["open_orders_amount"] == 0
    assert view["available"] == 50_000_00 - order["delivered_total"]
    assert view["oldest_due_date"] == "2026-12-08" and view["overdue_amount"] == 0
    clock.freeze(datetime(2026, 12, 9, 10, 0, tzinfo=UTC))
    owner_token, admin_token = api.token(shop["owner"]), api.token(*ADMIN)  # 15-minute tokens: log in again
    late = credit(api, owner_token, shop["retailer_id"])
    assert late["overdue_amount"] == order["delivered_total"]
    overdue = api.get("/v1/admin/credit/overdue", admin_token).data
    assert [(o["retailer_id"], o["balance"], o["oldest_due_date"]) for o in overdue] == [
        (shop["retailer_id"], order["delivered_total"], "2026-12-08")
    ]
    assert api.get("/v1/admin/dashboard", admin_token).data["overdue_amount"] == order["delivered_total"]


def test_payments_settle_the_oldest_dues_first(api, shop, admin_token, deliver):
    clock.freeze(datetime(2026, 11, 1, 10, 0, tzinfo=UTC))
    first = deliver(packs=1)
    clock.freeze(datetime(2026, 11, 5, 10, 0, tzinfo=UTC))
    second = deliver(packs=2)
    owed = first["delivered_total"] + second["delivered_total"]
    # paid against the newer order, still settles the older due first
    reply = pay(
        api, admin_token, second["order_id"], first["delivered_total"] + 1000, method="cheque", reference="CHQ 0042"
    )
    assert reply.status == 201, reply.body
    receipt = reply.data
    assert [(a["order_id"], a["amount"]) for a in receipt["allocations"]] == [
        (first["order_id"], first["delivered_total"]),
        (second["order_id"], 1000),
    ]
    assert receipt["stamp_duty"] == 0  # no stamp duty on a cheque
    assert receipt["balance_after"] == owed - first["delivered_total"] - 1000
    view = credit(api, shop["owner_token"], shop["retailer_id"])
    assert view["balance"] == receipt["balance_after"]
    assert view["oldest_due_date"] == second["due_date"]
    rest = pay(api, admin_token, second["order_id"], view["balance"])
    assert rest.status == 201
    done = credit(api, shop["owner_token"], shop["retailer_id"])
    assert done["balance"] == 0 and done["oldest_due_date"] is None and done["available"] == 50_000_00
    assert api.get("/v1/admin/credit/overdue?until=2027-01-01", admin_token).data == []


def test_a_payment_never_exceeds_what_is_owed(api, shop, admin_token, deliver):
    order = deliver(packs=1)
    too_much = pay(api, admin_token, order["order_id"], order["delivered_total"] + 1)
    assert too_much.status == 409 and too_much.error["code"] == "payment_exceeds_balance"
    assert too_much.error["details"][0]["owed"] == order["delivered_total"]
    assert credit(api, shop["owner_token"], shop["retailer_id"])["balance"] == order["delivered_total"]


def test_a_cash_receipt_shows_the_stamp_duty_and_the_total_in_words(api, admin_token, driver_token, deliver):
    order = deliver(packs=4)  # 16 x 120.00 DA + 9 % = 2,092.80 DA
    reply = api.post(
        f"/v1/orders/{order['order_id']}/payments",
        driver_token,
        {"amount": 125000, "method": "cash"},
        headers={**api.key(), "Accept-Language": "fr"},
    )
    assert reply.status == 201, reply.body
    receipt = reply.data
    assert receipt["stamp_duty"] == 1300  # 1,250 DA: 13 slices of 100 DA at 1 DA
    assert receipt["total_with_stamp_duty"] == 126300
    assert receipt["formatted"]["total"] == "1\u202f263,00 DA"
    assert receipt["amount_in_words"] == "mille deux cent soixante-trois dinars algériens"
    assert receipt["actor_username"] == "driver1"


def test_a_payment_is_recorded_once_per_key(api, shop, admin_token, deliver):
    order = deliver(packs=2)
    headers = {"Idempotency-Key": "payment-key-0001"}
    body = {"amount": 10000, "method": "cash"}
    first = api.post(f"/v1/orders/{order['order_id']}/payments", admin_token, body, headers=headers)
    again = api.post(f"/v1/orders/{order['order_id']}/payments", admin_token, body, headers=headers)
    assert first.status == again.status == 201
    assert first.data["entry_id"] == again.data["entry_id"] and again.headers["Idempotent-Replayed"] == "true"
    assert credit(api, shop["owner_token"], shop["retailer_id"])["balance"] == order["delivered_total"] - 10000
    changed = api.post(
        f"/v1/orders/{order['order_id']}/payments", admin_token, {**body, "amount": 20000}, headers=headers
    )
    assert changed.status == 422


def test_drivers_collect_only_for_their_deliveries_and_shops_never(api, shop, admin_token, deliver):
    from chalicelib.accounts import staff as accounts_staff
    from chalicelib.core.rbac import Role

    order = deliver(packs=1)
    accounts_staff.create_staff_user("driver2", "driver-pass-2026", "Driver Two", role=Role.DRIVER)
    other_driver = api.token("driver2", "driver-pass-2026")
    assert pay(api, other_driver, order["order_id"], 1000).status == 404
    assert pay(api, shop["owner_token"], order["order_id"], 1000).status == 403


def test_a_reversal_makes_the_payment_owed_again_once(api, shop, admin_token, deliver):
    order = deliver(packs=2)
    receipt = pay(api, admin_token, order["order_id"], order["delivered_total"], method="cheque").data
    assert credit(api, admin_token, shop["retailer_id"])["balance"] == 0
    path = f"/v1/retailers/{shop['retailer_id']}/ledger/{receipt['entry_id']}/reversal"
    reversed_ = api.post(path, admin_token, {"reason": "Chèque rejeté par la banque"})
    assert reversed_.status == 201, reversed_.body
    assert reversed_.data["kind"] == "reversal" and reversed_.data["reverses"] == receipt["entry_id"]
    assert reversed_.data["amount"] == order["delivered_total"]
    view = credit(api, admin_token, shop["retailer_id"])
    assert view["balance"] == order["delivered_total"] and view["oldest_due_date"] == order["due_date"]
    twice = api.post(path, admin_token, {"reason": "Chèque rejeté par la banque"})
    assert twice.status == 409 and twice.error["code"] == "already_reversed"
    ledger = api.get(f"/v1/retailers/{shop['retailer_id']}/ledger", shop["owner_token"]).data
    assert [e["kind"] for e in ledger] == ["reversal", "payment", "delivery"]
    # the original entry is untouched
    assert api.get(f"/v1/retailers/{shop['retailer_id']}/ledger/{receipt['entry_id']}", admin_token).data["amount"] == (
        -order["delivered_total"]
    )
    delivery = ledger[2]["entry_id"]
    not_a_payment = api.post(
        f"/v1/retailers/{shop['retailer_id']}/ledger/{delivery}/reversal", admin_token, {"reason": "Essai"}
    )
    assert not_a_payment.status == 409 and not_a_payment.error["code"] == "entry_not_reversible"
    # it can be paid again
    assert pay(api, admin_token, order["order_id"], order["delivered_total"]).status == 201


def test_admins_change_limits_and_terms_audited(api, shop, admin_token, deliver):
    path = f"/v1/retailers/{shop['retailer_id']}/credit"
    assert api.patch(path, shop["owner_token"], {"credit_limit": 10**9}).status == 403
    assert api.patch(path, admin_token, {"credit_limit": -1}).status == 422
    assert api.patch(path, admin_token, {}).status == 422
    reply = api.patch(path, admin_token, {"credit_limit": 80_000_00, "payment_terms_days": 30})
    assert reply.status == 200
    assert (reply.data["credit_limit"], reply.data["payment_terms_days"], reply.data["available"]) == (
        80_000_00,
        30,
        80_000_00,
    )
    trail = api.get(f"/v1/audit?resource_type=retailer&resource_id={shop['retailer_id']}", admin_token).data
    assert trail[0]["action"] == "credit.terms_changed"
    assert trail[0]["changes"]["credit_limit"] == {"before": 50_000_00, "after": 80_000_00}
    clock.freeze(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    assert deliver(packs=1)["due_date"] == "2026-12-23"
    retailer = api.get(f"/v1/retailers/{shop['retailer_id']}", shop["owner_token"]).data
    assert retailer["credit_limit"] == 80_000_00
    assert api.get(f"/v1/retailers/{shop['retailer_id']}", shop["buyer_token"]).data["credit_limit"] is None


def test_a_limit_below_the_balance_blocks_credit_orders(api, shop, admin_token, deliver, catalog):
    order = deliver(packs=2)
    api.patch(f"/v1/retailers/{shop['retailer_id']}/credit", admin_token, {"credit_limit": 1000})
    view = credit(api, shop["owner_token"], shop["retailer_id"])
    assert view["available"] == 0 and view["balance"] == order["delivered_total"]
    refused = api.post(
        "/v1/orders",
        shop["buyer_token"],
        {"items": [{"product_id": catalog["oil"]["product_id"], "quantity": 4}], "payment_method": "credit"},
        headers=api.key(),
    )
    assert refused.status == 409 and refused.error["details"][0]["code"] == "credit_limit_exceeded"


def test_buyers_do_not_see_credit_or_the_ledger(api, shop):
    assert api.get(f"/v1/retailers/{shop['retailer_id']}/credit", shop["buyer_token"]).status == 403
    assert api.get(f"/v1/retailers/{shop['retailer_id']}/ledger", shop["buyer_token"]).status == 403


def test_the_ledger_filters_by_date(api, shop, deliver):
    clock.freeze(datetime(2026, 10, 1, 10, 0, tzinfo=UTC))
    october = deliver(packs=1)
    clock.freeze(datetime(2026, 11, 2, 10, 0, tzinfo=UTC))
    deliver(packs=1)
    path = f"/v1/retailers/{shop['retailer_id']}/ledger"
    entries = api.get(f"{path}?date_from=2026-10-01&date_to=2026-10-31", shop["owner_token"]).data
    assert [e["order_id"] for e in entries] == [october["order_id"]]
    assert len(api.get(path, shop["owner_token"]).data) == 2
