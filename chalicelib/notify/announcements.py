"""System announcements: an admin posts a message (Arabic, and French and English if given) to
every shop, the shops of one wilaya, the drivers or everyone, optionally until a date; each
user reads the ones meant for them, in their language. Few and short-lived, they sit in one
partition read newest first (one Query), and the table's TTL forgets them 30 days after they
end. Posting one records the `announcement.posted` event: it appears in the change feed of
every reader it is meant for, and the notification worker pushes it to their browsers;
withdrawing one records `announcement.withdrawn`, which the same readers' feeds show. Who an
announcement is meant for is `events.feed.BROADCAST_TO`, one rule for the list, the feed and
the push."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from chalicelib.accounts import items as accounts_items
from chalicelib.audit import service as audit
from chalicelib.core import clock
from chalicelib.core.errors import Conflict, NotFound, field_error
from chalicelib.core.i18n import localized
from chalicelib.core.ids import new_id
from chalicelib.core.rbac import Actor
from chalicelib.db import keys
from chalicelib.db.tx import Tx, TxCancelled, backoff, transaction
from chalicelib.events import bus, feed, kinds
from chalicelib.notify.models import Announcement

ATTEMPTS = 5
SHOWN = 50  # the newest announcements looked at; older ones have long ended
KEPT_AFTER_END = timedelta(days=30)


def post(
    actor: Actor, texts: dict[str, str], audience: str, wilaya: int | None, ends_at: datetime | None
) -> Announcement:
    if audience == "wilaya" and wilaya is None:
        raise field_error("wilaya", "field_required")
    if audience != "wilaya" and wilaya is not None:
        raise field_error("wilaya", "field_not_allowed")
    now = clock.now()
    if ends_at is not None and ends_at <= now:
        raise field_error("ends_at", "date_in_past")
    announcement_id = new_id()
    created = clock.iso(now)
    item = Announcement(
        PK=keys.ANNOUNCEMENTS,
        SK=f"{created}#{announcement_id}",
        announcement_id=announcement_id,
        text_ar=texts["ar"],
        text_fr=texts.get("fr"),
        text_en=texts.get("en"),
        audience=audience,
        wilaya=wilaya,
        ends_at=clock.iso(ends_at) if ends_at else None,
        created_by=actor.user_id or "system",
        created_at=created,
        expires_at=clock.epoch((ends_at or now + timedelta(days=365)) + KEPT_AFTER_END),
    )
    ends = clock.epoch(ends_at) if ends_at else None
    event = kinds.announcement_posted(
        announcement_id=announcement_id, texts=texts, audience=audience, wilaya=wilaya, expires_at=ends
    )

    def write(tx: Tx) -> None:  # the announcement, its feed entry and its push, together
        tx.create(item, label="announcement")
        bus.record(tx, event)
        audit.record(tx, actor, "announcement.posted", "announcement", announcement_id, after=view(item, "ar", True))

    _broadcast(write)
    return item


def _broadcast(write: Callable[[Tx], None]) -> None:
    """Commit a transaction that records an announcement's event — again, stamped anew, if
    another announcement recorded a newer one meanwhile (the feed's head only moves forward)."""
    for attempt in range(ATTEMPTS):
        try:
            with transaction() as tx:
                write(tx)
            return
        except TxCancelled as exc:
            if feed.HEAD_MOVED not in exc.failed:
                raise
            backoff(attempt)
    raise Conflict()  # other announcements kept going first: the admin posts again


def newest() -> list[Announcement]:
    return list(Announcement.query(keys.ANNOUNCEMENTS, scan_index_forward=False, limit=SHOWN))


def withdraw(actor: Actor, announcement_id: str) -> Announcement:
    for item in newest():
        if item.announcement_id == announcement_id:
            if not item.withdrawn_at:
                _withdraw(actor, item)
            return item
    raise NotFound()


def _withdraw(actor: Actor, item: Announcement) -> None:
    item.withdrawn_at = clock.iso()
    wilaya = int(item.wilaya) if item.wilaya is not None else None
    event = kinds.announcement_withdrawn(announcement_id=item.announcement_id, audience=item.audience, wilaya=wilaya)

    def write(tx: Tx) -> None:  # withdrawn, and the feeds that showed it told so, together
        tx.update(item, [Announcement.withdrawn_at.set(item.withdrawn_at)])
        bus.record(tx, event)
        audit.record(tx, actor, "announcement.withdrawn", "announcement", item.announcement_id)

    _broadcast(write)


def shop_wilaya(actor: Actor) -> int:
    return int(accounts_items.get_retailer_item(actor.retailer_id or "").wilaya)


def audience_of(actor: Actor) -> tuple[str, int | None]:
    """The kind of user (and a shop's wilaya) a browser of `actor` is filed under for pushes."""
    kind = feed.reader_kind(actor)
    return (kind, shop_wilaya(actor)) if kind == "shop" else (kind, None)


def _live(item: Announcement, now: str) -> bool:
    return not item.withdrawn_at and (item.ends_at is None or item.ends_at > now)


def for_actor(actor: Actor) -> list[Announcement]:
    """The live announcements meant for this user (a shop's wilaya is read only when needed)."""
    now = clock.iso()
    live = [a for a in newest() if _live(a, now)]
    kind = feed.reader_kind(actor)
    wilaya = shop_wilaya(actor) if kind == "shop" and any(a.audience == "wilaya" for a in live) else None

    def meant(item: Announcement) -> bool:
        audience = {"audience": item.audience, "wilaya": int(item.wilaya) if item.wilaya is not None else None}
        return feed.meant_for(audience, kind, wilaya)

    return [a for a in live if meant(a)]


def view(item: Announcement, lang: str, admin: bool) -> dict[str, Any]:
    texts = {"ar": item.text_ar, "fr": item.text_fr, "en": item.text_en}
    text, language = localized(texts, lang)
    shown: dict[str, Any] = {
        "announcement_id": item.announcement_id,
        "text": text,
        "language": language,
        "created_at": item.created_at,
        "ends_at": item.ends_at,
    }
    if admin:
        shown.update(
            texts={k: v for k, v in texts.items() if v},
            audience=item.audience,
            wilaya=int(item.wilaya) if item.wilaya is not None else None,
            withdrawn_at=item.withdrawn_at,
            live=_live(item, clock.iso()),
        )
    return shown
