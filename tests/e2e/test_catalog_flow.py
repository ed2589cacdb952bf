"""Over real HTTP against `make run`'s stack with its demo data: browse, search, and a product
image uploaded through the presigned POST to the moto server, processed by the image function."""

from __future__ import annotations

import io
import time

import pytest
import requests
from PIL import Image

from tests.e2e.conftest import DEMO_ADMIN as ADMIN
from tests.e2e.conftest import call, login

DEMO_BUYER = ("yacine.baraka", "demo-pass-2026")


def test_demo_catalog_browse_and_search(demo_url):
    buyer = login(demo_url, *DEMO_BUYER)
    categories = call("GET", f"{demo_url}/v1/categories", buyer).json()["data"]
    assert len(categories) >= 8
    everything = call("GET", f"{demo_url}/v1/products?limit=100", buyer).json()
    assert len(everything["data"]) >= 60
    assert all(p["name_language"] == "fr" for p in everything["data"])  # fr is the default language
    oils = call("GET", f"{demo_url}/v1/products", buyer, params={"q": "زيت"}, headers={"Accept-Language": "ar"})
    names = [p["name"] for p in oils.json()["data"]]
    assert names and all("زيت" in n for n in names)
    cafe = call("GET", f"{demo_url}/v1/products", buyer, params={"q": "cafe"}).json()["data"]
    assert {p["sku"] for p in cafe} >= {"CAF-FACTO-250", "CAF-BONAL-250"}
    drinks = next(c for c in categories if c["name"] == "Boissons")
    in_drinks = call("GET", f"{demo_url}/v1/products", buyer, params={"category": drinks["category_id"], "limit": 100})
    assert len(in_drinks.json()["data"]) == 14  # water, soft drinks and juices together


def _png(size=(800, 600)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def _upload(grant: dict, data: bytes) -> requests.Response:
    form = grant["upload"]
    return requests.post(form["url"], data=form["fields"], files={"file": ("photo.png", data)}, timeout=15)


def _wait_for_upload(base, token, pid, image_id, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        uploads = call("GET", f"{base}/v1/products/{pid}/images", token).json()["data"]["uploads"]
        state = next((u for u in uploads if u["image_id"] == image_id), None)
        if state and state["status"] != "pending":
            return state
        time.sleep(0.3)
    pytest.fail("the image function did not process the upload")


def test_image_upload_through_presigned_post(demo_url):
    admin = login(demo_url, *ADMIN)
    buyer = login(demo_url, *DEMO_BUYER)
    product = call("GET", f"{demo_url}/v1/products", buyer, params={"q": "HUI-ELIO-5L"}).json()["data"][0]
    pid = product["product_id"]

    grant = call("POST", f"{demo_url}/v1/products/{pid}/images", admin, json={"content_type": "image/png"}).json()
    assert _upload(grant["data"], _png()).status_code in (200, 201, 204)
    state = _wait_for_upload(demo_url, admin, pid, grant["data"]["image_id"])
    assert state["status"] == "attached", state

    shown = call("GET", f"{demo_url}/v1/products/{pid}", buyer).json()["data"]
    [image] = shown["images"]
    thumb = requests.get(image["thumbnail_url"], timeout=15)
    assert thumb.status_code == 200
    with Image.open(io.BytesIO(thumb.content)) as img:
        assert img.format == "WEBP" and img.size == (256, 192)

    fake = call("POST", f"{demo_url}/v1/products/{pid}/images", admin, json={"content_type": "image/png"}).json()
    assert _upload(fake["data"], b"not an image, just text\n" * 10).status_code in (200, 201, 204)
    rejected = _wait_for_upload(demo_url, admin, pid, fake["data"]["image_id"])
    assert (rejected["status"], rejected["reason"]) == ("rejected", "not_an_image")
    assert len(call("GET", f"{demo_url}/v1/products/{pid}", buyer).json()["data"]["images"]) == 1
