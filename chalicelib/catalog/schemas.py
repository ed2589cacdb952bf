"""Catalog API shapes: categories, products (multilingual), stock, images, search queries."""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from chalicelib.core.money import Centimes
from chalicelib.core.schemas import (
    Flag,
    Id,
    Model,
    PageQuery,
    Reason,
    Strict,
    Text,
    UploadGrant,
    clean_free_text,
    clean_text,
)

MAX_IMAGES = 8
IMAGE_CONTENT_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
VAT_RATES = (0, 9, 19)

# ------------------------------------------------------------------ field rules


_SKU_RE = re.compile(r"^[A-Z0-9][A-Z0-9._-]{1,39}$")


def normalize_sku(value: str) -> str:
    """SKUs are case-insensitive: stored uppercased (`hui-elio-5l` → `HUI-ELIO-5L`)."""
    sku = value.strip().upper()
    if not _SKU_RE.match(sku):
        raise PydanticCustomError("invalid_sku", "invalid sku")
    return sku


def ean_check_digit(body: str) -> int:
    """The GS1 check digit of the digits before it (EAN-8 and EAN-13 alike)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def normalize_barcode(value: str) -> str:
    """An EAN-13 or EAN-8 (Arabic-Indic digits and spaces accepted) with a valid check digit."""
    folded = "".join(str(unicodedata.digit(ch)) if ch.isdigit() else ch for ch in value)
    digits = re.sub(r"[\s-]", "", folded)
    if not digits.isascii() or not digits.isdigit() or len(digits) not in (8, 13):
        raise PydanticCustomError("invalid_barcode", "invalid barcode")
    if ean_check_digit(digits[:-1]) != int(digits[-1]):
        raise PydanticCustomError("invalid_barcode", "invalid barcode")
    return digits


Sku = Annotated[str, Field(min_length=2, max_length=40), AfterValidator(normalize_sku)]
Barcode = Annotated[str, Field(min_length=1, max_length=20), AfterValidator(normalize_barcode)]
Description = Annotated[str, Field(min_length=1, max_length=2000), AfterValidator(clean_free_text)]
Quantity = Annotated[int, Field(ge=0, le=10_000_000, strict=True)]


def _whole_number(value: object) -> object:
    """JSON's 9, not `false` (a bool is an int to Python) nor 9.0: a rate is sent as written."""
    if type(value) is not int:
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


VatRate = Annotated[Literal[0, 9, 19], BeforeValidator(_whole_number)]
Version = Annotated[int, Field(ge=1, strict=True, description="The `version` you read; a stale one gets 409")]


class SaleUnit(StrEnum):
    """What one unit of quantity (and of `base_price`) is."""

    PIECE = "piece"
    BOTTLE = "bottle"
    CAN = "can"
    SACHET = "sachet"
    JAR = "jar"
    BAG = "bag"
    BOX = "box"
    PACK = "pack"
    CARTON = "carton"
    KG = "kg"
    LITRE = "litre"


class Names(Strict):
    """Names per language: Arabic required, French and English optional."""

    ar: Text
    fr: Text | None = None
    en: Text | None = None


class NamesPatch(Strict):
    """A partial update of names: a field sent as null removes that translation (not `ar`)."""

    ar: Text | None = None
    fr: Text | None = None
    en: Text | None = None


class Descriptions(Strict):
    ar: Description | None = None
    fr: Description | None = None
    en: Description | None = None


# ------------------------------------------------------------------ categories


class CategoryCreateIn(Strict):
    names: Names
    parent_id: Id | None = Field(default=None, description="A top-level category (one level of nesting)")
    position: Annotated[int, Field(ge=0, le=100_000, strict=True)] | None = Field(
        default=None, description="Order among its siblings; default: last"
    )


class CategoryPatchIn(Strict):
    version: Version
    names: NamesPatch | None = None
    position: Annotated[int, Field(ge=0, le=100_000, strict=True)] | None = None
    is_active: Flag | None = None


class CategoryReorderIn(Strict):
    parent_id: Id | None = Field(default=None, description="Whose children to reorder; null for the top level")
    category_ids: Annotated[list[Id], Field(min_length=1, max_length=99)]


class CategoryListQuery(Strict):
    include_inactive: bool = Field(default=False, description="Admins only: also list deactivated categories")


class CategoryOut(Model):
    category_id: str
    parent_id: str | None
    name: str
    name_language: str
    position: int
    names: dict[str, str | None] | None = Field(default=None, description="Admins: every translation")
    is_active: bool | None = Field(default=None, description="Admins only")
    product_count: int | None = Field(default=None, description="Admins: active products filed here")
    child_count: int | None = Field(default=None, description="Admins: active subcategories")
    version: int | None = Field(default=None, description="Admins: send it back with a PATCH")
    updated_at: str | None = None


# ------------------------------------------------------------------ products


def pack_mismatch(pack_size: int | None, moq: int | None) -> bool:
    """The minimum order quantity is not a whole number of packs."""
    return bool(pack_size and moq and moq % pack_size)


def _check_pack(pack_size: int | None, moq: int | None) -> None:
    if pack_mismatch(pack_size, moq):
        raise PydanticCustomError("moq_not_pack_multiple", "moq not a pack multiple", {"pack_size": pack_size})


