"""Forgotten passwords: a code texted to the account's phone, the reset, and everything that
must not happen (enumeration, guessing, stale codes, flooding a phone)."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest

from chalicelib.core import clock
from chalicelib.notify import handlers
from tests.api.conftest import PASSWORD
from tests.api.test_notify import _queue_messages, _records, _sent, twilio  # noqa: F401 (a fixture)

NEW_PASSWORD = "retrouve-2026-ok"


def ask(api, login, **kw):
    return api.post("/v1/auth/password-reset", body={"login": login}, **kw)


def confirm(api, login, code, new=NEW_PASSWORD, **kw):
    return api.post("/v1/auth/password-reset/confirm", body={"login": login, "code": code, "new_password": new}, **kw)


def deliver() -> list[dict]:
    """Run the notification worker over what is queued; the events it got."""
    messages = _queue_messages()
    assert handlers.process(_records(messages)) == {"batchItemFailures": []}
    return [json.loads(m["Body"]) for m in messages]


def code_sent_to(api, admin_token, user_id) -> str:
    log = [m for m in api.get("/v1/admin/messages", admin_token).data if m["template"] == "auth_reset_code"]
    mine = [m for m in log if m["user_id"] == user_id]
    assert mine, log
    found = re.search(r"\b(\d{6})\b", mine[0]["body"])
    assert found, mine[0]["body"]
    return found.group(1)


@pytest.fixture
def drained(shop):
    _queue_messages()  # the shop fixture's own events


def test_a_forgotten_password_is_reset_with_the_code_and_every_session_ends(api, shop, admin_token, drained):
    other_device = api.login(shop["buyer"]).data
    asked = ask(api, shop["buyer"])
    assert asked.status == 202 and asked.data == {"requested": True, "expires_in": 600, "resend_after": 60}
    events = deliver()
    assert [(e["kind"], e["payload"]["user_id"]) for e in events] == [("auth.reset_code", shop["buyer_id"])]
    log = [m for m in api.get("/v1/admin/messages", admin_token).data if m["template"] == "auth_reset_code"]
    assert [m["user_id"] for m in log] == [shop["buyer_id"]]  # the buyer alone, not the whole shop
    code = code_sent_to(api, admin_token, shop["buyer_id"])
    done = confirm(api, shop["buyer"], code)
    assert done.status == 200 and done.data == {"reset": True}
    for token in (shop["buyer_token"], other_device["access_token"]):
        assert api.get("/v1/me", token).error["code"] == "session_revoked"
    assert api.post("/v1/auth/refresh", body={"refresh_token": other_device["refresh_token"]}).status == 401
    assert api.login(shop["buyer"], PASSWORD).status == 401
    assert api.login(shop["buyer"], NEW_PASSWORD).status == 200
    assert confirm(api, shop["buyer"], code, "encore-autre-2026").error["code"] == "validation_error"  # used up
    trail = api.get(f"/v1/audit?resource_type=user&resource_id={shop['buyer_id']}", admin_token).data
    assert {"auth.reset_requested", "auth.password_reset"} <= {e["action"] for e in trail}


def test_the_phone_number_in_any_spelling_finds_the_account(api, shop, admin_token, drained):
    phone = api.get("/v1/me", shop["buyer_token"]).data["user"]["phone"]  # +213550100…
    local = "0" + phone[4:7] + " " + phone[7:10] + " " + phone[10:]
    assert ask(api, local).status == 202
    deliver()
    assert confirm(api, local, code_sent_to(api, admin_token, shop["buyer_id"])).status == 200


@pytest.mark.parametrize("login", ["nobody-here", "0661000000", "+33612345678", "x" * 64])
def test_an_unknown_login_gets_the_same_reply_and_nothing_is_sent(api, shop, drained, login):
    asked = ask(api, login)
    assert asked.status == 202 and asked.data == {"requested": True, "expires_in": 600, "resend_after": 60}
    assert _queue_messages() == []
    wrong = confirm(api, login, "123456")
    assert wrong.status == 422 and wrong.error["details"][0]["code"] == "reset_code_invalid"


def test_five_wrong_codes_kill_the_code(api, shop, admin_token, drained):
    ask(api, shop["buyer"])
    deliver()
    code = code_sent_to(api, admin_token, shop["buyer_id"])
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        reply = confirm(api, shop["buyer"], wrong, headers={"Accept-Language": "ar"})
        assert reply.status == 422 and reply.error["details"][0]["code"] == "reset_code_invalid"
    assert confirm(api, shop["buyer"], code).status == 422  # even the right one, now
    assert api.login(shop["buyer"], PASSWORD).status == 200


def test_a_code_is_good_for_ten_minutes(api, shop, admin_token, drained):
    ask(api, shop["buyer"])
    deliver()
    code = code_sent_to(api, admin_token, shop["buyer_id"])
    clock.freeze(clock.now() + timedelta(minutes=10, seconds=1))
    assert confirm(api, shop["buyer"], code).status == 422


def test_codes_are_not_sent_again_within_a_minute_nor_more_than_five_an_hour(api, shop, admin_token, drained):
    assert ask(api, shop["buyer"]).status == 202
    assert ask(api, shop["buyer"]).status == 202  # same reply…
    assert len(deliver()) == 1  # …but one text
    staff = api.post(f"/v1/admin/users/{shop['buyer_id']}/password-reset", admin_token)
    assert staff.status == 409 and staff.error["code"] == "reset_code_recently_sent"
    assert 0 < int(staff.headers["Retry-After"]) <= 60
    start = clock.now()
    for minute in range(1, 6):
        clock.freeze(start + timedelta(minutes=minute))
        ask(api, shop["buyer"])
    assert len(deliver()) == 4  # five in the hour
    clock.freeze(start + timedelta(minutes=61))
    assert ask(api, shop["buyer"]).status == 202
    assert len(deliver()) == 1


def test_an_admin_sends_a_code_and_a_reset_clears_the_failed_logins(api, shop, admin_token, drained):
    for _ in range(5):  # now the right password alone would not do (test_login_guard)
        api.login(shop["buyer"], "not-the-password-1")
    sent = api.post(f"/v1/admin/users/{shop['buyer_id']}/password-reset", admin_token)
    assert sent.status == 202
    deliver()
    assert confirm(api, shop["buyer"], code_sent_to(api, admin_token, shop["buyer_id"])).status == 200
    assert api.login(shop["buyer"], NEW_PASSWORD).status == 200
    assert api.post(f"/v1/admin/users/{shop['buyer_id']}/password-reset", shop["owner_token"]).status == 403


def test_a_user_who_opted_out_of_messages_still_gets_the_code_they_asked_for(api, shop, admin_token, drained):
    assert api.patch("/v1/me/notifications", shop["buyer_token"], {"opted_out": True}).status == 200
    ask(api, shop["buyer"])
    deliver()
    assert confirm(api, shop["buyer"], code_sent_to(api, admin_token, shop["buyer_id"])).status == 200


def test_with_a_real_provider_the_message_log_never_shows_the_code(api, shop, admin_token, drained, twilio):  # noqa: F811
    twilio.answers.append(_sent("SM1"))
    ask(api, shop["buyer"])
    deliver()
    (log,) = [m for m in api.get("/v1/admin/messages", admin_token).data if m["template"] == "auth_reset_code"]
    assert "••••••" in log["body"] and not re.search(r"\d{6}", log["body"])
    (request,) = twilio.requests
    assert re.search(r"\b\d{6}\b", request["Body"])  # the phone got the real code
