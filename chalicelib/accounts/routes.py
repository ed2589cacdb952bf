"""Accounts HTTP routes: login, tokens, password reset, my profile and sessions, staff accounts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint

from chalicelib.core import lazy
from chalicelib.core.rbac import ALL_ROLES, PASSWORD_CHANGE, PUBLIC, TWO_FACTOR_SETUP, Actor, Role
from chalicelib.core.routes import Page, endpoint

if TYPE_CHECKING:
    from chalicelib.accounts import auth as accounts_auth
    from chalicelib.accounts import phone as accounts_phone
    from chalicelib.accounts import reset as accounts_reset
    from chalicelib.accounts import rules as accounts_rules
    from chalicelib.accounts import schemas
    from chalicelib.accounts import sessions as accounts_sessions
    from chalicelib.accounts import staff as accounts_staff
    from chalicelib.accounts import two_factor as accounts_two_factor
    from chalicelib.accounts import users as accounts_users
    from chalicelib.accounts.models import Retailer, User
else:
    accounts_rules = lazy.module("chalicelib.accounts.rules")
    accounts_auth = lazy.module("chalicelib.accounts.auth")
    accounts_phone = lazy.module("chalicelib.accounts.phone")
    accounts_reset = lazy.module("chalicelib.accounts.reset")
    schemas = lazy.module("chalicelib.accounts.schemas")
    accounts_sessions = lazy.module("chalicelib.accounts.sessions")
    accounts_staff = lazy.module("chalicelib.accounts.staff")
    accounts_two_factor = lazy.module("chalicelib.accounts.two_factor")
    accounts_users = lazy.module("chalicelib.accounts.users")


bp = Blueprint(__name__)
# any live session, one that must finish a set-up first included (it may only reach these routes)
ANY_SESSION = (*ALL_ROLES, PASSWORD_CHANGE, TWO_FACTOR_SETUP)
TWO_FACTOR_ROLES = (*ALL_ROLES, TWO_FACTOR_SETUP)

ADMIN = (Role.ADMIN,)
DEVICE_HEADER = (("X-Device-Id", "Stable id of the device (shown in sessions, audit)"),)


def _tokens(tokens: accounts_sessions.Tokens) -> schemas.TokenOut:
    return schemas.TokenOut(**_token_fields(tokens))


def _token_fields(tokens: accounts_sessions.Tokens) -> dict[str, Any]:
    return {
        "access_token": tokens.access_token,
        "refresh_token": tokens.refresh_token,
        "expires_in": tokens.expires_in,
        "user": schemas.UserOut.model_validate(tokens.user),
    }


# ------------------------------------------------------------------ auth


@endpoint(
    bp,
    "/v1/auth/login",
    "POST",
    roles=(PUBLIC,),
    summary="Log in with username and password (and a second factor when the reply asks for one)",
    tag="auth",
    response=lambda: schemas.TokenOut,
    no_store=True,
    errors=(401, 403, 429),
    headers=DEVICE_HEADER,
)
def login(actor: Actor, body: schemas.LoginIn) -> schemas.TokenOut:
    return _tokens(accounts_auth.login(actor, body.username, body.password, body.device_id, body.code))


@endpoint(
    bp,
    "/v1/auth/refresh",
    "POST",
    roles=(PUBLIC,),
    summary="Rotate a refresh token",
    tag="auth",
    response=lambda: schemas.TokenOut,
    no_store=True,
    errors=(401, 429),
)
def refresh(actor: Actor, body: schemas.RefreshIn) -> schemas.TokenOut:
    return _tokens(accounts_sessions.refresh(actor, body.refresh_token))


@endpoint(
    bp,
    "/v1/auth/password-reset",
    "POST",
    roles=(PUBLIC,),
    summary="Forgot my password: text a 6-digit code to the account's phone (same reply for any login)",
    tag="auth",
    response=lambda: schemas.ResetRequestOut,
    status=202,
    errors=(429,),
)
def request_reset(actor: Actor, body: schemas.ResetRequestIn) -> schemas.ResetRequestOut:
    sent = accounts_reset.request_code(actor, body.login)
    return schemas.ResetRequestOut(expires_in=sent.expires_in, resend_after=sent.resend_after)


@endpoint(
    bp,
    "/v1/auth/password-reset/confirm",
    "POST",
    roles=(PUBLIC,),
    summary="Set a new password with the code (every session of the account ends)",
    tag="auth",
    errors=(429,),
)
def confirm_reset(actor: Actor, body: schemas.ResetConfirmIn) -> dict[str, Any]:
    accounts_reset.reset_password(actor, body.login, body.code, body.new_password)
    return {"reset": True}


@endpoint(
    bp,
    "/v1/admin/users/{user_id}/password-reset",
    "POST",
    roles=ADMIN,
    summary="Text a password-reset code to a user's phone (a shop user or staff)",
    tag="users",
    response=lambda: schemas.ResetRequestOut,
    status=202,
    errors=(409,),
)
def staff_reset(actor: Actor, user_id: str) -> schemas.ResetRequestOut:
    accounts_reset.send_for(actor, user_id)
    sent = accounts_reset.Requested()
    return schemas.ResetRequestOut(expires_in=sent.expires_in, resend_after=sent.resend_after)


@endpoint(bp, "/v1/auth/logout", "POST", roles=ANY_SESSION, summary="End this session", tag="auth")
def logout(actor: Actor) -> dict[str, Any]:
    accounts_sessions.logout(actor)
    return {"logged_out": True}


@endpoint(bp, "/v1/auth/logout-all", "POST", roles=ALL_ROLES, summary="End every session of this user", tag="auth")
def logout_all(actor: Actor) -> dict[str, Any]:
    return {"sessions_ended": accounts_sessions.logout_all(actor)}


@endpoint(
    bp,
    "/v1/me",
    "GET",
    roles=ANY_SESSION,
    summary="The current user and their shop",
    tag="auth",
    response=lambda: schemas.MeOut,
    no_store=True,
)
def me(actor: Actor) -> schemas.MeOut:
    user, retailer = accounts_users.me(actor)
    return _me(user, retailer)


@endpoint(
    bp,
    "/v1/me",
    "PATCH",
    roles=ALL_ROLES,
    summary="Change my name or language (safe to replay)",
    tag="auth",
    response=lambda: schemas.MeOut,
    no_store=True,
)
def update_me(actor: Actor, body: schemas.MePatchIn) -> schemas.MeOut:
    accounts_users.update_me(actor, body)
    user, retailer = accounts_users.me(actor)
    return _me(user, retailer)


@endpoint(
    bp,
    "/v1/me/password",
    "POST",
    roles=ANY_SESSION,
    summary="Change my password: every session ends, this device gets new tokens",
    tag="auth",
    response=lambda: schemas.TokenOut,
    no_store=True,
    errors=(429,),
    headers=DEVICE_HEADER,
)
def change_password(actor: Actor, body: schemas.PasswordChangeIn) -> schemas.TokenOut:
    return _tokens(accounts_auth.change_password(actor, body.current_password, body.new_password))


@endpoint(
    bp,
    "/v1/me/phone",
    "POST",
    roles=ALL_ROLES,
    summary="Change my phone, step 1: a code is texted to the new number",
    tag="auth",
    response=lambda: schemas.PhoneChangeOut,
    status=202,
    no_store=True,
)
def request_phone_change(actor: Actor, body: schemas.PhoneChangeIn) -> schemas.PhoneChangeOut:
    expires_in = accounts_phone.request_change(actor, body.phone)
    return schemas.PhoneChangeOut(phone=body.phone, expires_in=expires_in, resend_after=accounts_rules.RESEND_AFTER)


@endpoint(
    bp,
    "/v1/me/phone/confirm",
    "POST",
    roles=ALL_ROLES,
    summary="Change my phone, step 2: the code the new number received moves it",
    tag="auth",
    response=lambda: schemas.MeOut,
    no_store=True,
)
def confirm_phone_change(actor: Actor, body: schemas.PhoneConfirmIn) -> schemas.MeOut:
    accounts_phone.confirm_change(actor, body.phone, body.code)
    user, retailer = accounts_users.me(actor)
    return _me(user, retailer)


def _me(user: User, retailer: Retailer | None) -> schemas.MeOut:
    summary = (
        schemas.RetailerSummary(
            retailer_id=retailer.retailer_id, business_name=retailer.business_name, status=retailer.status
        )
        if retailer
        else None
    )
    return schemas.MeOut(user=schemas.UserOut.model_validate(user), retailer=summary)


@endpoint(
    bp,
    "/v1/me/sessions",
    "GET",
    roles=ALL_ROLES,
    summary="Live sessions of the current user",
    tag="auth",
    response=lambda: schemas.SessionOut,
    no_store=True,
    is_list=True,
)
def my_sessions(actor: Actor) -> Page:
    items = []
    for session in accounts_sessions.list_sessions(actor):
        out = schemas.SessionOut.model_validate(session)
        out.current = session.session_id == actor.session_id
        items.append(out)
    return Page(items)


@endpoint(bp, "/v1/me/sessions/{session_id}", "DELETE", roles=ALL_ROLES, summary="End one of my sessions", tag="auth")
def revoke_my_session(actor: Actor, session_id: str) -> dict[str, Any]:
    accounts_sessions.revoke_session(actor, session_id)
    return {"revoked": session_id}


# ------------------------------------------------------------------ staff


@endpoint(
    bp,
    "/v1/admin/staff",
    "GET",
    roles=ADMIN,
    summary="Drivers and admins, oldest first",
    tag="users",
    response=lambda: schemas.UserOut,
    is_list=True,
)
def list_staff(actor: Actor, query: schemas.StaffListQuery) -> Page:
    items, cursor = accounts_staff.list_staff(query)
    return Page([schemas.UserOut.model_validate(u) for u in items], cursor)


@endpoint(
    bp,
    "/v1/admin/staff",
    "POST",
    roles=ADMIN,
    summary="Create a driver or admin with a temporary password (changed at first login)",
    tag="users",
    response=lambda: schemas.UserOut,
    status=201,
    errors=(409,),
)
def create_staff(actor: Actor, body: schemas.StaffCreateIn) -> schemas.UserOut:
    return schemas.UserOut.model_validate(accounts_staff.create_staff_member(actor, body))


@endpoint(
    bp,
    "/v1/admin/staff/{user_id}",
    "PATCH",
    roles=ADMIN,
    summary="Disable, re-enable or rename a driver or admin (disabling ends their sessions)",
    tag="users",
    response=lambda: schemas.UserOut,
)
def update_staff(actor: Actor, user_id: str, body: schemas.StaffPatchIn) -> schemas.UserOut:
    return schemas.UserOut.model_validate(accounts_staff.update_staff(actor, user_id, body))


__all__ = ["bp"]


# ------------------------------------------------------------------ two-factor


@endpoint(
    bp,
    "/v1/me/two-factor",
    "POST",
    roles=TWO_FACTOR_ROLES,
    summary="Set up an authenticator app, step 1 (with my password): its secret and QR code",
    tag="auth",
    response=lambda: schemas.TwoFactorStartOut,
    no_store=True,
    errors=(409,),
)
def start_two_factor(actor: Actor, body: schemas.TwoFactorStartIn) -> schemas.TwoFactorStartOut:
    started = accounts_two_factor.start(actor, body.password)
    return schemas.TwoFactorStartOut(secret=started.secret, otpauth_uri=started.otpauth_uri, qr_svg=started.qr_svg)


@endpoint(
    bp,
    "/v1/me/two-factor/confirm",
    "POST",
    roles=TWO_FACTOR_ROLES,
    summary="Set up an authenticator app, step 2: its first code turns it on (recovery codes, new tokens)",
    tag="auth",
    response=lambda: schemas.TwoFactorOut,
    no_store=True,
    errors=(409,),
    headers=DEVICE_HEADER,
)
def confirm_two_factor(actor: Actor, body: schemas.TwoFactorConfirmIn) -> schemas.TwoFactorOut:
    recovery, tokens = accounts_two_factor.confirm(actor, body.code)
    return schemas.TwoFactorOut(**_token_fields(tokens), recovery_codes=recovery)


@endpoint(
    bp,
    "/v1/me/two-factor/removal",
    "POST",
    roles=ALL_ROLES,
    summary="Turn two-factor off (password and a code; not for admins where the stage requires it)",
    tag="auth",
    errors=(403, 409),
)
def disable_two_factor(actor: Actor, body: schemas.TwoFactorOffIn) -> dict[str, Any]:
    accounts_two_factor.disable(actor, body.password, body.code)
    return {"two_factor": False}


@endpoint(
    bp,
    "/v1/admin/users/{user_id}/two-factor/removal",
    "POST",
    roles=ADMIN,
    summary="Remove a user's authenticator (a lost phone): their sessions end",
    tag="users",
    errors=(403, 409),
)
def remove_two_factor(actor: Actor, user_id: str) -> dict[str, Any]:
    accounts_two_factor.remove_for(actor, user_id)
    return {"two_factor": False}
