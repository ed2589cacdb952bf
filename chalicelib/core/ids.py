"""Identifiers: ULIDs (time-sortable, URL-safe) for every entity."""

from __future__ import annotations

import re

from ulid import ULID

_ULID_RE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{26}$")


def new_id() -> str:
    """A new ULID string."""
    return str(ULID())


def is_id(value: str) -> bool:
    """True if ``value`` looks like one of our ids (a canonical ULID)."""
    return bool(_ULID_RE.match(value or ""))
