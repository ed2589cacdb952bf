"""A user's own profile and password, and the staff accounts admins manage."""

from __future__ import annotations

import pytest

from tests.api.conftest import ADMIN, PASSWORD

NEW_PASSWORD = "nouveau-mot-2027"


def change(api, token, current, new, **kw):
    return api.post("/v1/me/password", token, {"current_password": current, "new_password": new}, **kw)


def test_a_user_changes_their_name_and_language_and_a_replay_changes_nothing(api, shop, admin_token):
    body = {"full_name": "Yacine Benali", "language": "ar"}
    first = api.patch("/v1/me", shop["buyer_token"], body)
    again = api.patch("/v1/me", shop["buyer_token"], body)
    assert first.status == again.status == 200, first.body
    assert first.data["user"]["full_name"] == "Yacine Benali" and first.data["user"]["language"] == "ar"
    assert again.data == first.data
    trail = api.get(f"/v1/audit?resource_type=user&resource_id={shop['buyer_id']}", admin_token).data
    assert [e["action"] for e in trail].count("user.updated") == 1  # the replay wrote nothing


@pytest.mark.parametrize(
    ("body", "field"),
    [({"language": "de"}, "language"), ({"role": "owner"}, "role"), ({"full_name": ""}, "full_name")],
)
def test_a_profile_change_outside_the_rules_is_refused(api, shop, body, field):
    reply = api.patch("/v1/me", shop["buyer_token"], body)
    assert reply.status == 422 and reply.error["details"][0]["field"] == field


def test_changing_the_password_ends_every_session_and_gives_this_device_new_tokens(api, shop, admin_token):
    other_device = api.login(shop["buyer"], PASSWORD).data
    reply = change(api, shop["buyer_token"], PASSWORD, NEW_PASSWORD)
    assert reply.status == 200, reply.body
    assert reply.data["access_token"] and reply.data["user"]["must_change_password"] is False
    for stale in (shop["buyer_token"], other_device["access_token"]):
        gone = api.get("/v1/me", stale)
        assert gone.status == 401 and gone.error["code"] == "session_revoked"
    assert api.post("/v1/auth/refresh", body={"refresh_token": other_device["refresh_token"]}).status == 401
    assert api.get("/v1/me", reply.data["access_token"]).status == 200
    assert api.login(shop["buyer"], PASSWORD).status == 401
    assert api.login(shop["buyer"], NEW_PASSWORD).status == 200
    trail = api.get(f"/v1/audit?resource_type=user&resource_id={shop['buyer_id']}", admin_token).data
    assert "auth.password_changed" in [e["action"] for e in trail]


@pytest.mark.parametrize(
    ("current", "new", "field", "code"),
    [
        ("not-my-password-1", NEW_PASSWORD, "current_password", "wrong_password"),
        (PASSWORD, PASSWORD, "new_password", "same_password"),
        (PASSWORD, "short", "new_password", "weak_password"),
    ],
)
def test_a_password_change_that_cannot_be_made_says_why(api, shop, current, new, field, code):
    reply = change(api, shop["buyer_token"], current, new, headers={"Accept-Language": "ar"})
    assert reply.status == 422
    detail = reply.error["details"][0]
    assert (detail["field"], detail["code"]) == (field, code) and detail["message"]
    assert api.get("/v1/me", shop["buyer_token"]).status == 200  # nothing ended


def test_a_stolen_session_cannot_guess_the_current_password(api, shop):
    replies = [change(api, shop["buyer_token"], f"guess-number-{i}", NEW_PASSWORD) for i in range(5)]
    assert [r.status for r in replies] == [422] * 5
    assert {r.error["details"][0]["code"] for r in replies} == {"wrong_password"}
    refused = change(api, shop["buyer_token"], PASSWORD, NEW_PASSWORD)  # they count as failed logins
    assert refused.status == 429 and refused.error["code"] == "too_many_attempts"
    assert int(refused.headers["Retry-After"]) > 0


def staff_body(**fields):
    return {
        "username": "driver.karim",
        "temporary_password": "temporaire-2026",
        "role": "driver",
        "full_name": "Karim Driver",
        "phone": "0661999888",
        **fields,
    }


def test_a_new_driver_must_change_the_temporary_password_before_anything_else(api, admin_token):
    created = api.post("/v1/admin/staff", admin_token, staff_body())
    assert created.status == 201, created.body
    assert created.data["role"] == "driver" and created.data["must_change_password"] is True
    first = api.login("driver.karim", "temporaire-2026")
    assert first.status == 200 and first.data["user"]["must_change_password"] is True
    temporary = first.data["access_token"]
    assert api.get("/v1/me", temporary).status == 200
    blocked = api.get("/v1/orders", temporary)
    assert blocked.status == 403 and blocked.error["code"] == "password_change_required"
    changed = change(api, temporary, "temporaire-2026", "ma-tournee-2026")
    assert changed.status == 200 and changed.data["user"]["must_change_password"] is False
    assert api.get("/v1/orders", changed.data["access_token"]).status == 200
    assert api.get("/v1/orders", temporary).status == 401  # the temporary session is over


def test_staff_are_listed_by_role_for_admins_only(api, admin_token, driver_token, shop):
    assert api.post("/v1/admin/staff", admin_token, staff_body()).status == 201
    assert (
        api.post("/v1/admin/staff", admin_token, staff_body(username="ops.amina", role="admin", phone=None)).status
        == 201
    )
    drivers = api.get("/v1/admin/staff?role=driver", admin_token).data
    admins = api.get("/v1/admin/staff?role=admin", admin_token).data
    assert {u["username"] for u in drivers} == {"driver1", "driver.karim"}
    assert {u["username"] for u in admins} == {ADMIN[0], "ops.amina"}
    assert len(api.get("/v1/admin/staff", admin_token).data) == 4
    for token in (driver_token, shop["owner_token"]):
        assert api.get("/v1/admin/staff", token).status == 403
        assert api.post("/v1/admin/staff", token, staff_body(username="intruder")).status == 403


def test_a_taken_username_or_phone_is_a_conflict(api, admin_token, shop):
    assert api.post("/v1/admin/staff", admin_token, staff_body()).status == 201
    taken = api.post("/v1/admin/staff", admin_token, staff_body(phone="0661999777"))
    assert taken.status == 409 and taken.error["code"] == "username_taken"
    phone = api.post("/v1/admin/staff", admin_token, staff_body(username="driver.other"))
    assert phone.status == 409 and phone.error["code"] == "phone_taken"


def test_disabling_a_driver_ends_their_sessions_and_enabling_lets_them_back(api, admin_token, driver_token, driver_id):
    off = api.patch(f"/v1/admin/staff/{driver_id}", admin_token, {"is_active": False})
    assert off.status == 200 and off.data["is_active"] is False
    assert api.get("/v1/me", driver_token).status == 401
    assert api.login("driver1", "driver-pass-2026").error["code"] == "user_disabled"
    assert api.patch(f"/v1/admin/staff/{driver_id}", admin_token, {"is_active": True}).status == 200
    assert api.login("driver1", "driver-pass-2026").status == 200


def test_an_admin_cannot_disable_themselves_nor_manage_shop_users_as_staff(api, admin_token, shop):
    me = api.get("/v1/me", admin_token).data["user"]
    self_off = api.patch(f"/v1/admin/staff/{me['user_id']}", admin_token, {"is_active": False})
    assert self_off.status == 403 and self_off.error["code"] == "cannot_change_self"
    assert api.patch(f"/v1/admin/staff/{shop['buyer_id']}", admin_token, {"is_active": False}).status == 404
