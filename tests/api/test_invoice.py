"""The PDF invoice of a delivered order: stored at delivery, French and Arabic, the legal
mentions, rendered to PNG by pdftoppm and read back by pdftotext."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from chalicelib.core import storage

PDFTOPPM, PDFTOTEXT = shutil.which("pdftoppm"), shutil.which("pdftotext")


@pytest.fixture
def delivered(api, shop, admin_token, driver_token, catalog):
    oil, water = catalog["oil"]["product_id"], catalog["water"]["product_id"]
    placed = api.post(
        "/v1/orders",
        shop["buyer_token"],
        {"items": [{"product_id": oil, "quantity": 8}, {"product_id": water, "quantity": 12}]},
        headers={"Idempotency-Key": "invoice-order-01"},
    ).data
    driver_id = api.get("/v1/me", driver_token).data["user"]["user_id"]
    oid = placed["order_id"]
    for to in ("confirmed", "preparing"):
        api.post(f"/v1/orders/{oid}/transitions", admin_token, {"to": to})
    api.post(f"/v1/orders/{oid}/transitions", admin_token, {"to": "out_for_delivery", "driver_id": driver_id})
    pending_invoice = api.get(f"/v1/orders/{oid}/invoice", shop["owner_token"])
    assert pending_invoice.status == 409 and pending_invoice.error["code"] == "invoice_not_ready"
    reply = api.post(
        f"/v1/orders/{oid}/transitions",
        driver_token,
        {"to": "delivered", "lines": [{"product_id": water, "delivered_quantity": 6}], "cash_collected": 150000},
    )
    assert reply.status == 200, reply.body
    return reply.data


def _pdf(api, token, order) -> bytes:
    reply = api.get(f"/v1/orders/{order['order_id']}/invoice", token)
    assert reply.status == 200, reply.body
    assert reply.data["invoice_number"] == order["invoice_number"] and reply.data["expires_in"] == 900
    assert f"{order['invoice_number']}.pdf" in reply.data["url"]
    stored = storage.get_object(f"invoices/{order['retailer_id']}/{order['invoice_number']}.pdf")
    assert stored is not None
    return stored[0]


def test_invoice_is_stored_at_delivery_and_linked(api, shop, delivered):
    key = f"invoices/{shop['retailer_id']}/{delivered['invoice_number']}.pdf"
    assert storage.exists(key)  # built by the delivery, not by the first download
    pdf = _pdf(api, shop["buyer_token"], delivered)
    assert pdf.startswith(b"%PDF-")


def test_a_missing_invoice_file_is_rebuilt_on_download(api, shop, delivered):
    key = f"invoices/{shop['retailer_id']}/{delivered['invoice_number']}.pdf"
    storage.delete_objects([key])
    assert _pdf(api, shop["owner_token"], delivered).startswith(b"%PDF-")


def test_other_shops_cannot_download_it(api, other_shop, delivered):
    assert api.get(f"/v1/orders/{delivered['order_id']}/invoice", other_shop["owner_token"]).status == 404


def test_invoice_renders_with_the_legal_mentions_in_both_languages(api, shop, delivered, tmp_path: Path):
    if not (PDFTOPPM and PDFTOTEXT):
        pytest.fail("pdftoppm/pdftotext missing: `make test` installs poppler-utils")
    path = tmp_path / "invoice.pdf"
    path.write_bytes(_pdf(api, shop["owner_token"], delivered))
    subprocess.run([PDFTOPPM, "-png", "-r", "60", str(path), str(tmp_path / "page")], check=True)
    if os.environ.get("LIVRILI_KEEP_INVOICE"):  # look at it: LIVRILI_KEEP_INVOICE=/tmp/x make test-api
        shutil.copy(path, os.environ["LIVRILI_KEEP_INVOICE"] + ".pdf")
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) == 1
    from PIL import Image

    with Image.open(pages[0]) as image:
        width, height = image.size
        assert abs(height / width - 297 / 210) < 0.02  # A4
        assert image.convert("L").getextrema()[0] < 50  # ink on the page
    text = subprocess.run([PDFTOTEXT, "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout
    flat = re.sub(r"\s+", " ", text)
    assert delivered["order_number"] in flat and delivered["invoice_number"] in flat
    for mention in ("RC : 16/00-1234567B24", "NIF : 002416123456789", "NIS : 002416010012345", "AI : 16012345678"):
        assert mention in flat  # the seller
    assert "NIF : 000001916091235" in flat  # the buyer (registration in the test shop)
    assert "TVA 9 %" in flat and "TVA 19 %" in flat
    assert "Droit de timbre" in flat and "Net à payer" in flat
    total = delivered["delivered_total"] + delivered["stamp_duty"]
    from chalicelib.core.money import amount_in_words

    assert amount_in_words(total, "fr") in flat
    # Arabic comes back shaped, letters spaced out by pdftotext, but in logical order
    letters = re.sub(r"[\s\u200e\u200f\u202a-\u202e\u2066-\u2069]+", "", text)  # spaces and bidi marks
    assert "فاتورةرقم" in letters
    assert "أوقفتهذهالفاتورةعلىمبلغ" in letters
    # pdftotext cuts a long Arabic line into runs it places by position: each word reads in order
    assert all(word in letters for word in amount_in_words(total, "ar").split())


def test_heavy_libraries_stay_off_the_api_import_path():
    """PDF, words, Twilio and imaging load only in the functions that use them."""
    heavy = "('fpdf', 'uharfbuzz', 'num2words', 'twilio', 'PIL')"
    code = f"import app, sys; print(sorted(m for m in {heavy} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
