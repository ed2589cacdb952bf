"""Catalog rules: categories, products, stock, listings and search. No HTTP here.

Invariants held by DynamoDB itself:

* unique SKUs and barcodes (claim items created in the product's transaction);
* an active product lives in an active category, a category with active products or
  active subcategories cannot be deactivated (counters on the category, conditions on them);
* stock never below zero and an exact movement ledger (update conditioned on the value read);
* no lost update of a product or category (`version` sent by the client, checked by a condition).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pynamodb.exceptions import DoesNotExist
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action

from chalicelib.audit import service as audit
from chalicelib.catalog import index, schemas
from chalicelib.catalog.models import (
    BarcodeClaim,
    Category,
    DigestClaim,
    Product,
    SkuClaim,
    StockMovement,
    all_categories,
)
from chalicelib.catalog.search import LANGS
from chalicelib.catalog.text import sort_key
from chalicelib.core import clock, storage
from chalicelib.core.errors import BadRequest, Conflict, Forbidden, NotFound, field_conflict, field_error
from chalicelib.core.ids import new_id
from chalicelib.core.money import percent
from chalicelib.core.observability import count
from chalicelib.core.pagination import decode_cursor, encode_cursor
from chalicelib.core.rbac import Actor
from chalicelib.db import keys
from chalicelib.db.tx import Tx, TxCancelled, transaction
from chalicelib.db.updates import apply, conflict_from, set_actions, snapshot
from chalicelib.events import kinds, outbox

STOCK_RETRIES = 5

_CATEGORY_FIELDS = ("name_ar", "name_fr", "name_en", "position", "is_active")
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
_PRODUCT_KEYS = ("GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK", "GSI3PK", "GSI3SK")


def localized(values: dict[str, str | None], lang: str) -> tuple[str | None, str]:
    """The value in `lang`, else ar → fr → en; with the language actually used."""
    for candidate in (lang, *LANGS):
        value = values.get(candidate)
        if value:
            return value, candidate
    return None, lang


def price_with_vat(base_price: int, vat_rate: int) -> int:
    """Centimes with VAT, rounded half up to the centime (never a float)."""
    return base_price + percent(base_price, vat_rate)


# ============================================================================ categories


def _names(item: Category | Product) -> dict[str, str | None]:
    return {"ar": item.name_ar, "fr": item.name_fr, "en": item.name_en}


def get_category_item(category_id: str) -> Category:
    try:
        return Category.get(keys.CATALOG, keys.category(category_id), consistent_read=True)
    except DoesNotExist as exc:
        raise NotFound() from exc


def category_view(category: Category, lang: str, admin: bool) -> dict[str, Any]:
    name, used = localized(_names(category), lang)
    view: dict[str, Any] = {
        "category_id": category.category_id,
        "parent_id": category.parent_id,
        "name": name,
        "name_language": used,
        "position": int(category.position),
    }
    if admin:
        view.update(
            names=_names(category),
            is_active=category.is_active,
            product_count=int(category.product_count),
            child_count=int(category.child_count),
            version=int(category.version),
            updated_at=category.updated_at,
        )
    return view


def list_categories(actor: Actor, include_inactive: bool) -> list[Category]:
    """The category tree, flattened: each top-level category (by position) then its children.

    Retailers see active categories only; admins may ask for the deactivated ones too.
    """
    if include_inactive and not actor.is_admin:
        raise Forbidden()
    categories = [c for c in all_categories() if include_inactive or c.is_active]
    order = lambda c: (int(c.position), sort_key(c.name_ar), c.category_id)  # noqa: E731
    children: dict[str, list[Category]] = {}
    for category in categories:
        if category.parent_id:
            children.setdefault(category.parent_id, []).append(category)
    tree: list[Category] = []
    for top in sorted((c for c in categories if c.parent_id is None), key=order):
        tree.append(top)
        tree.extend(sorted(children.get(top.category_id, []), key=order))
    return tree


def create_category(actor: Actor, data: schemas.CategoryCreateIn) -> Category:
    categories = all_categories()
    siblings = [c for c in categories if c.parent_id == data.parent_id]
    parent: Category | None = None
    if data.parent_id:
        parent = next((c for c in categories if c.category_id == data.parent_id), None)
        if parent is None:
            raise field_error("parent_id", "category_not_found")
        if parent.parent_id:
            raise field_error("parent_id", "category_too_deep")
        if not parent.is_active:
            raise field_conflict("parent_id", "category_inactive")
    now = clock.iso()
    category_id = new_id()
    position = data.position if data.position is not None else max((int(c.position) for c in siblings), default=-1) + 1
    category = Category(
        PK=keys.CATALOG,
        SK=keys.category(category_id),
        category_id=category_id,
        parent_id=data.parent_id,
        name_ar=data.names.ar,
        name_fr=data.names.fr,
        name_en=data.names.en,
        position=position,
        is_active=True,
        product_count=0,
        child_count=0,
        created_at=now,
        updated_at=now,
        version=1,
    )
    try:
        with transaction() as tx:
            tx.create(category, label="category")
            if parent is not None:
                tx.update(
                    parent,
                    [Category.child_count.add(1)],
                    condition=Category.is_active == True,  # noqa: E712
                    label="parent",
                )
            audit.record(
                tx, actor, "category.created", "category", category_id, after=snapshot(category, _CATEGORY_FIELDS)
            )
    except TxCancelled as exc:
        raise conflict_from(exc, {"parent": ("category_inactive", "parent_id")}) from exc
    count("CategoryCreated")
    return category


def update_category(actor: Actor, category_id: str, data: schemas.CategoryPatchIn) -> Category:
    """Rename, move among siblings, (de)activate — with the version the client read."""
    category = get_category_item(category_id)
    _check_version(category, data.version)
    before = snapshot(category, _CATEGORY_FIELDS)
    after = dict(before)
    if data.names is not None:
        after.update(_names_patch(data.names, "names"))
    if data.position is not None:
        after["position"] = data.position
    if data.is_active is not None:
        after["is_active"] = data.is_active
    if after == before:
        return category

    now = clock.iso()
    actions = [*set_actions(Category, before, after), Category.updated_at.set(now), Category.version.add(1)]
    condition = Category.version == category.version
    parent = None
    if after["is_active"] != before["is_active"]:
        if not after["is_active"]:
            # only an empty category may be switched off: the counters say so, atomically
            condition &= (Category.product_count == 0) & (Category.child_count == 0)
        if category.parent_id:
            parent = get_category_item(category.parent_id)
    try:
        with transaction() as tx:
            tx.update(category, actions, condition=condition, label="category")
            if parent is not None:
                delta = 1 if after["is_active"] else -1
                parent_condition = (Category.is_active == True) if delta > 0 else None  # noqa: E712
                tx.update(parent, [Category.child_count.add(delta)], condition=parent_condition, label="parent")
            audit.record(tx, actor, "category.updated", "category", category_id, before=before, after=after)
    except TxCancelled as exc:
        raise _category_conflict(exc, category_id) from exc
    apply(category, {**after, "updated_at": now, "version": int(category.version) + 1})
    return category


def _category_conflict(exc: TxCancelled, category_id: str) -> Conflict:
    if "parent" in exc.failed:
        return field_conflict("parent_id", "category_inactive")
    current = get_category_item(category_id)
    if "category" in exc.failed and (current.product_count or current.child_count):
        return Conflict(
            "category_not_empty",
            params={"products": int(current.product_count), "children": int(current.child_count)},
        )
    return Conflict("version_conflict", params={"current": int(current.version)})


def reorder_categories(actor: Actor, parent_id: str | None, category_ids: list[str]) -> list[Category]:
    """Set the order of one parent's children (or of the top level) in one transaction."""
    siblings = {c.category_id: c for c in all_categories() if c.parent_id == parent_id}
    if len(set(category_ids)) != len(category_ids) or set(category_ids) != set(siblings):
        raise field_error("category_ids", "category_order_mismatch")
    now = clock.iso()
    changed = []
    with transaction() as tx:
        for position, category_id in enumerate(category_ids):
            category = siblings[category_id]
            if int(category.position) == position:
                continue
            tx.update(
                category,
                [Category.position.set(position), Category.updated_at.set(now), Category.version.add(1)],
                condition=Category.parent_id == parent_id if parent_id else Category.parent_id.does_not_exist(),
                label=category_id,
            )
            changed.append((category, position))
        if changed:
            audit.record(
                tx,
                actor,
                "category.reordered",
                "category",
                parent_id or "root",
                metadata={"order": category_ids},
            )
    for category, position in changed:
        apply(category, {"position": position, "updated_at": now, "version": int(category.version) + 1})
    return [siblings[c] for c in category_ids]


