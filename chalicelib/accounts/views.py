"""Shops as the API shows them (what an admin sees beyond what the shop sees)."""

from __future__ import annotations

from typing import Any

from chalicelib.accounts import schemas
from chalicelib.accounts.models import Retailer
from chalicelib.core.rbac import Actor, Role
from chalicelib.credit import account as credit


def retailer_views(actor: Actor, retailers: list[Retailer]) -> list[dict[str, Any]]:
    """Retailers as their caller may see them: admins and owners also get the credit limit
    (read from the credit accounts in one BatchGetItem); buyers do not."""
    sees_credit = actor.role in (Role.ADMIN, Role.OWNER)
    limits = credit.credit_limits([r.retailer_id for r in retailers]) if sees_credit and retailers else {}
    views = []
    for retailer in retailers:
        data = schemas.RetailerOut.model_validate(retailer).model_dump()
        data["credit_limit"] = limits.get(retailer.retailer_id) if sees_credit else None
        views.append(data)
    return views


def retailer_view(actor: Actor, retailer: Retailer) -> dict[str, Any]:
    return retailer_views(actor, [retailer])[0]
