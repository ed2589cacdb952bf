"""Orders' pure rules: the lifecycle's transition table (who may move an order where),
totals and VAT, merging an order's lines, who an order is placed for, what a delivery may
report. No I/O: everything here is decided from its arguments.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from chalicelib.core.errors import Conflict, Forbidden, NotFound, field_error
from chalicelib.core.money import percent
from chalicelib.core.rbac import Actor, Role
from chalicelib.orders import schemas

if TYPE_CHECKING:
    from chalicelib.orders.models import Order


Status = schemas.OrderStatus


# (from, to) -> roles allowed. A driver may only move orders assigned to them; a shop's
# users only their own shop's orders.
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (Status.PENDING, Status.CONFIRMED): frozenset({Role.ADMIN}),
    (Status.PENDING, Status.CANCELLED): frozenset({Role.ADMIN, Role.OWNER, Role.BUYER}),
    (Status.CONFIRMED, Status.PREPARING): frozenset({Role.ADMIN}),
    (Status.CONFIRMED, Status.CANCELLED): frozenset({Role.ADMIN}),
    (Status.PREPARING, Status.OUT_FOR_DELIVERY): frozenset({Role.ADMIN}),
    (Status.PREPARING, Status.CANCELLED): frozenset({Role.ADMIN}),
    (Status.OUT_FOR_DELIVERY, Status.DELIVERED): frozenset({Role.ADMIN, Role.DRIVER}),
    # the delivery failed (shop closed, not enough cash, refused…): the driver says why with a
    # reason code, and the order goes back to the depot, to re-dispatch or cancel
    (Status.OUT_FOR_DELIVERY, Status.PREPARING): frozenset({Role.ADMIN, Role.DRIVER}),
}


@dataclass(frozen=True)
class Totals:
    subtotal: int
    vat_breakdown: list[dict[str, int]]
    vat_total: int
    total: int


def totals(lines: Iterable[tuple[int, int, int]]) -> Totals:
    """Totals of `(quantity, unit_price, vat_rate)` lines, in centimes.

    VAT is computed once per rate on the sum of that rate's lines (rounded half up), as an
    invoice shows it, so the VAT of many small lines does not drift by rounding.
    """
    bases: dict[int, int] = {}
    for quantity, unit_price, rate in lines:
        bases[rate] = bases.get(rate, 0) + quantity * unit_price
    breakdown = [{"rate": rate, "base": base, "vat": percent(base, rate)} for rate, base in sorted(bases.items())]
    subtotal = sum(b["base"] for b in breakdown)
    vat_total = sum(b["vat"] for b in breakdown)
    return Totals(subtotal, breakdown, vat_total, subtotal + vat_total)


def merge_items(items: list[schemas.OrderItemIn]) -> dict[str, int]:
    """Quantities per product, first-seen order kept (a transaction touches an item once)."""
    merged: dict[str, int] = {}
    for item in items:
        merged[item.product_id] = merged.get(item.product_id, 0) + item.quantity
    return merged


REQUEST_AHEAD_DAYS = 14


def check_requested_date(day: date | None, today: date) -> None:
    """A delivery day a shop may ask for: today (Algiers) to 14 days ahead."""
    if day is None:
        return
    if day < today:
        raise field_error("requested_date", "date_in_past")
    if day > today + timedelta(days=REQUEST_AHEAD_DAYS):
        raise field_error("requested_date", "date_too_far", max_days=REQUEST_AHEAD_DAYS)


def order_retailer(actor: Actor, requested: str | None) -> str:
    if actor.is_admin:
        if not requested:
            raise field_error("retailer_id", "field_required")
        return requested
    if requested and requested != actor.retailer_id:
        raise NotFound()
    if not actor.retailer_id:
        raise Forbidden()
    return actor.retailer_id


def check_transition(actor: Actor, order: Order, data: schemas.TransitionIn) -> None:
    key = (order.status, data.to.value)
    roles = TRANSITIONS.get(key)
    if roles is None:
        raise Conflict("invalid_order_transition", params={"from_status": order.status, "to_status": data.to.value})
    if actor.role not in roles:
        # a move this user makes from another status (a shop cancels a pending order): the order
        # has moved on since, and the reply says where it stands rather than "not allowed"
        if any(actor.role in allowed for (_, to), allowed in TRANSITIONS.items() if to == data.to.value):
            raise Conflict("order_moved_on", params={"from_status": order.status, "to_status": data.to.value})
        raise Forbidden()
    if data.to == Status.OUT_FOR_DELIVERY and not (data.driver_id or order.driver_id):
        raise field_error("driver_id", "field_required")
    if data.driver_id and data.to != Status.OUT_FOR_DELIVERY:
        raise field_error("driver_id", "field_not_allowed")
    if (data.lines is not None or data.cash_collected is not None) and data.to != Status.DELIVERED:
        raise field_error("lines" if data.lines is not None else "cash_collected", "field_not_allowed")
    failed = key == (Status.OUT_FOR_DELIVERY, Status.PREPARING)
    if failed and data.reason_code is None:
        raise field_error("reason_code", "field_required")
    if not failed and data.reason_code is not None:
        raise field_error("reason_code", "field_not_allowed")
    if data.reason_code == schemas.FailureReason.OTHER and not data.reason:
        raise field_error("reason", "field_required")


def delivered_quantities(order: Order, lines: list[schemas.DeliveredLineIn] | None) -> dict[str, int]:
    ordered = {line.product_id: int(line.quantity) for line in order.lines}
    delivered = dict(ordered)
    seen: set[str] = set()
    for i, line in enumerate(lines or []):
        if line.product_id not in ordered:
            raise field_error(f"lines.{i}.product_id", "not_in_order")
        if line.product_id in seen:
            raise field_error(f"lines.{i}.product_id", "duplicate_line")
        seen.add(line.product_id)
        if line.delivered_quantity > ordered[line.product_id]:
            raise field_error(f"lines.{i}.delivered_quantity", "more_than_ordered", ordered=ordered[line.product_id])
        delivered[line.product_id] = line.delivered_quantity
    if not any(delivered.values()):
        raise field_error("lines", "nothing_delivered")
    return delivered
