"""Identifiers: ULIDs (time-sortable, URL-safe) for every entity."""

from __future__ import annotations

import re
from datetime import datetime

from ulid import ULID

_ULID_RE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{26}$")


def new_id(moment: datetime | None = None) -> str:
    """A new ULID string (stamped with `moment` when given, e.g. the app clock's now)."""
    return str(ULID.from_datetime(moment) if moment is not None else ULID())


def id_time(value: str) -> datetime:
    """The moment a ULID was stamped with (millisecond precision)."""
    return ULID.from_str(value).datetime


def is_id(value: str) -> bool:
    """True if ``value`` looks like one of our ids (a canonical ULID)."""
    return bool(_ULID_RE.match(value or ""))
