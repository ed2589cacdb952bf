"""The system routes: `/health` (cheap, for the load balancer), `/v1/admin/health` (every
dependency, with timings) and `/openapi.json` (the contract).

Above every domain: it reads the table, and nothing imports it but `app.py`."""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable
from typing import Any, Literal

from chalice import Blueprint, Response
from pydantic import Field

from chalicelib import db
from chalicelib.core import storage
from chalicelib.core.config import notify_settings, settings
from chalicelib.core.errors import ServiceUnavailable
from chalicelib.core.openapi import build_document
from chalicelib.core.rbac import PUBLIC, Actor, Role
from chalicelib.core.routes import endpoint
from chalicelib.core.schemas import Model
from chalicelib.events import outbox

bp = Blueprint(__name__)


class HealthOut(Model):
    status: Literal["ok"]
    stage: str


@endpoint(
    bp,
    "/health",
    "GET",
    roles=(PUBLIC,),
    summary="Health for the load balancer: the table answers (one read); the rest is /v1/admin/health",
    tag="system",
    response=HealthOut,
    errors=(503,),
)
def health(actor: Actor) -> HealthOut:
    if not db.ping():
        raise ServiceUnavailable()
    return HealthOut(status="ok", stage=settings().stage)


CheckName = Literal["table", "files", "event_queue", "dead_letters", "messaging", "push"]


class CheckOut(Model):
    name: CheckName
    ok: bool
    ms: float = Field(description="how long the check took")
    detail: str = Field(description="what was found: a depth, a provider, why it failed")


class AdminHealthOut(Model):
    status: Literal["ok", "degraded", "failing"] = Field(
        description="failing: a dependency does not answer; degraded: it answers, but messages die or are only "
        "recorded on a deployed stage"
    )
    stage: str
    checks: list[CheckOut]


def _timed(name: CheckName, check: Callable[[], tuple[bool, str]]) -> CheckOut:
    start = time.perf_counter()
    try:
        ok, detail = check()
    except Exception as exc:  # a check that cannot run is a failed check, never a 500
        ok, detail = False, type(exc).__name__
    return CheckOut(name=name, ok=ok, ms=round((time.perf_counter() - start) * 1000, 1), detail=detail)


def _queue(dead_letters: bool) -> tuple[bool, str]:
    depth = outbox.depth(dead_letters=dead_letters)
    return depth is not None, "unreachable" if depth is None else f"{depth} waiting"


def _messaging() -> tuple[bool, str]:
    cfg = notify_settings()
    if not cfg.twilio_account_sid:
        return True, "recording (nothing is sent)"
    senders = [kind for kind, sender in (("sms", cfg.sms_from), ("whatsapp", cfg.whatsapp_from)) if sender]
    return bool(senders), f"twilio: {', '.join(senders) or 'no sender number set'}"


def _push() -> tuple[bool, str]:
    from chalicelib.notify import push  # the VAPID key: derived from the stage's secret

    return True, f"vapid key {push.public_key()[:12]}…"


@endpoint(
    bp,
    "/v1/admin/health",
    "GET",
    roles=(Role.ADMIN,),
    summary="Health in detail: table, files, event queue and dead letters, messaging and push, with timings",
    tag="system",
    response=AdminHealthOut,
    no_store=True,
)
def admin_health(actor: Actor) -> AdminHealthOut:
    checks = [
        _timed("table", lambda: (db.ping(), "reachable")),
        _timed("files", lambda: (storage.ping(), "reachable")),
        _timed("event_queue", lambda: _queue(False)),
        _timed("dead_letters", lambda: _queue(True)),
        _timed("messaging", _messaging),
        _timed("push", _push),
    ]
    cfg = settings()
    by_name = {c.name: c for c in checks}
    dead = by_name["dead_letters"].ok and not by_name["dead_letters"].detail.startswith("0 ")
    recording = by_name["messaging"].detail.startswith("recording") and not cfg.is_local
    status: Literal["ok", "degraded", "failing"] = (
        "failing" if not all(c.ok for c in checks) else "degraded" if dead or recording else "ok"
    )
    return AdminHealthOut(status=status, stage=cfg.stage, checks=checks)


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
