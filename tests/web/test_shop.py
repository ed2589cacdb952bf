"""A shopkeeper on a phone, in Arabic: search, pack steps, a cash order, the list; an order made
offline that is sent exactly once; a refused line shown with its reason and fixed in one tap; the
whole catalog and every order a scroll away."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import Route, expect

from tests.e2e.conftest import call, login
from tests.web.conftest import DEMO_PASSWORD, Phone
from tests.web.helpers import (
    admin_token,
    edited_product,
    new_shop,
    order,
    own_product,
    placed_order,
    product_by_sku,
    shop_orders,
)


def test_login_screen_is_arabic_first_and_accessible(phone: Callable[..., Phone]) -> None:
    p = phone("ar-DZ")
    page = p.open("/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.get_by_role("button", name="دخول")).to_be_visible()
    p.shot("ar-login")
    p.assert_accessible()


def test_search_in_arabic_add_by_packs_and_order_with_cash(phone: Callable[..., Phone]) -> None:
    p = phone("ar-DZ")
    page = p.sign_in("yacine.baraka")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator(".syncline")).to_contain_text("آخر مزامنة")
    p.shot("ar-catalog")
    p.assert_accessible()

    page.get_by_label("بحث في المنتجات").fill("ارز بسمتي")  # typed without the hamza
    product = page.locator("li.product", has_text="أرز بسمتي 1 كغ")
    expect(product).to_have_count(1)
    product.get_by_role("button", name="أضف أرز بسمتي 1 كغ").click()
    quantity = product.get_by_label("كمية أرز بسمتي 1 كغ")
    expect(quantity).to_have_value("10")  # one tap: one pack of 10
    product.get_by_role("button", name="زيادة أرز بسمتي 1 كغ").click()
    expect(quantity).to_have_value("20")
    p.shot("ar-catalog-search")

    page.get_by_role("link", name=re.compile("السلة")).click()
    expect(page.locator("li.line")).to_have_count(1)
    expect(page.locator(".totals")).to_contain_text("د.ج.")
    expect(page.locator("li.line .line-total")).to_have_text(re.compile(r"6\.976,00"))  # 20 × 348,80 DA
    # 25 typed with an Arabic keypad's digits: whole packs of 10, so 30
    cart_quantity = page.locator("li.line").get_by_label("كمية أرز بسمتي 1 كغ")
    cart_quantity.fill("٢٥")
    cart_quantity.press("Enter")  # taken, and the order is not sent by it
    expect(cart_quantity).to_have_value("30")
    expect(page.locator("li.line .line-total")).to_have_text(re.compile(r"10\.464,00"))  # 30 × 348,80 DA
    expect(page).to_have_url(re.compile(r"/cart$"))
    send = page.locator("button[type=submit]")
    expect(send).to_contain_text(page.locator(".totals dd.grand").inner_text())  # the total on the button
    expect(page.get_by_role("button", name="في أقرب وقت")).to_have_attribute("aria-pressed", "true")
    page.get_by_role("button", name="غدًا").click()  # the shop wants it tomorrow
    expect(page.get_by_role("button", name="غدًا")).to_have_attribute("aria-pressed", "true")
    p.shot("ar-cart")
    p.assert_accessible()
    page.get_by_role("button", name="أرسل الطلب").click()

    expect(page).to_have_url(re.compile(r"/orders/[0-9A-Z]{26}$"))
    expect(page.locator(".top h1")).to_contain_text("الطلب LV-")
    expect(page.locator(".badge").first).to_have_text("قيد الانتظار")
    p.shot("ar-order")
    p.assert_accessible()
    order_id = page.url.rsplit("/", 1)[1]
    placed = order(p.base, login(p.base, "yacine.baraka", DEMO_PASSWORD), order_id)
    assert [(line["sku"], line["quantity"]) for line in placed["lines"]] == [("RIZ-BASMATI-1KG", 30)]
    assert placed["payment_method"] == "cash_on_delivery"
    assert (
        placed["total_amount"] == 30 * product_by_sku(p.base, admin_token(p.base), "RIZ-BASMATI-1KG")["price_with_vat"]
    )
    tomorrow = (datetime.now(ZoneInfo("Africa/Algiers")).date() + timedelta(days=1)).isoformat()
    assert placed["requested_date"] == tomorrow
    expect(page.locator(".totals")).to_contain_text("يوم التسليم")

    page.get_by_role("link", name="الطلبات").click()
    expect(page.locator("li.order", has_text=placed["order_number"])).to_be_visible()
    p.shot("ar-orders")
    p.assert_accessible()


def test_an_order_made_offline_is_sent_once_when_back_online(phone: Callable[..., Phone]) -> None:
    p = phone("ar-DZ")
    page = p.sign_in("amina.wahrani")
    expect(page.locator(".syncline")).to_contain_text("آخر مزامنة")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    token = login(p.base, "amina.wahrani", DEMO_PASSWORD)
    before = {o["order_id"] for o in shop_orders(p.base, token)}

    p.offline(True)
    page.reload()  # the app starts offline: the shell from the service worker, data from the device
    expect(page.locator(".syncline")).to_contain_text("غير متصل")
    page.get_by_label("بحث في المنتجات").fill("زيت اليو")
    product = page.locator("li.product", has_text="زيت المائدة إليو 5 لتر")
    expect(product).to_have_count(1)
    expect(page.get_by_text("نتائج من المنتجات المحفوظة على الجهاز")).to_be_visible()
    product.get_by_role("button", name="أضف زيت المائدة إليو 5 لتر").click()
    page.get_by_role("link", name=re.compile("السلة")).click()
    page.get_by_role("button", name=re.compile("أرسل الطلب")).click()
    expect(page).to_have_url(re.compile(r"/orders$"))
    expect(page.locator("li.job-waiting")).to_contain_text("طلب بانتظار الإرسال")
    expect(page.locator(".syncline")).to_contain_text("بانتظار الإرسال: 1")
    p.shot("ar-offline-queued")
    page.reload()  # still offline: the queued order survives a restart
    expect(page.locator("li.job-waiting")).to_have_count(1)
    assert {o["order_id"] for o in shop_orders(p.base, token)} == before

    p.offline(False)
    expect(page.locator("li.job-waiting")).to_have_count(0, timeout=20_000)
    created = [o for o in shop_orders(p.base, token) if o["order_id"] not in before]
    assert len(created) == 1
    expect(page.locator("li.order", has_text=created[0]["order_number"])).to_be_visible()
    page.reload()  # a restart after the send does not send it again
    page.wait_for_timeout(2_000)
    assert len([o for o in shop_orders(p.base, token) if o["order_id"] not in before]) == 1


def test_an_order_saved_offline_whose_price_moved_waits_for_the_shop_to_accept_the_new_price(
    phone: Callable[..., Phone],
) -> None:
    """An order carries the prices the shop saw: saved offline, its price moved on the server
    meanwhile, so on reconnection the server refuses it, the app says what changed, and the order
    goes, once, when the shop accepts the new price."""
    p = phone("ar-DZ")
    username = new_shop(p.base, "ar")
    token = login(p.base, username, DEMO_PASSWORD)
    admin = admin_token(p.base)
    n = uuid.uuid4().int % 10**6
    oil = own_product(p.base, admin, {"ar": f"زيت زيتون {n}", "fr": f"Huile d'olive {n}"}, "EAU-IFRI-150")
    page = p.sign_in(username)
    syncline = page.locator(".syncline")
    expect(syncline).to_contain_text("آخر مزامنة")  # the catalog is on the phone
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")

    p.offline(True)
    page.get_by_label("بحث في المنتجات").fill(f"زيت زيتون {n}")
    page.get_by_role("button", name=f"أضف زيت زيتون {n}").click()
    page.get_by_role("link", name=re.compile("السلة")).click()
    page.get_by_role("button", name=re.compile("أرسل الطلب")).click()
    expect(page.locator("li.job-waiting")).to_have_count(1)
    edited_product(p.base, admin, oil["product_id"], base_price=13000)  # 142,80 → 154,70 DA with VAT

    p.offline(False)
    expect(syncline.get_by_role("link", name="يحتاج انتباهك: 1")).to_be_visible(timeout=20_000)
    held = page.locator("li.job-moved")
    expect(held).to_contain_text("تغيّرت الأسعار منذ أن حفظت هذا الطلب")
    # the price the shop saw, VAT included, and the one it would pay
    expect(held.locator(".changes li")).to_have_text(re.compile(rf"زيت زيتون {n}: كان .*142,80.*، صار .*154,70"))
    assert shop_orders(p.base, token) == []  # nothing placed without the shop's word
    p.shot("ar-order-review")
    p.assert_accessible()

    held.get_by_role("button", name="أرسل بالأسعار الجديدة").click()
    expect(page.locator("li.job")).to_have_count(0, timeout=20_000)
    sent = shop_orders(p.base, token)
    assert len(sent) == 1
    expect(page.locator("li.order", has_text=sent[0]["order_number"])).to_be_visible()
    assert order(p.base, token, sent[0]["order_id"])["total_amount"] == 15470  # the new price, accepted


def test_an_order_refused_after_waiting_offline_goes_back_to_the_cart_whole(phone: Callable[..., Phone]) -> None:
    """An order saved offline is refused on reconnection (a product was withdrawn meanwhile): back
    in the cart every line is there, the withdrawn one with its reason, though the phone's
    catalog no longer holds it."""
    p = phone("ar-DZ")
    username = new_shop(p.base, "ar")
    admin = admin_token(p.base)
    n = uuid.uuid4().int % 10**6
    figs = own_product(p.base, admin, {"ar": f"تين مجفف {n}", "fr": f"Figues {n}"}, "EAU-IFRI-150")
    own_product(p.base, admin, {"ar": f"لوز {n}", "fr": f"Amandes {n}"}, "EAU-IFRI-150")
    page = p.sign_in(username)
    expect(page.locator(".syncline")).to_contain_text("آخر مزامنة")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    p.offline(True)
    for name in (f"تين مجفف {n}", f"لوز {n}"):
        page.get_by_label("بحث في المنتجات").fill(name)
        page.get_by_role("button", name=f"أضف {name}").click()
    page.get_by_role("link", name=re.compile("السلة")).click()
    page.get_by_role("button", name=re.compile("أرسل الطلب")).click()
    expect(page.locator("li.job-waiting")).to_have_count(1)
    edited_product(p.base, admin, figs["product_id"], is_active=False)

    p.offline(False)
    refused = page.locator("li.job-failed")
    expect(refused).to_contain_text("طلب مرفوض", timeout=20_000)
    refused.get_by_role("link", name="صحّح").click()
    expect(page).to_have_url(re.compile(r"/cart$"))
    expect(page.locator("li.line")).to_have_count(2)
    expect(page.locator("li.line", has_text=f"تين مجفف {n}").locator(".error")).to_have_text("لم يعد هذا المنتج يُباع")


def test_a_cancellation_the_server_refuses_is_said_until_read(phone: Callable[..., Phone]) -> None:
    """Asked offline, a cancellation reaches the server after the depot confirmed the order: the
    orders say it was not cancelled and why, until the shop has read it; the order stands. (A
    French-speaking shop: the screen read in French.)"""
    p = phone("fr-DZ")
    username = new_shop(p.base, "fr")
    token = login(p.base, username, DEMO_PASSWORD)
    admin = admin_token(p.base)
    n = uuid.uuid4().int % 10**6
    rice = own_product(p.base, admin, {"ar": f"أرز {n}", "fr": f"Riz {n}"}, "EAU-IFRI-150")
    placed = placed_order(p.base, token, {rice["product_id"]: 1})
    page = p.sign_in(username)
    page.get_by_role("link", name="Commandes").click()
    page.locator("li.order", has_text=placed["order_number"]).locator("a").first.click()
    expect(page.locator(".top h1")).to_contain_text(placed["order_number"])
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    p.offline(True)
    page.once("dialog", lambda dialog: dialog.accept())  # "cancel this order?"
    page.get_by_role("button", name="Annuler la commande").click()
    confirmed = call("POST", f"{p.base}/v1/orders/{placed['order_id']}/transitions", admin, json={"to": "confirmed"})
    assert confirmed.status_code == 200, confirmed.text

    p.offline(False)
    page.locator(".syncline").get_by_role("link", name="À vérifier : 1").click(timeout=20_000)
    refused = page.locator("li.job-failed")
    expect(refused).to_contain_text(f"La commande {placed['order_number']} n'a pas été annulée")
    expect(refused.locator(".error")).to_contain_text("confirmée")  # the status in words, not "confirmed"
    p.shot("fr-cancel-refused")
    p.assert_accessible()
    refused.get_by_role("button", name="Compris").click()
    expect(refused).to_have_count(0)
    assert order(p.base, token, placed["order_id"])["status"] == "confirmed"


def test_a_price_moved_before_the_cart_knew_is_refused_and_accepted_in_one_tap(phone: Callable[..., Phone]) -> None:
    """Online, a cart whose price moved on the server since the shop saw it is refused for that
    line, with both prices; one tap takes today's price and the order goes at it. (In French.)"""
    p = phone("fr-DZ")
    username = new_shop(p.base, "fr")
    token = login(p.base, username, DEMO_PASSWORD)
    admin = admin_token(p.base)
    n = uuid.uuid4().int % 10**6
    honey = own_product(p.base, admin, {"ar": f"عسل سدر {n}", "fr": f"Miel de jujubier {n}"}, "EAU-IFRI-150")
    page = p.sign_in(username)
    page.get_by_label("Rechercher un produit").fill(f"Miel de jujubier {n}")
    page.get_by_role("button", name=f"Ajouter Miel de jujubier {n}").click()
    page.get_by_role("link", name=re.compile("Panier")).click()
    edited_product(p.base, admin, honey["product_id"], base_price=13000)  # not synced to the phone yet
    page.get_by_role("button", name=re.compile("Envoyer la commande")).click()
    line = page.locator("li.line", has_text=f"Miel de jujubier {n}")
    expect(line.locator(".error")).to_have_text(
        re.compile(r"Le prix est maintenant de 154,70\sDA \(il était de 142,80\sDA\)")
    )
    assert shop_orders(p.base, token) == []
    p.shot("fr-cart-price-moved")
    p.assert_accessible()
    line.get_by_role("button", name="Accepter le nouveau prix").click()
    expect(line.locator(".line-total")).to_have_text(re.compile(r"154,70"))
    page.get_by_role("button", name=re.compile("Envoyer la commande")).click()
    expect(page).to_have_url(re.compile(r"/orders/[0-9A-Z]{26}$"))
    [placed] = shop_orders(p.base, token)
    assert placed["total_amount"] == 15470


