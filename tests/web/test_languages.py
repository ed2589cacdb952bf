"""The same app in French and English (left to right) and back to Arabic, switched at any time
and remembered; the owner's account with the shop's credit."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Phone
from tests.web.helpers import new_shop


def test_french_then_english_then_arabic_with_the_right_direction(phone: Callable[..., Phone]) -> None:
    p = phone("fr-DZ")
    page = p.sign_in("karim.baraka")  # his account is in French: the app follows it
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "fr")
    expect(html).to_have_attribute("dir", "ltr")
    expect(page.get_by_role("link", name="Produits")).to_be_visible()
    expect(page.locator(".syncline")).to_contain_text("Synchronisé")
    p.shot("fr-catalog")
    p.assert_accessible()

    page.get_by_label("Rechercher un produit").fill("huile elio")
    product = page.locator("li.product", has_text="Huile de table Elio 5 L")
    product.get_by_role("button", name="Ajouter Huile de table Elio 5 L").click()
    expect(product.get_by_label("Quantité de Huile de table Elio 5 L")).to_have_value("4")
    page.get_by_role("link", name=re.compile("Panier")).click()
    expect(page.locator(".totals")).to_contain_text("DA")
    page.get_by_label("À crédit").check()
    expect(page.locator("label", has_text="À crédit")).to_contain_text("Crédit disponible")
    p.shot("fr-cart")
    p.assert_accessible()

    page.get_by_role("link", name="Commandes").click()
    expect(page.locator("li.order").first).to_be_visible()
    p.shot("fr-orders")
    p.assert_accessible()

    page.get_by_role("link", name="Compte").click()
    credit = page.locator("section", has_text="Crédit")
    expect(credit).to_contain_text("Plafond")
    expect(credit).to_contain_text("Disponible")
    # the statement says what each line is, its sign, the balance after it and a delivery's due date
    credit.get_by_text("Relevé").click()
    statement = credit.locator("ul.statement")
    cheque = statement.locator("li", has_text="Paiement par chèque")
    expect(cheque).to_contain_text("LV-2026-000001")
    expect(cheque).to_contain_text(re.compile(r"[-−]2\s000,00\sDA"))
    expect(cheque).to_contain_text("Solde après")
    delivery = statement.locator("li", has_text="Livraison").last  # the oldest: the overdue credit order
    expect(delivery).to_contain_text(re.compile(r"\+12\s335,60\sDA"))
    expect(delivery).to_contain_text("Échéance le")
    expect(page.locator("section", has_text="Mes appareils")).to_contain_text("Cet appareil")
    p.shot("fr-account")
    p.assert_accessible()

    page.get_by_role("button", name="English").click()
    expect(html).to_have_attribute("lang", "en")
    expect(html).to_have_attribute("dir", "ltr")
    expect(page.locator(".top h1")).to_have_text("My account")
    p.shot("en-account")

    page.get_by_role("button", name="العربية").click()
    expect(html).to_have_attribute("dir", "rtl")
    expect(page.locator(".top h1")).to_have_text("حسابي")
    p.shot("ar-account")
    p.assert_accessible()
    page.get_by_text("كشف الحساب").click()
    statement = page.locator("ul.statement")
    expect(statement.locator("li", has_text="دفعة بصكّ")).to_contain_text("المستحق بعدها")
    statement.scroll_into_view_if_needed()
    p.shot("ar-statement")
    page.reload()  # the choice is remembered on the device
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator(".top h1")).to_have_text("حسابي")


def test_a_new_shop_in_french_sees_what_to_do_on_every_empty_screen(phone: Callable[..., Phone]) -> None:
    """Approved a minute ago: no orders, an empty cart, a search that finds nothing — each says so
    and shows the way on (the catalog is one tap away)."""
    p = phone("fr-DZ")
    # the server busy for the orders (from the sign-in's sync on): a list never read is not
    # shown as "no orders yet"
    p.busy(r"/v1/orders\?")
    page = p.sign_in(new_shop(p.base, "fr"))  # no language tapped: the account's French
    page.reload()  # the app opened again keeps the account's language (it started in Arabic)
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.get_by_role("link", name="Commandes").click()
    expect(page.get_by_role("alert")).to_be_visible()
    p.shot("fr-orders-unread")
    expect(page.get_by_text("Aucune commande pour l'instant.")).to_have_count(0)
    p.busy(r"/v1/orders\?", False)
    page.get_by_role("button", name="Réessayer").click()
    expect(page.get_by_text("Aucune commande pour l'instant.")).to_be_visible()
    expect(page.get_by_role("link", name="Voir les produits")).to_be_visible()  # the way to a first one
    p.shot("fr-orders-empty")
    p.assert_accessible()
    page.get_by_role("link", name="Panier").click()
    expect(page.get_by_text("Votre panier est vide.")).to_be_visible()
    p.shot("fr-cart-empty")
    p.assert_accessible()
    page.get_by_role("link", name="Voir les produits").click()  # the way on, from the empty cart
    page.get_by_label("Rechercher un produit").fill("zzz introuvable")
    expect(page.get_by_text("Aucun produit ne correspond.")).to_be_visible()
    p.shot("fr-search-empty")


def test_a_partly_delivered_order_says_what_was_handed_over_paid_and_left(phone: Callable[..., Phone]) -> None:
    """El Baraka's demo order LV-2026-000002: 12 of 24 bottles of water delivered, paid in part
    at the door. Each line shows what was handed over and its amount, the order what was paid
    and what is left, by when."""
    from tests.e2e.conftest import login
    from tests.web.conftest import DEMO_PASSWORD
    from tests.web.helpers import shop_orders

    p = phone("fr-DZ")
    page = p.sign_in("karim.baraka", choose="Français")  # another test leaves his account in Arabic
    token = login(p.base, "karim.baraka", DEMO_PASSWORD)
    order = next(o for o in shop_orders(p.base, token) if o["order_number"] == "LV-2026-000002")
    page.goto(f"{p.base}/orders/{order['order_id']}")
    water = page.locator("ul.lines li", has_text="Eau minérale Ifri 0,5 L")
    expect(water).to_contain_text("× 12")
    expect(water).to_contain_text("sur 24 commandés")
    expect(water).to_contain_text(re.compile(r"314,16\sDA"))  # 12 bottles, not the 24 ordered
    totals = page.locator(".totals")
    expect(totals).to_contain_text(re.compile(r"Payé à la livraison\s*3\s345,76\sDA"))
    expect(totals).to_contain_text(re.compile(r"Reste après la livraison\s*500,00\sDA"))
    expect(totals).to_contain_text("Échéance le")
    p.shot("fr-order-delivered")
    p.assert_accessible()
