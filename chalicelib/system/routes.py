"""The system routes: `/health` (what the API needs, reached) and `/openapi.json` (the contract).

Above every domain: it reads the table, and nothing imports it but `app.py`."""

from __future__ import annotations

import functools
import json
from typing import Any

from chalice import Blueprint, Response

from chalicelib import db
from chalicelib.core.config import settings
from chalicelib.core.errors import ServiceUnavailable
from chalicelib.core.openapi import build_document
from chalicelib.core.rbac import PUBLIC, Actor
from chalicelib.core.routes import endpoint
from chalicelib.core.schemas import Model

bp = Blueprint(__name__)


class HealthOut(Model):
    status: str
    stage: str
    table: str


@endpoint(
    bp,
    "/health",
    "GET",
    roles=(PUBLIC,),
    summary="Liveness: reaches the table",
    tag="system",
    response=HealthOut,
    errors=(503,),
)
def health(actor: Actor) -> HealthOut:
    if not db.ping():
        raise ServiceUnavailable()
    return HealthOut(status="ok", stage=settings().stage, table="reachable")


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
