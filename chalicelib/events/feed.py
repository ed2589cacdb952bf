"""The change feed: what changed, per audience, oldest first — a shop's users see their shop's
orders, credit and decisions, a driver the deliveries assigned to them, the admins everything
operational. Written with the change, from its domain event (`bus.record`), never apart.

Announcements are meant for many readers at once (every shop, the shops of a wilaya, the
drivers, everyone): one entry in the broadcast partition, not one per shop (a transaction
holds 100 items at most). Every poll merges it with the caller's own feed, showing each reader
the announcements meant for it (`BROADCAST_TO`, the rule the push worker follows too). A head
item read with the caller's session says whether the broadcast partition holds anything
newer than the cursor, so a poll that finds nothing still costs two calls.

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
from chalicelib.db.base import read_one
from chalicelib.db.tx import SETTLE, Tx
from chalicelib.events.kinds import DomainEvent
from chalicelib.events.models import FeedEntry, FeedHead

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
    "announcement.posted": lambda p: [BROADCAST],
    "announcement.withdrawn": lambda p: [BROADCAST],
}

BROADCAST = "broadcast"
HEAD_MOVED = "feed_head"  # the label of the head's condition in a cancelled transaction
# an announcement's audience → the kinds of reader it is meant for (in the feed, and the
# browsers the notification worker pushes it to); admins read every announcement in their feed
BROADCAST_TO: dict[str, tuple[str, ...]] = {
    "everyone": ("shop", "driver", "admin"),
    "shops": ("shop",),
    "wilaya": ("shop",),
    "drivers": ("driver",),
}


def reader_kind(actor: Actor) -> str:
    """`shop`, `driver` or `admin`: the kind of reader an announcement is meant for."""
    return "driver" if actor.role == Role.DRIVER else "admin" if actor.is_admin else "shop"


def meant_for(payload: dict[str, Any], kind: str, wilaya: int | None) -> bool:
    """Whether an announcement (its event's payload) is meant for a reader of `kind` (a shop's
    users also by their shop's `wilaya`)."""
    audience = str(payload.get("audience"))
    if kind not in BROADCAST_TO.get(audience, ()):
        return False
    return audience != "wilaya" or payload.get("wilaya") == wilaya


def write(tx: Tx, event: DomainEvent, event_id: str, created_at: str) -> None:
    """One entry per audience of `event`, in the change's transaction (and, for the broadcast
    partition, its head moved to this entry)."""
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
        if audience == BROADCAST:  # the head only moves forward: a writer stamped earlier that
            # commits later is cancelled (`HEAD_MOVED`) and records its event again, newer
            pk, sk = keys.feed_head(BROADCAST)
            ahead = FeedHead.latest.does_not_exist() | (FeedHead.latest < event_id)
            tx.put(FeedHead(PK=pk, SK=sk, latest=event_id), ahead, label=HEAD_MOVED)


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


def changes(actor: Actor, after: str | None, limit: int, wilaya: Callable[[], int | None]) -> Changes:
    """What the actor's audience saw change after `after` (an event id), with the announcements
    meant for it, oldest first, and the cursor to ask from next. Without `after`: nothing, and
    the cursor of now (start following). `wilaya` tells a shop's wilaya, asked only when an
    announcement to one wilaya is among the new entries."""
    now = clock.now()
    settled = new_id(now - SETTLE)[:10] + "Z" * 16  # the last id of that millisecond: all older are in order
    if after is None:
        return Changes([], settled)
    if not is_id(after):
        raise BadRequest("invalid_cursor")
    if id_time(after) < now - RETENTION:
        raise CursorExpired()
    head = read_one(FeedHead, keys.feed_head(BROADCAST))  # the caller's session rides along
    own = _read(audience_of(actor), after, settled, limit)
    news = head is not None and head.latest > after
    broadcast = _read(BROADCAST, after, settled, limit) if news else []
    # both lists hold every entry up to their last one when shorter than `limit`: the cursor
    # moves past what both have shown, announcements meant for others included
    cut = min([e[-1].event_id for e in (own, broadcast) if len(e) == limit], default=None)
    own = [e for e in own if cut is None or e.event_id <= cut]
    broadcast = [e for e in broadcast if cut is None or e.event_id <= cut]
    read = own + broadcast
    cursor = cut or max((e.event_id for e in read), default=after)
    shown = own + _meant(actor, broadcast, wilaya)
    if actor.role == Role.BUYER:
        shown = [e for e in shown if e.kind not in OWNER_ONLY]
    return Changes(sorted(shown, key=lambda e: e.event_id), cursor)


def _read(audience: str, after: str, settled: str, limit: int) -> list[FeedEntry]:
    found = FeedEntry.query(
        keys.feed(audience),
        FeedEntry.SK.between(after + "0", settled),  # strictly after `after`: a longer string sorts after it
        limit=limit,
        consistent_read=True,
    )
    return [e for e in found if isinstance(e, FeedEntry)]


def _meant(actor: Actor, entries: list[FeedEntry], wilaya: Callable[[], int | None]) -> list[FeedEntry]:
    kind = reader_kind(actor)
    if kind == "admin":
        return entries
    shop_wilaya = wilaya() if kind == "shop" and any(e.payload.get("audience") == "wilaya" for e in entries) else None
    return [e for e in entries if meant_for(e.payload, kind, shop_wilaya)]
