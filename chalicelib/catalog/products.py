"""Products: create (SKU and barcode claims), edit (versioned, audited), read, list by
category or by search."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chalicelib.audit import service as audit
from chalicelib.catalog import index, schemas
from chalicelib.catalog.items import get_category_item, get_product_item
from chalicelib.catalog.models import (
    BarcodeClaim,
    Category,
    Product,
    SkuClaim,
)
from chalicelib.catalog.rules import check_version, low_stock_keys, patched
from chalicelib.catalog.stock import movement_item
from chalicelib.catalog.text import sort_key
from chalicelib.core import clock
from chalicelib.core.errors import BadRequest, Conflict, Forbidden, NotFound, field_conflict, field_error
from chalicelib.core.ids import new_id
from chalicelib.core.observability import count
from chalicelib.core.pagination import decode_cursor, encode_cursor
from chalicelib.core.rbac import Actor
from chalicelib.db import keys
from chalicelib.db.base import read_many, read_one
from chalicelib.db.tx import Tx, TxCancelled, transaction
from chalicelib.db.updates import apply, conflict_from, set_actions, snapshot

_PRODUCT_FIELDS = (
    "sku",
    "barcode",
    "category_id",
    "top_category_id",
    "name_ar",
    "name_fr",
    "name_en",
    "description_ar",
    "description_fr",
    "description_en",
    "sale_unit",
    "pack_size",
    "min_order_quantity",
    "base_price",
    "cost_price",
    "vat_rate",
    "min_stock_level",
    "is_active",
)


# derived keys: which listing a product appears in, and the sparse low-stock index
PRODUCT_KEYS = ("GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK", "GSI3PK", "GSI3SK", "GSI4PK", "GSI4SK")


def _derived_keys(values: dict[str, Any], product_id: str, stock: int, now: str) -> dict[str, Any]:
    """Listing, low-stock and change index keys for a product with these field values."""
    active = bool(values["is_active"])
    name = keys.product_name_sort(sort_key(values["name_ar"]), product_id)
    return {
        "GSI1PK": keys.products_in_category(values["category_id"], active),
        "GSI1SK": name,
        "GSI2PK": keys.products_under_top(values["top_category_id"], active),
        "GSI2SK": name,
        **low_stock_keys(active, stock, values["min_stock_level"], product_id),
        "GSI4PK": keys.CATALOG_CHANGES,
        "GSI4SK": keys.catalog_change(now, product_id),
    }


def category_for_product(category_id: str, field: str = "category_id") -> Category:
    item = read_one(Category, (keys.CATALOG, keys.category(category_id)))
    if item is None:
        raise field_error(field, "category_not_found")
    return item


def count_in(tx: Tx, category: Category, delta: int) -> None:
    """Move a category's active-product counter; adding requires the category to be active."""
    condition = (Category.is_active == True) if delta > 0 else None  # noqa: E712
    tx.update(category, [Category.product_count.add(delta)], condition=condition, label="category")


_PRODUCT_CONFLICTS = {
    "sku": ("sku_taken", "sku"),
    "barcode": ("barcode_taken", "barcode"),
    "category": ("category_inactive", "category_id"),
}


def _created_values(data: schemas.ProductCreateIn, category: Category) -> dict[str, Any]:
    descriptions = data.descriptions or schemas.Descriptions()
    return {
        "sku": data.sku,
        "barcode": data.barcode,
        "category_id": category.category_id,
        "top_category_id": category.parent_id or category.category_id,
        "name_ar": data.names.ar,
        "name_fr": data.names.fr,
        "name_en": data.names.en,
        "description_ar": descriptions.ar,
        "description_fr": descriptions.fr,
        "description_en": descriptions.en,
        "sale_unit": data.sale_unit.value,
        "pack_size": data.pack_size,
        "min_order_quantity": data.min_order_quantity or data.pack_size,
        "base_price": data.base_price,
        "cost_price": data.cost_price,
        "vat_rate": data.vat_rate,
        "min_stock_level": data.min_stock_level,
        "is_active": data.is_active,
    }


