"""Audit HTTP route: admins see everything, shop owners their own shop's entries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.core import lazy
from chalicelib.core.rbac import Actor, Role
from chalicelib.core.routes import Page, endpoint

if TYPE_CHECKING:
    from chalicelib.audit import schemas, service
else:
    schemas = lazy.module("chalicelib.audit.schemas")
    service = lazy.module("chalicelib.audit.service")


bp = Blueprint(__name__)


@endpoint(
    bp,
    "/v1/audit",
    "GET",
    roles=(Role.ADMIN, Role.OWNER),
    summary="Activity log, newest first",
    tag="audit",
    response=lambda: schemas.AuditEntryOut,
    is_list=True,
)
def list_audit(actor: Actor, query: schemas.AuditQuery) -> Page:
    items, cursor = service.list_entries(
        actor,
        resource_type=query.resource_type,
        resource_id=query.resource_id,
        actor_id=query.actor_id,
        retailer_id=query.retailer_id,
        action=query.action,
        cursor=query.cursor,
        limit=query.limit,
    )
    return Page([schemas.AuditEntryOut.model_validate(e) for e in items], cursor)
