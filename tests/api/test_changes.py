"""The change feed: each audience sees its own changes, in order, once; an unchanged feed is a
cheap 304; a cursor past the retention is a 410."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chalicelib.core import clock


def settle():
    """Move past the feed's settle window (entries show once they are 3 s old)."""
    clock.freeze(clock.now() + timedelta(seconds=4))


def tick():
    """The clock is frozen in these tests: let a few milliseconds pass between two changes, as
    they do between two requests (the feed orders by the millisecond of each change)."""
    clock.freeze(clock.now() + timedelta(milliseconds=5))


def follow(api, token) -> str:
    """Start following from now (the cursor of now replays the last few seconds: settle first,
    so what the fixtures did is behind it)."""
    settle()
    reply = api.get("/v1/changes", token)
    assert reply.status == 200 and reply.data == [], reply.body
    return reply.body["meta"]["next_cursor"]


def poll(api, token, cursor, **kw):
    return api.get(f"/v1/changes?after={cursor}", token, **kw)


def kinds_of(reply) -> list[tuple[str, str | None]]:
    return [(c["kind"], c["data"].get("order_id")) for c in reply.data]


def place(api, shop, catalog) -> dict:
    body = {"items": [{"product_id": catalog["oil"]["product_id"], "quantity": 4}], "payment_method": "credit"}
    reply = api.post("/v1/orders", shop["buyer_token"], body, headers=api.key())
    assert reply.status == 201, reply.body
    tick()
    return reply.data


def test_a_shop_sees_its_order_move_in_order_then_an_unchanged_feed_is_304(api, shop, admin_token, catalog):
    cursor = follow(api, shop["owner_token"])
    order = place(api, shop, catalog)
    assert api.post(f"/v1/orders/{order['order_id']}/transitions", admin_token, {"to": "confirmed"}).status == 200
    settle()
    changed = poll(api, shop["owner_token"], cursor)
    assert changed.status == 200
    assert kinds_of(changed) == [("order.placed", order["order_id"]), ("order.confirmed", order["order_id"])]
    assert changed.data[0]["data"]["number"] == order["order_number"]
    assert changed.headers["Cache-Control"] == "private, no-cache"
    cursor, etag = changed.body["meta"]["next_cursor"], changed.headers["ETag"]
    same = poll(api, shop["owner_token"], cursor, headers={"If-None-Match": etag})
    assert same.status == 304 and same.body == {} and same.headers["ETag"] == etag
    again = poll(api, shop["owner_token"], cursor)  # without the ETag: an empty page, same cursor
    assert again.status == 200 and again.data == [] and again.body["meta"]["next_cursor"] == cursor


def test_a_shop_never_sees_another_shops_changes(api, shop, other_shop, admin_token, catalog):
    mine, theirs = follow(api, shop["owner_token"]), follow(api, other_shop["owner_token"])
    place(api, shop, catalog)
    settle()
    assert len(poll(api, shop["owner_token"], mine).data) == 1
    assert poll(api, other_shop["owner_token"], theirs).data == []


def test_a_buyer_does_not_see_the_shops_money_the_owner_does(api, shop, admin_token, driver_token, driver_id, catalog):
    owner, buyer = follow(api, shop["owner_token"]), follow(api, shop["buyer_token"])
    order = place(api, shop, catalog)
    url = f"/v1/orders/{order['order_id']}"
    for to, extra in (("confirmed", {}), ("preparing", {}), ("out_for_delivery", {"driver_id": driver_id})):
        assert api.post(f"{url}/transitions", admin_token, {"to": to, **extra}).status == 200
        tick()
    assert api.post(f"{url}/transitions", driver_token, {"to": "delivered"}).status == 200
    tick()
    paid = api.post(f"{url}/payments", driver_token, {"amount": 1000, "method": "cash"}, headers=api.key())
    assert paid.status == 201, paid.body
    settle()
    seen_by_owner = [c["kind"] for c in poll(api, shop["owner_token"], owner).data]
    seen_by_buyer = [c["kind"] for c in poll(api, shop["buyer_token"], buyer).data]
    assert seen_by_owner[-1] == "payment.received"
    assert seen_by_buyer == [k for k in seen_by_owner if k != "payment.received"]


