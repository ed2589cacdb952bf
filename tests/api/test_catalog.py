"""Categories and products over the API: roles, languages, validation, versions, counters."""

from __future__ import annotations

import pytest

AR = {"Accept-Language": "ar"}
EN = {"Accept-Language": "en"}


# ------------------------------------------------------------------ categories


def test_category_tree_is_flattened_in_order_and_localized(api, admin_token, shop, catalog):
    reply = api.get("/v1/categories", shop["buyer_token"])
    assert reply.status == 200
    ids = [c["category_id"] for c in reply.data]
    assert ids == [catalog["drinks"]["category_id"], catalog["water"]["category_id"], catalog["grocery"]["category_id"]]
    first = reply.data[0]
    assert (first["name"], first["name_language"]) == ("Boissons", "fr")
    assert "names" not in first and "version" not in first and "product_count" not in first
    arabic = api.get("/v1/categories", shop["buyer_token"], headers=AR).data[0]
    assert (arabic["name"], arabic["name_language"]) == ("مشروبات", "ar")
    english = api.get("/v1/categories", shop["buyer_token"], headers=EN).data[0]
    # no English name: the French one, which an English reader more likely reads than Arabic
    assert (english["name"], english["name_language"]) == ("Boissons", "fr")
    admin_view = api.get("/v1/categories", admin_token).data[0]
    assert admin_view["names"] == {"ar": "مشروبات", "fr": "Boissons", "en": None}
    assert admin_view["product_count"] == 1 and admin_view["child_count"] == 1 and admin_view["version"] == 1


def test_categories_nest_one_level_only(api, admin_token, catalog):
    reply = api.post(
        "/v1/categories", admin_token, {"names": {"ar": "عميق"}, "parent_id": catalog["water"]["category_id"]}
    )
    assert reply.status == 422
    assert reply.error["details"][0]["field"] == "parent_id"
    assert reply.error["details"][0]["code"] == "category_too_deep"
    unknown = api.post("/v1/categories", admin_token, {"names": {"ar": "x"}, "parent_id": "01HZZZZZZZZZZZZZZZZZZZZZZZ"})
    assert unknown.status == 422 and unknown.error["details"][0]["code"] == "category_not_found"
    no_arabic = api.post("/v1/categories", admin_token, {"names": {"fr": "Sans arabe"}})
    assert no_arabic.status == 422 and no_arabic.error["details"][0]["field"] == "names.ar"


def test_rename_needs_the_current_version(api, admin_token, catalog):
    cid = catalog["grocery"]["category_id"]
    stale = api.patch(f"/v1/categories/{cid}", admin_token, {"version": 7, "names": {"fr": "Alimentation"}})
    assert stale.status == 409 and stale.error["code"] == "version_conflict"
    renamed = api.patch(
        f"/v1/categories/{cid}", admin_token, {"version": 1, "names": {"fr": "Alimentation", "en": "Food"}}
    )
    assert renamed.status == 200, renamed.body
    assert renamed.data["names"] == {"ar": "بقالة", "fr": "Alimentation", "en": "Food"}
    assert renamed.data["version"] == 2
    again = api.patch(f"/v1/categories/{cid}", admin_token, {"version": 1, "names": {"fr": "Autre"}})
    assert again.status == 409 and again.error["code"] == "version_conflict"
    removing_arabic = api.patch(f"/v1/categories/{cid}", admin_token, {"version": 2, "names": {"ar": None}})
    assert removing_arabic.status == 422


def test_a_category_with_active_products_cannot_be_deactivated(api, admin_token, shop, catalog):
    cid = catalog["water"]["category_id"]
    busy = api.patch(f"/v1/categories/{cid}", admin_token, {"version": 1, "is_active": False})
    assert busy.status == 409 and busy.error["code"] == "category_not_empty"
    water = catalog["water"]
    off = api.patch(f"/v1/products/{water['product_id']}", admin_token, {"version": 1, "is_active": False})
    assert off.status == 200, off.body
    done = api.patch(f"/v1/categories/{cid}", admin_token, {"version": 1, "is_active": False})
    assert done.status == 200 and done.data["is_active"] is False
    parent = api.get("/v1/categories", admin_token).data[0]
    assert parent["child_count"] == 0
    # retailers no longer see it, nor can anything active be filed in it
    assert cid not in [c["category_id"] for c in api.get("/v1/categories", shop["owner_token"]).data]
    assert api.get(f"/v1/products?category={cid}", shop["owner_token"]).status == 404
    blocked = api.post("/v1/products", admin_token, api.product_body(cid))
    assert blocked.status == 409 and blocked.error["code"] == "category_inactive"
    reactivate_product = api.patch(
        f"/v1/products/{water['product_id']}", admin_token, {"version": 2, "is_active": True}
    )
    assert reactivate_product.status == 409 and reactivate_product.error["code"] == "category_inactive"
    hidden = api.get("/v1/categories?include_inactive=true", admin_token).data
    assert cid in [c["category_id"] for c in hidden]
    assert api.get("/v1/categories?include_inactive=true", shop["owner_token"]).status == 403


