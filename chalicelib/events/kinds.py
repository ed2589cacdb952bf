"""The catalogue of domain events: one constructor per kind, its keyword arguments the payload.

A domain builds an event here and records it with `bus.record(tx, event)`; the consumers
(the notification worker today, the change feed and Web Push next) read `kind` and
`payload`. Typed constructors rather than classes: the catalogue costs nothing at import.
"""

from __future__ import annotations

from typing import Any, Literal


class DomainEvent:
    """What happened: a kind from `KINDS` and its payload (JSON values only)."""

    __slots__ = ("kind", "payload")

    def __init__(self, kind: str, payload: dict[str, Any]) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown event kind {kind!r}")
        self.kind = kind
        self.payload = payload

    def __repr__(self) -> str:
        return f"DomainEvent({self.kind!r}, {self.payload!r})"


OrderStatus = Literal["confirmed", "preparing", "out_for_delivery", "delivered", "cancelled"]
ReminderStep = Literal["before_due", "due", "overdue"]

KINDS: frozenset[str] = frozenset(
    {
        "retailer.registered",
        "retailer.approved",
        "retailer.rejected",
        "retailer.legal_approved",
        "retailer.legal_rejected",
        "order.placed",
        *(f"order.{s}" for s in ("confirmed", "preparing", "out_for_delivery", "delivered", "cancelled")),
        "payment.received",
        *(f"credit.reminder_{s}" for s in ("before_due", "due", "overdue")),
        "credit.escalation",
        "catalog.low_stock_digest",
        "auth.reset_code",
        "auth.login_code",
        "auth.phone_code",
        "announcement.posted",
        "announcement.withdrawn",
    }
)


# ---------------------------------------------------------------- accounts


def retailer_registered(*, retailer_id: str, shop: str, wilaya: int) -> DomainEvent:
    """A new shop registered and waits for review."""
    return DomainEvent("retailer.registered", {"retailer_id": retailer_id, "shop": shop, "wilaya": wilaya})


def legal_reviewed(*, approved: bool, retailer_id: str, reason: str = "") -> DomainEvent:
    """An admin approved or rejected a shop's change of its legal identifiers."""
    kind = "retailer.legal_approved" if approved else "retailer.legal_rejected"
    return DomainEvent(kind, {"retailer_id": retailer_id, "reason": reason})


def retailer_decided(*, approved: bool, retailer_id: str, shop: str, reason: str = "") -> DomainEvent:
    """A registration was approved or rejected (with the reason the shop reads)."""
    kind = "retailer.approved" if approved else "retailer.rejected"
    return DomainEvent(kind, {"retailer_id": retailer_id, "shop": shop, "reason": reason})


def reset_code(*, user_id: str, code: str, expires_at: int) -> DomainEvent:
    """A one-time code for a user who forgot their password: texted to that user alone, and not
    after `expires_at` (epoch seconds)."""
    return DomainEvent(
        "auth.reset_code", {"audience": "user", "user_id": user_id, "code": code, "expires_at": expires_at}
    )


def login_code(*, user_id: str, code: str, expires_at: int) -> DomainEvent:
    """A one-time code a login needs after many failed logins of the username: texted to that
    user alone, and not after `expires_at` (epoch seconds)."""
    return DomainEvent(
        "auth.login_code", {"audience": "user", "user_id": user_id, "code": code, "expires_at": expires_at}
    )


def phone_code(*, user_id: str, phone: str, code: str, expires_at: int) -> DomainEvent:
    """A code confirming a user's new phone: texted to that new number (not the user's current
    one), and not after `expires_at` (epoch seconds)."""
    return DomainEvent(
        "auth.phone_code",
        {"audience": "user", "user_id": user_id, "phone": phone, "code": code, "expires_at": expires_at},
    )


# ---------------------------------------------------------------- orders


def order_placed(*, retailer_id: str, order_id: str, number: str, amount: int) -> DomainEvent:
    """A shop (or an admin for it) placed an order."""
    return DomainEvent(
        "order.placed", {"retailer_id": retailer_id, "order_id": order_id, "number": number, "amount": amount}
    )


def order_moved(
    status: OrderStatus, *, retailer_id: str, order_id: str, number: str, amount: int, driver_id: str | None = None
) -> DomainEvent:
    """An order reached `status` (each status is its own kind); `amount` is what it is worth now;
    `driver_id` once a driver has it."""
    payload: dict[str, Any] = {"retailer_id": retailer_id, "order_id": order_id, "number": number, "amount": amount}
    if driver_id:
        payload["driver_id"] = driver_id
    return DomainEvent(f"order.{status}", payload)


# ---------------------------------------------------------------- credit


def payment_received(*, retailer_id: str, amount: int, balance: int) -> DomainEvent:
    return DomainEvent("payment.received", {"retailer_id": retailer_id, "amount": amount, "balance": balance})


def credit_reminder(step: ReminderStep, *, retailer_id: str, amount: int, due_date: str, days: int) -> DomainEvent:
    """A step of the reminder ladder: `due_date` as the shop reads it (dd/mm/yyyy), `days`
    past it (negative before it)."""
    payload = {"retailer_id": retailer_id, "amount": amount, "due_date": due_date, "days": days}
    return DomainEvent(f"credit.reminder_{step}", payload)


def credit_escalation(*, retailer_id: str, amount: int, due_date: str, days: int) -> DomainEvent:
    """Two weeks overdue: the platform's staff take over."""
    payload = {"retailer_id": retailer_id, "amount": amount, "due_date": due_date, "days": days, "audience": "ops"}
    return DomainEvent("credit.escalation", payload)


# ---------------------------------------------------------------- catalog


def low_stock_digest(*, count: int, names: str) -> DomainEvent:
    """The morning count of products at or below their minimum stock, for the staff."""
    return DomainEvent("catalog.low_stock_digest", {"audience": "ops", "count": count, "names": names})


# ---------------------------------------------------------------- announcements


def announcement_posted(
    *, announcement_id: str, texts: dict[str, str], audience: str, wilaya: int | None, expires_at: int | None
) -> DomainEvent:
    """An admin posted an announcement: pushed to the browsers of its audience (`everyone`,
    `shops`, `wilaya`, `drivers`), not after it ends (`expires_at`, epoch seconds)."""
    payload: dict[str, object] = {
        "announcement_id": announcement_id,
        "texts": texts,
        "audience": audience,
        "wilaya": wilaya,
    }
    if expires_at is not None:
        payload["expires_at"] = expires_at
    return DomainEvent("announcement.posted", payload)


def announcement_withdrawn(*, announcement_id: str, audience: str, wilaya: int | None) -> DomainEvent:
    """An admin withdrew an announcement: the feeds that showed it say so (nothing is sent)."""
    return DomainEvent(
        "announcement.withdrawn", {"announcement_id": announcement_id, "audience": audience, "wilaya": wilaya}
    )
