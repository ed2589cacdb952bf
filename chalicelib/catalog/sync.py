"""Catalog delta sync: the products changed since a cursor — price, stock, names, images, the
active flag — oldest change first, so an offline app keeps its whole copy of the catalog
current without downloading it again. Read from GSI4 (every product write moves the
product there, `items.touched`); a change is listed once it is `SETTLE` old, so a product
written a moment late with an earlier time is not skipped by a client already past it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chalicelib.catalog.models import Product
from chalicelib.core import clock
from chalicelib.core.errors import BadRequest
from chalicelib.core.pagination import decode_cursor, encode_cursor
from chalicelib.db import keys
from chalicelib.db.tx import SETTLE

_SCOPE = "catalog-changes"
_POSITION = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z#[0-9A-Z]{26}$")
_LAST = "Z" * 26  # sorts after every product id of the same millisecond


@dataclass(frozen=True)
class CatalogChanges:
    products: list[Product]
    cursor: str


def catalog_changes(cursor: str | None, limit: int) -> CatalogChanges:
    """Products changed after `cursor`, and the cursor to ask from next (opaque, signed).
    Without one: none, and the cursor of now (load the catalog in full, then follow it)."""
    settled = keys.catalog_change(clock.iso(clock.now() - SETTLE), _LAST)
    after = (decode_cursor(cursor, _SCOPE) or {}).get("after") if cursor else settled
    if not isinstance(after, str) or not _POSITION.match(after):
        raise BadRequest("invalid_cursor")
    if cursor is None:
        return CatalogChanges([], _cursor(after))
    found = Product.gsi4.query(
        keys.CATALOG_CHANGES,
        Product.GSI4SK.between(after + " ", settled),  # strictly after `after`
        limit=limit,
    )
    products = [p for p in found if isinstance(p, Product)]
    return CatalogChanges(products, _cursor(str(products[-1].GSI4SK) if products else after))


def _cursor(position: str) -> str:
    signed = encode_cursor({"after": position}, _SCOPE)
    assert signed is not None  # a non-empty position always encodes
    return signed
