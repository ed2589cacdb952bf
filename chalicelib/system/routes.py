"""The system routes: `/health` (cheap, for the load balancer), `/v1/admin/health` (every
dependency, with timings) and `/openapi.json` (the contract).

Above every domain: it reads the table, and nothing imports it but `app.py`."""

from __future__ import annotations

import functools
import json
from typing import TYPE_CHECKING, Any

from chalice import Blueprint, Response

from chalicelib.core import lazy
from chalicelib.core.config import settings
from chalicelib.core.errors import ServiceUnavailable
from chalicelib.core.openapi import build_document
from chalicelib.core.rbac import PUBLIC, Actor, Role
from chalicelib.core.routes import endpoint

if TYPE_CHECKING:
    from chalicelib import db
    from chalicelib.system import health as system_health
    from chalicelib.system import schemas
else:
    db = lazy.module("chalicelib.db")
    system_health = lazy.module("chalicelib.system.health")
    schemas = lazy.module("chalicelib.system.schemas")


bp = Blueprint(__name__)


@endpoint(
    bp,
    "/health",
    "GET",
    roles=(PUBLIC,),
    summary="Health for the load balancer: the table answers (one read); the rest is /v1/admin/health",
    tag="system",
    response=lambda: schemas.HealthOut,
    errors=(503,),
)
def health(actor: Actor) -> schemas.HealthOut:
    if not db.ping():
        raise ServiceUnavailable()
    return schemas.HealthOut(status="ok", stage=settings().stage)


@endpoint(
    bp,
    "/v1/admin/health",
    "GET",
    roles=(Role.ADMIN,),
    summary="Health in detail: table, files, event queue and dead letters, messaging and push, with timings",
    tag="system",
    response=lambda: schemas.AdminHealthOut,
    no_store=True,
)
def admin_health(actor: Actor) -> schemas.AdminHealthOut:
    return system_health.report()


@endpoint(bp, "/openapi.json", "GET", roles=(PUBLIC,), summary="This API's OpenAPI 3.1 document", tag="system")
def openapi(actor: Actor) -> Response:
    return Response(
        body=json.dumps(_document(), ensure_ascii=False),
        status_code=200,
        headers={"Content-Type": "application/json; charset=utf-8", "Cache-Control": "max-age=300"},
    )


@functools.lru_cache(maxsize=1)
def _document() -> dict[str, Any]:
    return build_document()
