"""Credit accounts: opening, limits and terms, reservations for credit orders, the receivable
and due-date bookkeeping shared by deliveries and payments, the exposure counters.

Invariants live in DynamoDB conditions, never in read-then-write Python: a credit order
reserves with `available >= total` on the account; every ledger entry's `balance_after` is
exact, because the account update beside it is conditioned on the balance read. Other
domains add the credit side of their own transactions through `open_account`, `reserve`,
`release` (and `delivery.deliver`), so a change and its money commit together.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from chalicelib.audit import service as audit
from chalicelib.core import clock
from chalicelib.core.errors import Conflict
from chalicelib.core.ids import id_time, new_id
from chalicelib.core.observability import count
from chalicelib.core.rbac import Actor
from chalicelib.credit import rules
from chalicelib.credit.models import (
    CreditAccount,
    CreditCounter,
    DueDayCounter,
    LedgerEntry,
    Receivable,
)
from chalicelib.db import keys
from chalicelib.db.base import Item, get_one, read_many
from chalicelib.db.tx import Tx, TxCancelled, transaction
from chalicelib.db.updates import typed

DEFAULT_TERMS_DAYS = 15


RETRIES = 5


def get_account(retailer_id: str) -> CreditAccount:
    return get_one(CreditAccount, (keys.retailer(retailer_id), keys.CREDIT_SK))


def account_key(retailer_id: str) -> tuple[str, str]:
    """The (PK, SK) of a retailer's credit account, for callers batching their reads."""
    return keys.retailer(retailer_id), keys.CREDIT_SK


def credit_limits(retailer_ids: list[str]) -> dict[str, int]:
    """The credit limit of each retailer (0 without an account), in one BatchGetItem."""
    wanted = list(dict.fromkeys(retailer_ids))
    found = {
        item.retailer_id: int(item.credit_limit)
        for item in read_many([account_key(r) for r in wanted]).values()
        if isinstance(item, CreditAccount)
    }
    return {r: found.get(r, 0) for r in wanted}


def open_account(tx: Tx, retailer_id: str, credit_limit: int) -> CreditAccount:
    """Open (or re-grant) a retailer's credit account inside the approval's transaction."""
    now = clock.iso()
    account = CreditAccount(
        PK=keys.retailer(retailer_id),
        SK=keys.CREDIT_SK,
        retailer_id=retailer_id,
        credit_limit=credit_limit,
        available=credit_limit,
        payment_terms_days=DEFAULT_TERMS_DAYS,
        created_at=now,
        updated_at=now,
    )
    tx.create(account, label="credit_account")
    return account


def counter_key(retailer_id: str) -> tuple[str, str]:
    return keys.DASHBOARD, keys.credit_counter(keys.shard_of(retailer_id))


def count_exposure(tx: Tx, retailer_id: str, balance: int = 0, open_orders: int = 0) -> None:
    pk, sk = counter_key(retailer_id)
    actions = [typed(CreditCounter)]
    if balance:
        actions.append(CreditCounter.balance_total.add(balance))
    if open_orders:
        actions.append(CreditCounter.open_orders_total.add(open_orders))
    if len(actions) > 1:
        tx.update(CreditCounter(PK=pk, SK=sk), actions, label="credit_counter")


def count_due(tx: Tx, retailer_id: str, due_date: str, delta: int) -> None:
    counter = DueDayCounter(PK=keys.DASHBOARD, SK=keys.due_day_counter(due_date, keys.shard_of(retailer_id)))
    tx.update(counter, [typed(DueDayCounter), DueDayCounter.remaining.add(delta)], label=f"due_counter:{due_date}")


def count_dues(tx: Tx, retailer_id: str, moves: list[tuple[str, int]]) -> None:
    """Several due-date counter moves, one update per date (a transaction touches an item once)."""
    per_date: dict[str, int] = {}
    for due_date, delta in moves:
        per_date[due_date] = per_date.get(due_date, 0) + delta
    for due_date, delta in per_date.items():
        count_due(tx, retailer_id, due_date, delta)


def new_receivable(
    retailer_id: str, order_id: str, order_number: str, due_date: str, amount: int, created_at: str
) -> Receivable:
    """What a shop owes for one order on one due date (a delivery, or a reversed payment)."""
    return Receivable(
        PK=keys.retailer(retailer_id),
        SK=keys.receivable(due_date, order_id),
        retailer_id=retailer_id,
        order_id=order_id,
        order_number=order_number,
        due_date=due_date,
        amount=amount,
        remaining=amount,
        created_at=created_at,
    )


def credit_refusal(found: Mapping[tuple[str, str], Item], retailer_id: str, total: int) -> dict[str, Any] | None:
    """Why `retailer_id` cannot buy `total` on credit, from a batch read holding `account_key`
    (None: it can, and `reserve` will hold it)."""
    account = found.get(account_key(retailer_id))
    if not isinstance(account, CreditAccount):
        return rules.refusal(False, 0, 0, total)
    return rules.refusal(True, int(account.credit_limit), int(account.available), total)


def reserve(tx: Tx, retailer_id: str, amount: int) -> None:
    """Reserve a credit order's total: fails (label `credit`) unless `available >= amount`."""
    account = CreditAccount(PK=keys.retailer(retailer_id), SK=keys.CREDIT_SK)
    tx.update(
        account,
        [
            CreditAccount.available.add(-amount),
            CreditAccount.open_orders_amount.add(amount),
            CreditAccount.updated_at.set(clock.iso()),
        ],
        condition=(CreditAccount.credit_limit > 0) & (CreditAccount.available >= amount),
        label="credit",
    )
    count_exposure(tx, retailer_id, open_orders=amount)


