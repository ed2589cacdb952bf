"""The money side of a delivery: the receivable, the ledger entries, the account update,
added to the orders domain's delivery transaction."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from chalicelib.core import clock
from chalicelib.core.errors import Conflict
from chalicelib.core.rbac import Actor
from chalicelib.credit.account import (
    account_key,
    count_due,
    due_date_for,
    move_balance,
    new_entry,
    new_receivable,
)
from chalicelib.credit.models import (
    Allocation,
    CreditAccount,
    LedgerEntry,
)
from chalicelib.credit.rules import check_cash_collected, stamp_duty
from chalicelib.db.base import Item
from chalicelib.db.tx import Tx


@dataclass(frozen=True)
class Delivery:
    """What the orders domain knows of a delivered order. Building one refuses (400) more cash
    than was delivered, so the check runs once, before anything is read."""

    retailer_id: str
    order_id: str
    order_number: str
    reserved: int  # the credit reservation held by the order (0 for cash on delivery)
    delivered_total: int  # what was delivered, VAT included
    cash_collected: int  # paid at the door

    def __post_init__(self) -> None:
        check_cash_collected(self.cash_collected, self.delivered_total)


@dataclass(frozen=True)
class DeliveryResult:
    due_date: str | None
    owed: int
    stamp_duty: int  # on the cash collected, paid on top of it
    entries: list[LedgerEntry]


def delivery_keys(retailer_id: str) -> list[tuple[str, str]]:
    """What `deliver` needs read (consistently) first, for callers batching their reads."""
    return [account_key(retailer_id)]


def deliver(tx: Tx, actor: Actor, found: Mapping[tuple[str, str], Item], delivery: Delivery) -> DeliveryResult:
    """Add the delivery's receivable, ledger entries and account update to `tx`.

    The delivered amount becomes a receivable, the cash taken at the door a payment at
    once; what is left unpaid falls due after the retailer's payment terms. The account
    update is conditioned on the balance read (`found` must hold a fresh consistent read of
    `delivery_keys`); it fails with label `account` when someone else moved it.
    """
    account = found.get(account_key(delivery.retailer_id))
    if not isinstance(account, CreditAccount):
        raise Conflict("credit_account_missing")
    moment = clock.now()
    owed = delivery.delivered_total - delivery.cash_collected
    entries = _entries(account, actor, delivery, moment)
    due_date = None
    oldest = account.oldest_due_date
    if owed > 0:
        due_date = due_date_for(account, moment)
        entries[0].due_date = due_date
        receivable = new_receivable(
            account.retailer_id, delivery.order_id, delivery.order_number, due_date, owed, clock.iso(moment)
        )
        tx.create(receivable, label="receivable")
        oldest = min(filter(None, [account.oldest_due_date, due_date]))
        count_due(tx, account.retailer_id, due_date, owed)
    for entry in entries:
        tx.create(entry, label="ledger")
    move_balance(tx, account, owed, clock.iso(moment), oldest, released=delivery.reserved)
    duty = stamp_duty(delivery.cash_collected)
    return DeliveryResult(due_date=due_date, owed=owed, stamp_duty=duty, entries=entries)


def _entries(account: CreditAccount, actor: Actor, delivery: Delivery, moment: datetime) -> list[LedgerEntry]:
    """The ledger's lines: the delivered amount, then the cash taken at the door (if any)."""
    balance = int(account.balance)
    after_delivery = balance + delivery.delivered_total
    entries = [
        new_entry(
            account,
            actor,
            "delivery",
            delivery.delivered_total,
            after_delivery,
            moment,
            order_id=delivery.order_id,
            order_number=delivery.order_number,
        )
    ]
    if delivery.cash_collected:
        entries.append(
            new_entry(
                account,
                actor,
                "payment",
                -delivery.cash_collected,
                after_delivery - delivery.cash_collected,
                moment + timedelta(milliseconds=1),  # sorts after the delivery
                order_id=delivery.order_id,
                order_number=delivery.order_number,
                method="cash",
                stamp_duty=stamp_duty(delivery.cash_collected),
                note="collected at delivery",
                allocations=[
                    Allocation(
                        order_id=delivery.order_id,
                        order_number=delivery.order_number,
                        due_date=clock.local_date(moment),
                        amount=delivery.cash_collected,
                    )
                ],
            )
        )
    return entries
