"""The owner manages the shop's people and how the shop hears from Livrili, from the phone."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

from playwright.sync_api import expect

from tests.e2e.conftest import call, login
from tests.web.conftest import DEMO_PASSWORD, Phone
from tests.web.helpers import admin_token, dispatched_order, new_shop


def test_the_owner_adds_a_buyer_changes_a_role_and_disables_a_user(phone: Callable[..., Phone]) -> None:
    p = phone("ar-DZ")
    page = p.sign_in("amina.wahrani")
    page.get_by_role("link", name="حسابي").click()
    page.get_by_role("link", name="مستخدمو المحل").click()
    expect(page.locator(".top h1")).to_have_text("مستخدمو المحل")
    # reached from the account: its tab says where the owner is
    expect(page.locator("nav.tabs").get_by_role("link", name="حسابي")).to_have_attribute("aria-current", "true")
    sofiane = page.locator("li.order", has_text="Sofiane Wahrani")
    expect(sofiane).to_contain_text("مشترٍ")
    me = page.locator("li.order", has_text="Amina Wahrani")
    expect(me).to_contain_text("أنت")
    expect(me.get_by_role("button")).to_have_count(0)  # nobody disables or demotes themself here
    p.shot("ar-team")
    p.assert_accessible()

    username = f"nassim.{uuid.uuid4().hex[:6]}"
    page.get_by_text("أضف مستخدمًا").first.click()
    page.get_by_label("الاسم الكامل").fill("نسيم وهراني")
    page.get_by_label("اسم المستخدم").fill(username)
    page.get_by_label("رقم الهاتف").fill("0551 23 45 99")
    page.get_by_label("كلمة المرور").fill("nassim-pass-2026")
    page.get_by_role("button", name="أضف مستخدمًا").click()
    expect(page.locator("main").get_by_role("status")).to_contain_text("أُضيف المستخدم")
    added = page.locator("li.order", has_text="نسيم وهراني")
    expect(added).to_contain_text(username)
    assert login(p.base, username, "nassim-pass-2026")  # the new buyer can sign in at once

    added.get_by_role("button", name="اجعله مالكًا").click()
    # the change is saved when the row offers the way back (its button's own text says مالك too)
    expect(added.get_by_role("button", name="اجعله مشتريًا")).to_be_visible()
    added.get_by_role("button", name="أوقف").click()
    expect(added).to_contain_text("موقوف")
    refused = call("POST", f"{p.base}/v1/auth/login", json={"username": username, "password": "nassim-pass-2026"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "user_disabled", refused.text


def test_the_shop_chooses_sms_over_whatsapp(phone: Callable[..., Phone]) -> None:
    p = phone("ar-DZ")
    page = p.sign_in("yacine.baraka")
    page.get_by_role("link", name="حسابي").click()
    notifications = page.locator("fieldset", has_text="الإشعارات")
    notifications.get_by_label("رسالة قصيرة").check()
    expect(notifications.get_by_label("رسالة قصيرة")).to_be_checked()
    stored = p.api("GET", "/v1/me/notifications")
    assert stored["body"]["data"]["channel"] == "sms"
    expect(page.get_by_role("link", name="مستخدمو المحل")).to_have_count(0)  # a buyer manages no one
    p.assert_accessible()


def test_an_announcement_shows_on_the_home_screen_until_dismissed(phone: Callable[..., Phone]) -> None:
    from tests.web.helpers import admin_token

    p = phone("ar-DZ")
    text = f"المستودع مغلق يوم الجمعة {uuid.uuid4().hex[:4]}"
    posted = call(
        "POST",
        f"{p.base}/v1/admin/announcements",
        admin_token(p.base),
        json={"texts": {"ar": text, "fr": "L'entrepôt est fermé vendredi"}, "audience": "wilaya", "wilaya": 31},
    )
    assert posted.status_code == 201, posted.text
    p.page.clock.install()  # the app's timers (the feed is polled every 20 s) move when the test says
    page = p.sign_in("amina.wahrani")  # Wahrani is in Oran (31)
    banner = page.locator("li.announcement", has_text=text)
    expect(banner).to_be_visible()
    p.shot("ar-announcement")
    p.assert_accessible()
    banner.get_by_role("button", name="إخفاء الإعلان").click()
    expect(banner).to_have_count(0)

    # one posted while the app is open arrives with the next poll of the change feed, no reload
    page.clock.fast_forward(21_000)  # the first poll: the app starts following the feed
    later = f"توصيل يوم السبت {uuid.uuid4().hex[:4]}"
    again = call("POST", f"{p.base}/v1/admin/announcements", admin_token(p.base), json={"texts": {"ar": later}})
    assert again.status_code == 201, again.text
    time.sleep(3.5)  # the feed shows an entry once it has settled (3 s)
    page.clock.fast_forward(21_000)
    expect(page.locator("li.announcement", has_text=later)).to_be_visible()

    page.reload()
    expect(page.locator("li.product").first).to_be_visible()
    expect(page.locator("li.announcement", has_text=text)).to_have_count(0)


def test_a_user_changes_their_phone_with_the_code_sent_to_it(phone: Callable[..., Phone]) -> None:
    from tests.web.helpers import texted_code

    p = phone("ar-DZ")
    page = p.sign_in("sofiane.w", choose="العربية")
    page.get_by_role("link", name="حسابي").click()
    page.get_by_text("تغيير رقم الهاتف").click()
    new = f"0559 {uuid.uuid4().int % 100:02d} {uuid.uuid4().int % 100:02d} {uuid.uuid4().int % 100:02d}"
    page.get_by_label("الرقم الجديد").fill(new)
    page.get_by_role("button", name="أرسل الرمز").click()
    sent = page.locator("main").get_by_role("status").first
    # the number as it is written here, kept left to right inside the Arabic sentence (an isolate)
    expect(sent).to_contain_text(f"أرسلنا رمزًا إلى \u2066{new}\u2069.")
    sent.evaluate("e => e.scrollIntoView({block: 'center'})")  # clear of the tab bar
    p.shot("ar-phone-code-sent")
    code = texted_code(p.base, "auth_phone_code")
    page.get_by_label("الرمز").fill(code)
    page.get_by_role("button", name="حفظ").first.click()
    expect(page.locator("main").get_by_role("status").last).to_contain_text("تم تغيير رقم الهاتف")
    me = p.api("GET", "/v1/me")["body"]["data"]["user"]
    assert me["phone"] == "+213" + new.replace(" ", "")[1:]


def test_the_account_offline_says_what_needs_a_connection_and_never_pretends_a_choice_was_saved(
    phone: Callable[..., Phone],
) -> None:
    """Offline, the credit summary is the one kept on the phone; the statement, the devices and
    the notification choices quietly say they need a connection (they are never kept), and come
    by themselves when it is back. A choice tapped offline is not shown as made: the app says it
    was not saved."""
    p = phone("ar-DZ")
    owner = new_shop(p.base, "ar", credit_limit=5_000_000)
    page = p.sign_in(owner)
    page.get_by_role("link", name="حسابي").click()
    notifications = page.locator("fieldset", has_text="الإشعارات")
    expect(notifications.get_by_label("واتساب")).to_be_checked()
    p.offline(True)
    notifications.get_by_label("رسالة قصيرة").click()  # not .check(): the app puts the choice back
    expect(notifications.get_by_role("alert")).to_have_text("لم يُحفظ: لا يوجد اتصال بالإنترنت.")
    expect(notifications.get_by_label("واتساب")).to_be_checked()  # as the server keeps it
    expect(notifications.get_by_label("رسالة قصيرة")).not_to_be_checked()

    page.locator("nav.tabs").get_by_role("link", name="الطلبات").click()
    page.locator("nav.tabs").get_by_role("link", name="حسابي").click()
    credit = page.locator("section", has=page.get_by_role("heading", name="الرصيد"))
    expect(credit).to_contain_text("50.000,00")  # the summary kept on the phone
    expect(credit.get_by_role("status")).to_have_text("كشف الحساب يحتاج إلى اتصال بالإنترنت.")
    devices = page.locator("section", has=page.get_by_role("heading", name="أجهزتي"))
    expect(devices.get_by_role("status")).to_have_text("يحتاج هذا إلى اتصال بالإنترنت.")
    expect(page.get_by_role("alert")).to_have_count(0)  # being offline is no error
    expect(page.locator("section", has=page.get_by_role("heading", name="الإشعارات"))).to_contain_text(
        "يحتاج هذا إلى اتصال بالإنترنت."
    )
    p.shot("ar-account-offline")
    p.assert_accessible()
    p.offline(False)  # back online: each comes without a tap
    expect(devices.get_by_role("listitem")).to_have_count(1)
    expect(devices).to_contain_text("هذا الجهاز")
    expect(page.locator("fieldset", has_text="الإشعارات").get_by_label("واتساب")).to_be_checked()
    expect(credit.get_by_role("status")).to_have_count(0)


def test_the_older_statement_lines_opened_stay_when_the_connection_comes_and_goes(
    phone: Callable[..., Phone],
) -> None:
    """A statement longer than a page: the older lines come as the thumb nears the end, and a
    connection lost and found again keeps them (it once put the statement back to its first page)."""
    p = phone("ar-DZ")
    owner = new_shop(p.base, "ar", credit_limit=5_000_000)
    admin = admin_token(p.base)
    token = login(p.base, owner, DEMO_PASSWORD)
    road = dispatched_order(p.base, admin, token, {"SEM-SIM-FIN-10": 1}, "driver.mourad", payment="credit")
    delivered = call("POST", f"{p.base}/v1/orders/{road['order_id']}/transitions", admin, json={"to": "delivered"})
    assert delivered.status_code == 200, delivered.text
    for _ in range(21):  # 21 payments of 10 DA: with the delivery, 22 lines
        paid = call(
            "POST",
            f"{p.base}/v1/orders/{road['order_id']}/payments",
            admin,
            json={"amount": 1000, "method": "cash"},
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )
        assert paid.status_code == 201, paid.text

    page = p.sign_in(owner)
    page.get_by_role("link", name="حسابي").click()
    page.get_by_text("كشف الحساب").click()
    lines = page.locator("ul.statement > li")
    expect(lines).to_have_count(20)
    lines.last.scroll_into_view_if_needed()
    expect(lines).to_have_count(22)
    expect(lines.last).to_contain_text("تسليم")  # the oldest line: the delivery
    syncline = page.locator(".syncline")
    p.offline(True)
    expect(syncline).to_contain_text("غير متصل")
    expect(lines).to_have_count(22)  # what was read stays on screen offline
    p.offline(False)
    expect(syncline).not_to_contain_text("غير متصل")
    expect(lines).to_have_count(22)
    expect(lines.last).to_contain_text("تسليم")
