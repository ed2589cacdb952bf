"""Audit API shapes."""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict, Field

from chalicelib.core.schemas import Model


class AuditQuery(Model):
    model_config = ConfigDict(extra="forbid")

    resource_type: str | None = Field(
        default=None, max_length=40, pattern=r"^[a-z_]+$", description="`order`, `product`, `user`…"
    )
    resource_id: str | None = Field(
        default=None, max_length=64, description="Only with `resource_type` (else 422 on `resource_type`)"
    )
    actor_id: str | None = Field(default=None, max_length=64, description="Who acted (a user id)")
    retailer_id: str | None = Field(
        default=None, max_length=64, description="Admins: one shop's entries (an owner always sees their own)"
    )
    action: str | None = Field(default=None, max_length=60, description="`order.confirmed`, `auth.locked`…")
    cursor: str | None = Field(default=None, max_length=2048, description="`meta.next_cursor` of the page before")
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
