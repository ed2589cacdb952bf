"""Domain errors. Services raise these; the HTTP layer turns them into the envelope."""

from __future__ import annotations

import json
from typing import Any


class AppError(Exception):
    """An error with an HTTP status, a stable code and message parameters."""

    status = 400
    code = "bad_request"

    def __init__(
        self,
        code: str | None = None,
        *,
        params: dict[str, Any] | None = None,
        details: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.code = code or self.code
        self.params = params or {}
        self.details = details
        self.headers = headers or {}
        super().__init__(self.code)


class BadRequest(AppError):
    status = 400
    code = "bad_request"


class Unauthorized(AppError):
    status = 401
    code = "unauthorized"


class Forbidden(AppError):
    status = 403
    code = "forbidden"


class NotFound(AppError):
    status = 404
    code = "not_found"


class Conflict(AppError):
    status = 409
    code = "conflict"


class ValidationFailed(AppError):
    status = 422
    code = "validation_error"


class PayloadTooLarge(AppError):
    status = 413
    code = "payload_too_large"


class TooManyRequests(AppError):
    status = 429
    code = "too_many_attempts"


class ServiceUnavailable(AppError):
    status = 503
    code = "service_unavailable"


def field_error(field: str, code: str, **params: Any) -> ValidationFailed:
    """A 422 naming one field, for rules that live in services rather than schemas."""
    return ValidationFailed(details=[{"field": field, "code": code, "params": params}])


def field_conflict(field: str, code: str, **params: Any) -> Conflict:
    """A 409 about one field's value against the stored state (stock, balance, a parent):
    the code and its facts both as the error and as the field's detail."""
    return Conflict(code, params=params, details=[{"field": field, "code": code, "params": params}])


# API Gateway answers some requests before the app runs (unknown route, throttling).
# `infra/` turns these into gateway responses and the local server emulates them, so a
# client sees the same envelope everywhere. The message is English: no app code runs.
GATEWAY_RESPONSES: dict[str, tuple[int, str, str]] = {
    "MISSING_AUTHENTICATION_TOKEN": (404, "route_not_found", "No such endpoint."),
    "THROTTLED": (429, "too_many_requests", "Too many requests; slow down and retry."),
}


def error_body(code: str, message: str, details: Any = None) -> str:
    """The JSON body of an error envelope (the API's and API Gateway's alike)."""
    error = {"code": code, "message": message, "details": details}
    return json.dumps({"success": False, "error": error}, ensure_ascii=False)


def gateway_body(response_type: str) -> str:
    """The envelope body of one gateway response."""
    _, code, message = GATEWAY_RESPONSES[response_type]
    return error_body(code, message)
