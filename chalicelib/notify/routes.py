"""Notification HTTP routes: the admins' message log."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.core.rbac import Actor, Role
from chalicelib.core.routes import Page, endpoint
from chalicelib.core.schemas import PageQuery
from chalicelib.notify import schemas, service

bp = Blueprint(__name__)


@endpoint(
    bp,
    "/v1/admin/messages",
    "GET",
    roles=(Role.ADMIN,),
    summary="Messages sent to shops (WhatsApp/SMS), newest first: channel, language, status, provider id",
    tag="admin",
    query=PageQuery,
    response=schemas.MessageOut,
    is_list=True,
)
def list_messages(actor: Actor, query: PageQuery) -> Page:
    items, cursor = service.list_messages(query.cursor, query.limit)
    return Page([schemas.MessageOut.model_validate(service.message_view(m)).model_dump() for m in items], cursor)
