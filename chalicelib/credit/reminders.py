"""Credit reminders: every day at 09:00 Algiers time (never on Friday), the shops owing money
hear from us on a ladder — 3 days before the due date, on it, then 3, 7 and 14 days late —
and after 14 days the platform's staff are told too.

The shops come from the sparse DUE index (oldest due date first, no scan). For each shop the
latest step it has reached is sent if it was not sent yet, so a step that fell on a Friday
(or a day the schedule did not run) goes out the next run, and a step already passed is not
sent late. Each send claims (due date, step) and (shop, day) in the same transaction as its
outbox event: a rerun the same day sends nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from chalicelib.core import clock
from chalicelib.credit.account import open_receivables
from chalicelib.credit.models import CreditAccount, ReminderClaim
from chalicelib.db import keys
from chalicelib.db.tx import TxCancelled, transaction
from chalicelib.events import bus, kinds

# (days relative to the due date, step, event)
Rung = tuple[int, str, kinds.ReminderStep]
LADDER: tuple[Rung, ...] = (
    (-3, "before_due", "before_due"),
    (0, "due", "due"),
    (3, "overdue_3", "overdue"),
    (7, "overdue_7", "overdue"),
    (14, "overdue_14", "overdue"),
)
ESCALATE_AFTER = 14
FRIDAY = 4
CLAIM_TTL = timedelta(days=400)


@dataclass(frozen=True)
class Sent:
    retailer_id: str
    step: str
    escalated: bool


def _step(days: int) -> Rung | None:
    reached = [rung for rung in LADDER if rung[0] <= days]
    return reached[-1] if reached else None


def run(today: date | None = None) -> list[Sent]:
    """One day's reminders (the schedule calls it; tests call it with a frozen clock)."""
    today = today or date.fromisoformat(clock.local_date())
    if today.weekday() == FRIDAY:
        return []
    horizon = (today + timedelta(days=-LADDER[0][0])).isoformat()  # due within 3 days, or already
    sent = []
    for account in CreditAccount.gsi3.query(keys.DUE, f"{horizon}~" >= CreditAccount.GSI3SK):
        if not isinstance(account, CreditAccount) or not account.oldest_due_date:
            continue
        due = date.fromisoformat(account.oldest_due_date)
        rung = _step((today - due).days)
        if rung is None:
            continue
        result = _remind(account, due, today, rung)
        if result is not None:
            sent.append(result)
    return sent


def _remind(account: CreditAccount, due: date, today: date, rung: Rung) -> Sent | None:
    _, step, event = rung
    days = (today - due).days
    owed = sum(int(r.remaining) for r in open_receivables(account.retailer_id) if r.due_date <= due.isoformat())
    amount, shown_due = owed or int(account.balance), due.strftime("%d/%m/%Y")
    now = clock.now()
    expires = clock.epoch(now + CLAIM_TTL)
    escalate = step == "overdue_14"
    try:
        with transaction() as tx:
            for pk in (
                keys.reminder_step(account.retailer_id, due.isoformat(), step),
                keys.reminder_day(account.retailer_id, today.isoformat()),
            ):
                claim = ReminderClaim(
                    PK=pk,
                    SK=keys.REMINDER_SK,
                    retailer_id=account.retailer_id,
                    created_at=clock.iso(now),
                    expires_at=expires,
                )
                tx.create(claim, label="claim")
            shop = account.retailer_id
            bus.record(tx, kinds.credit_reminder(event, retailer_id=shop, amount=amount, due_date=shown_due, days=days))
            if escalate:
                bus.record(tx, kinds.credit_escalation(retailer_id=shop, amount=amount, due_date=shown_due, days=days))
    except TxCancelled as exc:
        if "claim" in exc.failed:
            return None  # sent already (this step, or another reminder today)
        raise
    return Sent(account.retailer_id, step, escalate)
