"""The outbox item (a recorded event on its way to the queue) and the feed entry (a recorded
event as one audience reads it)."""

from __future__ import annotations

from pynamodb.attributes import JSONAttribute, UnicodeAttribute

from chalicelib.db.base import Item


class OutboxEvent(Item, discriminator="outbox_event"):
    """PK=OUTBOX, SK=created_at#event. Written in the transaction of the change it announces;
    deleted once the event is on the queue. What is still here after a minute (the queue was
    unreachable) is sent by the relay schedule: no event is lost, none blocks a request."""

    event_id = UnicodeAttribute()
    kind = UnicodeAttribute()
    payload = JSONAttribute()
    created_at = UnicodeAttribute()


class FeedEntry(Item, discriminator="feed_entry"):
    """PK=FEED#audience, SK=event id (a ULID: time order). Written in the transaction of the
    change, one per audience that sees it; kept 35 days (TTL `expires_at`)."""

    event_id = UnicodeAttribute()
    kind = UnicodeAttribute()
    payload = JSONAttribute()
    created_at = UnicodeAttribute()


class FeedHead(Item, discriminator="feed_head"):
    """PK=FEED#BROADCAST#HEAD, SK=HEAD: the event id of the newest announcement entry, moved in
    the transaction that writes it. A poll reads it with the caller's session (one call) and
    queries the broadcast partition only when it holds something the caller may not have seen."""

    latest = UnicodeAttribute()
