"""Catalog rules without I/O: localized names, prices with VAT, the low-stock line, what a
line of an order may hold (active, minimum quantity, pack multiple, stock)."""

from __future__ import annotations

from typing import Any

from chalicelib.catalog import schemas
from chalicelib.catalog.models import (
    Category,
    Product,
)
from chalicelib.core.errors import Conflict, field_error
from chalicelib.core.money import percent
from chalicelib.db import keys


def price_with_vat(base_price: int, vat_rate: int) -> int:
    """Centimes with VAT, rounded half up to the centime (never a float)."""
    return base_price + percent(base_price, vat_rate)


def names_of(item: Category | Product) -> dict[str, str | None]:
    return {"ar": item.name_ar, "fr": item.name_fr, "en": item.name_en}


def check_version(item: Category | Product, expected: int) -> None:
    if int(item.version) != expected:
        raise Conflict("version_conflict", params={"current": int(item.version)})


def names_patch(names: schemas.NamesPatch, field: str) -> dict[str, str | None]:
    """The name_* fields a partial names object sets or removes (Arabic cannot be removed)."""
    sent = names.model_fields_set
    if "ar" in sent and names.ar is None:
        raise field_error(f"{field}.ar", "field_required")
    return {f"name_{lang}": getattr(names, lang) for lang in sent}


# fields a PATCH may set but never clear (null is refused); the others' null removes them
_REQUIRED_ON_PATCH = frozenset(
    {"sku", "category_id", "sale_unit", "pack_size", "base_price", "vat_rate", "min_stock_level"}
    | {"is_active", "min_order_quantity"}
)


def patched(before: dict[str, Any], data: schemas.ProductPatchIn) -> dict[str, Any]:
    """A product's fields after a PATCH: only what was sent changes; names and descriptions
    per language; a new pack size resets the minimum order to one pack unless one is sent."""
    after = dict(before)
    sent = data.changes()
    for name, value in sent.items():
        if name == "names":
            after.update(names_patch(data.names, "names") if data.names else {})
        elif name == "descriptions":
            if data.descriptions is not None:  # the languages sent: a text sets, null removes
                sent_langs = data.descriptions.model_fields_set
                after.update({f"description_{lang}": getattr(data.descriptions, lang) for lang in sent_langs})
        elif name in _REQUIRED_ON_PATCH and value is None:
            raise field_error(name, "field_required")
        else:  # barcode, cost_price: null removes
            after[name] = value.value if isinstance(value, schemas.SaleUnit) else value
    mismatch = schemas.pack_mismatch(after["pack_size"], after["min_order_quantity"])
    if mismatch and "pack_size" in sent and "min_order_quantity" not in sent:
        after["min_order_quantity"] = after["pack_size"]
    elif mismatch:
        raise field_error("min_order_quantity", "moq_not_pack_multiple", pack_size=after["pack_size"])
    return after


def is_low(active: Any, stock: int, min_level: Any) -> bool:
    """The low-stock rule: an active product at or below its minimum level."""
    return bool(active) and stock <= int(min_level)


def low_stock_keys(active: Any, stock: int, min_level: Any, product_id: str) -> dict[str, str | None]:
    """The sparse low-stock index keys (None: not on the list)."""
    low = is_low(active, stock, min_level)
    return {
        "GSI3PK": keys.LOW_STOCK if low else None,
        "GSI3SK": keys.low_stock_sort(stock, product_id) if low else None,
    }


def is_low_stock(product: Product) -> bool:
    return is_low(product.is_active, int(product.stock_quantity), product.min_stock_level)


def line_problem(
    product: Product | None, quantity: int, price_seen: int | None = None
) -> tuple[str, str, dict[str, int] | None] | None:
    """Why `quantity` of `product` cannot be sold, as (field, code, params), or None; with
    `price_seen` (the unit price with VAT the shop saw), also when the price is no longer that.

    The field is `product_id`, `quantity` or `price_seen` (the part of the line the shop must fix)."""
    if product is None:
        return "product_id", "product_not_found", None
    if not product.is_active:
        return "product_id", "inactive_product", None
    pack, moq, stock = int(product.pack_size), int(product.min_order_quantity), int(product.stock_quantity)
    if quantity < moq:
        return "quantity", "below_min_order_quantity", {"min_order_quantity": moq}
    if quantity % pack:
        return "quantity", "not_pack_multiple", {"pack_size": pack}
    if quantity > stock:
        return "quantity", "out_of_stock", {"available": max(stock, 0)}
    base = int(product.base_price)
    now = price_with_vat(base, int(product.vat_rate))
    if price_seen is not None and price_seen != now:
        return "price_seen", "price_changed", {"price_seen": price_seen, "price_with_vat": now, "base_price": base}
    return None
