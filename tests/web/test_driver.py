"""A driver on the road, in Arabic: the day's deliveries with the shop to call and the cash to
take, a delivery confirmed offline with its cash (the stamp duty shown first) that reaches the
server exactly once, and a failed delivery reported with its reason; a new driver's first
sign-in with the temporary password an admin gave."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable

from playwright.sync_api import expect

from chalicelib.credit.rules import stamp_duty
from tests.e2e.conftest import call, login
from tests.web.conftest import DEMO_PASSWORD, Phone
from tests.web.helpers import admin_token, dispatched_order, new_shop, order


def _amount(centimes: int) -> str:
    """How ar-DZ writes an amount's number (without its currency and marks)."""
    whole, cents = divmod(centimes, 100)
    return f"{whole:,}".replace(",", ".") + f",{cents:02d}"


def _wait_for(check: Callable[[], bool], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.5)


def test_a_delivery_made_offline_with_cash_reaches_the_server_once(phone: Callable[..., Phone]) -> None:
    p = phone("ar-DZ")
    admin = admin_token(p.base)
    shop = login(p.base, "yacine.baraka", DEMO_PASSWORD)
    road = dispatched_order(p.base, admin, shop, {"SEM-SIM-FIN-10": 2}, "driver.mourad")

    page = p.sign_in("driver.mourad", choose="العربية")
    card = page.locator("li.order", has_text=road["order_number"])
    expect(card).to_contain_text("Supérette El Baraka")
    with_duty = road["total_amount"] + stamp_duty(road["total_amount"])  # the duty is paid on top
    expect(card).to_contain_text(_amount(with_duty))  # the cash to take there
    expect(card.get_by_role("link", name="اتصل بـ Supérette El Baraka")).to_have_attribute(
        "href", f"tel:{road['delivery_phone']}"
    )
    national = "0" + road["delivery_phone"].removeprefix("+213")  # read as Algerians write it
    expect(card.locator(".call bdi")).to_have_text(f"{national[:4]} {national[4:6]} {national[6:8]} {national[8:]}")
    p.shot("ar-deliveries")
    p.assert_accessible()

    card.locator("a").first.click()
    expect(page.locator(".top h1")).to_contain_text(road["order_number"])
    totals = page.locator(".totals")
    expect(totals).to_contain_text(_amount(road["total_amount"]))
    expect(totals).to_contain_text(_amount(stamp_duty(road["total_amount"])))  # before confirming
    expect(totals.locator("dd.grand")).to_have_text(re.compile(re.escape(_amount(with_duty))))
    p.shot("ar-delivery")
    p.assert_accessible()

    p.offline(True)
    page.get_by_role("button", name="أكّد التوصيل").click()
    expect(page).to_have_url(p.base + "/")
    expect(page.locator("li.order", has_text=road["order_number"])).to_contain_text("بانتظار الإرسال")
    expect(page.locator(".cash")).to_contain_text(_amount(with_duty))  # what the driver now holds
    p.shot("ar-delivery-queued")
    assert order(p.base, admin, road["order_id"])["status"] == "out_for_delivery"

    p.offline(False)
    _wait_for(lambda: order(p.base, admin, road["order_id"])["status"] == "delivered")
    delivered = order(p.base, admin, road["order_id"])
    assert delivered["cash_collected"] == road["total_amount"]
    assert delivered["stamp_duty"] == stamp_duty(road["total_amount"])
    page.reload()
    page.wait_for_timeout(2_000)
    history = order(p.base, admin, road["order_id"])["history"]
    assert [e["to_status"] for e in history].count("delivered") == 1


def test_a_failed_delivery_is_reported_with_its_reason_each_reads_in_their_language(
    phone: Callable[..., Phone],
) -> None:
    """The driver, in Arabic, says why with a reason (another reason needs words); the shop, in
    French, reads it in French on its order's timeline: a code travels, not the driver's words."""
    p = phone("ar-DZ")
    admin = admin_token(p.base)
    owner = new_shop(p.base, "fr")
    shop = login(p.base, owner, DEMO_PASSWORD)
    road = dispatched_order(p.base, admin, shop, {"SEM-SIM-FIN-10": 1}, "driver.mourad")
    page = p.sign_in("driver.mourad", choose="العربية")
    page.locator("li.order", has_text=road["order_number"]).locator("a").first.click()
    give_up = page.get_by_role("button", name="لم يتم التوصيل")
    page.get_by_label("سبب آخر").check()
    expect(give_up).to_be_disabled()  # another reason is told in words
    expect(page.get_by_label("ما الذي حدث؟")).to_be_visible()
    page.get_by_label("المحل مغلق").check()
    expect(give_up).to_be_enabled()
    p.shot("ar-delivery-not-delivered")
    give_up.click()
    expect(page).to_have_url(re.compile(r"/$"))
    _wait_for(lambda: order(p.base, admin, road["order_id"])["status"] == "preparing")
    last = order(p.base, admin, road["order_id"])["history"][-1]
    assert (last["reason_code"], last["reason"]) == ("shop_closed", None)

    shop_phone = phone("fr-DZ")
    shop_page = shop_phone.sign_in(owner)
    shop_page.goto(f"{p.base}/orders/{road['order_id']}")
    timeline = shop_page.locator("ol.timeline li").last
    expect(timeline).to_contain_text("Non livrée : Magasin fermé")
    shop_phone.shot("fr-order-not-delivered")


