"""Notification shapes: the event on the queue, the admin's view of a message."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class Event(BaseModel):
    """One SQS message body."""

    event_id: str
    kind: str
    payload: dict[str, Any]
    created_at: str


class MessageOut(BaseModel):
    message_id: str
    event_id: str
    kind: str
    template: str
    language: str
    user_id: str
    retailer_id: str | None
    to: str | None
    channel: str
    status: str
    body: str
    segments: int
    provider: str
    provider_sid: str | None
    attempts: int
    error_code: str | None
    error_message: str | None
    created_at: str
    updated_at: str
