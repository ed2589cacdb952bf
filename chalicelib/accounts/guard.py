"""Login protection that cannot be turned against the user.

Failed logins are counted per address and per username in 15-minute windows (table
counters with TTL, `db.limits`), for usernames that exist and usernames that do not alike,
so the replies never tell them apart:

* an address with too many failures (30 by default: a shop's phones may share a carrier's
  address) gets 429 for every login until its window ends, before any password is hashed;
* a username with too many failures (5) is never locked: the right password still works,
  but only with a second factor too — the authenticator's code when the user has one, else a
  code texted to the user's phone. Nobody who lacks the phone gets in, and nobody can keep
  the owner (or an admin) out by failing on purpose. An account with neither (a staff account
  made without a phone) opens with its password alone from an address that has not failed 5
  times on it in the window — the attacker's own addresses are the ones held back.

A successful login or a password reset forgets the username's failures.
"""

from __future__ import annotations

from chalicelib.audit import service as audit
from chalicelib.core import clock
from chalicelib.core.config import settings
from chalicelib.core.observability import count, logger
from chalicelib.core.rbac import Actor
from chalicelib.db import limits
from chalicelib.db.base import Key


def fold(username: str) -> str:
    """A username as it is compared (and counted)."""
    return username.strip().lower()


def by_user() -> limits.Limit:
    cfg = settings()
    return limits.Limit("login-user", cfg.login_user_failures, cfg.login_window)


def by_address() -> limits.Limit:
    cfg = settings()
    return limits.Limit("login-address", cfg.login_address_failures, cfg.login_window)


def by_pair() -> limits.Limit:
    """Failed logins of one username from one address: an account with no second factor to ask
    for (no phone, no authenticator) still opens, with its password, from an address that has
    not been failing on it."""
    cfg = settings()
    return limits.Limit("login-pair", cfg.login_user_failures, cfg.login_window)


def pair(username: str, address: str) -> str:
    return f"{fold(username)}|{address}"


def failures_key(username: str, now: int | None = None) -> Key:
    """The counter of this window's failed logins for `username`."""
    return limits.key(by_user(), fold(username), clock.epoch() if now is None else now)


def failed(actor: Actor, username: str, user_id: str | None, retailer_id: str | None = None) -> None:
    """Count a failed login for the address and the username; audit the moment a known
    username starts to need a second factor."""
    now = clock.epoch()
    if actor.ip:
        limits.hit(by_address(), actor.ip, now)
        limits.hit(by_pair(), pair(username, actor.ip), now)
    failures = limits.hit(by_user(), fold(username), now)
    count("LoginFailed")
    if failures == by_user().max and user_id:
        audit.record(
            None,
            actor,
            "auth.guarded",
            "user",
            user_id,
            retailer_id=retailer_id,
            metadata={"failed_count": failures},
        )
        count("LoginGuarded")
        logger.warning("username needs a second factor after failed logins", extra={"user_id": user_id})


def address_quota(actor: Actor, name: str) -> None:
    """Count one unauthenticated request of kind `name` (`register`, `reset`, `refresh`) from
    the caller's address; 429 beyond the hour's allowance (`settings().address_limits`)."""
    limits.enforce(limits.Limit(name, settings().address_limits[name], 3600), actor.ip)