def test_a_driver_sees_only_the_deliveries_assigned_to_them(api, shop, admin_token, driver_token, driver_id, catalog):
    from chalicelib.accounts import staff
    from chalicelib.core.rbac import Role

    staff.create_staff_user("driver2", "driver-pass-2026", "Driver Two", role=Role.DRIVER)
    other_driver = api.token("driver2", "driver-pass-2026")
    mine, theirs = follow(api, driver_token), follow(api, other_driver)
    order = place(api, shop, catalog)
    url = f"/v1/orders/{order['order_id']}/transitions"
    for to, extra in (("confirmed", {}), ("preparing", {}), ("out_for_delivery", {"driver_id": driver_id})):
        assert api.post(url, admin_token, {"to": to, **extra}).status == 200
    settle()
    assert kinds_of(poll(api, driver_token, mine)) == [("order.out_for_delivery", order["order_id"])]
    assert poll(api, other_driver, theirs).data == []


def test_admins_see_new_shops_new_orders_and_moves_but_no_reset_code(api, admin_token, catalog):
    cursor = follow(api, admin_token)
    shop = api.shop(admin_token, credit_limit=50_000_00)
    tick()
    api.post("/v1/auth/password-reset", body={"login": shop["buyer"]})
    place(api, shop, catalog)
    settle()
    seen = [c["kind"] for c in poll(api, admin_token, cursor).data]
    # registered and approved in one frozen millisecond (the fixture does both at once)
    assert sorted(seen[:2]) == ["retailer.approved", "retailer.registered"] and seen[2:] == ["order.placed"]


def test_a_change_is_shown_once_it_has_settled(api, shop, admin_token, catalog):
    cursor = follow(api, shop["owner_token"])
    place(api, shop, catalog)
    assert poll(api, shop["owner_token"], cursor).data == []  # a moment old: not yet in order
    settle()
    assert len(poll(api, shop["owner_token"], cursor).data) == 1


def test_a_cursor_older_than_30_days_asks_for_a_full_resync(api, shop):
    cursor = follow(api, shop["owner_token"])
    clock.freeze(clock.now() + timedelta(days=30, minutes=1))
    token = api.token(shop["owner"])
    gone = poll(api, token, cursor, headers={"Accept-Language": "ar"})
    assert gone.status == 410 and gone.error["code"] == "cursor_expired" and gone.error["message"]


@pytest.mark.parametrize("cursor", ["not-a-cursor-at-all-000000", "0" * 25 + "!"])
def test_a_made_up_cursor_is_a_400(api, shop, cursor):
    reply = poll(api, shop["owner_token"], cursor)
    assert reply.status in (400, 422) and reply.error["code"] in ("invalid_cursor", "validation_error")


def test_an_unchanged_poll_costs_the_feed_read_and_the_session(api, shop, dynamodb_calls):
    cursor = follow(api, shop["owner_token"])
    settle()
    with dynamodb_calls() as calls:
        assert poll(api, shop["owner_token"], cursor).status == 200
    # the session and the announcements' head in one BatchGetItem, then the shop's own feed
    assert calls == ["BatchGetItem", "Query"]


# ------------------------------------------------------------------ announcements


def announce(api, admin_token, **body) -> str:
    reply = api.post("/v1/admin/announcements", admin_token, {"texts": {"ar": "إعلان"}, **body})
    assert reply.status == 201, reply.body
    tick()
    return reply.data["announcement_id"]


def announcements_in(reply) -> list[tuple[str, str]]:
    assert reply.status == 200, reply.body
    return [(c["kind"].split(".")[1], c["data"]["announcement_id"]) for c in reply.data if c["kind"].startswith("ann")]


def move_to_oran(api, admin_token, shop) -> None:
    version = api.get(f"/v1/retailers/{shop['retailer_id']}", admin_token).data["version"]
    moved = api.patch(f"/v1/retailers/{shop['retailer_id']}", admin_token, {"version": version, "wilaya": 31})
    assert moved.status == 200 and moved.data["wilaya"] == 31, moved.body


