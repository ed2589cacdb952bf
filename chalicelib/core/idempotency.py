"""Idempotent POSTs (orders, payments): Powertools idempotency, stored in the single table.

A request carries an `Idempotency-Key` header. The first request with a key runs and its
result (a small JSON dict, e.g. the new order's id) is kept for a day under
PK=IDEMPOTENCY; a retry with the same key and the same body gets that result back
without running again; the same key with a different body is refused (422). A retry that
arrives while the first is still running waits for it (a few seconds) instead of failing.
The key is scoped by the caller (the operation and the shop or user), so two shops cannot
collide or read each other's results.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from chalicelib.core.config import settings
from chalicelib.core.errors import BadRequest, Conflict, ValidationFailed
from chalicelib.db import keys
from chalicelib.db.base import TTL_ATTRIBUTE

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
_KEY_RE = re.compile(r"^[\x21-\x7e]{8,128}$")
RESULT_TTL = 24 * 3600
WAIT_SECONDS = 8.0
_KEY_PREFIX = "livrili"


def check_key(value: str | None) -> str:
    """The header's value, or 400 when it is missing or malformed (8-128 printable ASCII)."""
    key = (value or "").strip()
    if not key:
        raise BadRequest("idempotency_key_required")
    if not _KEY_RE.match(key):
        raise BadRequest("idempotency_key_invalid")
    return key


@lru_cache(maxsize=1)
def _persistence() -> Any:
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

    from chalicelib.db.base import Item

    return DynamoDBPersistenceLayer(
        table_name=settings().table_name,
        # the table's own botocore client: no second boto3 session, one connection pool
        boto3_client=Item._get_connection().connection.client,
        key_attr="PK",
        sort_key_attr="SK",
        static_pk_value=keys.IDEMPOTENCY,
        expiry_attr=TTL_ATTRIBUTE,
    )


def reset() -> None:
    """Forget the persistence layer (tests switch AWS mocks between cases)."""
    _persistence.cache_clear()


def run_once(
    scope: str,
    key: str,
    payload: dict[str, Any],
    fn: Callable[[], dict[str, Any]],
    lambda_context: Any = None,
) -> tuple[dict[str, Any], bool]:
    """Run `fn` once per `(scope, key)`; return `(result, replayed)`.

    `payload` is the canonical request body: the same key with another payload is a 422.
    An error raised by `fn` is not remembered, so the client may retry the same key.
    """
    from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig, idempotent_function
    from aws_lambda_powertools.utilities.idempotency.exceptions import (
        IdempotencyAlreadyInProgressError,
        IdempotencyValidationError,
    )

    ran = False

    def execute(request: dict[str, Any]) -> dict[str, Any]:
        nonlocal ran
        ran = True
        return fn()

    context = lambda_context if hasattr(lambda_context, "get_remaining_time_in_millis") else None
    config = IdempotencyConfig(
        event_key_jmespath="key",
        payload_validation_jmespath="payload",
        raise_on_no_idempotency_key=True,
        expires_after_seconds=RESULT_TTL,
        lambda_context=context,
    )
    guarded = idempotent_function(
        execute,
        data_keyword_argument="request",
        persistence_store=_persistence(),
        config=config,
        key_prefix=_KEY_PREFIX,
    )
    request = {"key": f"{scope}|{key}", "payload": payload}
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        try:
            result: dict[str, Any] = guarded(request=request)
            return result, not ran
        except IdempotencyValidationError as exc:
            raise ValidationFailed(
                "idempotency_key_reused", details=[{"field": HEADER, "code": "idempotency_key_reused"}]
            ) from exc
        except IdempotencyAlreadyInProgressError as exc:
            if time.monotonic() > deadline:
                raise Conflict("request_in_progress", headers={"Retry-After": "2"}) from exc
            time.sleep(0.05)


def create_once(
    scope: str,
    key: str | None,
    payload: dict[str, Any],
    create: Callable[[], Any],
    identify: Callable[[Any], dict[str, Any]],
    reload: Callable[[dict[str, Any]], Any],
    lambda_context: Any = None,
) -> tuple[Any, dict[str, str]]:
    """Create something once per Idempotency-Key: `(the thing, response headers)`.

    The first request runs `create` and remembers `identify(thing)` (its id); a replay gets
    `reload(id)`. The headers say which (`Idempotent-Replayed: true|false`).
    """
    made: list[Any] = []

    def run() -> dict[str, Any]:
        made.append(create())
        return identify(made[0])

    result, replayed = run_once(scope, check_key(key), payload, run, lambda_context)
    thing = made[0] if made else reload(result)
    return thing, {REPLAYED_HEADER: "true" if replayed else "false"}
