"""Stock: moves by hand (audited) and by orders (atomic ADDs guarded by conditions: never
below zero, the low-stock index exact), its ledger, the low-stock list and morning digest,
and what orders ask of the catalog — `quote` (can these lines be sold, at what price),
`take` and `put_back` (the stock side of an order's transaction)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action

from chalicelib.audit import service as audit
from chalicelib.catalog import rules
from chalicelib.catalog.items import get_product_item, touched
from chalicelib.catalog.models import (
    DigestClaim,
    Product,
    StockMovement,
)
from chalicelib.core import clock
from chalicelib.core.errors import Conflict, NotFound, field_conflict
from chalicelib.core.ids import new_id
from chalicelib.core.observability import count
from chalicelib.core.pagination import decode_cursor, encode_cursor
from chalicelib.core.rbac import Actor
from chalicelib.db import keys
from chalicelib.db.base import Item
from chalicelib.db.tx import Tx, TxCancelled, transaction
from chalicelib.db.updates import set_actions, snapshot
from chalicelib.events import bus, kinds

STOCK_RETRIES = 5


def movement_item(
    product: Product,
    delta: int,
    balance_after: int | None,
    reason: str,
    source: str,
    actor: Actor,
    reference: str | None = None,
) -> StockMovement:
    """One line of the stock ledger (orders add theirs in their own transaction)."""
    ts = clock.iso()
    movement_id = new_id()
    return StockMovement(
        PK=keys.product(product.product_id),
        SK=keys.stock_movement(ts, movement_id),
        movement_id=movement_id,
        product_id=product.product_id,
        delta=delta,
        balance_after=balance_after,
        reason=reason,
        source=source,
        reference=reference,
        actor_id=actor.user_id,
        actor_username=actor.username,
        ts=ts,
    )


def stock_update(product: Product, delta: int) -> tuple[list[Action], Condition, int]:
    """Actions and condition moving `product`'s stock by `delta` from the value read.

    The condition pins the value read, so the balance written (and the low-stock key) is
    exact; a concurrent move makes the transaction fail and the caller re-reads and retries.
    """
    stock = int(product.stock_quantity)
    new_stock = stock + delta
    old_keys = snapshot(product, ("GSI3PK", "GSI3SK"))
    new_keys = rules.low_stock_keys(product.is_active, new_stock, product.min_stock_level, product.product_id)
    actions = [
        Product.stock_quantity.set(new_stock),
        *set_actions(Product, old_keys, new_keys),
        *touched(product.product_id),
    ]
    return actions, Product.stock_quantity == stock, new_stock


def stock_move(product: Product, delta: int) -> tuple[list[Action], Condition]:
    """Actions and condition moving stock by `delta` with an atomic ADD, for orders.

    Concurrent orders on one product must not retry each other out (a promotion at opening
    time), so unlike `stock_update` this does not pin the value read: DynamoDB adds `delta`
    itself and the condition only guards the invariants — never below zero, and the product
    is on the low-stock index exactly when it ends at or below its minimum (the condition
    fails if a concurrent move crosses that line, and the caller reads again). The resulting
    balance is not known inside the transaction, so these moves' ledger lines carry none, and
    the low-stock sort key holds the value estimated from the read.
    """
    read = int(product.stock_quantity)
    estimate = read + delta
    low = rules.is_low(product.is_active, estimate, product.min_stock_level)
    condition = Product.stock_quantity >= max(-delta, 0)
    if delta < 0:
        condition &= Product.is_active == True  # noqa: E712 - a DynamoDB condition, not a Python test
    if product.is_active:
        threshold = int(product.min_stock_level) - delta  # stock at which the new value is exactly the minimum
        condition &= (Product.stock_quantity <= threshold) if low else (Product.stock_quantity > threshold)
    old_keys = snapshot(product, ("GSI3PK", "GSI3SK"))
    new_keys = rules.low_stock_keys(product.is_active, estimate, product.min_stock_level, product.product_id)
    actions = [
        Product.stock_quantity.add(delta),
        *set_actions(Product, old_keys, new_keys),
        *touched(product.product_id),
    ]
    return actions, condition


def adjust_stock(actor: Actor, product_id: str, delta: int, reason: str) -> tuple[Product, StockMovement]:
    """Add or remove stock by hand (delivery received, breakage, inventory count); audited."""
    for _ in range(STOCK_RETRIES):
        product = get_product_item(product_id)
        stock = int(product.stock_quantity)
        if stock + delta < 0:
            raise field_conflict("delta", "insufficient_stock", available=stock)
        actions, condition, new_stock = stock_update(product, delta)
        movement = movement_item(product, delta, new_stock, reason, "adjustment", actor)
        try:
            with transaction() as tx:
                tx.update(product, actions, condition=condition, label="stock")
                tx.put(movement, label="movement")
                audit.record(
                    tx,
                    actor,
                    "product.stock_adjusted",
                    "product",
                    product_id,
                    before={"stock_quantity": stock},
                    after={"stock_quantity": new_stock},
                    metadata={"delta": delta, "reason": reason, "movement_id": movement.movement_id},
                )
        except TxCancelled as exc:
            if "stock" in exc.failed:
                continue  # someone moved the stock since we read it: read again
            raise
        product.stock_quantity = new_stock
        count("StockAdjusted")
        return product, movement
    raise Conflict("stock_busy")


def list_movements(product_id: str, cursor: str | None, limit: int) -> tuple[list[StockMovement], str | None]:
    get_product_item(product_id)
    scope = f"stock|{product_id}"
    result = StockMovement.query(
        keys.product(product_id),
        StockMovement.SK.startswith(keys.STOCK_PREFIX),
        scan_index_forward=False,
        limit=limit,
        last_evaluated_key=decode_cursor(cursor, scope),
    )
    items = list(result)[:limit]
    return items, encode_cursor(result.last_evaluated_key, scope)


def list_low_stock(cursor: str | None, limit: int) -> tuple[list[Product], str | None]:
    """Active products at or below their minimum stock level, emptiest first (sparse GSI3)."""
    scope = "lowstock"
    result = Product.gsi3.query(keys.LOW_STOCK, limit=limit, last_evaluated_key=decode_cursor(cursor, scope))
    items = list(result)[:limit]
    return items, encode_cursor(result.last_evaluated_key, scope)


DIGEST_NAMES = 5


def low_stock_digest() -> bool:
    """The morning digest for the staff: how many products are at or below their minimum and
    the emptiest few. Once a day (a claim in the outbox event's transaction); False if there
    is nothing low or it was sent already."""
    items, _ = list_low_stock(None, 100)
    if not items:
        return False
    names = ", ".join(
        f"{p.name_fr or p.name_ar} ({int(p.stock_quantity)})" for p in items[:DIGEST_NAMES]
    )  # emptiest first
    day = clock.local_date()
    try:
        with transaction() as tx:
            tx.create(
                DigestClaim(PK=keys.low_stock_digest(day), SK=keys.LOW_STOCK, created_at=clock.iso()), label="claim"
            )
            more = f" (+{len(items) - DIGEST_NAMES})" if len(items) > DIGEST_NAMES else ""
            bus.record(tx, kinds.low_stock_digest(count=len(items), names=names + more))
    except TxCancelled as exc:
        if "claim" in exc.failed:
            return False
        raise
    return True


# ---------------------------------------------------------------- selling (asked by orders)


@dataclass(frozen=True)
class SaleLine:
    """One product as sold now: what an order line copies (names, unit, price, VAT)."""

    product_id: str
    sku: str
    name_ar: str | None
    name_fr: str | None
    name_en: str | None
    sale_unit: str
    pack_size: int
    quantity: int
    unit_price: int  # centimes, VAT excluded
    vat_rate: int  # percent


@dataclass(frozen=True)
class Quote:
    """Can these lines be sold, and at what price: the lines that can, the reasons of those
    that cannot (`{field, code, product_id, params?}`, fields indexed like the request)."""

    lines: list[SaleLine]
    problems: list[dict[str, Any]]
    products: dict[str, Product]


def product_keys(product_ids: Iterable[str]) -> list[tuple[str, str]]:
    """What `quote` and `put_back` need read first, for callers batching their reads."""
    return [(keys.product(pid), keys.PROFILE) for pid in product_ids]


def quote(
    quantities: dict[str, int],
    found: Mapping[tuple[str, str], Item],
    index_of: dict[str, int],
    seen: Mapping[str, int] | None = None,
) -> Quote:
    """Check and price `quantities` (product id -> quantity) against a batch read of `product_keys`;
    `seen`: the unit prices with VAT the shop saw (product id -> centimes), refused if they moved."""
    lines: list[SaleLine] = []
    problems: list[dict[str, Any]] = []
    products: dict[str, Product] = {}
    for product_id, quantity in quantities.items():
        product = found.get((keys.product(product_id), keys.PROFILE))
        product = product if isinstance(product, Product) else None
        problem = rules.line_problem(product, quantity, (seen or {}).get(product_id))
        if problem is not None:
            field, code, params = problem
            reason = {"field": f"items.{index_of[product_id]}.{field}", "product_id": product_id, "code": code}
            problems.append({**reason, "params": params} if params else reason)
        if product is None:
            continue
        products[product_id] = product
        lines.append(
            SaleLine(
                product_id=product_id,
                sku=product.sku,
                name_ar=product.name_ar,
                name_fr=product.name_fr,
                name_en=product.name_en,
                sale_unit=product.sale_unit,
                pack_size=int(product.pack_size),
                quantity=quantity,
                unit_price=int(product.base_price),
                vat_rate=int(product.vat_rate),
            )
        )
    return Quote(lines, problems, products)


def take(tx: Tx, sold: Quote, actor: Actor, order_number: str, order_id: str) -> None:
    """Add to `tx` the stock moves of a sale (fail with label `stock:<id>` if stock moved) and
    their ledger lines."""
    for line in sold.lines:
        product = sold.products[line.product_id]
        actions, condition = stock_move(product, -line.quantity)
        tx.update(product, actions, condition=condition, label=f"stock:{line.product_id}")
        tx.put(movement_item(product, -line.quantity, None, order_number, "order", actor, order_id), label="movement")


def put_back(
    tx: Tx,
    found: Mapping[tuple[str, str], Item],
    returns: dict[str, int],
    actor: Actor,
    order_number: str,
    order_id: str,
    source: str,
) -> None:
    """Put quantities back in stock (cancellation, undelivered), with their ledger lines, from a
    batch read of `product_keys`. Products are deactivated, never deleted, so each is there."""
    for pid, qty in returns.items():
        if qty <= 0:
            continue
        product = found.get((keys.product(pid), keys.PROFILE))
        if not isinstance(product, Product):
            raise NotFound()
        actions, condition = stock_move(product, qty)
        tx.update(product, actions, condition=condition, label=f"stock:{pid}")
        tx.put(movement_item(product, qty, None, order_number, source, actor, order_id))
