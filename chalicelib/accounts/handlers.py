"""Accounts event handlers (registered by `app.py`): the S3-triggered document check. Thin: the
work lives in `document_check`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint

from chalicelib.core import lazy

if TYPE_CHECKING:
    from chalicelib.accounts import document_check
else:
    document_check = lazy.module("chalicelib.accounts.document_check")


bp = Blueprint(__name__)

# Lambda function name (infra wires the bucket notification and GuardDuty's verdicts to it)
DOCUMENT_FUNCTION = "check_document"


@bp.lambda_function(name=DOCUMENT_FUNCTION)
def check_document(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """S3 ObjectCreated under `retailers/`, or GuardDuty's scan result: check and decide."""
    return {"outcomes": document_check.handle_event(event)}
