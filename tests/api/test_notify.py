"""Notifications: the outbox written with the change and queued after commit, the relay when
SQS is down, the worker (WhatsApp template, SMS fallback, transient vs permanent Twilio
failures, partial batch failures, redelivery), the message log and the admin list."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest

from chalicelib.core import clock
from chalicelib.events import outbox
from chalicelib.notify import handlers, providers
from chalicelib.notify import worker as notify
from scripts.local_events import sqs_records


def _queue_messages() -> list[dict]:
    sqs, url = outbox.queue_client(), outbox.queue_url()
    found = []
    while True:
        reply = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0)
        if not reply.get("Messages"):
            return found
        found += reply["Messages"]
        for m in reply["Messages"]:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])


def _records(messages: list[dict], receive_count: int = 1) -> list[dict]:
    arn = "arn:aws:sqs:eu-west-3:123456789012:livrili-test-notifications"
    return sqs_records(messages, arn, "eu-west-3", receive_count)


def _confirm(api, admin_token, shop, catalog) -> dict:
    placed = api.post(
        "/v1/orders",
        shop["buyer_token"],
        {"items": [{"product_id": catalog["oil"]["product_id"], "quantity": 4}]},
        headers={"Idempotency-Key": f"notify-{shop['retailer_id']}"},
    ).data
    assert api.post(f"/v1/orders/{placed['order_id']}/transitions", admin_token, {"to": "confirmed"}).status == 200
    return placed


@pytest.fixture
def queued(api, admin_token, shop, catalog):
    _queue_messages()  # the approval of the shop fixture queued its own event
    order = _confirm(api, admin_token, shop, catalog)
    messages = _queue_messages()
    assert [json.loads(m["Body"])["kind"] for m in messages] == ["order.confirmed"]
    return order, messages


def test_an_order_confirmation_is_queued_after_commit_and_recorded(api, admin_token, shop, queued):
    order, messages = queued
    event = json.loads(messages[0]["Body"])
    assert event["payload"] == {
        "retailer_id": shop["retailer_id"],
        "order_id": order["order_id"],
        "number": order["order_number"],
        "amount": order["total_amount"],
    }
    assert outbox.OutboxEvent.count(outbox.keys.OUTBOX) == 0  # sent: nothing left for the relay
    result = handlers.process(_records(messages))
    assert result == {"batchItemFailures": []}
    log = api.get("/v1/admin/messages", admin_token).data
    # the shop's owner and buyer, each in their own language (the test users speak French)
    assert {m["user_id"] for m in log} == {shop["owner_id"], shop["buyer_id"]}
    first = log[0]
    assert first["status"] == "sent" and first["channel"] == "sms" and first["provider"] == "recorded"
    assert first["language"] == "fr" and order["order_number"] in first["body"]
    amount = f"{order['total_amount'] // 100:,}".replace(",", " ") + f",{order['total_amount'] % 100:02d} DA"
    assert amount in first["body"]  # babel's French format, plain spaces for SMS
    assert first["to"].startswith("+213") and "******" in first["to"]  # masked in the API


def test_a_redelivered_event_does_not_text_twice(api, admin_token, queued):
    _, messages = queued
    handlers.process(_records(messages))
    handlers.process(_records(messages))  # SQS delivers at least once
    log = api.get("/v1/admin/messages", admin_token).data
    assert len(log) == 2 and all(m["attempts"] == 1 for m in log)


def test_messages_follow_the_recipients_language(api, admin_token, shop, catalog):
    uid = shop["owner_id"]
    api.patch(f"/v1/retailers/{shop['retailer_id']}/users/{uid}", shop["owner_token"], {"language": "ar"})
    _queue_messages()
    _confirm(api, admin_token, shop, catalog)
    handlers.process(_records(_queue_messages()))
    log = {m["user_id"]: m for m in api.get("/v1/admin/messages", admin_token).data}
    assert log[uid]["language"] == "ar" and "تم تأكيد طلبيتكم" in log[uid]["body"]
    assert log[uid]["segments"] == 1  # Arabic is UCS-2: 70 characters a part


def test_an_unreachable_queue_keeps_the_event_for_the_relay(api, admin_token, shop, catalog, monkeypatch):
    _queue_messages()

    def down() -> str:
        raise ConnectionError("SQS unreachable")

    monkeypatch.setattr(outbox, "queue_url", down)
    order = _confirm(api, admin_token, shop, catalog)  # the request still succeeds
    assert api.get(f"/v1/orders/{order['order_id']}", admin_token).data["status"] == "confirmed"
    assert outbox.OutboxEvent.count(outbox.keys.OUTBOX) == 1
    monkeypatch.undo()
    assert outbox.relay() == 0  # too fresh: its own request may still be sending it
    clock.freeze(clock.now() + timedelta(minutes=2))
    assert outbox.relay() == 1
    assert outbox.OutboxEvent.count(outbox.keys.OUTBOX) == 0
    assert [json.loads(m["Body"])["kind"] for m in _queue_messages()] == ["order.confirmed"]


# ------------------------------------------------------------------ Twilio, through its SDK


class FakeTwilio:
    """A Twilio HTTP client answering from a script: `(status, json)` per request."""

    def __init__(self, answers: list[tuple[int, dict]]) -> None:
        from twilio.http import HttpClient

        outer = self

        class Client(HttpClient):
            def __init__(self) -> None:
                super().__init__(logging.getLogger("fake-twilio"), False)

            def request(self, method, url, params=None, data=None, headers=None, **kwargs):
                from twilio.http.response import Response

                outer.requests.append(dict(data or {}))
                status, body = outer.answers.pop(0)
                return Response(status, json.dumps(body))

        self.answers = answers
        self.requests: list[dict] = []
        self.http = Client()


def _sent(sid: str) -> tuple[int, dict]:
    return 201, {"sid": sid, "status": "queued"}


def _error(status: int, code: int) -> tuple[int, dict]:
    return status, {"code": code, "message": f"error {code}", "status": status}


@pytest.fixture
def twilio(monkeypatch):
    from twilio.rest import Client

    fake = FakeTwilio([])
    provider = providers.TwilioProvider(
        Client("AC" + "0" * 32, "token", http_client=fake.http), "+15550001111", "+15550002222", None
    )
    monkeypatch.setattr(providers, "provider", lambda: provider)
    return fake


def _with_templates(monkeypatch, mapping: dict) -> None:
    from dataclasses import replace

    from chalicelib.core import config

    current = config.notify_settings()
    monkeypatch.setattr(notify, "notify_settings", lambda: replace(current, whatsapp_templates=mapping))


def test_whatsapp_template_first(api, admin_token, queued, twilio, monkeypatch):
    _with_templates(monkeypatch, {"order_confirmed": {"fr": "HX" + "1" * 32}})
    _, messages = queued
    twilio.answers += [_sent("SM1"), _sent("SM2")]
    assert handlers.process(_records(messages)) == {"batchItemFailures": []}
    assert all(r["ContentSid"] == "HX" + "1" * 32 and r["To"].startswith("whatsapp:+213") for r in twilio.requests)
    variables = json.loads(twilio.requests[0]["ContentVariables"])
    assert set(variables) == {"1", "2"} and variables["1"].startswith("LV-")
    log = api.get("/v1/admin/messages", admin_token).data
    assert {m["channel"] for m in log} == {"whatsapp"} and {m["provider_sid"] for m in log} == {"SM1", "SM2"}


def test_no_whatsapp_falls_back_to_sms(api, admin_token, queued, twilio, monkeypatch):
    _with_templates(monkeypatch, {"order_confirmed": {"fr": "HX" + "1" * 32}})
    _, messages = queued
    # first recipient: not on WhatsApp (63003) then the SMS goes; second: WhatsApp works
    twilio.answers += [_error(400, 63003), _sent("SMS1"), _sent("WA2")]
    assert handlers.process(_records(messages)) == {"batchItemFailures": []}
    assert "Body" in twilio.requests[1] and twilio.requests[1]["From"] == "+15550001111"
    log = sorted(api.get("/v1/admin/messages", admin_token).data, key=lambda m: m["provider_sid"])
    assert [(m["channel"], m["provider_sid"], m["error_code"]) for m in log] == [
        ("sms", "SMS1", "63003"),
        ("whatsapp", "WA2", None),
    ]


def test_transient_failures_are_retried_permanent_ones_are_not(api, admin_token, shop, other_shop, catalog, twilio):
    _queue_messages()
    _confirm(api, admin_token, shop, catalog)
    _confirm(api, admin_token, other_shop, catalog)
    messages = _queue_messages()
    # first event: its owner's number is invalid (permanent), Twilio answers 503 for its buyer
    # (transient); second event: both go out
    twilio.answers += [_error(400, 21211), _error(503, 20500), _sent("B1"), _sent("B2")]
    result = handlers.process(_records(messages))
    assert result == {"batchItemFailures": [{"itemIdentifier": messages[0]["MessageId"]}]}
    log = {m["user_id"]: m for m in api.get("/v1/admin/messages", admin_token).data}
    assert (log[shop["owner_id"]]["status"], log[shop["owner_id"]]["error_code"]) == ("failed", "21211")
    assert (log[shop["buyer_id"]]["status"], log[shop["buyer_id"]]["attempts"]) == ("sending", 1)
    # the redelivery of the failed record sends only what has not gone out: the buyer's message
    twilio.answers += [_sent("SM9")]
    assert handlers.process(_records(messages[:1])) == {"batchItemFailures": []}
    assert len(twilio.requests) == 5
    log = {m["user_id"]: m for m in api.get("/v1/admin/messages", admin_token).data}
    assert (log[shop["buyer_id"]]["status"], log[shop["buyer_id"]]["attempts"]) == ("sent", 2)
    assert log[shop["owner_id"]]["attempts"] == 1  # a permanent refusal is never retried


def test_a_batch_reports_only_its_failed_records(api, admin_token, shop, other_shop, catalog, twilio):
    _queue_messages()
    _confirm(api, admin_token, shop, catalog)
    _confirm(api, admin_token, other_shop, catalog)
    messages = _queue_messages()
    assert len({m["MessageId"] for m in messages}) == 2  # unique ids, as SQS gives them
    twilio.answers += [_sent("A1"), _sent("A2"), _error(429, 20429)]
    result = handlers.process(_records(messages))
    assert result == {"batchItemFailures": [{"itemIdentifier": messages[1]["MessageId"]}]}


def test_every_record_failing_fails_the_invocation(api, admin_token, queued, twilio):
    _, messages = queued
    twilio.answers += [_error(500, 20500)]
    with pytest.raises(Exception, match="All records failed"):  # Lambda retries the whole batch
        handlers.process(_records(messages))


def test_events_announce_deliveries_payments_and_approvals(api, admin_token, shop, catalog, driver_token):
    _queue_messages()
    reg = api.register()
    api.post(f"/v1/retailers/{reg.data['retailer']['retailer_id']}/approve", admin_token, {"credit_limit": 0})
    placed = _confirm(api, admin_token, shop, catalog)
    driver_id = api.get("/v1/me", driver_token).data["user"]["user_id"]
    oid = placed["order_id"]
    api.post(f"/v1/orders/{oid}/transitions", admin_token, {"to": "preparing"})
    api.post(f"/v1/orders/{oid}/transitions", admin_token, {"to": "out_for_delivery", "driver_id": driver_id})
    api.post(f"/v1/orders/{oid}/transitions", driver_token, {"to": "delivered", "cash_collected": 0})
    api.post(f"/v1/orders/{oid}/payments", driver_token, {"amount": 1000}, headers={"Idempotency-Key": "notify-pay-1"})
    kinds = [json.loads(m["Body"])["kind"] for m in _queue_messages()]
    assert kinds == [
        "retailer.approved",
        "order.confirmed",
        "order.out_for_delivery",
        "order.delivered",
        "payment.received",
    ]


def test_a_transient_failure_backs_off_longer_each_time(
    api, admin_token, shop, other_shop, catalog, twilio, monkeypatch
):
    delays = []
    real = outbox.queue_client()

    class Spy:
        def __getattr__(self, name):
            return getattr(real, name)

        def change_message_visibility(self, **kwargs):
            delays.append(kwargs["VisibilityTimeout"])

    monkeypatch.setattr(outbox, "queue_client", lambda: Spy())
    _queue_messages()
    _confirm(api, admin_token, shop, catalog)
    _confirm(api, admin_token, other_shop, catalog)
    messages = _queue_messages()
    twilio.answers += [_error(503, 20500), _sent("A"), _sent("B")]  # the second event goes out at once
    for attempt in (1, 2, 3):
        if attempt > 1:
            twilio.answers.append(_error(503, 20500))
        handlers.process(_records(messages, receive_count=attempt))
    assert delays == [30, 60, 120]


def test_sms_parts():
    from chalicelib.notify.templates import segments

    assert segments("a" * 160) == 1 and segments("a" * 161) == 2 and segments("a" * 306) == 2
    assert segments("é" * 160) == 1  # in the GSM alphabet
    assert segments("ت" * 70) == 1 and segments("ت" * 71) == 2 and segments("ت" * 134) == 2  # UCS-2
    assert segments("Prix : 1 250,00 DA — merci") == 1  # a dash outside GSM-7 makes it UCS-2, still 1


def test_every_text_uses_exactly_its_templates_variables():
    """The WhatsApp variables are numbered from VARIABLES: every language must use the same ones."""
    from string import Formatter

    from chalicelib.notify.templates import TEMPLATES, VARIABLES

    assert set(TEMPLATES) == set(VARIABLES)
    for name, texts in TEMPLATES.items():
        assert set(texts) == {"ar", "fr", "en"}, name
        for lang, text in texts.items():
            used = {field for _, field, _, _ in Formatter().parse(text) if field}
            assert used == set(VARIABLES[name]), (name, lang)
