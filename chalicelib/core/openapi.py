"""The route registry and the OpenAPI 3.1 document generated from it.

Every route is declared once, with its roles and pydantic models, through
`chalicelib.core.routes.endpoint`; that declaration feeds both Chalice and this document.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from chalicelib.core.rbac import ONBOARDING, PUBLIC

if TYPE_CHECKING:
    from pydantic import BaseModel
    from pydantic.json_schema import JsonSchemaMode


@dataclass(frozen=True)
class RouteSpec:
    """A declared route. Its body and query models are the annotations of the handler's `body`
    and `query` parameters, and its reply model is resolved on first use, not at import."""

    path: str
    method: str
    roles: tuple[str, ...]
    summary: str
    tag: str
    handler: Callable[..., Any]
    # the reply model, or a function returning it: declaring a route must not load its schemas
    # module (see `chalicelib.core.lazy`)
    response_ref: type[BaseModel] | Callable[[], type[BaseModel]] | None = None
    is_list: bool = False
    status: int = 200
    content_types: tuple[str, ...] = ("application/json",)
    errors: tuple[int, ...] = field(default_factory=tuple)
    headers: tuple[tuple[str, str], ...] = ()
    no_store: bool = False  # the reply carries tokens or personal data: never kept by any cache

    @cached_property
    def body(self) -> type[BaseModel] | None:
        return self._parameters.get("body")

    @cached_property
    def query(self) -> type[BaseModel] | None:
        return self._parameters.get("query")

    @property
    def wants_info(self) -> bool:
        """Whether the handler takes the request's `info` (every parameter is annotated: mypy)."""
        return "info" in self.handler.__annotations__

    @cached_property
    def response(self) -> type[BaseModel] | None:
        ref = self.response_ref
        return ref if ref is None or isinstance(ref, type) else ref()

    @cached_property
    def _parameters(self) -> dict[str, Any]:
        """The handler's annotations, evaluated once, when the route is first used."""
        return typing.get_type_hints(self.handler)


REGISTRY: list[RouteSpec] = []

_PATH_PARAM = re.compile(r"{(\w+)}")

_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["success", "error"],
    "properties": {
        "success": {"const": False},
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "examples": ["validation_error"]},
                "message": {"type": "string"},
                "details": {},
            },
        },
    },
}

_ERROR_TEXT = {
    400: "Malformed request (bad JSON, bad cursor)",
    401: "Missing, invalid or expired token; at login, wrong credentials or a second factor to send "
    "(`authenticator_code_required`, `login_code_sent`: send the login again with `code`)",
    403: "Role not allowed",
    404: "Not found (also: another retailer's resource)",
    409: "Conflict (uniqueness, concurrent change, state)",
    413: "Body larger than 64 KB (`payload_too_large`)",
    415: "Body not sent with the route's content type (`unsupported_media_type`)",
    422: "Validation error; `details` names each field",
    429: "Too many attempts from this address or for this account (`too_many_attempts`); `Retry-After` says when",
    500: "Internal error; the message carries a correlation id",
}


def build_document(version: str = "1.0.0") -> dict[str, Any]:
    """The whole OpenAPI 3.1 document for the registered routes."""
    from pydantic.json_schema import models_json_schema

    models: dict[str, type[BaseModel]] = {}
    for spec in REGISTRY:
        for model in (spec.body, spec.response):
            if model is not None:
                models[model.__name__] = model
    mode: JsonSchemaMode = "validation"
    pairs: list[tuple[type[BaseModel], JsonSchemaMode]] = [(m, mode) for m in models.values()]
    ref_map, defs = models_json_schema(pairs, ref_template="#/components/schemas/{model}")
    schemas: dict[str, Any] = dict(defs.get("$defs", {}))
    schemas["Error"] = _ERROR_SCHEMA

    paths: dict[str, dict[str, Any]] = {}
    for spec in sorted(REGISTRY, key=lambda s: (s.path, s.method)):
        paths.setdefault(spec.path, {})[spec.method.lower()] = _operation(spec, ref_map, schemas)

    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Livrili API",
            "version": version,
            "description": (
                "B2B ordering, credit and cash on delivery for Algerian retailers. "
                "Every reply is an envelope: `{success, data, meta}` or "
                "`{success: false, error: {code, message, details}}`. Money is integer "
                "centimes of DZD. Messages follow `Accept-Language` (ar, fr, en)."
            ),
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
            },
        },
    }


