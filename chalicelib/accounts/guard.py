"""Login protection that cannot be turned against the user.

Failed logins are counted per address and per account (table counters with TTL, `db.limits`)
— an account's username and its phone share one count; a login that names nobody counts
under the name as typed (any spelling of a phone as one), so the replies never tell them
apart. An address's count starts again with each 15-minute window; an account's spans this
window and the one before, so 5 failures within any 15 minutes are always counted together,
for at least 15 minutes from the first of them (a fixed window forgot them at its edge):

* an address with too many failures (30 by default: a shop's phones may share a carrier's
  address) gets 429 for every login until its window ends, before any password is hashed;
* an account with too many failures (5) is never locked: the right password still works,
  but only with a second factor too — the authenticator's code when the user has one, else a
  code texted to the user's phone. Nobody who lacks the phone gets in, and nobody can keep
  the owner (or an admin) out by failing on purpose. An account with neither (a staff account
  made without a phone) opens with its password alone from an address that has not failed 5
  times on it in the window — the attacker's own addresses are the ones held back.

A successful login or a password reset forgets the account's failures.
"""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.accounts import schemas
from chalicelib.accounts.models import PhoneClaim, UsernameClaim
from chalicelib.audit import service as audit
from chalicelib.core import clock
from chalicelib.core.config import settings
from chalicelib.core.observability import count, logger
from chalicelib.core.rbac import Actor
from chalicelib.db import keys, limits
from chalicelib.db.base import Item, Key


@dataclass(frozen=True)
class Login:
    """What a typed login names, read once: the name its failures count under when it names
    nobody (a phone in any spelling as E.164, else the lowercased username) and the claim items
    that may hold its account — the phone's, when it reads as one, then the username's (read
    together, in the login's first call)."""

    name: str
    claims: list[Key]

    @classmethod
    def of(cls, typed: str) -> Login:
        text = typed.strip()
        phone = schemas.phone_in(text)
        claims = [(keys.phone(phone), keys.PHONE_SK)] if phone else []
        if not text.startswith("+"):  # "+213…" can only be a phone
            claims.append((keys.username(text.lower()), keys.USERNAME_SK))
        return cls(phone or text.lower(), claims)

    def owner(self, found: dict[Key, Item]) -> str | None:
        """The user the first claim found names (a phone before a username: new usernames
        cannot be phones, see `schemas.normalize_username`)."""
        for key in self.claims:
            claim = found.get(key)
            if isinstance(claim, UsernameClaim | PhoneClaim):
                return claim.user_id
        return None

    def subject(self, user_id: str | None) -> str:
        """Whose failed logins this login counts: the account's when it names one, else the
        name it was typed as (names nobody has count alike, so replies never tell them apart)."""
        return account(user_id) if user_id else f"name:{self.name}"


def account(user_id: str) -> str:
    """The subject an account's failed logins count under: one for its username and its phone."""
    return f"user:{user_id}"


def by_user() -> limits.Limit:
    cfg = settings()
    return limits.Limit("login-user", cfg.login_user_failures, cfg.login_window, span=2)


def by_address() -> limits.Limit:
    cfg = settings()
    return limits.Limit("login-address", cfg.login_address_failures, cfg.login_window)


def by_pair() -> limits.Limit:
    """Failed logins of one username from one address: an account with no second factor to ask
    for (no phone, no authenticator) still opens, with its password, from an address that has
    not been failing on it."""
    cfg = settings()
    return limits.Limit("login-pair", cfg.login_user_failures, cfg.login_window, span=2)


def pair(subject: str, address: str) -> str:
    """One account's (or name's, see `Login.subject`) failures from one address."""
    return f"{subject}|{address}"


def failures_keys(subject: str, now: int | None = None) -> list[Key]:
    """The counters of the failed logins `subject` has now (see `Login.subject`)."""
    return limits.span_keys(by_user(), subject, clock.epoch() if now is None else now)


def failed(actor: Actor, subject: str, user_id: str | None, retailer_id: str | None = None, earlier: int = 0) -> None:
    """Count a failed login for the address and the subject (see `Login.subject`); audit the moment
    an account starts to need a second factor (`earlier`: the subject's failures in the windows
    before this one, as read before the attempt)."""
    now = clock.epoch()
    if actor.ip:
        limits.hit(by_address(), actor.ip, now)
        limits.hit(by_pair(), pair(subject, actor.ip), now)
    failures = limits.hit(by_user(), subject, now) + earlier
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
        logger.warning("account needs a second factor after failed logins", extra={"user_id": user_id})


def address_quota(actor: Actor, name: str) -> None:
    """Count one unauthenticated request of kind `name` (`register`, `reset`, `refresh`) from
    the caller's address; 429 beyond the hour's allowance (`settings().address_limits`)."""
    limits.enforce(limits.Limit(name, settings().address_limits[name], 3600), actor.ip)