def _check_version(item: Category | Product, expected: int) -> None:
    if int(item.version) != expected:
        raise Conflict("version_conflict", params={"current": int(item.version)})


def _names_patch(names: schemas.NamesPatch, field: str) -> dict[str, str | None]:
    """The name_* fields a partial names object sets or removes (Arabic cannot be removed)."""
    sent = names.model_fields_set
    if "ar" in sent and names.ar is None:
        raise field_error(f"{field}.ar", "field_required")
    return {f"name_{lang}": getattr(names, lang) for lang in sent}


# ============================================================================ products


def get_product_item(product_id: str) -> Product:
    try:
        return Product.get(keys.product(product_id), keys.PROFILE, consistent_read=True)
    except DoesNotExist as exc:
        raise NotFound() from exc


def _is_low(active: Any, stock: int, min_level: Any) -> bool:
    """The low-stock rule: an active product at or below its minimum level."""
    return bool(active) and stock <= int(min_level)


def is_low_stock(product: Product) -> bool:
    return _is_low(product.is_active, int(product.stock_quantity), product.min_stock_level)


def _low_stock_keys(active: Any, stock: int, min_level: Any, product_id: str) -> dict[str, str | None]:
    """The sparse low-stock index keys (None: not on the list)."""
    low = _is_low(active, stock, min_level)
    return {
        "GSI3PK": keys.LOW_STOCK if low else None,
        "GSI3SK": keys.low_stock_sort(stock, product_id) if low else None,
    }


