"""Reading accounts by id or by phone: a shop, a user, a shop's users and contacts (404 when missing)."""

from __future__ import annotations

from pynamodb.exceptions import DoesNotExist

from chalicelib.accounts.models import PhoneClaim, Retailer, User
from chalicelib.core.errors import (
    NotFound,
)
from chalicelib.core.rbac import Role
from chalicelib.db import keys
from chalicelib.db.base import get_one


def get_retailer_item(retailer_id: str) -> Retailer:
    return get_one(Retailer, (keys.retailer(retailer_id), keys.PROFILE))


def get_user_item(user_id: str) -> User:
    return get_one(User, (keys.user(user_id), keys.PROFILE))


def users_of(retailer_id: str) -> list[User]:
    return list(User.gsi1.query(keys.retailer(retailer_id), User.GSI1SK.startswith("USER#")))


def user_by_phone(e164: str) -> User | None:
    """The user who owns a phone number (inbound WhatsApp/SMS), through its claim item."""
    try:
        claim = PhoneClaim.get(keys.phone(e164), keys.PHONE_SK, consistent_read=True)
    except DoesNotExist:
        return None
    try:
        return get_user_item(claim.user_id)
    except NotFound:
        return None


def shop_contacts(retailer_id: str) -> list[User]:
    """The shop's active users with a phone (who hears about its orders), owners first."""
    users = [u for u in users_of(retailer_id) if u.is_active and u.phone]
    return sorted(users, key=lambda u: (u.role != Role.OWNER, u.created_at))
