"""Pure catalog rules: normalization, barcodes, prices, the search engine's ranking."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError

from chalicelib.catalog.rules import price_with_vat
from chalicelib.catalog.schemas import ean_check_digit, normalize_barcode, normalize_sku
from chalicelib.catalog.search import Doc, SearchIndex
from chalicelib.catalog.text import index_terms, normalize, strip_article, tokens
from chalicelib.core.i18n import localized


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("أحمد", "احمد"),
        ("إبريق", "ابريق"),
        ("آلة", "اله"),
        ("ٱلله", "الله"),
        ("مستشفى", "مستشفي"),
        ("قهوة", "قهوه"),
        ("مؤسسة", "موسسه"),
        ("بئر", "بير"),
        ("ماء", "ما"),
        ("قـــهـــوة", "قهوه"),  # tatweel
        ("سُكَّرٌ", "سكر"),  # harakat, shadda, tanwin
        ("٤٥٠", "450"),
        ("۱۲۳", "123"),
        ("Café Crème", "cafe creme"),
        ("Œufs", "oeufs"),
        ("STRASSE ß", "strasse ss"),
        ("ﻻ", "لا"),  # presentation form
    ],
)
def test_normalize(raw, folded):
    assert normalize(raw) == folded


def test_article_is_stripped_but_short_words_are_kept():
    assert strip_article("الزيت") == "زيت"
    assert strip_article("والحليب") == "حليب"
    assert strip_article("للاطفال") == "اطفال"
    assert strip_article("ال") == "ال"
    assert strip_article("الو") == "الو"
    assert tokens("زيت الزيتون") == ["زيت", "زيتون"]


def test_index_terms_split_digits_from_units():
    assert {"25kg", "25", "kg", "semoule"} <= index_terms("Semoule 25kg")
    assert {"الزيت", "زيت"} <= index_terms("الزيت")


@given(st.text(max_size=40))
def test_normalize_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


@pytest.mark.parametrize("code", ["6130234000010", "96385074", "4006381333931", "٦١٣٠٢٣٤٠٠٠٠١٠", "6130 2340 0001 0"])
def test_valid_barcodes(code):
    assert normalize_barcode(code).isdigit()


@pytest.mark.parametrize("code", ["6130234000011", "96385075", "123456789012", "abcdefgh", "613023400001X"])
def test_invalid_barcodes(code):
    with pytest.raises(PydanticCustomError):
        normalize_barcode(code)


@given(
    st.text(alphabet="0123456789", min_size=7, max_size=7) | st.text(alphabet="0123456789", min_size=12, max_size=12)
)
def test_every_body_has_exactly_one_check_digit(body):
    valid = [d for d in range(10) if _accepted(body + str(d))]
    assert valid == [ean_check_digit(body)]


def _accepted(code: str) -> bool:
    try:
        normalize_barcode(code)
    except PydanticCustomError:
        return False
    return True


def test_sku_is_case_insensitive():
    assert normalize_sku(" hui-elio-5l ") == "HUI-ELIO-5L"
    with pytest.raises(PydanticCustomError):
        normalize_sku("with space")


@pytest.mark.parametrize(
    ("base", "rate", "expected"),
    [(12000, 19, 14280), (12000, 9, 13080), (12000, 0, 12000), (1, 19, 1), (3, 19, 4), (250, 9, 273)],
)
def test_price_with_vat_rounds_half_up_in_integers(base, rate, expected):
    assert price_with_vat(base, rate) == expected


def test_localized_falls_back_to_what_the_reader_likely_reads():
    names = {"ar": "حليب", "fr": "Lait", "en": None}
    assert localized(names, "en") == ("Lait", "fr")  # an English reader: French before Arabic
    assert localized(names, "fr") == ("Lait", "fr")
    assert localized({"ar": "حليب", "fr": None, "en": "Milk"}, "fr") == ("حليب", "ar")  # French: Arabic next
    assert localized({"ar": "حليب", "fr": None, "en": "Milk"}, "ar") == ("حليب", "ar")
    assert localized({"ar": "حليب", "fr": "Lait", "en": None}, "de") == ("حليب", "ar")  # unknown: as Arabic


def _doc(pid: str, ar: str, fr: str | None = None, version: int = 1, active: bool = True) -> Doc:
    return Doc(pid, "c", "c", active, {"ar": ar, "fr": fr, "en": None}, f"SKU-{pid}", None, version)


def test_engine_ranks_exact_then_literal_then_normalized_then_prefix():
    index = SearchIndex(
        [
            _doc("1", "قهوه", "Cafe"),  # normalized only
            _doc("2", "قهوة", "Café"),  # exact
            _doc("3", "قهوة بالحليب", "Café au lait"),  # literal inside
            _doc("4", "قهوتي", "Caféine"),  # prefix
        ]
    )
    assert index.search("قهوة", "fr") == ["2", "3", "1"]
    assert index.search("café", "fr") == ["2", "3", "4", "1"]


def test_engine_upserts_by_version_only():
    index = SearchIndex([_doc("1", "شاي", version=2)])
    assert not index.upsert(_doc("1", "قهوة", version=1))  # a late, older change is ignored
    assert index.search("شاي", "ar") == ["1"]
    assert index.upsert(_doc("1", "قهوة", version=3))
    assert index.search("شاي", "ar") == [] and index.search("قهوة", "ar") == ["1"]
    assert index.upsert(_doc("1", "قهوة", version=4, active=False))
    assert index.search("قهوة", "ar") == [] and index.search("قهوة", "ar", active=False) == ["1"]
