"""Checking a one-time code texted to a user (a password reset, a login, a new phone): the code
item keeps only its HMAC, its expiry and the tries left; a wrong guess spends a try."""

from __future__ import annotations

import hmac
from contextlib import suppress

from pynamodb.exceptions import UpdateError

from chalicelib.accounts.models import PasswordReset, PhoneChange
from chalicelib.core import clock


def matches(item: PasswordReset | PhoneChange | None, presented_hash: str) -> bool:
    """Whether `presented_hash` is the live code's HMAC: not expired, tries left. A wrong guess
    spends one try (concurrent wrong guesses may spend the last: the code is dead either way)."""
    if item is None or int(item.code_expires_at) <= clock.epoch() or int(item.tries_left) <= 0:
        return False
    if hmac.compare_digest(item.code_hash, presented_hash):
        return True
    model = type(item)
    with suppress(UpdateError):
        item.update([model.tries_left.add(-1)], condition=model.tries_left > 0)
    return False
