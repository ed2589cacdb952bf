"""Signing in when someone has been guessing the password: no lock, the app asks for the code
texted to the user's phone and lets them in with it."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from playwright.sync_api import expect

from tests.e2e.conftest import call, login
from tests.web.conftest import DEMO_PASSWORD, Phone
from tests.web.helpers import texted_code


def _new_buyer(base: str) -> tuple[str, str]:
    """A buyer of El Baraka of its own (the demo users stay as other tests expect them)."""
    username, user_id, _ = _new_buyer_with_phone(base)
    return username, user_id


def _new_buyer_with_phone(base: str) -> tuple[str, str, str]:
    """`_new_buyer`, and the phone number it was given as the owner typed it (0770 12 34 56)."""
    owner = login(base, "karim.baraka", DEMO_PASSWORD)
    shop = call("GET", f"{base}/v1/me", owner).json()["data"]["retailer"]["retailer_id"]
    username = f"walid.{uuid.uuid4().hex[:6]}"
    number = f"0770 {uuid.uuid4().int % 100:02d} {uuid.uuid4().int % 100:02d} {uuid.uuid4().int % 100:02d}"
    body = {"username": username, "password": DEMO_PASSWORD, "role": "buyer", "full_name": "وليد بن علي"}
    added = call("POST", f"{base}/v1/retailers/{shop}/users", owner, json={**body, "phone": number, "language": "ar"})
    assert added.status_code == 201, added.text
    return username, added.json()["data"]["user_id"], number


def test_after_failed_logins_the_app_asks_for_the_texted_code_and_lets_the_user_in(
    phone: Callable[..., Phone],
) -> None:
    p = phone("ar-DZ")
    username, user_id = _new_buyer(p.base)
    for _ in range(5):  # someone guessing this user's password
        guess = call("POST", f"{p.base}/v1/auth/login", json={"username": username, "password": "wrong-pass-123"})
        assert guess.status_code == 401

    page = p.open("/")
    page.get_by_label("اسم المستخدم أو رقم الهاتف").fill(username)
    page.locator("#password").fill(DEMO_PASSWORD)
    page.locator("button[type=submit]").click()
    expect(page.get_by_role("status")).to_contain_text("أدخل الرمز الذي أرسلناه")
    field = page.get_by_label("الرمز المرسل إلى هاتفك")
    expect(field).to_be_visible()
    p.shot("ar-login-code")
    p.assert_accessible()

    code = texted_code(p.base, "auth_login_code", user_id)
    field.fill("000000" if code != "000000" else "111111")
    page.locator("button[type=submit]").click()
    expect(page.get_by_role("alert")).to_contain_text("هذا الرمز خاطئ")
    field.fill(code)
    page.locator("button[type=submit]").click()
    expect(page.locator("nav.tabs")).to_be_visible()


def test_a_shop_user_turns_on_two_step_verification_and_signs_in_with_a_recovery_code(
    phone: Callable[..., Phone],
) -> None:
    import pyotp

    p = phone("ar-DZ")
    username, _ = _new_buyer(p.base)
    page = p.sign_in(username)
    page.get_by_role("link", name="حسابي").click()
    page.get_by_text("التحقق بخطوتين").click()
    expect(page.get_by_text("غير مفعّل.")).to_be_visible()
    page.get_by_label("كلمة المرور الحالية").last.fill(DEMO_PASSWORD)
    page.get_by_role("button", name="ابدأ").click()
    qr = page.get_by_role("img", name="رمز QR لإضافة ليفريلي إلى تطبيق المصادقة")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.naturalWidth") > 0  # the QR code is drawn (CSP allows it)
    secret = page.locator("details code").first.inner_text().replace(" ", "")
    page.get_by_label("الرمز الذي يظهر في التطبيق").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="فعّل").click()
    codes = page.locator("ul.codes li")
    expect(codes).to_have_count(10)
    p.shot("ar-two-factor-recovery")
    p.assert_accessible()
    recovery = codes.first.inner_text()
    page.get_by_role("button", name="احتفظت بها").click()
    expect(page.get_by_text("مفعّل: كل دخول يطلب رمز تطبيق المصادقة.")).to_be_visible()

    page.get_by_role("button", name="تسجيل الخروج", exact=True).click()
    page.get_by_label("اسم المستخدم أو رقم الهاتف").fill(username)
    page.locator("#password").fill(DEMO_PASSWORD)
    page.locator("button[type=submit]").click()
    field = page.get_by_label("رمز تطبيق المصادقة (أو رمز استرجاع)")
    expect(field).to_be_visible()
    field.fill(recovery)  # the phone with the app is not at hand: a recovery code, once
    page.locator("button[type=submit]").click()
    expect(page.locator("nav.tabs")).to_be_visible()


def test_two_step_verification_reads_well_in_french(phone: Callable[..., Phone]) -> None:
    p = phone("fr-DZ")
    username, _ = _new_buyer(p.base)
    page = p.sign_in(username, choose="Français")
    page.get_by_role("link", name="Compte").click()
    page.get_by_text("Validation en deux étapes").click()
    page.get_by_label("Mot de passe actuel").last.fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Commencer").click()
    expect(
        page.get_by_role("img", name="Code QR pour ajouter Livrili à l'application d'authentification")
    ).to_be_visible()
    page.get_by_role("img").last.scroll_into_view_if_needed()
    p.shot("fr-two-factor-setup")
    p.assert_accessible()


def test_signing_in_before_the_app_has_started_waits_for_it_and_never_puts_the_password_in_the_address(
    phone: Callable[..., Phone],
) -> None:
    """On slow 3G the login paints before the app's script arrives (it is asked for once the page
    has painted): what the shop taps and types then is kept — the language, the fields, "sign
    in" — and the app acts on it when it runs."""
    p = phone("ar-DZ")
    held = []

    def hold(route) -> None:  # the app's module is on its way: it arrives when the test says
        held.append(route)

    p.page.route(re.compile(r"/assets/index-[\w-]+\.js$"), hold)
    page = p.open("/")
    page.get_by_role("button", name="Français", exact=True).click()
    expect(page.get_by_role("button", name="Français", exact=True)).to_have_attribute("aria-pressed", "true")
    page.get_by_label("اسم المستخدم أو رقم الهاتف").fill("yacine.baraka")
    page.locator("#password").fill(DEMO_PASSWORD)
    page.locator("button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("data-pending-submit", "1")
    assert len(held) == 1 and DEMO_PASSWORD not in page.url and "password" not in page.url

    held[0].continue_()  # the app arrives, and sends what the shop typed and tapped
    page.locator("nav.tabs").wait_for()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("link", name="Compte")).to_be_visible()
    assert DEMO_PASSWORD not in page.url
    assert p.errors == [], p.errors


