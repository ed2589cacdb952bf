"""Orders as the API shows them: the lists (a shop's, a driver's, a status'), one order with
its lines and history, and the admin dashboard read from the counters."""

from __future__ import annotations

from typing import Any

from pynamodb.indexes import GlobalSecondaryIndex

from chalicelib.core import clock
from chalicelib.core.errors import NotFound
from chalicelib.core.i18n import localized
from chalicelib.core.money import percent
from chalicelib.core.pagination import decode_cursor, encode_cursor
from chalicelib.core.rbac import Actor, Role
from chalicelib.credit import views as credit_views
from chalicelib.db import keys
from chalicelib.orders import schemas
from chalicelib.orders.models import DayCounter, Order, OrderLine, StatusCounter, VatLine
from chalicelib.orders.rules import Status


def list_orders(actor: Actor, query: schemas.OrderListQuery) -> tuple[list[Order], str | None]:
    """A shop's orders, a driver's deliveries, or (admins) a shop's or a status' orders,
    newest first, optionally between two dates."""
    low = query.date_from.isoformat() if query.date_from else "0"  # below any timestamp
    high = (query.date_to.isoformat() + "T99") if query.date_to else "~"
    status_filter = Order.status == query.status.value if query.status else None
    index: GlobalSecondaryIndex[Any]
    if actor.is_admin and query.driver_id:
        index, pk, prefix = Order.gsi3, keys.driver_orders(query.driver_id), ""
    elif actor.role == Role.DRIVER:
        if query.retailer_id or (query.driver_id and query.driver_id != actor.user_id):
            raise NotFound()
        index, pk, prefix = Order.gsi3, keys.driver_orders(actor.user_id or ""), ""
    elif actor.is_admin and not query.retailer_id:
        status = query.status.value if query.status else Status.PENDING.value
        index, pk, prefix = Order.gsi2, keys.order_status(status), ""
        status_filter = None
    else:
        retailer_id = query.retailer_id if actor.is_admin else actor.retailer_id
        if not actor.is_admin and query.retailer_id and query.retailer_id != actor.retailer_id:
            raise NotFound()
        index, pk, prefix = Order.gsi1, keys.retailer(retailer_id or ""), keys.ORDER_IN_RETAILER_PREFIX
    sort_attr = {Order.gsi1: Order.GSI1SK, Order.gsi2: Order.GSI2SK, Order.gsi3: Order.GSI3SK}[index]
    scope = f"orders|{pk}|{query.status}|{low}|{high}"
    result = index.query(
        pk,
        sort_attr.between(prefix + low, prefix + high),
        filter_condition=status_filter,
        scan_index_forward=False,
        limit=query.limit,
        last_evaluated_key=decode_cursor(query.cursor, scope),
    )
    items = [o for o in result if isinstance(o, Order)][: query.limit]
    return items, encode_cursor(result.last_evaluated_key, scope)


def _line_view(line: OrderLine, lang: str) -> dict[str, Any]:
    name, used = localized({"ar": line.name_ar, "fr": line.name_fr, "en": line.name_en}, lang)
    quantity = int(line.quantity)
    unit_price, rate = int(line.unit_price), int(line.vat_rate)
    subtotal = quantity * unit_price
    return {
        "product_id": line.product_id,
        "sku": line.sku,
        "name": name or line.sku,
        "name_language": used,
        "sale_unit": line.sale_unit,
        "pack_size": int(line.pack_size),
        "quantity": quantity,
        "delivered_quantity": None if line.delivered_quantity is None else int(line.delivered_quantity),
        "unit_price": unit_price,
        "unit_price_with_vat": unit_price + percent(unit_price, rate),
        "vat_rate": rate,
        "line_subtotal": subtotal,
        "line_total": subtotal + percent(subtotal, rate),
    }


def _vat_view(lines: list[VatLine] | None) -> list[dict[str, int]] | None:
    if lines is None:
        return None
    return [{"rate": int(v.rate), "base": int(v.base), "vat": int(v.vat)} for v in lines]


def _num(value: Any) -> int | None:
    return None if value is None else int(value)


def summary_view(order: Order) -> dict[str, Any]:
    return {
        "order_id": order.order_id,
        "order_number": order.order_number,
        "retailer_id": order.retailer_id,
        "retailer_name": order.retailer_name,
        "status": order.status,
        "payment_method": order.payment_method,
        "line_count": len(order.lines),
        "total_amount": int(order.total_amount),
        "delivered_total": _num(order.delivered_total),
        "driver_id": order.driver_id,
        "created_at": order.created_at,
        "updated_at": order.updated_at,
        "version": int(order.version),
    }


def order_view(order: Order, lang: str) -> dict[str, Any]:
    return {
        **summary_view(order),
        "lines": [_line_view(line, lang) for line in order.lines],
        "subtotal": int(order.subtotal),
        "vat_total": int(order.vat_total),
        "vat_breakdown": _vat_view(order.vat_breakdown),
        "delivered_subtotal": _num(order.delivered_subtotal),
        "delivered_vat_total": _num(order.delivered_vat_total),
        "delivered_vat_breakdown": _vat_view(order.delivered_vat_breakdown),
        "cash_collected": _num(order.cash_collected),
        "stamp_duty": _num(order.stamp_duty),
        "due_date": order.due_date,
        "credit_reserved": int(order.credit_reserved),
        "delivery_address": order.delivery_address,
        "delivery_phone": order.delivery_phone,
        "requested_date": order.requested_date,
        "notes": order.notes,
        "placed_by": order.placed_by,
        "placed_by_role": order.placed_by_role,
        "reorder_of": order.reorder_of,
        "invoice_number": order.invoice_number,
        "delivered_at": order.delivered_at,
        "history": [
            {
                "at": e.at,
                "by": e.by,
                "by_username": e.by_username,
                "by_role": e.by_role,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "reason": e.reason,
                "reason_code": e.reason_code,
            }
            for e in order.history
        ],
    }


def dashboard() -> dict[str, Any]:
    """Admin dashboard from counters maintained on write (five small Queries, no scan)."""
    by_status = {s.value: 0 for s in Status}
    for counter in StatusCounter.query(keys.DASHBOARD, StatusCounter.SK.startswith("STATUS#")):
        for status in by_status:
            by_status[status] += int(getattr(counter, status) or 0)
    today = clock.local_date()
    sums = ("placed_count", "placed_amount", "delivered_count", "delivered_amount")

    def total(condition: Any) -> dict[str, int]:
        out = dict.fromkeys(sums, 0)
        for counter in DayCounter.query(keys.DASHBOARD, condition):
            for name in sums:
                out[name] += int(getattr(counter, name) or 0)
        return out

    month = today[:7]
    return {
        "orders_by_status": by_status,
        "today": total(DayCounter.SK.startswith(f"DAY#{today}#")),
        "this_month": total(DayCounter.SK.between(f"DAY#{month}-01", f"DAY#{month}-31~")),
        **credit_views.exposure(),
        "as_of": clock.iso(),
        "day": today,
    }
