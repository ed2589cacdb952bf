"""A user changes their own phone: the code goes to the new number, only that code moves it,
the number stays one user's, and everything that must not happen does not (a number nobody can
read, someone else's number, guessing, flooding)."""

from __future__ import annotations

import re

import pytest

from tests.api.test_password_reset import deliver

NEW = "0771 22 33 44"
NEW_E164 = "+213771223344"


def ask(api, token, phone=NEW, **kw):
    return api.post("/v1/me/phone", token, {"phone": phone}, **kw)


def confirm(api, token, code, phone=NEW):
    return api.post("/v1/me/phone/confirm", token, {"phone": phone, "code": code})


def sent(api, admin_token, user_id) -> tuple[str, str]:
    """The (masked) number the last phone code went to, and the code."""
    log = [m for m in api.get("/v1/admin/messages", admin_token).data if m["template"] == "auth_phone_code"]
    mine = [m for m in log if m["user_id"] == user_id]
    assert mine, log
    return mine[0]["to"], re.search(r"\b(\d{6})\b", mine[0]["body"]).group(1)


@pytest.fixture
def drained(shop):
    from tests.api.test_notify import _queue_messages

    _queue_messages()


def test_the_code_goes_to_the_new_number_and_moves_the_phone(api, shop, admin_token, drained):
    before = api.get("/v1/me", shop["buyer_token"]).data["user"]["phone"]
    asked = ask(api, shop["buyer_token"])
    assert asked.status == 202 and asked.data == {"phone": NEW_E164, "expires_in": 600, "resend_after": 60}
    assert api.get("/v1/me", shop["buyer_token"]).data["user"]["phone"] == before  # not yet
    events = deliver()
    assert [e["kind"] for e in events] == ["auth.phone_code"]
    to, code = sent(api, admin_token, shop["buyer_id"])
    assert to.endswith(NEW_E164[-2:]) and to[:4] == NEW_E164[:4]  # the new number, not the old one
    assert events[0]["payload"]["phone"] == NEW_E164
    wrong = confirm(api, shop["buyer_token"], "000000" if code != "000000" else "111111")
    assert wrong.status == 422 and wrong.error["details"][0]["code"] == "phone_code_invalid"
    other_number = confirm(api, shop["buyer_token"], code, phone="0772 99 88 77")
    assert other_number.status == 422  # the code is bound to the number it went to
    done = confirm(api, shop["buyer_token"], code)
    assert done.status == 200 and done.data["user"]["phone"] == NEW_E164
    assert confirm(api, shop["buyer_token"], code).status == 422  # spent
    # the number is the buyer's now: nobody else can take it; the old one is free again
    assert ask(api, shop["owner_token"], NEW).error["code"] == "phone_taken"
    assert ask(api, shop["owner_token"], before).status == 202
    trail = api.get(f"/v1/audit?resource_type=user&resource_id={shop['buyer_id']}", admin_token).data
    assert [e["action"] for e in trail][:2] == ["user.phone_changed", "user.phone_change_requested"]
    assert NEW_E164 not in str(trail)  # masked in the audit log


def test_what_is_refused(api, shop, admin_token, drained):
    mine = api.get("/v1/me", shop["buyer_token"]).data["user"]["phone"]
    same = ask(api, shop["buyer_token"], mine)
    assert same.status == 422 and same.error["details"][0]["code"] == "phone_unchanged"
    owners = api.get("/v1/me", shop["owner_token"]).data["user"]["phone"]
    assert ask(api, shop["buyer_token"], owners).status == 409  # someone else's number
    assert ask(api, shop["buyer_token"], "12").status == 422  # not a phone
    assert ask(api, shop["buyer_token"]).status == 202
    again = ask(api, shop["buyer_token"])
    assert again.status == 409 and again.error["code"] == "code_recently_sent"
    assert 0 < int(again.headers["Retry-After"]) <= 60
    assert confirm(api, shop["buyer_token"], "123456", phone="0772 00 00 01").status == 422  # nothing pending for it
    assert api.post("/v1/me/phone", None, {"phone": NEW}).status == 401


def test_five_wrong_codes_spend_it(api, shop, admin_token, drained):
    assert ask(api, shop["buyer_token"]).status == 202
    deliver()
    _, code = sent(api, admin_token, shop["buyer_id"])
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        assert confirm(api, shop["buyer_token"], wrong).status == 422
    assert confirm(api, shop["buyer_token"], code).status == 422  # the right one, too late
    assert api.get("/v1/me", shop["buyer_token"]).data["user"]["phone"] != NEW_E164


def test_a_user_who_opted_out_still_gets_the_code(api, shop, admin_token, drained):
    assert api.patch("/v1/me/notifications", shop["buyer_token"], {"opted_out": True}).status == 200
    assert ask(api, shop["buyer_token"]).status == 202
    deliver()
    log = [m for m in api.get("/v1/admin/messages", admin_token).data if m["template"] == "auth_phone_code"]
    assert [m["status"] for m in log] == ["sent"]  # the code they asked for is not a notification
