"""The activity log: written in the caller's transaction, read by admins and shop owners."""

from __future__ import annotations

from typing import Any

from chalicelib.audit.models import AuditEntry
from chalicelib.core import clock
from chalicelib.core.errors import field_error
from chalicelib.core.ids import new_id
from chalicelib.core.pagination import decode_cursor, encode_cursor
from chalicelib.core.rbac import Actor
from chalicelib.db import keys
from chalicelib.db.tx import Tx

# never copied into an audit entry
SECRET_FIELDS = frozenset({"password", "password_hash", "refresh_hash", "used_hashes", "token"})
# the unfiltered admin listing walks months back to this one
FIRST_MONTH = "2026-01"


def diff(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, Any]:
    """`{field: {before, after}}` for the fields that changed (secrets left out)."""
    before = before or {}
    after = after or {}
    changes: dict[str, Any] = {}
    for name in sorted(set(before) | set(after)):
        if name in SECRET_FIELDS:
            continue
        old, new = before.get(name), after.get(name)
        if old != new:
            changes[name] = {"before": old, "after": new}
    return changes


def record(
    tx: Tx | None,
    actor: Actor,
    action: str,
    resource_type: str,
    resource_id: str,
    *,
    retailer_id: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    metadata: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add an audit entry to `tx` (same transaction as the change), or write it alone."""
    ts = clock.iso()
    audit_id = new_id()
    sort = keys.audit_sort(ts, audit_id)
    entry = AuditEntry(
        PK=keys.audit(resource_type, resource_id),
        SK=sort,
        GSI1PK=keys.audit_actor(actor.user_id) if actor.user_id else None,
        GSI1SK=sort if actor.user_id else None,
        GSI2PK=keys.audit_retailer(retailer_id) if retailer_id else None,
        GSI2SK=sort if retailer_id else None,
        GSI3PK=keys.audit_month(ts[:7]),
        GSI3SK=sort,
        audit_id=audit_id,
        ts=ts,
        action=action,
        resource_type=resource_type,
        resource_id=resource_id,
        actor_id=actor.user_id,
        actor_role=str(actor.role),
        actor_username=actor.username,
        retailer_id=retailer_id,
        changes=diff(before, after) or None,
        metadata={k: v for k, v in (metadata or {}).items() if k not in SECRET_FIELDS} or None,
        ip=actor.ip,
        user_agent=actor.user_agent,
        device_id=actor.device_id,
    )
    if tx is None:
        entry.save()
    else:
        tx.put(entry, label=f"audit:{action}")
    return entry


def _months_back(start: str, floor: str) -> list[str]:
    year, month = int(start[:4]), int(start[5:7])
    out = []
    while f"{year:04d}-{month:02d}" >= floor:
        out.append(f"{year:04d}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return out


def list_entries(
    actor: Actor,
    *,
    resource_type: str | None = None,
    resource_id: str | None = None,
    actor_id: str | None = None,
    retailer_id: str | None = None,
    action: str | None = None,
    cursor: str | None = None,
    limit: int = 25,
) -> tuple[list[AuditEntry], str | None]:
    """Newest first. Admins see everything; a shop owner only their retailer's entries.

    The most selective key picks the index (resource → table, actor → GSI1, retailer →
    GSI2, nothing → GSI3 month partitions); the other filters are applied on that query.
    """
    if resource_id and not resource_type:
        raise field_error("resource_type", "field_required")
    if not actor.is_admin:
        if retailer_id and retailer_id != actor.retailer_id:
            return [], None
        retailer_id = actor.retailer_id

    scope = f"audit|{resource_type}|{resource_id}|{actor_id}|{retailer_id}|{action}"
    criteria = {
        "resource_type": resource_type,
        "resource_id": resource_id,
        "actor_id": actor_id,
        "retailer_id": retailer_id,
        "action": action,
    }
    index: Any = None
    if resource_type and resource_id:
        index, hash_key, keyed = AuditEntry, keys.audit(resource_type, resource_id), {"resource_type", "resource_id"}
    elif actor_id:
        index, hash_key, keyed = AuditEntry.gsi1, keys.audit_actor(actor_id), {"actor_id"}
    elif retailer_id:
        index, hash_key, keyed = AuditEntry.gsi2, keys.audit_retailer(retailer_id), {"retailer_id"}
    else:
        keyed = set()
    condition = None
    for name, value in criteria.items():
        if value and name not in keyed:
            clause = getattr(AuditEntry, name) == value
            condition = clause if condition is None else condition & clause
    if index is None:
        return _walk_months(condition, cursor, limit, scope)
    result = index.query(
        hash_key,
        filter_condition=condition,
        scan_index_forward=False,
        limit=limit,
        last_evaluated_key=decode_cursor(cursor, scope),
    )
    return list(result)[:limit], encode_cursor(result.last_evaluated_key, scope)


def _walk_months(condition: Any, cursor: str | None, limit: int, scope: str) -> tuple[list[AuditEntry], str | None]:
    state = decode_cursor(cursor, scope) or {}
    start_month = str(state.get("month") or clock.iso()[:7])
    start_key = state.get("key")
    floor = min(FIRST_MONTH, clock.iso()[:7])
    items: list[AuditEntry] = []
    for month in _months_back(start_month, floor):
        result = AuditEntry.gsi3.query(
            keys.audit_month(month),
            filter_condition=condition,
            scan_index_forward=False,
            limit=limit - len(items),
            last_evaluated_key=start_key,
        )
        items.extend(result)
        start_key = None
        if result.last_evaluated_key:
            return items, encode_cursor({"month": month, "key": result.last_evaluated_key}, scope)
        if len(items) >= limit:
            previous = _months_back(month, floor)[1:2]
            next_state = {"month": previous[0], "key": None} if previous else None
            return items, encode_cursor(next_state, scope)
    return items, None
