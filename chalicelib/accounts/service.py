"""Accounts rules: registration, approval, shop users, login, sessions, documents.

No HTTP here. Invariants live in DynamoDB conditions: unique usernames and phones (claim
items), at most N active users and at least one active owner per shop (counters with
conditions), lost updates (version attribute), refresh-token rotation (conditional update).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NoReturn

from pynamodb.exceptions import DoesNotExist, UpdateError

from chalicelib.accounts import schemas
from chalicelib.accounts.models import Document, PhoneClaim, Retailer, Session, User, UsernameClaim
from chalicelib.audit import service as audit
from chalicelib.core import clock, security, storage
from chalicelib.core.config import settings
from chalicelib.core.errors import (
    Conflict,
    Forbidden,
    Locked,
    NotFound,
    Unauthorized,
)
from chalicelib.core.ids import is_id, new_id
from chalicelib.core.observability import count, logger
from chalicelib.core.pagination import decode_cursor, encode_cursor
from chalicelib.core.rbac import ONBOARDING, RETAILER_ROLES, Actor, RequestInfo, Role, ensure_tenant
from chalicelib.credit import account as credit
from chalicelib.db import keys
from chalicelib.db.base import Item, read_many, read_one, ride, settle_riders
from chalicelib.db.tx import Tx, TxCancelled, transaction
from chalicelib.db.updates import apply, conflict_from, set_actions, snapshot
from chalicelib.events import kinds, outbox

RetailerStatus = schemas.RetailerStatus

# fields of a retailer an audit entry compares
_RETAILER_AUDIT_FIELDS = ("status", "status_reason", "approved_at", "approved_by")
_USER_AUDIT_FIELDS = ("role", "is_active", "full_name", "language")
_USED_HASHES_KEPT = 20


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str
    expires_in: int
    user: User


# ============================================================================ retailers


def get_retailer_item(retailer_id: str) -> Retailer:
    item = read_one(Retailer, (keys.retailer(retailer_id), keys.PROFILE))
    if item is None:
        raise NotFound()
    return item


def register_retailer(actor: Actor, data: schemas.RetailerRegistration) -> tuple[Retailer, User, str]:
    """Create a pending retailer and its owner in one transaction; return an onboarding token."""
    now = clock.iso()
    retailer_id, user_id = new_id(), new_id()
    retailer = Retailer(
        PK=keys.retailer(retailer_id),
        SK=keys.PROFILE,
        GSI1PK=keys.retailer_status(RetailerStatus.PENDING),
        GSI1SK=f"{now}#{retailer_id}",
        retailer_id=retailer_id,
        business_name=data.business_name,
        business_type=data.business_type.value,
        registration_number=data.registration_number,
        tax_number=data.tax_number,
        nis=data.nis,
        ai=data.ai,
        phone=data.phone,
        email=data.email,
        address=data.address,
        wilaya=data.wilaya,
        commune=data.commune,
        status=RetailerStatus.PENDING.value,
        owner_user_id=user_id,
        active_user_count=1,
        active_owner_count=1,
        created_at=now,
        updated_at=now,
    )
    owner = _new_user(
        user_id,
        username=data.owner.username,
        password=data.owner.password,
        role=Role.OWNER,
        retailer_id=retailer_id,
        full_name=data.owner.full_name,
        phone=data.owner.phone,
        language=data.owner.language,
        created_by=None,
        now=now,
    )
    try:
        with transaction() as tx:
            tx.create(retailer, label="retailer")
            _add_user_items(tx, owner, field_prefix="owner.")
            audit.record(
                tx,
                actor,
                "retailer.registered",
                "retailer",
                retailer_id,
                retailer_id=retailer_id,
                after={"status": retailer.status, "business_name": retailer.business_name, "owner": owner.username},
            )
    except TxCancelled as exc:
        raise conflict_from(
            exc,
            {"username": ("username_taken", "owner.username"), "phone": ("phone_taken", "owner.phone")},
        ) from exc
    count("RetailerRegistered")
    token = security.issue_token(
        {"sub": user_id, "rid": retailer_id, "role": ONBOARDING},
        settings().onboarding_token_ttl,
        kind=security.ONBOARDING,
    )
    return retailer, owner, token


def check_approved(tx: Tx, retailer_id: str) -> None:
    """In another domain's transaction: fail it (label `retailer`) unless the shop is approved."""
    tx.check(
        Retailer,
        keys.retailer(retailer_id),
        keys.PROFILE,
        Retailer.status == RetailerStatus.APPROVED.value,
        label="retailer",
    )


