"""Twilio webhooks, signed by the Twilio SDK: status callbacks (idempotent, never backwards),
inbound messages (opt-out in three languages, status query, unknown senders, the WhatsApp
window), signature failures; and the users' notification preferences."""

from __future__ import annotations

import json
from dataclasses import replace
from urllib.parse import urlencode

import pytest

from chalicelib.db import keys
from chalicelib.notify import handlers, routes
from chalicelib.notify.models import ConsentEntry, Inbound
from tests.api.test_notify import FakeTwilio, _confirm, _queue_messages, _records, _sent

TOKEN = "twilio-auth-token-for-tests"
BASE = "https://api.livrili.test/v1"


@pytest.fixture(autouse=True)
def signed(aws, monkeypatch):  # after `aws`: undone before it resets the clients
    from chalicelib.core import config

    current = config.notify_settings()
    monkeypatch.setattr(routes, "notify_settings", lambda: replace(current, twilio_auth_token=TOKEN))
    signed_at = replace(config.settings(), public_base_url=BASE)
    monkeypatch.setattr(routes, "settings", lambda: signed_at)


def post_form(api, path: str, params: dict, signature: str | None = "compute", **kw):
    from twilio.request_validator import RequestValidator

    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if signature == "compute":
        signature = RequestValidator(TOKEN).compute_signature(BASE + path, params)
    if signature is not None:
        headers["X-Twilio-Signature"] = signature
    return api.call("POST", path, None, urlencode(params), headers=headers)


def _text(reply) -> str:
    """A TwiML (XML) answer's text."""
    raw = reply.body.get("raw", b"")
    return raw.decode() if isinstance(raw, bytes) else str(raw)


def _sent_messages(api, admin_token, shop, catalog) -> list[dict]:
    _queue_messages()
    _confirm(api, admin_token, shop, catalog)
    handlers.process(_records(_queue_messages()))
    return api.get("/v1/admin/messages", admin_token).data


def test_status_callbacks_move_forward_only(api, admin_token, shop, catalog):
    message = _sent_messages(api, admin_token, shop, catalog)[0]
    sid = message["provider_sid"]
    path = "/v1/webhooks/twilio/status"
    for status in ("delivered", "sent", "delivered", "queued"):  # late and repeated callbacks
        reply = post_form(api, path, {"MessageSid": sid, "MessageStatus": status, "AccountSid": "AC1"})
        assert reply.status == 200 and "<Response>" in _text(reply)
    log = {m["message_id"]: m for m in api.get("/v1/admin/messages", admin_token).data}
    assert log[message["message_id"]]["status"] == "delivered"
    post_form(api, path, {"MessageSid": sid, "MessageStatus": "read"})
    log = {m["message_id"]: m for m in api.get("/v1/admin/messages", admin_token).data}
    assert log[message["message_id"]]["status"] == "read"
    unknown = post_form(api, path, {"MessageSid": "SMunknown", "MessageStatus": "delivered"})
    assert unknown.status == 200


@pytest.mark.parametrize("case", ["missing", "invalid", "tampered"])
def test_unsigned_or_tampered_callbacks_are_refused_and_change_nothing(api, admin_token, shop, catalog, case):
    message = _sent_messages(api, admin_token, shop, catalog)[0]
    params = {"MessageSid": message["provider_sid"], "MessageStatus": "delivered"}
    path = "/v1/webhooks/twilio/status"
    if case == "missing":
        reply = post_form(api, path, params, signature=None)
    elif case == "invalid":
        reply = post_form(api, path, params, signature="bm90IGEgc2lnbmF0dXJl")
    else:
        from twilio.request_validator import RequestValidator

        signature = RequestValidator(TOKEN).compute_signature(BASE + path, {**params, "MessageStatus": "sent"})
        reply = post_form(api, path, params, signature=signature)
    assert reply.status == 403 and reply.error["code"] == "invalid_signature"
    log = {m["message_id"]: m for m in api.get("/v1/admin/messages", admin_token).data}
    assert log[message["message_id"]]["status"] == "sent"
    inbound = post_form(api, "/v1/webhooks/twilio/inbound", {"From": "+213661000000", "Body": "STOP"}, signature=None)
    assert inbound.status == 403 and list(Inbound.query(keys.INBOUND)) == []


def _phone_of(api, token) -> str:
    return api.get("/v1/me", token).data["user"]["phone"]


