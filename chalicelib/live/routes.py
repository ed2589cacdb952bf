"""`GET /v1/changes`: the caller's change feed since a cursor, announcements meant for them
included, with an ETag for cheap polling."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.core import lazy
from chalicelib.core.rbac import ALL_ROLES, Actor
from chalicelib.core.routes import Page, WithHeaders, endpoint

if TYPE_CHECKING:
    from chalicelib.events import feed
    from chalicelib.live import schemas
    from chalicelib.notify import announcements
else:
    announcements = lazy.module("chalicelib.notify.announcements")
    feed = lazy.module("chalicelib.events.feed")
    schemas = lazy.module("chalicelib.live.schemas")


bp = Blueprint(__name__)


@endpoint(
    bp,
    "/v1/changes",
    "GET",
    roles=ALL_ROLES,
    summary="What changed for me since a cursor, oldest first (poll it; 304 when nothing did)",
    tag="changes",
    response=lambda: schemas.ChangeOut,
    is_list=True,
    errors=(410,),
    headers=(("If-None-Match", "Optional. The ETag of your last poll: an unchanged feed answers 304, no body."),),
)
def changes(actor: Actor, query: schemas.ChangesQuery) -> WithHeaders:
    """The ETag is the cursor: a poll that finds nothing new has the ETag the client holds, and
    the HTTP edge answers it 304."""
    found = feed.changes(actor, query.after, query.limit, lambda: announcements.shop_wilaya(actor))
    items = [
        schemas.ChangeOut(event_id=e.event_id, kind=e.kind, at=e.created_at, data=dict(e.payload))
        for e in found.entries
    ]
    return WithHeaders(Page(items, found.cursor), {"ETag": f'"{found.cursor}"'})
