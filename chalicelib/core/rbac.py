"""Roles, the authenticated actor, and tenant isolation."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from chalicelib.core.errors import Forbidden, NotFound


class Role(StrEnum):
    ADMIN = "admin"  # platform staff: everything
    DRIVER = "driver"  # delivery staff
    OWNER = "owner"  # a shop's manager: users, credit, ledger, orders
    BUYER = "buyer"  # a shop's staff: orders


RETAILER_ROLES = frozenset({Role.OWNER, Role.BUYER})
STAFF_ROLES = frozenset({Role.ADMIN, Role.DRIVER})
ALL_ROLES = frozenset(Role)

# Pseudo-role of the short-lived token handed out at registration: it may only upload and
# list the onboarding documents of the retailer it was issued for.
ONBOARDING = "onboarding"
# Pseudo-role of a session opened with a temporary password (a staff account an admin just
# created): it may only read `/v1/me`, change the password, and log out.
PASSWORD_CHANGE = "password_change"  # noqa: S105 (a role name, not a secret)
# Pseudo-role of an admin's session while the stage requires two-factor and the admin has not
# set it up: it may only read `/v1/me`, set up the authenticator, and log out.
TWO_FACTOR_SETUP = "two_factor_setup"
# Marker for routes that need no token at all.
PUBLIC = "public"


@dataclass(frozen=True)
class RequestInfo:
    """What services may know about the HTTP request (no framework types)."""

    ip: str | None
    user_agent: str | None
    device_id: str | None
    lang: str
    idempotency_key: str | None = None
    if_none_match: str | None = None


@dataclass(frozen=True)
class Actor:
    """Who is calling, and from where (carried into every audit entry)."""

    user_id: str | None
    role: str
    retailer_id: str | None = None
    session_id: str | None = None
    username: str | None = None
    ip: str | None = None
    user_agent: str | None = None
    device_id: str | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_retailer_user(self) -> bool:
        return self.role in RETAILER_ROLES


def anonymous(ip: str | None = None, user_agent: str | None = None, device_id: str | None = None) -> Actor:
    """The actor of a public request (registration, login)."""
    return Actor(user_id=None, role=PUBLIC, ip=ip, user_agent=user_agent, device_id=device_id)


def ensure_tenant(actor: Actor, retailer_id: str) -> None:
    """A retailer-side actor may only touch its own retailer: anything else is 404."""
    if actor.is_admin:
        return
    if actor.retailer_id != retailer_id:
        raise NotFound()


def ensure_role(actor: Actor, *roles: str) -> None:
    """Raise 403 unless the actor has one of `roles`."""
    if actor.role not in roles:
        raise Forbidden()
