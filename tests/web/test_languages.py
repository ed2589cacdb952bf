"""The same app in French and English (left to right) and back to Arabic, switched at any time
and remembered; the owner's account with the shop's credit."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import expect

from tests.web.conftest import Phone


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
    expect(product.get_by_label("Quantité de Huile de table Elio 5 L")).to_have_text("4")
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
    page.reload()  # the choice is remembered on the device
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator(".top h1")).to_have_text("حسابي")


def test_a_new_shop_in_french_sees_what_to_do_on_every_empty_screen(phone: Callable[..., Phone]) -> None:
    """Approved a minute ago: no orders, an empty cart, a search that finds nothing — each says so
    and shows the way on (the catalog is one tap away)."""
    import uuid

    from tests.e2e.conftest import call
    from tests.web.conftest import DEMO_PASSWORD
    from tests.web.helpers import admin_token

    p = phone("fr-DZ")
    n = uuid.uuid4().int % 10**6
    owner = {"username": f"nadia.{n}", "password": DEMO_PASSWORD, "full_name": "Nadia Saidi", "phone": f"0771{n:06d}"}
    body = {
        "business_name": f"Épicerie Saidi {n}",
        "business_type": "superette",
        "registration_number": f"31/00-{1000000 + n} B 21",
        "tax_number": f"{3116091234 + n:015d}",
        "nis": "003116010012345",
        "ai": "31012345678",
        "phone": f"0662{n:06d}",
        "address": "5 boulevard de la Soummam",
        "wilaya": 31,
        "commune": "Oran",
        "owner": {**owner, "language": "fr"},
    }
    made = call("POST", f"{p.base}/v1/retailers", json=body)
    assert made.status_code == 201, made.text
    shop_id = made.json()["data"]["retailer"]["retailer_id"]
    approved = call("POST", f"{p.base}/v1/retailers/{shop_id}/approve", admin_token(p.base), json={"credit_limit": 0})
    assert approved.status_code == 200, approved.text

    page = p.sign_in(owner["username"])
    page.get_by_role("link", name="Commandes").click()
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
