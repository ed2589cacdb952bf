"""The outbox relay's schedule (registered by `app.py`). Thin: the work lives in `outbox`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint, Rate

from chalicelib.core import lazy

if TYPE_CHECKING:
    from chalicelib.events import outbox
else:
    outbox = lazy.module("chalicelib.events.outbox")


bp = Blueprint(__name__)

RELAY_FUNCTION = "relay_outbox"


@bp.schedule(Rate(1, unit=Rate.MINUTES), name=RELAY_FUNCTION)
def relay_outbox(event: Any) -> dict[str, Any]:
    """Every minute: events whose change committed but which did not reach the queue."""
    return {"sent": outbox.relay()}
