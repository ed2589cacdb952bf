"""Make moto's DynamoDB behave like DynamoDB under concurrency (local stack and tests only).

moto 5.2 has two problems with concurrent TransactWriteItems, both seen here with parallel
orders over HTTP:

* it deep-copies the **whole table** once per action as a rollback backup, so a 10-action
  transaction copies the table 10 times (seconds once the demo data is in), and the copy
  fails with "dictionary changed size during iteration" when another thread writes;
* a cancelled transaction restores that table copy, silently erasing every write other
  threads made in the meantime (lost orders, lost stock moves).

`apply()` serializes DynamoDB requests in the moto process (DynamoDB itself is atomic per
item and per transaction) and backs up only the items a transaction touches, restoring just
those when it is cancelled. Nothing here ships to Lambda.
"""

from __future__ import annotations

import copy
import threading
import types
from typing import Any

_LOCK = threading.RLock()
_APPLIED = False


def _touched(backend: Any, transact_items: list[dict[str, Any]]) -> list[tuple[Any, Any, Any, Any]]:
    """(table, hash value, range value, deep copy of the current item or None) per action."""
    backups = []
    for entry in transact_items:
        _, op = next(iter(entry.items()))
        table = backend.get_table(op["TableName"])
        key = op.get("Key")
        if key is None:
            attrs = op["Item"]
            key = {table.hash_key_attr: attrs[table.hash_key_attr]}
            if table.range_key_attr is not None:
                key[table.range_key_attr] = attrs[table.range_key_attr]
        hash_value, range_value = backend.get_keys_value(table, key)
        current = table.get_item(hash_value, range_value)
        backups.append((table, hash_value, range_value, copy.deepcopy(current)))
    return backups


def _restore(backups: list[tuple[Any, Any, Any, Any]]) -> None:
    for table, hash_value, range_value, item in reversed(backups):
        if item is None:
            table.delete_item(hash_value, range_value)
        elif range_value:
            table.items[hash_value][range_value] = item
        else:
            table.items[hash_value] = item


def apply() -> None:
    """Patch moto's DynamoDB backend and request handler (idempotent)."""
    global _APPLIED
    if _APPLIED:
        return
    from moto.dynamodb import models as ddb_models
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.table import Table
    from moto.dynamodb.responses import DynamoHandler

    real_copy = ddb_models.copy

    def _deepcopy(value: Any, memo: Any = None) -> Any:
        # the whole-table backup becomes a no-op; `_touched` keeps what is needed
        return value if isinstance(value, Table) else real_copy.deepcopy(value, memo)

    ddb_models.copy = types.SimpleNamespace(deepcopy=_deepcopy, copy=real_copy.copy)  # type: ignore[assignment]
    original_transact = DynamoDBBackend.transact_write_items

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        with _LOCK:
            backups = _touched(self, transact_items) if len(transact_items) <= 100 else []
            try:
                original_transact(self, transact_items)
            except Exception:
                _restore(backups)
                raise

    DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]
    original_call = DynamoHandler.call_action

    def call_action(self: Any) -> Any:
        with _LOCK:
            return original_call(self)

    DynamoHandler.call_action = call_action  # type: ignore[method-assign]
    _APPLIED = True
