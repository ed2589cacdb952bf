"""Credit API shapes: payments, limits and terms, the ledger, receipts, overdue shops."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from chalicelib.core.money import MAX_CENTIMES, Centimes
from chalicelib.core.schemas import FreeText, Model, PageQuery, Reason, Strict, clean_text

Notes = FreeText


class CollectionMethod(StrEnum):
    CASH = "cash"
    CHEQUE = "cheque"
    TRANSFER = "transfer"


class PaymentIn(Strict):
    amount: Annotated[int, Field(ge=1, le=MAX_CENTIMES, strict=True)]
    method: CollectionMethod = CollectionMethod.CASH
    reference: Annotated[str, Field(min_length=1, max_length=100), AfterValidator(clean_text)] | None = Field(
        default=None, description="Cheque number or transfer reference"
    )
    note: Notes | None = None


class CreditPatchIn(Strict):
    credit_limit: Centimes | None = None
    payment_terms_days: Annotated[int, Field(ge=0, le=180, strict=True)] | None = None

    @model_validator(mode="after")
    def _something(self) -> CreditPatchIn:
        if self.credit_limit is None and self.payment_terms_days is None:
            raise PydanticCustomError("field_required", "credit_limit or payment_terms_days")
        return self


class ReversalIn(Strict):
    reason: Reason


class LedgerQuery(PageQuery):
    date_from: date | None = None
    date_to: date | None = None


class OverdueQuery(PageQuery):
    until: date | None = Field(default=None, description="Due before this date (default: today, i.e. overdue)")


class CreditOut(Model):
    retailer_id: str
    credit_limit: int
    balance: int = Field(description="What the shop owes now (delivered, not yet paid)")
    open_orders_amount: int = Field(description="Credit orders placed, not yet delivered")
    available: int = Field(description="What a new credit order may total (never below 0)")
    overdue_amount: int
    oldest_due_date: str | None
    payment_terms_days: int
    updated_at: str


class AllocationOut(Model):
    order_id: str
    order_number: str
    due_date: str
    amount: int


class LedgerEntryOut(Model):
    entry_id: str
    retailer_id: str
    kind: Literal["delivery", "payment", "reversal"]
    amount: int = Field(description="Signed centimes: + owed more, - owed less")
    balance_after: int
    order_id: str | None
    order_number: str | None
    method: str | None
    stamp_duty: int | None
    reference: str | None
    note: str | None
    due_date: str | None
    allocations: list[AllocationOut] | None
    reverses: str | None
    actor_id: str | None
    actor_username: str | None
    created_at: str


class ReceiptOut(LedgerEntryOut):
    """A payment as printed for the shop: the amount, the stamp duty paid on top, in words."""

    amount_paid: int
    total_with_stamp_duty: int
    amount_in_words: str
    formatted: dict[str, str]


class OverdueOut(Model):
    retailer_id: str
    balance: int
    oldest_due_date: str
    credit_limit: int
