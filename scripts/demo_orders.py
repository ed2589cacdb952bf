"""Demo orders for `make run`: a few weeks of El Baraka's and Wahrani's orders, so the
dashboard, the ledger, the overdue list and the invoices have something to show.

Dated in the past with the app clock (the same one the tests freeze), through the real
services: every stock move, ledger entry, receivable and counter is the one an HTTP call
would have written.
"""

from __future__ import annotations

from datetime import timedelta

from chalicelib.core import clock
from chalicelib.core.rbac import Actor
from chalicelib.credit import payments
from chalicelib.db import idempotency
from chalicelib.orders import items as order_items
from chalicelib.orders import lifecycle, placing, rules, schemas


def _order(actor: Actor, products: dict[str, str], lines: dict[str, int], credit_order: bool = False) -> str:
    data = schemas.OrderCreateIn(
        items=[schemas.OrderItemIn(product_id=products[sku], quantity=qty) for sku, qty in lines.items()],
        payment_method=schemas.PaymentMethod.CREDIT if credit_order else schemas.PaymentMethod.CASH_ON_DELIVERY,
    )
    return placing.place_order(actor, data, idempotency.once("demo")).order_id


def _move(actor: Actor, order_id: str, *steps: str, driver_id: str | None = None, **delivery: object) -> None:
    for to in steps:
        extra = dict(delivery) if to == "delivered" else {}
        if to == "out_for_delivery":
            extra["driver_id"] = driver_id
        lifecycle.transition(actor, order_id, schemas.TransitionIn(to=to, **extra))


def load(admin: Actor, driver: Actor, shops: dict[str, Actor], products: dict[str, str]) -> int:
    """Place and move the demo orders; returns how many were placed."""
    baraka, wahrani = shops["Supérette El Baraka"], shops["Alimentation Générale Wahrani"]
    now = clock.now()
    placed = 0
    dispatch = ("confirmed", "preparing", "out_for_delivery")
    try:
        # three weeks ago: a credit order delivered, now overdue
        clock.freeze(now - timedelta(days=21))
        old = _order(baraka, products, {"HUI-ELIO-5L": 8, "SEM-SIM-MOY-25": 4, "EAU-IFRI-150": 24}, credit_order=True)
        _move(admin, old, *dispatch, driver_id=driver.user_id)
        _move(driver, old, "delivered", cash_collected=0)
        # ten days ago: cash on delivery, paid at the door minus a little, one carton short
        clock.freeze(now - timedelta(days=10))
        cod = _order(baraka, products, {"HUI-ELIO-2L": 12, "EAU-IFRI-050": 24})
        _move(admin, cod, *dispatch, driver_id=driver.user_id)
        delivered = order_items.get_order_item(cod)
        short = schemas.DeliveredLineIn(product_id=products["EAU-IFRI-050"], delivered_quantity=12)
        quantities = {line.product_id: int(line.quantity) for line in delivered.lines}
        quantities[products["EAU-IFRI-050"]] = 12
        total = rules.totals(
            (quantities[line.product_id], int(line.unit_price), int(line.vat_rate)) for line in delivered.lines
        ).total
        _move(driver, cod, "delivered", lines=[short], cash_collected=total - 50000)
        # five days ago: a part of the old debt paid by cheque
        clock.freeze(now - timedelta(days=5))
        old_order = order_items.get_order_item(old)
        payments.record_payment(
            admin,
            old_order.retailer_id,
            old,
            old_order.order_number,
            200000,
            "cheque",
            "CHQ 184520",
            None,
            idempotency.once("demo"),
        )
        # Wahrani: a cancelled order and a confirmed credit order
        clock.freeze(now - timedelta(days=2))
        cancelled = _order(wahrani, products, {"EAU-MANS-5L": 10})
        lifecycle.transition(wahrani, cancelled, schemas.TransitionIn(to="cancelled", reason="Commande en double"))
        clock.freeze(now - timedelta(hours=5))
        confirmed = _order(wahrani, products, {"HUI-ELIO-5L": 4, "EAU-IFRI-150": 12}, credit_order=True)
        _move(admin, confirmed, "confirmed")
        # today: El Baraka's order on the road with Mourad, and a new pending one
        clock.freeze(now - timedelta(hours=2))
        road = _order(baraka, products, {"SEM-SIM-FIN-10": 5, "HUI-FLEURIAL-500": 12})
        _move(admin, road, *dispatch, driver_id=driver.user_id)
        clock.freeze(now - timedelta(minutes=20))
        _order(baraka, products, {"EAU-IFRI-150": 12, "HUI-ELIO-5L": 4})
        placed = 6
    finally:
        clock.freeze(None)
    return placed
