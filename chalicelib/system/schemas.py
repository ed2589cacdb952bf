"""The system routes' replies: health for the load balancer and health in detail."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from chalicelib.core.schemas import Model

CheckName = Literal["table", "files", "event_queue", "dead_letters", "messaging", "push"]


class HealthOut(Model):
    status: Literal["ok"]
    stage: str


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