def _derived_keys(values: dict[str, Any], product_id: str, stock: int) -> dict[str, Any]:
    """Listing and low-stock index keys for a product with these field values."""
    active = bool(values["is_active"])
    name = keys.product_name_sort(sort_key(values["name_ar"]), product_id)
    return {
        "GSI1PK": keys.products_in_category(values["category_id"], active),
        "GSI1SK": name,
        "GSI2PK": keys.products_under_top(values["top_category_id"], active),
        "GSI2SK": name,
        **_low_stock_keys(active, stock, values["min_stock_level"], product_id),
    }


def _category_for_product(category_id: str, field: str = "category_id") -> Category:
    try:
        return Category.get(keys.CATALOG, keys.category(category_id), consistent_read=True)
    except DoesNotExist as exc:
        raise field_error(field, "category_not_found") from exc


def _count_in(tx: Tx, category: Category, delta: int) -> None:
    """Move a category's active-product counter; adding requires the category to be active."""
    condition = (Category.is_active == True) if delta > 0 else None  # noqa: E712
    tx.update(category, [Category.product_count.add(delta)], condition=condition, label="category")


_PRODUCT_CONFLICTS = {
    "sku": ("sku_taken", "sku"),
    "barcode": ("barcode_taken", "barcode"),
    "category": ("category_inactive", "category_id"),
}


