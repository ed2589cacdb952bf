"""An order's lifecycle: confirm, prepare, dispatch to a driver, back to the depot, cancel,
and delivery (maybe partial) with its receivable, cash at the door, stock returns and a
gapless invoice number. One conditional transaction per move."""

from __future__ import annotations

from typing import Any, cast

from chalicelib.accounts import items as accounts_items
from chalicelib.audit import service as audit
from chalicelib.catalog import stock as catalog
from chalicelib.core import clock
from chalicelib.core.errors import Conflict, NotFound, field_error
from chalicelib.core.observability import count, logger
from chalicelib.core.rbac import Actor, Role
from chalicelib.credit import account as credit
from chalicelib.credit import delivery as credit_delivery
from chalicelib.db import keys
from chalicelib.db.base import Item, read_many
from chalicelib.db.idempotency import Claim
from chalicelib.db.tx import Tx, TxCancelled, backoff, transaction
from chalicelib.events import bus, kinds
from chalicelib.orders import invoice, schemas
from chalicelib.orders.items import (
    RETRIES,
    counter_updates,
    history_event,
    next_number,
    sequence_key,
    vat_lines,
    view_order,
)
from chalicelib.orders.models import NumberClaim, Order, OrderLine
from chalicelib.orders.rules import Status, check_transition, delivered_quantities, totals


def transition(actor: Actor, order_id: str, data: schemas.TransitionIn, claim: Claim | None = None) -> Order:
    """Move an order along its lifecycle; one conditional transaction per move.

    The order update is conditioned on the `version` read, so of two concurrent moves
    exactly one wins; the other is read again and usually becomes a 409
    `invalid_order_transition` (the order is no longer where it was). With a `claim` (the
    request's Idempotency-Key) a retried move returns the order it moved, never a 409.
    """
    for attempt in range(RETRIES):
        order = view_order(actor, order_id, claim)  # one read: the session, the order, the key
        if claim and claim.replayed:
            return order
        if data.version is not None and data.version != int(order.version):
            raise Conflict("version_conflict", params={"current": int(order.version)})
        check_transition(actor, order, data)
        if data.driver_id:
            _ensure_driver(data.driver_id)
        try:
            result = (_deliver if data.to == Status.DELIVERED else _move)(actor, order, data, claim)
        except TxCancelled as exc:
            if claim and claim.lost(exc):  # a copy of this request moved it first
                claim.fetch()
                return view_order(actor, order_id)
            if "order" in exc.failed and data.version is not None:
                raise Conflict("version_conflict", params={"current": int(order.version) + 1}) from exc
            backoff(attempt)
            continue
        count(f"Order_{data.to.value}")
        return result
    raise Conflict("order_busy")


def _ensure_driver(user_id: str) -> None:
    try:
        user = accounts_items.get_user_item(user_id)
    except NotFound as exc:
        raise field_error("driver_id", "driver_not_found") from exc
    if user.role != Role.DRIVER or not user.is_active:
        raise field_error("driver_id", "driver_not_found")


def _header_update(
    tx: Tx, actor: Actor, order: Order, data: schemas.TransitionIn, extra: dict[str, Any], claim: Claim | None
) -> dict[str, Any]:
    """The order's own update: status, index keys, history, version (conditioned on the read),
    and the move's Idempotency-Key when it has one."""
    now = clock.iso()
    to = data.to.value
    values: dict[str, Any] = {
        "status": to,
        "GSI2PK": keys.order_status(to),
        "updated_at": now,
        "version": int(order.version) + 1,
        **extra,
    }
    code = data.reason_code.value if data.reason_code else None
    event = history_event(actor, order.status, to, now, data.reason, code)
    actions = [getattr(Order, name).set(value) for name, value in values.items() if value is not None]
    actions.append(Order.history.set(Order.history.append([event])))
    condition = (Order.version == int(order.version)) & (Order.status == order.status)
    tx.update(order, actions, condition=condition, label="order")
    if claim:
        claim.record(tx, {"order_id": order.order_id, "status": to})
    values["history"] = [*order.history, event]
    return values


def _why(data: schemas.TransitionIn) -> dict[str, str] | None:
    """What the audit keeps of a move's reason: its words and its code, where given."""
    why = {"reason": data.reason, "reason_code": data.reason_code.value if data.reason_code else None}
    return {name: text for name, text in why.items() if text} or None


