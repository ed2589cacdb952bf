"""What a request sends, parsed and validated before any handler sees it: the JSON (or
form-encoded) body and the query string, into the route's pydantic model; every problem a
422 naming its field, in the error envelope. Framework-free: the HTTP edge passes bytes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from chalicelib.core import i18n
from chalicelib.core.errors import BadRequest, PayloadTooLarge, ValidationFailed

if TYPE_CHECKING:  # pydantic's models load with the first request that parses one (cold start)
    from pydantic import BaseModel, ValidationError

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
# the largest body any route takes is a 40-line order (~5 KB); a JSON body nests 4 levels deep
MAX_BODY_BYTES = 64 * 1024
MAX_DEPTH = 16

_PYDANTIC_CODES = {
    "missing": "field_required",
    "extra_forbidden": "field_unknown",
    "string_too_short": "field_too_short",
    "too_short": "field_too_short",
    "string_too_long": "field_too_long",
    "too_long": "field_too_long",
    "greater_than": "field_out_of_range",
    "greater_than_equal": "field_out_of_range",
    "less_than": "field_out_of_range",
    "less_than_equal": "field_out_of_range",
    "literal_error": "field_not_allowed_value",
    "enum": "field_not_allowed_value",
}
_TYPE_ERRORS = ("_type", "_parsing")


def validation_details(exc: ValidationError) -> list[dict[str, Any]]:
    """Pydantic errors as `{field, code, params}` (messages are localized later)."""
    details = []
    for err in exc.errors(include_url=False):
        err_type = err["type"]
        code = _PYDANTIC_CODES.get(err_type)
        if code is None:
            if err_type.endswith(_TYPE_ERRORS):
                code = "field_wrong_type"
            elif err_type in i18n.MESSAGES:
                code = err_type  # our own PydanticCustomError codes (invalid_phone, …)
            else:
                code = "field_invalid"
        ctx = {k: v for k, v in (err.get("ctx") or {}).items() if isinstance(v, str | int | float)}
        field = ".".join(str(p) for p in err["loc"]) or "body"
        details.append({"field": field, "code": code, "params": ctx})
    return details


def parse_body(content_type: str | None, raw: bytes, model: type[BaseModel]) -> BaseModel:
    """The body as `model`: JSON (an object) or, for the webhooks, form fields."""
    kind = (content_type or JSON).split(";")[0].strip().lower()
    if len(raw) > MAX_BODY_BYTES:
        raise PayloadTooLarge(params={"max_kb": MAX_BODY_BYTES // 1024})
    if kind == FORM:
        from urllib.parse import parse_qsl

        payload: Any = dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
    else:
        if not raw.strip():
            raise BadRequest("invalid_json")
        if _too_deep(raw, MAX_DEPTH):  # checked before parsing: a deep body would exhaust the parser
            raise BadRequest("json_too_deep", params={"max": MAX_DEPTH})
        try:
            payload = json.loads(raw)
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            raise BadRequest("invalid_json") from exc
        if not isinstance(payload, dict):
            raise BadRequest("invalid_json")
    return _validated(model, payload)


def _too_deep(raw: bytes, limit: int) -> bool:
    """Whether the arrays and objects of a JSON text nest deeper than `limit` (brackets inside
    strings do not count). One pass, stopping at the first level too deep."""
    depth = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > limit:
                return True
        elif byte in (0x5D, 0x7D):  # ] }
            depth -= 1
    return False


def parse_query(params: Mapping[str, str], model: type[BaseModel]) -> BaseModel:
    return _validated(model, dict(params))


def _validated(model: type[BaseModel], payload: dict[str, Any]) -> BaseModel:
    from pydantic import ValidationError

    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        raise ValidationFailed(details=validation_details(exc)) from exc
