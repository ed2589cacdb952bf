"""A new shop signs up from the phone, in Arabic: the form says what to fix next to the field, the
wilaya comes from the RC number, the documents go straight to the bucket (a phone's photo made
smaller first) and are checked; the shop waits for approval, then its owner signs in."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect

from tests.e2e.conftest import call
from tests.web.conftest import DEMO_PASSWORD, Phone
from tests.web.helpers import admin_token, registered_shop


def _photo(path: Path) -> Path:
    """A phone camera's photo of a document: 3000 × 2250 px, a JPEG of a few hundred KB."""
    image = Image.effect_noise((3000, 2250), 60).convert("RGB")
    draw = ImageDraw.Draw(image)
    for line in range(12):
        draw.rectangle((200, 200 + line * 150, 2800, 260 + line * 150), fill=(20, 20, 20))
    image.save(path, "JPEG", quality=92)
    return path


def test_a_new_shop_signs_up_sends_its_documents_and_signs_in_once_approved(
    phone: Callable[..., Phone], tmp_path: Path
) -> None:
    p = phone("ar-DZ")
    page = p.open("/")
    page.get_by_role("link", name="محل جديد؟ أنشئ حسابًا").click()
    expect(page.get_by_role("heading", name="حساب لمحلك")).to_be_visible()
    n = uuid.uuid4().int % 10**6
    username = f"nour.{n}"
    page.get_by_label("اسم المحل").fill(f"بقالة النور {n}")
    page.get_by_label("النشاط").select_option("grocery")
    page.get_by_label("هاتف المحل").fill(f"0662 {n:06d}")
    page.get_by_label("رقم السجل التجاري").fill(f"16/00-{1000000 + n} B 21")
    page.get_by_label("رقم التعريف الجبائي (NIF)").fill("12345")  # too short: the server says so
    wilaya = page.get_by_label("رمز الولاية")
    expect(wilaya).to_have_value("16")  # from the RC's first number
    expect(page.get_by_text("16 · الجزائر")).to_be_visible()
    wilaya.fill("99")  # no such wilaya: refused with the NIF, in the same reply
    page.get_by_label("البلدية").fill("باب الزوار")
    page.get_by_label("العنوان").fill("12 شارع العربي بن مهيدي")
    page.get_by_label("الاسم الكامل").fill("نور الدين حمادي")
    page.get_by_label("هاتفك المحمول").fill(f"0771{n:06d}")
    page.get_by_label("اسم المستخدم").fill(username)
    page.get_by_label("كلمة المرور").fill(DEMO_PASSWORD)
    send = page.get_by_role("button", name="أرسل طلب التسجيل")
    send.click()
    expect(page.get_by_role("alert")).to_have_text("صحّح الحقول المشار إليها.")
    nif = page.get_by_label("رقم التعريف الجبائي (NIF)")
    expect(nif).to_have_attribute("aria-invalid", "true")
    expect(nif).to_be_focused()  # the first field to fix, its message read with it
    expect(wilaya).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("رمز الولاية من 1 إلى 69")).to_be_visible()
    p.shot("ar-register-refused")
    p.assert_accessible()
    nif.fill(f"{3116091234 + n:015d}")
    wilaya.fill("16")
    send.click()

    expect(page.get_by_role("heading", name="وثائق المحل")).to_be_visible()
    expect(page.get_by_text(f"بقالة النور {n}").first).to_be_visible()
    photo = _photo(tmp_path / "rc.jpg")
    page.get_by_label("صوّر أو اختر ملفًا: مستخرج السجل التجاري").set_input_files(str(photo))
    rc = page.locator("li", has_text="مستخرج السجل التجاري")
    expect(rc.get_by_role("status")).to_have_text("وصلت ✓", timeout=30_000)
    expect(page.locator("li", has_text="صورة واجهة المحل").get_by_role("status")).to_have_text("لم تُرسل بعد")
    p.shot("ar-register-documents")
    p.assert_accessible()

    admin = admin_token(p.base)
    pending = call("GET", f"{p.base}/v1/retailers?status=pending&limit=100", admin).json()["data"]
    shop = next(s for s in pending if s["business_name"] == f"بقالة النور {n}")
    assert (shop["wilaya"], shop["registration_number"]) == (16, f"16/00-{1000000 + n}B21")
    docs = call("GET", f"{p.base}/v1/retailers/{shop['retailer_id']}/documents", admin).json()["data"]
    assert [(d["document_type"], d["status"]) for d in docs] == [("rc_extract", "accepted")]
    assert docs[0]["size"] < photo.stat().st_size / 2  # made fit for 3G before it was sent

    # not approved yet: the login leads back to the documents, and the owner cannot sign in
    page.get_by_role("link", name="تسجيل الدخول").click()
    expect(page.get_by_role("link", name="أرسل وثائق المحل")).to_be_visible()
    approved = call("POST", f"{p.base}/v1/retailers/{shop['retailer_id']}/approve", admin, json={"credit_limit": 0})
    assert approved.status_code == 200, approved.text
    p.sign_in(username)
    expect(page.locator("nav.tabs")).to_be_visible()
    expect(page.locator("li.product").first).to_be_visible()


