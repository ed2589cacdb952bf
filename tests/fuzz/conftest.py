"""The property-based run over the OpenAPI document: one demo stack of its own (it writes
whatever the generator invents) and a token of each role. Its tally is printed by
`tests/conftest.py` (the main process adds up what each worker wrote)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e.conftest import DEMO_ADMIN, devstack, login

TALLY = Path(__file__).resolve().parents[2] / "artifacts" / "schemathesis"  # a file per process
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