def view_retailer(actor: Actor, retailer_id: str) -> Retailer:
    ensure_tenant(actor, retailer_id)
    return get_retailer_item(retailer_id)


def list_retailers(actor: Actor, status: str, cursor: str | None, limit: int) -> tuple[list[Retailer], str | None]:
    scope = f"retailers|{status}"
    result = Retailer.gsi1.query(
        keys.retailer_status(status),
        scan_index_forward=False,
        limit=limit,
        last_evaluated_key=decode_cursor(cursor, scope),
    )
    items = list(result)[:limit]
    return items, encode_cursor(result.last_evaluated_key, scope)


_TRANSITIONS: dict[str, tuple[set[str], str]] = {
    # action: (allowed from, resulting status)
    "approve": ({RetailerStatus.PENDING, RetailerStatus.REJECTED}, RetailerStatus.APPROVED),
    "reject": ({RetailerStatus.PENDING}, RetailerStatus.REJECTED),
    "suspend": ({RetailerStatus.APPROVED}, RetailerStatus.SUSPENDED),
    "reactivate": ({RetailerStatus.SUSPENDED}, RetailerStatus.APPROVED),
}


def change_retailer_status(
    actor: Actor,
    retailer_id: str,
    action: str,
    *,
    reason: str | None = None,
    credit_limit: int | None = None,
) -> Retailer:
    """Approve / reject / suspend / reactivate, with an audit entry in the same transaction."""
    retailer = get_retailer_item(retailer_id)
    allowed, target = _TRANSITIONS[action]
    if retailer.status not in allowed:
        raise Conflict("invalid_transition", params={"status": retailer.status, "action": action})
    before = snapshot(retailer, _RETAILER_AUDIT_FIELDS)
    now = clock.iso()
    after = dict(before, status=target, status_reason=reason if action in ("reject", "suspend") else None)
    if action == "approve":
        after.update(approved_at=now, approved_by=actor.user_id)
    bookkeeping = {"GSI1PK": keys.retailer_status(target), "updated_at": now}
    actions = set_actions(Retailer, before, after) + set_actions(Retailer, {}, bookkeeping)
    try:
        with transaction() as tx:
            tx.update(retailer, actions, label="retailer")
            if action == "approve":
                # the credit account (limit, balance, open orders) opens with the approval
                credit.open_account(tx, retailer_id, credit_limit or 0)
            if action in ("approve", "reject"):
                decided = kinds.retailer_decided(
                    approved=action == "approve",
                    retailer_id=retailer_id,
                    shop=retailer.business_name,
                    reason=reason or "",
                )
                outbox.record(tx, decided)
            audit.record(
                tx,
                actor,
                f"retailer.{action}d" if action.endswith("e") else f"retailer.{action}ed",
                "retailer",
                retailer_id,
                retailer_id=retailer_id,
                before={**before, "credit_limit": 0} if action == "approve" else before,
                after={**after, "credit_limit": credit_limit or 0} if action == "approve" else after,
                metadata={"reason": reason} if reason else None,
            )
    except TxCancelled as exc:
        raise Conflict() from exc
    if action == "suspend":
        for user in _users_of(retailer_id):
            revoke_all_sessions(user.user_id, "retailer_suspended")
    count(f"Retailer{action.capitalize()}")
    apply(retailer, {**after, **bookkeeping})  # the transaction succeeded: no need to read it back
    return retailer


# ============================================================================ users


def _new_user(
    user_id: str,
    *,
    username: str,
    password: str,
    role: str,
    retailer_id: str | None,
    full_name: str,
    phone: str | None,
    language: str,
    created_by: str | None,
    now: str,
) -> User:
    return User(
        PK=keys.user(user_id),
        SK=keys.PROFILE,
        GSI1PK=keys.retailer(retailer_id) if retailer_id else None,
        GSI1SK=keys.user_in_retailer(now, user_id) if retailer_id else None,
        user_id=user_id,
        username=username,
        password_hash=security.hash_password(password),
        role=str(role),
        retailer_id=retailer_id,
        full_name=full_name,
        phone=phone,
        language=language,
        is_active=True,
        created_at=now,
        updated_at=now,
        created_by=created_by,
    )


def _add_user_items(tx: Tx, user: User, field_prefix: str = "") -> None:
    tx.create(user, label="user")
    tx.create(
        UsernameClaim(PK=keys.username(user.username), SK=keys.USERNAME_SK, user_id=user.user_id), label="username"
    )
    if user.phone:
        tx.create(PhoneClaim(PK=keys.phone(user.phone), SK=keys.PHONE_SK, user_id=user.user_id), label="phone")


