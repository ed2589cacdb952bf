"""Catalog delta sync: an offline app follows what changed in the catalog instead of loading it
again — prices, stock moved by orders, products taken off sale."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chalicelib.core import clock


def settle():
    clock.freeze(clock.now() + timedelta(seconds=4))


def tick():
    clock.freeze(clock.now() + timedelta(milliseconds=5))


def start(api, token) -> str:
    settle()
    reply = api.get("/v1/catalog/changes", token)
    assert reply.status == 200 and reply.data == []
    return reply.body["meta"]["next_cursor"]


def sync(api, token, cursor, **kw):
    return api.get(f"/v1/catalog/changes?after={cursor}", token, **kw)


def test_a_shop_follows_price_stock_and_removals(api, admin_token, shop, catalog):
    cursor = start(api, shop["buyer_token"])
    oil, water, juice = catalog["oil"], catalog["water"], catalog["juice"]
    repriced = api.patch(
        f"/v1/products/{oil['product_id']}", admin_token, {"version": oil["version"], "base_price": 13000}
    )
    assert repriced.status == 200
    tick()
    ordered = api.post(
        "/v1/orders",
        shop["buyer_token"],
        {"items": [{"product_id": water["product_id"], "quantity": 6}]},
        headers=api.key(),
    )
    assert ordered.status == 201
    tick()
    off = api.patch(
        f"/v1/products/{juice['product_id']}", admin_token, {"version": juice["version"], "is_active": False}
    )
    assert off.status == 200
    settle()
    changed = sync(api, shop["buyer_token"], cursor)
    assert changed.status == 200, changed.body
    by_id = {c["product_id"]: c for c in changed.data}
    assert [c["product_id"] for c in changed.data] == [oil["product_id"], water["product_id"], juice["product_id"]]
    assert by_id[oil["product_id"]]["product"]["base_price"] == 13000
    assert by_id[water["product_id"]]["removed"] is False and by_id[water["product_id"]]["product"]
    assert by_id[juice["product_id"]] == {
        "product_id": juice["product_id"],
        "updated_at": by_id[juice["product_id"]]["updated_at"],
        "removed": True,
        "product": None,  # a shop is never shown an inactive product, only told to drop it
    }
    admin_view = sync(api, admin_token, cursor).data
    assert admin_view[-1]["removed"] is False and admin_view[-1]["product"]["is_active"] is False
    cursor, etag = changed.body["meta"]["next_cursor"], changed.headers["ETag"]
    nothing = sync(api, shop["buyer_token"], cursor)
    assert nothing.status == 200 and nothing.data == [] and nothing.body["meta"]["next_cursor"] == cursor
    assert sync(api, shop["buyer_token"], cursor, headers={"If-None-Match": nothing.headers["ETag"]}).status == 304
    assert nothing.headers["ETag"] != etag


def test_a_change_is_listed_once_it_has_settled(api, admin_token, shop, catalog):
    cursor = start(api, shop["buyer_token"])
    oil = catalog["oil"]
    api.patch(f"/v1/products/{oil['product_id']}", admin_token, {"version": oil["version"], "base_price": 13000})
    assert sync(api, shop["buyer_token"], cursor).data == []
    settle()
    assert [c["product_id"] for c in sync(api, shop["buyer_token"], cursor).data] == [oil["product_id"]]


@pytest.mark.parametrize("cursor", ["2026-01-01T00:00:00.000Z", "eyJrIjp7fX0.forged-signature"])
def test_a_made_up_cursor_is_refused(api, shop, cursor):
    reply = sync(api, shop["buyer_token"], cursor)
    assert reply.status == 400 and reply.error["code"] == "invalid_cursor"


def test_a_sync_is_one_query_and_the_session(api, shop, catalog, dynamodb_calls):
    cursor = start(api, shop["buyer_token"])
    with dynamodb_calls() as calls:
        assert sync(api, shop["buyer_token"], cursor).status == 200
    assert calls == ["Query", "BatchGetItem"]
