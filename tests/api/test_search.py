"""Search over the API: Arabic- and French-aware matching, ranking, freshness, snapshot."""

from __future__ import annotations

import gzip
import json

import pytest

from chalicelib.catalog import index
from chalicelib.core import storage

NAMES = [
    ("الزيت النباتي إليو 5 لتر", "Huile végétale Elio 5 L", "HUI-ELIO-5L", "6130234000010"),
    ("قهوه بونال 250 غ", "Café Bonal moulu 250 g", "CAF-BONAL-250", None),
    ("قهوة فاكتو 250 غ", "Café Facto 250 g", "CAF-FACTO-250", None),
    ("حليب كانديا 1 لتر", "Lait Candia entier 1 L", "LAI-CANDIA-1L", None),
    ("سميد متوسط 450 غ", "Semoule moyenne 450 g", "SEM-MOY-450", None),
    ("شاي أخضر", "Thé vert", "THE-VERT-25", None),
]


@pytest.fixture
def products(api, admin_token):
    category = api.category(admin_token, "بقالة", "Épicerie")
    made = {}
    for ar, fr, sku, barcode in NAMES:
        made[sku] = api.product(
            admin_token, category["category_id"], names={"ar": ar, "fr": fr}, sku=sku, barcode=barcode
        )
    return made


def _search(api, token, q, **params):
    query = "&".join(f"{k}={v}" for k, v in {"q": q, **params}.items())
    reply = api.get(f"/v1/products?{query}", token)
    assert reply.status == 200, reply.body
    return [p["sku"] for p in reply.data]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("زيت", ["HUI-ELIO-5L"]),  # the article: زيت finds الزيت
        ("الزيت", ["HUI-ELIO-5L"]),
        ("lait", ["LAI-CANDIA-1L"]),  # case
        ("LAIT", ["LAI-CANDIA-1L"]),
        ("٤٥٠", ["SEM-MOY-450"]),  # Arabic-Indic digits
        ("۴۵۰", ["SEM-MOY-450"]),  # Eastern Arabic-Indic digits
        ("vegetale", ["HUI-ELIO-5L"]),  # accents folded
        ("هوile", []),  # mixed nonsense finds nothing
        ("ثاي", []),
        ("شآي", ["THE-VERT-25"]),  # alef with madda → alef
        ("حَلِيب", ["LAI-CANDIA-1L"]),  # harakat removed
        ("hui-elio", ["HUI-ELIO-5L"]),  # SKU parts
        ("hui-elio-5l", ["HUI-ELIO-5L"]),
        ("6130234000010", ["HUI-ELIO-5L"]),  # barcode
        ("613023", ["HUI-ELIO-5L"]),  # barcode prefix
        ("sem moy", ["SEM-MOY-450"]),  # every token must match
        ("semoule lait", []),
    ],
)
def test_arabic_and_french_aware_matching(api, shop, products, query, expected):
    assert _search(api, shop["buyer_token"], query) == expected


def test_exact_matches_rank_before_normalized_ones(api, shop, products):
    # قهوة as written is exact for Facto; Bonal's قهوه only matches once normalized
    assert _search(api, shop["buyer_token"], "قهوة") == ["CAF-FACTO-250", "CAF-BONAL-250"]
    assert _search(api, shop["buyer_token"], "قهوه") == ["CAF-BONAL-250", "CAF-FACTO-250"]
    # cafe matches both only after folding: then by name
    assert _search(api, shop["buyer_token"], "cafe") == ["CAF-BONAL-250", "CAF-FACTO-250"]
    assert _search(api, shop["buyer_token"], "Café Facto 250 g") == ["CAF-FACTO-250"]


