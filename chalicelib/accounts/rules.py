"""Accounts' pure rules: a shop's review moves (from which statuses, to which), and how often a
one-time code (password reset, phone change) may be texted."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any, Protocol, TypedDict

from chalicelib.accounts import schemas
from chalicelib.core.rbac import PASSWORD_CHANGE, TWO_FACTOR_SETUP, Role

CODE_TTL = 10 * 60  # a code is valid 10 minutes
CODE_TRIES = 5
RESEND_AFTER = 60  # at most one code a minute…
SEND_WINDOW = 3600
MAX_SENDS = 5  # …and 5 an hour


@dataclass(frozen=True)
class Allowance:
    window_start: int
    sends: int  # codes sent in the window so far
    wait: int  # seconds before another may go (0: now)


def code_allowance(last_sent_at: int | None, window_start: int | None, sends: int, now: int) -> Allowance:
    """Whether a new code may be sent now, from the last one's time and the hour's count."""
    if last_sent_at is None or window_start is None:
        return Allowance(now, 0, 0)
    start = window_start if window_start > now - SEND_WINDOW else now
    counted = sends if start == window_start else 0
    wait = max(last_sent_at + RESEND_AFTER - now, 0)
    if counted >= MAX_SENDS:
        wait = max(wait, start + SEND_WINDOW - now)
    return Allowance(start, counted, wait)


RetailerStatus = schemas.RetailerStatus

TRANSITIONS: dict[str, tuple[set[str], str]] = {
    # action: (allowed from, resulting status)
    "approve": ({RetailerStatus.PENDING, RetailerStatus.REJECTED}, RetailerStatus.APPROVED),
    "reject": ({RetailerStatus.PENDING}, RetailerStatus.REJECTED),
    "suspend": ({RetailerStatus.APPROVED}, RetailerStatus.SUSPENDED),
    "reactivate": ({RetailerStatus.SUSPENDED}, RetailerStatus.APPROVED),
}


class CodeSent(Protocol):
    """What a code item remembers of the codes already sent (reset, phone change)."""

    last_sent_at: Any
    window_start: Any
    sends: Any


def allowance_after(sent: CodeSent | None, now: int) -> Allowance:
    """`code_allowance` from the code item of the last code (None: never sent)."""
    if sent is None:
        return code_allowance(None, None, 0, now)
    return code_allowance(int(sent.last_sent_at), int(sent.window_start), int(sent.sends), now)


class CodeFields(TypedDict):
    code_expires_at: int
    tries_left: int
    last_sent_at: int
    window_start: int
    sends: int
    expires_at: int


def fresh_code(allowed: Allowance, now: int) -> tuple[str, CodeFields]:
    """A new 6-digit code and the fields its item keeps: expiry, tries, the sending window (the
    item outlives the code until the window ends: TTL `expires_at`)."""
    fields = CodeFields(
        code_expires_at=now + CODE_TTL,
        tries_left=CODE_TRIES,
        last_sent_at=now,
        window_start=allowed.window_start,
        sends=allowed.sends + 1,
        expires_at=allowed.window_start + SEND_WINDOW,
    )
    return f"{secrets.randbelow(10**6):06d}", fields


class SessionHolder(Protocol):
    role: Any
    must_change_password: Any
    two_factor: Any


def session_role(user: SessionHolder, staff_two_factor: bool) -> str:
    """The role a new session of `user` carries: a temporary password must be changed first;
    an admin must set up two-factor first where the stage requires it."""
    if user.must_change_password:
        return PASSWORD_CHANGE
    if staff_two_factor and user.role == Role.ADMIN and not user.two_factor:
        return TWO_FACTOR_SETUP
    return str(user.role)
