"""Notifications: the worker's delivery of each domain event, the provider callbacks, the
inbound messages and the preferences.

The domains record events (`chalicelib.events`); the event queue brings them here. The worker turns an event into one
message per recipient in the recipient's language — a WhatsApp template when one is
configured for it, else (or when WhatsApp refuses) an SMS — and keeps a log item per
message whose id follows from (event, recipient, template): a redelivered event finds the
message it already sent and does not text the retailer twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from pynamodb.exceptions import DoesNotExist, UpdateError

from chalicelib.accounts import items as accounts_items
from chalicelib.core import clock
from chalicelib.core.config import notify_settings
from chalicelib.core.i18n import LANGUAGES as LANGS
from chalicelib.core.ids import new_id
from chalicelib.core.observability import count, logger, mask_phone
from chalicelib.core.pagination import decode_cursor, encode_cursor
from chalicelib.core.rbac import Actor
from chalicelib.db import keys
from chalicelib.db.tx import transaction
from chalicelib.notify import providers, templates
from chalicelib.notify.models import ConsentEntry, Inbound, Message, Preference, ProviderSid
from chalicelib.notify.schemas import Event
from chalicelib.orders import schemas as order_schemas
from chalicelib.orders import views as order_views

DONE = ("sent", "failed")


def reset() -> None:
    """Forget the provider client (tests switch fakes)."""
    providers.reset()


# ============================================================================ worker


@dataclass(frozen=True)
class OpsContact:
    """Platform staff on the escalation list (`LIVRILI_ESCALATION_PHONES`)."""

    phone: str
    language: str = "fr"

    @property
    def user_id(self) -> str:
        return f"ops{self.phone}"


def _recipients(event: Event) -> list[Any]:
    if event.payload.get("audience") == "ops":
        return [OpsContact(phone) for phone in notify_settings().escalation_phones]
    retailer_id = event.payload.get("retailer_id")
    return accounts_items.shop_contacts(retailer_id) if retailer_id else []


def handle(body: dict[str, Any]) -> list[Message]:
    """Deliver one queued event to each recipient. Raises `providers.TransientFailure` when a
    message should be retried (the queue redelivers the event; sent messages are skipped)."""
    event = _with_shop(Event.model_validate(body))
    template = templates.template_of(event.kind)
    return [_deliver(event, template, user) for user in _recipients(event)]


def _with_shop(event: Event) -> Event:
    """The staff's messages name the shop: the event carries its id, the name is read here."""
    retailer_id = event.payload.get("retailer_id")
    needs_shop = "shop" in templates.VARIABLES.get(templates.template_of(event.kind), ())
    if not needs_shop or "shop" in event.payload or not retailer_id:
        return event
    shop = accounts_items.get_retailer_item(retailer_id).business_name
    return event.model_copy(update={"payload": {**event.payload, "shop": shop}})


def _log_item(event: Event, template: str, user: Any) -> Message:
    pk = keys.message(event.event_id, user.user_id, template)
    try:
        return Message.get(pk, keys.MESSAGE_SK, consistent_read=True)
    except DoesNotExist:
        now = clock.iso()
        message_id = new_id()
        lang = user.language if user.language in templates.TEMPLATES[template] else "fr"
        audience_retailer = None if isinstance(user, OpsContact) else event.payload.get("retailer_id")
        body = templates.render(template, event.payload, lang)
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


def get_preference(user_id: str) -> Preference:
    try:
        return Preference.get(keys.user(user_id), keys.NOTIFY_SK, consistent_read=True)
    except DoesNotExist:
        return Preference(PK=keys.user(user_id), SK=keys.NOTIFY_SK, user_id=user_id, updated_at=clock.iso())


def _window_open(preference: Preference) -> bool:
    return bool(preference.window_until) and str(preference.window_until) > clock.iso()


def _send(log: Message, template: str, payload: dict[str, Any], preference: Preference) -> providers.Sent:
    """WhatsApp first — free-form inside the 24-hour window, else the approved template — and
    SMS when the user prefers it, no template exists, or WhatsApp refuses."""
    provider = providers.provider()
    if preference.channel != "sms":
        try:
            if _window_open(preference):
                log.channel = "whatsapp"
                return provider.send_whatsapp_text(log.phone, log.body)
            content_sid = notify_settings().whatsapp_templates.get(template, {}).get(log.language)
            if content_sid:
                variables = templates.values(template, payload, log.language)
                numbered = {str(i): variables[name] for i, name in enumerate(templates.VARIABLES[template], 1)}
                log.channel = "whatsapp"
                return provider.send_whatsapp(log.phone, content_sid, numbered)
        except providers.Refused as refused:  # not on WhatsApp, template paused…: fall back to SMS
            log.error_code, log.error_message = refused.code, f"whatsapp: {refused.reason}"
    log.channel = "sms"
    return provider.send_sms(log.phone, log.body)


