"""The HTTP edge: route declaration, envelope, error mapping, logging middleware, system routes.

This is the one place (with `app.py` and each domain's `routes.py`) that imports Chalice.
Every route is declared with :func:`endpoint`, which

* registers it in the OpenAPI registry with its roles and models,
* authenticates the bearer token and checks the route's roles,
* parses the JSON body and query string with pydantic (400 / 422 naming the field),
* calls the handler with an :class:`Actor`, path parameters and parsed models,
* wraps the result (or any error) in the response envelope, in the caller's language.
"""

from __future__ import annotations

import base64
import contextvars
import functools
import hashlib
import hmac
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from chalice import Blueprint, Response
from chalice.app import Request

from chalicelib.core import i18n, inputs
from chalicelib.core.config import edge_secret
from chalicelib.core.errors import (
    AppError,
    NotFound,
    Unauthorized,
    error_body,
)
from chalicelib.core.headers import EDGE_HEADER, SECURITY_HEADERS, VIEWER_HEADER
from chalicelib.core.ids import is_id, new_id
from chalicelib.core.observability import logger, metrics
from chalicelib.core.openapi import REGISTRY, RouteSpec
from chalicelib.core.rbac import ONBOARDING, PUBLIC, Actor, RequestInfo, anonymous

if TYPE_CHECKING:
    from pydantic import BaseModel

JSON, FORM = inputs.JSON, inputs.FORM  # the content types a route may accept

_correlation: contextvars.ContextVar[str] = contextvars.ContextVar("correlation_id", default="-")
_CORRELATION_RE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

Authenticator = Callable[[str, RequestInfo, tuple[str, ...]], Actor]


@dataclass(frozen=True)
class Authentication:
    """The bearer-token check, installed by the accounts domain (`app.py` wires it).

    `check` turns a token into an Actor and may defer the read of its session to the
    request's first DynamoDB read; `settle` finishes that read if the request made none (and
    raises when the session says no); `forget` ends the request's deferred state."""

    check: Authenticator
    settle: Callable[[], None]
    forget: Callable[[], None]


_authentication: Authentication | None = None


@dataclass(frozen=True)
class Page:
    """A list result: the items and the opaque cursor of the next page (or None)."""

    items: list[Any]
    next_cursor: str | None = None


@dataclass(frozen=True)
class WithHeaders:
    """A result with extra response headers (e.g. `Idempotent-Replayed`)."""

    data: Any
    headers: dict[str, str]


def set_authentication(authentication: Authentication) -> None:
    """Install the bearer-token check (the accounts domain provides it; `app.py` wires it)."""
    global _authentication
    _authentication = authentication


# ---------------------------------------------------------------------------- envelope


def _json_default(value: Any) -> Any:
    if hasattr(value, "model_dump"):  # a pydantic model
        return value.model_dump(mode="json")
    raise TypeError(f"not serializable: {type(value).__name__}")


def success(data: Any, status: int = 200, meta: dict[str, Any] | None = None) -> Response:
    body = {"success": True, "data": data, "meta": meta or {}}
    return Response(
        body=json.dumps(body, ensure_ascii=False, default=_json_default),
        status_code=status,
        headers={"Content-Type": "application/json; charset=utf-8", "X-Correlation-Id": _correlation.get()},
    )


def error_response(
    status: int,
    code: str,
    lang: str,
    *,
    params: dict[str, Any] | None = None,
    details: Any = None,
    headers: dict[str, str] | None = None,
) -> Response:
    params = dict(params or {})
    params.setdefault("correlation_id", _correlation.get())
    return Response(
        body=error_body(code, i18n.translate(code, lang, params), details),
        status_code=status,
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "X-Correlation-Id": _correlation.get(),
            "Content-Language": lang,
            **(headers or {}),
        },
    )


def _app_error_response(exc: AppError, lang: str) -> Response:
    details = exc.details
    if isinstance(details, list):
        details = [_localize_detail(d, lang) for d in details]
    return error_response(exc.status, exc.code, lang, params=exc.params, details=details, headers=exc.headers)


def _localize_detail(detail: Any, lang: str) -> Any:
    if isinstance(detail, dict) and "code" in detail and "message" not in detail:
        params = detail.get("params") or {}
        out = {
            "field": detail.get("field"),
            "code": detail["code"],
            "message": i18n.translate(detail["code"], lang, params),
        }
        # the message's parameters stay machine-readable too (`available`, `pack_size`, `min_length`…)
        out.update({k: v for k, v in params.items() if k not in out})
        return out
    return detail


