"""Payments: money collected from a shop, allocated to its oldest dues first, never more
than it owes (each receivable settled is conditioned on the remaining amount read, the
account on its balance), and reversals (a reversing entry; at most once, by a claim item)."""

from __future__ import annotations

from chalicelib.audit import service as audit
from chalicelib.core import clock
from chalicelib.core.errors import Conflict, NotFound, field_conflict
from chalicelib.core.ids import id_time
from chalicelib.core.observability import count
from chalicelib.core.rbac import Actor, ensure_tenant
from chalicelib.credit.account import (
    RETRIES,
    count_dues,
    count_exposure,
    due_keys,
    get_account,
    new_entry,
    new_receivable,
    open_receivables,
    set_or_remove,
)
from chalicelib.credit.models import (
    Allocation,
    CreditAccount,
    LedgerEntry,
    Receivable,
    Reversal,
)
from chalicelib.credit.rules import allocate, stamp_duty
from chalicelib.db import keys
from chalicelib.db.base import read_one
from chalicelib.db.idempotency import Claim
from chalicelib.db.tx import TxCancelled, backoff, transaction
from chalicelib.events import kinds, outbox

# a payment settles at most this many receivables (one transaction holds 100 actions)
MAX_ALLOCATIONS = 80


def record_payment(
    actor: Actor,
    retailer_id: str,
    order_id: str,
    order_number: str,
    amount: int,
    method: str,
    reference: str | None,
    note: str | None,
    claim: Claim,
) -> LedgerEntry:
    """Record money collected from a retailer: allocated to its oldest dues first, never
    more than it owes. A cash payment carries its stamp duty (paid on top, on the receipt).
    The payment's Idempotency-Key is claimed in its transaction: a copy racing it gets the
    first payment's entry back (`claim.replayed`), never a second payment."""
    for attempt in range(RETRIES):
        account = get_account(retailer_id)
        balance = int(account.balance)
        if amount > balance:
            raise field_conflict("amount", "payment_exceeds_balance", owed=balance)
        receivables = open_receivables(retailer_id, limit=MAX_ALLOCATIONS)
        parts = list(zip(receivables, allocate([int(r.remaining) for r in receivables], amount), strict=False))
        if sum(p for _, p in parts) < amount:
            # the balance says more is owed than the first receivables hold: split the payment
            raise Conflict("payment_too_fragmented", params={"max": MAX_ALLOCATIONS})
        settled = {recv.SK for recv, part in parts if part == int(recv.remaining)}
        still_open = [r.due_date for r in receivables if r.SK not in settled]
        oldest = min(still_open) if still_open else None
        moment = clock.now()
        ts = clock.iso(moment)
        entry = new_entry(
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
                count_dues(tx, retailer_id, [(recv.due_date, -part) for recv, part in parts])
                tx.create(entry, label="ledger")
                due_values = due_keys(retailer_id, oldest) if oldest != account.oldest_due_date else {}
                tx.update(
                    account,
                    [
                        CreditAccount.balance.add(-amount),
                        CreditAccount.available.add(amount),
                        CreditAccount.updated_at.set(ts),
                        *set_or_remove(due_values),
                    ],
                    condition=CreditAccount.balance == balance,
                    label="account",
                )
                count_exposure(tx, retailer_id, balance=-amount)
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
                claim.record(tx, {"entry_id": entry.entry_id})
        except TxCancelled as exc:
            if claim.lost(exc):
                return get_entry(retailer_id, claim.fetch()["entry_id"])
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
        reversal = new_entry(
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
                        owed_again = new_receivable(
                            retailer_id, alloc.order_id, alloc.order_number, alloc.due_date, int(alloc.amount), ts
                        )
                        tx.create(owed_again, label="receivable")
                    else:
                        tx.update(
                            recv,
                            [Receivable.remaining.add(int(alloc.amount))],
                            condition=Receivable.remaining == int(recv.remaining),
                            label="receivable",
                        )
                count_dues(tx, retailer_id, [(a.due_date, int(a.amount)) for a in allocations])
                tx.create(reversal, label="ledger")
                due_values = due_keys(retailer_id, oldest) if oldest != account.oldest_due_date else {}
                tx.update(
                    account,
                    [
                        CreditAccount.balance.add(amount),
                        CreditAccount.available.add(-amount),
                        CreditAccount.updated_at.set(ts),
                        *set_or_remove(due_values),
                    ],
                    condition=CreditAccount.balance == balance,
                    label="account",
                )
                count_exposure(tx, retailer_id, balance=amount)
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
    """A ledger entry by id: the id carries its timestamp, so this is one read by key."""
    try:
        sort = keys.ledger_entry(clock.iso(id_time(entry_id)), entry_id)
    except ValueError as exc:
        raise NotFound() from exc
    entry = read_one(LedgerEntry, (keys.retailer(retailer_id), sort))
    if entry is None:
        raise NotFound()
    return entry


def view_entry(actor: Actor, retailer_id: str, entry_id: str) -> LedgerEntry:
    ensure_tenant(actor, retailer_id)
    return get_entry(retailer_id, entry_id)
