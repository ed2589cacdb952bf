"""Login protection that cannot be turned against the user: failed logins never lock anyone
out (a second factor opens a guarded username), unknown usernames answer like known ones,
an address that keeps failing is refused, and the other unauthenticated routes are rate
limited per address. The caller's address is the one the edge proves, never a header the
caller chose."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.core import clock
from chalicelib.core.config import settings
from tests.api.conftest import PASSWORD
from tests.api.test_password_reset import deliver
from tests.api.test_password_reset import drained as drained  # a fixture

EDGE = {"X-Livrili-Edge": "test-edge-secret-that-is-long-enough-0123"}
WRONG = "bad-password-123"


def at(address: str) -> dict[str, str]:
    """Headers of a request that reached the API through the edge from `address`."""
    return {**EDGE, "X-Livrili-Viewer": address}


def login(api, username, password=PASSWORD, code=None, **kw):
    body = {"username": username, "password": password, **({"code": code} if code else {})}
    return api.post("/v1/auth/login", body=body, **kw)


def texted_code(api, admin_token, user_id) -> str:
    deliver()
    log = [m for m in api.get("/v1/admin/messages", admin_token).data if m["template"] == "auth_login_code"]
    mine = [m for m in log if m["user_id"] == user_id]
    assert mine, log
    return re.search(r"\b(\d{6})\b", mine[0]["body"]).group(1)


@pytest.fixture
def limits(monkeypatch):
    """Set some limits for one test (the settings are read once per process)."""

    def configure(**env: str) -> None:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        settings.cache_clear()
        settings()  # read now, outside any request (the test client swaps the env during one)

    yield configure
    monkeypatch.undo()
    settings.cache_clear()
    settings()


def test_failed_logins_never_lock_the_owner_out_a_texted_code_opens_the_door(api, shop, admin_token, drained):
    for _ in range(7):  # someone, somewhere, guessing
        reply = login(api, shop["owner"], WRONG, headers=at("198.51.100.7"))
        assert reply.status == 401 and reply.error["code"] == "invalid_credentials"
    # the owner, from their own phone: the right password is not enough now, and no lock either
    asked = login(api, shop["owner"], headers={**at("41.200.10.20"), "Accept-Language": "ar"})
    assert asked.status == 401 and asked.error["code"] == "login_code_sent"
    assert asked.error["details"] == {"second_factor": "sms", "resend_after": 60}
    assert "أرسلناه" in asked.error["message"]
    code = texted_code(api, admin_token, shop["owner_id"])
    wrong = login(api, shop["owner"], code="000000" if code != "000000" else "111111", headers=at("41.200.10.20"))
    assert wrong.status == 401 and wrong.error["code"] == "second_factor_invalid"
    opened = login(api, shop["owner"], code=code, headers=at("41.200.10.20"))
    assert opened.status == 200 and opened.data["user"]["user_id"] == shop["owner_id"]
    # the right person got in: the failures are forgotten, the password alone works again
    assert login(api, shop["owner"]).status == 200
    for _ in range(5):
        login(api, shop["owner"], WRONG, headers=at("198.51.100.7"))
    replayed = login(api, shop["owner"], code=code, headers=at("41.200.10.20"))
    assert replayed.status == 401 and replayed.error["code"] == "second_factor_invalid"  # a code opens once
    audit = api.get(f"/v1/audit?action=auth.guarded&resource_id={shop['owner_id']}&resource_type=user", admin_token)
    assert audit.status == 200 and len(audit.data) == 2
    assert {entry["ip"] for entry in audit.data} == {"198.51.100.7"}


def test_a_password_reset_forgets_the_failed_logins(api, shop, admin_token, drained):
    from tests.api.test_password_reset import confirm

    for _ in range(5):
        login(api, shop["buyer"], WRONG)
    assert login(api, shop["buyer"]).error["code"] == "login_code_sent"
    # the texted code proves the phone for a reset too (one code at a time per user)
    code = texted_code(api, admin_token, shop["buyer_id"])
    assert confirm(api, shop["buyer"], code, "nouveau-2026-ok").status == 200
    assert login(api, shop["buyer"], "nouveau-2026-ok").status == 200


def test_failures_by_username_and_by_phone_count_for_one_account(api, shop, admin_token, drained):
    """Switching between the username and the phone (or its spellings) buys no extra guesses."""
    phone = api.get("/v1/me", shop["buyer_token"]).data["user"]["phone"]
    national = "0" + phone.removeprefix("+213")
    for name in (shop["buyer"], phone, national, shop["buyer"].upper(), f"{national[:4]} {national[4:]}"):
        assert login(api, name, WRONG).error["code"] == "invalid_credentials"
    asked = login(api, national)  # the right password, by phone: the account is guarded
    assert asked.status == 401 and asked.error["code"] == "login_code_sent"
    code = texted_code(api, admin_token, shop["buyer_id"])
    opened = login(api, shop["buyer"], code=code)  # the code opens it whichever name is typed
    assert opened.status == 200 and opened.data["user"]["user_id"] == shop["buyer_id"]
    assert login(api, phone).status == 200  # and the failures are forgotten under every name


def test_unknown_usernames_answer_exactly_like_known_ones_before_and_after_the_threshold(api, shop):
    def replies(username: str) -> list[tuple[int, str, str]]:
        out = []
        for _ in range(8):
            reply = login(api, username, WRONG, headers={**at("192.0.2.1"), "Accept-Language": "fr"})
            out.append((reply.status, reply.error["code"], reply.error["message"].split("(")[0]))
        return out

    known, unknown = replies(shop["owner"]), replies("nobody-at-all")
    assert known == unknown
    assert {status for status, _, _ in known} == {401}


def test_an_anonymous_address_cannot_keep_the_admin_out(api, admin_token):
    import pyotp

    from tests.api.conftest import ADMIN

    started = api.post("/v1/me/two-factor", admin_token, {"password": ADMIN[1]})
    secret = started.data["secret"]
    enabled = api.post("/v1/me/two-factor/confirm", admin_token, {"code": pyotp.TOTP(secret).at(clock.epoch())})
    assert enabled.status == 200, enabled.body
    refused = []
    for _ in range(40):  # an attacker who knows the admin's username
        reply = login(api, ADMIN[0], WRONG, headers=at("203.0.113.66"))
        refused.append(reply.status)
    # its address is refused once it has failed 30 times, before any password is checked
    assert refused[:30] == [401] * 30 and set(refused[30:]) == {429}
    limited = login(api, ADMIN[0], ADMIN[1], headers=at("203.0.113.66"))
    assert limited.status == 429 and int(limited.headers["Retry-After"]) > 0
    assert limited.error["code"] == "too_many_attempts"
    # the admin, at the office: password and authenticator code, in at once
    clock.freeze(clock.now() + timedelta(seconds=31))
    asked = login(api, ADMIN[0], ADMIN[1], headers=at("105.235.1.2"))
    assert asked.status == 401 and asked.error["code"] == "authenticator_code_required"
    code = pyotp.TOTP(secret).at(clock.epoch())
    assert login(api, ADMIN[0], ADMIN[1], code=code, headers=at("105.235.1.2")).status == 200


def test_an_admin_with_no_second_factor_is_not_locked_out_from_their_own_address(api, admin_token):
    from tests.api.conftest import ADMIN

    for _ in range(10):  # the test admin has neither phone nor authenticator
        assert login(api, ADMIN[0], WRONG, headers=at("203.0.113.9")).status == 401
    # the address that was guessing gets nothing from the right password any more…
    held = login(api, ADMIN[0], ADMIN[1], headers=at("203.0.113.9"))
    assert held.status == 401 and held.error["code"] == "login_code_unavailable"
    # …while the admin, at the office, gets in with it
    assert login(api, ADMIN[0], ADMIN[1], headers=at("105.235.7.7")).status == 200


def test_the_address_is_the_one_the_edge_proves_not_one_the_caller_writes(api, shop):
    # no proof (a request straight to API Gateway): the made-up addresses are ignored, and
    # every attempt counts against the one address the connection came from
    statuses = []
    for n in range(31):
        forged = {"X-Livrili-Viewer": f"10.0.{n}.1", "X-Livrili-Edge": "not-the-secret"}
        statuses.append(login(api, f"someone-{n}", WRONG, headers=forged).status)
    assert statuses[:30] == [401] * 30 and statuses[30] == 429
    # the edge's own requests from another viewer are not held back by that
    assert login(api, shop["owner"], headers=at("41.200.10.21")).status == 200


def _window_edge(minutes_before: int) -> datetime:
    """A moment `minutes_before` minutes before a failed-login window ends."""
    window = settings().login_window
    now = int(clock.now().timestamp())
    return datetime.fromtimestamp((now // window + 1) * window - minutes_before * 60, UTC)


def test_failures_spread_thinly_need_no_second_factor(api, shop):
    start = _window_edge(1)
    for i in range(6):
        clock.freeze(start + timedelta(minutes=8 * i))
        assert login(api, shop["owner"], WRONG).status == 401, i
    # 6 failures, but one every 8 minutes: never 5 in this window and the one before
    assert login(api, shop["owner"]).status == 200


def test_failures_on_both_sides_of_a_window_edge_are_counted_together(api, shop, drained):
    """A window's edge neither splits 5 quick failures nor forgets a guarded account."""
    start = _window_edge(1)
    for i in range(5):  # 3 in the last minute of a window, 2 in the first of the next
        clock.freeze(start + timedelta(seconds=25 * i))
        assert login(api, shop["owner"], WRONG).status == 401, i
    clock.freeze(start + timedelta(minutes=3))
    assert login(api, shop["owner"]).error["code"] == "login_code_sent"
    clock.freeze(start + timedelta(minutes=14))  # the next window, 14 minutes on: still guarded
    assert login(api, shop["owner"]).error["code"] == "login_code_sent"
    clock.freeze(start + timedelta(minutes=31))  # two windows on, no failure in either: let go
    assert login(api, shop["owner"]).status == 200


