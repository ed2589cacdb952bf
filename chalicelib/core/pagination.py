"""Opaque, tamper-proof cursors over DynamoDB's LastEvaluatedKey."""

from __future__ import annotations

import base64
import json
from typing import Any

from chalicelib.core.errors import BadRequest
from chalicelib.core.security import sign, verify_signature

DEFAULT_LIMIT = 25
MAX_LIMIT = 100


def encode_cursor(last_key: dict[str, Any] | None, scope: str) -> str | None:
    """Wrap a LastEvaluatedKey, bound to the listing (`scope`) it came from."""
    if not last_key:
        return None
    raw = json.dumps({"k": last_key, "s": scope}, separators=(",", ":"), sort_keys=True).encode()
    body = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    return f"{body}.{sign(raw)}"


def decode_cursor(cursor: str | None, scope: str) -> dict[str, Any] | None:
    """The LastEvaluatedKey inside a cursor we issued for the same listing; 400 otherwise."""
    if not cursor:
        return None
    try:
        body, signature = cursor.rsplit(".", 1)
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        if not verify_signature(raw, signature):
            raise ValueError("bad signature")
        data = json.loads(raw)
        if data.get("s") != scope or not isinstance(data.get("k"), dict):
            raise ValueError("wrong scope")
        key: dict[str, Any] = data["k"]
        return key
    except (ValueError, TypeError, json.JSONDecodeError) as exc:
        raise BadRequest("invalid_cursor") from exc