def test_search_sees_edits_at_once_and_hides_inactive_products(api, admin_token, shop, products):
    oil = products["HUI-ELIO-5L"]
    renamed = api.patch(
        f"/v1/products/{oil['product_id']}", admin_token, {"version": 1, "names": {"fr": "Huile de tournesol Fleurial"}}
    )
    assert renamed.status == 200
    assert _search(api, shop["buyer_token"], "tournesol") == ["HUI-ELIO-5L"]
    assert _search(api, shop["buyer_token"], "vegetale") == []
    assert _search(api, shop["buyer_token"], "زيت") == ["HUI-ELIO-5L"]  # Arabic name unchanged
    api.patch(f"/v1/products/{oil['product_id']}", admin_token, {"version": 2, "is_active": False})
    assert _search(api, shop["buyer_token"], "tournesol") == []
    assert _search(api, admin_token, "tournesol") == []
    assert _search(api, admin_token, "tournesol", active="false") == ["HUI-ELIO-5L"]


def test_empty_query_browses_everything_by_name_with_cursor(api, shop, products):
    seen, cursor = [], None
    for _ in range(10):
        path = "/v1/products?limit=4" + (f"&cursor={cursor}" if cursor else "")
        reply = api.get(path, shop["buyer_token"], headers={"Accept-Language": "fr"})
        seen += [p["sku"] for p in reply.data]
        cursor = reply.body["meta"]["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(NAMES) and len(set(seen)) == len(NAMES)
    assert seen[:3] == ["CAF-BONAL-250", "CAF-FACTO-250", "HUI-ELIO-5L"]  # Café…, Café…, Huile…
    other_scope = api.get(f"/v1/products?q=cafe&cursor={cursor or ''}", shop["buyer_token"])
    assert other_scope.status == 200  # an empty cursor is the first page


def test_search_within_a_category(api, admin_token, shop, products):
    drinks = api.category(admin_token, "مشروبات", "Boissons")
    api.product(admin_token, drinks["category_id"], names={"ar": "قهوة مثلجة", "fr": "Café glacé"}, sku="CAF-ICE")
    everywhere = _search(api, shop["buyer_token"], "cafe")
    assert "CAF-ICE" in everywhere and len(everywhere) == 3
    assert _search(api, shop["buyer_token"], "cafe", category=drinks["category_id"]) == ["CAF-ICE"]


def test_a_cursor_from_another_search_is_refused(api, shop, products):
    first = api.get("/v1/products?q=cafe&limit=1", shop["buyer_token"])
    cursor = first.body["meta"]["next_cursor"]
    assert cursor
    assert api.get(f"/v1/products?q=cafe&limit=1&cursor={cursor}", shop["buyer_token"]).status == 200
    other = api.get(f"/v1/products?q=lait&limit=1&cursor={cursor}", shop["buyer_token"])
    assert other.status == 400 and other.error["code"] == "invalid_cursor"


def test_a_new_process_loads_the_snapshot_then_replays_later_changes(api, admin_token, shop, products):
    built = index.rebuild()
    assert len(built.docs) == len(NAMES)
    stored = json.loads(gzip.decompress(storage.get_object(index.SNAPSHOT_KEY)[0]))
    assert stored["format"] == 1 and len(stored["docs"]) == len(NAMES)
    category = products["CAF-FACTO-250"]["category_id"]
    api.product(admin_token, category, names={"ar": "سكر", "fr": "Sucre Skor 1 kg"}, sku="SUC-SKOR-1KG")
    index.reset()  # a cold Lambda: snapshot from S3, then the change log since its watermark
    assert _search(api, shop["buyer_token"], "skor") == ["SUC-SKOR-1KG"]
    assert _search(api, shop["buyer_token"], "lait") == ["LAI-CANDIA-1L"]


def test_search_round_trips_stay_small(api, shop, products, dynamodb_calls):
    """Warm: one Query on the change log + one BatchGetItem for the page shown, which also
    reads the caller's session (no call of its own)."""
    _search(api, shop["buyer_token"], "cafe")  # warms the index
    with dynamodb_calls() as calls:
        _search(api, shop["buyer_token"], "cafe")
    assert calls == ["Query", "BatchGetItem"]
