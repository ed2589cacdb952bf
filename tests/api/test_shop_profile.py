"""A shop keeps its details current: address and delivery notes at once, legal identifiers
after an admin's review."""

from __future__ import annotations

NEW_NIF = "000016001234567"


def shop_details(api, token, retailer_id):
    return api.get(f"/v1/retailers/{retailer_id}", token).data


def test_an_owner_changes_the_address_and_delivery_notes_at_once(api, shop, admin_token):
    rid = shop["retailer_id"]
    current = shop_details(api, shop["owner_token"], rid)
    body = {
        "version": current["version"],
        "address": "8 rue Larbi Ben M'hidi",
        "commune": "Alger-Centre",
        "delivery_notes": "Livrer avant 10h,   par la porte arrière",
    }
    reply = api.patch(f"/v1/retailers/{rid}", shop["owner_token"], body)
    assert reply.status == 200, reply.body
    data = reply.data
    assert (
        data["address"] == "8 rue Larbi Ben M'hidi"
        and data["delivery_notes"] == "Livrer avant 10h, par la porte arrière"
    )
    assert data["version"] == current["version"] + 1 and data["pending_legal"] is None
    stale = api.patch(f"/v1/retailers/{rid}", shop["owner_token"], body)
    assert stale.status == 409 and stale.error["code"] == "version_conflict"
    trail = api.get(f"/v1/audit?resource_type=retailer&resource_id={rid}", admin_token).data
    assert trail[0]["action"] == "retailer.updated"


def test_a_new_nif_waits_for_an_admin_and_applies_once_approved(api, shop, admin_token):
    rid = shop["retailer_id"]
    current = shop_details(api, shop["owner_token"], rid)
    asked = api.patch(
        f"/v1/retailers/{rid}", shop["owner_token"], {"version": current["version"], "tax_number": NEW_NIF}
    )
    assert asked.status == 200, asked.body
    assert asked.data["tax_number"] == current["tax_number"]  # the one on record stands
    assert asked.data["pending_legal"] == {"tax_number": NEW_NIF}
    queue = api.get("/v1/admin/legal-reviews", admin_token).data
    assert [r["retailer_id"] for r in queue] == [rid]
    approved = api.post(f"/v1/retailers/{rid}/legal-review", admin_token, {"approve": True})
    assert approved.status == 200 and approved.data["tax_number"] == NEW_NIF and approved.data["pending_legal"] is None
    assert api.get("/v1/admin/legal-reviews", admin_token).data == []
    again = api.post(f"/v1/retailers/{rid}/legal-review", admin_token, {"approve": True})
    assert again.status == 409 and again.error["code"] == "no_legal_change"


def test_a_rejected_change_leaves_the_identifiers_as_they_were(api, shop, admin_token):
    rid = shop["retailer_id"]
    current = shop_details(api, shop["owner_token"], rid)
    api.patch(f"/v1/retailers/{rid}", shop["owner_token"], {"version": current["version"], "nis": "0016000123456789"})
    rejected = api.post(f"/v1/retailers/{rid}/legal-review", admin_token, {"approve": False, "reason": "NIS illisible"})
    assert rejected.status == 200
    assert rejected.data["nis"] == current["nis"] and rejected.data["pending_legal"] is None


def test_only_the_owner_or_an_admin_changes_a_shop_and_never_another_shop(api, shop, other_shop, admin_token):
    rid = shop["retailer_id"]
    version = shop_details(api, shop["owner_token"], rid)["version"]
    assert (
        api.patch(f"/v1/retailers/{rid}", shop["buyer_token"], {"version": version, "commune": "Kouba"}).status == 403
    )
    assert (
        api.patch(f"/v1/retailers/{rid}", other_shop["owner_token"], {"version": version, "commune": "Kouba"}).status
        == 404
    )
    assert api.post(f"/v1/retailers/{rid}/legal-review", shop["owner_token"], {"approve": True}).status == 403
    fixed = api.patch(f"/v1/retailers/{rid}", admin_token, {"version": version, "tax_number": NEW_NIF})
    assert fixed.status == 200 and fixed.data["tax_number"] == NEW_NIF  # an admin's own fix applies at once


def test_a_shop_change_is_checked_like_the_registration(api, shop):
    rid = shop["retailer_id"]
    version = shop_details(api, shop["owner_token"], rid)["version"]
    for body, field in (({"wilaya": 70}, "wilaya"), ({"tax_number": "123"}, "tax_number"), ({}, "version")):
        sent = {"version": version, **body} if field != "version" else body
        reply = api.patch(f"/v1/retailers/{rid}", shop["owner_token"], sent)
        assert reply.status == 422 and reply.error["details"][0]["field"] == field, reply.body