def test_the_cart_shows_todays_prices_not_those_of_the_day_a_product_was_added(
    phone: Callable[..., Phone],
) -> None:
    """A cart kept on the phone follows the catalog: after a sync its lines show today's price
    (the total and the send button with them), and a product withdrawn since is marked, removed
    in one tap."""
    p = phone("ar-DZ")
    username = new_shop(p.base, "ar")
    admin = admin_token(p.base)
    n = uuid.uuid4().int % 10**6
    tea = own_product(p.base, admin, {"ar": f"شاي أخضر {n}", "fr": f"Thé vert {n}"}, "EAU-IFRI-150")
    dates = own_product(p.base, admin, {"ar": f"تمر دقلة {n}", "fr": f"Dattes {n}"}, "EAU-IFRI-150")
    page = p.sign_in(username)
    expect(page.locator(".syncline")).to_contain_text("آخر مزامنة")
    for name in (f"شاي أخضر {n}", f"تمر دقلة {n}"):
        page.get_by_label("بحث في المنتجات").fill(name)
        page.get_by_role("button", name=f"أضف {name}").click()
    page.get_by_role("link", name=re.compile("السلة")).click()
    line = page.locator("li.line", has_text=f"شاي أخضر {n}")
    expect(line.locator(".line-total")).to_have_text(re.compile(r"142,80"))

    edited_product(p.base, admin, tea["product_id"], base_price=13000)  # 154,70 DA with VAT
    edited_product(p.base, admin, dates["product_id"], is_active=False)
    page.wait_for_timeout(3_500)  # the catalog's change feed lists a change once it is 3 s old (SETTLE)
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")  # back in front: a sync
    expect(line.locator(".line-total")).to_have_text(re.compile(r"154,70"))
    expect(page.locator("button[type=submit]")).to_contain_text(re.compile(r"297,50"))  # 154,70 + 142,80
    gone = page.locator("li.line", has_text=f"تمر دقلة {n}")
    expect(gone.locator(".error")).to_have_text("لم يعد هذا المنتج يُباع")
    p.shot("ar-cart-refreshed")
    gone.get_by_role("button", name="صحّح").click()
    expect(page.locator("li.line")).to_have_count(1)
    expect(page.locator("button[type=submit]")).to_contain_text(re.compile(r"154,70"))


