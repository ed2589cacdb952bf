"""Audit API shapes."""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict, Field

from chalicelib.core.schemas import Model


class AuditQuery(Model):
    model_config = ConfigDict(extra="forbid")

    resource_type: str | None = Field(default=None, max_length=40, pattern=r"^[a-z_]+$")
    resource_id: str | None = Field(default=None, max_length=64)
    actor_id: str | None = Field(default=None, max_length=64)
    retailer_id: str | None = Field(default=None, max_length=64)
    action: str | None = Field(default=None, max_length=60)
    cursor: str | None = Field(default=None, max_length=2048)
    limit: int = Field(default=25, ge=1, le=100)


class AuditEntryOut(Model):
    model_config = ConfigDict(from_attributes=True)

    audit_id: str
    ts: str
    action: str
    resource_type: str
    resource_id: str
    actor_id: str | None
    actor_role: str
    actor_username: str | None
    retailer_id: str | None
    changes: dict[str, Any] | None
    metadata: dict[str, Any] | None
    ip: str | None
    user_agent: str | None
    device_id: str | None
