"""Placing an order (priced by the server, one transaction) and reordering a past one.

Placing an order is one BatchGetItem (the caller's session, products, shop, credit
account, the year's order sequence, the Idempotency-Key) and one TransactWriteItems holding
the order, its number (the sequence moved from the value read, and a claim of the number),
one conditional stock update and one stock-ledger line per product, the credit reservation
(credit orders), a check that the shop is approved, the Idempotency-Key's record, the audit
entry and the dashboard counters. A failed condition cancels all of it. Stock moves are
atomic ADDs guarded by conditions (never below zero, the low-stock flag exact); a
transaction that fails is read again and retried, and a line that no longer fits is refused.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from chalicelib.accounts import retailers as accounts_retailers
from chalicelib.audit import service as audit
from chalicelib.catalog import stock as catalog
from chalicelib.core import clock
from chalicelib.core.errors import Conflict, NotFound, field_error
from chalicelib.core.ids import new_id
from chalicelib.core.observability import count
from chalicelib.core.rbac import Actor
from chalicelib.credit import account as credit
from chalicelib.db import keys
from chalicelib.db.base import read_many
from chalicelib.db.idempotency import Claim
from chalicelib.db.tx import Tx, TxCancelled, backoff, transaction
from chalicelib.events import bus, kinds
from chalicelib.orders import schemas
from chalicelib.orders.items import (
    RETRIES,
    NextNumber,
    counter_updates,
    get_order_item,
    history_event,
    next_number,
    sequence_key,
    vat_lines,
    view_order,
)
from chalicelib.orders.models import NumberClaim, Order, OrderLine
from chalicelib.orders.rules import Status, Totals, check_requested_date, merge_items, order_retailer, totals

RETAILER_APPROVED = "approved"


def place_order(
    actor: Actor,
    data: schemas.OrderCreateIn,
    claim: Claim,
    *,
    reorder_of: str | None = None,
) -> Order:
    """Price and place an order in one transaction; 409 `order_rejected` with per-line reasons.

    Two DynamoDB calls, whatever the order's size: one BatchGetItem (the session, the shop,
    its credit account, the year's order sequence, the Idempotency-Key, the products) and one
    TransactWriteItems. A key used already returns the order it placed (`claim.replayed`)."""
    retailer_id = order_retailer(actor, data.retailer_id)
    check_requested_date(data.requested_date, date.fromisoformat(clock.local_date()))
    quantities = merge_items(data.items)
    if len(quantities) > schemas.MAX_LINES:
        raise field_error("items", "too_many_products", max=schemas.MAX_LINES)
    year = int(clock.local_date()[:4])
    retailer_key = (keys.retailer(retailer_id), keys.PROFILE)
    wanted = [retailer_key, credit.account_key(retailer_id), sequence_key("ORDER", year), claim.item_key]
    wanted += catalog.product_keys(quantities)
    for attempt in range(RETRIES):
        found = read_many(wanted)
        earlier = claim.read(found)
        if earlier:
            return get_order_item(earlier["order_id"])
        retailer = found.get(retailer_key)
        sold, priced = _priced(data, retailer, found, quantities)
        number = next_number(found, "ORDER", "LV", year)
        order = _new_order(actor, retailer, number.text, data, sold, priced, reorder_of)
        try:
            with transaction() as tx:
                _write(tx, actor, order, sold, number, claim)
        except TxCancelled as exc:
            if claim.lost(exc):  # a copy of this request placed it first
                return get_order_item(claim.fetch()["order_id"])
            # stock, credit, the sequence or the shop's status moved since we read them (or a
            # write conflict): read again; what no longer fits is refused with its reason
            backoff(attempt)
            continue
        count("OrderPlaced")
        return order
    raise Conflict("order_busy")


def _priced(
    data: schemas.OrderCreateIn, retailer: Any, found: dict[tuple[str, str], Any], quantities: dict[str, int]
) -> tuple[catalog.Quote, Totals]:
    """The lines as sold and their totals, or 409 with every reason the order cannot be placed."""
    if retailer is None:
        raise NotFound()
    if retailer.status != RETAILER_APPROVED:
        raise Conflict("retailer_not_approved", params={"status": retailer.status})
    index_of: dict[str, int] = {}
    seen: dict[str, int] = {}  # a product's first line that says the price it saw
    for i, item in enumerate(data.items):
        index_of.setdefault(item.product_id, i)
        if item.price_seen is not None:
            seen.setdefault(item.product_id, item.price_seen)
    sold = catalog.quote(quantities, found, index_of, seen)
    problems = list(sold.problems)
    priced = totals((line.quantity, line.unit_price, line.vat_rate) for line in sold.lines)
    if data.payment_method == schemas.PaymentMethod.CREDIT:
        refusal = credit.credit_refusal(found, retailer.retailer_id, priced.total)
        if refusal:
            problems.append(refusal)
    if problems:
        count("OrderRejected")
        raise Conflict("order_rejected", details=problems)
    return sold, priced


def _write(tx: Tx, actor: Actor, order: Order, sold: catalog.Quote, number: NextNumber, claim: Claim) -> None:
    """The order, its number, the stock it takes, the credit it reserves, the key it uses."""
    tx.create(order, label="order")
    number.take(tx, "sequence")
    tx.create(
        NumberClaim(PK=keys.order_number(number.text), SK=keys.ORDER_NUMBER_SK, order_id=order.order_id),
        label="number",
    )
    catalog.take(tx, sold, actor, number.text, order.order_id)
    accounts_retailers.check_approved(tx, order.retailer_id)
    if int(order.credit_reserved):
        credit.reserve(tx, order.retailer_id, int(order.credit_reserved))
    claim.record(tx, {"order_id": order.order_id})
    total = int(order.total_amount)
    audit.record(
        tx,
        actor,
        "order.placed",
        "order",
        order.order_id,
        retailer_id=order.retailer_id,
        after={"status": order.status, "total_amount": total, "payment_method": order.payment_method},
        metadata={
            "order_number": number.text,
            "lines": len(order.lines),
            "on_behalf": actor.is_admin,
            "reorder_of": order.reorder_of,
        },
    )
    counter_updates(tx, order.order_id, {Status.PENDING: 1}, {"placed_count": 1, "placed_amount": total})
    placed = kinds.order_placed(
        retailer_id=order.retailer_id, order_id=order.order_id, number=number.text, amount=total
    )
    bus.record(tx, placed)


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
        delivery_phone=retailer.phone,
        status=Status.PENDING.value,
        payment_method=data.payment_method.value,
        lines=lines,
        subtotal=priced.subtotal,
        vat_total=priced.vat_total,
        total_amount=priced.total,
        vat_breakdown=vat_lines(priced.vat_breakdown),
        credit_reserved=priced.total if on_credit else 0,
        delivery_address=data.delivery_address or f"{retailer.address}, {retailer.commune}",
        requested_date=data.requested_date.isoformat() if data.requested_date else None,
        notes=data.notes,
        placed_by=actor.user_id,
        placed_by_role=str(actor.role),
        reorder_of=reorder_of,
        history=[history_event(actor, None, Status.PENDING, now)],
        created_at=now,
        updated_at=now,
        version=1,
    )


def reorder(actor: Actor, order_id: str, data: schemas.ReorderIn, claim: Claim) -> Order:
    """A new order with a past order's products and quantities, priced at today's prices."""
    past = view_order(actor, order_id)
    request = schemas.OrderCreateIn(
        items=[schemas.OrderItemIn(product_id=line.product_id, quantity=int(line.quantity)) for line in past.lines],
        payment_method=data.payment_method or schemas.PaymentMethod(past.payment_method),
        delivery_address=data.delivery_address or past.delivery_address,
        requested_date=data.requested_date,
        notes=data.notes,
        retailer_id=past.retailer_id if actor.is_admin else None,
    )
    return place_order(actor, request, claim, reorder_of=past.order_id)