def test_a_refused_line_shows_its_reason_and_is_fixed_in_one_tap(phone: Callable[..., Phone]) -> None:
    p = phone("ar-DZ")
    page = p.sign_in("yacine.baraka")
    admin = admin_token(p.base)
    water = product_by_sku(p.base, admin, "EAU-IFRI-150")
    page.get_by_label("بحث في المنتجات").fill("EAU-IFRI-150")
    product = page.locator("li.product", has_text="مياه معدنية إفري 1.5 لتر")
    product.get_by_role("button", name="أضف مياه معدنية إفري 1.5 لتر").click()
    for _ in range(3):
        product.get_by_role("button", name="زيادة مياه معدنية إفري 1.5 لتر").click()
    expect(product.get_by_label("كمية مياه معدنية إفري 1.5 لتر")).to_have_value("24")
    # meanwhile the depot sells most of it: 15 bottles are left
    moved = call(
        "POST",
        f"{p.base}/v1/products/{water['product_id']}/stock",
        admin,
        json={"delta": 15 - water["stock_quantity"], "reason": "test: stock sold elsewhere"},
    )
    assert moved.status_code == 200, moved.text

    page.get_by_role("link", name=re.compile("السلة")).click()
    page.get_by_role("button", name="أرسل الطلب").click()
    line = page.locator("li.line.has-problem")
    expect(line).to_contain_text("غير متوفر بهذه الكمية (المتوفر 15)")
    expect(page.get_by_role("alert")).to_contain_text("لم يُقبل الطلب")
    p.shot("ar-cart-refused")
    p.assert_accessible()
    line.get_by_role("button", name="صحّح").click()  # 15 left, sold by 6: 12
    expect(page.get_by_label("كمية مياه معدنية إفري 1.5 لتر")).to_have_value("12")
    expect(page.locator("li.line.has-problem")).to_have_count(0)
    page.get_by_role("button", name="أرسل الطلب").click()
    expect(page).to_have_url(re.compile(r"/orders/[0-9A-Z]{26}$"))