def test_reorder_siblings(api, admin_token, catalog):
    tops = [catalog["grocery"]["category_id"], catalog["drinks"]["category_id"]]
    reply = api.post("/v1/categories/reorder", admin_token, {"category_ids": tops})
    assert reply.status == 200, reply.body
    assert [c["category_id"] for c in reply.data] == tops
    listed = [c["category_id"] for c in api.get("/v1/categories", admin_token).data]
    assert listed == [tops[0], tops[1], catalog["water"]["category_id"]]
    partial = api.post("/v1/categories/reorder", admin_token, {"category_ids": tops[:1]})
    assert partial.status == 422 and partial.error["details"][0]["code"] == "category_order_mismatch"


# ------------------------------------------------------------------ products


BAD_PRODUCTS = [
    ({"barcode": "6130234000011"}, "barcode", "invalid_barcode"),
    ({"barcode": "12345"}, "barcode", "invalid_barcode"),
    ({"vat_rate": 7}, "vat_rate", "field_not_allowed_value"),
    ({"base_price": -100}, "base_price", "field_out_of_range"),
    ({"base_price": 0}, "base_price", "field_out_of_range"),
    ({"base_price": 12.5}, "base_price", "field_wrong_type"),
    ({"names": {"fr": "Sans arabe"}}, "names.ar", "field_required"),
    ({"sku": "a"}, "sku", "field_too_short"),
    ({"sku": "BAD SKU!"}, "sku", "invalid_sku"),
    ({"pack_size": 6, "min_order_quantity": 8}, "body", "moq_not_pack_multiple"),
    ({"sale_unit": "truck"}, "sale_unit", "field_not_allowed_value"),
    ({"category_id": "not-an-id"}, "category_id", "field_invalid"),
    ({"stock_quantity": -1}, "stock_quantity", "field_out_of_range"),
    ({"price": 5}, "price", "field_unknown"),
]


@pytest.mark.parametrize(("override", "field", "code"), BAD_PRODUCTS, ids=[b[2] + ":" + b[1] for b in BAD_PRODUCTS])
def test_bad_products_are_refused_with_the_field(api, admin_token, catalog, override, field, code):
    body = {**api.product_body(catalog["grocery"]["category_id"]), **override}
    reply = api.post("/v1/products", admin_token, body, headers=EN)
    assert reply.status == 422, reply.body
    assert reply.body["success"] is False
    detail = reply.error["details"][0]
    assert detail["field"] == field
    if code != "field_invalid":
        assert detail["code"] == code
    assert detail["message"]


def test_unknown_category_is_a_field_error(api, admin_token):
    reply = api.post("/v1/products", admin_token, api.product_body("01HZZZZZZZZZZZZZZZZZZZZZZZ"))
    assert reply.status == 422 and reply.error["details"][0] == {
        "field": "category_id",
        "code": "category_not_found",
        "message": reply.error["details"][0]["message"],
    }


def test_sku_and_barcode_are_unique(api, admin_token, catalog):
    cid = catalog["grocery"]["category_id"]
    taken = api.post("/v1/products", admin_token, api.product_body(cid, sku=catalog["oil"]["sku"].lower()))
    assert taken.status == 409 and taken.error["code"] == "sku_taken"
    assert taken.error["details"][0]["field"] == "sku"
    barcode = api.post("/v1/products", admin_token, api.product_body(cid, barcode="6130234000010"))
    assert barcode.status == 409 and barcode.error["code"] == "barcode_taken"
    # nothing half-written: the SKU of the refused product is still free
    body = api.product_body(cid, barcode="6130234000010")
    body["barcode"] = "96385074"
    assert api.post("/v1/products", admin_token, body).status == 201


def test_retailers_never_see_cost_price_or_inactive_products(api, admin_token, shop, driver_token, catalog):
    for token in (shop["owner_token"], shop["buyer_token"], driver_token):
        view = api.get(f"/v1/products/{catalog['oil']['product_id']}", token).data
        for hidden in ("cost_price", "min_stock_level", "low_stock", "names", "descriptions", "created_at"):
            assert hidden not in view
        assert api.get(f"/v1/products/{catalog['retired']['product_id']}", token).status == 404
        listed = api.get(f"/v1/products?category={catalog['grocery']['category_id']}", token).data
        assert [p["product_id"] for p in listed] == [catalog["oil"]["product_id"]]
        assert all("cost_price" not in p for p in listed)
        assert api.get("/v1/products?active=false", token).status == 403
    admin_view = api.get(f"/v1/products/{catalog['retired']['product_id']}", admin_token).data
    assert admin_view["cost_price"] == 9500 and admin_view["is_active"] is False
    inactive = api.get(f"/v1/products?category={catalog['grocery']['category_id']}&active=false", admin_token).data
    assert [p["product_id"] for p in inactive] == [catalog["retired"]["product_id"]]


