"""Catalog items: categories, products with their uniqueness claims, stock movements,
image uploads, and the search-index change log."""

from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
)

from chalicelib.db import keys
from chalicelib.db.base import Item


class Category(Item, discriminator="category"):
    """PK=CATALOG, SK=CATEGORY#id. Nested one level: `parent_id` names a top-level category.

    `product_count` counts the active products filed directly under it and `child_count` its
    active subcategories; a category can only be deactivated when both are zero.
    `version` is the optimistic lock of the editable fields.
    """

    category_id = UnicodeAttribute()
    parent_id = UnicodeAttribute(null=True)
    name_ar = UnicodeAttribute()
    name_fr = UnicodeAttribute(null=True)
    name_en = UnicodeAttribute(null=True)
    position = NumberAttribute(default=0)
    is_active = BooleanAttribute(default=True)
    product_count = NumberAttribute(default=0)
    child_count = NumberAttribute(default=0)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()
    version = NumberAttribute(default=1)


class ProductImage(MapAttribute[str, object]):
    """An attached image: S3 keys of its renditions (served by the CDN) and the private original."""

    image_id = UnicodeAttribute()
    key = UnicodeAttribute()
    thumbnail_key = UnicodeAttribute()
    original_key = UnicodeAttribute()
    width = NumberAttribute()
    height = NumberAttribute()


def all_categories() -> list[Category]:
    """Every category (one consistent Query on the CATALOG partition; there are tens of them)."""
    return list(Category.query(keys.CATALOG, Category.SK.startswith(keys.CATEGORY_PREFIX), consistent_read=True))


class Product(Item, discriminator="product"):
    """PK=PRODUCT#id, SK=PROFILE.

    `version` guards the editable fields only (a plain number, bumped by edits): stock moves
    and image processing change the item without making an admin's open form stale.
    `stock_quantity` is changed only with a condition on the value read, so the movement
    ledger records exact balances and the sparse low-stock key stays exact.
    """

    product_id = UnicodeAttribute()
    sku = UnicodeAttribute()
    barcode = UnicodeAttribute(null=True)
    category_id = UnicodeAttribute()
    top_category_id = UnicodeAttribute()
    name_ar = UnicodeAttribute()
    name_fr = UnicodeAttribute(null=True)
    name_en = UnicodeAttribute(null=True)
    description_ar = UnicodeAttribute(null=True)
    description_fr = UnicodeAttribute(null=True)
    description_en = UnicodeAttribute(null=True)
    sale_unit = UnicodeAttribute()
    pack_size = NumberAttribute(default=1)
    min_order_quantity = NumberAttribute(default=1)
    base_price = NumberAttribute()
    cost_price = NumberAttribute(null=True)
    vat_rate = NumberAttribute()
    stock_quantity = NumberAttribute(default=0)
    min_stock_level = NumberAttribute(default=0)
    is_active = BooleanAttribute(default=True)
    images = ListAttribute(of=ProductImage, default=list)
    image_count = NumberAttribute(default=0)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()
    created_by = UnicodeAttribute(null=True)
    version = NumberAttribute(default=1)


class SkuClaim(Item, discriminator="sku"):
    product_id = UnicodeAttribute()


class BarcodeClaim(Item, discriminator="barcode"):
    product_id = UnicodeAttribute()


class StockMovement(Item, discriminator="stock_movement"):
    """One line of a product's stock ledger (append-only)."""

    movement_id = UnicodeAttribute()
    product_id = UnicodeAttribute()
    delta = NumberAttribute()
    balance_after = NumberAttribute(null=True)  # exact for adjustments; none for concurrent order moves
    reason = UnicodeAttribute()
    source = UnicodeAttribute()  # adjustment | initial | order | cancellation | return
    reference = UnicodeAttribute(null=True)  # e.g. the order id
    actor_id = UnicodeAttribute(null=True)
    actor_username = UnicodeAttribute(null=True)
    ts = UnicodeAttribute()


class ImageUpload(Item, discriminator="image_upload"):
    """An authorized image upload: pending until the S3-triggered function checks the file."""

    image_id = UnicodeAttribute()
    product_id = UnicodeAttribute()
    content_type = UnicodeAttribute()
    s3_key = UnicodeAttribute()
    status = UnicodeAttribute()  # pending | attached | rejected
    reason = UnicodeAttribute(null=True)
    requested_by = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()
    processed_at = UnicodeAttribute(null=True)


class SearchChange(Item, discriminator="search_change"):
    """A product's searchable fields after a change; warm search indexes replay these."""

    product_id = UnicodeAttribute()
    product_version = NumberAttribute()
    ts = UnicodeAttribute()
    doc = JSONAttribute()


class DigestClaim(Item, discriminator="digest_claim"):
    """PK=LOWSTOCKDIGEST#day: the staff's low-stock digest goes out once a day."""

    created_at = UnicodeAttribute()
