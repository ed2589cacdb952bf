"""Registration documents in quarantine: a file is accepted only when it is what it claims to be
and cannot act on the reviewer's machine; anything else is deleted and the reason shown to the
shop and the reviewer. Where the stage scans for malware, GuardDuty's verdict decides last."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

from chalicelib.accounts import document_check
from chalicelib.core import storage
from chalicelib.core.config import settings
from tests.api.test_login_guard import limits as limits  # a fixture


def jpeg(width: int = 600, height: int = 400) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def png(width: int = 600, height: int = 400) -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (width, height), 128).save(buffer, "PNG")
    return buffer.getvalue()


def pdf(pages: int = 1, **extra: object) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    if "js" in extra:  # a link on the page that runs a script when tapped
        action = DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(str(extra["js"]))}
        )
        link = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Link"),
                NameObject("/Rect"): ArrayObject(
                    [NumberObject(10), NumberObject(10), NumberObject(200), NumberObject(40)]
                ),
                NameObject("/A"): action,
            }
        )
        writer.add_annotation(page_number=0, annotation=link)
    if "launch" in extra:  # opening the file starts a program
        launch = DictionaryObject(
            {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd.exe")}
        )
        writer._root_object[NameObject("/OpenAction")] = launch
    if "attachment" in extra:
        writer.add_attachment("facture.exe", b"MZ\x90\x00 not a certificate")
    if "password" in extra:
        writer.encrypt(str(extra["password"]))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def upload(api, token: str, retailer_id: str, content_type: str, data: bytes) -> str:
    """Ask for an upload, store the file as the presigned form would, run the S3 trigger."""
    asked = api.post(
        f"/v1/retailers/{retailer_id}/documents", token, {"document_type": "rc_extract", "content_type": content_type}
    )
    assert asked.status == 201, asked.body
    key = asked.data["key"]
    storage.s3().put_object(Bucket=settings().bucket_name, Key=key, Body=data, ContentType=content_type)
    document_check.handle_event({"Records": [{"s3": {"object": {"key": key, "size": len(data)}}}]})
    return asked.data["document_id"]


def listed(api, token: str, retailer_id: str, document_id: str, lang: str = "fr") -> dict:
    reply = api.get(f"/v1/retailers/{retailer_id}/documents", token, headers={"Accept-Language": lang})
    assert reply.status == 200, reply.body
    return next(d for d in reply.data if d["document_id"] == document_id)


@pytest.fixture
def onboarding(api):
    reg = api.register()
    return reg.data["retailer"]["retailer_id"], reg.data["onboarding_token"]


def stored(key_prefix: str) -> list[str]:
    return list(storage.list_prefix(key_prefix))


def test_a_real_photo_and_a_real_pdf_are_accepted(api, admin_token, onboarding):
    rid, token = onboarding
    photo = upload(api, token, rid, "image/jpeg", jpeg())
    certificate = upload(api, token, rid, "application/pdf", pdf(pages=2))
    seen = listed(api, token, rid, photo)
    assert (seen["status"], seen["reason"], seen["uploaded"]) == ("accepted", None, True)
    assert seen["download_url"] is None  # the onboarding token uploads, it does not download
    reviewed = listed(api, admin_token, rid, certificate)
    assert reviewed["status"] == "accepted" and reviewed["pages"] == 2 and reviewed["size"] > 0
    assert reviewed["download_url"].startswith("http")


def test_the_registrations_token_serves_until_the_shop_is_reviewed(api, admin_token, onboarding):
    """Approved (or rejected), the shop's documents are its owner's: the token the registration
    left on a phone no longer lists or adds any."""
    rid, token = onboarding
    upload(api, token, rid, "image/jpeg", jpeg())
    approved = api.post(f"/v1/retailers/{rid}/approve", admin_token, {"credit_limit": 0})
    assert approved.status == 200, approved.body
    listed = api.get(f"/v1/retailers/{rid}/documents", token, headers={"Accept-Language": "ar"})
    assert (listed.status, listed.error["code"]) == (403, "onboarding_closed")
    assert listed.error["message"] == "رُوجع طلب تسجيل هذا المحل: يدخل صاحبه باسم المستخدم."
    asked = api.post(
        f"/v1/retailers/{rid}/documents", token, {"document_type": "nif_card", "content_type": "image/jpeg"}
    )
    assert (asked.status, asked.error["code"]) == (403, "onboarding_closed")
    assert [d["document_type"] for d in api.get(f"/v1/retailers/{rid}/documents", admin_token).data] == ["rc_extract"]


def test_uploads_and_links_name_the_buckets_regional_host(api, admin_token, onboarding):
    """The browser posts the file to the host the apps' CSP allows: the bucket's regional name
    (its global name answers a new or opt-in-region bucket with a redirect an upload does not survive)."""
    rid, token = onboarding
    cfg = settings()
    asked = api.post(
        f"/v1/retailers/{rid}/documents", token, {"document_type": "rc_extract", "content_type": "image/jpeg"}
    )
    assert asked.status == 201, asked.body
    regional = storage.bucket_origin(cfg.bucket_name, cfg.region)
    assert regional == "https://livrili-test-files.s3.eu-west-3.amazonaws.com"
    assert asked.data["upload"]["url"].rstrip("/") == regional
    document = upload(api, token, rid, "image/jpeg", jpeg())
    assert listed(api, admin_token, rid, document)["download_url"].startswith(regional + "/")


@pytest.mark.parametrize(
    ("content_type", "data", "reason"),
    [
        ("image/png", b"x" * 100, "document_type_mismatch"),  # the garbage of the issue
        ("image/jpeg", png(), "document_type_mismatch"),  # a PNG sent as a JPEG
        ("application/pdf", jpeg(), "document_type_mismatch"),
        ("image/jpeg", jpeg()[:2000], "not_an_image"),  # cut short: it does not decode whole
        ("image/jpeg", jpeg(120, 80), "too_small"),
        ("image/png", png(12_500, 20), "dimensions_too_large"),
        ("application/pdf", b"%PDF-1.4 demo", "pdf_unreadable"),
        ("application/pdf", pdf(js="app.alert('hi')"), "pdf_active_content"),
        ("application/pdf", pdf(launch=True), "pdf_active_content"),
        ("application/pdf", pdf(attachment=True), "pdf_attachments"),
        ("application/pdf", pdf(password="secret-2026"), "pdf_encrypted"),
        ("application/pdf", pdf(pages=21), "pdf_too_many_pages"),
    ],
)
def test_a_file_that_is_not_what_it_claims_or_could_act_is_deleted_with_its_reason(
    api, admin_token, onboarding, content_type, data, reason
):
    rid, token = onboarding
    document_id = upload(api, token, rid, content_type, data)
    seen = listed(api, token, rid, document_id, lang="ar")
    assert (seen["status"], seen["reason"]) == ("rejected", reason)
    assert seen["reason_message"] and seen["reason_message"] != reason  # said in words, in Arabic
    assert seen["download_url"] is None and listed(api, admin_token, rid, document_id)["download_url"] is None
    assert stored(f"retailers/{rid}/documents/") == []  # the file itself is gone
    entries = api.get(f"/v1/audit?resource_type=retailer&resource_id={rid}&action=document.rejected", admin_token)
    assert [e["metadata"]["reason"] for e in entries.data] == [reason]


def test_files_nobody_asked_for_are_deleted_and_a_second_run_changes_nothing(api, onboarding):
    rid, token = onboarding
    stray = f"retailers/{rid}/documents/01J00000000000000000000000.pdf"
    storage.s3().put_object(Bucket=settings().bucket_name, Key=stray, Body=pdf())
    assert document_check.process(stray) == {"status": "unsolicited"}
    assert stored(f"retailers/{rid}/documents/") == []
    document_id = upload(api, token, rid, "image/jpeg", jpeg())
    key = f"retailers/{rid}/documents/{document_id}.jpg"
    assert document_check.process(key) == {"status": "accepted"}  # already decided: left as it is


def test_with_guardduty_a_checked_file_waits_for_the_clean_verdict(api, admin_token, onboarding, limits):
    limits(LIVRILI_MALWARE_SCAN="guardduty")
    rid, token = onboarding
    document_id = upload(api, token, rid, "image/jpeg", jpeg())
    waiting = listed(api, admin_token, rid, document_id)
    assert waiting["status"] == "scanning" and waiting["download_url"] is None
    key = f"retailers/{rid}/documents/{document_id}.jpg"
    verdict = {
        "source": "aws.guardduty",
        "detail-type": "GuardDuty Malware Protection Object Scan Result",
        "detail": {
            "scanStatus": "COMPLETED",
            "s3ObjectDetails": {"bucketName": settings().bucket_name, "objectKey": key},
            "scanResultDetails": {"scanResultStatus": "NO_THREATS_FOUND"},
        },
    }
    assert document_check.handle_event(verdict) == [{"key": key, "status": "accepted"}]
    assert listed(api, admin_token, rid, document_id)["download_url"].startswith("http")


def test_with_guardduty_a_threat_is_deleted_whatever_our_own_checks_said(api, admin_token, onboarding, limits):
    limits(LIVRILI_MALWARE_SCAN="guardduty")
    rid, token = onboarding
    asked = api.post(
        f"/v1/retailers/{rid}/documents", token, {"document_type": "nif_card", "content_type": "image/png"}
    )
    key = asked.data["key"]
    # GuardDuty scanned it before the check ran: its verdict is on the object's tags already
    storage.s3().put_object(
        Bucket=settings().bucket_name, Key=key, Body=png(), Tagging="GuardDutyMalwareScanStatus=THREATS_FOUND"
    )
    assert document_check.process(key) == {"status": "rejected", "reason": "malware_found"}
    seen = listed(api, admin_token, rid, asked.data["document_id"])
    assert seen["status"] == "rejected" and seen["reason_message"] == "Le fichier a été refusé par l'analyse antivirus."
    assert stored(f"retailers/{rid}/documents/") == []