def test_the_login_works_from_the_keyboard_in_reading_order(phone: Callable[..., Phone]) -> None:
    p = phone("ar-DZ")
    page = p.open("/")
    expect(page.get_by_role("button", name="دخول")).to_be_visible()
    order = []
    for _ in range(8):
        page.keyboard.press("Tab")
        order.append(
            page.evaluate(
                "() => { const e = document.activeElement;"
                " return e.getAttribute('name') || (e.labels?.[0] ?? e).textContent.trim(); }"
            )
        )
    expected = ["العربية", "Français", "English", "username", "password", "إظهار كلمة المرور", "دخول"]
    assert order == [*expected, "نسيت كلمة المرور؟"]
    for _ in range(3):  # back from the link, over the button and the checkbox, to the password
        page.keyboard.press("Shift+Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Shift+Tab")
    page.keyboard.type("yacine.baraka")
    page.keyboard.press("Enter")  # Enter sends the form
    expect(page.locator("nav.tabs")).to_be_visible()
    # signed in, the first Tab reaches the skip link, which moves focus to the content
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="انتقل إلى المحتوى")).to_be_focused()


def test_a_write_queued_by_one_user_is_never_sent_with_another_users_session(phone: Callable[..., Phone]) -> None:
    p = phone("ar-DZ")
    page = p.sign_in("amina.wahrani")
    expect(page.locator(".syncline")).to_contain_text("آخر مزامنة")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")  # the app's screens are on the phone
    token = login(p.base, "amina.wahrani", DEMO_PASSWORD)
    before = {o["order_id"] for o in shop_orders(p.base, token)}
    p.offline(True)
    # a product in stock (another test may have sold the first one out)
    page.locator("li.product button.add:enabled").first.click()
    page.get_by_role("link", name=re.compile("السلة")).click()
    page.get_by_role("button", name=re.compile("أرسل الطلب")).click()
    expect(page.locator("li.job-waiting")).to_have_count(1)

    page.on("dialog", lambda dialog: dialog.accept())  # "some writes are not sent yet: sign out anyway?"
    page.get_by_role("link", name="حسابي").click()
    page.get_by_role("button", name="تسجيل الخروج", exact=True).click()
    expect(page.get_by_role("button", name="دخول")).to_be_visible()
    p.offline(False)
    page = p.sign_in("sofiane.w", choose="العربية")  # another user of the same shop, same phone
    page.get_by_role("link", name="الطلبات").click()
    expect(page.locator("li.order").first).to_be_visible()
    expect(page.locator("li.job-waiting")).to_have_count(0)  # not theirs to see
    page.wait_for_timeout(2_000)
    assert {o["order_id"] for o in shop_orders(p.base, token)} == before  # nor sent in their name

    page.get_by_role("link", name="حسابي").click()
    page.get_by_role("button", name="تسجيل الخروج", exact=True).click()
    page = p.sign_in("amina.wahrani")  # its author is back: it goes, once
    expect(page.locator(".syncline")).not_to_contain_text("بانتظار الإرسال", timeout=20_000)
    created = [o for o in shop_orders(p.base, token) if o["order_id"] not in before]
    assert len(created) == 1
    placed = order(p.base, token, created[0]["order_id"])
    assert placed["history"][0]["by_username"] == "amina.wahrani"


