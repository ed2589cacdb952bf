"""Credit reminders over a month with a frozen clock: the exact ladder, nothing on Fridays,
nothing twice on a rerun, escalation to the staff after 14 days."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from chalicelib.core import clock
from chalicelib.credit import reminders
from chalicelib.notify import worker as notify
from tests.api.test_notify import _queue_messages


@pytest.fixture
def owing(api, shop, admin_token, driver_token, catalog):
    """El Baraka-like shop: a credit order delivered on Monday 2 November 2026 (due the 17th)."""
    clock.freeze(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
    admin_token, driver_token = api.token("admin", "admin-pass-2026"), api.token("driver1", "driver-pass-2026")
    buyer = api.token(shop["buyer"])
    placed = api.post(
        "/v1/orders",
        buyer,
        {"items": [{"product_id": catalog["oil"]["product_id"], "quantity": 8}], "payment_method": "credit"},
        headers={"Idempotency-Key": "reminder-order-1"},
    ).data
    driver_id = api.get("/v1/me", driver_token).data["user"]["user_id"]
    oid = placed["order_id"]
    for to, extra in (("confirmed", {}), ("preparing", {}), ("out_for_delivery", {"driver_id": driver_id})):
        api.post(f"/v1/orders/{oid}/transitions", admin_token, {"to": to, **extra})
    delivered = api.post(f"/v1/orders/{oid}/transitions", driver_token, {"to": "delivered"}).data
    assert delivered["due_date"] == "2026-11-17"
    _queue_messages()
    return delivered


def _run_month() -> dict[str, list[str]]:
    """Run the schedule every day of November and December (twice a day: a rerun)."""
    sent: dict[str, list[str]] = {}
    day = date(2026, 11, 3)
    while day <= date(2026, 12, 10):
        clock.freeze(datetime(day.year, day.month, day.day, 8, 0, tzinfo=UTC))
        first = reminders.run()
        again = reminders.run()
        assert again == []  # a rerun the same day sends nothing
        if first:
            sent[day.isoformat()] = [s.step for s in first]
        day += timedelta(days=1)
    return sent


def test_the_reminder_ladder_over_a_month(owing, monkeypatch):
    sent = _run_month()
    # due Tuesday 17 Nov: -3 = Sat 14, due = Tue 17, +3 = Fri 20 (moved to Sat 21), +7 = Tue 24, +14 = Tue 1 Dec
    assert sent == {
        "2026-11-14": ["before_due"],
        "2026-11-17": ["due"],
        "2026-11-21": ["overdue_3"],
        "2026-11-24": ["overdue_7"],
        "2026-12-01": ["overdue_14"],
    }
    assert not any(date.fromisoformat(d).weekday() == 4 for d in sent)


def test_reminders_reach_the_shop_and_escalate_to_staff(api, owing, monkeypatch):
    from chalicelib.core import config

    current = config.notify_settings()
    monkeypatch.setattr(notify, "notify_settings", lambda: replace(current, escalation_phones=("+213661112233",)))
    _run_month()
    kinds = [json.loads(m["Body"]) for m in _queue_messages()]
    assert [k["kind"] for k in kinds] == [
        "credit.reminder_before_due",
        "credit.reminder_due",
        "credit.reminder_overdue",
        "credit.reminder_overdue",
        "credit.reminder_overdue",
        "credit.escalation",
    ]
    assert kinds[-1]["payload"]["days"] == 14 and kinds[-1]["payload"]["audience"] == "ops"
    for event in kinds:
        notify.handle(event)
    admin = api.token("admin", "admin-pass-2026")
    log = api.get("/v1/admin/messages?limit=100", admin).data
    ops = [m for m in log if m["kind"] == "credit.escalation"]
    assert len(ops) == 1 and "14" in ops[0]["body"] and ops[0]["retailer_id"] is None
    overdue = [m for m in log if m["kind"] == "credit.reminder_overdue" and "7" in m["body"]]
    assert overdue and "17/11/2026" in overdue[0]["body"]


def test_a_paid_shop_hears_nothing_more(api, owing):
    clock.freeze(datetime(2026, 11, 14, 8, 0, tzinfo=UTC))
    assert [s.step for s in reminders.run()] == ["before_due"]
    admin = api.token("admin", "admin-pass-2026")
    api.post(
        f"/v1/orders/{owing['order_id']}/payments",
        admin,
        {"amount": owing["delivered_total"], "method": "transfer"},
        headers={"Idempotency-Key": "reminder-pay-1"},
    )
    clock.freeze(datetime(2026, 11, 17, 8, 0, tzinfo=UTC))
    assert reminders.run() == []


def test_the_schedule_entry_point(api, owing):
    clock.freeze(datetime(2026, 11, 17, 8, 0, tzinfo=UTC))
    event = api.client.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail={}, resources=[]
    )
    reply = api.client.lambda_.invoke("send_credit_reminders", event)
    assert reply.payload == {"reminders": 1, "escalated": 0}
    clock.freeze(datetime(2026, 11, 20, 8, 0, tzinfo=UTC))  # a Friday
    assert api.client.lambda_.invoke("send_credit_reminders", event).payload == {"reminders": 0, "escalated": 0}


def test_the_staff_get_one_low_stock_digest_a_day(api, admin_token, catalog, monkeypatch):
    from chalicelib.catalog import stock as catalog_stock
    from chalicelib.core import config

    current = config.notify_settings()
    monkeypatch.setattr(notify, "notify_settings", lambda: replace(current, escalation_phones=("+213661112233",)))
    _queue_messages()
    oil = catalog["oil"]["product_id"]
    api.post(f"/v1/products/{oil}/stock", admin_token, {"delta": -110, "reason": "Casse"})  # 10 left, minimum 24
    assert catalog_stock.low_stock_digest() is True
    assert catalog_stock.low_stock_digest() is False  # once a day
    (event,) = [json.loads(m["Body"]) for m in _queue_messages()]
    assert event["kind"] == "catalog.low_stock_digest" and event["payload"]["count"] == 1
    (message,) = notify.handle(event)
    assert message.body == "Livrili : 1 produits sous le stock minimum : Huile Elio 5 L (10)"
