"""The notification worker: each domain event from the queue becomes one message per
recipient in the recipient's language — a WhatsApp template when one is configured for it,
else (or when WhatsApp refuses) an SMS — with a log item per message whose id follows from
(event, recipient, template): a redelivered event finds the message it already sent and
does not text the shop twice."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pynamodb.exceptions import DoesNotExist

from chalicelib.accounts import items as accounts_items
from chalicelib.accounts.models import User
from chalicelib.core import clock
from chalicelib.core.config import notify_settings, push_settings
from chalicelib.core.ids import new_id
from chalicelib.core.observability import count, logger, mask_phone
from chalicelib.db import keys
from chalicelib.db.base import read_many
from chalicelib.events.feed import BROADCAST_TO
from chalicelib.notify import providers, push, templates
from chalicelib.notify.models import Message, Preference, ProviderSid, PushSubscription
from chalicelib.notify.preferences import get_preference, window_open
from chalicelib.notify.rules import STATUS_RANK
from chalicelib.notify.schemas import Event


@dataclass(frozen=True)
class OpsContact:
    """Platform staff on the escalation list (`LIVRILI_ESCALATION_PHONES`)."""

    phone: str
    language: str = "fr"

    @property
    def user_id(self) -> str:
        return f"ops{self.phone}"


@dataclass(frozen=True)
class Direct:
    """A user reached at another number than their own (the new phone they confirm)."""

    user_id: str
    phone: str
    language: str


Recipient = User | OpsContact | Direct


def _recipients(event: Event) -> list[Recipient]:
    if event.payload.get("audience") == "ops":
        return [OpsContact(phone) for phone in notify_settings().escalation_phones]
    if event.payload.get("audience") == "user":
        user = accounts_items.get_user_item(event.payload["user_id"])
        if not user.is_active:
            return []
        if event.payload.get("phone"):  # a code for a new number goes to that number
            return [Direct(user.user_id, event.payload["phone"], user.language)]
        return [user] if user.phone else []
    retailer_id = event.payload.get("retailer_id")
    return list(accounts_items.shop_contacts(retailer_id)) if retailer_id else []


def handle(body: dict[str, Any]) -> list[Message]:
    """Deliver one queued event to each recipient. Raises `providers.TransientFailure` when a
    message should be retried (the queue redelivers the event; sent messages are skipped)."""
    event = _with_shop(Event.model_validate(body))
    template = templates.template_of(event.kind)
    if int(event.payload.get("expires_at") or 2**62) <= clock.epoch():
        count("MessageExpired")  # a code that reached the queue too late is not worth sending
        return []
    if event.kind == "announcement.posted":  # to the browsers of its audience, never by SMS
        return [_push(event, template, user, s) for user, s in _announcement_browsers(event)]
    recipients = _recipients(event)
    messages = [_deliver(event, template, user) for user in recipients]
    if template in templates.PUSHED:
        users = [user for user in recipients if isinstance(user, User)]
        messages += [_push(event, template, user, s) for user in users for s in push.of_user(user.user_id)]
    return messages


def _announcement_browsers(event: Event) -> list[tuple[User, PushSubscription]]:
    """Every browser subscribed by an active user the announcement is meant for, with its user
    (their language), read in BatchGetItems of 100."""
    audience = str(event.payload.get("audience"))
    wilaya = event.payload.get("wilaya") if audience == "wilaya" else None
    browsers = [s for kind in BROADCAST_TO.get(audience, ()) for s in push.of_audience(kind, wilaya)]
    ids = sorted({s.user_id for s in browsers})
    users: dict[str, User] = {}
    for start in range(0, len(ids), 100):
        found = read_many([(keys.user(i), keys.PROFILE) for i in ids[start : start + 100]])
        users.update({item.user_id: item for item in found.values() if isinstance(item, User)})
    return [(users[s.user_id], s) for s in browsers if s.user_id in users and users[s.user_id].is_active]


def _with_shop(event: Event) -> Event:
    """The staff's messages name the shop: the event carries its id, the name is read here."""
    retailer_id = event.payload.get("retailer_id")
    needs_shop = "shop" in templates.VARIABLES.get(templates.template_of(event.kind), ())
    if not needs_shop or "shop" in event.payload or not retailer_id:
        return event
    shop = accounts_items.get_retailer_item(retailer_id).business_name
    return event.model_copy(update={"payload": {**event.payload, "shop": shop}})


def _log_item(event: Event, template: str, user: Recipient, channel: str = "") -> Message:
    """The log item of (event, recipient, template[, a push subscription]), read back when the
    event is delivered again."""
    pk = keys.message(event.event_id, user.user_id, template + channel)
    try:
        return Message.get(pk, keys.MESSAGE_SK, consistent_read=True)
    except DoesNotExist:
        now = clock.iso()
        message_id = new_id()
        lang = user.language if user.language in templates.TEMPLATES[template] else "fr"
        audience_retailer = None if isinstance(user, (OpsContact, Direct)) else event.payload.get("retailer_id")
        shown = event.payload if providers.provider().name == "recorded" else templates.masked(template, event.payload)
        body = templates.render(template, shown, lang)
        return Message(
            PK=pk,
            SK=keys.MESSAGE_SK,
            GSI1PK=keys.MESSAGES,
            GSI1SK=keys.created_sort(now, message_id),
            message_id=message_id,
            event_id=event.event_id,
            kind=event.kind,
            template=template,
            language=lang,
            user_id=user.user_id,
            retailer_id=audience_retailer,
            phone=user.phone,
            channel="sms",
            status="sending",
            body=body,
            segments=templates.segments(body),
            provider=providers.provider().name,
            created_at=now,
            updated_at=now,
        )


