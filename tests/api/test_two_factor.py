"""Two-factor authentication with an authenticator app: the set-up, logins that need its code,
codes that work once, recovery codes, admins made to set it up where the stage requires it,
and the ways out (turned off by its user, removed by an admin)."""

from __future__ import annotations

import base64
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pyotp
import pytest

from chalicelib.core import clock
from tests.api.conftest import ADMIN, PASSWORD
from tests.api.test_login_guard import limits as limits  # a fixture
from tests.api.test_login_guard import login


def app_code(secret: str, seconds_later: int = 0) -> str:
    """What the user's authenticator app shows now (or later)."""
    return pyotp.TOTP(secret).at(clock.epoch() + seconds_later)


def enrol(api, token: str, password: str = PASSWORD) -> tuple[str, dict]:
    started = api.post("/v1/me/two-factor", token, {"password": password})
    assert started.status == 200, started.body
    secret = started.data["secret"]
    enabled = api.post("/v1/me/two-factor/confirm", token, {"code": app_code(secret)})
    assert enabled.status == 200, enabled.body
    return secret, enabled.data


def test_an_owner_sets_up_an_authenticator_and_every_login_then_asks_for_its_code(api, shop, admin_token):
    other_device = login(api, shop["owner"]).data["access_token"]
    wrong = api.post("/v1/me/two-factor", shop["owner_token"], {"password": "not-my-password-1"})
    assert wrong.status == 422 and wrong.error["details"][0]["code"] == "wrong_password"
    started = api.post("/v1/me/two-factor", shop["owner_token"], {"password": PASSWORD})
    assert started.status == 200 and started.headers["Cache-Control"] == "no-store"
    uri = urlparse(started.data["otpauth_uri"])
    assert uri.scheme == "otpauth" and uri.netloc == "totp"
    assert parse_qs(uri.query)["issuer"] == ["Livrili"] and parse_qs(uri.query)["secret"] == [started.data["secret"]]
    kind, _, payload = started.data["qr_svg"].partition(",")
    assert kind.startswith("data:image/svg+xml")
    svg = payload if "base64" not in kind else base64.b64decode(payload).decode()
    assert "svg" in svg
    # not on until a code from the app proves it was scanned
    assert login(api, shop["owner"]).status == 200
    secret = started.data["secret"]
    bad = api.post("/v1/me/two-factor/confirm", shop["owner_token"], {"code": app_code(secret, 300)})
    assert bad.status == 422 and bad.error["details"][0]["code"] == "two_factor_code_invalid"
    enabled = api.post("/v1/me/two-factor/confirm", shop["owner_token"], {"code": app_code(secret)})
    assert enabled.status == 200
    recovery = enabled.data["recovery_codes"]
    assert len(recovery) == 10 and len(set(recovery)) == 10
    # every other session ended; this device got new tokens
    assert api.get("/v1/me", other_device).status == 401
    assert api.get("/v1/me", shop["owner_token"]).status == 401
    me = api.get("/v1/me", enabled.data["access_token"])
    assert me.status == 200 and me.data["user"]["two_factor"] is True

    asked = login(api, shop["owner"], headers={"Accept-Language": "ar"})
    assert asked.status == 401 and asked.error["code"] == "authenticator_code_required"
    assert asked.error["details"] == {"second_factor": "totp"}
    assert "تطبيق المصادقة" in asked.error["message"]
    clock.freeze(clock.now() + timedelta(seconds=30))
    code = app_code(secret)
    assert login(api, shop["owner"], code=code).status == 200
    replay = login(api, shop["owner"], code=code)  # seen over a shoulder: good once only
    assert replay.status == 401 and replay.error["code"] == "second_factor_invalid"
    assert login(api, shop["owner"], "wrong-password-1", code=app_code(secret, 30)).status == 401
    # a lost phone: a recovery code opens once, in any case and with or without its dash
    spare = recovery[0].upper().replace("-", "")
    assert login(api, shop["owner"], code=spare).status == 200
    assert login(api, shop["owner"], code=recovery[0]).status == 401
    assert login(api, shop["owner"], code=recovery[1]).status == 200
    actions = {e["action"] for e in api.get(f"/v1/audit?actor_id={shop['owner_id']}", admin_token).data}
    assert {"auth.two_factor_enabled", "auth.recovery_code_used"} <= actions