def test_a_new_driver_chooses_a_password_at_the_first_sign_in(phone: Callable[..., Phone]) -> None:
    """An admin made the account with a temporary password: the app asks for the driver's own
    before anything else, then opens the (still empty) round — saying so only once it has read
    it; the temporary one is over."""
    p = phone("ar-DZ")
    n = uuid.uuid4().int
    username, temporary = f"driver.n{n % 10**6}", "temporaire-2026"
    body = {
        "username": username,
        "temporary_password": temporary,
        "role": "driver",
        "full_name": "سليم بوزيد",
        "language": "ar",
        "phone": f"0662 {n % 100:02d} {n // 100 % 100:02d} {n // 10**4 % 100:02d}",
    }
    made = call("POST", f"{p.base}/v1/admin/staff", admin_token(p.base), json=body)
    assert made.status_code == 201, made.text

    page = p.sign_in_only(username, temporary)
    expect(page.get_by_role("heading", name="اختر كلمة مرورك")).to_be_visible()
    p.shot("ar-first-password")
    p.assert_accessible()
    page.get_by_label("كلمة المرور الجديدة").fill("قصيرة1")
    page.get_by_role("button", name="احفظ وابدأ").click()  # the browser holds a too-short one back
    page.get_by_label("كلمة المرور الجديدة").fill("temporaire-2026")
    page.get_by_role("button", name="احفظ وابدأ").click()
    # the server's own words for the field, not "some fields are invalid"
    expect(page.get_by_role("alert")).to_have_text("اختر كلمة مرور جديدة مختلفة عن الحالية.")
    # the server is busy for the round: a round not read is never shown as "no deliveries"
    p.busy(r"/v1/orders\?")
    page.get_by_label("كلمة المرور الجديدة").fill("ma-tournee-2026")
    page.get_by_role("button", name="احفظ وابدأ").click()
    expect(page.get_by_role("alert")).to_contain_text("حدث خطأ")
    expect(page.get_by_text("لا توجد توصيلات مسندة إليك.")).to_have_count(0)
    p.busy(r"/v1/orders\?", False)
    page.get_by_role("button", name="أعد المحاولة").click()
    expect(page.get_by_text("لا توجد توصيلات مسندة إليك.")).to_be_visible()
    p.shot("ar-deliveries-empty")
    assert login(p.base, username, "ma-tournee-2026")
    refused = call("POST", f"{p.base}/v1/auth/login", json={"username": username, "password": temporary})
    assert refused.status_code == 401


def test_a_delivery_the_server_refuses_is_said_on_the_round_until_read(phone: Callable[..., Phone]) -> None:
    """Recorded offline, the delivery reaches a server where the depot had taken the order back
    meanwhile: the round says the delivery was not accepted and why (the order is no longer on
    it), until the driver has read it; nothing is delivered."""
    p = phone("ar-DZ")
    admin = admin_token(p.base)
    shop = login(p.base, "yacine.baraka", DEMO_PASSWORD)
    road = dispatched_order(p.base, admin, shop, {"SEM-SIM-FIN-10": 1}, "driver.mourad")
    page = p.sign_in("driver.mourad", choose="العربية")
    page.locator("li.order", has_text=road["order_number"]).locator("a").first.click()
    expect(page.locator(".top h1")).to_contain_text(road["order_number"])
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    p.offline(True)
    page.get_by_role("button", name="أكّد التوصيل").click()
    expect(page).to_have_url(p.base + "/")
    taken_back = {"to": "preparing", "reason_code": "other", "reason": "the truck was changed"}
    moved = call("POST", f"{p.base}/v1/orders/{road['order_id']}/transitions", admin, json=taken_back)
    assert moved.status_code == 200, moved.text

    p.offline(False)
    refused = page.locator("li.job-failed")
    expect(refused).to_contain_text(f"لم يُقبل توصيل الطلب {road['order_number']}", timeout=20_000)
    expect(refused.locator(".error")).not_to_be_empty()  # the server's reason, in Arabic
    expect(page.locator(".syncline").get_by_role("link", name="يحتاج انتباهك: 1")).to_have_attribute("href", "/")
    p.shot("ar-delivery-refused")
    p.assert_accessible()
    refused.get_by_role("button", name="فهمت").click()
    expect(refused).to_have_count(0)
    expect(page.locator(".syncline .pill.warn")).to_have_count(0)
    assert order(p.base, admin, road["order_id"])["status"] == "preparing"
