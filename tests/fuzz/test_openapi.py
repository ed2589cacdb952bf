"""A property-based run over the whole OpenAPI document (Schemathesis): every operation, with
inputs generated from its schema, as each role it allows (admin, owner, buyer, driver, and
anonymously where it is public), over HTTP against a local stack of its own. No input may get
a 5xx, and every error — every JSON reply — is the envelope. The numbers are printed at the
end of `make test` (tests/fuzz/conftest.py)."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings

import app  # noqa: F401 (every route registered: the document lists them all)
from chalicelib.core.openapi import build_document
from tests.fuzz.conftest import TALLY, FuzzStack

EXAMPLES = 8  # per operation; each example is sent once per role the operation allows
# logging out would end the very sessions the run uses (the logout routes have their own tests)
schema = schemathesis.openapi.from_dict(build_document()).exclude(path_regex=r"^/v1/auth/logout")
RESULTS: Counter[str] = Counter()
STATUSES: Counter[int] = Counter()
OPERATIONS: set[str] = set()


def _callers(roles: list[str], stack: FuzzStack) -> list[tuple[str, dict[str, str]]]:
    callers = [(role, {"Authorization": f"Bearer {stack.tokens[role]}"}) for role in roles if role in stack.tokens]
    return [*callers, *([("anonymous", {})] if "public" in roles else [])]


def _is_envelope(body: Any) -> bool:
    if not isinstance(body, dict) or not isinstance(body.get("success"), bool):
        return False
    if body["success"]:
        return "data" in body
    error = body.get("error")
    return isinstance(error, dict) and isinstance(error.get("code"), str) and isinstance(error.get("message"), str)


@pytest.fixture(scope="module", autouse=True)
def tally(worker_id: str) -> Any:
    """This process's share of the run (xdist spreads the operations over its workers)."""
    yield
    TALLY.mkdir(parents=True, exist_ok=True)
    (TALLY / f"{worker_id}.json").write_text(
        json.dumps(
            {
                "operations": sorted(OPERATIONS),
                "cases": RESULTS["cases"],
                "server_errors": RESULTS["server_errors"],
                "outside_envelope": RESULTS["outside_envelope"],
                "statuses": dict(sorted(STATUSES.items())),
            }
        )
    )


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_input_gets_a_server_error_or_a_reply_outside_the_envelope(case: Any, fuzz_stack: FuzzStack) -> None:
    operation = case.operation
    OPERATIONS.add(f"{operation.method.upper()} {operation.path}")
    for role, headers in _callers(list(operation.definition.raw.get("x-roles") or []), fuzz_stack):
        response = case.call(base_url=fuzz_stack.base, headers=headers, timeout=15)
        RESULTS["cases"] += 1
        STATUSES[response.status_code] += 1
        where = f"{operation.method.upper()} {case.formatted_path} as {role} -> {response.status_code}"
        if response.status_code >= 500:
            RESULTS["server_errors"] += 1
        assert response.status_code < 500, f"{where}: {response.text[:500]}"
        kind = response.headers.get("Content-Type", [""])
        kind = kind[0] if isinstance(kind, list) else kind
        if response.status_code >= 400 or (kind.startswith("application/json") and operation.path != "/openapi.json"):
            try:
                body = json.loads(response.content or b"null")
            except ValueError:
                body = None
            if not _is_envelope(body):
                RESULTS["outside_envelope"] += 1
            assert _is_envelope(body), f"{where}: not the envelope: {response.text[:500]}"
