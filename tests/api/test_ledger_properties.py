"""Ledger properties (hypothesis): for any sequence of orders, deliveries, payments,
reversals and cancellations, the books balance and no payment exceeds what is owed."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chalicelib.accounts import retailers as accounts_retailers
from chalicelib.accounts import schemas as account_schemas
from chalicelib.accounts import staff as accounts_staff
from chalicelib.catalog import categories
from chalicelib.catalog import products as catalog_products
from chalicelib.catalog import schemas as catalog_schemas
from chalicelib.core.errors import AppError
from chalicelib.core.rbac import Actor, Role
from chalicelib.credit import account as credit
from chalicelib.credit import payments as credit_payments
from chalicelib.credit.models import LedgerEntry
from chalicelib.db import keys
from chalicelib.db.idempotency import once
from chalicelib.orders import items as order_items
from chalicelib.orders import lifecycle, placing, rules, schemas

ADMIN = Actor(user_id="01HADM1N000000000000000000", role=Role.ADMIN, username="admin")
_shops = itertools.count(1)

order_op = st.tuples(st.just("order"), st.integers(1, 6), st.booleans())
deliver_op = st.tuples(st.just("deliver"), st.integers(0, 20), st.floats(0, 1), st.floats(0, 1))
pay_op = st.tuples(st.just("pay"), st.floats(0, 1.2), st.sampled_from(["cash", "cheque", "transfer"]))
# weighted: money moves more often than cancellations and reversals
op = st.one_of(
    order_op,
    order_op,
    deliver_op,
    deliver_op,
    deliver_op,
    pay_op,
    pay_op,
    st.tuples(st.just("cancel"), st.integers(0, 20)),
    st.tuples(st.just("reverse"), st.integers(0, 20)),
)


@pytest.fixture
def world(aws):
    driver, _ = accounts_staff.create_staff_user("driver", "driver-pass-2026", "Driver", role=Role.DRIVER)
    category = categories.create_category(ADMIN, catalog_schemas.CategoryCreateIn(names={"ar": "زيوت"}))
    products = [
        catalog_products.create_product(
            ADMIN,
            catalog_schemas.ProductCreateIn(
                sku=f"OIL-{i}",
                category_id=category.category_id,
                names={"ar": f"زيت {i}"},
                sale_unit="bottle",
                pack_size=2,
                base_price=price,
                vat_rate=rate,
                stock_quantity=10_000,
            ),
        )
        for i, (price, rate) in enumerate([(12345, 9), (50000, 19)])
    ]
    return [p.product_id for p in products], Actor(user_id=driver.user_id, role=Role.DRIVER, username="driver")


def _new_shop() -> str:
    n = next(_shops)
    owner = {
        "username": f"prop{n}",
        "password": "prop-pass-2026",
        "full_name": "Owner",
        "phone": f"0771{200000 + n:06d}",
    }
    data = account_schemas.RetailerRegistration.model_validate(
        {
            "business_name": f"Shop {n}",
            "business_type": "superette",
            "registration_number": f"16/00-{2000000 + n} B 19",
            "tax_number": f"{1916091234 + n:015d}",
            "phone": f"0661{200000 + n:06d}",
            "address": "1 rue Larbi Ben M'hidi",
            "wilaya": 16,
            "commune": "Alger-Centre",
            "owner": owner,
        }
    )
    retailer, _, _ = accounts_retailers.register_retailer(Actor(user_id=None, role="public"), data)
    accounts_retailers.change_retailer_status(ADMIN, retailer.retailer_id, "approve", credit_limit=3_000_000)
    return retailer.retailer_id


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.tuples(order_op, order_op).map(list) | st.just([]), more=st.lists(op, min_size=3, max_size=10))
def test_balance_is_delivered_minus_paid(world, ops, more):
    ops = ops + more
    product_ids, driver = world
    retailer_id = _new_shop()
    shop = Actor(user_id="01HBUYER000000000000000000", role=Role.BUYER, retailer_id=retailer_id, username="buyer")
    placed: list[str] = []
    delivered_sum = paid_sum = 0
    payments: list[str] = []
    for step in ops:
        kind = step[0]
        if kind == "order":
            _, packs, on_credit = step
            items = [schemas.OrderItemIn(product_id=pid, quantity=2 * packs) for pid in product_ids]
            method = schemas.PaymentMethod.CREDIT if on_credit else schemas.PaymentMethod.CASH_ON_DELIVERY
            try:
                placed.append(
                    placing.place_order(
                        shop, schemas.OrderCreateIn(items=items, payment_method=method), once("t")
                    ).order_id
                )
            except AppError as exc:
                assert exc.code == "order_rejected"  # credit limit reached
        elif kind == "cancel" and placed:
            order = order_items.get_order_item(placed[step[1] % len(placed)])
            try:
                lifecycle.transition(ADMIN, order.order_id, schemas.TransitionIn(to="cancelled"))
            except AppError as exc:
                assert exc.code == "invalid_order_transition"
                assert order.status in ("out_for_delivery", "delivered", "cancelled")
        elif kind == "deliver" and placed:
            order = order_items.get_order_item(placed[step[1] % len(placed)])
            if order.status in ("delivered", "cancelled"):
                continue
            for to in ("confirmed", "preparing", "out_for_delivery")[
                ["pending", "confirmed", "preparing", "out_for_delivery"].index(order.status) :
            ]:
                lifecycle.transition(
                    ADMIN,
                    order.order_id,
                    schemas.TransitionIn(to=to, driver_id=driver.user_id if to == "out_for_delivery" else None),
                )
            lines = [
                schemas.DeliveredLineIn(
                    product_id=line.product_id, delivered_quantity=max(1, int(line.quantity * step[2]))
                )
                for line in order.lines
            ]
            total = rules.totals(
                (d.delivered_quantity, int(ln.unit_price), int(ln.vat_rate))
                for d, ln in zip(lines, order.lines, strict=True)
            ).total
            cash = int(total * step[3])
            done = lifecycle.transition(
                driver, order.order_id, schemas.TransitionIn(to="delivered", lines=lines, cash_collected=cash)
            )
            assert done.delivered_total == total
            delivered_sum += total
            paid_sum += cash
        elif kind == "pay":
            owed = int(credit.get_account(retailer_id).balance)
            amount = int(owed * step[1])
            if amount < 1 or not placed:
                continue
            try:
                entry = credit_payments.record_payment(
                    ADMIN, retailer_id, placed[0], "LV", amount, step[2], None, None, once("t")
                )
            except AppError as exc:
                assert exc.code == "payment_exceeds_balance" and amount > owed
                continue
            assert amount <= owed
            paid_sum += amount
            payments.append(entry.entry_id)
        elif kind == "reverse" and payments:
            entry_id = payments[step[1] % len(payments)]
            entry = credit_payments.get_entry(retailer_id, entry_id)
            try:
                credit_payments.reverse_payment(ADMIN, retailer_id, entry_id, "correction")
            except AppError as exc:
                assert exc.code == "already_reversed"
                continue
            paid_sum += int(entry.amount)  # amount is negative: the payment no longer counts
        account = credit.get_account(retailer_id)
        receivables = credit.open_receivables(retailer_id)
        assert int(account.balance) == delivered_sum - paid_sum
        assert sum(int(r.remaining) for r in receivables) == int(account.balance)
        assert all(int(r.remaining) > 0 for r in receivables)
        assert account.oldest_due_date == (min(r.due_date for r in receivables) if receivables else None)
        open_credit = sum(
            int(o.credit_reserved)
            for o in (order_items.get_order_item(i) for i in placed)
            if o.status not in ("delivered", "cancelled")
        )
        assert int(account.open_orders_amount) == open_credit
        assert int(account.available) == int(account.credit_limit) - int(account.balance) - open_credit
    entries = list(LedgerEntry.query(keys.retailer(retailer_id), LedgerEntry.SK.startswith(keys.LEDGER_PREFIX)))
    running = 0
    for entry in entries:  # oldest first: every balance_after follows from the amounts
        running += int(entry.amount)
        assert int(entry.balance_after) == running
    assert running == delivered_sum - paid_sum