def get_user_item(user_id: str) -> User:
    item = read_one(User, (keys.user(user_id), keys.PROFILE))
    if item is None:
        raise NotFound()
    return item


def _users_of(retailer_id: str) -> list[User]:
    return list(User.gsi1.query(keys.retailer(retailer_id), User.GSI1SK.startswith("USER#")))


def user_by_phone(e164: str) -> User | None:
    """The user who owns a phone number (inbound WhatsApp/SMS), through its claim item."""
    try:
        claim = PhoneClaim.get(keys.phone(e164), keys.PHONE_SK, consistent_read=True)
    except DoesNotExist:
        return None
    try:
        return get_user_item(claim.user_id)
    except NotFound:
        return None


def shop_contacts(retailer_id: str) -> list[User]:
    """The shop's active users with a phone (who hears about its orders), owners first."""
    users = [u for u in _users_of(retailer_id) if u.is_active and u.phone]
    return sorted(users, key=lambda u: (u.role != Role.OWNER, u.created_at))


def list_users(actor: Actor, retailer_id: str, cursor: str | None, limit: int) -> tuple[list[User], str | None]:
    ensure_tenant(actor, retailer_id)
    if actor.role not in (Role.ADMIN, Role.OWNER):
        raise Forbidden()
    get_retailer_item(retailer_id)
    scope = f"users|{retailer_id}"
    result = User.gsi1.query(
        keys.retailer(retailer_id),
        User.GSI1SK.startswith("USER#"),
        limit=limit,
        last_evaluated_key=decode_cursor(cursor, scope),
    )
    items = list(result)[:limit]
    return items, encode_cursor(result.last_evaluated_key, scope)


def create_shop_user(actor: Actor, retailer_id: str, data: schemas.UserCreateIn) -> User:
    """An owner (or admin) adds a buyer or owner; at most N active users per shop."""
    ensure_tenant(actor, retailer_id)
    if actor.role not in (Role.ADMIN, Role.OWNER):
        raise Forbidden()
    retailer = get_retailer_item(retailer_id)
    limit = settings().max_users_per_retailer
    now = clock.iso()
    user = _new_user(
        new_id(),
        username=data.username,
        password=data.password,
        role=data.role,
        retailer_id=retailer_id,
        full_name=data.full_name,
        phone=data.phone,
        language=data.language,
        created_by=actor.user_id,
        now=now,
    )
    counters = [Retailer.active_user_count.add(1), Retailer.updated_at.set(now)]
    if data.role == Role.OWNER:
        counters.append(Retailer.active_owner_count.add(1))
    try:
        with transaction() as tx:
            _add_user_items(tx, user)
            tx.update(
                retailer,
                counters,
                condition=Retailer.active_user_count < limit,
                label="user_limit",
                add_version_condition=False,
            )
            audit.record(
                tx,
                actor,
                "user.created",
                "user",
                user.user_id,
                retailer_id=retailer_id,
                after={"username": user.username, "role": user.role, "full_name": user.full_name, "is_active": True},
            )
    except TxCancelled as exc:
        if "user_limit" in exc.failed:
            raise Conflict("user_limit_reached", params={"limit": limit}) from exc
        raise conflict_from(
            exc, {"username": ("username_taken", "username"), "phone": ("phone_taken", "phone")}
        ) from exc
    count("ShopUserCreated")
    return user


