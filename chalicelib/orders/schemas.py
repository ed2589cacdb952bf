"""Orders and credit API shapes: placing an order, transitions, lists, payments, credit,
ledger, dashboard."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, model_validator

from chalicelib.core.money import Centimes
from chalicelib.core.schemas import FreeText, Id, Model, PageQuery, Reason, Strict, clean_text

# An order holds at most this many different products: its transaction writes two items per
# product (stock, stock movement) plus up to 20 fixed ones, within DynamoDB's 100.
MAX_LINES = 40
MAX_QUANTITY = 100_000


class OrderStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    PREPARING = "preparing"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


class PaymentMethod(StrEnum):
    CASH_ON_DELIVERY = "cash_on_delivery"
    CREDIT = "credit"


class FailureReason(StrEnum):
    """Why a delivery failed, as a code: the shop, the driver and the staff each read it in
    their own language. `other` is told in words (`reason`)."""

    SHOP_CLOSED = "shop_closed"
    NOT_ENOUGH_CASH = "not_enough_cash"
    REFUSED = "refused"
    UNREACHABLE = "unreachable"
    OTHER = "other"


Quantity = Annotated[int, Field(ge=1, le=MAX_QUANTITY, strict=True)]
Address = Annotated[str, Field(min_length=5, max_length=300), AfterValidator(clean_text)]
Notes = FreeText

MAX_PRICE_SEEN = 10**11  # centimes: a billion dinars, far above any product's price

# prices a client may send along; the server prices every line itself and drops them
_CLIENT_PRICE_FIELDS = ("unit_price", "price", "base_price", "total", "line_total")


class OrderItemIn(Strict):
    product_id: Id
    quantity: Quantity
    price_seen: Annotated[int, Field(ge=0, le=MAX_PRICE_SEEN, strict=True)] | None = Field(
        default=None,
        description="The unit price with VAT the shop saw, in centimes: if the product's price is no longer "
        "this, the order is refused (409 `order_rejected`, `price_changed` on this line, with `price_with_vat` "
        "and `base_price` now), so a shop never pays a price it did not see (an order sent later from a "
        "phone that was offline)",
    )

    @model_validator(mode="before")
    @classmethod
    def _drop_client_prices(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if k not in _CLIENT_PRICE_FIELDS}
        return data


class OrderCreateIn(Strict):
    items: Annotated[list[OrderItemIn], Field(min_length=1, max_length=200)]
    payment_method: PaymentMethod = PaymentMethod.CASH_ON_DELIVERY
    delivery_address: Address | None = Field(default=None, description="Default: the shop's address")
    requested_date: date | None = Field(
        default=None,
        description="The day the shop would like it delivered (Algiers calendar): today to 14 days ahead; "
        "none: as soon as the depot can",
    )
    notes: Notes | None = None
    retailer_id: Id | None = Field(default=None, description="Admins only: order on behalf of this shop")


class ReorderIn(Strict):
    payment_method: PaymentMethod | None = Field(default=None, description="Default: the original order's")
    delivery_address: Address | None = None
    requested_date: date | None = Field(default=None, description="As for a new order (not copied from the old one)")
    notes: Notes | None = None


class DeliveredLineIn(Strict):
    product_id: Id
    delivered_quantity: Annotated[int, Field(ge=0, le=MAX_QUANTITY, strict=True)]


class TransitionIn(Strict):
    to: OrderStatus
    reason: Reason | None = Field(
        default=None, description="Why, in words: a cancellation's; a failed delivery's when `reason_code` is other"
    )
    reason_code: FailureReason | None = Field(
        default=None,
        description="preparing from out_for_delivery (the delivery failed): required; `other` also needs `reason`",
    )
    version: Annotated[int, Field(ge=1, strict=True)] | None = Field(
        default=None, description="The `version` you read: a stale one gets 409"
    )
    driver_id: Id | None = Field(default=None, description="out_for_delivery: the driver who takes it (admins)")
    lines: Annotated[list[DeliveredLineIn], Field(max_length=MAX_LINES)] | None = Field(
        default=None, description="delivered: quantities actually delivered (lines left out: in full)"
    )
    cash_collected: Centimes | None = Field(
        default=None, description="delivered: cash taken at the door (required for cash on delivery)"
    )


class OrderListQuery(PageQuery):
    status: OrderStatus | None = None
    retailer_id: Id | None = None
    driver_id: Id | None = None
    date_from: date | None = Field(default=None, description="Placed on or after this UTC date")
    date_to: date | None = Field(default=None, description="Placed on or before this UTC date")

    @model_validator(mode="after")
    def _range(self) -> OrderListQuery:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            from pydantic_core import PydanticCustomError

            raise PydanticCustomError("date_range_invalid", "date_from after date_to")
        return self


# ------------------------------------------------------------------ outputs


class OrderLineOut(Model):
    product_id: str
    sku: str
    name: str
    name_language: str
    sale_unit: str
    pack_size: int
    quantity: int
    delivered_quantity: int | None
    unit_price: int = Field(description="Centimes before VAT, fixed when the order was placed")
    unit_price_with_vat: int
    vat_rate: int
    line_subtotal: int
    line_total: int = Field(description="Centimes, VAT included")


class VatLineOut(Model):
    rate: int
    base: int
    vat: int


class OrderEventOut(Model):
    at: str
    by: str | None
    by_username: str | None
    by_role: str
    from_status: str | None
    to_status: str
    reason: str | None
    reason_code: FailureReason | None = Field(description="A failed delivery's reason (see TransitionIn)")


class OrderSummaryOut(Model):
    order_id: str
    order_number: str
    retailer_id: str
    retailer_name: str
    status: OrderStatus
    payment_method: PaymentMethod
    line_count: int
    total_amount: int
    delivered_total: int | None
    driver_id: str | None
    created_at: str
    updated_at: str
    version: int


class OrderOut(OrderSummaryOut):
    lines: list[OrderLineOut]
    subtotal: int
    vat_total: int
    vat_breakdown: list[VatLineOut]
    delivered_subtotal: int | None
    delivered_vat_total: int | None
    delivered_vat_breakdown: list[VatLineOut] | None
    cash_collected: int | None
    stamp_duty: int | None
    due_date: str | None
    credit_reserved: int
    delivery_address: str
    delivery_phone: str | None = Field(description="The shop's phone when it ordered (E.164), for the driver")
    requested_date: str | None = Field(default=None, description="The delivery day the shop asked for (YYYY-MM-DD)")
    notes: str | None
    placed_by: str | None
    placed_by_role: str
    reorder_of: str | None
    invoice_number: str | None
    delivered_at: str | None
    history: list[OrderEventOut]


class InvoiceOut(Model):
    invoice_number: str
    url: str
    expires_in: int
    content_type: Literal["application/pdf"] = "application/pdf"


class DashboardOut(Model):
    orders_by_status: dict[str, int]
    today: dict[str, int]
    this_month: dict[str, int]
    credit_exposure: int
    outstanding_balance: int
    open_credit_orders: int
    overdue_amount: int
    as_of: str
    day: str
