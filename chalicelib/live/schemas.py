"""The change feed as the API shows it."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from chalicelib.core.schemas import Model, Strict


class ChangesQuery(Strict):
    after: Annotated[str, Field(min_length=26, max_length=26)] | None = Field(
        default=None, description="the `next_cursor` of your last poll; leave it out to start following from now"
    )
    limit: Annotated[int, Field(ge=1, le=200)] = 100


class ChangeOut(Model):
    event_id: str
    kind: str = Field(description="what changed, e.g. `order.confirmed`, `payment.received`, `retailer.registered`")
    at: str
    data: dict[str, Any] = Field(description="the ids and figures of the change (re-read the resource for the rest)")