def test_setting_up_twice_or_confirming_without_a_start_is_a_conflict(api, shop):
    none = api.post("/v1/me/two-factor/confirm", shop["buyer_token"], {"code": "123456"})
    assert none.status == 409 and none.error["code"] == "two_factor_not_started"
    _, enabled = enrol(api, shop["buyer_token"])
    again = api.post("/v1/me/two-factor", enabled["access_token"], {"password": PASSWORD})
    assert again.status == 409 and again.error["code"] == "two_factor_already_enabled"


def test_a_user_turns_it_off_with_password_and_code(api, shop):
    secret, enabled = enrol(api, shop["buyer_token"])
    token = enabled["access_token"]
    clock.freeze(clock.now() + timedelta(seconds=30))
    no_code = api.post("/v1/me/two-factor/removal", token, {"password": PASSWORD, "code": "000000"})
    assert no_code.status == 422 and no_code.error["details"][0]["code"] == "two_factor_code_invalid"
    off = api.post("/v1/me/two-factor/removal", token, {"password": PASSWORD, "code": app_code(secret)})
    assert off.status == 200 and off.data == {"two_factor": False}
    assert login(api, shop["buyer"]).status == 200


def test_an_admin_removes_the_authenticator_of_a_user_who_lost_their_phone(api, shop, admin_token):
    _, enabled = enrol(api, shop["owner_token"])
    removed = api.post(f"/v1/admin/users/{shop['owner_id']}/two-factor/removal", admin_token)
    assert removed.status == 200
    assert api.get("/v1/me", enabled["access_token"]).status == 401  # their sessions ended
    assert login(api, shop["owner"]).status == 200  # the password alone, until a new set-up
    again = api.post(f"/v1/admin/users/{shop['owner_id']}/two-factor/removal", admin_token)
    assert again.status == 409 and again.error["code"] == "two_factor_not_enabled"
    assert api.post(f"/v1/admin/users/{shop['owner_id']}/two-factor/removal", shop["buyer_token"]).status == 403
    me = api.get("/v1/me", admin_token).data["user"]["user_id"]
    own = api.post(f"/v1/admin/users/{me}/two-factor/removal", admin_token)  # no way round the policy
    assert own.status == 403 and own.error["code"] == "two_factor_required_for_staff"


def test_where_the_stage_requires_it_an_admin_must_set_it_up_before_anything_else(api, admin_token, limits):
    limits(LIVRILI_STAFF_2FA="required")
    session = login(api, *ADMIN).data
    token = session["access_token"]
    assert api.get("/v1/me", token).status == 200
    held = api.get("/v1/retailers", token)
    assert held.status == 403 and held.error["code"] == "two_factor_enrollment_required"
    secret, enabled = enrol(api, token, ADMIN[1])
    assert api.get("/v1/retailers", enabled["access_token"]).status == 200
    # and it stays on: an admin of this stage cannot turn it off
    clock.freeze(clock.now() + timedelta(seconds=30))
    body = {"password": ADMIN[1], "code": app_code(secret)}
    refused = api.post("/v1/me/two-factor/removal", enabled["access_token"], body)
    assert refused.status == 403 and refused.error["code"] == "two_factor_required_for_staff"


@pytest.mark.parametrize("code", ["12345", "1234567", "abcdef", "abcd-efghi", " "])
def test_a_malformed_second_factor_is_a_clear_422(api, shop, code):
    reply = login(api, shop["owner"], code=code)
    assert reply.status == 422 and reply.error["details"][0]["field"] == "code"
