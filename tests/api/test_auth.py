"""Login, tokens, refresh rotation and reuse detection, sessions, logout (failed logins: test_login_guard)."""

from __future__ import annotations

from datetime import timedelta

from chalicelib.core import clock
from tests.api.conftest import PASSWORD


def test_login_returns_tokens_and_user(api, shop):
    reply = api.login(shop["owner"], headers={"X-Device-Id": "phone-1"})
    assert reply.status == 200
    data = reply.data
    assert data["token_type"] == "Bearer" and data["expires_in"] == 900
    assert data["user"]["role"] == "owner" and data["user"]["retailer_id"] == shop["retailer_id"]
    assert "password_hash" not in data["user"]
    me = api.get("/v1/me", data["access_token"])
    assert me.status == 200
    assert me.data["retailer"]["retailer_id"] == shop["retailer_id"]
    assert me.data["retailer"]["status"] == "approved"


def test_username_is_case_insensitive(api, shop):
    assert api.login(shop["owner"].upper()).status == 200


def test_wrong_password_and_unknown_user_look_the_same(api, shop):
    wrong = api.login(shop["owner"], "not-the-password-1")
    unknown = api.login("nobody-here", "not-the-password-1")
    assert wrong.status == unknown.status == 401
    assert wrong.error["code"] == unknown.error["code"] == "invalid_credentials"


def _spellings(e164: str) -> list[str]:
    """An Algerian mobile as people type it: +213…, 0661 23 45 67, dashes, Arabic-Indic digits."""
    national = "0" + e164.removeprefix("+213")
    spaced = f"{national[:4]} {national[4:6]} {national[6:8]} {national[8:]}"
    arabic = national.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    return [e164, national, spaced, spaced.replace(" ", "-"), f"+213 {e164[4:7]} {e164[7:]}", arabic]


def test_a_user_signs_in_with_their_phone_in_any_usual_spelling(api, shop):
    phone = api.get("/v1/me", shop["buyer_token"]).data["user"]["phone"]
    for spelling in _spellings(phone):
        reply = api.login(spelling)
        assert reply.status == 200, (spelling, reply.body)
        assert reply.data["user"]["user_id"] == shop["buyer_id"]


def test_a_phone_nobody_has_answers_like_a_wrong_password_and_costs_the_same(api, shop, dynamodb_calls):
    phone = api.get("/v1/me", shop["buyer_token"]).data["user"]["phone"]
    with dynamodb_calls() as known_calls:
        known = api.login(phone, "not-the-password-1")
    with dynamodb_calls() as nobody_calls:
        nobody = api.login("0770 00 00 01", "not-the-password-1")
    assert known.status == nobody.status == 401
    assert known.error == nobody.error
    # two reads, then the failure counted (for the address, the pair and the account or name)
    assert known_calls == nobody_calls == ["BatchGetItem", "BatchGetItem"] + ["UpdateItem"] * 3
    with dynamodb_calls() as by_name:  # signing in by phone costs what it costs by username
        assert api.login(shop["buyer"]).status == 200
    with dynamodb_calls() as by_phone:
        assert api.login(phone).status == 200
    assert by_phone == by_name and by_name.count("BatchGetItem") == 3  # whom, the account, its shop


def test_refresh_rotates_and_reuse_revokes_the_family(api, shop):
    first = api.login(shop["owner"]).data
    second = api.post("/v1/auth/refresh", body={"refresh_token": first["refresh_token"]})
    assert second.status == 200
    assert second.data["refresh_token"] != first["refresh_token"]
    assert api.get("/v1/me", second.data["access_token"]).status == 200
    # the old refresh token was spent: presenting it again ends the session
    reuse = api.post("/v1/auth/refresh", body={"refresh_token": first["refresh_token"]})
    assert reuse.status == 401 and reuse.error["code"] == "refresh_token_reused"
    # ...including the newest tokens of that family
    assert api.post("/v1/auth/refresh", body={"refresh_token": second.data["refresh_token"]}).status == 401
    denied = api.get("/v1/me", second.data["access_token"])
    assert denied.status == 401 and denied.error["code"] == "session_revoked"


def test_refresh_rejects_garbage(api):
    reply = api.post("/v1/auth/refresh", body={"refresh_token": "x" * 40})
    assert reply.status == 401 and reply.error["code"] == "invalid_token"


def test_expired_access_token(api, shop):
    token = api.login(shop["owner"]).data["access_token"]
    clock.freeze(clock.now() + timedelta(minutes=20))
    reply = api.get("/v1/me", token)
    assert reply.status == 401 and reply.error["code"] == "token_expired"


