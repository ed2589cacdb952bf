"""Notification items: the message log, provider ids, preferences, consent, inbound messages."""

from __future__ import annotations

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute

from chalicelib.db.base import Item


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
    phone = UnicodeAttribute(null=True)  # none for a push to a user without a phone (staff)
    channel = UnicodeAttribute()  # whatsapp | sms | push
    status = UnicodeAttribute()  # sending | sent | delivered | read | failed | undelivered | suppressed
    status_rank = NumberAttribute(default=0)  # status callbacks only move it forward
    body = UnicodeAttribute()
    segments = NumberAttribute(default=1)
    provider = UnicodeAttribute()  # twilio | recorded
    provider_sid = UnicodeAttribute(null=True)
    attempts = NumberAttribute(default=0)
    error_code = UnicodeAttribute(null=True)
    error_message = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()


class Preference(Item, discriminator="notify_preference"):
    """PK=USER#id, SK=NOTIFY: how a user wants to hear from us, and the WhatsApp session window
    (24 h after their last inbound message, when free-form messages are allowed)."""

    user_id = UnicodeAttribute()
    channel = UnicodeAttribute(default="whatsapp")  # whatsapp | sms
    opted_out = BooleanAttribute(default=False)
    window_until = UnicodeAttribute(null=True)
    updated_at = UnicodeAttribute()


class ConsentEntry(Item, discriminator="consent_entry"):
    """PK=USER#id, SK=CONSENT#ts#id: every change of consent, and how it was given."""

    user_id = UnicodeAttribute()
    action = UnicodeAttribute()  # opt_out | opt_in | channel
    channel = UnicodeAttribute(null=True)
    source = UnicodeAttribute()  # inbound keyword | api
    evidence = UnicodeAttribute(null=True)  # the keyword received, the provider message id
    created_at = UnicodeAttribute()


class ProviderSid(Item, discriminator="provider_sid"):
    """PK=PROVIDERSID#sid: finds the message a status callback is about."""

    message_pk = UnicodeAttribute()


class Inbound(Item, discriminator="inbound"):
    """PK=INBOUND, SK=ts#sid: a message a retailer (or anyone) sent us."""

    sid = UnicodeAttribute()
    sender = UnicodeAttribute()  # masked
    channel = UnicodeAttribute()
    user_id = UnicodeAttribute(null=True)
    body = UnicodeAttribute()
    handled_as = UnicodeAttribute()  # opt_out | opt_in | status | unknown_sender | other
    created_at = UnicodeAttribute()


class PushSubscription(Item, discriminator="push_subscription"):
    """PK=USER#id, SK=PUSH#id: one browser's Web Push subscription of a user (its endpoint at
    the browser's push service and the keys that encrypt for it). The id follows from the
    endpoint, so subscribing again replaces it."""

    subscription_id = UnicodeAttribute()
    user_id = UnicodeAttribute()
    endpoint = UnicodeAttribute()
    p256dh = UnicodeAttribute()  # the browser's P-256 public key, base64url
    auth = UnicodeAttribute()  # the 16-byte auth secret, base64url
    user_agent = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()
    last_used_at = UnicodeAttribute(null=True)


class Announcement(Item, discriminator="announcement"):
    """PK=ANNOUNCEMENTS, SK=created_at#id: a message from Livrili to every shop, the shops of a
    wilaya, the drivers or everyone (a holiday closure, a new delivery day), in up to three
    languages, shown until `ends_at` or until withdrawn; the table forgets it 30 days after."""

    announcement_id = UnicodeAttribute()
    text_ar = UnicodeAttribute()
    text_fr = UnicodeAttribute(null=True)
    text_en = UnicodeAttribute(null=True)
    audience = UnicodeAttribute()  # shops | wilaya | drivers | everyone
    wilaya = NumberAttribute(null=True)
    ends_at = UnicodeAttribute(null=True)
    created_by = UnicodeAttribute()
    created_at = UnicodeAttribute()
    withdrawn_at = UnicodeAttribute(null=True)
    expires_at = NumberAttribute(null=True)