def test_add_to_home_screen_is_offered_after_the_first_order_only(phone: Callable[..., Phone]) -> None:
    p = phone("ar-DZ")
    page = p.sign_in("yacine.baraka")
    # Chromium offers the install (its event, as the browser sends it when the app qualifies)
    page.evaluate(
        """() => { window.__prompted = 0; const e = new Event('beforeinstallprompt', {cancelable: true});
        e.prompt = async () => { window.__prompted += 1; };
        e.userChoice = Promise.resolve({outcome: 'dismissed'}); dispatchEvent(e); }"""
    )
    offer = page.get_by_role("heading", name="أضف ليفريلي إلى الشاشة الرئيسية")
    expect(offer).to_have_count(0)  # not on the first visit
    page.locator("li.product button.add:enabled").first.click()
    page.get_by_role("link", name=re.compile("السلة")).click()
    page.get_by_role("button", name="أرسل الطلب").click()
    expect(page).to_have_url(re.compile(r"/orders/[0-9A-Z]{26}$"))
    expect(offer).to_be_visible()
    p.shot("ar-order-install")
    page.get_by_role("button", name="أضف", exact=True).click()
    expect(offer).to_have_count(0)
    assert page.evaluate("window.__prompted") == 1
    page.reload()  # declined in the browser's own dialog: not offered again
    expect(page.locator(".top h1")).to_contain_text("الطلب")
    expect(offer).to_have_count(0)


