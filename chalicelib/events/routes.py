"""`GET /v1/changes`: the caller's change feed since a cursor, with an ETag for cheap polling."""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib.core.rbac import ALL_ROLES, Actor, RequestInfo
from chalicelib.core.routes import Page, WithHeaders, endpoint
from chalicelib.events import feed, schemas

bp = Blueprint(__name__)


@endpoint(
    bp,
    "/v1/changes",
    "GET",
    roles=ALL_ROLES,
    summary="What changed for me since a cursor, oldest first (poll it; 304 when nothing did)",
    tag="changes",
    query=schemas.ChangesQuery,
    response=schemas.ChangeOut,
    is_list=True,
    errors=(410,),
    headers=(("If-None-Match", "Optional. The ETag of your last poll: an unchanged feed answers 304, no body."),),
)
def changes(actor: Actor, query: schemas.ChangesQuery, info: RequestInfo) -> Response | WithHeaders:
    found = feed.changes(actor, query.after, query.limit)
    etag = f'"{found.cursor}"'
    headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
    if not found.entries and info.if_none_match == etag:
        return Response(body="", status_code=304, headers={**headers})
    items = [
        schemas.ChangeOut(event_id=e.event_id, kind=e.kind, at=e.created_at, data=dict(e.payload))
        for e in found.entries
    ]
    return WithHeaders(Page(items, found.cursor), headers)
