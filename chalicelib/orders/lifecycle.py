"""An order's lifecycle: confirm, prepare, dispatch to a driver, back to the depot, cancel,
and delivery (maybe partial) with its receivable, cash at the door, stock returns and a
gapless invoice number. One conditional transaction per move."""

from __future__ import annotations

from typing import Any

from chalicelib.accounts import service as accounts
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
from chalicelib.db.tx import Tx, TxCancelled, backoff, transaction
from chalicelib.db.updates import typed
from chalicelib.events import kinds, outbox
from chalicelib.orders import invoice, schemas
from chalicelib.orders.items import RETRIES, counter_updates, history_event, vat_lines, view_order
from chalicelib.orders.models import NumberClaim, Order, OrderLine, Sequence
from chalicelib.orders.rules import Status, check_transition, delivered_quantities, totals


def transition(actor: Actor, order_id: str, data: schemas.TransitionIn) -> Order:
    """Move an order along its lifecycle; one conditional transaction per move.

    The order update is conditioned on the `version` read, so of two concurrent moves
    exactly one wins; the other is read again and usually becomes a 409
    `invalid_order_transition` (the order is no longer where it was).
    """
    for attempt in range(RETRIES):
        order = view_order(actor, order_id)
        if data.version is not None and data.version != int(order.version):
            raise Conflict("version_conflict", params={"current": int(order.version)})
        check_transition(actor, order, data)
        if data.driver_id:
            _ensure_driver(data.driver_id)
        try:
            result = _deliver(actor, order, data) if data.to == Status.DELIVERED else _move(actor, order, data)
        except TxCancelled as exc:
            if "order" in exc.failed and data.version is not None:
                raise Conflict("version_conflict", params={"current": int(order.version) + 1}) from exc
            backoff(attempt)
            continue
        count(f"Order_{data.to.value}")
        return result
    raise Conflict("order_busy")


def _ensure_driver(user_id: str) -> None:
    try:
        user = accounts.get_user_item(user_id)
    except NotFound as exc:
        raise field_error("driver_id", "driver_not_found") from exc
    if user.role != Role.DRIVER or not user.is_active:
        raise field_error("driver_id", "driver_not_found")


def _header_update(
    tx: Tx, actor: Actor, order: Order, to: str, reason: str | None, extra: dict[str, Any]
) -> dict[str, Any]:
    """The order's own update: status, index keys, history, version (conditioned on the read)."""
    now = clock.iso()
    values: dict[str, Any] = {
        "status": to,
        "GSI2PK": keys.order_status(to),
        "updated_at": now,
        "version": int(order.version) + 1,
        **extra,
    }
    event = history_event(actor, order.status, to, reason, now)
    actions = [getattr(Order, name).set(value) for name, value in values.items() if value is not None]
    actions.append(Order.history.set(Order.history.append([event])))
    condition = (Order.version == int(order.version)) & (Order.status == order.status)
    tx.update(order, actions, condition=condition, label="order")
    values["history"] = [*order.history, event]
    return values


def _move(actor: Actor, order: Order, data: schemas.TransitionIn) -> Order:
    """Every transition but delivery: confirm, prepare, dispatch, back to the depot, cancel."""
    extra: dict[str, Any] = {}
    found: dict[tuple[str, str], Item] = {}
    cancelling = data.to == Status.CANCELLED
    if data.to == Status.OUT_FOR_DELIVERY and data.driver_id:
        extra.update(driver_id=data.driver_id, GSI3PK=keys.driver_orders(data.driver_id), GSI3SK=order.GSI2SK)
    if cancelling:
        found = read_many(catalog.product_keys(line.product_id for line in order.lines))
    with transaction() as tx:
        values = _header_update(tx, actor, order, data.to.value, data.reason, extra)
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
            metadata={"reason": data.reason} if data.reason else None,
        )
        counter_updates(tx, order.order_id, {order.status: -1, data.to.value: 1}, None)
        outbox.record(tx, _moved(order, data.to.value, int(order.total_amount)))
    for name, value in values.items():
        setattr(order, name, value)
    return order


