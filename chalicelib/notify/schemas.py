"""Notification shapes: the event on the queue, the admin's view of a message."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AwareDatetime, Field

from chalicelib.accounts.schemas import Wilaya
from chalicelib.core.schemas import Flag, FreeText, Model, Strict


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


class PushKeysIn(Strict):
    p256dh: str = Field(min_length=80, max_length=100, description="the browser's P-256 public key, base64url")
    auth: str = Field(min_length=16, max_length=32, description="the browser's 16-byte auth secret, base64url")


class PushSubscriptionIn(Strict):
    """The browser's `PushSubscription.toJSON()`, as is."""

    endpoint: str = Field(min_length=12, max_length=1024, description="https URL at the browser's push service")
    keys: PushKeysIn
    expirationTime: int | None = Field(default=None, description="ignored: the push service says 410 when it ends")


class PushSubscriptionOut(Model):
    subscription_id: str
    push_service: str  # the endpoint's origin only: the full URL is a bearer capability
    user_agent: str | None
    created_at: str


class PushKeyOut(Model):
    public_key: str  # the `applicationServerKey` to subscribe with


class AnnouncementTexts(Strict):
    ar: FreeText
    fr: FreeText | None = None
    en: FreeText | None = None


class AnnouncementIn(Strict):
    texts: AnnouncementTexts
    audience: Literal["shops", "wilaya", "drivers", "everyone"] = "shops"
    wilaya: Wilaya | None = Field(default=None, description="with audience `wilaya` only")
    ends_at: AwareDatetime | None = Field(default=None, description="shown until then (ISO-8601 with offset)")


class AnnouncementOut(Model):
    announcement_id: str
    text: str  # in the reader's language, else the next they likely read
    language: Literal["ar", "fr", "en"]
    created_at: str
    ends_at: str | None


class AdminAnnouncementOut(AnnouncementOut):
    texts: dict[str, str]
    audience: str
    wilaya: int | None
    withdrawn_at: str | None
    live: bool
