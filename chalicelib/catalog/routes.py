"""Catalog HTTP routes: categories, products, search, stock, images."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint

from chalicelib.core import lazy
from chalicelib.core.rbac import ALL_ROLES, Actor, RequestInfo, Role
from chalicelib.core.routes import Page, endpoint

if TYPE_CHECKING:
    from pydantic import BaseModel

    from chalicelib.catalog import categories, images, products, rules, schemas, stock, sync, views
    from chalicelib.core import schemas as core_schemas
else:
    core_schemas = lazy.module("chalicelib.core.schemas")
    categories = lazy.module("chalicelib.catalog.categories")
    images = lazy.module("chalicelib.catalog.images")
    products = lazy.module("chalicelib.catalog.products")
    rules = lazy.module("chalicelib.catalog.rules")
    schemas = lazy.module("chalicelib.catalog.schemas")
    stock = lazy.module("chalicelib.catalog.stock")
    sync = lazy.module("chalicelib.catalog.sync")
    views = lazy.module("chalicelib.catalog.views")


bp = Blueprint(__name__)

ADMIN = (Role.ADMIN,)


def _out(model: type[BaseModel], view: dict[str, Any]) -> dict[str, Any]:
    """Check a view against its documented model; fields the caller may not see stay absent."""
    out: dict[str, Any] = model.model_validate(view).model_dump(mode="json", exclude_unset=True)
    return out


def _category(actor: Actor, category: Any, lang: str) -> dict[str, Any]:
    return _out(schemas.CategoryOut, views.category_view(category, lang, actor.is_admin))


def _product(actor: Actor, product: Any, lang: str) -> dict[str, Any]:
    return _out(schemas.ProductOut, views.product_view(product, lang, actor.is_admin))


# ------------------------------------------------------------------ categories


@endpoint(
    bp,
    "/v1/categories",
    "GET",
    roles=ALL_ROLES,
    summary="The category tree, flattened: each top-level category then its subcategories",
    tag="catalog",
    response=lambda: schemas.CategoryOut,
    is_list=True,
)
def list_categories(actor: Actor, query: schemas.CategoryListQuery, info: RequestInfo) -> Page:
    tree = categories.list_categories(actor, query.include_inactive)
    return Page([_category(actor, c, info.lang) for c in tree])


@endpoint(
    bp,
    "/v1/categories",
    "POST",
    roles=ADMIN,
    summary="Create a category (optionally under a top-level one)",
    tag="catalog",
    response=lambda: schemas.CategoryOut,
    status=201,
    errors=(409,),
)
def create_category(actor: Actor, body: schemas.CategoryCreateIn, info: RequestInfo) -> dict[str, Any]:
    return _category(actor, categories.create_category(actor, body), info.lang)


@endpoint(
    bp,
    "/v1/categories/reorder",
    "POST",
    roles=ADMIN,
    summary="Set the order of a parent's subcategories (or of the top level)",
    tag="catalog",
    response=lambda: schemas.CategoryOut,
    is_list=True,
    errors=(409,),
)
def reorder_categories(actor: Actor, body: schemas.CategoryReorderIn, info: RequestInfo) -> Page:
    ordered = categories.reorder_categories(actor, body.parent_id, body.category_ids)
    return Page([_category(actor, c, info.lang) for c in ordered])


@endpoint(
    bp,
    "/v1/categories/{category_id}",
    "PATCH",
    roles=ADMIN,
    summary="Rename, move or (de)activate a category, with the version read",
    tag="catalog",
    response=lambda: schemas.CategoryOut,
    errors=(409,),
)
def update_category(actor: Actor, category_id: str, body: schemas.CategoryPatchIn, info: RequestInfo) -> dict[str, Any]:
    return _category(actor, categories.update_category(actor, category_id, body), info.lang)


# ------------------------------------------------------------------ products


@endpoint(
    bp,
    "/v1/products",
    "GET",
    roles=ALL_ROLES,
    summary="Search (q), browse a category, or browse the whole catalog",
    tag="catalog",
    response=lambda: schemas.ProductSummaryOut,
    is_list=True,
)
def list_products(actor: Actor, query: schemas.ProductListQuery, info: RequestInfo) -> Page:
    page = products.list_products(actor, query, info.lang)
    items = [
        _out(schemas.ProductSummaryOut, views.product_view(p, info.lang, actor.is_admin, detail=False))
        for p in page.products
    ]
    return Page(items, page.next_cursor)


@endpoint(
    bp,
    "/v1/catalog/changes",
    "GET",
    roles=ALL_ROLES,
    summary="Products changed since a cursor (price, stock, names, images, removed): keep an offline copy current",
    tag="catalog",
    response=lambda: schemas.ProductChangeOut,
    is_list=True,
)
def catalog_changes(actor: Actor, query: schemas.CatalogChangesQuery, info: RequestInfo) -> Page:
    found = sync.catalog_changes(query.after, query.limit)
    items = []
    for product in found.products:
        removed = not product.is_active and not actor.is_admin
        summary = None if removed else views.product_view(product, info.lang, actor.is_admin, detail=False)
        items.append(
            {
                "product_id": product.product_id,
                "updated_at": product.updated_at,
                "removed": removed,
                "product": None if summary is None else _out(schemas.ProductSummaryOut, summary),
            }
        )
    return Page(items, found.cursor)


@endpoint(
    bp,
    "/v1/products",
    "POST",
    roles=ADMIN,
    summary="Create a product",
    tag="catalog",
    response=lambda: schemas.ProductOut,
    status=201,
    errors=(409,),
)
def create_product(actor: Actor, body: schemas.ProductCreateIn, info: RequestInfo) -> dict[str, Any]:
    return _product(actor, products.create_product(actor, body), info.lang)


@endpoint(
    bp,
    "/v1/products/{product_id}",
    "GET",
    roles=ALL_ROLES,
    summary="One product",
    tag="catalog",
    response=lambda: schemas.ProductOut,
)
def get_product(actor: Actor, product_id: str, info: RequestInfo) -> dict[str, Any]:
    return _product(actor, products.view_product(actor, product_id), info.lang)


@endpoint(
    bp,
    "/v1/products/{product_id}",
    "PATCH",
    roles=ADMIN,
    summary="Edit a product, with the version read (stale → 409)",
    tag="catalog",
    response=lambda: schemas.ProductOut,
    errors=(409,),
)
def update_product(actor: Actor, product_id: str, body: schemas.ProductPatchIn, info: RequestInfo) -> dict[str, Any]:
    return _product(actor, products.update_product(actor, product_id, body), info.lang)


# ------------------------------------------------------------------ stock


@endpoint(
    bp,
    "/v1/products/{product_id}/stock",
    "POST",
    roles=ADMIN,
    summary="Add or remove stock (never below zero); recorded in the ledger and the audit log",
    tag="stock",
    response=lambda: schemas.StockOut,
    errors=(409,),
)
def adjust_stock(actor: Actor, product_id: str, body: schemas.StockIn) -> schemas.StockOut:
    product, movement = stock.adjust_stock(actor, product_id, body.delta, body.reason)
    return schemas.StockOut(
        product_id=product_id,
        stock_quantity=int(product.stock_quantity),
        low_stock=rules.is_low_stock(product),
        movement_id=movement.movement_id,
    )


@endpoint(
    bp,
    "/v1/products/{product_id}/stock",
    "GET",
    roles=ADMIN,
    summary="Stock movements of a product, newest first",
    tag="stock",
    response=lambda: schemas.StockMovementOut,
    is_list=True,
)
def list_movements(actor: Actor, product_id: str, query: core_schemas.PageQuery) -> Page:
    items, cursor = stock.list_movements(product_id, query.cursor, query.limit)
    return Page([schemas.StockMovementOut.model_validate(m, from_attributes=True) for m in items], cursor)


@endpoint(
    bp,
    "/v1/admin/low-stock",
    "GET",
    roles=ADMIN,
    summary="Active products at or below their minimum stock level, emptiest first",
    tag="stock",
    response=lambda: schemas.LowStockOut,
    is_list=True,
)
def low_stock(actor: Actor, query: core_schemas.PageQuery, info: RequestInfo) -> Page:
    items, cursor = stock.list_low_stock(query.cursor, query.limit)
    return Page([schemas.LowStockOut(**views.low_stock_view(p, info.lang)) for p in items], cursor)


# ------------------------------------------------------------------ images


@endpoint(
    bp,
    "/v1/products/{product_id}/images",
    "POST",
    roles=ADMIN,
    summary="Presigned upload for a product image (jpeg/png/webp, ≤ 5 MB, ≤ 8 per product)",
    tag="images",
    response=lambda: schemas.ImageUploadOut,
    status=201,
    errors=(409,),
)
def request_image_upload(actor: Actor, product_id: str, body: schemas.ImageUploadIn) -> schemas.ImageUploadOut:
    upload, grant = images.request_upload(actor, product_id, body)
    return schemas.ImageUploadOut(image_id=upload.image_id, **grant)


@endpoint(
    bp,
    "/v1/products/{product_id}/images",
    "GET",
    roles=ADMIN,
    summary="A product's images and the state of recent uploads (pending, attached, rejected + reason)",
    tag="images",
    response=lambda: schemas.ImagesOut,
)
def list_images(actor: Actor, product_id: str) -> schemas.ImagesOut:
    product, uploads = images.list_uploads(product_id)
    return schemas.ImagesOut(
        images=[schemas.ImageOut.model_validate(view) for view in views.image_views(product)],
        uploads=[schemas.ImageUploadStatusOut.model_validate(u, from_attributes=True) for u in uploads],
    )


@endpoint(
    bp,
    "/v1/products/{product_id}/images/order",
    "PUT",
    roles=ADMIN,
    summary="Set the order of a product's images (the first is the thumbnail in lists)",
    tag="images",
    response=lambda: schemas.ProductOut,
    errors=(409,),
)
def reorder_images(actor: Actor, product_id: str, body: schemas.ImageOrderIn, info: RequestInfo) -> dict[str, Any]:
    return _product(actor, images.reorder(actor, product_id, body.image_ids), info.lang)


@endpoint(
    bp,
    "/v1/products/{product_id}/images/{image_id}",
    "DELETE",
    roles=ADMIN,
    summary="Remove an image from a product (its files are deleted)",
    tag="images",
    response=lambda: schemas.ProductOut,
    errors=(409,),
)
def delete_image(actor: Actor, product_id: str, image_id: str, info: RequestInfo) -> dict[str, Any]:
    return _product(actor, images.delete(actor, product_id, image_id), info.lang)
