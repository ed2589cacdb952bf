"""Password login: the lockout window, the account and shop status checks, a new session."""

from __future__ import annotations

from pynamodb.exceptions import DoesNotExist, UpdateError
from pynamodb.expressions.update import Action

from chalicelib.accounts.items import get_retailer_item, get_user_item
from chalicelib.accounts.models import Retailer, User, UsernameClaim
from chalicelib.accounts.rules import RetailerStatus
from chalicelib.accounts.sessions import Tokens, open_session, revoke_all_sessions
from chalicelib.audit import service as audit
from chalicelib.core import clock, security
from chalicelib.core.config import settings
from chalicelib.core.errors import Forbidden, Locked, Unauthorized, field_error
from chalicelib.core.observability import count, logger
from chalicelib.core.rbac import RETAILER_ROLES, Actor
from chalicelib.db import keys
from chalicelib.db.tx import transaction


def _lockout_message(claim: UsernameClaim, now: int) -> Locked:
    seconds = max(1, int(claim.locked_until) - now)
    minutes = max(1, (seconds + 59) // 60)
    return Locked(
        params={"minutes": minutes}, details={"retry_after_seconds": seconds}, headers={"Retry-After": str(seconds)}
    )


def _record_failure(claim: UsernameClaim, actor: Actor, user: User | None) -> None:
    """Count a failed login in the 15-minute window; the Nth failure locks the username."""
    cfg = settings()
    now = clock.epoch()
    window_floor = now - cfg.lockout_window
    try:
        claim.update(
            actions=[UsernameClaim.failed_count.add(1)],
            condition=UsernameClaim.window_start > window_floor,
        )
    except UpdateError:
        # window expired (or first failure): start a new one
        claim.update(actions=[UsernameClaim.failed_count.set(1), UsernameClaim.window_start.set(now)])
    count("LoginFailed")
    if int(claim.failed_count) >= cfg.lockout_threshold:
        locked_until = now + cfg.lockout_window
        claim.update(actions=[UsernameClaim.locked_until.set(locked_until)])
        audit.record(
            None,
            actor,
            "auth.locked",
            "user",
            claim.user_id,
            retailer_id=user.retailer_id if user else None,
            metadata={"failed_count": int(claim.failed_count), "locked_until": locked_until},
        )
        count("LoginLocked")
        logger.warning("username locked after failed logins", extra={"user_id": claim.user_id})
        raise _lockout_message(claim, now)


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


def new_password(password: str) -> list[Action]:
    """The user item's update for a new password (a temporary one ends with it)."""
    return [
        User.password_hash.set(security.hash_password(password)),
        User.must_change_password.set(False),
        User.updated_at.set(clock.iso()),
    ]


def login(actor: Actor, username: str, password: str, device_id: str | None) -> Tokens:
    """Password login: lockout, status checks, a new session (refresh family) and tokens."""
    name = username.strip().lower()
    now = clock.epoch()
    try:
        claim = UsernameClaim.get(keys.username(name), keys.USERNAME_SK, consistent_read=True)
    except DoesNotExist:
        security.verify_password(security.dummy_hash(), password)  # same timing as a real user
        count("LoginFailed")
        raise Unauthorized("invalid_credentials") from None
    if int(claim.locked_until or 0) > now:
        raise _lockout_message(claim, now)
    user = get_user_item(claim.user_id)
    actor = _on_device(user, actor, device_id)
    if not security.verify_password(user.password_hash, password):
        _record_failure(claim, actor, user)
        raise Unauthorized("invalid_credentials")
    _check_can_log_in(user)
    # argon2 parameters were raised since this hash was made: upgrade it while we hold the password
    rehash = security.hash_password(password) if security.needs_rehash(user.password_hash) else None
    tokens = open_session(actor, user, claim, rehash)
    count("LoginSucceeded")
    return tokens


def change_password(actor: Actor, current: str, new: str) -> Tokens:
    """Change one's own password, knowing the current one. Every session of the user ends
    (other devices log in again) and this device gets a fresh session. Wrong current
    passwords count towards the lockout like failed logins. Also ends a temporary password."""
    user = get_user_item(actor.user_id or "")
    claim = UsernameClaim.get(keys.username(user.username), keys.USERNAME_SK, consistent_read=True)
    now = clock.epoch()
    if int(claim.locked_until or 0) > now:
        raise _lockout_message(claim, now)
    if not security.verify_password(user.password_hash, current):
        _record_failure(claim, actor, user)
        raise field_error("current_password", "wrong_password")
    if new == current:
        raise field_error("new_password", "same_password")
    _check_can_log_in(user)
    with transaction() as tx:
        tx.update(
            user,
            new_password(new),
            condition=User.password_hash == user.password_hash,
            label="user",
            add_version_condition=False,
        )
        audit.record(tx, actor, "auth.password_changed", "user", user.user_id, retailer_id=user.retailer_id)
    ended = revoke_all_sessions(user.user_id, "password_changed")
    user.must_change_password = False
    tokens = open_session(_on_device(user, actor), user, claim, None)
    count("PasswordChanged")
    logger.info("password changed", extra={"user_id": user.user_id, "sessions_ended": ended})
    return tokens