def _moved(order: Order, status: kinds.OrderStatus, amount: int) -> kinds.DomainEvent:
    """The domain event of an order reaching `status`."""
    return kinds.order_moved(
        status, retailer_id=order.retailer_id, order_id=order.order_id, number=order.order_number, amount=amount
    )


def _invoice_sequence(year: int) -> tuple[str, str]:
    return keys.SEQUENCE, keys.sequence("INVOICE", year)


def _deliver(actor: Actor, order: Order, data: schemas.TransitionIn) -> Order:
    """Delivered (maybe partly): undelivered quantities back to stock, the delivered amount
    a receivable, cash at the door a payment, a gapless invoice number — one transaction."""
    delivered = delivered_quantities(order, data.lines)
    on_credit = order.payment_method == schemas.PaymentMethod.CREDIT
    priced = totals((delivered[line.product_id], int(line.unit_price), int(line.vat_rate)) for line in order.lines)
    cash = data.cash_collected
    if cash is None:
        if not on_credit:
            raise field_error("cash_collected", "field_required")
        cash = 0
    money = credit_delivery.Delivery(
        retailer_id=order.retailer_id,
        order_id=order.order_id,
        order_number=order.order_number,
        reserved=int(order.credit_reserved),
        delivered_total=priced.total,
        cash_collected=cash,
    )
    year = int(clock.local_date()[:4])
    returns = {line.product_id: int(line.quantity) - delivered[line.product_id] for line in order.lines}
    wanted = [*credit_delivery.delivery_keys(order.retailer_id), _invoice_sequence(year)]
    wanted += catalog.product_keys(pid for pid, qty in returns.items() if qty > 0)
    found = read_many(wanted)
    seq = found.get(_invoice_sequence(year))
    last = int(seq.value) if seq is not None else 0
    invoice_number = f"FA-{year}-{last + 1:06d}"
    new_lines = []
    for line in order.lines:
        copy = OrderLine(**line.attribute_values)
        copy.delivered_quantity = delivered[line.product_id]
        new_lines.append(copy)
    now = clock.iso()
    with transaction() as tx:
        result = credit_delivery.deliver(tx, actor, found, money)
        extra = {
            "lines": new_lines,
            "delivered_subtotal": priced.subtotal,
            "delivered_vat_total": priced.vat_total,
            "delivered_total": priced.total,
            "delivered_vat_breakdown": vat_lines(priced.vat_breakdown),
            "cash_collected": cash,
            "stamp_duty": result.stamp_duty,
            "due_date": result.due_date,
            "invoice_number": invoice_number,
            "delivered_at": now,
        }
        values = _header_update(tx, actor, order, Status.DELIVERED, data.reason, extra)
        catalog.put_back(tx, found, returns, actor, order.order_number, order.order_id, "undelivered")
        seq_item = Sequence(PK=keys.SEQUENCE, SK=keys.sequence("INVOICE", year))
        tx.update(
            seq_item,
            [typed(Sequence), Sequence.value.set(last + 1)],
            condition=(Sequence.value == last) if seq is not None else Sequence.value.does_not_exist(),
            label="invoice_sequence",
        )
        tx.create(
            NumberClaim(PK=keys.invoice_number(invoice_number), SK=keys.INVOICE_NUMBER_SK, order_id=order.order_id),
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
            after={
                "status": Status.DELIVERED.value,
                "delivered_total": priced.total,
                "cash_collected": cash,
                "invoice_number": invoice_number,
            },
            metadata={"partial": any(q > 0 for q in returns.values()), "reason": data.reason},
        )
        counter_updates(
            tx,
            order.order_id,
            {order.status: -1, Status.DELIVERED: 1},
            {"delivered_count": 1, "delivered_amount": priced.total},
        )
        outbox.record(tx, _moved(order, Status.DELIVERED.value, priced.total))
    for name, value in values.items():
        setattr(order, name, value)
    try:
        invoice.store(order)
    except Exception:  # the delivery stands; GET …/invoice builds the file if it is missing
        logger.exception("invoice not stored", extra={"order_id": order.order_id})
    return order
