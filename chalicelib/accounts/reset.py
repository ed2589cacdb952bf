"""Forgotten passwords: a 6-digit code texted to the user's phone (WhatsApp, else SMS).

The code is stored only as an HMAC with the signing secret, is valid 10 minutes, allows 5
tries, and is sent again at most once a minute and 5 times an hour. Asking for a code
answers the same whether or not the username or phone exists, so nobody learns who has an
account. A reset ends every session of the user, clears the account's failed logins, and
is audited. The same code proves the phone at a login that needs a second factor (a
account with many failed logins, see `auth`): then it is texted as a login code.
"""

from __future__ import annotations

from dataclasses import dataclass

from pynamodb.exceptions import DeleteError

from chalicelib.accounts import codes, guard
from chalicelib.accounts.items import get_user_item
from chalicelib.accounts.models import PasswordReset, User
from chalicelib.accounts.rules import CODE_TTL, RESEND_AFTER, allowance_after, fresh_code
from chalicelib.accounts.sessions import revoke_all_sessions
from chalicelib.accounts.users import new_password
from chalicelib.audit import service as audit
from chalicelib.core import clock, security
from chalicelib.core.errors import Conflict, ValidationFailed, field_error
from chalicelib.core.observability import count
from chalicelib.core.rbac import Actor
from chalicelib.db import keys, limits
from chalicelib.db.base import read_many, read_one
from chalicelib.db.tx import TxCancelled, transaction
from chalicelib.events import bus, kinds


@dataclass(frozen=True)
class Requested:
    """What the caller is told: the same for every login, known or not."""

    expires_in: int = CODE_TTL
    resend_after: int = RESEND_AFTER


def _find(login: str) -> User | None:
    """The active user a username or phone number names, or None."""
    typed = guard.Login.of(login)
    user_id = typed.owner(read_many(typed.claims))
    user = read_one(User, (keys.user(user_id), keys.PROFILE)) if user_id else None
    return user if user is not None and user.is_active else None


def _key(user_id: str) -> tuple[str, str]:
    return keys.user(user_id), keys.PASSWORD_RESET_SK


def _code_hash(user_id: str, code: str) -> str:
    return security.sign(f"password-reset:{user_id}:{code}".encode())


def request_code(actor: Actor, login: str) -> Requested:
    """Text a code to the user named by `login` (if any, and if not asked too often). An
    address may ask (or try codes) a bounded number of times an hour (429 beyond)."""
    guard.address_quota(actor, "reset")
    user = _find(login)
    if user is not None and user.phone:
        send_code(actor, user, strict=False)
    count("PasswordResetRequested")
    return Requested()


def send_for(actor: Actor, user_id: str) -> None:
    """Staff send a code to a user (404 unknown, 409 without a phone or asked too often)."""
    user = get_user_item(user_id)
    if not user.phone:
        raise Conflict("no_phone")
    send_code(actor, user, strict=True)


def send_code(actor: Actor, user: User, *, strict: bool, for_login: bool = False) -> bool:
    """Send a fresh code to `user`; False (or, `strict`, 409 with Retry-After) when one went
    out less than a minute ago or too many went out this hour. `for_login`: the text says it
    is a login code."""
    now = clock.epoch()
    current = read_one(PasswordReset, _key(user.user_id))
    allowed = allowance_after(current, now)
    if allowed.wait > 0:
        if strict:
            wait = allowed.wait
            raise Conflict("reset_code_recently_sent", params={"seconds": wait}, headers={"Retry-After": str(wait)})
        return False
    code, fields = fresh_code(allowed, now)
    pk, sk = _key(user.user_id)
    item = PasswordReset(PK=pk, SK=sk, user_id=user.user_id, code_hash=_code_hash(user.user_id, code), **fields)
    unchanged = PasswordReset.last_sent_at == current.last_sent_at if current else PasswordReset.PK.does_not_exist()
    try:
        with transaction() as tx:
            tx.put(item, unchanged, label="reset")
            event = kinds.login_code if for_login else kinds.reset_code
            bus.record(tx, event(user_id=user.user_id, code=code, expires_at=now + CODE_TTL))
            by_staff = actor.user_id is not None and actor.user_id != user.user_id
            audit.record(
                tx,
                actor,
                "auth.login_code_sent" if for_login else "auth.reset_requested",
                "user",
                user.user_id,
                retailer_id=user.retailer_id,
                metadata={"by_staff": by_staff},
            )
    except TxCancelled:  # a concurrent request sent one a moment ago
        if strict:
            raise Conflict("reset_code_recently_sent", params={"seconds": RESEND_AFTER}) from None
        return False
    return True


def _matching(user: User | None, code: str) -> PasswordReset:
    """The user's live code item when `code` is its code; else the one 422 on `code` (a wrong
    guess spends one of the code's tries)."""
    reset = read_one(PasswordReset, _key(user.user_id)) if user else None
    if user is None or reset is None or not codes.matches(reset, _code_hash(user.user_id, code.strip())):
        count("PasswordResetWrongCode")
        raise field_error("code", "reset_code_invalid")
    return reset


def take_code(user: User, code: str) -> bool:
    """Spend the code texted for a login: True when it was the user's live code."""
    try:
        reset = _matching(user, code)
        reset.delete(PasswordReset.code_hash == reset.code_hash)
    except (ValidationFailed, DeleteError):  # wrong, or used at the same moment by another login
        return False
    return True


def reset_password(actor: Actor, login: str, code: str, password: str) -> None:
    """Set a new password with the code; every session of the user ends. A wrong, expired or
    spent code — or an unknown login — is the same 422 on `code`."""
    guard.address_quota(actor, "reset")
    user = _find(login)
    reset = _matching(user, code)
    assert user is not None
    try:
        with transaction() as tx:
            tx.update(user, new_password(password), label="user", add_version_condition=False)
            tx.delete(reset, PasswordReset.code_hash == reset.code_hash, label="reset")
            # a reset is the way out of a guarded account: its failed logins are forgotten
            for pk, sk in guard.failures_keys(guard.account(user.user_id)):
                tx.delete(limits.Counter(PK=pk, SK=sk), label="failures")
            audit.record(tx, actor, "auth.password_reset", "user", user.user_id, retailer_id=user.retailer_id)
    except TxCancelled as exc:  # the same code used twice at once: one wins
        raise field_error("code", "reset_code_invalid") from exc
    revoke_all_sessions(user.user_id, "password_reset")
    count("PasswordReset")
