"""Product images: the presigned upload policy, the S3-triggered check and renditions, order, delete."""

from __future__ import annotations

import base64
import io
import json
import subprocess
import sys

import pytest
from PIL import Image

from chalicelib.catalog import images
from chalicelib.core import storage
from chalicelib.core.config import PROJECT_DIR, settings


def picture(fmt: str = "PNG", size: tuple[int, int] = (640, 480), mode: str = "RGB") -> bytes:
    img = Image.new(mode, size, (200, 40, 40) if mode == "RGB" else (200, 40, 40, 128))
    for x in range(0, size[0], 7):  # some detail, so encoders have work to do
        img.putpixel((x, x % size[1]), (10, 10, 10) if mode == "RGB" else (10, 10, 10, 255))
    buffer = io.BytesIO()
    img.save(buffer, fmt)
    return buffer.getvalue()


def request(api, token, pid, content_type="image/png"):
    reply = api.post(f"/v1/products/{pid}/images", token, {"content_type": content_type, "file_name": "photo"})
    assert reply.status == 201, reply.body
    return reply.data


def upload(data: bytes, key: str, content_type: str = "image/png") -> dict:
    """Put the bytes where the presigned POST would, then run the function on S3's event."""
    storage.s3().put_object(Bucket=settings().bucket_name, Key=key, Body=data, ContentType=content_type)
    event = {
        "Records": [{"s3": {"bucket": {"name": settings().bucket_name}, "object": {"key": key, "size": len(data)}}}]
    }
    return images.handle_s3_event(event)[0]


def exists(key: str) -> bool:
    return bool(storage.list_prefix(key))


def test_the_upload_policy_pins_type_size_and_key(api, admin_token, catalog):
    grant = request(api, admin_token, catalog["oil"]["product_id"], "image/webp")
    assert grant["key"].startswith(f"catalog/uploads/{catalog['oil']['product_id']}/") and grant["key"].endswith(
        ".webp"
    )
    assert grant["max_bytes"] == 5 * 1024 * 1024
    fields = grant["upload"]["fields"]
    assert fields["key"] == grant["key"] and fields["Content-Type"] == "image/webp"
    policy = json.loads(base64.b64decode(fields["policy"]))
    assert {"Content-Type": "image/webp"} in policy["conditions"]
    assert ["content-length-range", 1, 5 * 1024 * 1024] in policy["conditions"]
    assert {"key": grant["key"]} in policy["conditions"]
    assert fields["x-amz-algorithm"] == "AWS4-HMAC-SHA256"  # s3v4
    bad = api.post(f"/v1/products/{catalog['oil']['product_id']}/images", admin_token, {"content_type": "image/gif"})
    assert bad.status == 422 and bad.error["details"][0]["field"] == "content_type"


@pytest.mark.parametrize(
    ("fmt", "content_type"), [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("WEBP", "image/webp")]
)
def test_a_real_image_gets_renditions_and_is_attached(api, admin_token, shop, catalog, fmt, content_type):
    pid = catalog["oil"]["product_id"]
    grant = request(api, admin_token, pid, content_type)
    outcome = upload(picture(fmt, (1600, 1200)), grant["key"], content_type)
    assert outcome["status"] == "attached", outcome
    product = api.get(f"/v1/products/{pid}", shop["buyer_token"]).data
    [image] = product["images"]
    assert image["image_id"] == grant["image_id"] and (image["width"], image["height"]) == (1600, 1200)
    assert product["thumbnail_url"] == image["thumbnail_url"]
    large_key = images.rendition_key(pid, grant["image_id"], 1024)
    thumb_key = images.rendition_key(pid, grant["image_id"], 256)
    assert large_key.split("/")[-1] in image["url"] and thumb_key.split("/")[-1] in image["thumbnail_url"]
    with Image.open(io.BytesIO(storage.get_object(thumb_key)[0])) as thumb:
        assert thumb.format == "WEBP" and max(thumb.size) == 256 and thumb.size == (256, 192)
    with Image.open(io.BytesIO(storage.get_object(large_key)[0])) as large:
        assert large.format == "WEBP" and large.size == (1024, 768)
    listed = api.get(f"/v1/products/{pid}/images", admin_token).data
    assert [u["status"] for u in listed["uploads"]] == ["attached"]
    assert exists(grant["key"])  # the private original is kept