def test_offline_before_the_app_is_on_the_phone_says_what_is_missing(browser, app_url: str) -> None:
    """Signed in a moment ago, the server busy, then offline before the first sync and before the
    service worker has kept the screens: a list that cannot come says so with a retry; the list on
    screen stays, a search says the catalog is not on the phone yet (not "nothing matches"), a
    screen that cannot load says it needs the network once, and the retry brings it back."""
    from tests.web.conftest import PHONE

    context = browser.new_context(viewport=PHONE, locale="ar-DZ", service_workers="block")
    context.set_default_timeout(15_000)
    p = Phone(context, app_url)
    try:
        p.busy(r"/v1/catalog/changes")  # the server is busy for the catalog's download: no device catalog yet
        p.busy(r"/v1/products\?")  # and for the first list too
        page = p.sign_in("amina.wahrani")
        expect(page.get_by_role("alert")).to_contain_text("حدث خطأ")  # not an endless "loading"
        p.shot("ar-catalog-unread")
        p.busy(r"/v1/products\?", False)
        page.get_by_role("button", name="أعد المحاولة").click()
        expect(page.locator("li.product").first).to_be_visible()  # the server's list, online
        p.offline(True)
        expect(page.locator("li.product").first).to_be_visible()  # what is on screen stays
        page.get_by_label("بحث في المنتجات").fill("زيت")  # a search offline has only the device
        expect(page.get_by_text("الكتالوج غير محفوظ على هذا الهاتف بعد")).to_be_visible()
        page.get_by_role("link", name="حسابي").click()
        expect(page.get_by_role("alert")).to_contain_text("هذه الشاشة غير محفوظة على الهاتف بعد")
        p.shot("ar-screen-needs-network")
        p.offline(False)
        page.get_by_role("button", name="أعد المحاولة").click()
        expect(page.get_by_role("button", name="تسجيل الخروج", exact=True)).to_be_visible()
    finally:
        context.close()


