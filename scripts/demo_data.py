"""Demo data for `make run`: three retailers in three wilayas, owners, buyers, a driver, the
catalog of `demo_catalog.py` and the orders of `demo_orders.py`."""

from __future__ import annotations

from chalicelib.accounts import retailers as accounts_retailers
from chalicelib.accounts import schemas
from chalicelib.accounts import staff as accounts_staff
from chalicelib.accounts import users as accounts_users
from chalicelib.core.rbac import Actor, Role
from scripts import demo_catalog, demo_orders

DEMO_PASSWORD = "demo-pass-2026"

SHOPS = [
    {
        "business_name": "Supérette El Baraka",
        "business_type": "superette",
        "registration_number": "16/00-0912345 B 19",
        "tax_number": "001916091234567",
        "nis": "001916010012345",
        "ai": "16012345678",
        "phone": "0661 23 45 67",
        "address": "12 rue Didouche Mourad",
        "wilaya": 16,
        "commune": "Alger-Centre",
        "owner": ("karim.baraka", "Karim Benali", "0661 23 45 68", "fr"),
        "buyers": [("yacine.baraka", "Yacine Benali", "0770 11 22 33", "ar")],
        "status": "approved",
        "credit_limit": 50_000_00,
    },
    {
        "business_name": "Alimentation Générale Wahrani",
        "business_type": "grocery",
        "registration_number": "31/00-0456789 A 15",
        "tax_number": "001531045678912",
        "phone": "0550 98 76 54",
        "address": "Cité Seddikia, bloc 4",
        "wilaya": 31,
        "commune": "Bir El Djir",
        "owner": ("amina.wahrani", "Amina Wahrani", "0550 98 76 55", "ar"),
        "buyers": [("sofiane.w", "Sofiane Wahrani", "0551 44 55 66", "fr")],
        "status": "approved",
        "credit_limit": 20_000_00,
    },
    {
        "business_name": "Kiosque Rhumel",
        "business_type": "kiosk",
        "registration_number": "25/00-0789123 A 22",
        "tax_number": "002225078912345",
        "phone": "0772 33 44 55",
        "address": "Place des Martyrs",
        "wilaya": 25,
        "commune": "Constantine",
        "owner": ("nadir.rhumel", "Nadir Bouchama", "0772 33 44 56", "fr"),
        "buyers": [],
        "status": "pending",
        "credit_limit": 0,
    },
]


def load() -> list[tuple[str, str, str]]:
    """Create the demo data; return (label, username, password) for the printed logins."""
    system = Actor(user_id=None, role=Role.ADMIN, username="demo-loader")
    logins: list[tuple[str, str, str]] = []
    driver, _ = accounts_staff.create_staff_user(
        "driver.mourad", DEMO_PASSWORD, "Mourad Chauffeur", role=Role.DRIVER, phone="+213698765432"
    )
    buyers: dict[str, Actor] = {}
    logins.append(("driver", "driver.mourad", DEMO_PASSWORD))
    for shop in SHOPS:
        username, full_name, phone, lang = shop["owner"]
        payload = {k: v for k, v in shop.items() if k not in ("owner", "buyers", "status", "credit_limit")}
        payload["owner"] = {
            "username": username,
            "password": DEMO_PASSWORD,
            "full_name": full_name,
            "phone": phone,
            "language": lang,
        }
        retailer, _, _ = accounts_retailers.register_retailer(
            system, schemas.RetailerRegistration.model_validate(payload)
        )
        label = f"owner ({shop['status']})"
        logins.append((label, username, DEMO_PASSWORD))
        if shop["status"] == "approved":
            accounts_retailers.change_retailer_status(
                system, retailer.retailer_id, "approve", credit_limit=shop["credit_limit"]
            )
        for b_user, b_name, b_phone, b_lang in shop["buyers"]:
            buyer = accounts_users.create_shop_user(
                system,
                retailer.retailer_id,
                schemas.UserCreateIn(
                    username=b_user,
                    password=DEMO_PASSWORD,
                    role="buyer",
                    full_name=b_name,
                    phone=b_phone,
                    language=b_lang,
                ),
            )
            logins.append(("buyer", b_user, DEMO_PASSWORD))
            buyers[shop["business_name"]] = Actor(
                user_id=buyer.user_id, role=Role.BUYER, retailer_id=retailer.retailer_id, username=b_user
            )
    products = demo_catalog.load(system)
    driver_actor = Actor(user_id=driver.user_id, role=Role.DRIVER, username=driver.username)
    demo_orders.load(system, driver_actor, buyers, products)
    return logins