def _send(log: Message, template: str, payload: dict[str, Any], preference: Preference) -> providers.Sent:
    """WhatsApp first — free-form inside the 24-hour window, else the approved template — and
    SMS when the user prefers it, no template exists, or WhatsApp refuses. The text is rendered
    from the event (the log may keep it masked)."""
    provider = providers.provider()
    text = templates.render(template, payload, log.language)
    if preference.channel != "sms":
        try:
            if window_open(preference):
                log.channel = "whatsapp"
                return provider.send_whatsapp_text(log.phone, text)
            content_sid = notify_settings().whatsapp_templates.get(template, {}).get(log.language)
            if content_sid:
                variables = templates.values(template, payload, log.language)
                numbered = {str(i): variables[name] for i, name in enumerate(templates.VARIABLES[template], 1)}
                log.channel = "whatsapp"
                return provider.send_whatsapp(log.phone, content_sid, numbered)
        except providers.Refused as refused:  # not on WhatsApp, template paused…: fall back to SMS
            log.error_code, log.error_message = refused.code, f"whatsapp: {refused.reason}"
    log.channel = "sms"
    return provider.send_sms(log.phone, text)


def _notification(event: Event, template: str, lang: str) -> dict[str, Any]:
    """What the phone shows: the message's text, and the screen a tap opens. Nothing else."""
    order_id = event.payload.get("order_id")
    return {
        "title": templates.APP_NAME[lang],
        "body": templates.render(template, event.payload, lang),
        "url": f"/orders/{order_id}" if order_id else "/",
        "tag": f"{event.kind}:{order_id or event.event_id}",
    }


def _push(event: Event, template: str, user: User, subscription: PushSubscription) -> Message:
    """One notification to one of the user's browsers; logged like a message (channel `push`),
    so a redelivered event does not notify twice. A subscription the push service no longer
    knows (404/410) is forgotten; 429, 5xx and the network are retried with the event."""
    log = _log_item(event, template, user, channel=f":push:{subscription.subscription_id}")
    if log.status != "sending":
        return log
    log.channel, log.attempts = "push", int(log.attempts) + 1
    notification = _notification(event, template, log.language)
    log.body = f"{notification['title']}: {notification['body']}"
    if push_settings().local_endpoints and not push.is_loopback(subscription.endpoint):
        log.provider, log.status, log.status_rank = "recorded", "sent", STATUS_RANK["sent"]  # no internet here
    else:
        log.provider = "webpush"
        outcome = push.send(subscription, notification, topic=notification["tag"])
        if outcome.retry:
            log.error_message = f"push service answered {outcome.status or 'nothing'}"
            log.updated_at = clock.iso()
            log.save()
            raise providers.TransientFailure(log.error_message)
        if outcome.gone:
            push.remove(user.user_id, subscription.subscription_id)
        ok = 200 <= outcome.status < 300
        log.status, log.status_rank = ("sent", STATUS_RANK["sent"]) if ok else ("failed", STATUS_RANK["failed"])
        log.error_code = None if ok else str(outcome.status)
        count("PushSent" if ok else "PushRefused")
    log.updated_at = clock.iso()
    log.save()
    return log


def _deliver(event: Event, template: str, user: Recipient) -> Message:
    log = _log_item(event, template, user)
    if log.status != "sending":
        return log  # a redelivered event: this one already went out (or was refused for good)
    preference = get_preference(user.user_id)
    log.attempts = int(log.attempts) + 1
    log.provider = providers.provider().name
    if preference.opted_out and template not in templates.ESSENTIAL:
        log.status, log.status_rank = "suppressed", STATUS_RANK["failed"]
        count("MessageSuppressed")
    else:
        try:
            sent = _send(log, template, event.payload, preference)
            log.status, log.status_rank, log.provider_sid = "sent", STATUS_RANK["sent"], sent.sid
            ProviderSid(PK=keys.provider_sid(sent.sid), SK=keys.PROVIDER_SID_SK, message_pk=log.PK).save()
            count("MessageSent")
        except providers.Refused as refused:
            log.status, log.status_rank = "failed", STATUS_RANK["failed"]
            log.error_code, log.error_message = refused.code, refused.reason
            count("MessageRefused")
        except providers.TransientFailure as exc:
            log.error_message = str(exc)[:300]
            log.updated_at = clock.iso()
            log.save()
            logger.warning("message will be retried", extra={"to": mask_phone(log.phone), "template": template})
            raise
    log.updated_at = clock.iso()
    log.save()
    return log
