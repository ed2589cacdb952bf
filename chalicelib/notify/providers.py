"""Who sends the messages: Twilio (WhatsApp templates, SMS) when credentials are configured,
otherwise a provider that records them (the local stack, tests) — the message log shows what
would have gone out. `twilio` is imported only by the Twilio provider, in the worker."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from chalicelib.core.ids import new_id


class TransientFailure(Exception):
    """Worth retrying later (5xx, 429, timeouts): the queue redelivers the event."""


@dataclass(frozen=True)
class Sent:
    sid: str
    status: str


@dataclass(frozen=True)
class Refused(Exception):
    """The provider refused this message for good (error code and reason kept in the log)."""

    code: str
    reason: str


class Provider(Protocol):
    name: str

    def send_sms(self, to: str, body: str) -> Sent: ...

    def send_whatsapp(self, to: str, content_sid: str, variables: dict[str, str]) -> Sent: ...

    def send_whatsapp_text(self, to: str, body: str) -> Sent: ...


class RecordingProvider:
    """No credentials: nothing leaves the machine, every message is 'sent' and logged."""

    name = "recorded"

    def send_sms(self, to: str, body: str) -> Sent:
        return Sent(sid=f"REC{new_id()}", status="sent")

    def send_whatsapp(self, to: str, content_sid: str, variables: dict[str, str]) -> Sent:
        return Sent(sid=f"REC{new_id()}", status="sent")

    def send_whatsapp_text(self, to: str, body: str) -> Sent:
        return Sent(sid=f"REC{new_id()}", status="sent")


class TwilioProvider:
    name = "twilio"

    def __init__(self, client: Any, sms_from: str, whatsapp_from: str, status_callback: str | None) -> None:
        self.client = client
        self.sms_from = sms_from
        self.whatsapp_from = whatsapp_from
        self.status_callback = status_callback

    def _create(self, **kwargs: Any) -> Sent:
        from twilio.base.exceptions import TwilioRestException

        if self.status_callback:
            kwargs["status_callback"] = self.status_callback
        try:
            message = self.client.messages.create(**kwargs)
        except TwilioRestException as exc:
            if exc.status == 429 or exc.status >= 500:
                raise TransientFailure(f"twilio {exc.status} {exc.code}") from exc
            # a 4xx will not change on a retry: an invalid number (21211), not a mobile (21614),
            # opted out (21610), not on WhatsApp (63003), outside the session window (63016)…
            raise Refused(code=str(exc.code or exc.status), reason=str(exc.msg)[:300]) from exc
        except OSError as exc:  # timeouts, connection resets
            raise TransientFailure(str(exc)) from exc
        return Sent(sid=message.sid, status=message.status or "queued")

    def send_sms(self, to: str, body: str) -> Sent:
        return self._create(to=to, from_=self.sms_from, body=body)

    def send_whatsapp(self, to: str, content_sid: str, variables: dict[str, str]) -> Sent:
        return self._create(
            to=f"whatsapp:{to}",
            from_=f"whatsapp:{self.whatsapp_from}",
            content_sid=content_sid,
            content_variables=json.dumps(variables, ensure_ascii=False),
        )

    def send_whatsapp_text(self, to: str, body: str) -> Sent:
        """Free-form WhatsApp: allowed only inside the 24 hours after the user's last message."""
        return self._create(to=f"whatsapp:{to}", from_=f"whatsapp:{self.whatsapp_from}", body=body)


@lru_cache(maxsize=1)
def provider() -> Provider:
    """Twilio when credentials are configured (secret or environment), else the recorder."""
    from chalicelib.core.config import notify_settings

    cfg = notify_settings()
    if not cfg.twilio_account_sid:
        return RecordingProvider()
    from twilio.rest import Client

    client = Client(cfg.twilio_account_sid, cfg.twilio_auth_token)
    return TwilioProvider(client, cfg.sms_from, cfg.whatsapp_from, cfg.status_callback_url)


def reset() -> None:
    provider.cache_clear()
