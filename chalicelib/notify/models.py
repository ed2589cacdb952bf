"""Notification items: the outbox (events waiting for the queue) and the message log."""

from __future__ import annotations

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute

from chalicelib.db.base import Item


class OutboxEvent(Item, discriminator="outbox_event"):
    """PK=OUTBOX, SK=created_at#event. Written in the transaction of the change it announces;
    deleted once the event is on the queue. What is still here after a minute (the queue was
    unreachable) is sent by the relay schedule: no event is lost, none blocks a request."""

    event_id = UnicodeAttribute()
    kind = UnicodeAttribute()
    payload = JSONAttribute()
    created_at = UnicodeAttribute()


class Message(Item, discriminator="message"):
    """PK=MESSAGE#id, SK=MESSAGE; GSI1 MESSAGES / created_at#id (the admin list, newest first).

    The id follows from (event, recipient, template), so a redelivered event finds the
    message it already sent instead of texting the retailer twice."""

    message_id = UnicodeAttribute()
    event_id = UnicodeAttribute()
    kind = UnicodeAttribute()
    template = UnicodeAttribute()
    language = UnicodeAttribute()
    user_id = UnicodeAttribute()
    retailer_id = UnicodeAttribute(null=True)
    phone = UnicodeAttribute()
    channel = UnicodeAttribute()  # whatsapp | sms
    status = UnicodeAttribute()  # sending | sent | failed
    body = UnicodeAttribute()
    segments = NumberAttribute(default=1)
    provider = UnicodeAttribute()  # twilio | recorded
    provider_sid = UnicodeAttribute(null=True)
    attempts = NumberAttribute(default=0)
    error_code = UnicodeAttribute(null=True)
    error_message = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()
