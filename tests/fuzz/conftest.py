"""The property-based run over the OpenAPI document: one demo stack of its own (it writes
whatever the generator invents), a token of each role, and the tally it prints at the end."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import DEMO_ADMIN, devstack, login

TALLY = Path(__file__).resolve().parents[2] / "artifacts" / "schemathesis.json"
DEMO_PASSWORD = "demo-pass-2026"
USERS = {"admin": DEMO_ADMIN, "owner": ("karim.baraka", DEMO_PASSWORD), "buyer": ("yacine.baraka", DEMO_PASSWORD)}
USERS["driver"] = ("driver.mourad", DEMO_PASSWORD)


@dataclass
class FuzzStack:
    base: str
    tokens: dict[str, str]  # role -> access token


@pytest.fixture(scope="module")
def fuzz_stack() -> Iterator[FuzzStack]:
    with devstack(DEMO_ADMIN, demo=True) as url:
        yield FuzzStack(url, {role: login(url, *user) for role, user in USERS.items()})


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The run's numbers (written by the worker that ran it), on the main process's report."""
    if not TALLY.exists():
        return
    tally = json.loads(TALLY.read_text())
    terminalreporter.write_sep("-", "Schemathesis over the OpenAPI document")
    terminalreporter.write_line(
        f"{tally['operations']} operations, {tally['cases']} requests as {', '.join(tally['roles'])}: "
        f"{tally['server_errors']} server errors, {tally['outside_envelope']} replies outside the envelope; "
        f"statuses {tally['statuses']}"
    )
