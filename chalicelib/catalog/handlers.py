"""Catalog event handlers (registered by `app.py`): the S3-triggered image function, the
scheduled search-snapshot rebuild and the morning low-stock digest. Thin: the work lives in
`images`, `index` and `service`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint, Cron, Rate

from chalicelib.core import lazy

if TYPE_CHECKING:
    from chalicelib.catalog import images, index, stock
else:
    images = lazy.module("chalicelib.catalog.images")
    index = lazy.module("chalicelib.catalog.index")
    stock = lazy.module("chalicelib.catalog.stock")


bp = Blueprint(__name__)

# Lambda function names (infra wires the bucket notification to IMAGE_FUNCTION)
IMAGE_FUNCTION = "process_product_image"
REBUILD_FUNCTION = "rebuild_search_index"
DIGEST_FUNCTION = "low_stock_digest"


@bp.lambda_function(name=IMAGE_FUNCTION)
def process_product_image(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """S3 ObjectCreated on `catalog/uploads/`: check, render, attach (see `catalog.images`)."""
    return {"outcomes": images.handle_s3_event(event)}


@bp.schedule(Rate(15, unit=Rate.MINUTES), name=REBUILD_FUNCTION)
def rebuild_search_index(event: Any) -> dict[str, Any]:
    """Every 15 minutes: a fresh search snapshot, so the change log replayed on warm-up stays short."""
    snapshot = index.rebuild()
    return {"products": len(snapshot.docs), "watermark": snapshot.watermark}


# 07:00 in Algiers (06:00 UTC), before the depot's day starts
@bp.schedule(Cron(0, 6, "*", "*", "?", "*"), name=DIGEST_FUNCTION)
def low_stock_digest(event: Any) -> dict[str, Any]:
    """Every morning: the staff hear which products are at or below their minimum stock."""
    return {"sent": stock.low_stock_digest()}
