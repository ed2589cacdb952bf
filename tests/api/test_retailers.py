"""Registration, validation of Algerian identifiers, admin review, documents."""

from __future__ import annotations

import base64
import json

import pytest

from tests.api.conftest import PASSWORD


def test_registration_creates_pending_retailer_and_owner(api, admin_token):
    payload = api.registration(phone="+213 661 22 33 44", tax_number="0019 1609 1234 567")
    reply = api.post("/v1/retailers", body=payload)
    assert reply.status == 201
    retailer, owner = reply.data["retailer"], reply.data["owner"]
    assert retailer["status"] == "pending" and retailer["credit_limit"] == 0
    assert retailer["phone"] == "+213661223344"
    assert retailer["tax_number"] == "001916091234567"
    assert retailer["registration_number"].startswith("16/00-")
    assert owner["role"] == "owner" and owner["retailer_id"] == retailer["retailer_id"]
    assert reply.data["onboarding_token"]
    listed = api.get("/v1/retailers?status=pending", admin_token)
    assert retailer["retailer_id"] in [r["retailer_id"] for r in listed.data]


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("phone", "021 23 45 67", "invalid_phone"),  # a landline
        ("phone", "+33 6 12 34 56 78", "invalid_phone"),  # not Algerian
        ("tax_number", "12345", "field_too_short"),
        ("tax_number", "1234567890123456", "invalid_nif"),  # 16 digits
        ("nis", "12ab5678901", "invalid_nis"),
        ("ai", "12", "field_too_short"),
        ("registration_number", "??????", "invalid_rc"),
        ("wilaya", 70, "field_out_of_range"),
        ("wilaya", 0, "field_out_of_range"),
        ("business_type", "casino", "field_not_allowed_value"),
        ("email", "not-an-email", "field_invalid"),
        ("unexpected", "x", "field_unknown"),
    ],
)
def test_registration_rejects_bad_fields(api, field, value, code):
    reply = api.post("/v1/retailers", body=api.registration(**{field: value}))
    assert reply.status == 422, reply.body
    assert reply.error["code"] == "validation_error"
    assert {"field": field, "code": code} in [{"field": d["field"], "code": d["code"]} for d in reply.error["details"]]


@pytest.mark.parametrize(
    ("owner_field", "value", "code"),
    [
        ("password", "short1", "weak_password"),
        ("password", "onlyletterslong", "weak_password"),
        ("username", "a b", "invalid_username"),
        ("phone", "0561 234", "invalid_phone"),
    ],
)
def test_registration_rejects_bad_owner(api, owner_field, value, code):
    payload = api.registration()
    payload["owner"][owner_field] = value
    reply = api.post("/v1/retailers", body=payload, headers={"Accept-Language": "ar"})
    assert reply.status == 422
    detail = next(d for d in reply.error["details"] if d["field"] == f"owner.{owner_field}")
    assert detail["code"] == code
    assert reply.error["message"] == "بعض الحقول غير صالحة."


def test_eastern_arabic_digits_are_accepted(api):
    reply = api.post("/v1/retailers", body=api.registration(tax_number="٠٠١٩١٦٠٩١٢٣٤٥٦٧"))
    assert reply.status == 201
    assert reply.data["retailer"]["tax_number"] == "001916091234567"


def test_username_and_phone_are_unique(api):
    first = api.registration()
    assert api.post("/v1/retailers", body=first).status == 201
    again = api.registration()
    again["owner"]["username"] = first["owner"]["username"]
    taken = api.post("/v1/retailers", body=again)
    assert taken.status == 409 and taken.error["code"] == "username_taken"
    assert taken.error["details"][0]["field"] == "owner.username"
    same_phone = api.registration()
    same_phone["owner"]["phone"] = first["owner"]["phone"]
    phone = api.post("/v1/retailers", body=same_phone)
    assert phone.status == 409 and phone.error["code"] == "phone_taken"


def test_failed_registration_writes_nothing(api, admin_token):
    first = api.registration()
    api.post("/v1/retailers", body=first)
    before = api.get("/v1/retailers?status=pending", admin_token).data
    clash = api.registration()
    clash["owner"]["phone"] = first["owner"]["phone"]
    assert api.post("/v1/retailers", body=clash).status == 409
    # the username of the failed attempt is still free, and no retailer was added
    assert len(api.get("/v1/retailers?status=pending", admin_token).data) == len(before)
    clash["owner"]["phone"] = "0699123456"
    assert api.post("/v1/retailers", body=clash).status == 201