def _move(actor: Actor, order: Order, data: schemas.TransitionIn, claim: Claim | None) -> Order:
    """Every transition but delivery: confirm, prepare, dispatch, back to the depot, cancel."""
    extra: dict[str, Any] = {}
    found: dict[tuple[str, str], Item] = {}
    cancelling = data.to == Status.CANCELLED
    if data.to == Status.OUT_FOR_DELIVERY and data.driver_id:
        extra.update(driver_id=data.driver_id, GSI3PK=keys.driver_orders(data.driver_id), GSI3SK=order.GSI2SK)
    if cancelling:
        found = read_many(catalog.product_keys(line.product_id for line in order.lines))
    with transaction() as tx:
        values = _header_update(tx, actor, order, data, extra, claim)
        if cancelling:
            returned = {line.product_id: int(line.quantity) for line in order.lines}
            catalog.put_back(tx, found, returned, actor, order.order_number, order.order_id, "cancellation")
            if int(order.credit_reserved):
                credit.release(tx, order.retailer_id, int(order.credit_reserved))
        audit.record(
            tx,
            actor,
            f"order.{data.to.value}",
            "order",
            order.order_id,
            retailer_id=order.retailer_id,
            before={"status": order.status},
            after={"status": data.to.value, **({"driver_id": data.driver_id} if data.driver_id else {})},
            metadata=_why(data),
        )
        counter_updates(tx, order.order_id, {order.status: -1, data.to.value: 1}, None)
        status = cast(kinds.OrderStatus, data.to.value)
        bus.record(tx, _moved(order, status, int(order.total_amount), data.driver_id or order.driver_id))
    for name, value in values.items():
        setattr(order, name, value)
    return order


def _moved(order: Order, status: kinds.OrderStatus, amount: int, driver_id: str | None) -> kinds.DomainEvent:
    """The domain event of an order reaching `status` (with its driver, once it has one)."""
    return kinds.order_moved(
        status,
        retailer_id=order.retailer_id,
        order_id=order.order_id,
        number=order.order_number,
        amount=amount,
        driver_id=driver_id,
    )


def _deliver(actor: Actor, order: Order, data: schemas.TransitionIn, claim: Claim | None) -> Order:
    """Delivered (maybe partly): undelivered quantities back to stock, the delivered amount
    a receivable, cash at the door a payment, a gapless invoice number — one transaction."""
    delivered = delivered_quantities(order, data.lines)
    priced = totals((delivered[line.product_id], int(line.unit_price), int(line.vat_rate)) for line in order.lines)
    money = _money(order, data.cash_collected, priced.total)
    returns = {line.product_id: int(line.quantity) - delivered[line.product_id] for line in order.lines}
    year = int(clock.local_date()[:4])
    wanted = [*credit_delivery.delivery_keys(order.retailer_id), sequence_key("INVOICE", year)]
    wanted += catalog.product_keys(pid for pid, qty in returns.items() if qty > 0)
    found = read_many(wanted)
    number = next_number(found, "INVOICE", "FA", year)
    with transaction() as tx:
        settled = credit_delivery.deliver(tx, actor, found, money)
        extra = {
            "lines": [_with_delivered(line, delivered[line.product_id]) for line in order.lines],
            "delivered_subtotal": priced.subtotal,
            "delivered_vat_total": priced.vat_total,
            "delivered_total": priced.total,
            "delivered_vat_breakdown": vat_lines(priced.vat_breakdown),
            "cash_collected": money.cash_collected,
            "stamp_duty": settled.stamp_duty,
            "due_date": settled.due_date,
            "invoice_number": number.text,
            "delivered_at": clock.iso(),
        }
        values = _header_update(tx, actor, order, data, extra, claim)
        catalog.put_back(tx, found, returns, actor, order.order_number, order.order_id, "undelivered")
        number.take(tx, "invoice_sequence")
        tx.create(
            NumberClaim(PK=keys.invoice_number(number.text), SK=keys.INVOICE_NUMBER_SK, order_id=order.order_id),
            label="invoice_number",
        )
        audit.record(
            tx,
            actor,
            "order.delivered",
            "order",
            order.order_id,
            retailer_id=order.retailer_id,
            before={"status": order.status},
            after={"status": Status.DELIVERED.value, **{k: extra[k] for k in _AUDITED}},
            metadata={"partial": any(q > 0 for q in returns.values()), "reason": data.reason},
        )
        day = {"delivered_count": 1, "delivered_amount": priced.total}
        counter_updates(tx, order.order_id, {order.status: -1, Status.DELIVERED: 1}, day)
        bus.record(tx, _moved(order, Status.DELIVERED.value, priced.total, order.driver_id))
    for name, value in values.items():
        setattr(order, name, value)
    try:
        invoice.store(order)
    except Exception:  # the delivery stands; GET …/invoice builds the file if it is missing
        logger.exception("invoice not stored", extra={"order_id": order.order_id})
    return order


_AUDITED = ("delivered_total", "cash_collected", "invoice_number")


def _money(order: Order, cash: int | None, delivered_total: int) -> credit_delivery.Delivery:
    """The money side of a delivery, asked of credit (cash is required for cash on delivery)."""
    if cash is None:
        if order.payment_method != schemas.PaymentMethod.CREDIT:
            raise field_error("cash_collected", "field_required")
        cash = 0
    return credit_delivery.Delivery(
        retailer_id=order.retailer_id,
        order_id=order.order_id,
        order_number=order.order_number,
        reserved=int(order.credit_reserved),
        delivered_total=delivered_total,
        cash_collected=cash,
    )


def _with_delivered(line: OrderLine, quantity: int) -> OrderLine:
    copy = OrderLine(**line.attribute_values)
    copy.delivered_quantity = quantity
    return copy
