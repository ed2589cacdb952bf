"""Credit rules without I/O: stamp duty, who may buy on credit, cash at the door, allocation."""

from __future__ import annotations

from typing import Any

from chalicelib.core.errors import field_error


def stamp_duty(centimes: int) -> int:
    """Droit de timbre on a cash payment (2025 finance law), in centimes.

    Nothing up to 300 DA. Above, per 100 DA or fraction of 100 DA: 1 DA up to 30,000 DA,
    1.5 DA up to 100,000 DA, 2 DA above; never less than 5 DA. The rate follows the
    bracket of the whole amount (it is not marginal).
    """
    if centimes <= 300_00:
        return 0
    brackets = -(-centimes // 100_00)  # 100 DA slices, a started slice counts
    if centimes <= 30_000_00:
        per_bracket = 100
    elif centimes <= 100_000_00:
        per_bracket = 150
    else:
        per_bracket = 200
    return max(brackets * per_bracket, 5_00)


def allocate(remaining: list[int], amount: int) -> list[int]:
    """Oldest due first: the part of `amount` each receivable takes, for the leading ones
    until `amount` is spent (`remaining` is what each still owes, oldest first)."""
    left = amount
    parts = []
    for owed in remaining:
        if left == 0:
            break
        part = min(owed, left)
        parts.append(part)
        left -= part
    return parts


def refusal(has_account: bool, credit_limit: int, available: int, total: int) -> dict[str, Any] | None:
    """Why an order of `total` cannot be bought on credit (the reason the shop reads), or None."""
    if not has_account or credit_limit <= 0:
        return {"field": "payment_method", "code": "credit_not_available"}
    if available < total:
        return {"field": "payment_method", "code": "credit_limit_exceeded", "params": {"available": max(available, 0)}}
    return None


def check_cash_collected(cash: int, total: int) -> None:
    """The cash taken at the door pays for what was delivered, never more (400 otherwise)."""
    if cash > total:
        raise field_error("cash_collected", "cash_exceeds_total", total=total)