def raw_body(request: Request) -> bytes:
    """The request's body as bytes (empty when there is none)."""
    raw = request.raw_body or b""
    return raw.encode() if isinstance(raw, str) else raw


# ---------------------------------------------------------------------------- request context


def client_address(headers: Any, identity: dict[str, Any]) -> str | None:
    """The address rate limits and audit entries name: the viewer's as the edge tells it
    (`core.headers.EDGE_HEADER`), else the connection's."""
    proof = headers.get(EDGE_HEADER) or ""
    viewer = (headers.get(VIEWER_HEADER) or "").strip()
    secret = edge_secret() if proof and viewer else None
    if secret and hmac.compare_digest(proof.encode(), secret.encode()):
        return viewer[:64]
    return identity.get("sourceIp") or None


def request_info(request: Request) -> RequestInfo:
    headers = request.headers
    identity = (request.context or {}).get("identity") or {}
    device = (headers.get("x-device-id") or "").strip()[:128] or None
    return RequestInfo(
        ip=client_address(headers, identity),
        user_agent=(headers.get("user-agent") or "")[:512] or None,
        device_id=device,
        lang=i18n.negotiate(headers.get("accept-language")),
        idempotency_key=headers.get("idempotency-key"),
        if_none_match=headers.get("if-none-match"),
    )


def _authenticate(request: Request, info: RequestInfo, roles: tuple[str, ...]) -> Actor:
    header = request.headers.get("authorization") or ""
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        if PUBLIC in roles:
            return anonymous(info.ip, info.user_agent, info.device_id)
        raise Unauthorized()
    if PUBLIC in roles and len(roles) == 1:
        return anonymous(info.ip, info.user_agent, info.device_id)
    if _authentication is None:
        raise RuntimeError("no authenticator installed")
    return _authentication.check(token.strip(), info, roles)


def _settle() -> None:
    if _authentication is not None:
        _authentication.settle()


def _forget() -> None:
    if _authentication is not None:
        _authentication.forget()


# ---------------------------------------------------------------------------- declaration


