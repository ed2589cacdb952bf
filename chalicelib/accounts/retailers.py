"""Shops: registration (the shop, its owner and their claims in one transaction), review
(approve, reject, suspend, reactivate), lists, and the approved-shop check orders ask for.
"""

from __future__ import annotations

from chalicelib.accounts import guard, schemas
from chalicelib.accounts.items import get_retailer_item, users_of
from chalicelib.accounts.models import Retailer, User
from chalicelib.accounts.rules import TRANSITIONS, RetailerStatus
from chalicelib.accounts.sessions import revoke_all_sessions
from chalicelib.accounts.users import add_user_items, new_user
from chalicelib.audit import service as audit
from chalicelib.core import clock, security
from chalicelib.core.config import settings
from chalicelib.core.errors import (
    Conflict,
)
from chalicelib.core.ids import new_id
from chalicelib.core.observability import count
from chalicelib.core.pagination import decode_cursor, encode_cursor
from chalicelib.core.rbac import ONBOARDING, Actor, Role, ensure_tenant
from chalicelib.credit import account as credit
from chalicelib.db import keys
from chalicelib.db.tx import Tx, TxCancelled, transaction
from chalicelib.db.updates import apply, conflict_from, set_actions, snapshot
from chalicelib.events import bus, kinds

# fields of a retailer an audit entry compares
_RETAILER_AUDIT_FIELDS = ("status", "status_reason", "approved_at", "approved_by")


def register_retailer(actor: Actor, data: schemas.RetailerRegistration) -> tuple[Retailer, User, str]:
    """Create a pending retailer and its owner in one transaction; return an onboarding token.
    An address may register a few shops an hour (429 beyond)."""
    guard.address_quota(actor, "register")
    now = clock.iso()
    retailer_id, user_id = new_id(), new_id()
    retailer = _new_retailer(data, retailer_id, user_id, now)
    owner = new_user(
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
            add_user_items(tx, owner, field_prefix="owner.")
            registered = kinds.retailer_registered(retailer_id=retailer_id, shop=data.business_name, wilaya=data.wilaya)
            bus.record(tx, registered)
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


def _new_retailer(data: schemas.RetailerRegistration, retailer_id: str, owner_id: str, now: str) -> Retailer:
    """A pending shop, listed for review, counting its owner as its one active user."""
    return Retailer(
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
        owner_user_id=owner_id,
        active_user_count=1,
        active_owner_count=1,
        created_at=now,
        updated_at=now,
    )


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
    allowed, target = TRANSITIONS[action]
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
                bus.record(tx, decided)
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
        for user in users_of(retailer_id):
            revoke_all_sessions(user.user_id, "retailer_suspended")
    count(f"Retailer{action.capitalize()}")
    apply(retailer, {**after, **bookkeeping})  # the transaction succeeded: no need to read it back
    return retailer
