"""Reading one catalog item by id (404 when it does not exist), and the mark every change of
a product leaves for the offline clients' delta sync."""

from __future__ import annotations

from pynamodb.expressions.update import Action

from chalicelib.catalog.models import Category, Product
from chalicelib.core import clock
from chalicelib.db import keys
from chalicelib.db.base import get_one


def get_product_item(product_id: str) -> Product:
    return get_one(Product, (keys.product(product_id), keys.PROFILE))


def get_category_item(category_id: str) -> Category:
    return get_one(Category, (keys.CATALOG, keys.category(category_id)))


def touched(product_id: str, at: str | None = None) -> list[Action]:
    """A product changed (price, stock, names, images, active flag): its `updated_at` and its
    place on the catalog's change index (GSI4), read by `GET /v1/catalog/changes`."""
    now = at or clock.iso()
    return [
        Product.updated_at.set(now),
        Product.GSI4PK.set(keys.CATALOG_CHANGES),
        Product.GSI4SK.set(keys.catalog_change(now, product_id)),
    ]
