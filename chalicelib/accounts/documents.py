"""A shop's registration documents (RC extract, NIF card…): presigned uploads to S3 and the list;
the quarantine check of each file is `document_check`."""

from __future__ import annotations

from typing import Any

from chalicelib.accounts import schemas
from chalicelib.accounts.items import get_retailer_item
from chalicelib.accounts.models import Document
from chalicelib.audit import service as audit
from chalicelib.core import clock, i18n, storage
from chalicelib.core.config import settings
from chalicelib.core.errors import (
    Forbidden,
    NotFound,
)
from chalicelib.core.ids import new_id
from chalicelib.core.rbac import ONBOARDING, Actor, Role, ensure_tenant
from chalicelib.db import keys
from chalicelib.db.tx import transaction


def _document_actor_check(actor: Actor, retailer_id: str) -> None:
    """Who may see and add a shop's documents; the shop is read (404 if there is none)."""
    if actor.role == ONBOARDING:
        if actor.retailer_id != retailer_id:
            raise NotFound()
        # the registration's token serves until the shop is reviewed: then its owner signs in
        # (and a token left on a phone, or leaked, no longer opens the shop's documents)
        if get_retailer_item(retailer_id).status != schemas.RetailerStatus.PENDING:
            raise Forbidden("onboarding_closed")
        return
    ensure_tenant(actor, retailer_id)
    if actor.role not in (Role.ADMIN, Role.OWNER):
        raise Forbidden()
    get_retailer_item(retailer_id)


def _document_prefix(retailer_id: str) -> str:
    return f"retailers/{retailer_id}/documents/"


def request_document_upload(
    actor: Actor, retailer_id: str, data: schemas.DocumentUploadIn
) -> tuple[Document, dict[str, Any]]:
    """A presigned POST into the retailer's private prefix, limited in type and size."""
    _document_actor_check(actor, retailer_id)
    cfg = settings()
    document_id = new_id()
    ext = schemas.DOCUMENT_CONTENT_TYPES[data.content_type]
    key = f"{_document_prefix(retailer_id)}{document_id}.{ext}"
    document = Document(
        PK=keys.retailer(retailer_id),
        SK=keys.document(document_id),
        document_id=document_id,
        retailer_id=retailer_id,
        document_type=data.document_type.value,
        content_type=data.content_type,
        file_name=data.file_name,
        s3_key=key,
        requested_by=actor.user_id,
        created_at=clock.iso(),
    )
    with transaction() as tx:
        tx.create(document, label="document")
        audit.record(
            tx,
            actor,
            "document.upload_requested",
            "retailer",
            retailer_id,
            retailer_id=retailer_id,
            metadata={"document_id": document_id, "document_type": document.document_type},
        )
    grant = storage.presigned_post(key, data.content_type, cfg.document_max_bytes, cfg.upload_url_ttl)
    return document, grant


def list_documents(actor: Actor, retailer_id: str, lang: str) -> list[dict[str, Any]]:
    """The retailer's documents with where each stands in the quarantine (`document_check`):
    a rejected one says why, in `lang`; only an accepted one has a download link (staff and
    owner, never the onboarding token)."""
    _document_actor_check(actor, retailer_id)
    documents = Document.query(keys.retailer(retailer_id), Document.SK.startswith(keys.DOC_PREFIX))
    return [
        {
            "document_id": doc.document_id,
            "document_type": doc.document_type,
            "content_type": doc.content_type,
            "file_name": doc.file_name,
            "created_at": doc.created_at,
            "status": doc.status,
            "reason": doc.reason,
            "reason_message": i18n.translate(doc.reason, lang) if doc.reason else None,
            "uploaded": doc.status != "awaiting_upload",
            "size": doc.size,
            "pages": doc.pages,
            "download_url": storage.presigned_get(doc.s3_key)
            if doc.status == "accepted" and actor.role != ONBOARDING
            else None,
        }
        for doc in documents
    ]
