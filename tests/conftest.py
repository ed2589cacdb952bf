"""Test environment: set before any chalicelib import (models read the table name at import)."""

import os

os.environ.update(
    {
        "LIVRILI_STAGE": "test",
        "LIVRILI_TABLE_NAME": "livrili-test",
        "LIVRILI_BUCKET_NAME": "livrili-test-files",
        "LIVRILI_NOTIFICATION_QUEUE": "livrili-test-notifications",
        "LIVRILI_DEAD_LETTER_QUEUE": "livrili-test-notifications-dlq",
        "LIVRILI_JWT_SECRET": "test-secret-that-is-long-enough-for-hs256-0123456789",
        "LIVRILI_VAPID_SECRET": "test-vapid-secret-that-is-long-enough-0123456789",
        "LIVRILI_EDGE_SECRET": "test-edge-secret-that-is-long-enough-0123",
        "LIVRILI_ARGON2_TIME_COST": "1",
        "LIVRILI_ARGON2_MEMORY_KIB": "1024",
        "AWS_DEFAULT_REGION": "eu-west-3",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "POWERTOOLS_METRICS_NAMESPACE": "Livrili",
        "POWERTOOLS_METRICS_DISABLED": "true",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
        "LIVRILI_SELLER_NAME": "LIVRILI SARL",
        "LIVRILI_SELLER_NAME_AR": "ليفريلي ش.ذ.م.م",
        "LIVRILI_SELLER_ADDRESS": "Cité 5 Juillet, Bab Ezzouar, 16042 Alger",
        "LIVRILI_SELLER_RC": "16/00-1234567B24",
        "LIVRILI_SELLER_NIF": "002416123456789",
        "LIVRILI_SELLER_NIS": "002416010012345",
        "LIVRILI_SELLER_AI": "16012345678",
    }
)
os.environ.pop("AWS_ENDPOINT_URL", None)
os.environ.pop("AWS_PROFILE", None)


from scripts import moto_patches

moto_patches.apply()  # moto copies the whole table per transaction action otherwise


def pytest_sessionstart(session: object) -> None:
    """A tally left by an earlier run must not be printed as this one's."""
    import shutil

    from tests.fuzz.conftest import TALLY

    if not hasattr(getattr(session, "config", None), "workerinput"):  # the main process only
        shutil.rmtree(TALLY, ignore_errors=True)


def pytest_terminal_summary(terminalreporter: object) -> None:
    """The numbers of the Schemathesis run (tests/fuzz), added up over the workers that ran it."""
    import json
    from collections import Counter

    from tests.fuzz.conftest import TALLY

    parts = [json.loads(f.read_text()) for f in sorted(TALLY.glob("*.json"))] if TALLY.exists() else []
    if not parts:
        return
    operations = {op for part in parts for op in part["operations"]}
    total = Counter({k: sum(part[k] for part in parts) for k in ("cases", "server_errors", "outside_envelope")})
    statuses = sum((Counter(part["statuses"]) for part in parts), Counter())
    write_sep, write_line = terminalreporter.write_sep, terminalreporter.write_line  # type: ignore[attr-defined]
    write_sep("-", "Schemathesis over the OpenAPI document")
    write_line(
        f"{len(operations)} operations, {total['cases']} requests as admin, owner, buyer, driver and anonymous: "
        f"{total['server_errors']} server errors, {total['outside_envelope']} replies outside the envelope; "
        f"statuses {dict(sorted(statuses.items()))}"
    )
