"""Registration documents stay in quarantine until checked (the S3-triggered document function).

A document is `awaiting_upload` when its upload form is handed out. When the file lands, S3
invokes the function (`handle_event`), which reads it and checks what it really is, whatever
its name or declared type (`core.files`):

* the magic bytes must be the declared type (a JPEG, PNG or WebP image, or a PDF);
* an image must decode whole with Pillow, between 200 px a side and 50 megapixels;
* a PDF must parse, not be encrypted, have at most 20 pages, and carry no script, no
  launch/submit/import action, no open action and no embedded file;
* the file must be within the upload limit (10 MB).

A refused file is deleted and the document `rejected` with the reason, which the shop and the
reviewer see in the list (translated). Where the stage has GuardDuty Malware Protection for S3
(`LIVRILI_MALWARE_SCAN=guardduty`, `infra/`), a file that passed waits `scanning` until
GuardDuty's verdict (its object tag, or its EventBridge event, which runs the same function):
`NO_THREATS_FOUND` accepts it, anything else rejects and deletes it. Only an accepted document
gets a download link. Running twice on one file changes nothing.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote_plus

from pynamodb.exceptions import DoesNotExist, UpdateError

from chalicelib.accounts.models import Document
from chalicelib.audit import service as audit
from chalicelib.core import clock, files, storage
from chalicelib.core.config import settings
from chalicelib.core.observability import count, logger
from chalicelib.core.rbac import Actor
from chalicelib.db import keys

PREFIX = "retailers/"
KINDS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP", "application/pdf": "PDF"}
LIMITS = files.ImageLimits(min_side=200, max_side=12_000, max_pixels=50_000_000)
MAX_PAGES = 20
SCAN_TAG = "GuardDutyMalwareScanStatus"
CLEAN = "NO_THREATS_FOUND"
OPEN = ("awaiting_upload", "scanning")  # not decided yet
SYSTEM = Actor(user_id=None, role="system", username="document-checker")

_KEY_RE = re.compile(
    r"^retailers/(?P<retailer_id>[0-9A-HJKMNP-TV-Z]{26})/documents/(?P<document_id>[0-9A-HJKMNP-TV-Z]{26})"
    r"\.(jpg|png|webp|pdf)$"
)


def inspect(data: bytes, content_type: str) -> int | None:
    """Check one file against its declared type: the page count of a PDF (None for an image),
    or `core.files.FileRejected`."""
    if len(data) > settings().document_max_bytes:
        raise files.FileRejected("too_large")
    try:
        kind = files.sniff(data)
    except files.FileRejected as exc:
        raise files.FileRejected("document_type_mismatch") from exc
    if kind != KINDS.get(content_type):
        raise files.FileRejected("document_type_mismatch")
    if kind == "PDF":
        return files.checked_pdf(data, MAX_PAGES)
    files.decoded_image(data, kind, LIMITS)
    return None


def handle_event(event: dict[str, Any]) -> list[dict[str, str]]:
    """Entry point: S3 ObjectCreated records, or GuardDuty's scan result (EventBridge)."""
    detail = event.get("detail") or {}
    if event.get("source") == "aws.guardduty" and detail.get("s3ObjectDetails"):
        key = str(detail["s3ObjectDetails"].get("objectKey") or "")
        verdict = str((detail.get("scanResultDetails") or {}).get("scanResultStatus") or "FAILED")
        return [{"key": key, **process(key, verdict)}]
    outcomes = []
    for record in event.get("Records") or []:
        key = unquote_plus(((record.get("s3") or {}).get("object") or {}).get("key", ""))
        outcomes.append({"key": key, **process(key)})
    return outcomes


def process(key: str, verdict: str | None = None) -> dict[str, str]:
    """Check the document stored at `key` and decide it (or leave it scanning)."""
    match = _KEY_RE.match(key)
    if not match:
        return {"status": "ignored"}
    try:
        document = Document.get(
            keys.retailer(match["retailer_id"]), keys.document(match["document_id"]), consistent_read=True
        )
    except DoesNotExist:
        document = None
    if document is None or document.s3_key != key:
        storage.delete_objects([key])  # nobody asked for this file
        return {"status": "unsolicited"}
    if document.status not in OPEN:
        return {"status": document.status}
    found = storage.get_object(key)
    if found is None:
        return {"status": "missing"}
    data = found[0]
    try:
        pages = inspect(data, document.content_type)
    except files.FileRejected as rejected:
        return _decide(document, "rejected", rejected.reason, size=len(data))
    if settings().malware_scan:
        verdict = verdict or storage.object_tags(key).get(SCAN_TAG)
        if verdict is None:
            return _decide(document, "scanning", None, size=len(data), pages=pages)
        if verdict != CLEAN:
            return _decide(
                document, "rejected", "malware_found" if verdict == "THREATS_FOUND" else "malware_scan_failed"
            )
    return _decide(document, "accepted", None, size=len(data), pages=pages)


def _decide(
    document: Document, status: str, reason: str | None, size: int | None = None, pages: int | None = None
) -> dict[str, str]:
    """Record the outcome (only over an undecided document: a second run changes nothing); a
    rejected file is deleted."""
    try:
        document.update(
            [
                Document.status.set(status),
                Document.reason.set(reason) if reason else Document.reason.remove(),
                *([Document.size.set(size)] if size is not None else []),
                *([Document.pages.set(pages)] if pages is not None else []),
                Document.checked_at.set(clock.iso()),
            ],
            condition=Document.status.is_in(*OPEN) | Document.status.does_not_exist(),
        )
    except UpdateError:
        return {"status": "already_decided"}
    if status == "rejected":
        storage.delete_objects([document.s3_key])
    if status != "scanning":
        meta = {"document_id": document.document_id, "document_type": document.document_type, "reason": reason}
        action = f"document.{status}"
        audit.record(
            None, SYSTEM, action, "retailer", document.retailer_id, retailer_id=document.retailer_id, metadata=meta
        )
        count("DocumentAccepted" if status == "accepted" else "DocumentRejected")
    logger.info("document checked", extra={"document_id": document.document_id, "status": status, "reason": reason})
    return {"status": status, **({"reason": reason} if reason else {})}