class ProductCreateIn(Strict):
    sku: Sku
    barcode: Barcode | None = None
    category_id: Id
    names: Names
    descriptions: Descriptions | None = None
    sale_unit: SaleUnit
    pack_size: Annotated[int, Field(ge=1, le=10_000, strict=True)] = Field(
        default=1, description="Sale units per pack: order quantities are multiples of it (carton of 24 → 24)"
    )
    min_order_quantity: Annotated[int, Field(ge=1, le=1_000_000, strict=True)] | None = Field(
        default=None, description="In sale units, a multiple of pack_size; default: one pack"
    )
    base_price: Annotated[int, Field(ge=1, le=1_000_000_000, strict=True)] = Field(
        description="Price of one sale unit before VAT, in centimes"
    )
    cost_price: Centimes | None = Field(default=None, description="Admins only, never shown to retailers")
    vat_rate: VatRate
    stock_quantity: Quantity = 0
    min_stock_level: Quantity = 0
    is_active: Flag = True

    @model_validator(mode="after")
    def _pack(self) -> ProductCreateIn:
        _check_pack(self.pack_size, self.min_order_quantity)
        return self


class ProductPatchIn(Strict):
    version: Version
    sku: Sku | None = None
    barcode: Barcode | None = None
    category_id: Id | None = None
    names: NamesPatch | None = None
    descriptions: Descriptions | None = None
    sale_unit: SaleUnit | None = None
    pack_size: Annotated[int, Field(ge=1, le=10_000, strict=True)] | None = None
    min_order_quantity: Annotated[int, Field(ge=1, le=1_000_000, strict=True)] | None = None
    base_price: Annotated[int, Field(ge=1, le=1_000_000_000, strict=True)] | None = None
    cost_price: Centimes | None = None
    vat_rate: VatRate | None = None
    min_stock_level: Quantity | None = None
    is_active: Flag | None = None

    @model_validator(mode="after")
    def _pack(self) -> ProductPatchIn:
        _check_pack(self.pack_size, self.min_order_quantity)
        return self

    def changes(self) -> dict[str, Any]:
        """The fields the client sent (explicit nulls included: they remove the value)."""
        return {name: getattr(self, name) for name in self.model_fields_set if name != "version"}


class ProductListQuery(PageQuery):
    q: Annotated[str, Field(max_length=100)] | None = Field(
        default=None, description="Search: Arabic/French-aware, on names in every language, SKU and barcode"
    )
    category: Id | None = Field(default=None, description="A category id (a top-level one includes its subcategories)")
    active: bool | None = Field(default=None, description="Admins: false lists deactivated products")


class CatalogChangesQuery(Strict):
    after: Annotated[str, Field(max_length=2048)] | None = Field(
        default=None,
        description="the `next_cursor` of your last sync; leave it out after a full load to follow from now",
    )
    limit: Annotated[int, Field(ge=1, le=100)] = 100


class ImageOut(Model):
    image_id: str
    url: str
    thumbnail_url: str
    width: int
    height: int


class ProductSummaryOut(Model):
    """A product in a list. Admin-only fields are absent (not null) for everyone else."""

    product_id: str
    sku: str
    barcode: str | None
    category_id: str
    name: str
    name_language: str = Field(description="The language `name` is in: the requested one, else ar → fr → en")
    sale_unit: str
    pack_size: int
    min_order_quantity: int
    base_price: int = Field(description="One sale unit before VAT, in centimes")
    vat_rate: int
    price_with_vat: int = Field(description="base_price with VAT, rounded half up to the centime")
    stock_quantity: int
    in_stock: bool = Field(description="At least the minimum order quantity is in stock")
    thumbnail_url: str | None
    is_active: bool
    version: int = Field(description="Send it back with a PATCH")
    names: dict[str, str | None] | None = Field(default=None, description="Admins: every translation")
    cost_price: int | None = Field(default=None, description="Admins only")
    min_stock_level: int | None = Field(default=None, description="Admins only")
    low_stock: bool | None = Field(default=None, description="Admins only")
    created_at: str | None = Field(default=None, description="Admins only")
    updated_at: str | None = Field(default=None, description="Admins only")


class ProductChangeOut(Model):
    """One product as it is now: `removed` (no longer sold: drop it from the copy) or its summary."""

    product_id: str
    updated_at: str
    removed: bool
    product: ProductSummaryOut | None


class ProductOut(ProductSummaryOut):
    """One product, with its description and images."""

    description: str | None
    images: list[ImageOut]
    descriptions: dict[str, str | None] | None = Field(default=None, description="Admins: every translation")


# ------------------------------------------------------------------ stock


class StockIn(Strict):
    delta: Annotated[int, Field(ge=-10_000_000, le=10_000_000, strict=True)] = Field(
        description="Units added (positive) or removed (negative)"
    )
    reason: Reason

    @model_validator(mode="after")
    def _not_zero(self) -> StockIn:
        if self.delta == 0:
            raise PydanticCustomError("field_not_zero", "delta must not be zero")
        return self


class StockOut(Model):
    product_id: str
    stock_quantity: int
    low_stock: bool
    movement_id: str


class StockMovementOut(Model):
    movement_id: str
    delta: int
    balance_after: int | None = Field(
        description="Stock right after this move; null for order moves (atomic, concurrent decrements)"
    )
    reason: str
    source: str
    reference: str | None
    actor_id: str | None
    actor_username: str | None
    ts: str


class LowStockOut(Model):
    product_id: str
    sku: str
    name: str
    name_language: str
    category_id: str
    stock_quantity: int
    min_stock_level: int


# ------------------------------------------------------------------ images


class ImageUploadIn(Strict):
    content_type: Literal["image/jpeg", "image/png", "image/webp"]
    file_name: Annotated[str, Field(max_length=200), AfterValidator(clean_text)] | None = None


class ImageUploadOut(UploadGrant):
    image_id: str


class ImageUploadStatusOut(Model):
    image_id: str
    status: str
    reason: str | None
    created_at: str
    processed_at: str | None


class ImagesOut(Model):
    images: list[ImageOut]
    uploads: list[ImageUploadStatusOut]


class ImageOrderIn(Strict):
    image_ids: Annotated[list[Id], Field(min_length=1, max_length=MAX_IMAGES)]
