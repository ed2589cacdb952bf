"""DynamoDB round trips per route (botocore event hooks, moto in-process): accounts, catalog,
orders and credit — placing an order of 1, 10 and 40 lines among them.

Run: `python bench/dynamodb_calls.py`. Prints one line per route: calls and their operations.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.update(
    {
        "LIVRILI_STAGE": "test",
        "LIVRILI_TABLE_NAME": "livrili-bench",
        "LIVRILI_BUCKET_NAME": "livrili-bench-files",
        "LIVRILI_JWT_SECRET": "bench-secret-bench-secret-bench-secret-0123",
        "LIVRILI_EDGE_SECRET": "bench-edge-secret-bench-edge-secret-0123",
        "LIVRILI_ARGON2_TIME_COST": "1",
        "LIVRILI_ARGON2_MEMORY_KIB": "1024",
        "AWS_DEFAULT_REGION": "eu-west-3",
        "AWS_ACCESS_KEY_ID": "x",
        "AWS_SECRET_ACCESS_KEY": "x",
        "POWERTOOLS_METRICS_DISABLED": "true",
        "POWERTOOLS_LOG_LEVEL": "ERROR",
    }
)
os.environ.pop("AWS_ENDPOINT_URL", None)
# the seller's legal identity, for the invoices
_SHARED = json.loads((ROOT / ".chalice" / "config.json").read_text())["environment_variables"]
os.environ.update({k: v for k, v in _SHARED.items() if k.startswith("LIVRILI_SELLER_")})

from chalice.test import Client  # noqa: E402
from moto import mock_aws  # noqa: E402

CALLS: Counter[str] = Counter()


def _hook(model, **kwargs):  # botocore before-call hook
    CALLS[model.name] += 1


def _login_timing(client) -> None:
    """Median time of a failed login, known and unknown usernames and phones alternating, each from
    an address of its own (a real attacker's pace would be stopped by the address limit first)."""
    import statistics
    import time

    times: dict[str, list[float]] = {name: [] for name in (*KNOWN_AND_NOT, *PHONES_KNOWN_AND_NOT)}
    for n in range(40):
        for username in times:
            body = json.dumps({"username": username, "password": f"wrong-password-{n}"})
            headers = {
                "Content-Type": "application/json",
                "x-livrili-edge": os.environ["LIVRILI_EDGE_SECRET"],
                "x-livrili-viewer": f"192.0.2.{n}",
            }
            start = time.perf_counter()
            client.http.request("POST", "/v1/auth/login", headers=headers, body=body)
            times[username].append((time.perf_counter() - start) * 1000)
    known, unknown, known_phone, unknown_phone = (statistics.median(times[u]) for u in times)
    print(f"  failed login, median of 40: known username {known:.1f} ms, unknown {unknown:.1f} ms")
    print(f"  failed login by phone, median of 40: known {known_phone:.1f} ms, unknown {unknown_phone:.1f} ms")


KNOWN_AND_NOT = ("timing", "nobody-at-all")
PHONES_KNOWN_AND_NOT = ("0661 23 45 68", "0770 00 00 01")  # the bench shop owner's, nobody's


def main() -> None:
    with mock_aws():
        from app import app
        from chalicelib.accounts import staff as accounts_staff
        from chalicelib.core.config import settings
        from chalicelib.db.base import Item
        from chalicelib.db.provision import create_bucket, create_queue, create_table

        create_table("livrili-bench", "eu-west-3")
        create_bucket("livrili-bench-files", "eu-west-3")
        create_queue(settings().event_queue_name, "eu-west-3")  # events reach the queue, as on AWS
        accounts_staff.create_staff_user("admin", "admin-pass-2026", "Admin")
        accounts_staff.create_staff_user("timing", "timing-pass-2026", "Timing")  # only ever fails to log in
        Item._get_connection().connection.client.meta.events.register("before-call.dynamodb", _hook)

        client = Client(app)

        last: dict = {}

        def call(method, path, token=None, body=None, key=None, headers=None):
            headers = {"Content-Type": "application/json", **(headers or {})}
            if key:
                headers["Idempotency-Key"] = key
            if token:
                headers["Authorization"] = f"Bearer {token}"
            CALLS.clear()
            reply = client.http.request(
                method, path, headers=headers, body=json.dumps(body) if body is not None else b""
            )
            data = json.loads(reply.body) if reply.body else {}
            last.update(meta=data.get("meta") or {}, etag=reply.headers.get("ETag"))
            ops = ", ".join(f"{n}x{op}" for op, n in sorted(CALLS.items()))
            label = f"{path} [{key}]" if key else path
            print(f"  {method:6} {label[:58]:<58} {reply.status_code}  {sum(CALLS.values()):2} calls  ({ops})")
            return data.get("data")

        print("DynamoDB calls per request (accounts routes)")
        admin = call("POST", "/v1/auth/login", body={"username": "admin", "password": "admin-pass-2026"})[
            "access_token"
        ]
        reg = call(
            "POST",
            "/v1/retailers",
            body={
                "business_name": "Bench Shop",
                "business_type": "grocery",
                "registration_number": "16/00-0912345 B 19",
                "tax_number": "001916091234567",
                "phone": "0661234567",
                "address": "1 rue X",
                "wilaya": 16,
                "commune": "Alger",
                "owner": {"username": "owner", "password": "owner-pass-2026", "full_name": "O", "phone": "0661234568"},
            },
        )
        rid = reg["retailer"]["retailer_id"]
        print(
            "  a wrong password, for a username or phone that exists and one that does not (the same work and reply):"
        )
        for username in (*KNOWN_AND_NOT, *PHONES_KNOWN_AND_NOT):
            call("POST", "/v1/auth/login", body={"username": username, "password": "wrong-password-1"})
        _login_timing(client)
        call("GET", "/v1/retailers?status=pending", admin)
        call("GET", f"/v1/retailers/{rid}", admin)
        call("POST", f"/v1/retailers/{rid}/approve", admin, {"credit_limit": 100000})
        tokens = call("POST", "/v1/auth/login", body={"username": "owner", "password": "owner-pass-2026"})
        owner = tokens["access_token"]
        call("GET", "/v1/me", owner)
        call(
            "POST",
            f"/v1/retailers/{rid}/users",
            owner,
            {
                "username": "buyer",
                "password": "buyer-pass-2026",
                "role": "buyer",
                "full_name": "B",
                "phone": "0770123456",
            },
        )
        users = call("GET", f"/v1/retailers/{rid}/users", owner)
        buyer_id = next(u["user_id"] for u in users if u["username"] == "buyer")
        call("PATCH", f"/v1/retailers/{rid}/users/{buyer_id}", owner, {"full_name": "Buyer B"})
        call(
            "POST",
            f"/v1/retailers/{rid}/documents",
            owner,
            {"document_type": "rc_extract", "content_type": "image/png"},
        )
        call("GET", f"/v1/retailers/{rid}/documents", owner)
        refreshed = call("POST", "/v1/auth/refresh", body={"refresh_token": tokens["refresh_token"]})
        owner = refreshed["access_token"]
        call("GET", "/v1/me/sessions", owner)
        call("GET", "/v1/audit", owner)
        call("GET", "/v1/audit", admin)

        print("DynamoDB calls per request (catalog routes)")
        top = call("POST", "/v1/categories", admin, {"names": {"ar": "مشروبات", "fr": "Boissons"}})
        sub = call(
            "POST", "/v1/categories", admin, {"names": {"ar": "مياه", "fr": "Eaux"}, "parent_id": top["category_id"]}
        )
        call("GET", "/v1/categories", owner)
        call("PATCH", f"/v1/categories/{sub['category_id']}", admin, {"version": 1, "names": {"en": "Water"}})
        product = call(
            "POST",
            "/v1/products",
            admin,
            {
                "sku": "EAU-IFRI-150",
                "barcode": "6130234000010",
                "category_id": sub["category_id"],
                "names": {"ar": "مياه معدنية إفري", "fr": "Eau minérale Ifri 1,5 L"},
                "sale_unit": "bottle",
                "pack_size": 6,
                "base_price": 3500,
                "vat_rate": 19,
                "stock_quantity": 600,
                "min_stock_level": 120,
            },
        )
        pid = product["product_id"]
        call("GET", f"/v1/products/{pid}", owner)
        call("GET", f"/v1/products?category={sub['category_id']}", owner)
        call("GET", f"/v1/products?category={top['category_id']}", owner)
        call("GET", "/v1/products?q=ifri", owner)  # first search of the process: builds the snapshot
        call("GET", "/v1/products?q=%D9%85%D9%8A%D8%A7%D9%87", owner)  # warm
        call("GET", "/v1/products", owner)
        call("PATCH", f"/v1/products/{pid}", admin, {"version": 1, "base_price": 3600})
        call("PATCH", f"/v1/products/{pid}", admin, {"version": 2, "category_id": top["category_id"]})
        call("POST", f"/v1/products/{pid}/stock", admin, {"delta": -500, "reason": "bench"})
        call("GET", f"/v1/products/{pid}/stock", admin)
        call("GET", "/v1/admin/low-stock", admin)
        call("POST", f"/v1/products/{pid}/images", admin, {"content_type": "image/png"})
        call("GET", f"/v1/products/{pid}/images", admin)

        print("DynamoDB calls per request (orders and credit)")
        from chalicelib.catalog import products
        from chalicelib.catalog import schemas as catalog_schemas
        from chalicelib.core.rbac import Actor, Role

        system = Actor(user_id=None, role=Role.ADMIN, username="bench")
        ids = [
            products.create_product(
                system,
                catalog_schemas.ProductCreateIn(
                    sku=f"BENCH-{n:03d}",
                    category_id=sub["category_id"],
                    names={"ar": f"منتج {n}", "fr": f"Produit {n}"},
                    sale_unit="piece",
                    base_price=1000 + n,
                    vat_rate=(0, 9, 19)[n % 3],
                    stock_quantity=10_000,
                ),
            ).product_id
            for n in range(40)
        ]
        owner = call("POST", "/v1/auth/login", body={"username": "owner", "password": "owner-pass-2026"})[
            "access_token"
        ]
        orders = {}
        for lines in (1, 10, 40):
            body = {"items": [{"product_id": pid, "quantity": 2} for pid in ids[:lines]]}
            orders[lines] = call("POST", "/v1/orders", owner, body, key=f"bench-order-{lines:03d}")
        call("POST", "/v1/orders", owner, {"items": [{"product_id": ids[0], "quantity": 2}]}, key="bench-order-001")
        credit_order = call(
            "POST",
            "/v1/orders",
            owner,
            {"items": [{"product_id": ids[0], "quantity": 2}], "payment_method": "credit"},
            key="bench-credit-1",
        )
        oid = orders[10]["order_id"]
        call("GET", f"/v1/orders/{oid}", owner)
        call("GET", "/v1/orders", owner)
        call("GET", "/v1/orders?status=pending", admin)
        call("POST", f"/v1/orders/{orders[1]['order_id']}/transitions", owner, {"to": "cancelled"})
        call("POST", f"/v1/orders/{orders[40]['order_id']}/transitions", admin, {"to": "cancelled"})
        accounts_staff.create_staff_user("driver", "driver-pass-2026", "Driver", role=Role.DRIVER)
        driver_login = call("POST", "/v1/auth/login", body={"username": "driver", "password": "driver-pass-2026"})
        driver, driver_id = driver_login["access_token"], driver_login["user"]["user_id"]
        for to, extra in (("confirmed", {}), ("preparing", {}), ("out_for_delivery", {"driver_id": driver_id})):
            call("POST", f"/v1/orders/{oid}/transitions", admin, {"to": to, **extra})
        partial = [{"product_id": ids[0], "delivered_quantity": 1}]
        call(
            "POST",
            f"/v1/orders/{oid}/transitions",
            driver,
            {"to": "delivered", "lines": partial, "cash_collected": 5000},
        )
        call("GET", f"/v1/orders/{oid}/invoice", owner)
        call("POST", f"/v1/orders/{oid}/payments", driver, {"amount": 1000, "method": "cash"}, key="bench-pay-1")
        call("GET", f"/v1/retailers/{rid}/credit", owner)
        call("GET", f"/v1/retailers/{rid}/ledger", owner)
        call("PATCH", f"/v1/retailers/{rid}/credit", admin, {"credit_limit": 200000})
        call("GET", "/v1/admin/credit/overdue", admin)
        call("GET", "/v1/admin/dashboard", admin)
        call("POST", f"/v1/orders/{credit_order['order_id']}/reorder", owner, {}, key="bench-reorder-1")

        print("DynamoDB calls per request (change feed)")
        from datetime import timedelta

        from chalicelib.core import clock

        clock.freeze(clock.now() + timedelta(seconds=4))  # what came before has settled
        call("GET", "/v1/changes", owner)  # start following
        cursor = last["meta"]["next_cursor"]
        confirmed = call(
            "POST",
            "/v1/orders",
            owner,
            {"items": [{"product_id": product["product_id"], "quantity": 6}]},
            key="bench-feed-1",
        )
        call("POST", f"/v1/orders/{confirmed['order_id']}/transitions", admin, {"to": "confirmed"})
        clock.freeze(clock.now() + timedelta(seconds=4))
        call("GET", f"/v1/changes?after={cursor}", owner)  # changed: 2 entries
        cursor, etag = last["meta"]["next_cursor"], last["etag"]
        call("GET", f"/v1/changes?after={cursor}", owner, headers={"If-None-Match": etag})  # unchanged: 304
        call("POST", "/v1/admin/announcements", admin, {"texts": {"ar": "إعلان"}, "audience": "shops"})
        clock.freeze(clock.now() + timedelta(seconds=4))
        call("GET", f"/v1/changes?after={cursor}", owner)  # an announcement: the broadcast partition too
        cursor, etag = last["meta"]["next_cursor"], last["etag"]
        call("GET", f"/v1/changes?after={cursor}", owner, headers={"If-None-Match": etag})  # seen: 304 again
        call("GET", "/v1/catalog/changes", owner)  # start following the catalog
        catalog_cursor = last["meta"]["next_cursor"]
        call("PATCH", f"/v1/products/{pid}", admin, {"version": 3, "base_price": 3700})
        clock.freeze(clock.now() + timedelta(seconds=4))
        call("GET", f"/v1/catalog/changes?after={catalog_cursor}", owner)  # delta sync
        clock.freeze(None)

        print("DynamoDB calls per request (closing)")
        call("POST", f"/v1/retailers/{rid}/suspend", admin, {"reason": "bench"})
        call("POST", "/v1/auth/logout", admin)


if __name__ == "__main__":
    main()
