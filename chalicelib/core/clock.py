"""Time: UTC in storage, Africa/Algiers for display and schedules. Tests freeze `now`."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

ALGIERS = ZoneInfo("Africa/Algiers")

_frozen: datetime | None = None


def now() -> datetime:
    """The current UTC time (aware)."""
    return _frozen if _frozen is not None else datetime.now(UTC)


def freeze(at: datetime | None) -> None:
    """Pin `now()` to a moment (tests, replays); `None` releases it."""
    global _frozen
    _frozen = at.astimezone(UTC) if at is not None else None


def iso(moment: datetime | None = None) -> str:
    """UTC ISO-8601 with milliseconds and a Z, sortable as a string."""
    moment = moment or now()
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def epoch(moment: datetime | None = None) -> int:
    """Seconds since the epoch (TTL attributes, JWT claims)."""
    return int((moment or now()).timestamp())


def parse_iso(value: str) -> datetime:
    """Parse a stored ISO-8601 timestamp."""
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def local_date(moment: datetime | None = None) -> str:
    """The Algiers calendar date (yyyy-mm-dd) of a moment: due dates, daily sales, schedules."""
    return (moment or now()).astimezone(ALGIERS).date().isoformat()
