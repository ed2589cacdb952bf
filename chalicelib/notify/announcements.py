"""System announcements: an admin posts a message (Arabic, and French and English if given) to
every shop, the shops of one wilaya, the drivers or everyone, optionally until a date; each
user reads the ones meant for them, in their language. Few and short-lived, they sit in one
partition read newest first (one Query), and the table's TTL forgets them 30 days after they
end. Posting one also pushes it to the browsers of the users it is meant for (the
`announcement.posted` event, through the notification worker)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from chalicelib.accounts import items as accounts_items
from chalicelib.audit import service as audit
from chalicelib.core import clock
from chalicelib.core.errors import NotFound, field_error
from chalicelib.core.ids import new_id
from chalicelib.core.rbac import Actor, Role
from chalicelib.db import keys
from chalicelib.db.tx import transaction
from chalicelib.events import bus, kinds
from chalicelib.notify import templates
from chalicelib.notify.models import Announcement

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
    with transaction() as tx:  # the announcement and its push to the browsers meant for it, together
        tx.create(item, label="announcement")
        bus.record(tx, event)
        audit.record(tx, actor, "announcement.posted", "announcement", announcement_id, after=view(item, "ar", True))
    return item


def newest() -> list[Announcement]:
    return list(Announcement.query(keys.ANNOUNCEMENTS, scan_index_forward=False, limit=SHOWN))


def withdraw(actor: Actor, announcement_id: str) -> Announcement:
    for item in newest():
        if item.announcement_id == announcement_id:
            if not item.withdrawn_at:
                item.withdrawn_at = clock.iso()
                item.save()
                audit.record(None, actor, "announcement.withdrawn", "announcement", announcement_id)
            return item
    raise NotFound()


def _kind_of(actor: Actor) -> str:
    return "driver" if actor.role == Role.DRIVER else "admin" if actor.is_admin else "shop"


def audience_of(actor: Actor) -> tuple[str, int | None]:
    """The kind of user (and a shop's wilaya) a browser of `actor` is filed under for pushes."""
    kind = _kind_of(actor)
    if kind != "shop":
        return kind, None
    return kind, int(accounts_items.get_retailer_item(actor.retailer_id or "").wilaya)


# an announcement's audience → the kinds of user whose browsers it reaches
PUSHED_TO = {"everyone": ("shop", "driver", "admin"), "shops": ("shop",), "wilaya": ("shop",), "drivers": ("driver",)}


def _live(item: Announcement, now: str) -> bool:
    return not item.withdrawn_at and (item.ends_at is None or item.ends_at > now)


def for_actor(actor: Actor) -> list[Announcement]:
    """The live announcements meant for this user (a shop's wilaya is read only when needed)."""
    now = clock.iso()
    live = [a for a in newest() if _live(a, now)]
    kind = _kind_of(actor)
    shop_wilaya: int | None = None
    if kind == "shop" and any(a.audience == "wilaya" for a in live):
        shop_wilaya = int(accounts_items.get_retailer_item(actor.retailer_id or "").wilaya)

    def meant(item: Announcement) -> bool:  # the rule the worker's push follows (PUSHED_TO)
        if kind not in PUSHED_TO.get(item.audience, ()):
            return False
        return item.audience != "wilaya" or int(item.wilaya or 0) == shop_wilaya

    return [a for a in live if meant(a)]


def view(item: Announcement, lang: str, admin: bool) -> dict[str, Any]:
    texts = {"ar": item.text_ar, "fr": item.text_fr, "en": item.text_en}
    language, text = templates.in_language(texts, lang)
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