def create_product(actor: Actor, data: schemas.ProductCreateIn) -> Product:
    category = category_for_product(data.category_id)
    if data.is_active and not category.is_active:
        raise field_conflict("category_id", "category_inactive")
    now = clock.iso()
    product_id = new_id()
    values = _created_values(data, category)
    derived = {k: v for k, v in _derived_keys(values, product_id, data.stock_quantity, now).items() if v is not None}
    product = Product(
        PK=keys.product(product_id),
        SK=keys.PROFILE,
        product_id=product_id,
        stock_quantity=data.stock_quantity,
        images=[],
        image_count=0,
        created_at=now,
        updated_at=now,
        created_by=actor.user_id,
        version=1,
        **derived,
        **{k: v for k, v in values.items() if v is not None},
    )
    try:
        with transaction() as tx:
            tx.create(product, label="product")
            _move_claims(tx, product_id, {}, values)
            if data.is_active:
                count_in(tx, category, +1)
            if data.stock_quantity:
                tx.put(
                    movement_item(product, data.stock_quantity, data.stock_quantity, "initial stock", "initial", actor)
                )
            tx.put(index.change_item(index.product_doc(product)), label="search")
            after = {**values, "stock_quantity": data.stock_quantity}
            audit.record(tx, actor, "product.created", "product", product_id, after=after)
    except TxCancelled as exc:
        raise conflict_from(exc, _PRODUCT_CONFLICTS) from exc
    count("ProductCreated")
    return product


def _move_claims(tx: Tx, product_id: str, before: dict[str, Any], after: dict[str, Any]) -> None:
    """A changed SKU or barcode: the old claim released, the new one taken (unique)."""
    for field, claim_of, sk in (("sku", SkuClaim, keys.SKU_SK), ("barcode", BarcodeClaim, keys.BARCODE_SK)):
        old, new = before.get(field), after.get(field)
        if old == new:
            continue
        key_of = keys.sku if field == "sku" else keys.barcode
        if old:
            tx.delete(claim_of(PK=key_of(old), SK=sk), claim_of.product_id == product_id)
        if new:
            tx.create(claim_of(PK=key_of(new), SK=sk, product_id=product_id), label=field)


def _categories(before: dict[str, Any], after: dict[str, Any]) -> tuple[Category | None, Category | None]:
    """The categories whose product counts move (the old and the new one), refusing an active
    product in an inactive category; (None, None) when no count moves. A new category also
    sets `after`'s top category."""
    new_category = None
    if after["category_id"] != before["category_id"]:
        new_category = category_for_product(after["category_id"])
        after["top_category_id"] = new_category.parent_id or new_category.category_id
    if new_category is None and bool(before["is_active"]) == bool(after["is_active"]):
        return None, None
    old_category = get_category_item(before["category_id"])
    new_category = new_category or old_category
    if after["is_active"] and not new_category.is_active:
        raise field_conflict("category_id", "category_inactive")
    return old_category, new_category


def _recount(tx: Tx, old: Category, new: Category, was_counted: bool, now_counted: bool) -> None:
    if old.category_id == new.category_id:
        count_in(tx, new, int(now_counted) - int(was_counted))
        return
    if was_counted:
        count_in(tx, old, -1)
    if now_counted:
        count_in(tx, new, +1)


