"""API layer: the Chalice test client against in-process moto (DynamoDB + S3)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pytest
from chalice.test import Client
from moto import mock_aws

from chalicelib.core import clock, storage
from chalicelib.core.config import settings

ADMIN = ("admin", "admin-pass-2026")
PASSWORD = "shop-pass-2026"


@dataclass
class Reply:
    status: int
    body: dict[str, Any]
    headers: dict[str, str]

    @property
    def data(self) -> Any:
        return self.body.get("data")

    @property
    def error(self) -> dict[str, Any]:
        return self.body.get("error") or {}


@dataclass
class Api:
    client: Client
    counter: list[int] = field(default_factory=lambda: [0])

    def call(
        self, method: str, path: str, token: str | None = None, body: Any = None, headers: dict | None = None
    ) -> Reply:
        hdrs = {"Content-Type": "application/json", **(headers or {})}
        if token:
            hdrs["Authorization"] = f"Bearer {token}"
        raw = body if isinstance(body, str | bytes) or body is None else json.dumps(body)
        resp = self.client.http.request(method, path, headers=hdrs, body=raw or b"")
        try:
            parsed = json.loads(resp.body) if resp.body else {}
        except ValueError:
            parsed = {"raw": resp.body}
        return Reply(resp.status_code, parsed, dict(resp.headers))

    def get(self, path: str, token: str | None = None, **kw: Any) -> Reply:
        return self.call("GET", path, token, **kw)

    def post(self, path: str, token: str | None = None, body: Any = None, **kw: Any) -> Reply:
        return self.call("POST", path, token, body if body is not None else {}, **kw)

    def patch(self, path: str, token: str | None = None, body: Any = None, **kw: Any) -> Reply:
        return self.call("PATCH", path, token, body if body is not None else {}, **kw)

    def delete(self, path: str, token: str | None = None, **kw: Any) -> Reply:
        return self.call("DELETE", path, token, **kw)

    # -- scenario helpers
    def login(self, username: str, password: str = PASSWORD, **kw: Any) -> Reply:
        return self.post("/v1/auth/login", body={"username": username, "password": password}, **kw)

    def token(self, username: str, password: str = PASSWORD) -> str:
        reply = self.login(username, password)
        assert reply.status == 200, reply.body
        return reply.data["access_token"]

    def key(self) -> dict[str, str]:
        """A fresh Idempotency-Key header."""
        return {"Idempotency-Key": f"test-key-{self.unique():08d}"}

    def stock_of(self, token: str, product_id: str) -> int:
        stock: int = self.get(f"/v1/products/{product_id}", token).data["stock_quantity"]
        return stock

    def unique(self) -> int:
        self.counter[0] += 1
        return self.counter[0]

    def registration(self, **overrides: Any) -> dict[str, Any]:
        n = self.unique()
        payload = {
            "business_name": f"Superette {n}",
            "business_type": "superette",
            "registration_number": f"16/00-{1000000 + n} B 19",
            "tax_number": f"{1916091234 + n:015d}",
            "nis": "001916010012345",
            "ai": "16012345678",
            "phone": f"0661{100000 + n:06d}",
            "address": "12 rue Didouche Mourad",
            "wilaya": 16,
            "commune": "Alger-Centre",
            "owner": {
                "username": f"owner{n}",
                "password": PASSWORD,
                "full_name": f"Owner {n}",
                "phone": f"0770{100000 + n:06d}",
            },
        }
        payload.update(overrides)
        return payload

    def register(self, **overrides: Any) -> Reply:
        reply = self.post("/v1/retailers", body=self.registration(**overrides))
        assert reply.status == 201, reply.body
        return reply

    def shop(self, admin_token: str, credit_limit: int = 0) -> dict[str, Any]:
        """An approved shop with an owner and a buyer, logged in."""
        reg = self.register()
        rid = reg.data["retailer"]["retailer_id"]
        owner = reg.data["owner"]["username"]
        approved = self.post(f"/v1/retailers/{rid}/approve", admin_token, {"credit_limit": credit_limit})
        assert approved.status == 200, approved.body
        owner_token = self.token(owner)
        n = self.unique()
        buyer = self.post(
            f"/v1/retailers/{rid}/users",
            owner_token,
            {
                "username": f"buyer{n}",
                "password": PASSWORD,
                "role": "buyer",
                "full_name": f"Buyer {n}",
                "phone": f"0550{100000 + n:06d}",
            },
        )
        assert buyer.status == 201, buyer.body
        return {
            "retailer_id": rid,
            "owner": owner,
            "owner_id": reg.data["owner"]["user_id"],
            "owner_token": owner_token,
            "buyer": buyer.data["username"],
            "buyer_id": buyer.data["user_id"],
            "buyer_token": self.token(buyer.data["username"]),
            "onboarding_token": reg.data["onboarding_token"],
        }

    # -- catalog helpers
    def category(self, admin_token: str, ar: str, fr: str | None = None, parent_id: str | None = None) -> dict:
        body: dict[str, Any] = {"names": {"ar": ar, "fr": fr}}
        if parent_id:
            body["parent_id"] = parent_id
        reply = self.post("/v1/categories", admin_token, body)
        assert reply.status == 201, reply.body
        return reply.data

    def product_body(self, category_id: str, **overrides: Any) -> dict[str, Any]:
        n = self.unique()
        body = {
            "sku": f"SKU-{n:05d}",
            "category_id": category_id,
            "names": {"ar": f"منتج {n}", "fr": f"Produit {n}"},
            "sale_unit": "bottle",
            "pack_size": 6,
            "base_price": 12000,
            "cost_price": 9500,
            "vat_rate": 19,
            "stock_quantity": 120,
            "min_stock_level": 24,
        }
        body.update(overrides)
        return body

    def product(self, admin_token: str, category_id: str, **overrides: Any) -> dict[str, Any]:
        reply = self.post("/v1/products", admin_token, self.product_body(category_id, **overrides))
        assert reply.status == 201, reply.body
        return reply.data


@pytest.fixture
def aws():
    from chalicelib.catalog import index
    from chalicelib.events import outbox
    from chalicelib.notify import providers

    index.reset()
    outbox.reset()
    providers.reset()
    with mock_aws():
        from chalicelib.db.provision import create_bucket, create_queue, create_table

        cfg = settings()
        create_table(cfg.table_name, cfg.region)
        create_bucket(cfg.bucket_name, cfg.region)
        create_queue(cfg.event_queue_name, cfg.region)
        create_queue(cfg.dead_letter_queue_name, cfg.region)
        storage.s3.cache_clear()
        yield
        storage.s3.cache_clear()
        outbox.reset()
        providers.reset()
    index.reset()
    clock.freeze(None)


@pytest.fixture
def api(aws):
    from app import app

    with Client(app) as client:
        yield Api(client)


@pytest.fixture
def admin_token(api):
    from chalicelib.accounts import staff as accounts_staff

    accounts_staff.create_staff_user(ADMIN[0], ADMIN[1], "Test Admin")
    return api.token(*ADMIN)


@pytest.fixture
def driver_token(api):
    from chalicelib.accounts import staff as accounts_staff
    from chalicelib.core.rbac import Role

    accounts_staff.create_staff_user("driver1", "driver-pass-2026", "Driver One", role=Role.DRIVER)
    return api.token("driver1", "driver-pass-2026")


@pytest.fixture
def driver_id(api, driver_token):
    return api.get("/v1/me", driver_token).data["user"]["user_id"]


@pytest.fixture
def shop(api, admin_token):
    return api.shop(admin_token, credit_limit=50_000_00)


@pytest.fixture
def other_shop(api, admin_token):
    return api.shop(admin_token)


@pytest.fixture
def catalog(api, admin_token):
    """Two top categories (one with a subcategory) and four products, one of them inactive."""
    drinks = api.category(admin_token, "مشروبات", "Boissons")
    water = api.category(admin_token, "مياه", "Eaux", parent_id=drinks["category_id"])
    grocery = api.category(admin_token, "بقالة", "Épicerie")
    products = {
        "water": api.product(
            admin_token, water["category_id"], names={"ar": "مياه معدنية إفري 1.5 لتر", "fr": "Eau minérale Ifri 1,5 L"}
        ),
        "juice": api.product(
            admin_token, drinks["category_id"], names={"ar": "عصير رويبة برتقال", "fr": "Jus Rouiba orange"}
        ),
        "oil": api.product(
            admin_token,
            grocery["category_id"],
            names={"ar": "الزيت النباتي إليو 5 لتر", "fr": "Huile Elio 5 L"},
            barcode="6130234000010",
            vat_rate=9,
            sale_unit="bottle",
            pack_size=4,
        ),
        "retired": api.product(
            admin_token, grocery["category_id"], names={"ar": "منتج قديم", "fr": "Ancien produit"}, is_active=False
        ),
    }
    return {"drinks": drinks, "water": water, "grocery": grocery, **products}


@pytest.fixture
def dynamodb_calls(api):
    """`with dynamodb_calls() as calls:` — the DynamoDB operations made inside, in order."""
    from contextlib import contextmanager

    from chalicelib.db.base import Item

    @contextmanager
    def recording():
        calls: list[str] = []

        def record(model, **_):
            calls.append(model.name)

        client = Item._get_connection().connection.client
        client.meta.events.register("before-call.dynamodb", record)
        try:
            yield calls
        finally:
            client.meta.events.unregister("before-call.dynamodb", record)

    return recording
