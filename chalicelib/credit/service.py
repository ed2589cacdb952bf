"""Credit rules: limits, reservations, receivables, payments, the ledger, stamp duty.

No HTTP here. Invariants live in DynamoDB conditions, never in read-then-write Python:

* a credit order reserves with `available >= total` on the account (see `CreditAccount`);
* every ledger entry's `balance_after` is exact: the account update beside it is
  conditioned on the balance read, and a concurrent change makes the caller retry;
* a payment never exceeds what is owed: each receivable it settles is conditioned on the
  remaining amount read, and the account's balance on the value read;
* an entry is reversed at most once (a reversal claim item).

Other domains add the credit side of their own transactions through `open_account`,
`reserve`, `release` and `deliver` (orders), so an order and its money commit together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from pynamodb.exceptions import DoesNotExist

from chalicelib.audit import service as audit
from chalicelib.core import clock
from chalicelib.core.errors import Conflict, NotFound, field_conflict
from chalicelib.core.ids import id_time, new_id
from chalicelib.core.money import amount_in_words, format_dzd
from chalicelib.core.observability import count
from chalicelib.core.pagination import decode_cursor, encode_cursor
from chalicelib.core.rbac import Actor, ensure_tenant
from chalicelib.credit.models import (
    Allocation,
    CreditAccount,
    CreditCounter,
    DueDayCounter,
    LedgerEntry,
    Receivable,
    Reversal,
)
from chalicelib.credit.schemas import ReceiptOut
from chalicelib.db import keys
from chalicelib.db.base import read_many
from chalicelib.db.tx import Tx, TxCancelled, backoff, transaction
from chalicelib.db.updates import typed
from chalicelib.events import kinds, outbox

DEFAULT_TERMS_DAYS = 15
RETRIES = 5
# a payment settles at most this many receivables (one transaction holds 100 actions)
MAX_ALLOCATIONS = 80
PAYMENT_METHODS = ("cash", "cheque", "transfer")


# ============================================================================ stamp duty


def stamp_duty(centimes: int) -> int:
    """Droit de timbre on a cash payment (2025 finance law), in centimes.

    Nothing up to 300 DA. Above, per 100 DA or fraction of 100 DA: 1 DA up to 30,000 DA,
    1.5 DA up to 100,000 DA, 2 DA above; never less than 5 DA. The rate follows the
    bracket of the whole amount (it is not marginal).
    """
    if centimes <= 300_00:
        return 0
    brackets = -(-centimes // 100_00)  # 100 DA slices, a started slice counts
    if centimes <= 30_000_00:
        per_bracket = 100
    elif centimes <= 100_000_00:
        per_bracket = 150
    else:
        per_bracket = 200
    return max(brackets * per_bracket, 5_00)


# ============================================================================ accounts


def get_account(retailer_id: str) -> CreditAccount:
    try:
        return CreditAccount.get(keys.retailer(retailer_id), keys.CREDIT_SK, consistent_read=True)
    except DoesNotExist as exc:
        raise NotFound() from exc


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


def _counter_key(retailer_id: str) -> tuple[str, str]:
    return keys.DASHBOARD, keys.credit_counter(keys.shard_of(retailer_id))


def _count_exposure(tx: Tx, retailer_id: str, balance: int = 0, open_orders: int = 0) -> None:
    pk, sk = _counter_key(retailer_id)
    actions = [typed(CreditCounter)]
    if balance:
        actions.append(CreditCounter.balance_total.add(balance))
    if open_orders:
        actions.append(CreditCounter.open_orders_total.add(open_orders))
    if len(actions) > 1:
        tx.update(CreditCounter(PK=pk, SK=sk), actions, label="credit_counter")


def _count_due(tx: Tx, retailer_id: str, due_date: str, delta: int) -> None:
    counter = DueDayCounter(PK=keys.DASHBOARD, SK=keys.due_day_counter(due_date, keys.shard_of(retailer_id)))
    tx.update(counter, [typed(DueDayCounter), DueDayCounter.remaining.add(delta)], label=f"due_counter:{due_date}")


def _count_dues(tx: Tx, retailer_id: str, moves: list[tuple[str, int]]) -> None:
    """Several due-date counter moves, one update per date (a transaction touches an item once)."""
    per_date: dict[str, int] = {}
    for due_date, delta in moves:
        per_date[due_date] = per_date.get(due_date, 0) + delta
    for due_date, delta in per_date.items():
        _count_due(tx, retailer_id, due_date, delta)


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
    _count_exposure(tx, retailer_id, open_orders=amount)


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
    _count_exposure(tx, retailer_id, open_orders=-amount)


def due_date_for(account: CreditAccount, moment: Any = None) -> str:
    """When something delivered now falls due: today in Algiers + the retailer's terms."""
    today = date.fromisoformat(clock.local_date(moment))
    return (today + timedelta(days=int(account.payment_terms_days))).isoformat()


