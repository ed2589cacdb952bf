"""Notification HTTP routes: the admins' message log, users' preferences, Twilio's webhooks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl
from xml.sax.saxutils import escape

from chalice import Blueprint, Response

from chalicelib.core import lazy
from chalicelib.core.config import notify_settings, settings
from chalicelib.core.errors import Forbidden, NotFound
from chalicelib.core.rbac import ALL_ROLES, PUBLIC, Actor, Role
from chalicelib.core.routes import FORM, Page, RequestInfo, endpoint, raw_body

if TYPE_CHECKING:
    from chalicelib.core import schemas as core_schemas
    from chalicelib.notify import announcements, inbound, preferences, push, schemas, views
else:
    core_schemas = lazy.module("chalicelib.core.schemas")
    announcements = lazy.module("chalicelib.notify.announcements")
    inbound = lazy.module("chalicelib.notify.inbound")
    preferences = lazy.module("chalicelib.notify.preferences")
    push = lazy.module("chalicelib.notify.push")
    schemas = lazy.module("chalicelib.notify.schemas")
    views = lazy.module("chalicelib.notify.views")


bp = Blueprint(__name__)


@endpoint(
    bp,
    "/v1/admin/messages",
    "GET",
    roles=(Role.ADMIN,),
    summary="Messages sent to shops (WhatsApp/SMS), newest first: channel, language, status, provider id",
    tag="admin",
    response=lambda: schemas.MessageOut,
    is_list=True,
)
def list_messages(actor: Actor, query: core_schemas.PageQuery) -> Page:
    items, cursor = views.list_messages(query.cursor, query.limit)
    return Page([schemas.MessageOut.model_validate(views.message_view(m)).model_dump() for m in items], cursor)


# ------------------------------------------------------------------ preferences


@endpoint(
    bp,
    "/v1/me/notifications",
    "GET",
    roles=ALL_ROLES,
    summary="How I hear from Livrili: channel, opt-out, whether a WhatsApp session is open",
    tag="notifications",
    response=lambda: schemas.PreferenceOut,
)
def get_preferences(actor: Actor) -> dict[str, Any]:
    return preferences.preference_view(preferences.get_preference(actor.user_id or ""))


@endpoint(
    bp,
    "/v1/me/notifications",
    "PATCH",
    roles=ALL_ROLES,
    summary="Choose WhatsApp or SMS, or opt out of messages (recorded in the consent log)",
    tag="notifications",
    response=lambda: schemas.PreferenceOut,
)
def patch_preferences(actor: Actor, body: schemas.PreferencePatchIn) -> dict[str, Any]:
    return preferences.preference_view(preferences.set_preference(actor, body.channel, body.opted_out))


# ------------------------------------------------------------------ announcements


@endpoint(
    bp,
    "/v1/announcements",
    "GET",
    roles=ALL_ROLES,
    summary="Announcements from Livrili meant for me, newest first, in my language",
    tag="notifications",
    response=lambda: schemas.AnnouncementOut,
    is_list=True,
)
def my_announcements(actor: Actor, info: RequestInfo) -> Page:
    return Page([announcements.view(a, info.lang, admin=False) for a in announcements.for_actor(actor)])


@endpoint(
    bp,
    "/v1/admin/announcements",
    "GET",
    roles=(Role.ADMIN,),
    summary="Announcements, newest first, live or not",
    tag="admin",
    response=lambda: schemas.AdminAnnouncementOut,
    is_list=True,
)
def list_announcements(actor: Actor, info: RequestInfo) -> Page:
    return Page([announcements.view(a, info.lang, admin=True) for a in announcements.newest()])


@endpoint(
    bp,
    "/v1/admin/announcements",
    "POST",
    roles=(Role.ADMIN,),
    summary="Announce something to every shop, a wilaya's shops, the drivers or everyone (ar, fr, en)",
    tag="admin",
    response=lambda: schemas.AdminAnnouncementOut,
    status=201,
    errors=(409,),
)
def post_announcement(actor: Actor, body: schemas.AnnouncementIn, info: RequestInfo) -> dict[str, Any]:
    texts = body.texts.model_dump(exclude_none=True)
    item = announcements.post(actor, texts, body.audience, body.wilaya, body.ends_at)
    return announcements.view(item, info.lang, admin=True)


@endpoint(
    bp,
    "/v1/admin/announcements/{announcement_id}/withdrawal",
    "POST",
    roles=(Role.ADMIN,),
    summary="Stop showing an announcement",
    tag="admin",
    response=lambda: schemas.AdminAnnouncementOut,
    errors=(409,),
)
def withdraw_announcement(actor: Actor, announcement_id: str, info: RequestInfo) -> dict[str, Any]:
    return announcements.view(announcements.withdraw(actor, announcement_id), info.lang, admin=True)


# ------------------------------------------------------------------ Web Push


@endpoint(
    bp,
    "/v1/push/key",
    "GET",
    roles=ALL_ROLES,
    summary="The stage's VAPID public key: the applicationServerKey browsers subscribe with",
    tag="notifications",
    response=lambda: schemas.PushKeyOut,
)
def push_key(actor: Actor) -> dict[str, Any]:
    return {"public_key": push.public_key()}


@endpoint(
    bp,
    "/v1/me/push-subscriptions",
    "GET",
    roles=ALL_ROLES,
    summary="The browsers that receive my notifications",
    tag="notifications",
    response=lambda: schemas.PushSubscriptionOut,
    is_list=True,
)
def list_push_subscriptions(actor: Actor) -> Page:
    return Page([views.push_subscription_view(s) for s in push.of_user(actor.user_id or "")])


@endpoint(
    bp,
    "/v1/me/push-subscriptions",
    "POST",
    roles=ALL_ROLES,
    summary="Receive notifications in this browser (its PushSubscription JSON); again: replaced",
    tag="notifications",
    response=lambda: schemas.PushSubscriptionOut,
    status=201,
)
def add_push_subscription(actor: Actor, body: schemas.PushSubscriptionIn) -> dict[str, Any]:
    audience = announcements.audience_of(actor)
    item = push.save(actor.user_id or "", body.endpoint, body.keys.p256dh, body.keys.auth, actor.user_agent, audience)
    return views.push_subscription_view(item)


@endpoint(
    bp,
    "/v1/me/push-subscriptions/{subscription_id}",
    "DELETE",
    roles=ALL_ROLES,
    summary="Stop notifications in one browser",
    tag="notifications",
)
def remove_push_subscription(actor: Actor, subscription_id: str) -> dict[str, Any]:
    if not push.remove(actor.user_id or "", subscription_id):
        raise NotFound()
    return {"removed": subscription_id}


# ------------------------------------------------------------------ Twilio webhooks


def _public_url() -> str:
    """The URL Twilio called, as it signed it: the configured public base (a custom domain),
    else API Gateway's domain and path (stage included), else the local Host."""
    request = bp.current_request
    context = request.context or {}
    path = context.get("resourcePath") or "/"
    base = settings().public_base_url
    if base:
        return base + path
    if context.get("domainName") and context.get("path"):
        return f"https://{context['domainName']}{context['path']}"
    proto = request.headers.get("x-forwarded-proto", "http")
    return f"{proto}://{request.headers.get('host', '')}{path}"