def create_product(actor: Actor, data: schemas.ProductCreateIn) -> Product:
    category = _category_for_product(data.category_id)
    if data.is_active and not category.is_active:
        raise field_conflict("category_id", "category_inactive")
    now = clock.iso()
    product_id = new_id()
    descriptions = data.descriptions or schemas.Descriptions()
    values: dict[str, Any] = {
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
    derived = {k: v for k, v in _derived_keys(values, product_id, data.stock_quantity).items() if v is not None}
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
            tx.create(SkuClaim(PK=keys.sku(data.sku), SK=keys.SKU_SK, product_id=product_id), label="sku")
            if data.barcode:
                claim = BarcodeClaim(PK=keys.barcode(data.barcode), SK=keys.BARCODE_SK, product_id=product_id)
                tx.create(claim, label="barcode")
            if data.is_active:
                _count_in(tx, category, +1)
            if data.stock_quantity:
                tx.put(
                    movement_item(product, data.stock_quantity, data.stock_quantity, "initial stock", "initial", actor)
                )
            tx.put(index.change_item(index.product_doc(product)), label="search")
            audit.record(
                tx,
                actor,
                "product.created",
                "product",
                product_id,
                after={**values, "stock_quantity": data.stock_quantity},
            )
    except TxCancelled as exc:
        raise conflict_from(exc, _PRODUCT_CONFLICTS) from exc
    count("ProductCreated")
    return product


def update_product(actor: Actor, product_id: str, data: schemas.ProductPatchIn) -> Product:
    """Edit a product with the version the client read; SKU/barcode claims and category
    counters move in the same transaction."""
    product = get_product_item(product_id)
    _check_version(product, data.version)
    before = snapshot(product, _PRODUCT_FIELDS)
    after = dict(before)
    sent = data.changes()
    for name, value in sent.items():
        if name == "names":
            after.update(_names_patch(data.names, "names") if data.names else {})
        elif name == "descriptions":
            if data.descriptions is not None:  # the languages sent: a text sets, null removes
                sent_langs = data.descriptions.model_fields_set
                after.update({f"description_{lang}": getattr(data.descriptions, lang) for lang in sent_langs})
        elif name in ("sku", "category_id", "sale_unit", "pack_size", "base_price", "vat_rate", "min_stock_level"):
            if value is None:
                raise field_error(name, "field_required")
            after[name] = value.value if isinstance(value, schemas.SaleUnit) else value
        elif name in ("is_active", "min_order_quantity"):
            if value is None:
                raise field_error(name, "field_required")
            after[name] = value
        else:  # barcode, cost_price: null removes
            after[name] = value
    mismatch = schemas.pack_mismatch(after["pack_size"], after["min_order_quantity"])
    if mismatch and "pack_size" in sent and "min_order_quantity" not in sent:
        after["min_order_quantity"] = after["pack_size"]  # a new pack size resets the minimum to one pack
    elif mismatch:
        raise field_error("min_order_quantity", "moq_not_pack_multiple", pack_size=after["pack_size"])

    old_category = new_category = None
    if after["category_id"] != before["category_id"]:
        new_category = _category_for_product(after["category_id"])
        after["top_category_id"] = new_category.parent_id or new_category.category_id
    was_counted = bool(before["is_active"])
    now_counted = bool(after["is_active"])
    if new_category is not None or was_counted != now_counted:
        old_category = get_category_item(before["category_id"])
        new_category = new_category or old_category
        if now_counted and not new_category.is_active:
            raise field_conflict("category_id", "category_inactive")
    if after == before:
        return product

    now = clock.iso()
    stock = int(product.stock_quantity)
    old_keys = snapshot(product, _PRODUCT_KEYS)
    new_keys = _derived_keys(after, product_id, stock)
    actions = [
        *set_actions(Product, before, after),
        *set_actions(Product, old_keys, new_keys),
        Product.updated_at.set(now),
        Product.version.add(1),
    ]
    try:
        with transaction() as tx:
            tx.update(product, actions, condition=Product.version == product.version, label="product")
            if after["sku"] != before["sku"]:
                tx.delete(SkuClaim(PK=keys.sku(before["sku"]), SK=keys.SKU_SK), SkuClaim.product_id == product_id)
                tx.create(SkuClaim(PK=keys.sku(after["sku"]), SK=keys.SKU_SK, product_id=product_id), label="sku")
            if after["barcode"] != before["barcode"]:
                if before["barcode"]:
                    old = BarcodeClaim(PK=keys.barcode(before["barcode"]), SK=keys.BARCODE_SK)
                    tx.delete(old, BarcodeClaim.product_id == product_id)
                if after["barcode"]:
                    claim = BarcodeClaim(PK=keys.barcode(after["barcode"]), SK=keys.BARCODE_SK, product_id=product_id)
                    tx.create(claim, label="barcode")
            if old_category is not None and new_category is not None:
                if old_category.category_id == new_category.category_id:
                    _count_in(tx, new_category, int(now_counted) - int(was_counted))
                else:
                    if was_counted:
                        _count_in(tx, old_category, -1)
                    if now_counted:
                        _count_in(tx, new_category, +1)
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
    name, used = localized(_names(product), lang)
    descriptions = {"ar": product.description_ar, "fr": product.description_fr, "en": product.description_en}
    images = product.images or []
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
        "thumbnail_url": storage.public_url(images[0].thumbnail_key) if images else None,
        "is_active": bool(product.is_active),
        "version": int(product.version),
    }
    if detail:
        view["description"] = localized(descriptions, used)[0]
        view["images"] = image_views(product)
    if admin:
        view.update(
            names=_names(product),
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
    name, used = localized(_names(product), lang)
    return {
        "product_id": product.product_id,
        "sku": product.sku,
        "name": name or "",
        "name_language": used,
        "category_id": product.category_id,
        "stock_quantity": int(product.stock_quantity),
        "min_stock_level": int(product.min_stock_level),
    }


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
    fetched = {p.product_id: p for p in Product.batch_get([(keys.product(pid), keys.PROFILE) for pid in page_ids])}
    # the index picks the ids; the table has the truth (the active flag may have just changed)
    products = [fetched[pid] for pid in page_ids if pid in fetched and bool(fetched[pid].is_active) == active]
    more = offset + limit < len(ids)
    return ProductPage(products, encode_cursor({"offset": offset + limit}, scope) if more else None)


# ============================================================================ stock


def movement_item(
    product: Product,
    delta: int,
    balance_after: int | None,
    reason: str,
    source: str,
    actor: Actor,
    reference: str | None = None,
) -> StockMovement:
    """One line of the stock ledger (orders add theirs in their own transaction)."""
    ts = clock.iso()
    movement_id = new_id()
    return StockMovement(
        PK=keys.product(product.product_id),
        SK=keys.stock_movement(ts, movement_id),
        movement_id=movement_id,
        product_id=product.product_id,
        delta=delta,
        balance_after=balance_after,
        reason=reason,
        source=source,
        reference=reference,
        actor_id=actor.user_id,
        actor_username=actor.username,
        ts=ts,
    )


def stock_update(product: Product, delta: int) -> tuple[list[Action], Condition, int]:
    """Actions and condition moving `product`'s stock by `delta` from the value read.

    The condition pins the value read, so the balance written (and the low-stock key) is
    exact; a concurrent move makes the transaction fail and the caller re-reads and retries.
    """
    stock = int(product.stock_quantity)
    new_stock = stock + delta
    old_keys = snapshot(product, ("GSI3PK", "GSI3SK"))
    new_keys = _low_stock_keys(product.is_active, new_stock, product.min_stock_level, product.product_id)
    actions = [Product.stock_quantity.set(new_stock), *set_actions(Product, old_keys, new_keys)]
    return actions, Product.stock_quantity == stock, new_stock


def stock_move(product: Product, delta: int) -> tuple[list[Action], Condition]:
    """Actions and condition moving stock by `delta` with an atomic ADD, for orders.

    Concurrent orders on one product must not retry each other out (a promotion at opening
    time), so unlike `stock_update` this does not pin the value read: DynamoDB adds `delta`
    itself and the condition only guards the invariants — never below zero, and the product
    is on the low-stock index exactly when it ends at or below its minimum (the condition
    fails if a concurrent move crosses that line, and the caller reads again). The resulting
    balance is not known inside the transaction, so these moves' ledger lines carry none, and
    the low-stock sort key holds the value estimated from the read.
    """
    read = int(product.stock_quantity)
    estimate = read + delta
    low = _is_low(product.is_active, estimate, product.min_stock_level)
    condition = Product.stock_quantity >= max(-delta, 0)
    if delta < 0:
        condition &= Product.is_active == True  # noqa: E712 - a DynamoDB condition, not a Python test
    if product.is_active:
        threshold = int(product.min_stock_level) - delta  # stock at which the new value is exactly the minimum
        condition &= (Product.stock_quantity <= threshold) if low else (Product.stock_quantity > threshold)
    old_keys = snapshot(product, ("GSI3PK", "GSI3SK"))
    new_keys = _low_stock_keys(product.is_active, estimate, product.min_stock_level, product.product_id)
    return [Product.stock_quantity.add(delta), *set_actions(Product, old_keys, new_keys)], condition


def adjust_stock(actor: Actor, product_id: str, delta: int, reason: str) -> tuple[Product, StockMovement]:
    """Add or remove stock by hand (delivery received, breakage, inventory count); audited."""
    for _ in range(STOCK_RETRIES):
        product = get_product_item(product_id)
        stock = int(product.stock_quantity)
        if stock + delta < 0:
            raise field_conflict("delta", "insufficient_stock", available=stock)
        actions, condition, new_stock = stock_update(product, delta)
        movement = movement_item(product, delta, new_stock, reason, "adjustment", actor)
        try:
            with transaction() as tx:
                tx.update(product, actions, condition=condition, label="stock")
                tx.put(movement, label="movement")
                audit.record(
                    tx,
                    actor,
                    "product.stock_adjusted",
                    "product",
                    product_id,
                    before={"stock_quantity": stock},
                    after={"stock_quantity": new_stock},
                    metadata={"delta": delta, "reason": reason, "movement_id": movement.movement_id},
                )
        except TxCancelled as exc:
            if "stock" in exc.failed:
                continue  # someone moved the stock since we read it: read again
            raise
        product.stock_quantity = new_stock
        count("StockAdjusted")
        return product, movement
    raise Conflict("stock_busy")


def list_movements(product_id: str, cursor: str | None, limit: int) -> tuple[list[StockMovement], str | None]:
    get_product_item(product_id)
    scope = f"stock|{product_id}"
    result = StockMovement.query(
        keys.product(product_id),
        StockMovement.SK.startswith(keys.STOCK_PREFIX),
        scan_index_forward=False,
        limit=limit,
        last_evaluated_key=decode_cursor(cursor, scope),
    )
    items = list(result)[:limit]
    return items, encode_cursor(result.last_evaluated_key, scope)


def list_low_stock(cursor: str | None, limit: int) -> tuple[list[Product], str | None]:
    """Active products at or below their minimum stock level, emptiest first (sparse GSI3)."""
    scope = "lowstock"
    result = Product.gsi3.query(keys.LOW_STOCK, limit=limit, last_evaluated_key=decode_cursor(cursor, scope))
    items = list(result)[:limit]
    return items, encode_cursor(result.last_evaluated_key, scope)


DIGEST_NAMES = 5


def low_stock_digest() -> bool:
    """The morning digest for the staff: how many products are at or below their minimum and
    the emptiest few. Once a day (a claim in the outbox event's transaction); False if there
    is nothing low or it was sent already."""
    items, _ = list_low_stock(None, 100)
    if not items:
        return False
    names = ", ".join(
        f"{p.name_fr or p.name_ar} ({int(p.stock_quantity)})" for p in items[:DIGEST_NAMES]
    )  # emptiest first
    day = clock.local_date()
    try:
        with transaction() as tx:
            tx.create(
                DigestClaim(PK=keys.low_stock_digest(day), SK=keys.LOW_STOCK, created_at=clock.iso()), label="claim"
            )
            more = f" (+{len(items) - DIGEST_NAMES})" if len(items) > DIGEST_NAMES else ""
            outbox.record(tx, kinds.low_stock_digest(count=len(items), names=names + more))
    except TxCancelled as exc:
        if "claim" in exc.failed:
            return False
        raise
    return True
