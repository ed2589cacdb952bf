"""The outbox item: a recorded event on its way to the queue."""

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
