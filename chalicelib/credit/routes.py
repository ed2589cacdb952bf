"""Credit HTTP routes: a shop's credit and ledger, limits and terms, payments and receipts,
reversals, overdue shops."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint

from chalicelib.core import lazy
from chalicelib.core.rbac import Actor, RequestInfo, Role
from chalicelib.core.routes import Page, endpoint

if TYPE_CHECKING:
    from chalicelib.credit import account, payments, schemas, views
else:
    account = lazy.module("chalicelib.credit.account")
    payments = lazy.module("chalicelib.credit.payments")
    schemas = lazy.module("chalicelib.credit.schemas")
    views = lazy.module("chalicelib.credit.views")


bp = Blueprint(__name__)

ADMIN = (Role.ADMIN,)
CREDIT_READERS = (Role.ADMIN, Role.OWNER)


@endpoint(
    bp,
    "/v1/retailers/{retailer_id}/credit",
    "GET",
    roles=CREDIT_READERS,
    summary="A shop's credit: limit, balance, available, open credit orders, overdue",
    tag="credit",
    response=lambda: schemas.CreditOut,
)
def get_credit(actor: Actor, retailer_id: str) -> dict[str, Any]:
    return views.credit_view(actor, retailer_id)


@endpoint(
    bp,
    "/v1/retailers/{retailer_id}/credit",
    "PATCH",
    roles=ADMIN,
    summary="Change a shop's credit limit and/or payment terms (audited)",
    tag="credit",
    response=lambda: schemas.CreditOut,
    errors=(409,),
)
def patch_credit(actor: Actor, retailer_id: str, body: schemas.CreditPatchIn) -> dict[str, Any]:
    return views.account_view(account.update_terms(actor, retailer_id, body.credit_limit, body.payment_terms_days))


@endpoint(
    bp,
    "/v1/retailers/{retailer_id}/ledger",
    "GET",
    roles=CREDIT_READERS,
    summary="A shop's ledger (append-only), newest first",
    tag="credit",
    response=lambda: schemas.LedgerEntryOut,
    is_list=True,
)
def ledger(actor: Actor, retailer_id: str, query: schemas.LedgerQuery) -> Page:
    items, cursor = views.list_ledger(
        actor,
        retailer_id,
        query.date_from.isoformat() if query.date_from else None,
        query.date_to.isoformat() if query.date_to else None,
        query.cursor,
        query.limit,
    )
    return Page([schemas.LedgerEntryOut.model_validate(views.entry_view(e)).model_dump() for e in items], cursor)


@endpoint(
    bp,
    "/v1/retailers/{retailer_id}/ledger/{entry_id}",
    "GET",
    roles=CREDIT_READERS,
    summary="One ledger entry as a receipt (amount, stamp duty, total, in words)",
    tag="credit",
    response=lambda: schemas.ReceiptOut,
)
def ledger_entry(actor: Actor, retailer_id: str, entry_id: str, info: RequestInfo) -> dict[str, Any]:
    return views.receipt_out(payments.view_entry(actor, retailer_id, entry_id), info.lang)


@endpoint(
    bp,
    "/v1/retailers/{retailer_id}/ledger/{entry_id}/reversal",
    "POST",
    roles=ADMIN,
    summary="Reverse a payment (bounced cheque, typing error): what it settled is owed again",
    tag="credit",
    response=lambda: schemas.LedgerEntryOut,
    status=201,
    errors=(409,),
)
def reverse(actor: Actor, retailer_id: str, entry_id: str, body: schemas.ReversalIn) -> dict[str, Any]:
    entry = payments.reverse_payment(actor, retailer_id, entry_id, body.reason)
    return schemas.LedgerEntryOut.model_validate(views.entry_view(entry)).model_dump()


@endpoint(
    bp,
    "/v1/admin/credit/overdue",
    "GET",
    roles=ADMIN,
    summary="Shops owing money due before a date (default: overdue today), oldest due first",
    tag="credit",
    response=lambda: schemas.OverdueOut,
    is_list=True,
)
def overdue(actor: Actor, query: schemas.OverdueQuery) -> Page:
    items, cursor = views.overdue_accounts(query.until.isoformat() if query.until else None, query.cursor, query.limit)
    return Page(
        [
            {
                "retailer_id": a.retailer_id,
                "balance": int(a.balance),
                "oldest_due_date": a.oldest_due_date,
                "credit_limit": int(a.credit_limit),
            }
            for a in items
        ],
        cursor,
    )
