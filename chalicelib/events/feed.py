"""The change feed: what changed, per audience, oldest first — a shop's users see their shop's
orders, credit and decisions, a driver the deliveries assigned to them, the admins everything
operational. Written with the change, from its domain event (`bus.record`), never apart.

Guarantees: an entry is in its audiences' feeds exactly when its change committed (same
transaction); entries are ordered by their event id (a ULID, stamped when the change is
written) and shown once they are `SETTLE` old, so a change that commits a moment after a
later-stamped one is never skipped by a client that already moved past it; entries are kept
`RETENTION` (a cursor older than that is refused: the client resyncs in full).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from chalicelib.core import clock
from chalicelib.core.errors import AppError, BadRequest
from chalicelib.core.ids import id_time, is_id, new_id
from chalicelib.core.rbac import Actor, Role
from chalicelib.db import keys
from chalicelib.db.tx import SETTLE, Tx
from chalicelib.events.kinds import DomainEvent
from chalicelib.events.models import FeedEntry

RETENTION = timedelta(days=30)
KEPT = timedelta(days=35)  # the table's TTL sweeps a few days after the retention promised

# only a shop's owner sees its money (as on `GET …/credit` and `…/ledger`)
OWNER_ONLY = frozenset(
    {"payment.received", "credit.reminder_before_due", "credit.reminder_due", "credit.reminder_overdue"}
)


class CursorExpired(AppError):
    status = 410
    code = "cursor_expired"


def _shop(p: dict[str, Any]) -> list[str]:
    return [f"shop:{p['retailer_id']}"] if p.get("retailer_id") else []


def _order(p: dict[str, Any]) -> list[str]:
    return [*_shop(p), *([f"driver:{p['driver_id']}"] if p.get("driver_id") else []), "admin"]


# kind → who sees it; a kind not listed is in no feed (the reset code, above all)
AUDIENCES: dict[str, Callable[[dict[str, Any]], list[str]]] = {
    "retailer.registered": lambda p: ["admin"],
    "retailer.approved": lambda p: [*_shop(p), "admin"],
    "retailer.rejected": lambda p: [*_shop(p), "admin"],
    "retailer.legal_approved": lambda p: [*_shop(p), "admin"],
    "retailer.legal_rejected": lambda p: [*_shop(p), "admin"],
    "order.placed": _order,
    **{f"order.{s}": _order for s in ("confirmed", "preparing", "out_for_delivery", "delivered", "cancelled")},
    "payment.received": lambda p: [*_shop(p), "admin"],
    **{f"credit.reminder_{s}": _shop for s in ("before_due", "due", "overdue")},
    "credit.escalation": lambda p: ["admin"],
    "catalog.low_stock_digest": lambda p: ["admin"],
}


def write(tx: Tx, event: DomainEvent, event_id: str, created_at: str) -> None:
    """One entry per audience of `event`, in the change's transaction."""
    expires = clock.epoch(clock.now() + KEPT)
    audiences = AUDIENCES.get(event.kind)
    for audience in audiences(event.payload) if audiences else []:
        entry = FeedEntry(
            PK=keys.feed(audience),
            SK=event_id,
            event_id=event_id,
            kind=event.kind,
            payload=event.payload,
            created_at=created_at,
            expires_at=expires,
        )
        tx.put(entry, label="feed")


def audience_of(actor: Actor) -> str:
    if actor.is_admin:
        return "admin"
    if actor.role == Role.DRIVER:
        return f"driver:{actor.user_id}"
    return f"shop:{actor.retailer_id}"


@dataclass(frozen=True)
class Changes:
    entries: list[FeedEntry]
    cursor: str


def changes(actor: Actor, after: str | None, limit: int) -> Changes:
    """What the actor's audience saw change after `after` (an event id), oldest first, and the
    cursor to ask from next. Without `after`: nothing, and the cursor of now (start following)."""
    now = clock.now()
    settled = new_id(now - SETTLE)[:10] + "Z" * 16  # the last id of that millisecond: all older are in order
    if after is None:
        return Changes([], settled)
    if not is_id(after):
        raise BadRequest("invalid_cursor")
    if id_time(after) < now - RETENTION:
        raise CursorExpired()
    found = FeedEntry.query(
        keys.feed(audience_of(actor)),
        FeedEntry.SK.between(after + "0", settled),  # strictly after `after`: a longer string sorts after it
        limit=limit,
        consistent_read=True,
    )
    entries = [e for e in found if isinstance(e, FeedEntry)]
    cursor = entries[-1].event_id if entries else after
    if actor.role == Role.BUYER:
        entries = [e for e in entries if e.kind not in OWNER_ONLY]
    return Changes(entries, cursor)
