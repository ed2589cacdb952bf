"""The system routes: `/health` (what the API needs, reached) and `/openapi.json` (the contract).

Above every domain: it reads the table, and nothing imports it but `app.py`."""

from __future__ import annotations

import functools
import json
from typing import Any, Literal

from chalice import Blueprint, Response
from pydantic import Field

from chalicelib import db
from chalicelib.core import storage
from chalicelib.core.config import notify_settings, settings
from chalicelib.core.errors import ServiceUnavailable
from chalicelib.core.openapi import build_document
from chalicelib.core.rbac import PUBLIC, Actor
from chalicelib.core.routes import endpoint
from chalicelib.core.schemas import Model
from chalicelib.events import outbox

bp = Blueprint(__name__)


class HealthOut(Model):
    status: Literal["ok", "degraded"] = Field(description="degraded: messages are only recorded on a deployed stage")
    stage: str
    table: Literal["reachable"]
    files: Literal["reachable"]
    queue: Literal["reachable"]
    queued_events: int = Field(description="events waiting for the notification worker")
    messaging: Literal["twilio", "recording"]


@endpoint(
    bp,
    "/health",
    "GET",
    roles=(PUBLIC,),
    summary="Health: the table, the files bucket and the event queue answer; which messaging provider is set",
    tag="system",
    response=HealthOut,
    errors=(503,),
)
def health(actor: Actor) -> HealthOut:
    queued = outbox.backlog()
    if not db.ping() or not storage.ping() or queued is None:
        raise ServiceUnavailable()
    cfg = settings()
    messaging: Literal["twilio", "recording"] = "twilio" if notify_settings().twilio_account_sid else "recording"
    degraded = messaging == "recording" and not cfg.is_local
    return HealthOut(
        status="degraded" if degraded else "ok",
        stage=cfg.stage,
        table="reachable",
        files="reachable",
        queue="reachable",
        queued_events=queued,
        messaging=messaging,
    )


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
