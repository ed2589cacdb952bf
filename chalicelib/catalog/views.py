"""Categories and products as the API shows them (localized, with images and stock state)."""

from __future__ import annotations

from typing import Any

from chalicelib.catalog.models import (
    Category,
    Product,
)
from chalicelib.catalog.rules import is_low_stock, names_of, price_with_vat
from chalicelib.core import storage
from chalicelib.core.i18n import localized


def category_view(category: Category, lang: str, admin: bool) -> dict[str, Any]:
    name, used = localized(names_of(category), lang)
    view: dict[str, Any] = {
        "category_id": category.category_id,
        "parent_id": category.parent_id,
        "name": name,
        "name_language": used,
        "position": int(category.position),
    }
    if admin:
        view.update(
            names=names_of(category),
            is_active=category.is_active,
            product_count=int(category.product_count),
            child_count=int(category.child_count),
            version=int(category.version),
            updated_at=category.updated_at,
        )
    return view


def image_views(product: Product) -> list[dict[str, Any]]:
    return [
        {
            "image_id": image.image_id,
            "url": storage.public_url(image.key),
            "thumbnail_url": storage.public_url(image.thumbnail_key),
            "width": int(image.width),
            "height": int(image.height),
        }
        for image in product.images or []
    ]


def product_view(product: Product, lang: str, admin: bool, *, detail: bool = True) -> dict[str, Any]:
    """A product in the caller's language; admins also get every translation and the internals."""
    name, used = localized(names_of(product), lang)
    descriptions = {"ar": product.description_ar, "fr": product.description_fr, "en": product.description_en}
    images = product.images or []
    gallery = image_views(product) if detail else None  # signed once: the thumbnail is the same URL
    if gallery:
        thumbnail: str | None = gallery[0]["thumbnail_url"]
    else:
        thumbnail = storage.public_url(images[0].thumbnail_key) if images else None
    view: dict[str, Any] = {
        "product_id": product.product_id,
        "sku": product.sku,
        "barcode": product.barcode,
        "category_id": product.category_id,
        "name": name,
        "name_language": used,
        "sale_unit": product.sale_unit,
        "pack_size": int(product.pack_size),
        "min_order_quantity": int(product.min_order_quantity),
        "base_price": int(product.base_price),
        "vat_rate": int(product.vat_rate),
        "price_with_vat": price_with_vat(int(product.base_price), int(product.vat_rate)),
        "stock_quantity": int(product.stock_quantity),
        "in_stock": int(product.stock_quantity) >= int(product.min_order_quantity),
        "thumbnail_url": thumbnail,
        "is_active": bool(product.is_active),
        "version": int(product.version),
    }
    if detail:
        view["description"] = localized(descriptions, used)[0]
        view["images"] = gallery
    if admin:
        view.update(
            names=names_of(product),
            cost_price=None if product.cost_price is None else int(product.cost_price),
            min_stock_level=int(product.min_stock_level),
            low_stock=is_low_stock(product),
            created_at=product.created_at,
            updated_at=product.updated_at,
        )
        if detail:
            view["descriptions"] = descriptions
    return view


def low_stock_view(product: Product, lang: str) -> dict[str, Any]:
    name, used = localized(names_of(product), lang)
    return {
        "product_id": product.product_id,
        "sku": product.sku,
        "name": name or "",
        "name_language": used,
        "category_id": product.category_id,
        "stock_quantity": int(product.stock_quantity),
        "min_stock_level": int(product.min_stock_level),
    }
