"""Orders: placing (priced by the server, one transaction), lifecycle, delivery, lists,
reorder, dashboard.

No HTTP here. Placing an order is one BatchGetItem (products, shop, credit account), one
UpdateItem (the yearly order-number sequence) and one TransactWriteItems holding the
order, its number claim, one conditional stock update and one stock-ledger line per
product, the credit reservation (credit orders) or a check that the shop is approved
(cash on delivery), the audit entry and the dashboard counters. A failed condition
cancels all of it. Stock moves are atomic ADDs guarded by conditions (never below zero,
the low-stock flag exact), so concurrent orders on one product do not retry each other out;
a transaction that fails is read again and retried, and a line that no longer fits is refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pynamodb.exceptions import DoesNotExist

from chalicelib.accounts import service as accounts
from chalicelib.audit import service as audit
from chalicelib.catalog import rules as catalog_rules
from chalicelib.catalog import stock as catalog
from chalicelib.core import clock
from chalicelib.core.errors import Conflict, Forbidden, NotFound, field_error
from chalicelib.core.ids import new_id
from chalicelib.core.money import percent
from chalicelib.core.observability import count, logger
from chalicelib.core.pagination import decode_cursor, encode_cursor
from chalicelib.core.rbac import Actor, Role
from chalicelib.credit import account as credit
from chalicelib.credit import delivery as credit_delivery
from chalicelib.credit import views as credit_views
from chalicelib.db import keys
from chalicelib.db.base import Item, read_many
from chalicelib.db.tx import Tx, TxCancelled, backoff, transaction
from chalicelib.db.updates import typed
from chalicelib.events import kinds, outbox
from chalicelib.orders import invoice, schemas
from chalicelib.orders.models import (
    DayCounter,
    NumberClaim,
    Order,
    OrderEvent,
    OrderLine,
    Sequence,
    StatusCounter,
    VatLine,
)

Status = schemas.OrderStatus
RETRIES = 8
RETAILER_APPROVED = "approved"

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
    # the delivery failed (shop closed, refused): back to the depot, to re-dispatch or cancel
    (Status.OUT_FOR_DELIVERY, Status.PREPARING): frozenset({Role.ADMIN}),
}


# ============================================================================ pricing


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


# ============================================================================ reading


def get_order_item(order_id: str) -> Order:
    try:
        return Order.get(keys.order(order_id), keys.ORDER_SK, consistent_read=True)
    except DoesNotExist as exc:
        raise NotFound() from exc


def _ensure_visible(actor: Actor, order: Order) -> None:
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
    _ensure_visible(actor, order)
    return order


# ============================================================================ placing


def _next_number(kind: str, prefix: str) -> str:
    """The next number of a yearly sequence (`LV-2026-000123`): one atomic UpdateItem."""
    year = int(clock.local_date()[:4])
    seq = Sequence(PK=keys.SEQUENCE, SK=keys.sequence(kind, year))
    seq.update(actions=[typed(Sequence), Sequence.value.add(1)])
    return f"{prefix}-{year}-{int(seq.value):06d}"


def _counter_updates(tx: Tx, shard_of: str, status_moves: dict[str, int], day: dict[str, int] | None) -> None:
    shard = keys.shard_of(shard_of)
    if status_moves:
        counter = StatusCounter(PK=keys.DASHBOARD, SK=keys.status_counter(shard))
        actions = [typed(StatusCounter), *(getattr(StatusCounter, status).add(n) for status, n in status_moves.items())]
        tx.update(counter, actions, label="status_counter")
    if day:
        counter_day = DayCounter(PK=keys.DASHBOARD, SK=keys.day_counter(clock.local_date(), shard))
        actions = [typed(DayCounter), *(getattr(DayCounter, name).add(n) for name, n in day.items())]
        tx.update(counter_day, actions, label="day_counter")


def _event(actor: Actor, from_status: str | None, to_status: str, reason: str | None, at: str) -> OrderEvent:
    return OrderEvent(
        at=at,
        by=actor.user_id,
        by_username=actor.username,
        by_role=str(actor.role),
        from_status=from_status,
        to_status=to_status,
        reason=reason,
    )


def _vat_lines(breakdown: list[dict[str, int]]) -> list[VatLine]:
    return [VatLine(**b) for b in breakdown]


def _order_retailer(actor: Actor, requested: str | None) -> str:
    if actor.is_admin:
        if not requested:
            raise field_error("retailer_id", "field_required")
        return requested
    if requested and requested != actor.retailer_id:
        raise NotFound()
    if not actor.retailer_id:
        raise Forbidden()
    return actor.retailer_id


def place_order(
    actor: Actor,
    data: schemas.OrderCreateIn,
    *,
    reorder_of: str | None = None,
) -> Order:
    """Price and place an order in one transaction; 409 `order_rejected` with per-line reasons."""
    retailer_id = _order_retailer(actor, data.retailer_id)
    quantities = merge_items(data.items)
    if len(quantities) > schemas.MAX_LINES:
        raise field_error("items", "too_many_products", max=schemas.MAX_LINES)
    index_of: dict[str, int] = {}
    for i, item in enumerate(data.items):
        index_of.setdefault(item.product_id, i)
    on_credit = data.payment_method == schemas.PaymentMethod.CREDIT
    retailer_key = (keys.retailer(retailer_id), keys.PROFILE)
    account_key = credit.account_key(retailer_id)
    number: str | None = None
    for attempt in range(RETRIES):
        found = read_many([retailer_key, account_key, *catalog.product_keys(quantities)])
        retailer = found.get(retailer_key)
        if retailer is None:
            raise NotFound()
        if retailer.status != RETAILER_APPROVED:
            raise Conflict("retailer_not_approved", params={"status": retailer.status})
        sold = catalog.quote(quantities, found, index_of)
        problems = list(sold.problems)
        priced = totals((line.quantity, line.unit_price, line.vat_rate) for line in sold.lines)
        refusal = credit.credit_refusal(found, retailer_id, priced.total) if on_credit else None
        if refusal:
            problems.append(refusal)
        if problems:
            count("OrderRejected")
            raise Conflict("order_rejected", details=problems)
        number = number or _next_number("ORDER", "LV")
        order = _new_order(actor, retailer, number, data, sold, priced, reorder_of)
        try:
            with transaction() as tx:
                tx.create(order, label="order")
                tx.create(
                    NumberClaim(PK=keys.order_number(number), SK=keys.ORDER_NUMBER_SK, order_id=order.order_id),
                    label="number",
                )
                catalog.take(tx, sold, actor, number, order.order_id)
                accounts.check_approved(tx, retailer_id)
                if on_credit:
                    credit.reserve(tx, retailer_id, priced.total)
                audit.record(
                    tx,
                    actor,
                    "order.placed",
                    "order",
                    order.order_id,
                    retailer_id=retailer_id,
                    after={
                        "status": order.status,
                        "total_amount": priced.total,
                        "payment_method": order.payment_method,
                    },
                    metadata={
                        "order_number": number,
                        "lines": len(quantities),
                        "on_behalf": actor.is_admin,
                        "reorder_of": reorder_of,
                    },
                )
                _counter_updates(
                    tx, order.order_id, {Status.PENDING: 1}, {"placed_count": 1, "placed_amount": priced.total}
                )
        except TxCancelled as exc:
            if "number" in exc.failed:
                number = None  # a number already claimed (a reset sequence): take the next one
            backoff(attempt)
            # stock, credit or the shop's status moved since we read them (or a write conflict):
            # read again; what no longer fits is refused with its reason
            continue
        count("OrderPlaced")
        return order
    raise Conflict("order_busy")


def _new_order(
    actor: Actor,
    retailer: Any,
    number: str,
    data: schemas.OrderCreateIn,
    sold: catalog.Quote,
    priced: Totals,
    reorder_of: str | None,
) -> Order:
    moment = clock.now()
    now = clock.iso(moment)
    order_id = new_id(moment)
    lines = [
        OrderLine(
            product_id=line.product_id,
            sku=line.sku,
            name_ar=line.name_ar,
            name_fr=line.name_fr,
            name_en=line.name_en,
            sale_unit=line.sale_unit,
            pack_size=line.pack_size,
            quantity=line.quantity,
            unit_price=line.unit_price,
            vat_rate=line.vat_rate,
        )
        for line in sold.lines
    ]
    on_credit = data.payment_method == schemas.PaymentMethod.CREDIT
    sort = keys.created_sort(now, order_id)
    return Order(
        PK=keys.order(order_id),
        SK=keys.ORDER_SK,
        GSI1PK=keys.retailer(retailer.retailer_id),
        GSI1SK=keys.order_in_retailer(now, order_id),
        GSI2PK=keys.order_status(Status.PENDING),
        GSI2SK=sort,
        order_id=order_id,
        order_number=number,
        retailer_id=retailer.retailer_id,
        retailer_name=retailer.business_name,
        status=Status.PENDING.value,
        payment_method=data.payment_method.value,
        lines=lines,
        subtotal=priced.subtotal,
        vat_total=priced.vat_total,
        total_amount=priced.total,
        vat_breakdown=_vat_lines(priced.vat_breakdown),
        credit_reserved=priced.total if on_credit else 0,
        delivery_address=data.delivery_address or f"{retailer.address}, {retailer.commune}",
        notes=data.notes,
        placed_by=actor.user_id,
        placed_by_role=str(actor.role),
        reorder_of=reorder_of,
        history=[_event(actor, None, Status.PENDING, None, now)],
        created_at=now,
        updated_at=now,
        version=1,
    )


def reorder(actor: Actor, order_id: str, data: schemas.ReorderIn) -> Order:
    """A new order with a past order's products and quantities, priced at today's prices."""
    past = view_order(actor, order_id)
    request = schemas.OrderCreateIn(
        items=[schemas.OrderItemIn(product_id=line.product_id, quantity=int(line.quantity)) for line in past.lines],
        payment_method=data.payment_method or schemas.PaymentMethod(past.payment_method),
        delivery_address=data.delivery_address or past.delivery_address,
        notes=data.notes,
        retailer_id=past.retailer_id if actor.is_admin else None,
    )
    return place_order(actor, request, reorder_of=past.order_id)


# ============================================================================ lifecycle


def _check_transition(actor: Actor, order: Order, data: schemas.TransitionIn) -> None:
    key = (order.status, data.to.value)
    roles = TRANSITIONS.get(key)
    if roles is None:
        raise Conflict("invalid_order_transition", params={"from_status": order.status, "to_status": data.to.value})
    if actor.role not in roles:
        raise Forbidden()
    if data.to == Status.OUT_FOR_DELIVERY and not (data.driver_id or order.driver_id):
        raise field_error("driver_id", "field_required")
    if data.driver_id and data.to != Status.OUT_FOR_DELIVERY:
        raise field_error("driver_id", "field_not_allowed")
    if (data.lines is not None or data.cash_collected is not None) and data.to != Status.DELIVERED:
        raise field_error("lines" if data.lines is not None else "cash_collected", "field_not_allowed")
    if key == (Status.OUT_FOR_DELIVERY, Status.PREPARING) and not data.reason:
        raise field_error("reason", "field_required")


def _delivered_quantities(order: Order, lines: list[schemas.DeliveredLineIn] | None) -> dict[str, int]:
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
        _check_transition(actor, order, data)
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
    event = _event(actor, order.status, to, reason, now)
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
        _counter_updates(tx, order.order_id, {order.status: -1, data.to.value: 1}, None)
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
    delivered = _delivered_quantities(order, data.lines)
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
            "delivered_vat_breakdown": _vat_lines(priced.vat_breakdown),
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
        _counter_updates(
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


def invoice_link(actor: Actor, order_id: str) -> dict[str, Any]:
    return invoice.link(view_order(actor, order_id))


# ============================================================================ lists


def list_orders(actor: Actor, query: schemas.OrderListQuery) -> tuple[list[Order], str | None]:
    """A shop's orders, a driver's deliveries, or (admins) a shop's or a status' orders,
    newest first, optionally between two dates."""
    low = query.date_from.isoformat() if query.date_from else "0"  # below any timestamp
    high = (query.date_to.isoformat() + "T99") if query.date_to else "~"
    status_filter = Order.status == query.status.value if query.status else None
    if actor.is_admin and query.driver_id:
        index, pk, prefix = Order.gsi3, keys.driver_orders(query.driver_id), ""
    elif actor.role == Role.DRIVER:
        if query.retailer_id or (query.driver_id and query.driver_id != actor.user_id):
            raise NotFound()
        index, pk, prefix = Order.gsi3, keys.driver_orders(actor.user_id or ""), ""
    elif actor.is_admin and not query.retailer_id:
        status = query.status.value if query.status else Status.PENDING.value
        index, pk, prefix = Order.gsi2, keys.order_status(status), ""
        status_filter = None
    else:
        retailer_id = query.retailer_id if actor.is_admin else actor.retailer_id
        if not actor.is_admin and query.retailer_id and query.retailer_id != actor.retailer_id:
            raise NotFound()
        index, pk, prefix = Order.gsi1, keys.retailer(retailer_id or ""), keys.ORDER_IN_RETAILER_PREFIX
    sort_attr = {Order.gsi1: Order.GSI1SK, Order.gsi2: Order.GSI2SK, Order.gsi3: Order.GSI3SK}[index]
    scope = f"orders|{pk}|{query.status}|{low}|{high}"
    result = index.query(
        pk,
        sort_attr.between(prefix + low, prefix + high),
        filter_condition=status_filter,
        scan_index_forward=False,
        limit=query.limit,
        last_evaluated_key=decode_cursor(query.cursor, scope),
    )
    items = [o for o in result if isinstance(o, Order)][: query.limit]
    return items, encode_cursor(result.last_evaluated_key, scope)


# ============================================================================ views


def _line_view(line: OrderLine, lang: str) -> dict[str, Any]:
    name, used = catalog_rules.localized({"ar": line.name_ar, "fr": line.name_fr, "en": line.name_en}, lang)
    quantity = int(line.quantity)
    unit_price, rate = int(line.unit_price), int(line.vat_rate)
    subtotal = quantity * unit_price
    return {
        "product_id": line.product_id,
        "sku": line.sku,
        "name": name or line.sku,
        "name_language": used,
        "sale_unit": line.sale_unit,
        "pack_size": int(line.pack_size),
        "quantity": quantity,
        "delivered_quantity": None if line.delivered_quantity is None else int(line.delivered_quantity),
        "unit_price": unit_price,
        "unit_price_with_vat": unit_price + percent(unit_price, rate),
        "vat_rate": rate,
        "line_subtotal": subtotal,
        "line_total": subtotal + percent(subtotal, rate),
    }


def _vat_view(lines: list[VatLine] | None) -> list[dict[str, int]] | None:
    if lines is None:
        return None
    return [{"rate": int(v.rate), "base": int(v.base), "vat": int(v.vat)} for v in lines]


def _num(value: Any) -> int | None:
    return None if value is None else int(value)


def summary_view(order: Order) -> dict[str, Any]:
    return {
        "order_id": order.order_id,
        "order_number": order.order_number,
        "retailer_id": order.retailer_id,
        "retailer_name": order.retailer_name,
        "status": order.status,
        "payment_method": order.payment_method,
        "line_count": len(order.lines),
        "total_amount": int(order.total_amount),
        "delivered_total": _num(order.delivered_total),
        "driver_id": order.driver_id,
        "created_at": order.created_at,
        "updated_at": order.updated_at,
        "version": int(order.version),
    }


def order_view(order: Order, lang: str) -> dict[str, Any]:
    return {
        **summary_view(order),
        "lines": [_line_view(line, lang) for line in order.lines],
        "subtotal": int(order.subtotal),
        "vat_total": int(order.vat_total),
        "vat_breakdown": _vat_view(order.vat_breakdown),
        "delivered_subtotal": _num(order.delivered_subtotal),
        "delivered_vat_total": _num(order.delivered_vat_total),
        "delivered_vat_breakdown": _vat_view(order.delivered_vat_breakdown),
        "cash_collected": _num(order.cash_collected),
        "stamp_duty": _num(order.stamp_duty),
        "due_date": order.due_date,
        "credit_reserved": int(order.credit_reserved),
        "delivery_address": order.delivery_address,
        "notes": order.notes,
        "placed_by": order.placed_by,
        "placed_by_role": order.placed_by_role,
        "reorder_of": order.reorder_of,
        "invoice_number": order.invoice_number,
        "delivered_at": order.delivered_at,
        "history": [
            {
                "at": e.at,
                "by": e.by,
                "by_username": e.by_username,
                "by_role": e.by_role,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "reason": e.reason,
            }
            for e in order.history
        ],
    }


# ============================================================================ dashboard


def dashboard() -> dict[str, Any]:
    """Admin dashboard from counters maintained on write (five small Queries, no scan)."""
    by_status = {s.value: 0 for s in Status}
    for counter in StatusCounter.query(keys.DASHBOARD, StatusCounter.SK.startswith("STATUS#")):
        for status in by_status:
            by_status[status] += int(getattr(counter, status) or 0)
    today = clock.local_date()
    sums = ("placed_count", "placed_amount", "delivered_count", "delivered_amount")

    def total(condition: Any) -> dict[str, int]:
        out = dict.fromkeys(sums, 0)
        for counter in DayCounter.query(keys.DASHBOARD, condition):
            for name in sums:
                out[name] += int(getattr(counter, name) or 0)
        return out

    month = today[:7]
    return {
        "orders_by_status": by_status,
        "today": total(DayCounter.SK.startswith(f"DAY#{today}#")),
        "this_month": total(DayCounter.SK.between(f"DAY#{month}-01", f"DAY#{month}-31~")),
        **credit_views.exposure(),
        "as_of": clock.iso(),
        "day": today,
    }