def test_product_view_prices_and_language_fallback(api, admin_token, shop, catalog):
    oil = api.get(f"/v1/products/{catalog['oil']['product_id']}", shop["buyer_token"]).data
    assert oil["base_price"] == 12000 and oil["vat_rate"] == 9
    assert oil["price_with_vat"] == 13080
    assert oil["pack_size"] == 4 and oil["min_order_quantity"] == 4 and oil["in_stock"] is True
    assert (oil["name"], oil["name_language"]) == ("Huile Elio 5 L", "fr")
    arabic = api.get(f"/v1/products/{catalog['oil']['product_id']}", shop["buyer_token"], headers=AR).data
    assert (arabic["name"], arabic["name_language"]) == ("الزيت النباتي إليو 5 لتر", "ar")
    english = api.get(f"/v1/products/{catalog['oil']['product_id']}", shop["buyer_token"], headers=EN).data
    assert (english["name"], english["name_language"]) == ("Huile Elio 5 L", "fr")  # en missing: fr first
    admin = api.get(f"/v1/products/{catalog['oil']['product_id']}", admin_token).data
    assert admin["names"] == {"ar": "الزيت النباتي إليو 5 لتر", "fr": "Huile Elio 5 L", "en": None}
    assert admin["low_stock"] is False and admin["min_stock_level"] == 24


def test_category_listing_is_sorted_by_name_and_paginated(api, admin_token, shop, catalog):
    top = catalog["drinks"]["category_id"]
    extra = api.product(admin_token, catalog["water"]["category_id"], names={"ar": "أ ماء", "fr": "Eau A"})
    seen, cursor = [], None
    while True:
        path = f"/v1/products?category={top}&limit=1" + (f"&cursor={cursor}" if cursor else "")
        reply = api.get(path, shop["buyer_token"])
        assert reply.status == 200, reply.body
        seen += [p["product_id"] for p in reply.data]
        cursor = reply.body["meta"]["next_cursor"]
        if not cursor:
            break
    # the top category lists its subcategory's products too, by Arabic name (أ ماء < عصير < مياه)
    assert seen == [extra["product_id"], catalog["juice"]["product_id"], catalog["water"]["product_id"]]
    sub = api.get(f"/v1/products?category={catalog['water']['category_id']}", shop["buyer_token"]).data
    assert [p["product_id"] for p in sub] == [extra["product_id"], catalog["water"]["product_id"]]
    forged = api.get(f"/v1/products?category={top}&cursor={cursor or 'abc.def'}", shop["buyer_token"])
    assert forged.status == 400 and forged.error["code"] == "invalid_cursor"


def test_update_needs_the_current_version_and_moves_counters(api, admin_token, catalog):
    pid = catalog["juice"]["product_id"]
    stale = api.patch(f"/v1/products/{pid}", admin_token, {"version": 5, "base_price": 13000})
    assert stale.status == 409 and stale.error["code"] == "version_conflict"
    assert "1" in stale.error["message"]
    moved = api.patch(
        f"/v1/products/{pid}",
        admin_token,
        {
            "version": 1,
            "base_price": 13000,
            "category_id": catalog["grocery"]["category_id"],
            "names": {"en": "Rouiba orange juice"},
            "cost_price": None,
        },
    )
    assert moved.status == 200, moved.body
    data = moved.data
    assert data["version"] == 2 and data["base_price"] == 13000 and data["cost_price"] is None
    assert data["names"]["en"] == "Rouiba orange juice" and data["names"]["fr"] == "Jus Rouiba orange"
    counts = {c["category_id"]: c["product_count"] for c in api.get("/v1/categories", admin_token).data}
    assert counts[catalog["drinks"]["category_id"]] == 0
    assert counts[catalog["grocery"]["category_id"]] == 2
    # the first writer won; the second, still holding version 1, is told to reload
    second = api.patch(f"/v1/products/{pid}", admin_token, {"version": 1, "base_price": 99})
    assert second.status == 409
    assert api.get(f"/v1/products/{pid}", admin_token).data["base_price"] == 13000