def test_the_whole_catalog_and_every_order_are_a_scroll_away_online_and_offline(phone: Callable[..., Phone]) -> None:
    """Long lists come a page at a time: nearing the end brings the next part (the catalog 50 at
    a time, orders 20), online from the server and offline from the device's catalog."""
    p = phone("ar-DZ")
    username = new_shop(p.base, "ar")
    token = login(p.base, username, DEMO_PASSWORD)
    # a product of its own, last in Arabic order (on the second page): the shop orders it 21
    # times, then its price moves
    n = uuid.uuid4().int % 10**6
    admin = admin_token(p.base)
    pumpkin = own_product(p.base, admin, {"ar": f"يقطين مجفف {n}", "fr": f"Potiron séché {n}"}, "EAU-IFRI-150")
    for _ in range(21):
        placed_order(p.base, token, {pumpkin["product_id"]: 1})
    total, cursor = 0, None
    while True:  # the catalog as the API pages it
        reply = call("GET", f"{p.base}/v1/products?limit=100" + (f"&cursor={cursor}" if cursor else ""), token).json()
        total += len(reply["data"])
        cursor = reply["meta"].get("next_cursor")
        if not cursor:
            break
    assert total > 50  # the demo catalog is longer than a page

    page = p.sign_in(username)
    products = page.locator("ul.products > li.product")
    expect(products).to_have_count(50)
    products.last.scroll_into_view_if_needed()  # the thumb nears the end: the next page comes
    expect(products).to_have_count(total)
    expect(page.get_by_role("button", name="منتجات أخرى")).to_have_count(0)  # the end of the catalog
    card = products.filter(has_text=f"يقطين مجفف {n}")
    expect(card).to_contain_text("142,80")  # 120 DA + 19 % VAT
    # the price moves; the app comes back to the front and syncs: the card on the second page
    # shows the new price where it stands, and the list keeps its length (the thumb its place)
    expect(page.locator(".syncline")).to_contain_text("آخر مزامنة")  # the sign-in's sync is over
    edited_product(p.base, admin, pumpkin["product_id"], base_price=13000)
    page.wait_for_timeout(3_500)  # the catalog's change feed lists a change once it is 3 s old (SETTLE)
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    expect(card).to_contain_text("154,70")
    expect(products).to_have_count(total)

    page.get_by_role("link", name="الطلبات").click()
    orders = page.locator("ul.orders > li.order")
    expect(orders).to_have_count(20)
    orders.last.scroll_into_view_if_needed()
    expect(orders).to_have_count(21)
    expect(page.get_by_role("button", name="طلبات أقدم")).to_have_count(0)
    orders.last.scroll_into_view_if_needed()  # the oldest order, at the end of the list
    p.shot("ar-orders-older")

    # offline: the catalog on the device pages the same way; the orders kept are the newest page
    expect(page.locator(".syncline")).to_contain_text("آخر مزامنة")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    p.offline(True)
    page.reload()
    expect(page.locator(".syncline")).to_contain_text("غير متصل")
    expect(orders).to_have_count(20)
    expect(page.get_by_role("button", name="طلبات أقدم")).to_have_count(0)  # offline: no way to older ones
    p.offline(False)  # back online on the same screen: the older orders are a scroll away again
    orders.last.scroll_into_view_if_needed()
    expect(orders).to_have_count(21)
    p.offline(True)
    page.locator("nav.tabs").get_by_role("link", name="المنتجات").click()
    expect(products).to_have_count(50)
    products.last.scroll_into_view_if_needed()
    expect(products).to_have_count(total)
    p.assert_accessible()


