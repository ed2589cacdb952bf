"""Product images: presigned uploads, the S3-triggered check and renditions, order, delete.

Flow: an admin asks for an upload (`request_upload`): an `ImageUpload` item (pending) and a
presigned POST limited to the declared type (jpeg/png/webp) and 5 MB, into the private
`catalog/uploads/` prefix. S3 then invokes the image function (`handle_s3_event`), which

* ignores keys it did not hand out, and deletes files nobody asked for;
* checks the magic bytes, lets Pillow decode the whole file, and bounds the dimensions
  (decompression bombs included) — anything else is deleted and the upload marked
  `rejected` with the reason;
* writes a 1024 px WebP and a 256 px WebP thumbnail under `catalog/images/` (the prefix the
  CDN serves), then attaches them to the product, at most 8, in one conditional update.

Pillow is imported inside the processing function only: the API Lambda never loads it.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta
from typing import Any
from urllib.parse import unquote_plus

from pynamodb.exceptions import DoesNotExist

from chalicelib.audit import service as audit
from chalicelib.catalog import schemas
from chalicelib.catalog.items import get_product_item, touched
from chalicelib.catalog.models import ImageUpload, Product, ProductImage
from chalicelib.core import clock, files, storage
from chalicelib.core.config import settings
from chalicelib.core.errors import Conflict, NotFound, field_error
from chalicelib.core.ids import new_id
from chalicelib.core.observability import count, logger
from chalicelib.core.rbac import Actor
from chalicelib.db import keys
from chalicelib.db.tx import TxCancelled, transaction

UPLOAD_PREFIX = "catalog/uploads/"
IMAGE_PREFIX = "catalog/images/"
UPLOAD_TTL = timedelta(days=1)
# an upload URL not used within its validity (+ processing time) no longer holds a slot
PENDING_GRACE = timedelta(minutes=5)
SIZES = {"large": 1024, "thumbnail": 256}
LIMITS = files.ImageLimits(min_side=100, max_side=8000, max_pixels=40_000_000)
SYSTEM = Actor(user_id=None, role="system", username="image-processor")

_UPLOAD_KEY_RE = re.compile(
    r"^catalog/uploads/(?P<product_id>[0-9A-HJKMNP-TV-Z]{26})/(?P<image_id>[0-9A-HJKMNP-TV-Z]{26})\.(jpg|png|webp)$"
)


def upload_key(product_id: str, image_id: str, content_type: str) -> str:
    return f"{UPLOAD_PREFIX}{product_id}/{image_id}.{schemas.IMAGE_CONTENT_TYPES[content_type]}"


def rendition_key(product_id: str, image_id: str, size: int) -> str:
    return f"{IMAGE_PREFIX}{product_id}/{image_id}/{size}.webp"


def _uploads(product_id: str) -> list[ImageUpload]:
    return list(
        ImageUpload.query(keys.product(product_id), ImageUpload.SK.startswith(keys.UPLOAD_PREFIX), consistent_read=True)
    )


def _holds_slot(upload: ImageUpload) -> bool:
    if upload.status != "pending":
        return False
    window = timedelta(seconds=settings().upload_url_ttl) + PENDING_GRACE
    return clock.parse_iso(upload.created_at) + window > clock.now()


def request_upload(actor: Actor, product_id: str, data: schemas.ImageUploadIn) -> tuple[ImageUpload, dict[str, Any]]:
    """A presigned POST for one image; refused when images + uploads in flight reach 8."""
    product = get_product_item(product_id)
    in_flight = sum(1 for u in _uploads(product_id) if _holds_slot(u))
    if int(product.image_count) + in_flight >= schemas.MAX_IMAGES:
        raise Conflict("image_limit_reached", params={"limit": schemas.MAX_IMAGES})
    cfg = settings()
    now = clock.now()
    image_id = new_id()
    key = upload_key(product_id, image_id, data.content_type)
    upload = ImageUpload(
        PK=keys.product(product_id),
        SK=keys.image_upload(image_id),
        image_id=image_id,
        product_id=product_id,
        content_type=data.content_type,
        s3_key=key,
        status="pending",
        requested_by=actor.user_id,
        created_at=clock.iso(now),
        expires_at=clock.epoch(now + UPLOAD_TTL),
    )
    upload.save(ImageUpload.PK.does_not_exist())
    grant = storage.presigned_post(key, data.content_type, cfg.image_max_bytes, cfg.upload_url_ttl)
    return upload, grant


def list_uploads(product_id: str) -> tuple[Product, list[ImageUpload]]:
    """The product and its uploads of the last day, newest first: pending, attached, or
    rejected with a reason."""
    product = get_product_item(product_id)
    return product, sorted(_uploads(product_id), key=lambda u: u.created_at, reverse=True)


def reorder(actor: Actor, product_id: str, image_ids: list[str]) -> Product:
    product = get_product_item(product_id)
    current = list(product.images or [])
    by_id = {image.image_id: image for image in current}
    if len(set(image_ids)) != len(image_ids) or set(image_ids) != set(by_id):
        raise field_error("image_ids", "image_order_mismatch")
    if image_ids == [image.image_id for image in current]:
        return product
    ordered = [by_id[i] for i in image_ids]
    _write_images(actor, product, ordered, "product.images_reordered", {"order": image_ids})
    return product


def delete(actor: Actor, product_id: str, image_id: str) -> Product:
    product = get_product_item(product_id)
    current = list(product.images or [])
    image = next((i for i in current if i.image_id == image_id), None)
    if image is None:
        raise NotFound()
    remaining = [i for i in current if i.image_id != image_id]
    _write_images(actor, product, remaining, "product.image_deleted", {"image_id": image_id})
    storage.delete_objects([image.key, image.thumbnail_key, image.original_key])
    return product


def _write_images(
    actor: Actor, product: Product, images: list[ProductImage], action: str, meta: dict[str, Any]
) -> None:
    """Replace the image list if nobody changed it since it was read (else 409: reload)."""
    try:
        with transaction() as tx:
            tx.update(
                product,
                [Product.images.set(images), Product.image_count.set(len(images)), *touched(product.product_id)],
                condition=Product.images == product.images,
                label="images",
            )
            audit.record(tx, actor, action, "product", product.product_id, metadata=meta)
    except TxCancelled as exc:
        raise Conflict("conflict") from exc
    product.images = images
    product.image_count = len(images)


# ============================================================================ the S3-triggered function


def handle_s3_event(event: dict[str, Any]) -> list[dict[str, str]]:
    """Entry point of the image function: one outcome per record (S3 test events have none)."""
    outcomes = []
    for record in event.get("Records") or []:
        s3 = record.get("s3") or {}
        key = unquote_plus((s3.get("object") or {}).get("key", ""))
        size = (s3.get("object") or {}).get("size")
        outcome = process_upload(key, size)
        logger.info("image processed", extra={"key": key, **outcome})
        outcomes.append({"key": key, **outcome})
    return outcomes


def _attach(upload: ImageUpload, product_id: str, image: ProductImage) -> None:
    """The image on the product (at most `MAX_IMAGES`) and the upload done, in one transaction."""
    with transaction() as tx:
        product = Product(PK=keys.product(product_id), SK=keys.PROFILE)
        tx.update(
            product,
            [
                Product.images.set((Product.images | []).append([image])),
                Product.image_count.add(1),
                *touched(product_id),
            ],
            condition=Product.PK.exists() & (Product.image_count < schemas.MAX_IMAGES),
            label="product",
        )
        tx.update(
            upload,
            [ImageUpload.status.set("attached"), ImageUpload.processed_at.set(clock.iso())],
            condition=ImageUpload.status == "pending",
            label="upload",
        )
        meta = {"image_id": image.image_id}
        audit.record(tx, SYSTEM, "product.image_added", "product", product_id, metadata=meta)


def _renditions(key: str, size: int | None) -> dict[str, Any] | None:
    """The uploaded file decoded and resized (None if it is gone); `files.FileRejected` when it is too
    large or not an image we accept."""
    limit = settings().image_max_bytes
    if size is not None and size > limit:
        raise files.FileRejected("too_large")
    found = storage.get_object(key)
    if found is None:
        return None
    if len(found[0]) > limit:
        raise files.FileRejected("too_large")
    return render(found[0])


def process_upload(key: str, size: int | None = None) -> dict[str, str]:
    """Check one uploaded file and attach its renditions to the product, or reject it."""
    match = _UPLOAD_KEY_RE.match(key)
    if not match:
        return {"status": "ignored"}
    product_id, image_id = match["product_id"], match["image_id"]
    try:
        upload = ImageUpload.get(keys.product(product_id), keys.image_upload(image_id), consistent_read=True)
    except DoesNotExist:
        upload = None
    if upload is None or upload.status != "pending" or upload.s3_key != key:
        storage.delete_objects([key])  # nobody asked for this file (or it was already handled)
        return {"status": "unsolicited"}
    try:
        renditions = _renditions(key, size)
    except files.FileRejected as rejected:
        storage.delete_objects([key])
        _finish(upload, "rejected", rejected.reason)
        count("ImageRejected")
        return {"status": "rejected", "reason": rejected.reason}
    if renditions is None:
        return {"status": "missing"}
    image = ProductImage(
        image_id=image_id,
        key=rendition_key(product_id, image_id, SIZES["large"]),
        thumbnail_key=rendition_key(product_id, image_id, SIZES["thumbnail"]),
        original_key=key,
        width=renditions["width"],
        height=renditions["height"],
    )
    for size_name, px in SIZES.items():
        immutable = "public, max-age=31536000, immutable"
        storage.put_object(
            rendition_key(product_id, image_id, px), renditions[size_name], "image/webp", cache_control=immutable
        )
    try:
        _attach(upload, product_id, image)
    except TxCancelled as exc:
        storage.delete_objects([image.key, image.thumbnail_key, key])
        if "upload" in exc.failed:
            return {"status": "unsolicited"}
        _finish(upload, "rejected", "image_limit_reached")
        return {"status": "rejected", "reason": "image_limit_reached"}
    count("ImageAttached")
    return {"status": "attached", "image_id": image_id}


def _finish(upload: ImageUpload, status: str, reason: str) -> None:
    upload.update(
        [ImageUpload.status.set(status), ImageUpload.reason.set(reason), ImageUpload.processed_at.set(clock.iso())],
        condition=ImageUpload.status == "pending",
    )


def render(data: bytes) -> dict[str, Any]:
    """Validate an image and return its WebP renditions: {large, thumbnail, width, height}.

    Raises :class:`core.files.FileRejected` with `not_an_image`, `unsupported_format`, `too_small` or
    `dimensions_too_large`.
    """
    from PIL import Image

    try:
        kind = files.sniff(data)
    except files.FileRejected as exc:
        raise files.FileRejected("not_an_image" if exc.reason == "not_a_known_file" else exc.reason) from exc
    if kind == "PDF":
        raise files.FileRejected("not_an_image")
    upright = files.decoded_image(data, kind, LIMITS)
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
    base = upright.convert("RGBA" if has_alpha else "RGB")
    out: dict[str, Any] = {"width": base.width, "height": base.height}
    for name, px in SIZES.items():
        copy = base.copy()
        copy.thumbnail((px, px), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        copy.save(buffer, "WEBP", quality=82, method=4)
        out[name] = buffer.getvalue()
    return out
