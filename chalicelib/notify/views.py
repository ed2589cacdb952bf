"""The message log as the admins see it (newest first, phones masked); push subscriptions as
their user sees them (the push service, never the endpoint: it is a capability)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from chalicelib.core.observability import mask_phone
from chalicelib.core.pagination import decode_cursor, encode_cursor
from chalicelib.db import keys
from chalicelib.notify.models import Message, PushSubscription


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


def push_subscription_view(item: PushSubscription) -> dict[str, Any]:
    parts = urlsplit(item.endpoint)
    return {
        "subscription_id": item.subscription_id,
        "push_service": f"{parts.scheme}://{parts.netloc}",
        "user_agent": item.user_agent,
        "created_at": item.created_at,
    }