def endpoint(
    bp: Blueprint,
    path: str,
    method: str,
    *,
    roles: tuple[str, ...] | frozenset[str],
    summary: str,
    tag: str,
    response: type[BaseModel] | Callable[[], type[BaseModel]] | None = None,
    is_list: bool = False,
    status: int = 200,
    content_types: tuple[str, ...] = (JSON,),
    errors: tuple[int, ...] = (),
    headers: tuple[tuple[str, str], ...] = (),
    no_store: bool = False,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare a route. The handler is called as `fn(actor, **path_params, [body=], [query=], [info=])`;
    the body and the query string are parsed into the models its `body` and `query` parameters
    are annotated with. `response` is the reply's model, or a function returning it (so that a
    route module need not load its schemas to declare its routes: see `chalicelib.core.lazy`).

    `roles` lists the roles allowed (or `PUBLIC`, `ONBOARDING`). Any other role gets 403.
    """

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        spec = RouteSpec(
            path=path,
            method=method.upper(),
            roles=tuple(sorted(str(r) for r in roles)),
            summary=summary,
            tag=tag,
            handler=fn,
            response_ref=response,
            is_list=is_list,
            status=status,
            content_types=content_types,
            errors=errors,
            headers=headers,
            no_store=no_store,
        )
        REGISTRY.append(spec)
        bp.route(path, methods=[spec.method], content_types=list(content_types))(_view(bp, spec))
        return fn

    return decorate


def _view(bp: Blueprint, spec: RouteSpec) -> Callable[..., Response]:
    """The Chalice view of a declared route: every outcome in the envelope, never a bare 500."""

    @functools.wraps(spec.handler)
    def view(**path_params: str) -> Response:
        request = bp.current_request
        info = request_info(request)
        try:
            response = _reply(_call(spec, request, info, path_params), spec.status)
            if spec.no_store:
                response.headers["Cache-Control"] = "no-store"
                return response
            return _conditional(response, info.if_none_match) if spec.method == "GET" else response
        except AppError as exc:
            if exc.status >= 500:
                logger.warning("service error", extra={"code": exc.code})
            return _app_error_response(exc, info.lang)
        except Exception:
            logger.exception("unhandled error", extra={"path": spec.path, "method": spec.method})
            return error_response(500, "internal_error", info.lang)
        finally:
            _forget()

    return view


def _conditional(response: Response, if_none_match: str | None) -> Response:
    """A GET's reply carries an ETag (a digest of its body, unless the route set its own) and
    is re-validated on every use (`private, no-cache` unless the route says otherwise); a
    client that sends the ETag it holds gets `304` and no body — what a phone on 3G wants."""
    if response.status_code != 200:
        return response
    headers = response.headers
    if "ETag" not in headers:
        body = response.body if isinstance(response.body, bytes) else str(response.body).encode()
        digest = base64.urlsafe_b64encode(hashlib.sha256(body).digest()[:16]).decode().rstrip("=")
        headers["ETag"] = f'W/"{digest}"'
    headers.setdefault("Cache-Control", "private, no-cache")
    headers.setdefault("Vary", "Accept-Language, Authorization")
    held = {tag.strip() for tag in (if_none_match or "").split(",")}
    if str(headers["ETag"]) in held or "*" in held:
        kept = {k: v for k, v in headers.items() if k in ("ETag", "Cache-Control", "Vary", "X-Correlation-Id")}
        return Response(body="", status_code=304, headers=kept)
    return response


def _call(
    spec: RouteSpec,
    request: Request,
    info: RequestInfo,
    path_params: dict[str, str],
) -> Any:
    """Who is calling, the parsed input, the handler's result — the caller's session settled
    before anything is answered."""
    for name, value in path_params.items():
        if name.endswith("id") and not is_id(value):
            raise NotFound()
    actor = _authenticate(request, info, spec.roles)
    try:
        kwargs: dict[str, Any] = dict(path_params)
        if spec.body is not None:
            kwargs["body"] = inputs.parse_body(request.headers.get("content-type"), raw_body(request), spec.body)
        if spec.query is not None:
            kwargs["query"] = inputs.parse_query(request.query_params or {}, spec.query)
        if spec.wants_info:
            kwargs["info"] = info
        result = spec.handler(actor, **kwargs)
    except AppError:
        _settle()  # a session that says no outranks whatever the request got wrong
        raise
    _settle()
    return result


def _reply(result: Any, status: int) -> Response:
    if isinstance(result, Response):
        return result
    if isinstance(result, Page):
        return success(result.items, status, {"next_cursor": result.next_cursor})
    if isinstance(result, WithHeaders):
        response = _reply(result.data, status)
        response.headers.update(result.headers)
        return response
    return success(result, status)


# ---------------------------------------------------------------------------- middleware

_CHALICE_ERRORS = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "route_not_found",
    405: "method_not_allowed",
    415: "unsupported_media_type",
}


def http_middleware(event: Request, get_response: Callable[[Request], Response]) -> Response:
    """Correlation id + JSON access log + metrics flush; Chalice's own errors become envelopes."""
    incoming = (event.headers.get("x-correlation-id") or "").strip()
    request_id = (event.context or {}).get("requestId")
    correlation = incoming if _CORRELATION_RE.match(incoming) else (request_id or new_id())
    token = _correlation.set(correlation)
    logger.set_correlation_id(correlation)
    started = time.perf_counter()
    try:
        response = get_response(event)
        if response.status_code >= 400 and not _is_envelope(response.body):
            lang = i18n.negotiate(event.headers.get("accept-language"))
            code = _CHALICE_ERRORS.get(response.status_code, "internal_error")
            status = response.status_code if response.status_code in _CHALICE_ERRORS else 500
            extra = {k: str(v) for k, v in response.headers.items() if k.lower() == "allow"}
            response = error_response(status, code, lang, headers=extra)
        response.headers.setdefault("X-Correlation-Id", correlation)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        logger.info(
            "request",
            extra={
                "method": event.method,
                "path": (event.context or {}).get("resourcePath") or event.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        return response
    finally:
        try:
            if metrics.metric_set:  # only requests that counted something emit EMF
                metrics.flush_metrics()
        finally:
            _correlation.reset(token)


def _is_envelope(body: Any) -> bool:
    if isinstance(body, dict):
        return "success" in body
    if isinstance(body, bytes):
        return body[:20].lstrip().startswith(b'{"success"')
    if isinstance(body, str):
        return body[:20].lstrip().startswith('{"success"')
    return False


__all__ = ["FORM", "JSON", "ONBOARDING", "PUBLIC", "Page", "RequestInfo", "WithHeaders", "endpoint"]
