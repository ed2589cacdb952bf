"""Accounts HTTP routes for shops: registration and review, onboarding documents, a shop's users."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from chalice import Blueprint

from chalicelib.core import lazy
from chalicelib.core.config import settings
from chalicelib.core.rbac import ONBOARDING, PUBLIC, Actor, RequestInfo, Role
from chalicelib.core.routes import Page, endpoint

if TYPE_CHECKING:
    from chalicelib.accounts import documents as accounts_documents
    from chalicelib.accounts import retailers as accounts_retailers
    from chalicelib.accounts import schemas, shop_profile
    from chalicelib.accounts import users as accounts_users
    from chalicelib.accounts import views as accounts_views
    from chalicelib.core import schemas as core_schemas
else:
    core_schemas = lazy.module("chalicelib.core.schemas")
    accounts_documents = lazy.module("chalicelib.accounts.documents")
    accounts_retailers = lazy.module("chalicelib.accounts.retailers")
    schemas = lazy.module("chalicelib.accounts.schemas")
    shop_profile = lazy.module("chalicelib.accounts.shop_profile")
    accounts_users = lazy.module("chalicelib.accounts.users")
    accounts_views = lazy.module("chalicelib.accounts.views")


bp = Blueprint(__name__)

ADMIN = (Role.ADMIN,)
SHOP_MANAGERS = (Role.ADMIN, Role.OWNER)


# ------------------------------------------------------------------ retailers


@endpoint(
    bp,
    "/v1/retailers",
    "POST",
    roles=(PUBLIC,),
    summary="Register a shop (pending approval; 10 an hour per address)",
    tag="retailers",
    response=lambda: schemas.RegistrationOut,
    status=201,
    errors=(409, 429),
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
    response=lambda: schemas.RetailerOut,
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
    response=lambda: schemas.RetailerOut,
)
def get_retailer(actor: Actor, retailer_id: str) -> dict[str, Any]:
    return accounts_views.retailer_view(actor, accounts_retailers.view_retailer(actor, retailer_id))


@endpoint(
    bp,
    "/v1/retailers/{retailer_id}",
    "PATCH",
    roles=SHOP_MANAGERS,
    summary="Change a shop's address, contact or delivery notes; an owner's new RC/NIF/NIS/AI waits for review",
    tag="retailers",
    response=lambda: schemas.RetailerOut,
    errors=(409,),
)
def update_retailer(actor: Actor, retailer_id: str, body: schemas.RetailerPatchIn) -> dict[str, Any]:
    return accounts_views.retailer_view(actor, shop_profile.update_shop(actor, retailer_id, body))


@endpoint(
    bp,
    "/v1/retailers/{retailer_id}/legal-review",
    "POST",
    roles=ADMIN,
    summary="Approve or reject a shop's change of its legal identifiers",
    tag="retailers",
    response=lambda: schemas.RetailerOut,
    errors=(409,),
)
def review_legal(actor: Actor, retailer_id: str, body: schemas.LegalReviewIn) -> dict[str, Any]:
    return accounts_views.retailer_view(actor, shop_profile.review_legal(actor, retailer_id, body))


@endpoint(
    bp,
    "/v1/admin/legal-reviews",
    "GET",
    roles=ADMIN,
    summary="Shops whose legal identifiers wait for review, oldest first",
    tag="retailers",
    response=lambda: schemas.RetailerOut,
    is_list=True,
)
def legal_reviews(actor: Actor, query: core_schemas.PageQuery) -> Page:
    items, cursor = shop_profile.legal_reviews(query.cursor, query.limit)
    return Page(accounts_views.retailer_views(actor, items), cursor)


# approve / reject / suspend / reactivate: one service call, four declared routes


def _change_status(actor: Actor, retailer_id: str, action: str, body: core_schemas.Strict) -> dict[str, Any]:
    retailer = accounts_retailers.change_retailer_status(actor, retailer_id, action, **body.model_dump())
    return accounts_views.retailer_view(actor, retailer)


def _status_route(action: str, summary: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return endpoint(
        bp,
        f"/v1/retailers/{{retailer_id}}/{action}",
        "POST",
        roles=ADMIN,
        summary=summary,
        tag="retailers",
        response=lambda: schemas.RetailerOut,
        errors=(409,),
    )


@_status_route("approve", "Approve with a credit limit")
def approve(actor: Actor, retailer_id: str, body: schemas.ApproveIn) -> dict[str, Any]:
    return _change_status(actor, retailer_id, "approve", body)


@_status_route("reject", "Reject a pending registration")
def reject(actor: Actor, retailer_id: str, body: schemas.ReasonIn) -> dict[str, Any]:
    return _change_status(actor, retailer_id, "reject", body)


@_status_route("suspend", "Suspend (ends all sessions of the shop)")
def suspend(actor: Actor, retailer_id: str, body: schemas.ReasonIn) -> dict[str, Any]:
    return _change_status(actor, retailer_id, "suspend", body)


@_status_route("reactivate", "Lift a suspension")
def reactivate(actor: Actor, retailer_id: str, body: schemas.ReactivateIn) -> dict[str, Any]:
    return _change_status(actor, retailer_id, "reactivate", body)


# ------------------------------------------------------------------ documents


@endpoint(
    bp,
    "/v1/retailers/{retailer_id}/documents",
    "POST",
    roles=(Role.ADMIN, Role.OWNER, ONBOARDING),
    summary="Presigned upload for an onboarding document",
    tag="retailers",
    response=lambda: schemas.DocumentUploadOut,
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
    summary="Onboarding documents of a retailer, with where each stands in the quarantine check",
    tag="retailers",
    response=lambda: schemas.DocumentOut,
    is_list=True,
)
def list_documents(actor: Actor, retailer_id: str, info: RequestInfo) -> Page:
    found = accounts_documents.list_documents(actor, retailer_id, info.lang)
    return Page([schemas.DocumentOut(**d) for d in found])


# ------------------------------------------------------------------ shop users


@endpoint(
    bp,
    "/v1/retailers/{retailer_id}/users",
    "GET",
    roles=SHOP_MANAGERS,
    summary="Users of a shop",
    tag="users",
    response=lambda: schemas.UserOut,
    is_list=True,
)
def list_users(actor: Actor, retailer_id: str, query: core_schemas.PageQuery) -> Page:
    items, cursor = accounts_users.list_users(actor, retailer_id, query.cursor, query.limit)
    return Page([schemas.UserOut.model_validate(u) for u in items], cursor)


@endpoint(
    bp,
    "/v1/retailers/{retailer_id}/users",
    "POST",
    roles=SHOP_MANAGERS,
    summary="Add a buyer or owner",
    tag="users",
    response=lambda: schemas.UserOut,
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
    response=lambda: schemas.UserOut,
    errors=(409,),
)
def update_user(actor: Actor, retailer_id: str, user_id: str, body: schemas.UserPatchIn) -> schemas.UserOut:
    return schemas.UserOut.model_validate(accounts_users.update_shop_user(actor, retailer_id, user_id, body))


__all__ = ["bp"]