def _ref(model: type[BaseModel] | None, ref_map: dict[Any, Any]) -> dict[str, Any]:
    if model is None:
        return {}
    result: dict[str, Any] = ref_map[(model, "validation")]
    return result


def _operation(spec: RouteSpec, ref_map: dict[Any, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    roles = list(spec.roles)
    op: dict[str, Any] = {
        "summary": spec.summary,
        "tags": [spec.tag],
        "operationId": f"{spec.method.lower()}_{re.sub(r'[^a-z0-9]+', '_', spec.path.lower()).strip('_')}",
        "x-roles": roles,
        "description": f"Roles: {', '.join(roles)}.",
        "parameters": _parameters(spec, schemas),
        "responses": {
            str(spec.status): {
                "description": "Success",
                "content": {"application/json": {"schema": _success(spec, ref_map)}},
            },
            **_errors(spec),
        },
    }
    if PUBLIC not in spec.roles:
        op["security"] = [{"bearer": []}]
    elif len(spec.roles) == 1:
        op["security"] = []
    if ONBOARDING in spec.roles:
        op["description"] += " The onboarding token returned at registration is accepted until the shop is reviewed"
        " (then 403 `onboarding_closed`: its owner signs in)."
    if spec.body is not None:
        op["requestBody"] = {
            "required": True,
            "content": {ct: {"schema": _ref(spec.body, ref_map)} for ct in spec.content_types},
        }
    elif spec.content_types != ("application/json",):  # a provider's own fields (Twilio's), signed
        fields = {"type": "object", "additionalProperties": {"type": "string"}}
        op["requestBody"] = {"required": True, "content": {ct: {"schema": fields} for ct in spec.content_types}}
    return op


def _success(spec: RouteSpec, ref_map: dict[Any, Any]) -> dict[str, Any]:
    """The success envelope around the route's data (an array of them for a list)."""
    data_schema: dict[str, Any] = _ref(spec.response, ref_map) or {"type": "object"}
    if spec.is_list:
        data_schema = {"type": "array", "items": data_schema}
    return {
        "type": "object",
        "required": ["success", "data"],
        "properties": {
            "success": {"const": True},
            "data": data_schema,
            "meta": {"type": "object", "properties": {"next_cursor": {"type": ["string", "null"]}}},
        },
    }


def _parameters(spec: RouteSpec, schemas: dict[str, Any]) -> list[dict[str, Any]]:
    """Path ids, the query model's fields, the declared headers, Accept-Language."""
    params: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in _PATH_PARAM.findall(spec.path)
    ]
    if spec.query is not None:
        query_schema = spec.query.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(query_schema.pop("$defs", {}))
        required = set(query_schema.get("required", []))
        for name, prop in query_schema.get("properties", {}).items():
            param: dict[str, Any] = {
                "name": name,
                "in": "query",
                "required": name in required,
                "schema": {k: v for k, v in prop.items() if k != "title"},
            }
            if "description" in prop:
                param["description"] = prop["description"]
            params.append(param)
    for name, description in spec.headers:
        mandatory = description.startswith("Required")
        params.append(
            {
                "name": name,
                "in": "header",
                "required": mandatory,
                "description": description,
                "schema": {"type": "string"},
            }
        )
    languages = {"type": "string", "examples": ["ar", "fr", "en"]}
    params.append({"name": "Accept-Language", "in": "header", "required": False, "schema": languages})
    return params


def _errors(spec: RouteSpec) -> dict[str, Any]:
    """Every error status the route can answer, each in the error envelope."""
    codes = {400, 500} | set(spec.errors)
    if spec.body is not None or spec.query is not None:
        codes.add(422)
    if spec.method in ("POST", "PUT", "PATCH"):
        codes |= {413, 415}
    if PUBLIC not in spec.roles:
        codes |= {401, 403}
    if _PATH_PARAM.search(spec.path):
        codes.add(404)
    envelope = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    answers: dict[str, Any] = {
        str(code): {"description": _ERROR_TEXT.get(code, "Error"), "content": envelope} for code in sorted(codes)
    }
    if spec.method == "GET" and not spec.no_store:  # every cacheable GET has an ETag
        answers["304"] = {"description": "Not modified: `If-None-Match` held the current ETag (no body)"}
    return answers