def test_each_reader_sees_in_its_feed_the_announcements_meant_for_it(api, admin_token, shop, other_shop, driver_token):
    move_to_oran(api, admin_token, other_shop)
    readers = {
        "algiers owner": shop["owner_token"],
        "algiers buyer": shop["buyer_token"],
        "oran owner": other_shop["owner_token"],
        "driver": driver_token,
        "admin": admin_token,
    }
    cursors = {who: follow(api, token) for who, token in readers.items()}
    shops = announce(api, admin_token)  # every shop (the default)
    algiers = announce(api, admin_token, audience="wilaya", wilaya=16)
    oran = announce(api, admin_token, audience="wilaya", wilaya=31)
    drivers = announce(api, admin_token, audience="drivers")
    everyone = announce(api, admin_token, audience="everyone")
    settle()
    seen = {who: announcements_in(poll(api, token, cursors[who])) for who, token in readers.items()}
    posted = lambda *ids: [("posted", i) for i in ids]  # noqa: E731
    assert seen["algiers owner"] == posted(shops, algiers, everyone)
    assert seen["algiers buyer"] == posted(shops, algiers, everyone)
    assert seen["oran owner"] == posted(shops, oran, everyone)
    assert seen["driver"] == posted(drivers, everyone)
    assert seen["admin"] == posted(shops, algiers, oran, drivers, everyone)  # the staff see all they run

    # withdrawn: the readers it was meant for are told, in the same feed
    cursors = {who: poll(api, token, cursors[who]).body["meta"]["next_cursor"] for who, token in readers.items()}
    assert api.post(f"/v1/admin/announcements/{algiers}/withdrawal", admin_token).status == 200
    settle()
    withdrawn = {who: announcements_in(poll(api, token, cursors[who])) for who, token in readers.items()}
    assert withdrawn["algiers owner"] == withdrawn["algiers buyer"] == [("withdrawn", algiers)]
    assert withdrawn["oran owner"] == withdrawn["driver"] == []
    assert withdrawn["admin"] == [("withdrawn", algiers)]


def test_announcements_and_a_shops_own_changes_come_in_one_order(api, admin_token, shop, catalog):
    cursor = follow(api, shop["owner_token"])
    first = announce(api, admin_token)
    order = place(api, shop, catalog)
    last = announce(api, admin_token, audience="everyone")
    settle()
    reply = poll(api, shop["owner_token"], cursor)
    assert [(c["kind"], c["data"].get("announcement_id") or c["data"].get("order_id")) for c in reply.data] == [
        ("announcement.posted", first),
        ("order.placed", order["order_id"]),
        ("announcement.posted", last),
    ]
    # a page at a time: the cursor never skips an entry of either kind
    pages, after = [], cursor
    for _ in range(4):
        page = api.get(f"/v1/changes?after={after}&limit=1", shop["owner_token"])
        pages += [c["kind"] for c in page.data]
        after = page.body["meta"]["next_cursor"]
    assert pages == ["announcement.posted", "order.placed", "announcement.posted"]


def test_an_announcement_for_others_moves_the_cursor_and_costs_nothing_after(
    api, admin_token, shop, driver_token, dynamodb_calls
):
    cursor = follow(api, shop["owner_token"])
    announce(api, admin_token, audience="drivers")
    settle()
    with dynamodb_calls() as calls:
        reply = poll(api, shop["owner_token"], cursor)
    assert reply.data == [] and reply.body["meta"]["next_cursor"] > cursor  # looked at, not for this shop
    assert calls == ["BatchGetItem", "Query", "Query"]  # the head said: something new in the broadcast partition
    cursor = reply.body["meta"]["next_cursor"]
    settle()
    with dynamodb_calls() as calls:
        again = poll(api, shop["owner_token"], cursor, headers={"If-None-Match": f'"{cursor}"'})
    assert again.status == 304 and calls == ["BatchGetItem", "Query"]  # the head is behind the cursor


def test_the_announcements_head_never_moves_back(api, admin_token, shop):
    """Two announcements posted at once may commit in the other order than they were stamped;
    the head only moves forward (the later commit is stamped anew), or a reader whose cursor is
    at the head would skip the other."""
    from chalicelib.core.ids import new_id
    from chalicelib.db import keys
    from chalicelib.events.models import FeedHead

    cursor = follow(api, shop["owner_token"])
    pk, sk = keys.feed_head("broadcast")
    ahead = new_id(clock.now() + timedelta(milliseconds=40))  # another post, stamped a moment later, won
    FeedHead(PK=pk, SK=sk, latest=ahead).save()
    posted = []
    for _ in range(8):  # the clock moves only between requests here: the retries pass the head
        reply = api.post("/v1/admin/announcements", admin_token, {"texts": {"ar": "إعلان"}})
        if reply.status == 201:
            posted.append(reply.data["announcement_id"])
            break
        assert reply.status == 409 and reply.error["code"] == "conflict", reply.body
        tick()
        tick()
    assert posted, "never passed the head"
    assert FeedHead.get(pk, sk).latest > ahead
    settle()
    assert announcements_in(poll(api, shop["owner_token"], cursor)) == [("posted", posted[0])]
