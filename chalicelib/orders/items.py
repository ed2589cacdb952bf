"""Reading one order (404 unless the actor may see it), and what every write of an order
shares: its history event, its VAT lines, the dashboard counters, the retry budget."""

from __future__ import annotations

from pynamodb.exceptions import DoesNotExist

from chalicelib.core import clock
from chalicelib.core.errors import NotFound
from chalicelib.core.rbac import Actor, Role
from chalicelib.db import keys
from chalicelib.db.tx import Tx
from chalicelib.db.updates import typed
from chalicelib.orders.models import DayCounter, Order, OrderEvent, StatusCounter, VatLine

RETRIES = 8


def get_order_item(order_id: str) -> Order:
    try:
        return Order.get(keys.order(order_id), keys.ORDER_SK, consistent_read=True)
    except DoesNotExist as exc:
        raise NotFound() from exc


def ensure_visible(actor: Actor, order: Order) -> None:
    """Shops see their own orders, drivers the ones assigned to them: anything else is 404."""
    if actor.is_admin:
        return
    if actor.role == Role.DRIVER:
        if order.driver_id != actor.user_id:
            raise NotFound()
        return
    if actor.retailer_id != order.retailer_id:
        raise NotFound()


def view_order(actor: Actor, order_id: str) -> Order:
    order = get_order_item(order_id)
    ensure_visible(actor, order)
    return order


def history_event(actor: Actor, from_status: str | None, to_status: str, reason: str | None, at: str) -> OrderEvent:
    return OrderEvent(
        at=at,
        by=actor.user_id,
        by_username=actor.username,
        by_role=str(actor.role),
        from_status=from_status,
        to_status=to_status,
        reason=reason,
    )


def vat_lines(breakdown: list[dict[str, int]]) -> list[VatLine]:
    return [VatLine(**b) for b in breakdown]


def counter_updates(tx: Tx, shard_of: str, status_moves: dict[str, int], day: dict[str, int] | None) -> None:
    shard = keys.shard_of(shard_of)
    if status_moves:
        counter = StatusCounter(PK=keys.DASHBOARD, SK=keys.status_counter(shard))
        actions = [typed(StatusCounter), *(getattr(StatusCounter, status).add(n) for status, n in status_moves.items())]
        tx.update(counter, actions, label="status_counter")
    if day:
        counter_day = DayCounter(PK=keys.DASHBOARD, SK=keys.day_counter(clock.local_date(), shard))
        actions = [typed(DayCounter), *(getattr(DayCounter, name).add(n) for name, n in day.items())]
        tx.update(counter_day, actions, label="day_counter")
