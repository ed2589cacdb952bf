"""Reading one order (404 unless the actor may see it), and what every write of an order
shares: its history event, its VAT lines, the dashboard counters, the yearly number
sequences, the retry budget."""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.core import clock
from chalicelib.core.errors import NotFound
from chalicelib.core.rbac import Actor, Role
from chalicelib.db import keys
from chalicelib.db.base import Item, read_many
from chalicelib.db.idempotency import Claim
from chalicelib.db.tx import Tx
from chalicelib.db.updates import typed
from chalicelib.orders.models import DayCounter, Order, OrderEvent, Sequence, StatusCounter, VatLine

RETRIES = 8


def order_key(order_id: str) -> tuple[str, str]:
    return keys.order(order_id), keys.ORDER_SK


def get_order_item(order_id: str, claim: Claim | None = None) -> Order:
    """The order (404 if none), read in one BatchGetItem with what the request owes (its
    session) and, given a `claim`, the request's Idempotency-Key."""
    wanted = [order_key(order_id), *([claim.item_key] if claim else [])]
    found = read_many(wanted)
    if claim:
        claim.read(found)
    order = found.get(wanted[0])
    if not isinstance(order, Order):
        raise NotFound()
    return order


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


def view_order(actor: Actor, order_id: str, claim: Claim | None = None) -> Order:
    order = get_order_item(order_id, claim)
    ensure_visible(actor, order)
    return order


def history_event(
    actor: Actor,
    from_status: str | None,
    to_status: str,
    at: str,
    reason: str | None = None,
    reason_code: str | None = None,
) -> OrderEvent:
    return OrderEvent(
        at=at,
        by=actor.user_id,
        by_username=actor.username,
        by_role=str(actor.role),
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        reason_code=reason_code,
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


@dataclass(frozen=True)
class NextNumber:
    """The next number of a yearly sequence (`LV-2026-000123`, `FA-2026-000045`): the sequence
    is read in the write's batch and moved in its transaction, conditioned on the value read,
    so numbers are gapless (a cancelled transaction takes none) and cost no call of their own."""

    kind: str
    prefix: str
    year: int
    last: int | None  # None: the year's sequence has no item yet

    @property
    def text(self) -> str:
        return f"{self.prefix}-{self.year}-{(self.last or 0) + 1:06d}"

    def take(self, tx: Tx, label: str) -> None:
        seq = Sequence(PK=keys.SEQUENCE, SK=keys.sequence(self.kind, self.year))
        unchanged = Sequence.value.does_not_exist() if self.last is None else Sequence.value == self.last
        tx.update(seq, [typed(Sequence), Sequence.value.set((self.last or 0) + 1)], condition=unchanged, label=label)


def sequence_key(kind: str, year: int) -> tuple[str, str]:
    return keys.SEQUENCE, keys.sequence(kind, year)


def next_number(found: dict[tuple[str, str], Item], kind: str, prefix: str, year: int) -> NextNumber:
    """The number after the one in `found` (a batch that read `sequence_key(kind, year)`)."""
    seq = found.get(sequence_key(kind, year))
    return NextNumber(kind, prefix, year, int(seq.value) if isinstance(seq, Sequence) else None)
