"""The catalogue of domain events: one frozen dataclass per kind, its fields the payload.

A domain builds one of these and records it with `outbox.record(tx, event)`; the consumers
(the notification worker today, the change feed and Web Push next) read `kind` and
`payload`. Plain dataclasses: the catalogue costs nothing at import.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, ClassVar


@dataclass(frozen=True)
class DomainEvent:
    kind: ClassVar[str]

    def payload(self) -> dict[str, Any]:
        return asdict(self)


# ---------------------------------------------------------------- accounts


@dataclass(frozen=True)
class RetailerApproved(DomainEvent):
    kind = "retailer.approved"
    retailer_id: str
    shop: str
    reason: str = ""


@dataclass(frozen=True)
class RetailerRejected(DomainEvent):
    kind = "retailer.rejected"
    retailer_id: str
    shop: str
    reason: str


# ---------------------------------------------------------------- orders


@dataclass(frozen=True)
class OrderMoved(DomainEvent):
    """An order reached a new status; each status is its own kind."""

    retailer_id: str
    order_id: str
    number: str
    amount: int


@dataclass(frozen=True)
class OrderConfirmed(OrderMoved):
    kind = "order.confirmed"


@dataclass(frozen=True)
class OrderPreparing(OrderMoved):
    kind = "order.preparing"


@dataclass(frozen=True)
class OrderOutForDelivery(OrderMoved):
    kind = "order.out_for_delivery"


@dataclass(frozen=True)
class OrderDelivered(OrderMoved):
    kind = "order.delivered"


@dataclass(frozen=True)
class OrderCancelled(OrderMoved):
    kind = "order.cancelled"


ORDER_MOVES: dict[str, type[OrderMoved]] = {
    cls.kind.removeprefix("order."): cls
    for cls in (OrderConfirmed, OrderPreparing, OrderOutForDelivery, OrderDelivered, OrderCancelled)
}


# ---------------------------------------------------------------- credit


@dataclass(frozen=True)
class PaymentReceived(DomainEvent):
    kind = "payment.received"
    retailer_id: str
    amount: int
    balance: int


@dataclass(frozen=True)
class CreditReminder(DomainEvent):
    """A step of the reminder ladder; each step is its own kind."""

    retailer_id: str
    amount: int
    due_date: str  # dd/mm/yyyy, as the shop reads it
    days: int  # days past the due date (negative before it)


@dataclass(frozen=True)
class CreditReminderBeforeDue(CreditReminder):
    kind = "credit.reminder_before_due"


@dataclass(frozen=True)
class CreditReminderDue(CreditReminder):
    kind = "credit.reminder_due"


@dataclass(frozen=True)
class CreditReminderOverdue(CreditReminder):
    kind = "credit.reminder_overdue"


@dataclass(frozen=True)
class CreditEscalation(CreditReminder):
    """Two weeks overdue: the platform's staff take over."""

    kind = "credit.escalation"
    audience: str = "ops"


# ---------------------------------------------------------------- catalog


@dataclass(frozen=True)
class LowStockDigest(DomainEvent):
    """The morning count of products at or below their minimum stock, for the staff."""

    kind = "catalog.low_stock_digest"
    count: int
    names: str
    audience: str = "ops"


def all_kinds() -> frozenset[str]:
    """Every kind in the catalogue."""
    found: set[str] = set()
    pending: list[type[DomainEvent]] = [DomainEvent]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if "kind" in vars(cls):
            found.add(cls.kind)
    return frozenset(found)