def _deliver(event: Event, template: str, user: Any) -> Message:
    log = _log_item(event, template, user)
    if log.status != "sending":
        return log  # a redelivered event: this one already went out (or was refused for good)
    preference = get_preference(user.user_id)
    log.attempts = int(log.attempts) + 1
    log.provider = providers.provider().name
    if preference.opted_out:
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


# ============================================================================ provider callbacks

# a status only moves forward: a late `sent` never overwrites `delivered`
STATUS_RANK = {
    "sending": 0,
    "queued": 1,
    "accepted": 1,
    "sent": 2,
    "delivered": 3,
    "undelivered": 3,
    "failed": 3,
    "read": 4,
}


def apply_status(sid: str, status: str, error_code: str | None) -> bool:
    """A Twilio status callback: update the message's status if it moves it forward.
    Idempotent and order-tolerant; False when the callback changes nothing."""
    rank = STATUS_RANK.get(status)
    if rank is None:
        return False
    try:
        link = ProviderSid.get(keys.provider_sid(sid), keys.PROVIDER_SID_SK, consistent_read=True)
    except DoesNotExist:
        return False
    actions = [
        Message.status.set(status),
        Message.status_rank.set(rank),
        Message.updated_at.set(clock.iso()),
    ]
    if error_code:
        actions.append(Message.error_code.set(error_code))
    try:
        Message(PK=link.message_pk, SK=keys.MESSAGE_SK).update(
            actions=actions, condition=Message.PK.exists() & (Message.status_rank < rank)
        )
    except UpdateError:
        return False
    return True


OPT_OUT_WORDS = frozenset(
    {"stop", "arret", "arrêt", "arreter", "arrêter", "unsubscribe", "توقف", "إيقاف", "ايقاف", "الغاء", "إلغاء"}
)
OPT_IN_WORDS = frozenset({"start", "reprise", "reprendre", "ابدأ", "ابدا", "اشتراك"})
STATUS_WORDS = frozenset({"status", "statut", "etat", "état", "حالة", "حاله"})
REPLIES = {
    "opted_out": {
        "ar": "تم إيقاف رسائل ليفريلي. أرسل ابدأ لاستئنافها.",
        "fr": "Vous ne recevrez plus de messages Livrili. Envoyez START pour reprendre.",
        "en": "You will no longer receive Livrili messages. Send START to resume.",
    },
    "opted_in": {
        "ar": "تم استئناف رسائل ليفريلي.",
        "fr": "Les messages Livrili reprennent.",
        "en": "Livrili messages are back on.",
    },
    "status": {
        "ar": "طلبيتكم الأخيرة {number}: {status}.",
        "fr": "Votre dernière commande {number} : {status}.",
        "en": "Your latest order {number}: {status}.",
    },
    "no_order": {"ar": "لا توجد طلبيات بعد.", "fr": "Aucune commande pour l'instant.", "en": "No orders yet."},
    "unknown": {
        "ar": "مرحبا! هذا الرقم خاص بزبائن ليفريلي. للتسجيل: livrili.dz",
        "fr": "Bonjour ! Ce numéro est réservé aux clients Livrili. Inscription : livrili.dz",
        "en": "Hello! This number serves Livrili customers. Sign up at livrili.dz",
    },
    "help": {
        "ar": "أرسل حالة لمعرفة حالة طلبيتكم، أو توقف لإيقاف الرسائل.",
        "fr": "Envoyez STATUT pour l'état de votre commande, ou STOP pour ne plus recevoir de messages.",
        "en": "Send STATUS for your order's status, or STOP to stop messages.",
    },
}
ORDER_STATUS_WORDS = {
    "pending": {"ar": "قيد الانتظار", "fr": "en attente", "en": "pending"},
    "confirmed": {"ar": "مؤكدة", "fr": "confirmée", "en": "confirmed"},
    "preparing": {"ar": "قيد التحضير", "fr": "en préparation", "en": "being prepared"},
    "out_for_delivery": {"ar": "في الطريق", "fr": "en route", "en": "on its way"},
    "delivered": {"ar": "تم التسليم", "fr": "livrée", "en": "delivered"},
    "cancelled": {"ar": "ملغاة", "fr": "annulée", "en": "cancelled"},
}


def _keyword(body: str) -> str:
    import unicodedata

    word = unicodedata.normalize("NFKC", body).strip().strip(".!?؟").lower()
    return word.split()[0] if word else ""


def _consent(tx: Any, user_id: str, action: str, source: str, evidence: str | None, channel: str | None) -> None:
    moment = clock.now()
    entry_id = new_id(moment)
    tx.create(
        ConsentEntry(
            PK=keys.user(user_id),
            SK=keys.consent(clock.iso(moment), entry_id),
            user_id=user_id,
            action=action,
            channel=channel,
            source=source,
            evidence=evidence,
            created_at=clock.iso(moment),
        ),
        label="consent",
    )


