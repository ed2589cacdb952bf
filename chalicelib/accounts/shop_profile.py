"""A shop's own details after registration: address, contact and delivery notes change at
once; a change of a legal identifier (RC, NIF, NIS, AI) by the owner waits for an admin's
review — the identifiers on record (and on the invoices) stay until an admin approves."""

from __future__ import annotations

from typing import Any

from chalicelib.accounts import schemas
from chalicelib.accounts.items import get_retailer_item
from chalicelib.accounts.models import Retailer
from chalicelib.audit import service as audit
from chalicelib.core import clock
from chalicelib.core.errors import Conflict, Forbidden
from chalicelib.core.pagination import decode_cursor, encode_cursor
from chalicelib.core.rbac import Actor, Role, ensure_tenant
from chalicelib.db import keys
from chalicelib.db.tx import TxCancelled, transaction
from chalicelib.db.updates import apply, set_actions, snapshot
from chalicelib.events import bus, kinds

CONTACT = ("address", "commune", "wilaya", "phone", "email", "delivery_notes")
LEGAL = ("registration_number", "tax_number", "nis", "ai")


def update_shop(actor: Actor, retailer_id: str, data: schemas.RetailerPatchIn) -> Retailer:
    """Apply a shop's change (owner or admin) with the version read; 409 if it moved."""
    ensure_tenant(actor, retailer_id)
    if actor.role not in (Role.ADMIN, Role.OWNER):
        raise Forbidden()
    retailer = get_retailer_item(retailer_id)
    if data.version != int(retailer.version):
        raise Conflict("version_conflict", params={"current": int(retailer.version)})
    sent = data.given()
    before = snapshot(retailer, CONTACT + LEGAL)
    after = {**before, **{k: v for k, v in sent.items() if k in CONTACT or actor.is_admin}}
    proposed = {k: v for k, v in sent.items() if k in LEGAL and not actor.is_admin and v != before[k]}
    now = clock.iso()
    values: dict[str, Any] = {"updated_at": now}
    if proposed:
        values |= {
            "pending_legal": {**(retailer.pending_legal or {}), **proposed},
            "pending_legal_at": now,
            "GSI2PK": keys.LEGAL_REVIEW,
            "GSI2SK": f"{now}#{retailer_id}",
        }
    if after == before and not proposed:
        return retailer
    _write(actor, retailer, before, after, values, "retailer.updated", {"proposed": proposed} if proposed else None)
    return retailer


def review_legal(actor: Actor, retailer_id: str, data: schemas.LegalReviewIn) -> Retailer:
    """An admin approves (the new identifiers apply) or rejects (they are dropped) a shop's change."""
    retailer = get_retailer_item(retailer_id)
    if not retailer.pending_legal:
        raise Conflict("no_legal_change")
    proposed = dict(retailer.pending_legal)
    before = snapshot(retailer, LEGAL)
    after = {**before, **proposed} if data.approve else dict(before)
    values = {
        "updated_at": clock.iso(),
        "pending_legal": None,
        "pending_legal_at": None,
        "GSI2PK": None,
        "GSI2SK": None,
    }
    action = "retailer.legal_approved" if data.approve else "retailer.legal_rejected"
    event = kinds.legal_reviewed(approved=data.approve, retailer_id=retailer_id, reason=data.reason or "")
    _write(actor, retailer, before, after, values, action, {"proposed": proposed, "reason": data.reason}, event)
    return retailer


def _write(
    actor: Actor,
    retailer: Retailer,
    before: dict[str, Any],
    after: dict[str, Any],
    values: dict[str, Any],
    action: str,
    metadata: dict[str, Any] | None,
    event: kinds.DomainEvent | None = None,
) -> None:
    current = snapshot(retailer, tuple(values))
    actions = [*set_actions(Retailer, before, after), *set_actions(Retailer, current, values)]
    try:
        with transaction() as tx:
            tx.update(retailer, actions, label="retailer")  # conditioned on the version read
            audit.record(
                tx,
                actor,
                action,
                "retailer",
                retailer.retailer_id,
                retailer_id=retailer.retailer_id,
                before=before,
                after=after,
                metadata=metadata,
            )
            if event is not None:
                bus.record(tx, event)
    except TxCancelled as exc:
        raise Conflict("version_conflict", params={"current": int(retailer.version) + 1}) from exc
    apply(retailer, {**after, **values})


def legal_reviews(cursor: str | None, limit: int) -> tuple[list[Retailer], str | None]:
    """Shops whose legal identifiers wait for review, oldest request first."""
    scope = "legal-reviews"
    result = Retailer.gsi2.query(keys.LEGAL_REVIEW, limit=limit, last_evaluated_key=decode_cursor(cursor, scope))
    items = [r for r in result if isinstance(r, Retailer)][:limit]
    return items, encode_cursor(result.last_evaluated_key, scope)
