"""Helpers shared by every service that updates items: snapshots, SET/REMOVE actions,
mirroring a committed update locally, and turning a cancelled transaction into a 409."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pynamodb.expressions.update import Action

from chalicelib.core.errors import Conflict, field_conflict
from chalicelib.db.base import Item
from chalicelib.db.tx import TxCancelled


def snapshot(item: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    """The named attributes of an item, as a plain dict (audit before/after, change sets)."""
    return {name: getattr(item, name) for name in fields}


def set_actions(model: type[Item], before: dict[str, Any], after: dict[str, Any]) -> list[Action]:
    """Update actions for the fields whose value differs (None removes the attribute)."""
    actions = []
    for name, value in after.items():
        if name in before and before[name] == value:
            continue
        attribute = getattr(model, name)
        actions.append(attribute.remove() if value is None else attribute.set(value))
    return actions


def apply(item: Item, values: dict[str, Any]) -> None:
    """Mirror a committed update on the local item (the version was bumped by PynamoDB)."""
    for name, value in values.items():
        setattr(item, name, value)


def conflict_from(exc: TxCancelled, mapping: Mapping[str, tuple[str, str | None]]) -> Conflict:
    """The 409 of the first failed labelled condition: `{label: (code, field or None)}`."""
    for label in exc.failed:
        if label in mapping:
            code, field = mapping[label]
            return field_conflict(field, code) if field else Conflict(code)
    return Conflict()


def typed(model: type[Item]) -> Action:
    """SET the discriminator: an item first written by an UpdateItem (counters, sequences)
    needs its `type`, or polymorphic reads and queries would not recognise it."""
    return model.type.set(model)
