"""Orders HTTP routes: place, list, read, move along the lifecycle, reorder, invoice, dashboard."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint

from chalicelib.core import lazy
from chalicelib.core.headers import IDEMPOTENCY_HEADER
from chalicelib.core.rbac import ALL_ROLES, Actor, RequestInfo, Role
from chalicelib.core.routes import Page, WithHeaders, endpoint

if TYPE_CHECKING:
    from chalicelib.credit import payments
    from chalicelib.credit import schemas as credit_schemas
    from chalicelib.credit import views as credit_views
    from chalicelib.db import idempotency
    from chalicelib.orders import invoice, lifecycle, placing, schemas, views
    from chalicelib.orders import items as order_items
else:
    payments = lazy.module("chalicelib.credit.payments")
    credit_schemas = lazy.module("chalicelib.credit.schemas")
    credit_views = lazy.module("chalicelib.credit.views")
    idempotency = lazy.module("chalicelib.db.idempotency")
    invoice = lazy.module("chalicelib.orders.invoice")
    lifecycle = lazy.module("chalicelib.orders.lifecycle")
    placing = lazy.module("chalicelib.orders.placing")
    schemas = lazy.module("chalicelib.orders.schemas")
    views = lazy.module("chalicelib.orders.views")
    order_items = lazy.module("chalicelib.orders.items")


bp = Blueprint(__name__)

ADMIN = (Role.ADMIN,)
ORDERING = (Role.ADMIN, Role.OWNER, Role.BUYER)
ORDER_KEY_HEADER = (
    (
        IDEMPOTENCY_HEADER,
        "Required. A unique key per order (e.g. a UUID): a retry with the same key returns the first "
        "result instead of placing a second order; the same key with another body is refused (422).",
    ),
)


def _order(order: Any, lang: str) -> dict[str, Any]:
    out: dict[str, Any] = schemas.OrderOut.model_validate(views.order_view(order, lang)).model_dump(mode="json")
    return out


def _placed(actor: Actor, info: RequestInfo, scope: str, payload: dict[str, Any], place: Any) -> WithHeaders:
    """Place once per Idempotency-Key; a replay answers with the order the first call placed."""
    claim = idempotency.claim(f"{scope}|{actor.user_id}", info.idempotency_key, payload)
    return WithHeaders(_order(place(claim), info.lang), claim.headers)


@endpoint(
    bp,
    "/v1/orders",
    "POST",
    roles=ORDERING,
    summary="Place an order (priced by the server; stock, credit and number in one transaction)",
    tag="orders",
    response=lambda: schemas.OrderOut,
    status=201,
    errors=(400, 409),
    headers=ORDER_KEY_HEADER,
)
def place_order(actor: Actor, body: schemas.OrderCreateIn, info: RequestInfo) -> WithHeaders:
    payload = body.model_dump(mode="json")
    return _placed(actor, info, "orders.place", payload, lambda claim: placing.place_order(actor, body, claim))


@endpoint(
    bp,
    "/v1/orders",
    "GET",
    roles=ALL_ROLES,
    summary="Orders, newest first: a shop's own, a driver's deliveries, or (admins) by status or shop",
    tag="orders",
    response=lambda: schemas.OrderSummaryOut,
    is_list=True,
)
def list_orders(actor: Actor, query: schemas.OrderListQuery) -> Page:
    items, cursor = views.list_orders(actor, query)
    return Page(
        [schemas.OrderSummaryOut.model_validate(views.summary_view(o)).model_dump(mode="json") for o in items],
        cursor,
    )


@endpoint(
    bp,
    "/v1/orders/{order_id}",
    "GET",
    roles=ALL_ROLES,
    summary="One order with its lines, totals and history",
    tag="orders",
    response=lambda: schemas.OrderOut,
)
def get_order(actor: Actor, order_id: str, info: RequestInfo) -> dict[str, Any]:
    return _order(order_items.view_order(actor, order_id), info.lang)


@endpoint(
    bp,
    "/v1/orders/{order_id}/transitions",
    "POST",
    roles=ALL_ROLES,
    summary="Move an order: confirm, prepare, dispatch (driver), deliver (quantities, cash), cancel",
    tag="orders",
    response=lambda: schemas.OrderOut,
    errors=(409,),
    headers=(
        (
            IDEMPOTENCY_HEADER,
            "Optional. A unique key per move (a phone queueing a delivery offline sends one): a retry with "
            "the same key returns the order as that move left it, never a 409; another body is refused (422).",
        ),
    ),
)
def transition(actor: Actor, order_id: str, body: schemas.TransitionIn, info: RequestInfo) -> WithHeaders:
    claim = None
    if info.idempotency_key is not None:
        payload = {"order_id": order_id, **body.model_dump(mode="json")}
        claim = idempotency.claim(f"transitions|{actor.user_id}", info.idempotency_key, payload)
    order = lifecycle.transition(actor, order_id, body, claim)
    return WithHeaders(_order(order, info.lang), claim.headers if claim else {})


@endpoint(
    bp,
    "/v1/orders/{order_id}/reorder",
    "POST",
    roles=ORDERING,
    summary="Place a new order with a past order's products and quantities, at today's prices",
    tag="orders",
    response=lambda: schemas.OrderOut,
    status=201,
    errors=(400, 409),
    headers=ORDER_KEY_HEADER,
)
def reorder(actor: Actor, order_id: str, body: schemas.ReorderIn, info: RequestInfo) -> WithHeaders:
    payload = {"order_id": order_id, **body.model_dump(mode="json")}
    return _placed(actor, info, "orders.reorder", payload, lambda claim: placing.reorder(actor, order_id, body, claim))


@endpoint(
    bp,
    "/v1/orders/{order_id}/invoice",
    "GET",
    roles=ALL_ROLES,
    summary="A download link (15 min) for a delivered order's PDF invoice (French and Arabic)",
    tag="orders",
    response=lambda: schemas.InvoiceOut,
    errors=(409,),
)
def get_invoice(actor: Actor, order_id: str) -> dict[str, Any]:
    return invoice.link(order_items.view_order(actor, order_id))


@endpoint(
    bp,
    "/v1/admin/dashboard",
    "GET",
    roles=ADMIN,
    summary="Orders by status, today's and this month's sales, credit exposure, overdue",
    tag="admin",
    response=lambda: schemas.DashboardOut,
)
def dashboard(actor: Actor) -> dict[str, Any]:
    out: dict[str, Any] = schemas.DashboardOut.model_validate(views.dashboard()).model_dump(mode="json")
    return out


@endpoint(
    bp,
    "/v1/orders/{order_id}/payments",
    "POST",
    roles=(Role.ADMIN, Role.DRIVER),
    summary="Record money collected from the order's shop (allocated to its oldest dues first)",
    tag="credit",
    response=lambda: credit_schemas.ReceiptOut,
    status=201,
    errors=(400, 409),
    headers=(
        (
            IDEMPOTENCY_HEADER,
            "Required. A unique key per payment: a retry returns the first receipt, never a second payment.",
        ),
    ),
)
def record_payment(actor: Actor, order_id: str, body: credit_schemas.PaymentIn, info: RequestInfo) -> WithHeaders:
    claim = idempotency.claim(
        f"payments|{actor.user_id}", info.idempotency_key, {"order_id": order_id, **body.model_dump(mode="json")}
    )
    order = order_items.view_order(actor, order_id, claim)  # one read: session, order, key
    if claim.earlier:
        entry = payments.get_entry(order.retailer_id, claim.earlier["entry_id"])
    else:
        entry = payments.record_payment(
            actor,
            order.retailer_id,
            order.order_id,
            order.order_number,
            body.amount,
            body.method.value,
            body.reference,
            body.note,
            claim,
        )
    return WithHeaders(credit_views.receipt_out(entry, info.lang), claim.headers)