def _due_keys(retailer_id: str, oldest: str | None) -> dict[str, Any]:
    if oldest is None:
        return {"oldest_due_date": None, "GSI3PK": None, "GSI3SK": None}
    return {"oldest_due_date": oldest, "GSI3PK": keys.DUE, "GSI3SK": keys.due_sort(oldest, retailer_id)}


def _set_or_remove(values: dict[str, Any]) -> list[Any]:
    return [
        getattr(CreditAccount, name).remove() if value is None else getattr(CreditAccount, name).set(value)
        for name, value in values.items()
    ]


def _ledger(
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


@dataclass(frozen=True)
class Delivery:
    """The money side of a delivered order, as the orders domain computed it."""

    order_id: str
    order_number: str
    reserved: int  # the credit reservation held by the order (0 for cash on delivery)
    delivered_total: int  # what was delivered, VAT included
    cash_collected: int  # paid at the door
    stamp_duty: int  # on the cash collected


@dataclass(frozen=True)
class DeliveryResult:
    due_date: str | None
    owed: int
    entries: list[LedgerEntry]


def deliver(tx: Tx, actor: Actor, account: CreditAccount, delivery: Delivery) -> DeliveryResult:
    """Add the delivery's receivable, ledger entries and account update to `tx`.

    The delivered amount becomes a receivable, the cash taken at the door a payment at
    once; what is left unpaid falls due after the retailer's payment terms. The account
    update is conditioned on the balance read (`account` must be a fresh consistent
    read); it fails with label `account` when someone else moved it.
    """
    moment = clock.now()
    balance = int(account.balance)
    owed = delivery.delivered_total - delivery.cash_collected
    after_delivery = balance + delivery.delivered_total
    new_balance = balance + owed
    entries = [
        _ledger(
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
            _ledger(
                account,
                actor,
                "payment",
                -delivery.cash_collected,
                new_balance,
                moment + timedelta(milliseconds=1),  # sorts after the delivery
                order_id=delivery.order_id,
                order_number=delivery.order_number,
                method="cash",
                stamp_duty=delivery.stamp_duty,
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
    due_date = None
    values: dict[str, Any] = {}
    if owed > 0:
        due_date = due_date_for(account, moment)
        entries[0].due_date = due_date
        tx.create(
            Receivable(
                PK=keys.retailer(account.retailer_id),
                SK=keys.receivable(due_date, delivery.order_id),
                retailer_id=account.retailer_id,
                order_id=delivery.order_id,
                order_number=delivery.order_number,
                due_date=due_date,
                amount=owed,
                remaining=owed,
                created_at=clock.iso(moment),
            ),
            label="receivable",
        )
        oldest = min(filter(None, [account.oldest_due_date, due_date]))
        if oldest != account.oldest_due_date:
            values = _due_keys(account.retailer_id, oldest)
        _count_due(tx, account.retailer_id, due_date, owed)
    for entry in entries:
        tx.create(entry, label="ledger")
    tx.update(
        account,
        [
            CreditAccount.balance.add(owed),
            CreditAccount.open_orders_amount.add(-delivery.reserved),
            CreditAccount.available.add(delivery.reserved - owed),
            CreditAccount.updated_at.set(clock.iso(moment)),
            *_set_or_remove(values),
        ],
        condition=(CreditAccount.balance == balance) & (CreditAccount.open_orders_amount >= delivery.reserved),
        label="account",
    )
    _count_exposure(tx, account.retailer_id, balance=owed, open_orders=-delivery.reserved)
    return DeliveryResult(due_date=due_date, owed=owed, entries=entries)


# ============================================================================ views


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


def credit_view(actor: Actor, retailer_id: str) -> dict[str, Any]:
    """`GET /v1/retailers/{id}/credit`: limit, balance, available, open orders, overdue."""
    ensure_tenant(actor, retailer_id)
    return _view(get_account(retailer_id))


def _view(account: CreditAccount) -> dict[str, Any]:
    today = clock.local_date()
    owing = account.oldest_due_date is not None
    overdue = [r for r in open_receivables(account.retailer_id) if r.due_date < today] if owing else []
    return {
        "retailer_id": account.retailer_id,
        "credit_limit": int(account.credit_limit),
        "balance": int(account.balance),
        "open_orders_amount": int(account.open_orders_amount),
        "available": max(int(account.available), 0),
        "overdue_amount": sum(int(r.remaining) for r in overdue),
        "oldest_due_date": account.oldest_due_date,
        "payment_terms_days": int(account.payment_terms_days),
        "updated_at": account.updated_at,
    }


def update_terms(
    actor: Actor, retailer_id: str, credit_limit: int | None, payment_terms_days: int | None
) -> dict[str, Any]:
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
            return _view(account)
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
        return _view(account)
    raise Conflict("conflict")


def list_ledger(
    actor: Actor,
    retailer_id: str,
    date_from: str | None,
    date_to: str | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[LedgerEntry], str | None]:
    """The ledger, newest first; `date_from`/`date_to` are inclusive UTC dates."""
    ensure_tenant(actor, retailer_id)
    get_account(retailer_id)
    low = keys.LEDGER_PREFIX + (date_from or "")
    high = keys.LEDGER_PREFIX + (date_to + "T99" if date_to else "~")
    scope = f"ledger|{retailer_id}|{date_from}|{date_to}"
    result = LedgerEntry.query(
        keys.retailer(retailer_id),
        LedgerEntry.SK.between(low, high),
        scan_index_forward=False,
        limit=limit,
        last_evaluated_key=decode_cursor(cursor, scope),
    )
    items = list(result)[:limit]
    return items, encode_cursor(result.last_evaluated_key, scope)


def overdue_accounts(until: str | None, cursor: str | None, limit: int) -> tuple[list[CreditAccount], str | None]:
    """Retailers owing money whose oldest due date is before `until` (default: today, i.e.
    overdue), oldest first — the sparse DUE index, no scan."""
    until = until or clock.local_date()
    scope = f"due|{until}"
    result = CreditAccount.gsi3.query(
        keys.DUE,
        until > CreditAccount.GSI3SK,
        limit=limit,
        last_evaluated_key=decode_cursor(cursor, scope),
    )
    items = [a for a in result if isinstance(a, CreditAccount)][:limit]
    return items, encode_cursor(result.last_evaluated_key, scope)


def exposure() -> dict[str, int]:
    """Platform totals for the dashboard: balances, open credit orders, overdue (counters)."""
    totals = {"balance_total": 0, "open_orders_total": 0}
    for counter in CreditCounter.query(keys.DASHBOARD, CreditCounter.SK.startswith("CREDIT#")):
        totals["balance_total"] += int(counter.balance_total)
        totals["open_orders_total"] += int(counter.open_orders_total)
    today = clock.local_date()
    overdue = sum(
        int(c.remaining)
        for c in DueDayCounter.query(keys.DASHBOARD, DueDayCounter.SK.between(keys.DUE_DAY_PREFIX, f"DUEDAY#{today}"))
        if c.SK.split("#")[1] < today
    )
    return {
        "credit_exposure": totals["balance_total"] + totals["open_orders_total"],
        "outstanding_balance": totals["balance_total"],
        "open_credit_orders": totals["open_orders_total"],
        "overdue_amount": overdue,
    }


# ============================================================================ payments


def _allocate(receivables: list[Receivable], amount: int) -> list[tuple[Receivable, int]]:
    """Oldest due first: `(receivable, part)` until `amount` is spent."""
    left = amount
    parts = []
    for recv in receivables:
        if left == 0:
            break
        part = min(int(recv.remaining), left)
        parts.append((recv, part))
        left -= part
    return parts


def record_payment(
    actor: Actor,
    retailer_id: str,
    order_id: str,
    order_number: str,
    amount: int,
    method: str,
    reference: str | None,
    note: str | None,
) -> LedgerEntry:
    """Record money collected from a retailer: allocated to its oldest dues first, never
    more than it owes. A cash payment carries its stamp duty (paid on top, on the receipt)."""
    for attempt in range(RETRIES):
        account = get_account(retailer_id)
        balance = int(account.balance)
        if amount > balance:
            raise field_conflict("amount", "payment_exceeds_balance", owed=balance)
        receivables = open_receivables(retailer_id, limit=MAX_ALLOCATIONS)
        parts = _allocate(receivables, amount)
        if sum(p for _, p in parts) < amount:
            # the balance says more is owed than the first receivables hold: split the payment
            raise Conflict("payment_too_fragmented", params={"max": MAX_ALLOCATIONS})
        settled = {recv.SK for recv, part in parts if part == int(recv.remaining)}
        still_open = [r.due_date for r in receivables if r.SK not in settled]
        oldest = min(still_open) if still_open else None
        moment = clock.now()
        ts = clock.iso(moment)
        entry = _ledger(
            account,
            actor,
            "payment",
            -amount,
            balance - amount,
            moment,
            order_id=order_id,
            order_number=order_number,
            method=method,
            stamp_duty=stamp_duty(amount) if method == "cash" else 0,
            reference=reference,
            note=note,
            allocations=[
                Allocation(order_id=r.order_id, order_number=r.order_number, due_date=r.due_date, amount=part)
                for r, part in parts
            ],
        )
        try:
            with transaction() as tx:
                for recv, part in parts:
                    if recv.SK in settled:
                        tx.delete(recv, condition=Receivable.remaining == int(recv.remaining), label="receivable")
                    else:
                        tx.update(
                            recv,
                            [Receivable.remaining.add(-part)],
                            condition=Receivable.remaining == int(recv.remaining),
                            label="receivable",
                        )
                _count_dues(tx, retailer_id, [(recv.due_date, -part) for recv, part in parts])
                tx.create(entry, label="ledger")
                due_values = _due_keys(retailer_id, oldest) if oldest != account.oldest_due_date else {}
                tx.update(
                    account,
                    [
                        CreditAccount.balance.add(-amount),
                        CreditAccount.available.add(amount),
                        CreditAccount.updated_at.set(ts),
                        *_set_or_remove(due_values),
                    ],
                    condition=CreditAccount.balance == balance,
                    label="account",
                )
                _count_exposure(tx, retailer_id, balance=-amount)
                outbox.record(
                    tx, kinds.payment_received(retailer_id=retailer_id, amount=amount, balance=balance - amount)
                )
                audit.record(
                    tx,
                    actor,
                    "payment.recorded",
                    "order",
                    order_id,
                    retailer_id=retailer_id,
                    after={"amount": amount, "method": method, "balance": balance - amount},
                    metadata={"entry_id": entry.entry_id, "reference": reference},
                )
        except TxCancelled as exc:
            if {"account", "receivable"} & set(exc.failed) or not exc.failed:
                backoff(attempt)
                continue  # a concurrent payment or delivery: read again
            raise
        count("PaymentRecorded")
        return entry
    raise Conflict("conflict")


def reverse_payment(actor: Actor, retailer_id: str, entry_id: str, reason: str) -> LedgerEntry:
    """Cancel a recorded payment (a bounced cheque, a typing error) with a reversing entry:
    what it settled is owed again, on the same due dates. The original entry is untouched."""
    original = get_entry(retailer_id, entry_id)
    if original.kind != "payment":
        raise Conflict("entry_not_reversible")
    amount = -int(original.amount)
    allocations = list(original.allocations or [])
    for attempt in range(RETRIES):
        account = get_account(retailer_id)
        balance = int(account.balance)
        current = {r.SK: r for r in open_receivables(retailer_id)}
        moment = clock.now()
        ts = clock.iso(moment)
        reversal = _ledger(
            account,
            actor,
            "reversal",
            amount,
            balance + amount,
            moment,
            order_id=original.order_id,
            order_number=original.order_number,
            method=original.method,
            reverses=entry_id,
            note=reason,
            allocations=allocations,
        )
        due_dates = [a.due_date for a in allocations] + ([account.oldest_due_date] if account.oldest_due_date else [])
        oldest = min(due_dates) if due_dates else None
        try:
            with transaction() as tx:
                tx.create(
                    Reversal(
                        PK=keys.retailer(retailer_id),
                        SK=keys.reversal(entry_id),
                        entry_id=entry_id,
                        reversal_id=reversal.entry_id,
                    ),
                    label="reversal",
                )
                for alloc in allocations:
                    sk = keys.receivable(alloc.due_date, alloc.order_id)
                    recv = current.get(sk)
                    if recv is None:
                        tx.create(
                            Receivable(
                                PK=keys.retailer(retailer_id),
                                SK=sk,
                                retailer_id=retailer_id,
                                order_id=alloc.order_id,
                                order_number=alloc.order_number,
                                due_date=alloc.due_date,
                                amount=int(alloc.amount),
                                remaining=int(alloc.amount),
                                created_at=ts,
                            ),
                            label="receivable",
                        )
                    else:
                        tx.update(
                            recv,
                            [Receivable.remaining.add(int(alloc.amount))],
                            condition=Receivable.remaining == int(recv.remaining),
                            label="receivable",
                        )
                _count_dues(tx, retailer_id, [(a.due_date, int(a.amount)) for a in allocations])
                tx.create(reversal, label="ledger")
                due_values = _due_keys(retailer_id, oldest) if oldest != account.oldest_due_date else {}
                tx.update(
                    account,
                    [
                        CreditAccount.balance.add(amount),
                        CreditAccount.available.add(-amount),
                        CreditAccount.updated_at.set(ts),
                        *_set_or_remove(due_values),
                    ],
                    condition=CreditAccount.balance == balance,
                    label="account",
                )
                _count_exposure(tx, retailer_id, balance=amount)
                audit.record(
                    tx,
                    actor,
                    "payment.reversed",
                    "retailer",
                    retailer_id,
                    retailer_id=retailer_id,
                    after={"amount": amount, "balance": balance + amount},
                    metadata={"entry_id": entry_id, "reversal_id": reversal.entry_id, "reason": reason},
                )
        except TxCancelled as exc:
            if "reversal" in exc.failed:
                raise Conflict("already_reversed") from exc
            if {"account", "receivable"} & set(exc.failed) or not exc.failed:
                backoff(attempt)
                continue
            raise
        count("PaymentReversed")
        return reversal
    raise Conflict("conflict")


def get_entry(retailer_id: str, entry_id: str) -> LedgerEntry:
    """A ledger entry by id: the id carries its timestamp, so this is one GetItem."""
    try:
        sort = keys.ledger_entry(clock.iso(id_time(entry_id)), entry_id)
        return LedgerEntry.get(keys.retailer(retailer_id), sort, consistent_read=True)
    except (ValueError, DoesNotExist) as exc:
        raise NotFound() from exc


def view_entry(actor: Actor, retailer_id: str, entry_id: str) -> LedgerEntry:
    ensure_tenant(actor, retailer_id)
    return get_entry(retailer_id, entry_id)


def entry_view(entry: LedgerEntry) -> dict[str, Any]:
    return {
        "entry_id": entry.entry_id,
        "retailer_id": entry.retailer_id,
        "kind": entry.kind,
        "amount": int(entry.amount),
        "balance_after": int(entry.balance_after),
        "order_id": entry.order_id,
        "order_number": entry.order_number,
        "method": entry.method,
        "stamp_duty": None if entry.stamp_duty is None else int(entry.stamp_duty),
        "reference": entry.reference,
        "note": entry.note,
        "due_date": entry.due_date,
        "allocations": [
            {"order_id": a.order_id, "order_number": a.order_number, "due_date": a.due_date, "amount": int(a.amount)}
            for a in entry.allocations
        ]
        if entry.allocations is not None
        else None,
        "reverses": entry.reverses,
        "actor_id": entry.actor_id,
        "actor_username": entry.actor_username,
        "created_at": entry.created_at,
    }


def receipt_out(entry: LedgerEntry, lang: str) -> dict[str, Any]:
    """A payment's receipt as the API returns it."""
    out: dict[str, Any] = ReceiptOut.model_validate(receipt_view(entry, lang)).model_dump(mode="json")
    return out


def receipt_view(entry: LedgerEntry, lang: str) -> dict[str, Any]:
    """An entry as printed for the shop: the amount, the stamp duty on top, the total in words."""
    amount = abs(int(entry.amount))
    duty = int(entry.stamp_duty or 0)
    total = amount + duty
    return {
        **entry_view(entry),
        "amount_paid": amount,
        "total_with_stamp_duty": total,
        "amount_in_words": amount_in_words(total, lang),
        "formatted": {
            "amount": format_dzd(amount, lang),
            "stamp_duty": format_dzd(duty, lang),
            "total": format_dzd(total, lang),
        },
    }
