"""Credit as the API shows it: a shop's account, its ledger and receipts, overdue shops,
the platform's exposure."""

from __future__ import annotations

from typing import Any

from chalicelib.core import clock
from chalicelib.core.money import amount_in_words, format_dzd
from chalicelib.core.pagination import decode_cursor, encode_cursor
from chalicelib.core.rbac import Actor, ensure_tenant
from chalicelib.credit.account import get_account, open_receivables
from chalicelib.credit.models import (
    CreditAccount,
    CreditCounter,
    DueDayCounter,
    LedgerEntry,
)
from chalicelib.credit.schemas import ReceiptOut
from chalicelib.db import keys


def credit_view(actor: Actor, retailer_id: str) -> dict[str, Any]:
    """`GET /v1/retailers/{id}/credit`: limit, balance, available, open orders, overdue."""
    ensure_tenant(actor, retailer_id)
    return account_view(get_account(retailer_id))


def account_view(account: CreditAccount) -> dict[str, Any]:
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
