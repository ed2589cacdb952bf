"""Shared shop accounts: owners add, change and disable users; limits and isolation."""

from __future__ import annotations

import pytest

from tests.api.conftest import PASSWORD


def _new_user(api, n: int, role: str = "buyer") -> dict:
    return {
        "username": f"staff{n}",
        "password": PASSWORD,
        "role": role,
        "full_name": f"Staff {n}",
        "phone": f"0699{n:06d}",
    }


def test_owner_adds_buyer_who_can_log_in(api, shop):
    reply = api.post(f"/v1/retailers/{shop['retailer_id']}/users", shop["owner_token"], _new_user(api, 1))
    assert reply.status == 201 and reply.data["role"] == "buyer"
    assert api.login("staff1").status == 200
    users = api.get(f"/v1/retailers/{shop['retailer_id']}/users", shop["owner_token"]).data
    assert {u["username"] for u in users} == {shop["owner"], shop["buyer"], "staff1"}


def test_buyer_cannot_manage_users(api, shop):
    path = f"/v1/retailers/{shop['retailer_id']}/users"
    assert api.post(path, shop["buyer_token"], _new_user(api, 2)).status == 403
    assert api.get(path, shop["buyer_token"]).status == 403
    assert api.patch(f"{path}/{shop['owner_id']}", shop["buyer_token"], {"is_active": False}).status == 403


def test_disable_revokes_sessions_and_blocks_login(api, shop):
    path = f"/v1/retailers/{shop['retailer_id']}/users/{shop['buyer_id']}"
    assert api.get("/v1/me", shop["buyer_token"]).status == 200
    reply = api.patch(path, shop["owner_token"], {"is_active": False})
    assert reply.status == 200 and reply.data["is_active"] is False
    assert api.get("/v1/me", shop["buyer_token"]).status == 401
    refused = api.login(shop["buyer"])
    assert refused.status == 403 and refused.error["code"] == "user_disabled"
    api.patch(path, shop["owner_token"], {"is_active": True})
    assert api.login(shop["buyer"]).status == 200


def test_role_change_takes_effect_at_once(api, shop):
    path = f"/v1/retailers/{shop['retailer_id']}/users/{shop['buyer_id']}"
    reply = api.patch(path, shop["owner_token"], {"role": "owner"})
    assert reply.status == 200 and reply.data["role"] == "owner"
    assert api.get("/v1/me", shop["buyer_token"]).status == 401  # old token carried the old role
    promoted = api.token(shop["buyer"])
    assert api.get(f"/v1/retailers/{shop['retailer_id']}/users", promoted).status == 200


def test_owner_cannot_demote_or_disable_self(api, shop):
    path = f"/v1/retailers/{shop['retailer_id']}/users/{shop['owner_id']}"
    reply = api.patch(path, shop["owner_token"], {"is_active": False})
    assert reply.status == 403 and reply.error["code"] == "cannot_change_self"
    assert api.patch(path, shop["owner_token"], {"full_name": "Karim B."}).data["full_name"] == "Karim B."


def test_shop_keeps_one_active_owner(api, shop, admin_token):
    path = f"/v1/retailers/{shop['retailer_id']}/users/{shop['owner_id']}"
    reply = api.patch(path, admin_token, {"role": "buyer"})
    assert reply.status == 409 and reply.error["code"] == "last_owner"


def test_at_most_twenty_active_users(api, shop):
    path = f"/v1/retailers/{shop['retailer_id']}/users"
    for n in range(18):  # owner + buyer already
        assert api.post(path, shop["owner_token"], _new_user(api, 100 + n)).status == 201
    full = api.post(path, shop["owner_token"], _new_user(api, 200))
    assert full.status == 409 and full.error["code"] == "user_limit_reached"
    assert "20" in full.error["message"]
    # disabling one frees a seat; re-enabling beyond the limit is refused
    api.patch(f"{path}/{shop['buyer_id']}", shop["owner_token"], {"is_active": False})
    assert api.post(path, shop["owner_token"], _new_user(api, 201)).status == 201
    again = api.patch(f"{path}/{shop['buyer_id']}", shop["owner_token"], {"is_active": True})
    assert again.status == 409 and again.error["code"] == "user_limit_reached"


def test_user_validation(api, shop):
    path = f"/v1/retailers/{shop['retailer_id']}/users"
    bad_role = api.post(path, shop["owner_token"], {**_new_user(api, 3), "role": "admin"})
    assert bad_role.status == 422 and bad_role.error["details"][0]["field"] == "role"
    dup = api.post(path, shop["owner_token"], {**_new_user(api, 4), "username": shop["buyer"]})
    assert dup.status == 409 and dup.error["code"] == "username_taken"
    patch = api.patch(f"{path}/{shop['buyer_id']}", shop["owner_token"], {"is_active": "maybe"})
    assert patch.status == 422


@pytest.mark.parametrize("name", ["0661234567", "0661-23-45-67", "+213661234567"])
def test_a_phone_number_is_not_a_username(api, shop, name):
    """Users sign in with their phone too: a username that is one would answer for someone else."""
    path = f"/v1/retailers/{shop['retailer_id']}/users"
    headers = {"Accept-Language": "fr"}
    reply = api.post(path, shop["owner_token"], {**_new_user(api, 5), "username": name}, headers=headers)
    assert reply.status == 422
    detail = reply.error["details"][0]
    assert detail["field"] == "username"
    if name[0] == "+":  # not even the characters of a username
        assert detail["code"] == "invalid_username"
    else:
        assert detail["code"] == "username_is_phone"
        assert "téléphone" in detail["message"]
    # digits that are no phone still make a username
    other = api.post(path, shop["owner_token"], {**_new_user(api, 6), "username": "2024-shop"})
    assert other.status == 201


def test_user_changes_are_audited_for_the_owner(api, shop):
    path = f"/v1/retailers/{shop['retailer_id']}/users/{shop['buyer_id']}"
    api.patch(
        path,
        shop["owner_token"],
        {"is_active": False},
        headers={"User-Agent": "LivriliApp/1.0", "X-Device-Id": "tab-7"},
    )
    entries = api.get("/v1/audit?action=user.updated", shop["owner_token"]).data
    assert len(entries) == 1
    entry = entries[0]
    assert entry["actor_id"] == shop["owner_id"] and entry["retailer_id"] == shop["retailer_id"]
    assert entry["changes"] == {"is_active": {"before": True, "after": False}}
    assert entry["user_agent"] == "LivriliApp/1.0" and entry["device_id"] == "tab-7"
    assert entry["ip"]


@pytest.mark.parametrize("name", ["ab\u0000cd", "a\x07\x1b[31mred"])
def test_a_name_with_control_characters_is_refused_not_stored(api, shop, name):
    before = api.get("/v1/me", shop["buyer_token"]).data["user"]["full_name"]
    reply = api.patch("/v1/me", shop["buyer_token"], {"full_name": name}, headers={"Accept-Language": "ar"})
    assert reply.status == 422
    detail = reply.error["details"][0]
    assert (detail["field"], detail["code"]) == ("full_name", "control_characters") and detail["message"]
    assert api.get("/v1/me", shop["buyer_token"]).data["user"]["full_name"] == before
