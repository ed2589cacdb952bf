"""Credit event handlers (registered by `app.py`): the daily reminder schedule. Thin: the
ladder lives in `credit.reminders`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint, Cron

from chalicelib.core import lazy

if TYPE_CHECKING:
    from chalicelib.credit import reminders
else:
    reminders = lazy.module("chalicelib.credit.reminders")


bp = Blueprint(__name__)

REMINDER_FUNCTION = "send_credit_reminders"


# 09:00 in Algiers is 08:00 UTC all year (no daylight saving); Fridays are skipped in code
@bp.schedule(Cron(0, 8, "*", "*", "?", "*"), name=REMINDER_FUNCTION)
def send_credit_reminders(event: Any) -> dict[str, Any]:
    sent = reminders.run()
    return {"reminders": len(sent), "escalated": sum(s.escalated for s in sent)}
