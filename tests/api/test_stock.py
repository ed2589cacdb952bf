"""Stock: conditional moves that never go below zero, the movement ledger, the low-stock list."""

from __future__ import annotations

from chalicelib.catalog import items, stock


def test_stock_moves_are_ledgered_and_audited(api, admin_token, catalog):
    pid = catalog["oil"]["product_id"]
    received = api.post(f"/v1/products/{pid}/stock", admin_token, {"delta": 48, "reason": "Livraison Cevital BL 2291"})
    assert received.status == 200, received.body
    assert received.data["stock_quantity"] == 168 and received.data["low_stock"] is False
    broken = api.post(f"/v1/products/{pid}/stock", admin_token, {"delta": -3, "reason": "casse entrepôt"})
    assert broken.data["stock_quantity"] == 165
    ledger = api.get(f"/v1/products/{pid}/stock", admin_token).data
    assert [(m["delta"], m["balance_after"], m["source"]) for m in ledger] == [
        (-3, 165, "adjustment"),
        (48, 168, "adjustment"),
        (120, 120, "initial"),
    ]
    assert ledger[0]["reason"] == "casse entrepôt" and ledger[0]["actor_username"] == "admin"
    assert api.get(f"/v1/products/{pid}", admin_token).data["stock_quantity"] == 165
    audit = api.get(f"/v1/audit?resource_type=product&resource_id={pid}&action=product.stock_adjusted", admin_token)
    assert [e["changes"]["stock_quantity"] for e in audit.data] == [
        {"before": 168, "after": 165},
        {"before": 120, "after": 168},
    ]


def test_stock_never_goes_below_zero(api, admin_token, catalog):
    pid = catalog["oil"]["product_id"]
    reply = api.post(f"/v1/products/{pid}/stock", admin_token, {"delta": -121, "reason": "inventaire"})
    assert reply.status == 409 and reply.error["code"] == "insufficient_stock"
    assert "120" in reply.error["message"]
    assert reply.error["details"][0]["available"] == 120
    assert api.get(f"/v1/products/{pid}", admin_token).data["stock_quantity"] == 120
    assert len(api.get(f"/v1/products/{pid}/stock", admin_token).data) == 1
    emptied = api.post(f"/v1/products/{pid}/stock", admin_token, {"delta": -120, "reason": "inventaire"})
    assert emptied.data["stock_quantity"] == 0


def test_bad_stock_requests(api, admin_token, catalog):
    pid = catalog["oil"]["product_id"]
    for body, field in (
        ({"delta": 0, "reason": "rien"}, "body"),
        ({"delta": 5}, "reason"),
        ({"delta": 1.5, "reason": "demi"}, "delta"),
        ({"delta": "5", "reason": "texte"}, "delta"),
    ):
        reply = api.post(f"/v1/products/{pid}/stock", admin_token, body)
        assert reply.status == 422 and reply.error["details"][0]["field"] == field, reply.body
    assert (
        api.post("/v1/products/01HZZZZZZZZZZZZZZZZZZZZZZZ/stock", admin_token, {"delta": 1, "reason": "x y"}).status
        == 404
    )


def test_low_stock_list_follows_the_level(api, admin_token, catalog):
    pid = catalog["oil"]["product_id"]
    assert api.get("/v1/admin/low-stock", admin_token).data == []
    api.post(f"/v1/products/{pid}/stock", admin_token, {"delta": -100, "reason": "vente comptoir"})
    low = api.get("/v1/admin/low-stock", admin_token).data
    assert [(p["product_id"], p["stock_quantity"], p["min_stock_level"]) for p in low] == [(pid, 20, 24)]
    # raising the level of another product puts it on the list too, emptiest first
    juice = catalog["juice"]["product_id"]
    api.patch(f"/v1/products/{juice}", admin_token, {"version": 1, "min_stock_level": 500})
    assert [p["product_id"] for p in api.get("/v1/admin/low-stock", admin_token).data] == [pid, juice]
    # restocked or deactivated: off the list
    api.post(f"/v1/products/{pid}/stock", admin_token, {"delta": 10, "reason": "réception"})
    api.patch(f"/v1/products/{juice}", admin_token, {"version": 2, "is_active": False})
    assert api.get("/v1/admin/low-stock", admin_token).data == []
    admin_view = api.get(f"/v1/products/{pid}", admin_token).data
    assert admin_view["low_stock"] is False


def test_a_concurrent_move_is_retried_not_lost(api, admin_token, catalog, monkeypatch):
    """Someone moves the stock between our read and our write: we re-read, the ledger stays exact."""
    pid = catalog["oil"]["product_id"]
    real_get = items.get_product_item
    raced = []

    def read_then_race(product_id):
        product = real_get(product_id)
        if not raced:
            raced.append(True)
            api.post(f"/v1/products/{pid}/stock", admin_token, {"delta": 30, "reason": "autre poste"})
        return product

    monkeypatch.setattr(stock, "get_product_item", read_then_race)
    product, movement = stock.adjust_stock(_admin_actor(), pid, -10, "livraison client")
    assert product.stock_quantity == 140 and movement.balance_after == 140
    ledger = api.get(f"/v1/products/{pid}/stock", admin_token).data
    assert [(m["delta"], m["balance_after"]) for m in ledger] == [(-10, 140), (30, 150), (120, 120)]


def _admin_actor():
    from chalicelib.core.rbac import Actor, Role

    return Actor(user_id="01HZZZZZZZZZZZZZZZZZZZZZZZ", role=Role.ADMIN, username="admin")