def update_product(actor: Actor, product_id: str, data: schemas.ProductPatchIn) -> Product:
    """Edit a product with the version the client read; SKU/barcode claims and category
    counters move in the same transaction."""
    product = get_product_item(product_id)
    check_version(product, data.version)
    before = snapshot(product, _PRODUCT_FIELDS)
    after = patched(before, data)
    old_category, new_category = _categories(before, after)
    if after == before:
        return product
    now = clock.iso()
    old_keys = snapshot(product, PRODUCT_KEYS)
    new_keys = _derived_keys(after, product_id, int(product.stock_quantity), now)
    actions = [
        *set_actions(Product, before, after),
        *set_actions(Product, old_keys, new_keys),
        Product.updated_at.set(now),
        Product.version.add(1),
    ]
    try:
        with transaction() as tx:
            tx.update(product, actions, condition=Product.version == product.version, label="product")
            _move_claims(tx, product_id, before, after)
            if old_category is not None and new_category is not None:
                _recount(tx, old_category, new_category, bool(before["is_active"]), bool(after["is_active"]))
            doc = index.doc_of(product_id, after, int(product.version) + 1)
            tx.put(index.change_item(doc), label="search")
            audit.record(tx, actor, "product.updated", "product", product_id, before=before, after=after)
    except TxCancelled as exc:
        if "product" in exc.failed:
            raise Conflict("version_conflict", params={"current": int(get_product_item(product_id).version)}) from exc
        raise conflict_from(exc, _PRODUCT_CONFLICTS) from exc
    apply(product, {**after, **new_keys, "updated_at": now, "version": int(product.version) + 1})
    return product


def view_product(actor: Actor, product_id: str) -> Product:
    """A product as its caller may see it: retailers and drivers never see an inactive one."""
    product = get_product_item(product_id)
    if not product.is_active and not actor.is_admin:
        raise NotFound()
    return product


@dataclass(frozen=True)
class ProductPage:
    products: list[Product]
    next_cursor: str | None


def list_products(actor: Actor, query: schemas.ProductListQuery, lang: str) -> ProductPage:
    """Search (`q`), browse a category (a GSI, by Arabic name), or browse everything (the index)."""
    active = True if query.active is None else query.active
    if not active and not actor.is_admin:
        raise Forbidden()
    if query.category and not query.q:
        return _list_category(actor, query.category, active, query.cursor, query.limit)
    if query.category:
        category = get_category_item(query.category)
        if not category.is_active and not actor.is_admin:
            raise NotFound()
    return _search(query.q or "", query.category, active, lang, query.cursor, query.limit)


def _list_category(actor: Actor, category_id: str, active: bool, cursor: str | None, limit: int) -> ProductPage:
    category = get_category_item(category_id)
    if not category.is_active and not actor.is_admin:
        raise NotFound()
    if category.parent_id is None:  # a top-level category lists its subcategories' products too
        hash_key, index_ = keys.products_under_top(category_id, active), Product.gsi2
    else:
        hash_key, index_ = keys.products_in_category(category_id, active), Product.gsi1
    scope = f"products|{hash_key}"
    result = index_.query(hash_key, limit=limit, last_evaluated_key=decode_cursor(cursor, scope))
    products = list(result)[:limit]
    return ProductPage(products, encode_cursor(result.last_evaluated_key, scope))


def _search(q: str, category_id: str | None, active: bool, lang: str, cursor: str | None, limit: int) -> ProductPage:
    scope = f"search|{q}|{category_id}|{active}|{lang}"
    position = decode_cursor(cursor, scope) or {"offset": 0}
    offset = position.get("offset")
    if not isinstance(offset, int) or offset < 0:
        raise BadRequest("invalid_cursor")
    ids = index.warm_index().search(q, lang, category_id=category_id, active=active)
    page_ids = ids[offset : offset + limit]
    found = read_many([(keys.product(pid), keys.PROFILE) for pid in page_ids])
    fetched = {p.product_id: p for p in found.values() if isinstance(p, Product)}
    # the index picks the ids; the table has the truth (the active flag may have just changed)
    products = [fetched[pid] for pid in page_ids if pid in fetched and bool(fetched[pid].is_active) == active]
    more = offset + limit < len(ids)
    return ProductPage(products, encode_cursor({"offset": offset + limit}, scope) if more else None)
