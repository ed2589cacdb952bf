"""Platform staff (admins and drivers): created by an admin with a temporary password the
person changes at first login, listed by role, disabled and re-enabled. The very first admin
of a stage is made by the CLI (`create_staff_user`)."""

from __future__ import annotations

from pynamodb.exceptions import DoesNotExist

from chalicelib.accounts import schemas
from chalicelib.accounts.items import get_user_item
from chalicelib.accounts.models import User, UsernameClaim
from chalicelib.accounts.sessions import revoke_all_sessions
from chalicelib.accounts.users import add_user_items, new_user
from chalicelib.audit import service as audit
from chalicelib.core import clock
from chalicelib.core.errors import Forbidden, NotFound
from chalicelib.core.ids import new_id
from chalicelib.core.pagination import decode_cursor, encode_cursor
from chalicelib.core.rbac import STAFF_ROLES, Actor, Role
from chalicelib.db import keys
from chalicelib.db.tx import TxCancelled, transaction
from chalicelib.db.updates import apply, conflict_from, set_actions, snapshot

_STAFF_FIELDS = ("is_active", "full_name", "language")


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
    user = new_user(
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
        add_user_items(tx, user)
        audit.record(tx, system, "user.created", "user", user.user_id, after={"username": name, "role": str(role)})
    return user, True


def create_staff_member(actor: Actor, data: schemas.StaffCreateIn) -> User:
    """A driver or admin account; its first login may only change the temporary password."""
    now = clock.iso()
    user = new_user(
        new_id(),
        username=data.username,
        password=data.temporary_password,
        role=data.role.value,
        retailer_id=None,
        full_name=data.full_name,
        phone=data.phone,
        language=data.language,
        created_by=actor.user_id,
        now=now,
    )
    user.must_change_password = True
    try:
        with transaction() as tx:
            add_user_items(tx, user)
            after = {"username": user.username, "role": user.role, "full_name": user.full_name}
            audit.record(tx, actor, "user.created", "user", user.user_id, after=after)
    except TxCancelled as exc:
        raise conflict_from(
            exc, {"username": ("username_taken", "username"), "phone": ("phone_taken", "phone")}
        ) from exc
    return user


def list_staff(query: schemas.StaffListQuery) -> tuple[list[User], str | None]:
    """Staff accounts, oldest first, of one role or both."""
    prefix = f"{query.role.value}#" if query.role else ""
    scope = f"staff|{prefix}"
    result = User.gsi1.query(
        keys.STAFF,
        User.GSI1SK.startswith(prefix) if prefix else None,
        limit=query.limit,
        last_evaluated_key=decode_cursor(query.cursor, scope),
    )
    items = [u for u in result if isinstance(u, User)][: query.limit]
    return items, encode_cursor(result.last_evaluated_key, scope)


def update_staff(actor: Actor, user_id: str, data: schemas.StaffPatchIn) -> User:
    """Disable or re-enable a staff account, or fix its name or language; disabling ends its
    sessions at once. An admin cannot disable their own account."""
    user = get_user_item(user_id)
    if user.role not in STAFF_ROLES:
        raise NotFound()
    if user_id == actor.user_id and data.is_active is False:
        raise Forbidden("cannot_change_self")
    before = snapshot(user, _STAFF_FIELDS)
    after = {**before, **data.given()}
    if after == before:
        return user
    now = clock.iso()
    with transaction() as tx:
        tx.update(user, [*set_actions(User, before, after), User.updated_at.set(now)], label="user")
        audit.record(tx, actor, "user.updated", "user", user_id, before=before, after=after)
    if before["is_active"] and not after["is_active"]:
        revoke_all_sessions(user_id, "user_disabled")
    apply(user, {**after, "updated_at": now})
    return user