def test_typing_while_the_app_arrives_keeps_the_field_and_the_text(phone: Callable[..., Phone]) -> None:
    """The app takes over the prerendered login in place: the field the shop is typing in keeps
    its focus and its text when the script arrives mid-word."""
    p = phone("ar-DZ")
    held = []
    p.page.route(re.compile(r"/assets/index-[\w-]+\.js$"), lambda route: held.append(route))
    page = p.open("/")
    page.get_by_label("اسم المستخدم أو رقم الهاتف").click()
    page.keyboard.type("yacine.baraka")
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD[:6])
    held[0].continue_()
    expect(page.locator("html")).to_have_attribute("data-started", "1")
    page.keyboard.type(DEMO_PASSWORD[6:])  # still in the password field
    page.keyboard.press("Enter")
    page.locator("nav.tabs").wait_for()
    assert p.errors == [], p.errors


def test_switching_language_on_the_login_keeps_what_was_typed(phone: Callable[..., Phone]) -> None:
    """A shop types its name, then sees the login would read better in French: the switch
    changes the words, not the fields (the French text arrives over the network meanwhile)."""
    p = phone("ar-DZ")
    page = p.open("/")
    expect(page.locator("html")).to_have_attribute("data-started", "1")
    page.get_by_label("اسم المستخدم أو رقم الهاتف").fill("yacine.baraka")
    page.locator("#password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Français", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_label("Nom d'utilisateur ou téléphone")).to_have_value("yacine.baraka")
    expect(page.locator("#password")).to_have_value(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.locator("nav.tabs").wait_for()
    expect(page.get_by_role("link", name="Compte")).to_be_visible()
    assert p.errors == [], p.errors


def test_a_shop_user_signs_in_with_their_phone_number(phone: Callable[..., Phone]) -> None:
    """The login asks for a username or a phone: the number as people write it opens the app."""
    p = phone("ar-DZ")
    _, _, number = _new_buyer_with_phone(p.base)
    page = p.sign_in(number)
    expect(page.get_by_role("link", name="حسابي")).to_be_visible()
    assert p.errors == [], p.errors


def test_a_forgotten_password_is_replaced_with_a_texted_code(phone: Callable[..., Phone]) -> None:
    """From the login: the phone number, the 6 digits texted to it, a new password — then in."""
    p = phone("ar-DZ")
    username, user_id, number = _new_buyer_with_phone(p.base)
    page = p.open("/")
    # once the app runs (before, "forgot" is a plain link to the reset screen, which starts empty)
    expect(page.locator("html")).to_have_attribute("data-started", "1")
    page.get_by_label("اسم المستخدم أو رقم الهاتف").fill(number)
    page.get_by_role("link", name="نسيت كلمة المرور؟").click()
    expect(page.get_by_role("heading", name="استعادة كلمة المرور")).to_be_visible()
    # what was typed on the login came along
    expect(page.get_by_label("اسم المستخدم أو رقم الهاتف")).to_have_value(number)
    page.get_by_role("button", name="أرسل الرمز").click()
    expect(page.get_by_role("status")).to_contain_text("إن كان الحساب موجودًا")
    code = texted_code(p.base, "auth_reset_code", user_id)
    page.get_by_label("الرمز").fill(code)
    page.get_by_label("كلمة المرور الجديدة").fill("جديدة-2026-ok")
    p.shot("ar-forgot")
    p.assert_accessible()
    page.get_by_role("button", name="حفظ").click()
    expect(page.get_by_role("status")).to_contain_text("تم تغيير كلمة المرور")
    page.get_by_role("link", name="تسجيل الدخول").click()
    p.sign_in(username, "جديدة-2026-ok")
    expect(page.get_by_role("link", name="حسابي")).to_be_visible()


def test_a_session_ended_elsewhere_brings_back_the_login_saying_why(phone: Callable[..., Phone]) -> None:
    """Signed out from another device: the next request meets the ended session, and the phone
    shows the login saying what happened, with the user's name in it, instead of failing silently."""
    p = phone("ar-DZ")
    username, _ = _new_buyer(p.base)
    page = p.sign_in(username)
    # the start's sync done (else one of its requests, not the tap below, meets the ended session)
    expect(page.locator(".syncline")).to_contain_text(re.compile(r"[0-9]{2}:[0-9]{2}"))
    elsewhere = login(p.base, username, DEMO_PASSWORD)  # the same user on another phone
    ended = call("POST", f"{p.base}/v1/auth/logout-all", elsewhere)
    assert ended.status_code == 200, ended.text

    page.get_by_role("link", name="الطلبات").click()  # the orders are asked for with the ended session
    expect(page.get_by_role("status")).to_contain_text("انتهت جلستك على هذا الهاتف")
    expect(page.get_by_label("اسم المستخدم أو رقم الهاتف")).to_have_value(username)
    expect(page.locator("#password")).to_be_focused()  # what is left to type
    p.shot("ar-session-ended")
    p.assert_accessible()
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("nav.tabs")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="انتهت جلستك")).to_have_count(0)


ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36"
)