def _signed_params() -> dict[str, str]:
    """The form fields, if Twilio's signature over them and the public URL holds; else 403."""
    from twilio.request_validator import RequestValidator

    request = bp.current_request
    params = dict(parse_qsl(raw_body(request).decode("utf-8", "replace"), keep_blank_values=True))
    token = notify_settings().twilio_auth_token
    signature = request.headers.get("x-twilio-signature", "")
    if not token or not signature or not RequestValidator(token).validate(_public_url(), params, signature):
        raise Forbidden("invalid_signature")
    return params


def _twiml(text: str | None) -> Response:
    body = '<?xml version="1.0" encoding="UTF-8"?><Response>'
    if text:
        body += f"<Message>{escape(text)}</Message>"
    body += "</Response>"
    return Response(body=body, status_code=200, headers={"Content-Type": "text/xml; charset=utf-8"})


@endpoint(
    bp,
    "/v1/webhooks/twilio/status",
    "POST",
    roles=(PUBLIC,),
    summary="Twilio delivery status callback (form-encoded, signed)",
    tag="webhooks",
    content_types=(FORM,),
    errors=(403,),
)
def twilio_status(actor: Actor) -> Response:
    params = _signed_params()
    inbound.apply_status(params.get("MessageSid", ""), params.get("MessageStatus", ""), params.get("ErrorCode"))
    return _twiml(None)


@endpoint(
    bp,
    "/v1/webhooks/twilio/inbound",
    "POST",
    roles=(PUBLIC,),
    summary="A WhatsApp/SMS message to Livrili (form-encoded, signed): STOP, START, STATUS…",
    tag="webhooks",
    content_types=(FORM,),
    errors=(403,),
)
def twilio_inbound(actor: Actor) -> Response:
    params = _signed_params()
    reply = inbound.handle_inbound(params.get("From", ""), params.get("Body", ""), params.get("MessageSid", ""))
    return _twiml(reply)