def test_the_products_stay_in_place_when_the_categories_come_after_them(phone: Callable[..., Phone]) -> None:
    """On 3G the categories may come after the products: their row keeps its place (the "all"
    chip) meanwhile, so the list does not move under the thumb when they arrive; and a long list
    is drawn in two steps (a screenful, then the rest) with nothing left out."""
    p = phone("ar-DZ")
    held: list[Route] = []
    p.page.route(re.compile(r"/v1/categories"), lambda route: held.append(route))  # the categories wait here
    page = p.sign_in("yacine.baraka")
    products = page.locator("ul.products > li.product")
    expect(products).to_have_count(50)
    expect(page.locator(".chips button")).to_have_count(1)  # only "all", pressed
    expect(page.get_by_role("button", name="الكل", exact=True)).to_have_attribute("aria-pressed", "true")
    first = products.first.bounding_box()
    assert held, "the app asked for the categories"
    for route in held:
        route.continue_()
    expect(page.locator(".chips button")).not_to_have_count(1)  # the shop's categories are there
    assert products.first.bounding_box() == first  # the list has not moved


def test_order_the_same_again_in_one_tap_names_what_is_no_longer_sold(phone: Callable[..., Phone]) -> None:
    """A shop's order of two products, one of them withdrawn since: one tap puts the other back
    in the cart with its quantity, and the note names the withdrawn one (never silently left out)."""
    p = phone("ar-DZ")
    admin = admin_token(p.base)
    n = uuid.uuid4().int % 10**6
    dates = own_product(p.base, admin, {"ar": f"تمر دقلة نور {n}", "fr": f"Dattes Deglet Nour {n}"}, "RIZ-EGYPT-1KG")
    rice = product_by_sku(p.base, admin, "RIZ-EGYPT-1KG")
    username = new_shop(p.base, "ar")
    token = login(p.base, username, DEMO_PASSWORD)
    placed = placed_order(p.base, token, {dates["product_id"]: 2, rice["product_id"]: 20})
    edited_product(p.base, admin, dates["product_id"], is_active=False)  # withdrawn since

    page = p.sign_in(username)
    expect(page.locator(".syncline")).to_contain_text("آخر مزامنة")  # the catalog is on the phone
    page.get_by_role("link", name="الطلبات").click()
    page.locator("li.order", has_text=placed["order_number"]).get_by_role("link").click()
    page.get_by_role("button", name="اطلب نفس المنتجات").click()
    note = page.locator("main").get_by_role("status")
    expect(note).to_contain_text("أضيف الباقي إلى السلة")
    expect(note).to_contain_text(f"تمر دقلة نور {n}")
    p.shot("ar-reorder-partly")
    note.get_by_role("link").click()  # to the cart
    lines = page.locator("li.line")
    expect(lines).to_have_count(1)
    expect(lines.get_by_label("كمية أرز مصري 1 كغ")).to_have_value("20")


def test_a_small_phone_320_px_wide_never_scrolls_sideways(phone: Callable[..., Phone]) -> None:
    """The smallest phones still sold (320 CSS px): every screen of a shop fits its width, a SKU
    moves to its own line whole and the cart's stepper to its own row."""
    p = phone("ar-DZ")
    p.page.set_viewport_size({"width": 320, "height": 640})
    page = p.sign_in("sofiane.w", choose="العربية")
    page.locator("li.product").first.get_by_role("button").first.click()
    for tab in ("المنتجات", "السلة", "الطلبات", "حسابي"):
        page.locator("nav.tabs").get_by_role("link", name=re.compile(tab)).click()
        page.locator("main").wait_for()
        page.wait_for_timeout(300)  # the screen's data in place
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{tab}: {width} px wide"
    page.locator("nav.tabs").get_by_role("link", name=re.compile("السلة")).click()
    sku = page.locator("li.line .meta bdi").first
    assert page.evaluate("(el) => el.getClientRects().length", sku.element_handle()) == 1  # one piece
    p.shot("ar-cart-320")
