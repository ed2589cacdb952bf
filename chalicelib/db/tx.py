"""Transactions that say which operation failed.

PynamoDB sends a TransactWriteItems in its own grouping order (condition checks, deletes,
puts, updates) and DynamoDB reports cancellation reasons in that order, not in the order
the operations were added. :class:`Tx` labels each operation and maps the reasons back.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from pynamodb.connection import Connection
from pynamodb.exceptions import TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from chalicelib.db.base import Item

MAX_ACTIONS = 100
# a change is stamped (its id, its updated_at) just before its transaction commits: a reader
# that follows changes in stamp order shows only those older than this, so one that commits a
# moment late is never skipped (the change feed, the catalog delta sync)
SETTLE = timedelta(seconds=3)


class TxCancelled(Exception):
    """The transaction was cancelled; `failed` lists the labels whose condition failed."""

    def __init__(self, failed: list[str], reasons: list[str]) -> None:
        self.failed = failed
        self.reasons = reasons
        super().__init__(f"transaction cancelled: {failed or reasons}")


def _connection() -> Connection:
    return Item._get_connection().connection


class Tx:
    """A write transaction collecting labelled operations."""

    def __init__(self) -> None:
        self._inner = TransactWrite(connection=_connection())
        self._labels: dict[str, list[str]] = {"check": [], "delete": [], "put": [], "update": []}
        self._after_commit: list[Callable[[], object]] = []

    def __len__(self) -> int:
        return sum(len(v) for v in self._labels.values())

    def put(self, item: Item, condition: Condition | None = None, *, label: str = "put") -> None:
        self._inner.save(item, condition=condition)
        self._labels["put"].append(label)

    def create(self, item: Item, *, label: str = "create") -> None:
        """Put an item that must not exist yet (claims, new entities)."""
        self.put(item, Item.PK.does_not_exist(), label=label)

    def update(
        self,
        item: Item,
        actions: Sequence[Action],
        condition: Condition | None = None,
        *,
        label: str = "update",
        add_version_condition: bool = True,
    ) -> None:
        self._inner.update(item, list(actions), condition=condition, add_version_condition=add_version_condition)
        self._labels["update"].append(label)

    def delete(self, item: Item, condition: Condition | None = None, *, label: str = "delete") -> None:
        self._inner.delete(item, condition=condition, add_version_condition=False)
        self._labels["delete"].append(label)

    def check(
        self, model: type[Item], hash_key: str, range_key: str, condition: Condition, *, label: str = "check"
    ) -> None:
        self._inner.condition_check(model, hash_key, range_key, condition=condition)
        self._labels["check"].append(label)

    def after_commit(self, fn: Callable[[], object]) -> None:
        """Run `fn` once the transaction has committed (never if it is cancelled)."""
        self._after_commit.append(fn)

    def commit(self) -> None:
        if len(self) > MAX_ACTIONS:
            raise ValueError(f"a transaction holds at most {MAX_ACTIONS} actions")
        if len(self) == 0:
            return
        ordered = self._labels["check"] + self._labels["delete"] + self._labels["put"] + self._labels["update"]
        try:
            with self._inner:
                pass
        except TransactWriteError as exc:
            reasons: list[Any] = list(exc.cancellation_reasons or [])
            failed = [
                label
                for label, reason in zip(ordered, reasons, strict=False)
                if reason is not None and getattr(reason, "code", None) == "ConditionalCheckFailed"
            ]
            codes = [getattr(r, "code", "") or "" for r in reasons if r is not None]
            if not failed and not codes:
                raise
            raise TxCancelled(failed, codes) from exc
        for fn in self._after_commit:
            fn()


def backoff(attempt: int) -> None:
    """Wait a jittered, growing moment before retrying a cancelled transaction (10 ms, 20 ms…
    up to 320 ms), so writers racing for the same items do not collide again in step."""
    time.sleep(random.uniform(0, 0.01 * 2 ** min(attempt, 5)))  # noqa: S311 - jitter, not crypto


@contextmanager
def transaction() -> Iterator[Tx]:
    """`with transaction() as tx: tx.put(...)` — commits on exit, raises TxCancelled."""
    tx = Tx()
    yield tx
    tx.commit()
