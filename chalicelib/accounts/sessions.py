"""Sessions: one per login and device, the refresh-token family (rotated on every use, ended
whole on reuse), the bearer-token check of every request, logout, the list of my devices."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, NoReturn

from pynamodb.exceptions import DoesNotExist, UpdateError

from chalicelib.accounts import guard
from chalicelib.accounts.items import get_user_item
from chalicelib.accounts.models import Session, User
from chalicelib.accounts.rules import session_role
from chalicelib.audit import service as audit
from chalicelib.core import clock, security
from chalicelib.core.config import settings
from chalicelib.core.errors import (
    Forbidden,
    NotFound,
    Unauthorized,
)
from chalicelib.core.ids import is_id, new_id
from chalicelib.core.observability import count, logger
from chalicelib.core.rbac import ONBOARDING, PASSWORD_CHANGE, TWO_FACTOR_SETUP, Actor, RequestInfo
from chalicelib.db import keys
from chalicelib.db.base import Item, Key, ride, settle_riders
from chalicelib.db.limits import Counter
from chalicelib.db.tx import transaction

_USED_HASHES_KEPT = 20
# what a session that may only finish a set-up is told elsewhere
_SETUP_REFUSALS = {PASSWORD_CHANGE: "password_change_required", TWO_FACTOR_SETUP: "two_factor_enrollment_required"}
ACTIVITY_STEP = timedelta(minutes=5)


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str
    expires_in: int
    user: User


def open_session(actor: Actor, user: User, rehash: str | None = None, clear: list[Key] | None = None) -> Tokens:
    """A new session and its tokens. A user holding a temporary password gets a session that
    may only change it (`PASSWORD_CHANGE`), an admin who must set up two-factor one that may
    only do that (`TWO_FACTOR_SETUP`). `clear` names the login-failure counters to delete with
    the session (the username's: the right person got in)."""
    cfg = settings()
    now_iso = clock.iso()
    session_id = new_id()
    secret = security.new_secret()
    session = Session(
        PK=keys.user(user.user_id),
        SK=keys.session(session_id),
        session_id=session_id,
        user_id=user.user_id,
        role=session_role(user, settings().staff_two_factor),
        retailer_id=user.retailer_id,
        username=user.username,
        refresh_hash=security.digest(secret),
        used_hashes=[],
        created_at=now_iso,
        last_used_at=now_iso,
        device_id=actor.device_id,
        ip=actor.ip,
        user_agent=actor.user_agent,
        expires_at=clock.epoch() + cfg.refresh_token_ttl,
    )
    user_actions = [User.last_login_at.set(now_iso)]
    if rehash:
        user_actions.append(User.password_hash.set(rehash))
    with transaction() as tx:
        tx.create(session, label="session")
        tx.update(user, user_actions, label="user", add_version_condition=False)
        for pk, sk in clear or []:
            tx.delete(Counter(PK=pk, SK=sk), label="failures")
        audit.record(
            tx,
            actor,
            "auth.login",
            "session",
            session_id,
            retailer_id=user.retailer_id,
            metadata={"user_id": user.user_id},
        )
    user.last_login_at = now_iso
    return Tokens(
        access_token=_access_token(session),
        refresh_token=_refresh_token(user.user_id, session_id, secret),
        expires_in=cfg.access_token_ttl,
        user=user,
    )


def _access_token(session: Session) -> str:
    claims = {
        "sub": session.user_id,
        "sid": session.session_id,
        "role": session.role,
        "rid": session.retailer_id,
        "usr": session.username,
    }
    return security.issue_token(claims, settings().access_token_ttl)


def _refresh_token(user_id: str, session_id: str, secret: str) -> str:
    return f"{user_id}.{session_id}.{secret}"


def _parse_refresh(token: str) -> tuple[str, str, str]:
    parts = token.split(".")
    if len(parts) != 3 or not is_id(parts[0]) or not is_id(parts[1]) or len(parts[2]) < 20:
        raise Unauthorized("invalid_token")
    return parts[0], parts[1], parts[2]


def _get_session(user_id: str, session_id: str) -> Session | None:
    try:
        return Session.get(keys.user(user_id), keys.session(session_id), consistent_read=True)
    except DoesNotExist:
        return None


def _session_alive(session: Session | None) -> bool:
    return session is not None and session.revoked_at is None and int(session.expires_at or 0) > clock.epoch()


def refresh(actor: Actor, refresh_token: str) -> Tokens:
    """Rotate: the presented token is spent; presenting a spent one again ends the family.
    An address may refresh a bounded number of times an hour (429 beyond)."""
    guard.address_quota(actor, "refresh")
    user_id, session_id, secret = _parse_refresh(refresh_token)
    session = _get_session(user_id, session_id)
    if not _session_alive(session):
        raise Unauthorized("session_revoked")
    assert session is not None
    presented = security.digest(secret)
    if presented != session.refresh_hash:
        if presented in (session.used_hashes or []):
            _reuse_detected(actor, session)
        raise Unauthorized("invalid_token")
    cfg = settings()
    new_secret = security.new_secret()
    used: list[str] = [presented, *list(session.used_hashes or [])][:_USED_HASHES_KEPT]
    try:
        session.update(
            actions=[
                Session.refresh_hash.set(security.digest(new_secret)),
                Session.used_hashes.set(used),
                Session.last_used_at.set(clock.iso()),
                Session.expires_at.set(clock.epoch() + cfg.refresh_token_ttl),
                Session.ip.set(actor.ip) if actor.ip else Session.ip.remove(),
            ],
            condition=(Session.refresh_hash == presented) & Session.revoked_at.does_not_exist(),
        )
    except UpdateError:
        # a concurrent refresh spent this token first: treat as reuse
        _reuse_detected(actor, session)
    user = get_user_item(user_id)
    return Tokens(
        access_token=_access_token(session),
        refresh_token=_refresh_token(user_id, session_id, new_secret),
        expires_in=cfg.access_token_ttl,
        user=user,
    )


def _revoke(user_id: str, session_id: str, reason: str) -> bool:
    """End one live session by key, without reading it first; False if it was not live."""
    session = Session(PK=keys.user(user_id), SK=keys.session(session_id))
    try:
        session.update(
            actions=[Session.revoked_at.set(clock.iso()), Session.revoked_reason.set(reason)],
            condition=Session.PK.exists() & Session.revoked_at.does_not_exist() & (Session.expires_at > clock.epoch()),
        )
    except UpdateError:
        return False
    return True


def _reuse_detected(actor: Actor, session: Session) -> NoReturn:
    """A spent refresh token came back: end the whole family, audit it, refuse."""
    if _revoke(session.user_id, session.session_id, "refresh_token_reused"):
        audit.record(
            None,
            actor,
            "auth.refresh_reuse",
            "session",
            session.session_id,
            retailer_id=session.retailer_id,
            metadata={"user_id": session.user_id},
        )
    count("RefreshTokenReuse")
    logger.warning("refresh token reuse: session revoked", extra={"session_id": session.session_id})
    raise Unauthorized("refresh_token_reused")


def _live_sessions(user_id: str) -> list[Session]:
    sessions = Session.query(keys.user(user_id), Session.SK.startswith(keys.SESSION_PREFIX))
    return [s for s in sessions if _session_alive(s)]


def revoke_all_sessions(user_id: str, reason: str) -> int:
    """End every live session of a user; returns how many were ended."""
    now = clock.iso()
    live = _live_sessions(user_id)
    for start in range(0, len(live), 90):
        with transaction() as tx:
            for session in live[start : start + 90]:
                tx.update(
                    session,
                    [Session.revoked_at.set(now), Session.revoked_reason.set(reason)],
                    label="session",
                )
    return len(live)


def authenticate(token: str, request: RequestInfo, roles: tuple[str, ...]) -> Actor:
    """Bearer token -> Actor. Access tokens must belong to a live session (revocation is immediate)."""
    unverified_onboarding = ONBOARDING in roles
    try:
        claims = security.decode_token(token)
    except Unauthorized:
        if not unverified_onboarding:
            raise
        claims = security.decode_token(token, kind=security.ONBOARDING)
        return Actor(
            user_id=claims["sub"],
            role=ONBOARDING,
            retailer_id=claims.get("rid"),
            ip=request.ip,
            user_agent=request.user_agent,
            device_id=request.device_id,
        )
    # the session is read with the request's first BatchGetItem (or on its own before any
    # other DynamoDB call): revocation is immediate, and costs no round trip of its own
    ride((keys.user(claims["sub"]), keys.session(str(claims.get("sid", "")))), _session_allows(claims))
    actor = Actor(
        user_id=claims["sub"],
        role=claims["role"],
        retailer_id=claims.get("rid"),
        session_id=claims.get("sid"),
        username=claims.get("usr"),
        ip=request.ip,
        user_agent=request.user_agent,
        device_id=request.device_id,
    )
    if actor.role not in roles:
        settle_riders()  # a dead session is a 401, whatever its role
        raise Forbidden(_SETUP_REFUSALS.get(actor.role))
    return actor


def _session_allows(claims: dict[str, Any]) -> Callable[[Item | None], None]:
    """The live-session check of a token's claims: alive, and the role and shop it was issued for."""

    def settle(session: Item | None) -> None:
        if not isinstance(session, Session) or not _session_alive(session):
            raise Unauthorized("session_revoked")
        if session.role != claims["role"] or session.retailer_id != claims.get("rid"):
            raise Unauthorized("session_revoked")
        _note_activity(session)

    return settle


def _note_activity(session: Session) -> None:
    """ "My devices" shows when each was last used: moved at most every `ACTIVITY_STEP` (one
    small write per session every few minutes, not one per request)."""
    now = clock.now()
    if str(session.last_used_at) >= clock.iso(now - ACTIVITY_STEP):
        return
    with suppress(UpdateError):  # revoked meanwhile: the next request says so
        session.update([Session.last_used_at.set(clock.iso(now))], condition=Session.revoked_at.does_not_exist())


def logout(actor: Actor) -> None:
    if _revoke(actor.user_id or "", actor.session_id or "", "logout"):
        audit.record(None, actor, "auth.logout", "session", actor.session_id or "", retailer_id=actor.retailer_id)


def logout_all(actor: Actor) -> int:
    ended = revoke_all_sessions(actor.user_id or "", "logout_all")
    audit.record(
        None,
        actor,
        "auth.logout_all",
        "user",
        actor.user_id or "",
        retailer_id=actor.retailer_id,
        metadata={"sessions": ended},
    )
    return ended


def list_sessions(actor: Actor) -> list[Session]:
    return _live_sessions(actor.user_id or "")


def revoke_session(actor: Actor, session_id: str) -> None:
    # the key holds the user id: nobody can end another user's session
    if not _revoke(actor.user_id or "", session_id, "revoked_by_user"):
        raise NotFound()
    audit.record(None, actor, "session.revoked", "session", session_id, retailer_id=actor.retailer_id)