def _registered_on(p: Phone, made: dict[str, Any]) -> Page:
    """The phone as the sign-up leaves it (`made`: the API's reply): the registration kept."""
    retailer = made["retailer"]
    page = p.open("/login")
    waiting = {
        "retailer_id": retailer["retailer_id"],
        "token": made["onboarding_token"],
        "expires_at": int(time.time() * 1000) + made["onboarding_token_expires_in"] * 1000,
        "shop": retailer["business_name"],
        "username": made["owner"]["username"],
        "phone": retailer["phone"],
    }
    page.evaluate("(value) => localStorage.setItem('livrili.onboarding', JSON.stringify(value))", waiting)
    return page


def test_once_the_shop_is_reviewed_the_phone_leads_to_the_sign_in(phone: Callable[..., Phone]) -> None:
    """Approved while the owner was away (or signed in on another phone): the documents screen
    says the registration was reviewed and leads to the sign-in, and the login stops offering it."""
    p = phone("ar-DZ")
    made = registered_shop(p.base, "ar")
    page = _registered_on(p, made)
    page.reload()
    documents_link = page.get_by_role("link", name="أرسل وثائق المحل")
    expect(documents_link).to_be_visible()
    shop_id = made["retailer"]["retailer_id"]
    approved = call("POST", f"{p.base}/v1/retailers/{shop_id}/approve", admin_token(p.base), json={"credit_limit": 0})
    assert approved.status_code == 200, approved.text
    documents_link.click()
    reviewed = page.get_by_role("status").filter(has_text="رُوجع طلب تسجيل")
    expect(reviewed).to_contain_text(made["owner"]["username"])
    p.shot("ar-register-reviewed")
    p.assert_accessible()
    page.get_by_role("link", name="تسجيل الدخول").click()
    expect(page.get_by_label("اسم المستخدم أو رقم الهاتف")).to_be_visible()
    expect(documents_link).to_have_count(0)


def test_a_document_chosen_offline_is_sent_once_the_connection_is_back(
    phone: Callable[..., Phone], tmp_path: Path
) -> None:
    """Offline, the documents screen says it cannot read the list (not "nothing sent" for each);
    a photo chosen then waits on the screen and goes, once, when the connection returns — also
    when the phone said it was connected all along (the app found the server unreachable)."""
    p = phone("ar-DZ")
    made = registered_shop(p.base, "ar")
    retailer = made["retailer"]
    page = _registered_on(p, made)
    page.goto(p.base + "/register/documents")
    rc = page.locator("li", has_text="مستخرج السجل التجاري").get_by_role("status")
    expect(rc).to_have_text("لم تُرسل بعد")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")  # the screen is kept on the phone

    p.offline(True)
    page.reload()  # Chromium's navigator.onLine says true after this reload: only a probe sees the way back
    expect(page.get_by_text("أنت غير متصل: الوثيقة التي تختارها تُرسل عند عودة الاتصال.")).to_be_visible()
    expect(rc).to_have_text("")  # not read: nothing said of each document
    page.get_by_label("صوّر أو اختر ملفًا: مستخرج السجل التجاري").set_input_files(str(_photo(tmp_path / "rc.jpg")))
    expect(rc).to_have_text("تُرسل عند عودة الاتصال")
    p.shot("ar-register-documents-offline")
    p.assert_accessible()

    p.offline(False)
    expect(rc).to_have_text("وصلت ✓", timeout=30_000)
    admin = admin_token(p.base)
    docs = call("GET", f"{p.base}/v1/retailers/{retailer['retailer_id']}/documents", admin).json()["data"]
    assert [(d["document_type"], d["status"]) for d in docs] == [("rc_extract", "accepted")]  # sent once


def test_the_registration_reads_well_in_french(phone: Callable[..., Phone]) -> None:
    p = phone("fr-DZ")
    page = p.open("/register")
    page.get_by_role("button", name="Français").click()
    expect(page.get_by_role("heading", name="Un compte pour votre magasin")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    page.get_by_label("Code de la wilaya").fill("31")
    expect(page.get_by_text("31 · Oran")).to_be_visible()
    p.shot("fr-register")
    p.assert_accessible()