def test_my_devices_names_each_phone_and_signs_one_out(phone: Callable[..., Phone]) -> None:
    """The account lists the user's devices by browser and system, this one first named as such;
    signing another one out is one tap on a button that says which device it ends, and that
    device's session stops working."""
    p = phone("ar-DZ")
    username, _ = _new_buyer(p.base)
    reply = call(
        "POST",
        f"{p.base}/v1/auth/login",
        json={"username": username, "password": DEMO_PASSWORD},
        headers={"User-Agent": ANDROID_CHROME},
    )
    assert reply.status_code == 200, reply.text
    other = reply.json()["data"]
    page = p.sign_in(username)
    page.get_by_role("link", name="حسابي").click()
    devices = page.locator("section").filter(has=page.get_by_role("heading", name="أجهزتي"))
    expect(devices.get_by_role("listitem")).to_have_count(2)
    expect(devices.get_by_role("listitem").filter(has_text="هذا الجهاز")).to_have_count(1)
    expect(devices.get_by_role("listitem").filter(has_text="Chrome · Android")).to_have_count(1)
    p.shot("ar-my-devices")
    p.assert_accessible()
    devices.get_by_role("button", name="تسجيل خروج Chrome · Android").click()
    expect(devices.get_by_role("listitem")).to_have_count(1)
    expect(devices.get_by_role("listitem")).to_contain_text("هذا الجهاز")
    refreshed = call("POST", f"{p.base}/v1/auth/refresh", json={"refresh_token": other["refresh_token"]})
    assert refreshed.status_code == 401, refreshed.text
    assert call("GET", f"{p.base}/v1/me", other["access_token"]).status_code == 401
    # this phone is still signed in, and signs itself out with the button named for it alone
    expect(page.get_by_role("button", name="تسجيل الخروج", exact=True)).to_have_count(1)