def test_tampered_token(api, shop):
    token = api.login(shop["owner"]).data["access_token"]
    reply = api.get("/v1/me", token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"))
    assert reply.status == 401 and reply.error["code"] == "invalid_token"


def test_missing_token(api):
    reply = api.get("/v1/me")
    assert reply.status == 401 and reply.error["code"] == "unauthorized"


def test_sessions_list_and_revoke_one(api, shop):
    a = api.login(shop["owner"], headers={"X-Device-Id": "phone-a"}).data
    b = api.login(shop["owner"], headers={"X-Device-Id": "tablet-b"}).data
    sessions = api.get("/v1/me/sessions", a["access_token"]).data
    devices = {s["device_id"]: s for s in sessions}
    assert {"phone-a", "tablet-b"} <= set(devices)
    assert devices["phone-a"]["current"] is True and devices["tablet-b"]["current"] is False
    revoked = api.delete(f"/v1/me/sessions/{devices['tablet-b']['session_id']}", a["access_token"])
    assert revoked.status == 200
    assert api.get("/v1/me", b["access_token"]).status == 401
    assert api.get("/v1/me", a["access_token"]).status == 200
    # someone else's session id is simply not found
    other = api.login(shop["buyer"]).data
    other_sid = api.get("/v1/me/sessions", other["access_token"]).data[0]["session_id"]
    assert api.delete(f"/v1/me/sessions/{other_sid}", a["access_token"]).status == 404


def test_logout_and_logout_all(api, shop):
    a = api.login(shop["owner"]).data
    b = api.login(shop["owner"]).data
    c = api.login(shop["owner"]).data
    assert api.post("/v1/auth/logout", a["access_token"]).status == 200
    assert api.get("/v1/me", a["access_token"]).status == 401
    assert api.post("/v1/auth/refresh", body={"refresh_token": a["refresh_token"]}).status == 401
    assert api.get("/v1/me", b["access_token"]).status == 200
    ended = api.post("/v1/auth/logout-all", b["access_token"])
    assert ended.status == 200 and ended.data["sessions_ended"] >= 2
    assert api.get("/v1/me", c["access_token"]).status == 401
    assert api.post("/v1/auth/refresh", body={"refresh_token": c["refresh_token"]}).status == 401


def test_pending_rejected_suspended_cannot_log_in(api, admin_token):
    reg = api.register()
    rid, owner = reg.data["retailer"]["retailer_id"], reg.data["owner"]["username"]
    pending = api.login(owner, headers={"Accept-Language": "en"})
    assert pending.status == 403 and pending.error["code"] == "retailer_pending"
    assert "awaiting approval" in pending.error["message"]
    api.post(f"/v1/retailers/{rid}/reject", admin_token, {"reason": "RC extract unreadable"})
    rejected = api.login(owner, headers={"Accept-Language": "fr"})
    assert rejected.error["code"] == "retailer_rejected"
    assert "RC extract unreadable" in rejected.error["message"]


def test_suspension_ends_live_sessions_and_blocks_login(api, shop, admin_token):
    token = shop["buyer_token"]
    assert api.get("/v1/me", token).status == 200
    assert api.post(f"/v1/retailers/{shop['retailer_id']}/suspend", admin_token, {"reason": "unpaid"}).status == 200
    assert api.get("/v1/me", token).status == 401
    refused = api.login(shop["buyer"])
    assert refused.status == 403 and refused.error["code"] == "retailer_suspended"
    api.post(f"/v1/retailers/{shop['retailer_id']}/reactivate", admin_token, {})
    assert api.login(shop["buyer"]).status == 200


def test_login_validation(api):
    reply = api.post("/v1/auth/login", body={"username": "x"})
    assert reply.status == 422
    assert reply.error["details"][0]["field"] == "password"
    assert api.post("/v1/auth/login", body=PASSWORD).status == 400


def test_a_dead_session_is_refused_before_a_route_writes_anything(api, shop, dynamodb_calls):
    """Logout writes before it reads: the session (read on its own first) still says no."""
    other = api.login(shop["buyer"]).data
    assert api.post("/v1/auth/logout-all", shop["buyer_token"]).status == 200
    with dynamodb_calls() as calls:
        reply = api.post("/v1/auth/logout", other["access_token"])
    assert reply.status == 401 and reply.error["code"] == "session_revoked"
    assert calls == ["BatchGetItem"]  # the session's read, and no write after it


def test_my_devices_show_when_each_was_last_used(api, shop):
    from datetime import timedelta

    from chalicelib.core import clock

    token = api.login(shop["buyer"]).data["access_token"]
    start = clock.now()
    clock.freeze(start + timedelta(minutes=2))
    api.get("/v1/me", token)  # within five minutes of the last note: nothing written
    first = {s["session_id"]: s for s in api.get("/v1/me/sessions", token).data}
    clock.freeze(start + timedelta(minutes=6))
    api.get("/v1/me", token)
    later = {s["session_id"]: s for s in api.get("/v1/me/sessions", token).data}
    mine = next(s for s in later.values() if s["current"])
    assert mine["last_used_at"] == clock.iso(start + timedelta(minutes=6))
    assert first[mine["session_id"]]["last_used_at"] < mine["last_used_at"]