def test_admin_lifecycle_and_audit(api, admin_token):
    reg = api.register()
    rid = reg.data["retailer"]["retailer_id"]
    approved = api.post(f"/v1/retailers/{rid}/approve", admin_token, {"credit_limit": 2_000_000})
    assert approved.status == 200
    assert approved.data["status"] == "approved" and approved.data["credit_limit"] == 2_000_000
    assert approved.data["approved_at"]
    again = api.post(f"/v1/retailers/{rid}/approve", admin_token, {"credit_limit": 1})
    assert again.status == 409 and again.error["code"] == "invalid_transition"
    assert api.post(f"/v1/retailers/{rid}/reject", admin_token, {"reason": "too late"}).status == 409
    suspended = api.post(f"/v1/retailers/{rid}/suspend", admin_token, {"reason": "cheque bounced"})
    assert suspended.data["status"] == "suspended" and suspended.data["status_reason"] == "cheque bounced"
    assert api.get("/v1/retailers?status=suspended", admin_token).data[0]["retailer_id"] == rid
    reactivated = api.post(f"/v1/retailers/{rid}/reactivate", admin_token, {})
    assert reactivated.data["status"] == "approved" and reactivated.data["status_reason"] is None
    trail = api.get(f"/v1/audit?resource_type=retailer&resource_id={rid}", admin_token).data
    actions = [e["action"] for e in trail]
    assert actions == ["retailer.reactivated", "retailer.suspended", "retailer.approved", "retailer.registered"]
    approve_entry = trail[2]
    assert approve_entry["changes"]["status"] == {"before": "pending", "after": "approved"}
    assert approve_entry["changes"]["credit_limit"] == {"before": 0, "after": 2_000_000}
    assert approve_entry["actor_role"] == "admin"


def test_approve_validation(api, admin_token):
    rid = api.register().data["retailer"]["retailer_id"]
    for bad in ({"credit_limit": -1}, {"credit_limit": 10.5}, {"credit_limit": "100"}, {}):
        reply = api.post(f"/v1/retailers/{rid}/approve", admin_token, bad)
        assert reply.status == 422, bad
        assert reply.error["details"][0]["field"] == "credit_limit"
    short = api.post(f"/v1/retailers/{rid}/reject", admin_token, {"reason": "x"})
    assert short.status == 422


def test_unknown_retailer_is_404(api, admin_token):
    assert api.get("/v1/retailers/01HZZZZZZZZZZZZZZZZZZZZZZZ", admin_token).status == 404
    assert api.get("/v1/retailers/not-an-id", admin_token).status == 404


def test_retailer_list_paginates_newest_first(api, admin_token):
    ids = [api.register().data["retailer"]["retailer_id"] for _ in range(5)]
    page1 = api.get("/v1/retailers?status=pending&limit=2", admin_token)
    assert [r["retailer_id"] for r in page1.data] == ids[::-1][:2]
    cursor = page1.body["meta"]["next_cursor"]
    page2 = api.get(f"/v1/retailers?status=pending&limit=2&cursor={cursor}", admin_token)
    assert [r["retailer_id"] for r in page2.data] == ids[::-1][2:4]
    bad = api.get("/v1/retailers?status=pending&cursor=abc.def", admin_token)
    assert bad.status == 400 and bad.error["code"] == "invalid_cursor"
    # a cursor from another listing is refused too
    cross = api.get(f"/v1/retailers?status=approved&cursor={cursor}", admin_token)
    assert cross.status == 400
    assert api.get("/v1/retailers?status=sleeping", admin_token).status == 422


def test_buyer_does_not_see_credit_limit(api, shop):
    owner_view = api.get(f"/v1/retailers/{shop['retailer_id']}", shop["owner_token"])
    buyer_view = api.get(f"/v1/retailers/{shop['retailer_id']}", shop["buyer_token"])
    assert owner_view.data["credit_limit"] == 50_000_00
    assert buyer_view.data["credit_limit"] is None


def _policy(post):
    return json.loads(base64.b64decode(post["fields"]["policy"]))


def test_onboarding_document_upload_and_list(api, admin_token):
    reg = api.register()
    rid, onboarding = reg.data["retailer"]["retailer_id"], reg.data["onboarding_token"]
    reply = api.post(
        f"/v1/retailers/{rid}/documents",
        onboarding,
        {"document_type": "rc_extract", "content_type": "image/jpeg", "file_name": "rc.jpg"},
    )
    assert reply.status == 201, reply.body
    upload = reply.data["upload"]
    assert reply.data["key"].startswith(f"retailers/{rid}/documents/")
    conditions = _policy(upload)["conditions"]
    assert {"Content-Type": "image/jpeg"} in conditions
    assert ["content-length-range", 1, 10 * 1024 * 1024] in conditions
    assert {"key": reply.data["key"]} in conditions
    # listed at once, waiting for its file (what happens to the file: test_documents)
    (listed,) = api.get(f"/v1/retailers/{rid}/documents", admin_token).data
    assert (listed["status"], listed["uploaded"], listed["download_url"]) == ("awaiting_upload", False, None)


def test_onboarding_token_is_scoped(api):
    a = api.register()
    b = api.register()
    token = a.data["onboarding_token"]
    other = b.data["retailer"]["retailer_id"]
    doc = {"document_type": "rc_extract", "content_type": "application/pdf"}
    assert api.post(f"/v1/retailers/{other}/documents", token, doc).status == 404
    assert api.get("/v1/me", token).status == 401
    assert api.get(f"/v1/retailers/{a.data['retailer']['retailer_id']}", token).status == 401


def test_document_validation(api, shop):
    bad = api.post(
        f"/v1/retailers/{shop['retailer_id']}/documents",
        shop["owner_token"],
        {"document_type": "rc_extract", "content_type": "application/x-msdownload"},
    )
    assert bad.status == 422 and bad.error["details"][0]["field"] == "content_type"
    assert PASSWORD