def test_a_transparent_png_keeps_its_alpha(api, admin_token, catalog):
    pid = catalog["oil"]["product_id"]
    grant = request(api, admin_token, pid)
    assert upload(picture("PNG", (300, 300), mode="RGBA"), grant["key"])["status"] == "attached"
    with Image.open(io.BytesIO(storage.get_object(images.rendition_key(pid, grant["image_id"], 256))[0])) as thumb:
        assert thumb.mode == "RGBA"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"this is a text file renamed photo.png\n" * 20, "not_an_image"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 500, "not_an_image"),  # right magic, broken body
        (picture("GIF", (300, 300)), "unsupported_format"),
        (picture("PNG", (50, 50)), "too_small"),
        (picture("PNG", (9000, 120)), "dimensions_too_large"),
    ],
    ids=["text", "truncated-png", "gif", "tiny", "huge-dimensions"],
)
def test_anything_but_a_real_image_is_deleted_and_explained(api, admin_token, catalog, data, reason):
    pid = catalog["oil"]["product_id"]
    grant = request(api, admin_token, pid)
    outcome = upload(data, grant["key"])
    assert outcome == {"key": grant["key"], "status": "rejected", "reason": reason}
    assert not exists(grant["key"])
    assert not exists(f"catalog/images/{pid}/")
    listed = api.get(f"/v1/products/{pid}/images", admin_token).data
    assert listed["images"] == []
    assert [(u["status"], u["reason"]) for u in listed["uploads"]] == [("rejected", reason)]


def test_an_oversized_file_is_rejected(api, admin_token, catalog):
    pid = catalog["oil"]["product_id"]
    grant = request(api, admin_token, pid)
    big = picture("PNG", (400, 400)) + b"\x00" * (5 * 1024 * 1024)  # a valid PNG padded past 5 MB
    assert upload(big, grant["key"]) == {"key": grant["key"], "status": "rejected", "reason": "too_large"}
    assert not exists(grant["key"])


def test_files_nobody_asked_for_are_deleted(api, admin_token, catalog):
    pid = catalog["oil"]["product_id"]
    key = f"catalog/uploads/{pid}/01HZZZZZZZZZZZZZZZZZZZZZZZ.png"
    assert upload(picture(), key)["status"] == "unsolicited"
    assert not exists(key)
    assert upload(picture(), "retailers/x/documents/y.png")["status"] == "ignored"
    # the same upload delivered twice (S3 may redeliver) is attached once
    grant = request(api, admin_token, pid)
    assert upload(picture(), grant["key"])["status"] == "attached"
    assert upload(picture(), grant["key"])["status"] == "unsolicited"
    assert len(api.get(f"/v1/products/{pid}", admin_token).data["images"]) == 1


def test_at_most_eight_images(api, admin_token, catalog):
    pid = catalog["oil"]["product_id"]
    grants = [request(api, admin_token, pid) for _ in range(8)]
    refused = api.post(f"/v1/products/{pid}/images", admin_token, {"content_type": "image/png"})
    assert refused.status == 409 and refused.error["code"] == "image_limit_reached"
    for grant in grants:
        assert upload(picture(), grant["key"])["status"] == "attached"
    assert len(api.get(f"/v1/products/{pid}", admin_token).data["images"]) == 8


def test_reorder_and_delete(api, admin_token, shop, catalog):
    pid = catalog["oil"]["product_id"]
    ids = []
    for _ in range(3):
        grant = request(api, admin_token, pid)
        upload(picture(), grant["key"])
        ids.append(grant["image_id"])
    order = [ids[2], ids[0], ids[1]]
    reply = api.call("PUT", f"/v1/products/{pid}/images/order", admin_token, {"image_ids": order})
    assert reply.status == 200, reply.body
    assert [i["image_id"] for i in reply.data["images"]] == order
    assert reply.data["thumbnail_url"] == reply.data["images"][0]["thumbnail_url"]
    wrong = api.call("PUT", f"/v1/products/{pid}/images/order", admin_token, {"image_ids": order[:2]})
    assert wrong.status == 422 and wrong.error["details"][0]["code"] == "image_order_mismatch"
    gone = api.delete(f"/v1/products/{pid}/images/{ids[0]}", admin_token)
    assert gone.status == 200 and [i["image_id"] for i in gone.data["images"]] == [ids[2], ids[1]]
    assert not exists(images.rendition_key(pid, ids[0], 256))
    assert not exists(images.rendition_key(pid, ids[0], 1024))
    assert api.delete(f"/v1/products/{pid}/images/{ids[0]}", admin_token).status == 404
    assert [i["image_id"] for i in api.get(f"/v1/products/{pid}", shop["buyer_token"]).data["images"]] == [
        ids[2],
        ids[1],
    ]


def test_image_urls_use_the_cdn_when_configured(api, admin_token, catalog, monkeypatch):
    pid = catalog["oil"]["product_id"]
    grant = request(api, admin_token, pid)
    upload(picture(), grant["key"])
    cfg = settings()
    monkeypatch.setattr(
        storage, "settings", lambda: cfg.__class__(**{**cfg.__dict__, "cdn_base_url": "https://cdn.livrili.dz/"})
    )
    image = api.get(f"/v1/products/{pid}", admin_token).data["images"][0]
    assert image["url"] == f"https://cdn.livrili.dz/{images.rendition_key(pid, grant['image_id'], 1024)}"


def test_the_api_never_imports_pillow():
    code = "import sys, app; sys.exit(1 if 'PIL' in sys.modules else 0)"
    assert subprocess.run([sys.executable, "-c", code], cwd=PROJECT_DIR, check=False).returncode == 0
