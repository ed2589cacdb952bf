"""Orders' pure rules: the transition table, who an order is placed for, merged lines, what a
delivery may report. No table, no HTTP: the rule and its arguments."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from chalicelib.core.errors import AppError, Conflict, Forbidden, NotFound, ValidationFailed
from chalicelib.core.rbac import Actor, Role
from chalicelib.orders import schemas
from chalicelib.orders.rules import (
    TRANSITIONS,
    Status,
    check_requested_date,
    check_transition,
    delivered_quantities,
    merge_items,
    order_retailer,
)

ADMIN = Actor(user_id="U-ADMIN", role=Role.ADMIN)
OWNER = Actor(user_id="U-OWNER", role=Role.OWNER, retailer_id="R1")
DRIVER = Actor(user_id="U-DRIVER", role=Role.DRIVER)
DRIVER_ID = "01J00000000000000000000DRV"
P1, P2 = "01J0000000000000000000000A", "01J0000000000000000000000B"


def order(status: str, driver_id: str | None = None, lines: tuple[tuple[str, int], ...] = ()) -> SimpleNamespace:
    return SimpleNamespace(
        status=status,
        driver_id=driver_id,
        lines=[SimpleNamespace(product_id=pid, quantity=qty) for pid, qty in lines],
    )


def move(to: str, **fields: object) -> schemas.TransitionIn:
    return schemas.TransitionIn.model_validate({"to": to, **fields})


def field_of(error: AppError) -> tuple[str, str]:
    detail = error.details[0]
    return detail["field"], detail["code"]


@pytest.mark.parametrize(("start", "to"), sorted(TRANSITIONS))
def test_every_listed_move_is_allowed_to_its_roles_and_no_other(start, to):
    extra = {"driver_id": DRIVER_ID} if to == Status.OUT_FOR_DELIVERY else {}
    extra |= {"reason_code": "shop_closed"} if (start, to) == (Status.OUT_FOR_DELIVERY, Status.PREPARING) else {}
    for actor in (ADMIN, OWNER, DRIVER):
        if actor.role in TRANSITIONS[(start, to)]:
            check_transition(actor, order(start), move(to, **extra))
        elif any(actor.role in roles for (_, target), roles in TRANSITIONS.items() if target == to):
            # a move this role makes from another status: the order has moved on since
            with pytest.raises(Conflict) as caught:
                check_transition(actor, order(start), move(to, **extra))
            assert caught.value.code == "order_moved_on"
            assert caught.value.params == {"from_status": start, "to_status": to}
        else:
            with pytest.raises(Forbidden):
                check_transition(actor, order(start), move(to, **extra))


def test_a_shop_too_late_to_cancel_is_told_where_the_order_stands():
    with pytest.raises(Conflict) as caught:
        check_transition(OWNER, order(Status.CONFIRMED), move("cancelled"))
    assert caught.value.code == "order_moved_on"
    with pytest.raises(Forbidden):  # a shop never confirms, from any status
        check_transition(OWNER, order(Status.PENDING), move("confirmed"))


def test_a_move_outside_the_table_is_a_conflict_naming_both_statuses():
    with pytest.raises(Conflict) as caught:
        check_transition(ADMIN, order(Status.DELIVERED), move("cancelled"))
    assert caught.value.code == "invalid_order_transition"
    assert caught.value.params == {"from_status": "delivered", "to_status": "cancelled"}
    with pytest.raises(Conflict):  # no skipping a step either
        check_transition(ADMIN, order(Status.PENDING), move("out_for_delivery", driver_id=DRIVER_ID))


def test_dispatch_needs_a_driver_unless_the_order_already_has_one():
    with pytest.raises(ValidationFailed) as caught:
        check_transition(ADMIN, order(Status.PREPARING), move("out_for_delivery"))
    assert field_of(caught.value) == ("driver_id", "field_required")
    check_transition(ADMIN, order(Status.PREPARING, driver_id="U-DRIVER"), move("out_for_delivery"))


def test_delivery_fields_only_on_delivery_and_a_failed_delivery_says_why():
    with pytest.raises(ValidationFailed) as caught:
        check_transition(ADMIN, order(Status.PENDING), move("confirmed", cash_collected=100))
    assert field_of(caught.value) == ("cash_collected", "field_not_allowed")
    with pytest.raises(ValidationFailed) as caught:
        check_transition(ADMIN, order(Status.PENDING), move("confirmed", driver_id=DRIVER_ID))
    assert field_of(caught.value) == ("driver_id", "field_not_allowed")
    with pytest.raises(ValidationFailed) as caught:
        check_transition(ADMIN, order(Status.OUT_FOR_DELIVERY), move("preparing"))
    assert field_of(caught.value) == ("reason_code", "field_required")
    with pytest.raises(ValidationFailed) as caught:  # a free-text reason alone is no code
        check_transition(ADMIN, order(Status.OUT_FOR_DELIVERY), move("preparing", reason="Magasin fermé"))
    assert field_of(caught.value) == ("reason_code", "field_required")
    with pytest.raises(ValidationFailed) as caught:  # "other" is told in words
        check_transition(ADMIN, order(Status.OUT_FOR_DELIVERY), move("preparing", reason_code="other"))
    assert field_of(caught.value) == ("reason", "field_required")
    check_transition(ADMIN, order(Status.OUT_FOR_DELIVERY), move("preparing", reason_code="other", reason="Panne"))
    check_transition(DRIVER, order(Status.OUT_FOR_DELIVERY), move("preparing", reason_code="shop_closed"))
    with pytest.raises(ValidationFailed) as caught:  # a code names a failed delivery, nothing else
        check_transition(ADMIN, order(Status.PENDING), move("cancelled", reason_code="refused"))
    assert field_of(caught.value) == ("reason_code", "field_not_allowed")


def test_a_shop_orders_for_itself_and_an_admin_for_a_named_shop():
    assert order_retailer(OWNER, None) == "R1"
    assert order_retailer(OWNER, "R1") == "R1"
    with pytest.raises(NotFound):  # another shop's id is not even confirmed to exist
        order_retailer(OWNER, "R2")
    assert order_retailer(ADMIN, "R2") == "R2"
    with pytest.raises(ValidationFailed) as caught:
        order_retailer(ADMIN, None)
    assert field_of(caught.value) == ("retailer_id", "field_required")
    with pytest.raises(Forbidden):
        order_retailer(DRIVER, None)


def test_lines_of_one_product_are_merged_in_first_seen_order():
    items = [
        schemas.OrderItemIn(product_id=P2, quantity=6),
        schemas.OrderItemIn(product_id=P1, quantity=12),
        schemas.OrderItemIn(product_id=P2, quantity=6),
    ]
    assert list(merge_items(items).items()) == [(P2, 12), (P1, 12)]


def test_lines_left_out_of_a_delivery_are_delivered_in_full():
    placed = order(Status.OUT_FOR_DELIVERY, lines=((P1, 12), (P2, 6)))
    lines = [schemas.DeliveredLineIn(product_id=P1, delivered_quantity=10)]
    assert delivered_quantities(placed, lines) == {P1: 10, P2: 6}
    assert delivered_quantities(placed, None) == {P1: 12, P2: 6}


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ([("01J0000000000000000000000Z", 1)], ("lines.0.product_id", "not_in_order")),
        ([(P1, 1), (P1, 2)], ("lines.1.product_id", "duplicate_line")),
        ([(P1, 13)], ("lines.0.delivered_quantity", "more_than_ordered")),
        ([(P1, 0), (P2, 0)], ("lines", "nothing_delivered")),
    ],
)
def test_a_delivery_report_that_cannot_be_true_is_refused_with_the_line(lines, expected):
    placed = order(Status.OUT_FOR_DELIVERY, lines=((P1, 12), (P2, 6)))
    report = [schemas.DeliveredLineIn(product_id=pid, delivered_quantity=qty) for pid, qty in lines]
    with pytest.raises(ValidationFailed) as caught:
        delivered_quantities(placed, report)
    assert field_of(caught.value) == expected


def test_a_requested_delivery_day_is_today_to_two_weeks_ahead():
    today = date(2026, 12, 31)
    for fine in (None, today, date(2027, 1, 1), date(2027, 1, 14)):  # across the year's end
        check_requested_date(fine, today)
    for wrong, code in ((date(2026, 12, 30), "date_in_past"), (date(2027, 1, 15), "date_too_far")):
        with pytest.raises(ValidationFailed) as refused:
            check_requested_date(wrong, today)
        assert refused.value.details[0]["field"] == "requested_date" and refused.value.details[0]["code"] == code
