"""Credit HTTP routes: a shop's credit and ledger, limits and terms, payments and receipts,
reversals, overdue shops."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.core import idempotency
from chalicelib.core.rbac import Actor, RequestInfo, Role
from chalicelib.core.routes import Page, WithHeaders, endpoint
from chalicelib.credit import schemas, service
from chalicelib.orders import service as orders

bp = Blueprint(__name__)

ADMIN = (Role.ADMIN,)
CREDIT_READERS = (Role.ADMIN, Role.OWNER)


def _receipt(entry: Any, lang: str) -> dict[str, Any]:
    out: dict[str, Any] = schemas.ReceiptOut.model_validate(service.receipt_view(entry, lang)).model_dump(mode="json")
    return out


@endpoint(
    bp,
    "/v1/retailers/{retailer_id}/credit",
    "GET",
    roles=CREDIT_READERS,
    summary="A shop's credit: limit, balance, available, open credit orders, overdue",
    tag="credit",
    response=schemas.CreditOut,
)
def get_credit(actor: Actor, retailer_id: str) -> dict[str, Any]:
    return service.credit_view(actor, retailer_id)


@endpoint(
    bp,
    "/v1/retailers/{retailer_id}/credit",
    "PATCH",
    roles=ADMIN,
    summary="Change a shop's credit limit and/or payment terms (audited)",
    tag="credit",
    body=schemas.CreditPatchIn,
    response=schemas.CreditOut,
    errors=(409,),
)
def patch_credit(actor: Actor, retailer_id: str, body: schemas.CreditPatchIn) -> dict[str, Any]:
    return service.update_terms(actor, retailer_id, body.credit_limit, body.payment_terms_days)


@endpoint(
    bp,
    "/v1/retailers/{retailer_id}/ledger",
    "GET",
    roles=CREDIT_READERS,
    summary="A shop's ledger (append-only), newest first",
    tag="credit",
    query=schemas.LedgerQuery,
    response=schemas.LedgerEntryOut,
    is_list=True,
)
def ledger(actor: Actor, retailer_id: str, query: schemas.LedgerQuery) -> Page:
    items, cursor = service.list_ledger(
        actor,
        retailer_id,
        query.date_from.isoformat() if query.date_from else None,
        query.date_to.isoformat() if query.date_to else None,
        query.cursor,
        query.limit,
    )
    return Page([schemas.LedgerEntryOut.model_validate(service.entry_view(e)).model_dump() for e in items], cursor)


@endpoint(
    bp,
    "/v1/retailers/{retailer_id}/ledger/{entry_id}",
    "GET",
    roles=CREDIT_READERS,
    summary="One ledger entry as a receipt (amount, stamp duty, total, in words)",
    tag="credit",
    response=schemas.ReceiptOut,
)
def ledger_entry(actor: Actor, retailer_id: str, entry_id: str, info: RequestInfo) -> dict[str, Any]:
    return _receipt(service.view_entry(actor, retailer_id, entry_id), info.lang)


@endpoint(
    bp,
    "/v1/retailers/{retailer_id}/ledger/{entry_id}/reversal",
    "POST",
    roles=ADMIN,
    summary="Reverse a payment (bounced cheque, typing error): what it settled is owed again",
    tag="credit",
    body=schemas.ReversalIn,
    response=schemas.LedgerEntryOut,
    status=201,
    errors=(409,),
)
def reverse(actor: Actor, retailer_id: str, entry_id: str, body: schemas.ReversalIn) -> dict[str, Any]:
    entry = service.reverse_payment(actor, retailer_id, entry_id, body.reason)
    return schemas.LedgerEntryOut.model_validate(service.entry_view(entry)).model_dump()


@endpoint(
    bp,
    "/v1/orders/{order_id}/payments",
    "POST",
    roles=(Role.ADMIN, Role.DRIVER),
    summary="Record money collected from the order's shop (allocated to its oldest dues first)",
    tag="credit",
    body=schemas.PaymentIn,
    response=schemas.ReceiptOut,
    status=201,
    errors=(400, 409),
    headers=(
        (
            idempotency.HEADER,
            "Required. A unique key per payment: a retry returns the first receipt, never a second payment.",
        ),
    ),
)
def record_payment(actor: Actor, order_id: str, body: schemas.PaymentIn, info: RequestInfo) -> WithHeaders:
    order = orders.view_order(actor, order_id)
    entry, headers = idempotency.create_once(
        f"payments|{actor.user_id}",
        info.idempotency_key,
        {"order_id": order_id, **body.model_dump(mode="json")},
        lambda: service.record_payment(
            actor,
            order.retailer_id,
            order.order_id,
            order.order_number,
            body.amount,
            body.method.value,
            body.reference,
            body.note,
        ),
        lambda e: {"entry_id": e.entry_id},
        lambda ref: service.get_entry(order.retailer_id, ref["entry_id"]),
        getattr(bp, "lambda_context", None),
    )
    return WithHeaders(_receipt(entry, info.lang), headers)


@endpoint(
    bp,
    "/v1/admin/credit/overdue",
    "GET",
    roles=ADMIN,
    summary="Shops owing money due before a date (default: overdue today), oldest due first",
    tag="credit",
    query=schemas.OverdueQuery,
    response=schemas.OverdueOut,
    is_list=True,
)
def overdue(actor: Actor, query: schemas.OverdueQuery) -> Page:
    items, cursor = service.overdue_accounts(
        query.until.isoformat() if query.until else None, query.cursor, query.limit
    )
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
