"""Credit items: each retailer's credit account, open receivables, the append-only ledger,
reversal claims, and the platform-wide credit counters the dashboard sums."""

from __future__ import annotations

from pynamodb.attributes import ListAttribute, MapAttribute, NumberAttribute, UnicodeAttribute

from chalicelib.db.base import Item


class CreditAccount(Item, discriminator="credit_account"):
    """PK=RETAILER#id, SK=CREDIT. Opened when the retailer is approved.

    `available` is kept equal to `credit_limit - balance - open_orders_amount` by every
    write (all of them ADD to it), so a credit order reserves with one condition,
    `available >= total`, that DynamoDB checks itself. `balance` is what the retailer owes
    (the sum of its open receivables); `open_orders_amount` the credit orders not yet
    delivered or cancelled. A retailer with open receivables sits on the sparse DUE index
    (GSI3) by its oldest due date.
    """

    retailer_id = UnicodeAttribute()
    credit_limit = NumberAttribute(default=0)
    balance = NumberAttribute(default=0)
    open_orders_amount = NumberAttribute(default=0)
    available = NumberAttribute(default=0)
    payment_terms_days = NumberAttribute(default=15)
    oldest_due_date = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()


class Receivable(Item, discriminator="receivable"):
    """PK=RETAILER#id, SK=RECV#due_date#order. What is still owed on one delivered order;
    deleted when paid in full (the ledger keeps the history)."""

    retailer_id = UnicodeAttribute()
    order_id = UnicodeAttribute()
    order_number = UnicodeAttribute()
    due_date = UnicodeAttribute()  # Algiers calendar date, yyyy-mm-dd
    amount = NumberAttribute()  # owed at delivery
    remaining = NumberAttribute()
    created_at = UnicodeAttribute()


class Allocation(MapAttribute[str, object]):
    """The part of a payment that settled one receivable."""

    order_id = UnicodeAttribute()
    order_number = UnicodeAttribute()
    due_date = UnicodeAttribute()
    amount = NumberAttribute()


class LedgerEntry(Item, discriminator="ledger_entry"):
    """PK=RETAILER#id, SK=LEDGER#ts#id. Never updated: a correction is a reversing entry.

    `amount` is signed: + increases what the retailer owes (a delivery, a reversed
    payment), - decreases it (a payment, a reversed delivery). `balance_after` is exact:
    the account update that goes with the entry is conditioned on the balance read.
    """

    entry_id = UnicodeAttribute()
    retailer_id = UnicodeAttribute()
    kind = UnicodeAttribute()  # delivery | payment | reversal
    amount = NumberAttribute()
    balance_after = NumberAttribute()
    order_id = UnicodeAttribute(null=True)
    order_number = UnicodeAttribute(null=True)
    method = UnicodeAttribute(null=True)  # cash | cheque | transfer (payments)
    stamp_duty = NumberAttribute(null=True)  # cash payments: droit de timbre, paid on top
    reference = UnicodeAttribute(null=True)  # cheque number, transfer reference
    note = UnicodeAttribute(null=True)
    allocations = ListAttribute(of=Allocation, null=True)
    reverses = UnicodeAttribute(null=True)  # the entry a reversal cancels
    due_date = UnicodeAttribute(null=True)  # deliveries: when the unpaid part falls due
    actor_id = UnicodeAttribute(null=True)
    actor_username = UnicodeAttribute(null=True)
    actor_role = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()


class Reversal(Item, discriminator="reversal"):
    """PK=RETAILER#id, SK=REVERSAL#entry: an entry can be reversed once."""

    entry_id = UnicodeAttribute()
    reversal_id = UnicodeAttribute()


class CreditCounter(Item, discriminator="credit_counter"):
    """PK=DASHBOARD, SK=CREDIT#shard: platform totals of balances and open credit orders."""

    balance_total = NumberAttribute(default=0)
    open_orders_total = NumberAttribute(default=0)


class DueDayCounter(Item, discriminator="due_day_counter"):
    """PK=DASHBOARD, SK=DUEDAY#date#shard: what is still owed, by due date (overdue = before today)."""

    remaining = NumberAttribute(default=0)


class ReminderClaim(Item, discriminator="reminder_claim"):
    """PK=REMINDER#shop#due#step or REMINDERDAY#shop#day: a reminder step is sent once per due
    date, a shop gets at most one reminder a day — a rerun of the schedule sends nothing twice."""

    retailer_id = UnicodeAttribute()
    created_at = UnicodeAttribute()