def test_changing_a_sku_frees_the_old_one(api, admin_token, catalog):
    pid = catalog["juice"]["product_id"]
    old_sku = catalog["juice"]["sku"]
    reply = api.patch(f"/v1/products/{pid}", admin_token, {"version": 1, "sku": "JUS-ROUIBA-1L", "barcode": "96385074"})
    assert reply.status == 200 and reply.data["sku"] == "JUS-ROUIBA-1L" and reply.data["barcode"] == "96385074"
    reuse = api.post("/v1/products", admin_token, api.product_body(catalog["grocery"]["category_id"], sku=old_sku))
    assert reuse.status == 201
    clash = api.patch(f"/v1/products/{reuse.data['product_id']}", admin_token, {"version": 1, "sku": "jus-rouiba-1l"})
    assert clash.status == 409 and clash.error["code"] == "sku_taken"


def test_patch_validation(api, admin_token, catalog):
    pid = catalog["oil"]["product_id"]
    for body, field in (
        ({"version": 1, "vat_rate": 20}, "vat_rate"),
        ({"version": 1, "vat_rate": False}, "vat_rate"),  # not 0: JSON false is not a rate
        ({"version": 1, "vat_rate": 9.0}, "vat_rate"),  # a rate is a whole number as sent
        ({"version": 1, "min_order_quantity": 6}, "min_order_quantity"),
        ({"version": 1, "base_price": None}, "base_price"),
        ({"base_price": 100}, "version"),
        ({"version": 1, "stock_quantity": 5}, "stock_quantity"),
    ):
        reply = api.patch(f"/v1/products/{pid}", admin_token, body)
        assert reply.status == 422, (body, reply.body)
        assert reply.error["details"][0]["field"] == field, reply.body


def test_product_changes_are_audited(api, admin_token, catalog):
    pid = catalog["oil"]["product_id"]
    api.patch(f"/v1/products/{pid}", admin_token, {"version": 1, "base_price": 12500})
    entries = api.get(f"/v1/audit?resource_type=product&resource_id={pid}", admin_token).data
    assert [e["action"] for e in entries] == ["product.updated", "product.created"]
    assert entries[0]["changes"] == {"base_price": {"before": 12000, "after": 12500}}


def test_descriptions_change_per_language(api, admin_token, shop, catalog):
    pid = catalog["oil"]["product_id"]
    first = api.patch(
        f"/v1/products/{pid}",
        admin_token,
        {"version": 1, "descriptions": {"ar": "زيت نباتي مكرر", "fr": "Huile raffinée"}},
    )
    assert first.data["descriptions"] == {"ar": "زيت نباتي مكرر", "fr": "Huile raffinée", "en": None}
    second = api.patch(f"/v1/products/{pid}", admin_token, {"version": 2, "descriptions": {"fr": None, "en": "Oil"}})
    assert second.data["descriptions"] == {"ar": "زيت نباتي مكرر", "fr": None, "en": "Oil"}
    french = api.get(f"/v1/products/{pid}", shop["buyer_token"]).data
    assert (french["name_language"], french["description"]) == ("fr", "زيت نباتي مكرر")  # no fr text: ar


def test_a_catalog_page_not_changed_since_it_was_read_is_a_304(api, admin_token, shop, catalog):
    """A phone on 3G keeps the page and its ETag; asking again costs a few bytes until it changes."""
    token = shop["buyer_token"]
    first = api.get("/v1/products", token)
    etag = first.headers["ETag"]
    assert first.status == 200 and etag.startswith('W/"')
    assert first.headers["Cache-Control"] == "private, no-cache" and "Accept-Language" in first.headers["Vary"]
    same = api.get("/v1/products", token, headers={"If-None-Match": etag})
    assert same.status == 304 and same.body == {} and same.headers["ETag"] == etag
    arabic = api.get("/v1/products", token, headers={"If-None-Match": etag, "Accept-Language": "ar"})
    assert arabic.status == 200 and arabic.headers["ETag"] != etag  # another language, another page
    oil = catalog["oil"]
    changed = api.patch(
        f"/v1/products/{oil['product_id']}", admin_token, {"version": oil["version"], "base_price": 12500}
    )
    assert changed.status == 200, changed.body
    fresh = api.get("/v1/products", token, headers={"If-None-Match": etag})
    assert fresh.status == 200 and fresh.headers["ETag"] != etag
    one = api.get(f"/v1/products/{oil['product_id']}", token)
    assert (
        api.get(f"/v1/products/{oil['product_id']}", token, headers={"If-None-Match": one.headers["ETag"]}).status
        == 304
    )
    missing = api.get("/v1/products/01J00000000000000000000000", token, headers={"If-None-Match": "*"})
    assert missing.status == 404 and "ETag" not in missing.headers  # errors are never cached