def release(tx: Tx, retailer_id: str, amount: int) -> None:
    """Give back a cancelled credit order's reservation."""
    account = CreditAccount(PK=keys.retailer(retailer_id), SK=keys.CREDIT_SK)
    tx.update(
        account,
        [
            CreditAccount.available.add(amount),
            CreditAccount.open_orders_amount.add(-amount),
            CreditAccount.updated_at.set(clock.iso()),
        ],
        condition=CreditAccount.open_orders_amount >= amount,
        label="credit",
    )
    count_exposure(tx, retailer_id, open_orders=-amount)


def due_date_for(account: CreditAccount, moment: Any = None) -> str:
    """When something delivered now falls due: today in Algiers + the retailer's terms."""
    today = date.fromisoformat(clock.local_date(moment))
    return (today + timedelta(days=int(account.payment_terms_days))).isoformat()


def move_balance(tx: Tx, account: CreditAccount, owed: int, at: str, oldest: str | None, released: int = 0) -> None:
    """Move a shop's balance by `owed` (negative: it owes less) and release `released` of its
    open-order reservations, keeping `available` and the oldest due date exact; conditioned on
    the balance read (fails with label `account` when someone else moved it), the platform's
    exposure counters with it."""
    balance = int(account.balance)
    due_values = due_keys(account.retailer_id, oldest) if oldest != account.oldest_due_date else {}
    actions = [
        CreditAccount.balance.add(owed),
        CreditAccount.available.add(released - owed),
        CreditAccount.updated_at.set(at),
        *set_or_remove(due_values),
    ]
    condition = CreditAccount.balance == balance
    if released:
        actions.append(CreditAccount.open_orders_amount.add(-released))
        condition &= CreditAccount.open_orders_amount >= released
    tx.update(account, actions, condition=condition, label="account")
    count_exposure(tx, account.retailer_id, balance=owed, open_orders=-released)


def due_keys(retailer_id: str, oldest: str | None) -> dict[str, Any]:
    if oldest is None:
        return {"oldest_due_date": None, "GSI3PK": None, "GSI3SK": None}
    return {"oldest_due_date": oldest, "GSI3PK": keys.DUE, "GSI3SK": keys.due_sort(oldest, retailer_id)}


def set_or_remove(values: dict[str, Any]) -> list[Any]:
    return [
        getattr(CreditAccount, name).remove() if value is None else getattr(CreditAccount, name).set(value)
        for name, value in values.items()
    ]


def new_entry(
    account: CreditAccount,
    actor: Actor,
    kind: str,
    amount: int,
    balance_after: int,
    moment: datetime,
    **fields: Any,
) -> LedgerEntry:
    """A ledger entry whose id is stamped with its own time, so `(PK, SK)` follow from the id."""
    entry_id = new_id(moment)
    ts = clock.iso(id_time(entry_id))
    return LedgerEntry(
        PK=keys.retailer(account.retailer_id),
        SK=keys.ledger_entry(ts, entry_id),
        entry_id=entry_id,
        retailer_id=account.retailer_id,
        kind=kind,
        amount=amount,
        balance_after=balance_after,
        actor_id=actor.user_id,
        actor_username=actor.username,
        actor_role=str(actor.role),
        created_at=ts,
        **fields,
    )


def open_receivables(retailer_id: str, limit: int | None = None) -> list[Receivable]:
    """What the retailer still owes, oldest due date first (one consistent Query)."""
    return list(
        Receivable.query(
            keys.retailer(retailer_id),
            Receivable.SK.startswith(keys.RECEIVABLE_PREFIX),
            consistent_read=True,
            limit=limit,
        )
    )


def update_terms(
    actor: Actor, retailer_id: str, credit_limit: int | None, payment_terms_days: int | None
) -> CreditAccount:
    """Change the limit and/or payment terms (admins; audited). A limit below the balance is
    allowed: it blocks new credit orders until the retailer pays down."""
    for _ in range(RETRIES):
        account = get_account(retailer_id)
        before = {"credit_limit": int(account.credit_limit), "payment_terms_days": int(account.payment_terms_days)}
        after = dict(before)
        if credit_limit is not None:
            after["credit_limit"] = credit_limit
        if payment_terms_days is not None:
            after["payment_terms_days"] = payment_terms_days
        if after == before:
            return account
        delta = after["credit_limit"] - before["credit_limit"]
        try:
            with transaction() as tx:
                tx.update(
                    account,
                    [
                        CreditAccount.credit_limit.set(after["credit_limit"]),
                        CreditAccount.available.add(delta),
                        CreditAccount.payment_terms_days.set(after["payment_terms_days"]),
                        CreditAccount.updated_at.set(clock.iso()),
                    ],
                    condition=CreditAccount.credit_limit == before["credit_limit"],
                    label="account",
                )
                audit.record(
                    tx,
                    actor,
                    "credit.terms_changed",
                    "retailer",
                    retailer_id,
                    retailer_id=retailer_id,
                    before=before,
                    after=after,
                )
        except TxCancelled as exc:
            if "account" in exc.failed:
                continue
            raise
        count("CreditTermsChanged")
        account.credit_limit = after["credit_limit"]
        account.available = int(account.available) + delta
        account.payment_terms_days = after["payment_terms_days"]
        return account
    raise Conflict("conflict")
