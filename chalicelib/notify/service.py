"""Notifications: the outbox, the relay to SQS, and the worker's delivery of each event.

A domain change adds `emit(tx, kind, payload)` to its transaction: the event is stored with
the change (an outbox item) and, once the transaction commits, sent to the notification
queue with short timeouts and no retries; if SQS does not answer, the request still
succeeds and `relay()` (every minute) sends what is left. The worker turns an event into one
message per recipient in the recipient's language — a WhatsApp template when one is
configured for it, else (or when WhatsApp refuses) an SMS — and keeps a log item per
message whose id follows from (event, recipient, template): a redelivered event finds the
message it already sent and does not text the retailer twice.
"""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache
from typing import Any

from pynamodb.exceptions import DoesNotExist

from chalicelib.core import clock
from chalicelib.core.config import notify_settings, settings
from chalicelib.core.ids import new_id
from chalicelib.core.observability import count, logger, mask_phone
from chalicelib.core.pagination import decode_cursor, encode_cursor
from chalicelib.db import keys
from chalicelib.db.tx import Tx
from chalicelib.notify import providers, templates
from chalicelib.notify.models import Message, OutboxEvent
from chalicelib.notify.schemas import Event

# event kind -> template (the texts live in `templates`)
KINDS = {
    "retailer.approved": "retailer_approved",
    "retailer.rejected": "retailer_rejected",
    "order.confirmed": "order_confirmed",
    "order.out_for_delivery": "order_out_for_delivery",
    "order.delivered": "order_delivered",
    "order.cancelled": "order_cancelled",
    "payment.received": "payment_received",
}
RELAY_AFTER = timedelta(seconds=60)
DONE = ("sent", "failed")


# ============================================================================ outbox


@lru_cache(maxsize=1)
def _sqs() -> Any:
    import boto3
    from botocore.config import Config

    # never hold a request up: one quick try, the relay sends what does not get through
    config = Config(connect_timeout=1, read_timeout=2, retries={"max_attempts": 1, "mode": "standard"})
    return boto3.client("sqs", region_name=settings().region, config=config)


@lru_cache(maxsize=1)
def _queue_url() -> str:
    url: str = _sqs().get_queue_url(QueueName=notify_settings().queue_name)["QueueUrl"]
    return url


def reset() -> None:
    """Forget clients (tests switch AWS mocks)."""
    _sqs.cache_clear()
    _queue_url.cache_clear()
    providers.reset()


def emit(tx: Tx, kind: str, payload: dict[str, Any]) -> None:
    """Announce `kind` with the change in `tx`; it is queued once the transaction commits."""
    if kind not in KINDS:
        raise ValueError(f"unknown event kind {kind!r}")
    moment = clock.now()
    event_id = new_id(moment)
    created = clock.iso(moment)
    item = OutboxEvent(
        PK=keys.OUTBOX,
        SK=keys.outbox(created, event_id),
        event_id=event_id,
        kind=kind,
        payload=payload,
        created_at=created,
    )
    tx.create(item, label="outbox")
    tx.after_commit(lambda: publish(item))


def publish(item: OutboxEvent) -> bool:
    """Put one outbox event on the queue and drop it from the outbox; False if SQS failed."""
    body = Event(event_id=item.event_id, kind=item.kind, payload=item.payload, created_at=item.created_at)
    try:
        _sqs().send_message(QueueUrl=_queue_url(), MessageBody=body.model_dump_json())
    except Exception:  # the event stays in the outbox; the relay sends it
        logger.warning("notification queue unreachable; event kept in the outbox", extra={"event_id": item.event_id})
        count("OutboxDeferred")
        return False
    try:
        item.delete()
    except Exception:  # sent twice at worst: the worker is idempotent per message
        logger.warning("outbox item not deleted", extra={"event_id": item.event_id})
    return True


def relay() -> int:
    """Send the events still in the outbox a minute after their change; returns how many."""
    horizon = clock.iso(clock.now() - RELAY_AFTER)
    sent = 0
    for item in OutboxEvent.query(keys.OUTBOX, horizon > OutboxEvent.SK, consistent_read=True):
        sent += publish(item)
    return sent


# ============================================================================ worker


def _recipients(event: Event) -> list[Any]:
    from chalicelib.accounts import service as accounts  # accounts emits events too: no import cycle

    retailer_id = event.payload.get("retailer_id")
    return accounts.shop_contacts(retailer_id) if retailer_id else []


def handle(body: dict[str, Any]) -> list[Message]:
    """Deliver one queued event to each recipient. Raises `providers.TransientFailure` when a
    message should be retried (the queue redelivers the event; sent messages are skipped)."""
    event = Event.model_validate(body)
    template = KINDS[event.kind]
    return [_deliver(event, template, user) for user in _recipients(event)]


def _log_item(event: Event, template: str, user: Any) -> Message:
    pk = keys.message(event.event_id, user.user_id, template)
    try:
        return Message.get(pk, keys.MESSAGE_SK, consistent_read=True)
    except DoesNotExist:
        now = clock.iso()
        message_id = new_id()
        lang = user.language if user.language in templates.TEMPLATES[template] else "fr"
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
            retailer_id=event.payload.get("retailer_id"),
            phone=user.phone,
            channel="sms",
            status="sending",
            body=body,
            segments=templates.segments(body),
            provider=providers.provider().name,
            created_at=now,
            updated_at=now,
        )


def _deliver(event: Event, template: str, user: Any) -> Message:
    log = _log_item(event, template, user)
    if log.status in DONE:
        return log  # a redelivered event: this one already went out (or was refused for good)
    provider = providers.provider()
    log.attempts = int(log.attempts) + 1
    log.provider = provider.name
    content_sid = notify_settings().whatsapp_templates.get(template, {}).get(log.language)
    try:
        sent = None
        if content_sid:
            try:
                variables = templates.values(template, event.payload, log.language)
                numbered = {str(i): variables[name] for i, name in enumerate(templates.VARIABLES[template], 1)}
                sent = provider.send_whatsapp(log.phone, content_sid, numbered)
                log.channel = "whatsapp"
            except providers.Refused as refused:  # not on WhatsApp, template paused…: fall back to SMS
                log.error_code, log.error_message = refused.code, f"whatsapp: {refused.reason}"
        if sent is None:
            sent = provider.send_sms(log.phone, log.body)
            log.channel = "sms"
        log.status, log.provider_sid = "sent", sent.sid
        count("MessageSent")
    except providers.Refused as refused:
        log.status, log.error_code, log.error_message = "failed", refused.code, refused.reason
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