@pytest.mark.parametrize(("word", "lang", "reply"), [
    ("STOP", "fr", "Vous ne recevrez plus de messages Livrili"),
    ("Arrêt", "fr", "Vous ne recevrez plus de messages Livrili"),
    ("توقف", "ar", "تم إيقاف رسائل ليفريلي"),
    ("stop please", "en", "You will no longer receive Livrili messages"),
])  # fmt: skip
def test_opt_out_keywords_in_three_languages(api, admin_token, shop, catalog, word, lang, reply):
    uid = shop["buyer_id"]
    api.patch(f"/v1/retailers/{shop['retailer_id']}/users/{uid}", shop["owner_token"], {"language": lang})
    phone = _phone_of(api, shop["buyer_token"])
    answer = post_form(
        api, "/v1/webhooks/twilio/inbound", {"From": f"whatsapp:{phone}", "Body": word, "MessageSid": "SM1"}
    )
    assert answer.status == 200 and reply in _text(answer)
    assert api.get("/v1/me/notifications", shop["buyer_token"]).data["opted_out"] is True
    consent = list(ConsentEntry.query(keys.user(uid), ConsentEntry.SK.startswith(keys.CONSENT_PREFIX)))
    assert [(c.action, c.source) for c in consent] == [("opt_out", "inbound whatsapp")]
    # no message to an opted-out user
    log = _sent_messages(api, admin_token, shop, catalog)
    mine = [m for m in log if m["user_id"] == uid]
    assert [m["status"] for m in mine] == ["suppressed"]
    # START brings them back
    post_form(api, "/v1/webhooks/twilio/inbound", {"From": f"whatsapp:{phone}", "Body": "START", "MessageSid": "SM2"})
    assert api.get("/v1/me/notifications", shop["buyer_token"]).data["opted_out"] is False


def test_status_keyword_answers_with_the_latest_order(api, admin_token, shop, catalog):
    placed = _confirm(api, admin_token, shop, catalog)
    api.patch(f"/v1/retailers/{shop['retailer_id']}/users/{shop['owner_id']}", shop["owner_token"], {"language": "ar"})
    phone = _phone_of(api, shop["owner_token"])
    answer = post_form(
        api, "/v1/webhooks/twilio/inbound", {"From": f"whatsapp:{phone}", "Body": "حالة", "MessageSid": "S"}
    )
    assert placed["order_number"] in _text(answer) and "مؤكدة" in _text(answer)
    french = post_form(api, "/v1/webhooks/twilio/inbound", {"From": phone, "Body": "Statut", "MessageSid": "S2"})
    assert placed["order_number"] in _text(french)


def test_unknown_senders_get_a_polite_reply_and_no_data(api, admin_token, shop, catalog):
    placed = _confirm(api, admin_token, shop, catalog)
    answer = post_form(api, "/v1/webhooks/twilio/inbound", {"From": "whatsapp:+213699999999", "Body": "statut"})
    assert answer.status == 200 and "réservé aux clients Livrili" in _text(answer)
    assert placed["order_number"] not in _text(answer)
    (recorded,) = list(Inbound.query(keys.INBOUND))
    assert recorded.handled_as == "unknown_sender" and recorded.sender.startswith("+2136") and "*" in recorded.sender


def test_inside_the_whatsapp_window_messages_are_free_form(api, admin_token, shop, catalog, monkeypatch):
    from twilio.rest import Client

    from chalicelib.notify import providers

    fake = FakeTwilio([_sent("W1"), _sent("S2")])
    provider = providers.TwilioProvider(Client("AC" + "0" * 32, "t", http_client=fake.http), "+1555", "+1666", None)
    monkeypatch.setattr(providers, "provider", lambda: provider)
    phone = _phone_of(api, shop["owner_token"])
    post_form(api, "/v1/webhooks/twilio/inbound", {"From": f"whatsapp:{phone}", "Body": "bonjour", "MessageSid": "I1"})
    assert api.get("/v1/me/notifications", shop["owner_token"]).data["whatsapp_window_open"] is True
    _sent_messages(api, admin_token, shop, catalog)
    owner_request = next(r for r in fake.requests if r["To"] == f"whatsapp:{phone}")
    assert "Body" in owner_request and "ContentSid" not in owner_request  # free-form, no template needed
    buyer_request = next(r for r in fake.requests if r is not owner_request)
    assert not buyer_request["To"].startswith("whatsapp:")  # no window, no template: SMS


def test_users_choose_their_channel_with_a_consent_trail(api, shop):
    token = shop["buyer_token"]
    default = api.get("/v1/me/notifications", token).data
    assert (default["channel"], default["opted_out"], default["whatsapp_window_open"]) == ("whatsapp", False, False)
    reply = api.patch("/v1/me/notifications", token, {"channel": "sms", "opted_out": True})
    assert reply.status == 200 and reply.data["channel"] == "sms" and reply.data["opted_out"] is True
    assert api.patch("/v1/me/notifications", token, {"channel": "pigeon"}).status == 422
    consent = list(ConsentEntry.query(keys.user(shop["buyer_id"])))
    assert sorted(c.action for c in consent) == ["channel", "opt_out"]
    assert json.dumps([c.source for c in consent]) == '["api", "api"]'