def update_shop_user(actor: Actor, retailer_id: str, user_id: str, data: schemas.UserPatchIn) -> User:
    """Change role, activity, name or language. Role changes and disabling end the user's sessions."""
    ensure_tenant(actor, retailer_id)
    if actor.role not in (Role.ADMIN, Role.OWNER):
        raise Forbidden()
    user = get_user_item(user_id)
    if user.retailer_id != retailer_id:
        raise NotFound()
    if user_id == actor.user_id and (data.role not in (None, user.role) or data.is_active is False):
        raise Forbidden("cannot_change_self")
    before = snapshot(user, _USER_AUDIT_FIELDS)
    after = dict(before)
    for name in _USER_AUDIT_FIELDS:
        value = getattr(data, name)
        if value is not None:
            after[name] = value
    if after == before:
        return user

    was_owner = before["is_active"] and before["role"] == Role.OWNER
    is_owner = after["is_active"] and after["role"] == Role.OWNER
    user_delta = int(after["is_active"]) - int(before["is_active"])
    owner_delta = int(is_owner) - int(was_owner)
    now = clock.iso()
    actions = [*set_actions(User, before, after), User.updated_at.set(now)]
    limit = settings().max_users_per_retailer
    # the counters live on the retailer item: read it only when they move
    retailer = get_retailer_item(retailer_id) if user_delta or owner_delta else None
    try:
        with transaction() as tx:
            tx.update(user, actions, label="user")
            if retailer is not None:
                counter_actions = [Retailer.updated_at.set(now)]
                condition = None
                if user_delta:
                    counter_actions.append(Retailer.active_user_count.add(user_delta))
                    if user_delta > 0:
                        condition = Retailer.active_user_count < limit
                if owner_delta:
                    counter_actions.append(Retailer.active_owner_count.add(owner_delta))
                    if owner_delta < 0:
                        owners = Retailer.active_owner_count > 1
                        condition = owners if condition is None else condition & owners
                tx.update(retailer, counter_actions, condition=condition, label="counters", add_version_condition=False)
            audit.record(
                tx, actor, "user.updated", "user", user_id, retailer_id=retailer_id, before=before, after=after
            )
    except TxCancelled as exc:
        if "counters" in exc.failed:
            if owner_delta < 0:
                raise Conflict("last_owner") from exc
            raise Conflict("user_limit_reached", params={"limit": limit}) from exc
        raise Conflict() from exc
    if after["role"] != before["role"] or not after["is_active"]:
        revoke_all_sessions(user_id, "user_disabled" if not after["is_active"] else "role_changed")
    apply(user, {**after, "updated_at": now})
    return user


def create_staff_user(
    username: str, password: str, full_name: str, role: str = Role.ADMIN, phone: str | None = None
) -> tuple[User, bool]:
    """Create a platform admin or driver (bootstrap command). Returns (user, created)."""
    name = schemas.normalize_username(username)
    schemas.check_password(password)
    try:
        claim = UsernameClaim.get(keys.username(name), keys.USERNAME_SK, consistent_read=True)
        return get_user_item(claim.user_id), False
    except DoesNotExist:
        pass
    now = clock.iso()
    user = _new_user(
        new_id(),
        username=name,
        password=password,
        role=role,
        retailer_id=None,
        full_name=full_name,
        phone=phone,
        language="fr",
        created_by=None,
        now=now,
    )
    system = Actor(user_id=None, role="system", username="bootstrap")
    with transaction() as tx:
        _add_user_items(tx, user)
        audit.record(tx, system, "user.created", "user", user.user_id, after={"username": name, "role": str(role)})
    return user, True


# ============================================================================ authentication


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
    actor = Actor(
        user_id=user.user_id,
        role=user.role,
        retailer_id=user.retailer_id,
        username=user.username,
        ip=actor.ip,
        user_agent=actor.user_agent,
        device_id=device_id or actor.device_id,
    )
    if not security.verify_password(user.password_hash, password):
        _record_failure(claim, actor, user)
        raise Unauthorized("invalid_credentials")
    _check_can_log_in(user)
    # argon2 parameters were raised since this hash was made: upgrade it while we hold the password
    rehash = security.hash_password(password) if security.needs_rehash(user.password_hash) else None
    tokens = _open_session(actor, user, claim, rehash)
    count("LoginSucceeded")
    return tokens


