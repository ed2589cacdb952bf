"""Reading one catalog item by id (404 when it does not exist)."""

from __future__ import annotations

from pynamodb.exceptions import DoesNotExist

from chalicelib.catalog.models import Category, Product
from chalicelib.core.errors import NotFound
from chalicelib.db import keys


def get_product_item(product_id: str) -> Product:
    try:
        return Product.get(keys.product(product_id), keys.PROFILE, consistent_read=True)
    except DoesNotExist as exc:
        raise NotFound() from exc


def get_category_item(category_id: str) -> Category:
    try:
        return Category.get(keys.CATALOG, keys.category(category_id), consistent_read=True)
    except DoesNotExist as exc:
        raise NotFound() from exc
