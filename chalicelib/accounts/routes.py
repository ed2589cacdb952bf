"""Accounts HTTP routes: auth, me, retailers, shop users, onboarding documents."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.accounts import auth as accounts_auth
from chalicelib.accounts import documents as accounts_documents
from chalicelib.accounts import retailers as accounts_retailers
from chalicelib.accounts import schemas
from chalicelib.accounts import sessions as accounts_sessions
from chalicelib.accounts import staff as accounts_staff
from chalicelib.accounts import users as accounts_users
from chalicelib.accounts import views as accounts_views
from chalicelib.accounts.models import Retailer, User
from chalicelib.core.config import settings
from chalicelib.core.rbac import ALL_ROLES, ONBOARDING, PASSWORD_CHANGE, PUBLIC, Actor, Role
from chalicelib.core.routes import Page, endpoint
from chalicelib.core.schemas import PageQuery, Strict

bp = Blueprint(__name__)
# any live session, a temporary-password one included (it may only reach these routes)
ANY_SESSION = (*ALL_ROLES, PASSWORD_CHANGE)

ADMIN = (Role.ADMIN,)
SHOP_MANAGERS = (Role.ADMIN, Role.OWNER)
DEVICE_HEADER = (("X-Device-Id", "Stable id of the device (shown in sessions, audit)"),)


def _tokens(tokens: accounts_sessions.Tokens) -> schemas.TokenOut:
    return schemas.TokenOut(
        access_token=tokens.access_token,
        refresh_token=tokens.refresh_token,
        expires_in=tokens.expires_in,
        user=schemas.UserOut.model_validate(tokens.user),
    )


# ------------------------------------------------------------------ auth


@endpoint(
    bp,
    "/v1/auth/login",
    "POST",
    roles=(PUBLIC,),
    summary="Log in with username and password",
    tag="auth",
    body=schemas.LoginIn,
    response=schemas.TokenOut,
    errors=(401, 403, 423),
    headers=DEVICE_HEADER,
)
def login(actor: Actor, body: schemas.LoginIn) -> schemas.TokenOut:
    return _tokens(accounts_auth.login(actor, body.username, body.password, body.device_id))


@endpoint(
    bp,
    "/v1/auth/refresh",
    "POST",
    roles=(PUBLIC,),
    summary="Rotate a refresh token",
    tag="auth",
    body=schemas.RefreshIn,
    response=schemas.TokenOut,
    errors=(401,),
)
def refresh(actor: Actor, body: schemas.RefreshIn) -> schemas.TokenOut:
    return _tokens(accounts_sessions.refresh(actor, body.refresh_token))


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
    response=schemas.MeOut,
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
    body=schemas.MePatchIn,
    response=schemas.MeOut,
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
    body=schemas.PasswordChangeIn,
    response=schemas.TokenOut,
    errors=(423,),
    headers=DEVICE_HEADER,
)
def change_password(actor: Actor, body: schemas.PasswordChangeIn) -> schemas.TokenOut:
    return _tokens(accounts_auth.change_password(actor, body.current_password, body.new_password))


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
    response=schemas.SessionOut,
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


# ------------------------------------------------------------------ retailers


@endpoint(
    bp,
    "/v1/retailers",
    "POST",
    roles=(PUBLIC,),
    summary="Register a shop (pending approval)",
    tag="retailers",
    body=schemas.RetailerRegistration,
    response=schemas.RegistrationOut,
    status=201,
    errors=(409,),
)
def register(actor: Actor, body: schemas.RetailerRegistration) -> schemas.RegistrationOut:
    retailer, owner, token = accounts_retailers.register_retailer(actor, body)
    return schemas.RegistrationOut(
        # a new shop has no credit line until it is approved with one
        retailer=schemas.RetailerOut.model_validate(retailer).model_copy(update={"credit_limit": 0}),
        owner=schemas.UserOut.model_validate(owner),
        onboarding_token=token,
        onboarding_token_expires_in=settings().onboarding_token_ttl,
    )


@endpoint(
    bp,
    "/v1/retailers",
    "GET",
    roles=ADMIN,
    summary="Retailers by status, newest first",
    tag="retailers",
    query=schemas.RetailerListQuery,
    response=schemas.RetailerOut,
    is_list=True,
)
def list_retailers(actor: Actor, query: schemas.RetailerListQuery) -> Page:
    items, cursor = accounts_retailers.list_retailers(actor, query.status.value, query.cursor, query.limit)
    return Page(accounts_views.retailer_views(actor, items), cursor)


@endpoint(
    bp,
    "/v1/retailers/{retailer_id}",
    "GET",
    roles=(Role.ADMIN, Role.OWNER, Role.BUYER),
    summary="One retailer",
    tag="retailers",
    response=schemas.RetailerOut,
)
def get_retailer(actor: Actor, retailer_id: str) -> dict[str, Any]:
    return accounts_views.retailer_view(actor, accounts_retailers.view_retailer(actor, retailer_id))


# approve / reject / suspend / reactivate: one service call, four declared routes
_STATUS_ROUTES = (
    ("approve", schemas.ApproveIn, "Approve with a credit limit"),
    ("reject", schemas.ReasonIn, "Reject a pending registration"),
    ("suspend", schemas.ReasonIn, "Suspend (ends all sessions of the shop)"),
    ("reactivate", schemas.ReactivateIn, "Lift a suspension"),
)


def _status_route(action: str, body_model: type[Strict], summary: str) -> None:
    def change_status(actor: Actor, retailer_id: str, body: Strict) -> dict[str, Any]:
        retailer = accounts_retailers.change_retailer_status(actor, retailer_id, action, **body.model_dump())
        return accounts_views.retailer_view(actor, retailer)

    change_status.__name__ = action
    endpoint(
        bp,
        f"/v1/retailers/{{retailer_id}}/{action}",
        "POST",
        roles=ADMIN,
        summary=summary,
        tag="retailers",
        body=body_model,
        response=schemas.RetailerOut,
        errors=(409,),
    )(change_status)


for _action, _body, _summary in _STATUS_ROUTES:
    _status_route(_action, _body, _summary)


# ------------------------------------------------------------------ documents


@endpoint(
    bp,
    "/v1/retailers/{retailer_id}/documents",
    "POST",
    roles=(Role.ADMIN, Role.OWNER, ONBOARDING),
    summary="Presigned upload for an onboarding document",
    tag="retailers",
    body=schemas.DocumentUploadIn,
    response=schemas.DocumentUploadOut,
    status=201,
)
def request_upload(actor: Actor, retailer_id: str, body: schemas.DocumentUploadIn) -> schemas.DocumentUploadOut:
    document, grant = accounts_documents.request_document_upload(actor, retailer_id, body)
    return schemas.DocumentUploadOut(document_id=document.document_id, **grant)


@endpoint(
    bp,
    "/v1/retailers/{retailer_id}/documents",
    "GET",
    roles=(Role.ADMIN, Role.OWNER, ONBOARDING),
    summary="Onboarding documents of a retailer",
    tag="retailers",
    response=schemas.DocumentOut,
    is_list=True,
)
def list_documents(actor: Actor, retailer_id: str) -> Page:
    return Page([schemas.DocumentOut(**d) for d in accounts_documents.list_documents(actor, retailer_id)])


# ------------------------------------------------------------------ shop users


@endpoint(
    bp,
    "/v1/retailers/{retailer_id}/users",
    "GET",
    roles=SHOP_MANAGERS,
    summary="Users of a shop",
    tag="users",
    query=PageQuery,
    response=schemas.UserOut,
    is_list=True,
)
def list_users(actor: Actor, retailer_id: str, query: PageQuery) -> Page:
    items, cursor = accounts_users.list_users(actor, retailer_id, query.cursor, query.limit)
    return Page([schemas.UserOut.model_validate(u) for u in items], cursor)


@endpoint(
    bp,
    "/v1/retailers/{retailer_id}/users",
    "POST",
    roles=SHOP_MANAGERS,
    summary="Add a buyer or owner",
    tag="users",
    body=schemas.UserCreateIn,
    response=schemas.UserOut,
    status=201,
    errors=(409,),
)
def create_user(actor: Actor, retailer_id: str, body: schemas.UserCreateIn) -> schemas.UserOut:
    return schemas.UserOut.model_validate(accounts_users.create_shop_user(actor, retailer_id, body))


@endpoint(
    bp,
    "/v1/retailers/{retailer_id}/users/{user_id}",
    "PATCH",
    roles=SHOP_MANAGERS,
    summary="Change a shop user's role, activity, name or language",
    tag="users",
    body=schemas.UserPatchIn,
    response=schemas.UserOut,
    errors=(409,),
)
def update_user(actor: Actor, retailer_id: str, user_id: str, body: schemas.UserPatchIn) -> schemas.UserOut:
    return schemas.UserOut.model_validate(accounts_users.update_shop_user(actor, retailer_id, user_id, body))


# ------------------------------------------------------------------ staff


@endpoint(
    bp,
    "/v1/admin/staff",
    "GET",
    roles=(Role.ADMIN,),
    summary="Drivers and admins, oldest first",
    tag="users",
    query=schemas.StaffListQuery,
    response=schemas.UserOut,
    is_list=True,
)
def list_staff(actor: Actor, query: schemas.StaffListQuery) -> Page:
    items, cursor = accounts_staff.list_staff(query)
    return Page([schemas.UserOut.model_validate(u) for u in items], cursor)


@endpoint(
    bp,
    "/v1/admin/staff",
    "POST",
    roles=(Role.ADMIN,),
    summary="Create a driver or admin with a temporary password (changed at first login)",
    tag="users",
    body=schemas.StaffCreateIn,
    response=schemas.UserOut,
    status=201,
    errors=(409,),
)
def create_staff(actor: Actor, body: schemas.StaffCreateIn) -> schemas.UserOut:
    return schemas.UserOut.model_validate(accounts_staff.create_staff_member(actor, body))


@endpoint(
    bp,
    "/v1/admin/staff/{user_id}",
    "PATCH",
    roles=(Role.ADMIN,),
    summary="Disable, re-enable or rename a driver or admin (disabling ends their sessions)",
    tag="users",
    body=schemas.StaffPatchIn,
    response=schemas.UserOut,
)
def update_staff(actor: Actor, user_id: str, body: schemas.StaffPatchIn) -> schemas.UserOut:
    return schemas.UserOut.model_validate(accounts_staff.update_staff(actor, user_id, body))


__all__ = ["bp"]