def handle_inbound(sender: str, body: str, sid: str) -> str:
    """A message from a phone: record it, open the WhatsApp window, act on the keywords;
    returns the reply text (unknown senders get a polite reply and nothing else)."""
    channel = "whatsapp" if sender.startswith("whatsapp:") else "sms"
    phone = sender.removeprefix("whatsapp:")
    user = accounts_items.user_by_phone(phone)
    word = _keyword(body)
    lang = user.language if user is not None and user.language in LANGS else "fr"
    if user is None:
        handled, reply = "unknown_sender", REPLIES["unknown"][lang]
    elif word in OPT_OUT_WORDS:
        handled, reply = "opt_out", REPLIES["opted_out"][lang]
    elif word in OPT_IN_WORDS:
        handled, reply = "opt_in", REPLIES["opted_in"][lang]
    elif word in STATUS_WORDS:
        handled, reply = "status", _latest_order_status(user, lang)
    else:
        handled, reply = "other", REPLIES["help"][lang]
    now = clock.iso()
    with transaction() as tx:
        tx.put(
            Inbound(
                PK=keys.INBOUND,
                SK=keys.inbound(now, sid),
                sid=sid,
                sender=mask_phone(phone) or "",
                channel=channel,
                user_id=user.user_id if user is not None else None,
                body=body[:1600],
                handled_as=handled,
                created_at=now,
                expires_at=clock.epoch(clock.now() + timedelta(days=90)),
            ),
            label="inbound",
        )
        if user is not None:
            preference = get_preference(user.user_id)
            values: dict[str, Any] = {"updated_at": now}
            if channel == "whatsapp":
                values["window_until"] = clock.iso(clock.now() + timedelta(hours=24))
            if handled in ("opt_out", "opt_in"):
                values["opted_out"] = handled == "opt_out"
                _consent(tx, user.user_id, handled, f"inbound {channel}", f"{word} ({sid})", channel)
            for name, value in values.items():
                setattr(preference, name, value)
            tx.put(preference, label="preference")
    count(f"Inbound_{handled}")
    return reply


def _latest_order_status(user: Any, lang: str) -> str:
    actor = Actor(user_id=user.user_id, role=user.role, retailer_id=user.retailer_id, username=user.username)
    if not user.retailer_id:
        return REPLIES["no_order"][lang]
    latest, _ = order_views.list_orders(actor, order_schemas.OrderListQuery(limit=1))
    if not latest:
        return REPLIES["no_order"][lang]
    status = ORDER_STATUS_WORDS[latest[0].status][lang]
    return REPLIES["status"][lang].format(number=latest[0].order_number, status=status)


def set_preference(actor: Any, channel: str | None, opted_out: bool | None) -> Preference:
    """A user chooses a channel or opts in/out from the app; every change goes to the consent log."""
    preference = get_preference(actor.user_id)
    with transaction() as tx:
        if channel is not None and channel != preference.channel:
            preference.channel = channel
            _consent(tx, actor.user_id, "channel", "api", None, channel)
        if opted_out is not None and opted_out != bool(preference.opted_out):
            preference.opted_out = opted_out
            _consent(tx, actor.user_id, "opt_out" if opted_out else "opt_in", "api", None, None)
        preference.updated_at = clock.iso()
        tx.put(preference, label="preference")
    return preference


def preference_view(preference: Preference) -> dict[str, Any]:
    return {
        "channel": preference.channel,
        "opted_out": bool(preference.opted_out),
        "whatsapp_window_open": _window_open(preference),
        "updated_at": preference.updated_at,
    }


# ============================================================================ admin


def list_messages(cursor: str | None, limit: int) -> tuple[list[Message], str | None]:
    scope = "messages"
    result = Message.gsi1.query(
        keys.MESSAGES, scan_index_forward=False, limit=limit, last_evaluated_key=decode_cursor(cursor, scope)
    )
    items = [m for m in result if isinstance(m, Message)][:limit]
    return items, encode_cursor(result.last_evaluated_key, scope)


def message_view(message: Message) -> dict[str, Any]:
    return {
        "message_id": message.message_id,
        "event_id": message.event_id,
        "kind": message.kind,
        "template": message.template,
        "language": message.language,
        "user_id": message.user_id,
        "retailer_id": message.retailer_id,
        "to": mask_phone(message.phone),
        "channel": message.channel,
        "status": message.status,
        "body": message.body,
        "segments": int(message.segments),
        "provider": message.provider,
        "provider_sid": message.provider_sid,
        "attempts": int(message.attempts),
        "error_code": message.error_code,
        "error_message": message.error_message,
        "created_at": message.created_at,
        "updated_at": message.updated_at,
    }