def _open_session(actor: Actor, user: User, claim: UsernameClaim, rehash: str | None) -> Tokens:
    cfg = settings()
    now_iso = clock.iso()
    session_id = new_id()
    secret = security.new_secret()
    session = Session(
        PK=keys.user(user.user_id),
        SK=keys.session(session_id),
        session_id=session_id,
        user_id=user.user_id,
        role=user.role,
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
        if int(claim.failed_count or 0) or int(claim.locked_until or 0):
            tx.update(
                claim,
                [UsernameClaim.failed_count.set(0), UsernameClaim.locked_until.set(0)],
                label="claim",
            )
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
    return bool(session) and session.revoked_at is None and int(session.expires_at or 0) > clock.epoch()


def refresh(actor: Actor, refresh_token: str) -> Tokens:
    """Rotate: the presented token is spent; presenting a spent one again ends the family."""
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
    used = ([presented, *list(session.used_hashes or [])])[:_USED_HASHES_KEPT]
    try:
        session.update(
            actions=[
                Session.refresh_hash.set(security.digest(new_secret)),
                Session.used_hashes.set(used),
                Session.last_used_at.set(clock.iso()),
                Session.expires_at.set(clock.epoch() + cfg.refresh_token_ttl),
                Session.ip.set(actor.ip),
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
        raise Forbidden()
    return actor


def _session_allows(claims: dict[str, Any]) -> Callable[[Item | None], None]:
    """The live-session check of a token's claims: alive, and the role and shop it was issued for."""

    def settle(session: Item | None) -> None:
        if not isinstance(session, Session) or not _session_alive(session):
            raise Unauthorized("session_revoked")
        if session.role != claims["role"] or session.retailer_id != claims.get("rid"):
            raise Unauthorized("session_revoked")

    return settle


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


def me(actor: Actor) -> tuple[User, Retailer | None]:
    """The user and their shop, in one BatchGetItem (the shop id is in the token)."""
    wanted = [(keys.user(actor.user_id or ""), keys.PROFILE)]
    if actor.retailer_id:
        wanted.append((keys.retailer(actor.retailer_id), keys.PROFILE))
    found = read_many(wanted)
    user = found.get(wanted[0])
    if not isinstance(user, User):
        raise NotFound()
    retailer = found.get(wanted[1]) if actor.retailer_id else None
    return user, retailer if isinstance(retailer, Retailer) else None


# ============================================================================ documents


def _document_actor_check(actor: Actor, retailer_id: str) -> None:
    if actor.role == ONBOARDING:
        if actor.retailer_id != retailer_id:
            raise NotFound()
        return
    ensure_tenant(actor, retailer_id)
    if actor.role not in (Role.ADMIN, Role.OWNER):
        raise Forbidden()


def _document_prefix(retailer_id: str) -> str:
    return f"retailers/{retailer_id}/documents/"


def request_document_upload(
    actor: Actor, retailer_id: str, data: schemas.DocumentUploadIn
) -> tuple[Document, dict[str, Any]]:
    """A presigned POST into the retailer's private prefix, limited in type and size."""
    _document_actor_check(actor, retailer_id)
    get_retailer_item(retailer_id)
    cfg = settings()
    document_id = new_id()
    ext = schemas.DOCUMENT_CONTENT_TYPES[data.content_type]
    key = f"{_document_prefix(retailer_id)}{document_id}.{ext}"
    document = Document(
        PK=keys.retailer(retailer_id),
        SK=keys.document(document_id),
        document_id=document_id,
        retailer_id=retailer_id,
        document_type=data.document_type.value,
        content_type=data.content_type,
        file_name=data.file_name,
        s3_key=key,
        requested_by=actor.user_id,
        created_at=clock.iso(),
    )
    with transaction() as tx:
        tx.create(document, label="document")
        audit.record(
            tx,
            actor,
            "document.upload_requested",
            "retailer",
            retailer_id,
            retailer_id=retailer_id,
            metadata={"document_id": document_id, "document_type": document.document_type},
        )
    grant = storage.presigned_post(key, data.content_type, cfg.document_max_bytes, cfg.upload_url_ttl)
    return document, grant


def list_documents(actor: Actor, retailer_id: str) -> list[dict[str, Any]]:
    """The retailer's documents, each marked uploaded (with size and a download link) or not."""
    _document_actor_check(actor, retailer_id)
    get_retailer_item(retailer_id)
    documents = list(Document.query(keys.retailer(retailer_id), Document.SK.startswith(keys.DOC_PREFIX)))
    stored = storage.list_prefix(_document_prefix(retailer_id)) if documents else {}
    out = []
    for doc in documents:
        obj = stored.get(doc.s3_key)
        out.append(
            {
                "document_id": doc.document_id,
                "document_type": doc.document_type,
                "content_type": doc.content_type,
                "file_name": doc.file_name,
                "created_at": doc.created_at,
                "uploaded": obj is not None,
                "size": obj["size"] if obj else None,
                "download_url": storage.presigned_get(doc.s3_key) if obj and actor.role != ONBOARDING else None,
            }
        )
    return out


def retailer_views(actor: Actor, retailers: list[Retailer]) -> list[dict[str, Any]]:
    """Retailers as their caller may see them: admins and owners also get the credit limit
    (read from the credit accounts in one BatchGetItem); buyers do not."""
    sees_credit = actor.role in (Role.ADMIN, Role.OWNER)
    limits = credit.credit_limits([r.retailer_id for r in retailers]) if sees_credit and retailers else {}
    views = []
    for retailer in retailers:
        data = schemas.RetailerOut.model_validate(retailer).model_dump()
        data["credit_limit"] = limits.get(retailer.retailer_id) if sees_credit else None
        views.append(data)
    return views


def retailer_view(actor: Actor, retailer: Retailer) -> dict[str, Any]:
    return retailer_views(actor, [retailer])[0]
