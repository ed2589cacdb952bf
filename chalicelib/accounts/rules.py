"""Accounts' pure rules: a shop's review moves (from which statuses, to which)."""

from __future__ import annotations

from chalicelib.accounts import schemas

RetailerStatus = schemas.RetailerStatus

TRANSITIONS: dict[str, tuple[set[str], str]] = {
    # action: (allowed from, resulting status)
    "approve": ({RetailerStatus.PENDING, RetailerStatus.REJECTED}, RetailerStatus.APPROVED),
    "reject": ({RetailerStatus.PENDING}, RetailerStatus.REJECTED),
    "suspend": ({RetailerStatus.APPROVED}, RetailerStatus.SUSPENDED),
    "reactivate": ({RetailerStatus.SUSPENDED}, RetailerStatus.APPROVED),
}
