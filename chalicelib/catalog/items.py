"""Reading one catalog item by id (404 when it does not exist)."""

from __future__ import annotations

from chalicelib.catalog.models import Category, Product
from chalicelib.core.errors import NotFound
from chalicelib.db import keys
from chalicelib.db.base import read_one


def get_product_item(product_id: str) -> Product:
    item = read_one(Product, (keys.product(product_id), keys.PROFILE))
    if item is None:
        raise NotFound()
    return item


def get_category_item(category_id: str) -> Category:
    item = read_one(Category, (keys.CATALOG, keys.category(category_id)))
    if item is None:
        raise NotFound()
    return item
