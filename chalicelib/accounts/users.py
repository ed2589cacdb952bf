"""A shop's users (owner, buyers) and the staff (admins, drivers): create, change, disable;
the caller's own profile (`me`)."""

from __future__ import annotations

import operator
from functools import reduce

from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action

from chalicelib.accounts import schemas
from chalicelib.accounts.items import get_retailer_item, get_user_item
from chalicelib.accounts.models import PhoneClaim, Retailer, User, UsernameClaim
from chalicelib.accounts.sessions import revoke_all_sessions
from chalicelib.audit import service as audit
from chalicelib.core import clock, security
from chalicelib.core.config import settings
from chalicelib.core.errors import (
    Conflict,
    Forbidden,
    NotFound,
)
from chalicelib.core.ids import new_id
from chalicelib.core.observability import count
from chalicelib.core.pagination import decode_cursor, encode_cursor
from chalicelib.core.rbac import Actor, Role, ensure_tenant
from chalicelib.db import keys
from chalicelib.db.base import read_many
from chalicelib.db.tx import Tx, TxCancelled, transaction
from chalicelib.db.updates import apply, conflict_from, set_actions, snapshot

_USER_AUDIT_FIELDS = ("role", "is_active", "full_name", "language")


def new_password(password: str) -> list[Action]:
    """The user item's update for a new password (a temporary one ends with it)."""
    return [
        User.password_hash.set(security.hash_password(password)),
        User.must_change_password.set(False),
        User.updated_at.set(clock.iso()),
    ]


def new_user(
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
        GSI1PK=keys.retailer(retailer_id) if retailer_id else keys.STAFF,
        GSI1SK=keys.user_in_retailer(now, user_id) if retailer_id else keys.staff_sort(str(role), now, user_id),
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


def add_user_items(tx: Tx, user: User, field_prefix: str = "") -> None:
    tx.create(user, label="user")
    tx.create(
        UsernameClaim(PK=keys.username(user.username), SK=keys.USERNAME_SK, user_id=user.user_id), label="username"
    )
    if user.phone:
        tx.create(PhoneClaim(PK=keys.phone(user.phone), SK=keys.PHONE_SK, user_id=user.user_id), label="phone")


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
    user = new_user(
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
    counters: list[Action] = [Retailer.active_user_count.add(1), Retailer.updated_at.set(now)]
    if data.role == Role.OWNER.value:
        counters.append(Retailer.active_owner_count.add(1))
    try:
        with transaction() as tx:
            add_user_items(tx, user)
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
                _count_users(tx, retailer, user_delta, owner_delta, now, limit)
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


def _count_users(tx: Tx, retailer: Retailer, users: int, owners: int, now: str, limit: int) -> None:
    """The shop's active-user and active-owner counters (label `counters`): never above the
    shop's user limit, never without an active owner."""
    actions: list[Action] = [Retailer.updated_at.set(now)]
    conditions: list[Condition] = []
    if users:
        actions.append(Retailer.active_user_count.add(users))
        if users > 0:
            conditions.append(Retailer.active_user_count < limit)
    if owners:
        actions.append(Retailer.active_owner_count.add(owners))
        if owners < 0:
            conditions.append(Retailer.active_owner_count > 1)
    condition = reduce(operator.and_, conditions) if conditions else None
    tx.update(retailer, actions, condition=condition, label="counters", add_version_condition=False)


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


def update_me(actor: Actor, data: schemas.MePatchIn) -> User:
    """A user's own name and language (replayed as often as a phone sends it: same result)."""
    user = get_user_item(actor.user_id or "")
    before = snapshot(user, ("full_name", "language"))
    after = {**before, **data.given()}
    if after == before:
        return user
    now = clock.iso()
    with transaction() as tx:
        tx.update(user, [*set_actions(User, before, after), User.updated_at.set(now)], label="user")
        audit.record(
            tx, actor, "user.updated", "user", user.user_id, retailer_id=user.retailer_id, before=before, after=after
        )
    apply(user, {**after, "updated_at": now})
    return user
