"""Every dependency checked, with timings: the table, the files bucket, the event queue and its
dead letters, the messaging provider and the push key. A check that cannot run has failed."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Literal

from chalicelib import db
from chalicelib.core import storage
from chalicelib.core.config import notify_settings, settings
from chalicelib.events import outbox
from chalicelib.notify import push
from chalicelib.system.schemas import AdminHealthOut, CheckName, CheckOut


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
    return True, f"vapid key {push.public_key()[:12]}…"  # derived from the stage's secret


def report() -> AdminHealthOut:
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
