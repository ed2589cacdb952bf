"""Password login with its guard and second factor, the account and shop status checks, a new
session; changing one's own password."""

from __future__ import annotations

from chalicelib.accounts import guard, reset, two_factor, users
from chalicelib.accounts.items import get_retailer_item, get_user_item
from chalicelib.accounts.models import Retailer, User
from chalicelib.accounts.rules import RESEND_AFTER, RetailerStatus
from chalicelib.accounts.sessions import Tokens, open_session, revoke_all_sessions
from chalicelib.audit import service as audit
from chalicelib.core import clock, security
from chalicelib.core.errors import Forbidden, Unauthorized, field_error
from chalicelib.core.ids import new_id
from chalicelib.core.observability import count, logger
from chalicelib.core.rbac import RETAILER_ROLES, Actor
from chalicelib.db import keys, limits
from chalicelib.db.tx import transaction


def _check_can_log_in(user: User) -> Retailer | None:
    if not user.is_active:
        raise Forbidden("user_disabled")
    if user.role not in RETAILER_ROLES:
        return None
    retailer = get_retailer_item(user.retailer_id or "")
    if retailer.status == RetailerStatus.PENDING:
        raise Forbidden("retailer_pending")
    if retailer.status == RetailerStatus.REJECTED:
        raise Forbidden("retailer_rejected", params={"reason": retailer.status_reason or ""})
    if retailer.status == RetailerStatus.SUSPENDED:
        raise Forbidden("retailer_suspended", params={"reason": retailer.status_reason or ""})
    return retailer


def _on_device(user: User, caller: Actor, device_id: str | None = None) -> Actor:
    """The user, acting from the caller's device (the login's actor, before any session)."""
    return Actor(
        user_id=user.user_id,
        role=user.role,
        retailer_id=user.retailer_id,
        username=user.username,
        ip=caller.ip,
        user_agent=caller.user_agent,
        device_id=device_id or caller.device_id,
    )


def login(actor: Actor, username: str, password: str, device_id: str | None, code: str | None = None) -> Tokens:
    """Password login by username or phone (and the second factor it may need, see `guard`),
    status checks, a new session (refresh family) and tokens. Logins that name nobody cost the
    same reads and the same password hash as the others, and fail with the same reply."""
    now = clock.epoch()
    per_user, per_address, per_pair = guard.by_user(), guard.by_address(), guard.by_pair()
    typed = guard.Login.of(username)
    # first read: whom the login names, and the address's failures (refused before any hash)
    at_address = [(per_address, actor.ip)] if actor.ip else []
    numbers, found = limits.counts(at_address, now, also=typed.claims)
    if at_address and numbers[0].total >= per_address.max:
        raise limits.refusal(per_address, now)
    user_id = typed.owner(found)
    subject = typed.subject(user_id)
    # second read: the account (a made-up one for nobody) with its failures, here and anywhere
    checks = [(per_user, subject)] + ([(per_pair, guard.pair(subject, actor.ip))] if actor.ip else [])
    profile = (keys.user(user_id or new_id()), keys.PROFILE)
    numbers, found = limits.counts(checks, now, also=[profile])
    failures = numbers[0]
    failing_here = bool(actor.ip) and numbers[1].total >= per_pair.max
    user = found.get(profile)
    if not isinstance(user, User):
        security.verify_password(security.dummy_hash(), password)  # same work as a real user
        guard.failed(actor, subject, None)
        raise Unauthorized("invalid_credentials")
    actor = _on_device(user, actor, device_id)
    if not security.verify_password(user.password_hash, password):
        guard.failed(actor, subject, user.user_id, user.retailer_id, failures.earlier)
        raise Unauthorized("invalid_credentials")
    _check_can_log_in(user)
    _second_factor(actor, user, failures, code, failing_here)
    # argon2 parameters were raised since this hash was made: upgrade it while we hold the password
    rehash = security.hash_password(password) if security.needs_rehash(user.password_hash) else None
    clear = guard.failures_keys(subject, now) if failures.total else []
    tokens = open_session(actor, user, rehash, clear=clear)
    count("LoginSucceeded")
    return tokens


def _second_factor(actor: Actor, user: User, failures: limits.Count, code: str | None, failing_here: bool) -> None:
    """After the right password: the authenticator's code when the user has one; a code
    texted to the phone when the username has too many failed logins (without a phone: only
    from an address that has not been failing on it); else nothing."""
    if user.two_factor:
        if not code:
            raise Unauthorized("authenticator_code_required", details={"second_factor": "totp"})
        if not two_factor.verify(user, code):
            guard.failed(actor, guard.account(user.user_id), user.user_id, user.retailer_id, failures.earlier)
            raise Unauthorized("second_factor_invalid", details={"second_factor": "totp"})
        return
    if failures.total < guard.by_user().max:
        return
    if code:
        if reset.take_code(user, code):
            return
        guard.failed(actor, guard.account(user.user_id), user.user_id, user.retailer_id, failures.earlier)
        raise Unauthorized("second_factor_invalid", details={"second_factor": "sms"})
    if not user.phone:
        if failing_here:
            raise Unauthorized("login_code_unavailable")
        return
    reset.send_code(actor, user, strict=False, for_login=True)
    raise Unauthorized("login_code_sent", details={"second_factor": "sms", "resend_after": RESEND_AFTER})


def change_password(actor: Actor, current: str, new: str) -> Tokens:
    """Change one's own password, knowing the current one. Every session of the user ends
    (other devices log in again) and this device gets a fresh session. Wrong current
    passwords count as failed logins of the username. Also ends a temporary password."""
    user = get_user_item(actor.user_id or "")
    now = clock.epoch()
    per_user = guard.by_user()
    (failures,), _ = limits.counts([(per_user, guard.account(user.user_id))], now)
    if failures.total >= per_user.max:  # no guessing of the current password from a stolen session
        raise limits.refusal(per_user, now)
    if not security.verify_password(user.password_hash, current):
        guard.failed(actor, guard.account(user.user_id), user.user_id, user.retailer_id, failures.earlier)
        raise field_error("current_password", "wrong_password")
    if new == current:
        raise field_error("new_password", "same_password")
    _check_can_log_in(user)
    with transaction() as tx:
        tx.update(
            user,
            users.new_password(new),
            condition=User.password_hash == user.password_hash,
            label="user",
            add_version_condition=False,
        )
        audit.record(tx, actor, "auth.password_changed", "user", user.user_id, retailer_id=user.retailer_id)
    ended = revoke_all_sessions(user.user_id, "password_changed")
    user.must_change_password = False
    tokens = open_session(_on_device(user, actor), user)
    count("PasswordChanged")
    logger.info("password changed", extra={"user_id": user.user_id, "sessions_ended": ended})
    return tokens
