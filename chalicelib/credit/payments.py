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
    get_account,
    move_balance,
    new_entry,
    new_receivable,
    open_receivables,
)
from chalicelib.credit.models import (
    Allocation,
    LedgerEntry,
    Receivable,
    Reversal,
)
from chalicelib.credit.rules import allocate, stamp_duty
from chalicelib.db import keys
from chalicelib.db.base import get_one
from chalicelib.db.idempotency import Claim
from chalicelib.db.tx import Tx, TxCancelled, backoff, transaction
from chalicelib.events import bus, kinds

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
    """Money collected from a shop, allocated to its oldest dues first, never more than it owes;
    cash carries its stamp duty (on top, on the receipt). The Idempotency-Key is claimed in the
    transaction: a copy racing it gets the first payment's entry back, never a second payment."""
    for attempt in range(RETRIES):
        account = get_account(retailer_id)
        balance = int(account.balance)
        if amount > balance:
            raise field_conflict("amount", "payment_exceeds_balance", owed=balance)
        parts, oldest = _allocation(retailer_id, amount)
        moment = clock.now()
        allocations = [
            Allocation(order_id=r.order_id, order_number=r.order_number, due_date=r.due_date, amount=part)
            for r, part in parts
        ]
        paid = {"method": method, "stamp_duty": stamp_duty(amount) if method == "cash" else 0}
        fields = {"order_id": order_id, "order_number": order_number, "reference": reference, "note": note}
        entry = new_entry(
            account, actor, "payment", -amount, balance - amount, moment, allocations=allocations, **paid, **fields
        )
        try:
            with transaction() as tx:
                _settle(tx, parts)
                count_dues(tx, retailer_id, [(recv.due_date, -part) for recv, part in parts])
                tx.create(entry, label="ledger")
                move_balance(tx, account, -amount, clock.iso(moment), oldest)
                bus.record(tx, kinds.payment_received(retailer_id=retailer_id, amount=amount, balance=balance - amount))
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


def _allocation(retailer_id: str, amount: int) -> tuple[list[tuple[Receivable, int]], str | None]:
    """`amount` over the shop's open receivables, oldest first, and the oldest due date left."""
    receivables = open_receivables(retailer_id, limit=MAX_ALLOCATIONS)
    parts = list(zip(receivables, allocate([int(r.remaining) for r in receivables], amount), strict=False))
    if sum(p for _, p in parts) < amount:
        # the balance says more is owed than the first receivables hold: split the payment
        raise Conflict("payment_too_fragmented", params={"max": MAX_ALLOCATIONS})
    still_open = [recv.due_date for recv, part in parts if part < int(recv.remaining)]
    still_open += [r.due_date for r in receivables[len(parts) :]]
    return parts, min(still_open) if still_open else None


def _settle(tx: Tx, parts: list[tuple[Receivable, int]]) -> None:
    """Each receivable paid in full is deleted, the others reduced: conditioned on the amount read."""
    for recv, part in parts:
        unchanged = Receivable.remaining == int(recv.remaining)
        if part == int(recv.remaining):
            tx.delete(recv, condition=unchanged, label="receivable")
        else:
            tx.update(recv, [Receivable.remaining.add(-part)], condition=unchanged, label="receivable")


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
                tx.create(_reversal_claim(retailer_id, entry_id, reversal.entry_id), label="reversal")
                _owed_again(tx, retailer_id, allocations, current, ts)
                count_dues(tx, retailer_id, [(a.due_date, int(a.amount)) for a in allocations])
                tx.create(reversal, label="ledger")
                move_balance(tx, account, amount, ts, oldest)
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


def _reversal_claim(retailer_id: str, entry_id: str, reversal_id: str) -> Reversal:
    """At most one reversal per payment: created only if the payment has none."""
    return Reversal(
        PK=keys.retailer(retailer_id), SK=keys.reversal(entry_id), entry_id=entry_id, reversal_id=reversal_id
    )


def _owed_again(
    tx: Tx, retailer_id: str, allocations: list[Allocation], current: dict[str, Receivable], at: str
) -> None:
    """What a reversed payment settled is owed again, on the same due dates: the receivable
    grows back (conditioned on the amount read), or is created again if it was paid off."""
    for alloc in allocations:
        recv = current.get(keys.receivable(alloc.due_date, alloc.order_id))
        if recv is None:
            owed = new_receivable(
                retailer_id, alloc.order_id, alloc.order_number, alloc.due_date, int(alloc.amount), at
            )
            tx.create(owed, label="receivable")
        else:
            tx.update(
                recv,
                [Receivable.remaining.add(int(alloc.amount))],
                condition=Receivable.remaining == int(recv.remaining),
                label="receivable",
            )


def get_entry(retailer_id: str, entry_id: str) -> LedgerEntry:
    """A ledger entry by id: the id carries its timestamp, so this is one read by key."""
    try:
        sort = keys.ledger_entry(clock.iso(id_time(entry_id)), entry_id)
    except ValueError as exc:
        raise NotFound() from exc
    return get_one(LedgerEntry, (keys.retailer(retailer_id), sort))


def view_entry(actor: Actor, retailer_id: str, entry_id: str) -> LedgerEntry:
    ensure_tenant(actor, retailer_id)
    return get_entry(retailer_id, entry_id)