def test_registrations_reset_codes_and_refreshes_are_limited_per_address(api, shop, limits):
    limits(LIVRILI_LIMIT_REGISTER="2", LIVRILI_LIMIT_RESET="3", LIVRILI_LIMIT_REFRESH="2")
    first = api.post("/v1/retailers", body=api.registration(), headers=at("192.0.2.50"))
    second = api.post("/v1/retailers", body=api.registration(), headers=at("192.0.2.50"))
    third = api.post("/v1/retailers", body=api.registration(), headers=at("192.0.2.50"))
    assert (first.status, second.status, third.status) == (201, 201, 429)
    assert int(third.headers["Retry-After"]) <= 3600
    assert api.post("/v1/retailers", body=api.registration(), headers=at("192.0.2.51")).status == 201

    resets = [api.post("/v1/auth/password-reset", body={"login": "x-user"}, headers=at("192.0.2.60")) for _ in range(4)]
    assert [r.status for r in resets] == [202, 202, 202, 429]

    tokens = login(api, shop["buyer"]).data
    refreshed = api.post("/v1/auth/refresh", body={"refresh_token": tokens["refresh_token"]}, headers=at("192.0.2.70"))
    again = api.post(
        "/v1/auth/refresh", body={"refresh_token": refreshed.data["refresh_token"]}, headers=at("192.0.2.70")
    )
    third = api.post("/v1/auth/refresh", body={"refresh_token": again.data["refresh_token"]}, headers=at("192.0.2.70"))
    assert (refreshed.status, again.status, third.status) == (200, 200, 429)
