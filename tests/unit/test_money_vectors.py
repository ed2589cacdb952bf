"""The mobile app shows the stamp duty and the totals before the server decides, with a port of
these rules (web/shared/money.ts); both are checked against the same vectors, so the two can
never disagree unseen (web/tests/money.test.ts reads the same file)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chalicelib.credit.rules import stamp_duty
from chalicelib.orders.rules import totals

VECTORS = json.loads((Path(__file__).resolve().parents[2] / "web" / "shared" / "money.vectors.json").read_text())


@pytest.mark.parametrize(("amount", "duty"), VECTORS["stamp_duty"])
def test_stamp_duty_vectors(amount: int, duty: int) -> None:
    assert stamp_duty(amount) == duty


@pytest.mark.parametrize("row", VECTORS["totals"])
def test_totals_vectors(row: dict[str, object]) -> None:
    lines = [(line["quantity"], line["unit_price"], line["vat_rate"]) for line in row["lines"]]  # type: ignore[attr-defined]
    got = totals(lines)
    assert (got.subtotal, got.vat_total, got.total) == (row["subtotal"], row["vat_total"], row["total"])
