"""Notification shapes: the event on the queue, the admin's view of a message."""

from __future__ import annotations

from typing import Any, Literal

from chalicelib.core.schemas import Flag, Model, Strict


class Event(Model):
    """One SQS message body."""

    event_id: str
    kind: str
    payload: dict[str, Any]
    created_at: str


class MessageOut(Model):
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


class PreferenceOut(Model):
    channel: Literal["whatsapp", "sms"]
    opted_out: bool
    whatsapp_window_open: bool
    updated_at: str


class PreferencePatchIn(Strict):
    channel: Literal["whatsapp", "sms"] | None = None
    opted_out: Flag | None = None
