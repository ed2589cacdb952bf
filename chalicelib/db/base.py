"""The single Livrili table: one base model, overloaded GSIs, the table definition.

Every item type is a PynamoDB subclass of :class:`Item` (polymorphic on the ``type``
attribute). The GSIs are declared here, on the base model, and nowhere else: the local
stack, the tests and ``infra/`` all create the table from :func:`table_definition`.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from pynamodb.attributes import (
    DiscriminatorAttribute,
    NumberAttribute,
    UnicodeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.core import config
from chalicelib.core.errors import NotFound

TTL_ATTRIBUTE = "expires_at"
M = TypeVar("M", bound="Item")


class _Gsi(GlobalSecondaryIndex[Any]):
    """Base for the overloaded GSIs: every attribute projected (the discriminator too)."""

    class Meta:
        projection = AllProjection()
        abstract = True


class Gsi1(_Gsi):
    class Meta(_Gsi.Meta):
        index_name = "GSI1"

    GSI1PK = UnicodeAttribute(hash_key=True)
    GSI1SK = UnicodeAttribute(range_key=True)


class Gsi2(_Gsi):
    class Meta(_Gsi.Meta):
        index_name = "GSI2"

    GSI2PK = UnicodeAttribute(hash_key=True)
    GSI2SK = UnicodeAttribute(range_key=True)


class Gsi3(_Gsi):
    class Meta(_Gsi.Meta):
        index_name = "GSI3"

    GSI3PK = UnicodeAttribute(hash_key=True)
    GSI3SK = UnicodeAttribute(range_key=True)


class Gsi4(_Gsi):
    class Meta(_Gsi.Meta):
        index_name = "GSI4"

    GSI4PK = UnicodeAttribute(hash_key=True)
    GSI4SK = UnicodeAttribute(range_key=True)


class Item(Model):
    """Base of every item in the table."""

    class Meta:
        table_name = config.table_name()
        region = config.region()
        billing_mode = "PAY_PER_REQUEST"

    PK = UnicodeAttribute(hash_key=True)
    SK = UnicodeAttribute(range_key=True)
    type = DiscriminatorAttribute()
    GSI1PK = UnicodeAttribute(null=True)
    GSI1SK = UnicodeAttribute(null=True)
    GSI2PK = UnicodeAttribute(null=True)
    GSI2SK = UnicodeAttribute(null=True)
    GSI3PK = UnicodeAttribute(null=True)
    GSI3SK = UnicodeAttribute(null=True)
    GSI4PK = UnicodeAttribute(null=True)
    GSI4SK = UnicodeAttribute(null=True)
    expires_at = NumberAttribute(null=True)

    gsi1 = Gsi1()
    gsi2 = Gsi2()
    gsi3 = Gsi3()
    gsi4 = Gsi4()


Key = tuple[str, str]


@dataclass
class Rider:
    """A read a request owes before it may act (its session), carried by the request's next
    BatchGetItem instead of a call of its own. `settle` gets the item (or None) and raises
    when it does not allow the request."""

    key: Key
    settle: Callable[[Item | None], None]
    settled: bool = False


_riders: ContextVar[list[Rider] | None] = ContextVar("riders", default=None)


# calls without side effects: they may run before the request's riders are settled (their
# answers reach nobody until the HTTP edge has settled them); any other call waits for them
_READS = frozenset({"GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems", "DescribeTable"})


def _before_call(model: Any = None, **_: Any) -> None:
    if getattr(model, "name", None) not in _READS:
        settle_riders()  # nothing is written for a request until its session has said yes


_HOOKED: weakref.WeakSet[Any] = weakref.WeakSet()


def _hooked_client() -> Any:
    client = Item._get_connection().connection.client
    if client not in _HOOKED:
        client.meta.events.register("before-call.dynamodb", _before_call)
        _HOOKED.add(client)
    return client


def ride(key: Key, settle: Callable[[Item | None], None]) -> None:
    """Owe the read of `key` for this request: it joins the request's next `read_many`. A
    write (or any call that is not a read) settles it first, with a read of its own, and so
    does :func:`settle_riders`, which the HTTP edge calls before it replies or fails."""
    _hooked_client()
    riders = _riders.get()
    if riders is None:
        riders = []
        _riders.set(riders)
    riders.append(Rider(key, settle))


def _unsettled() -> list[Rider]:
    riders = [r for r in _riders.get() or () if not r.settled]
    for rider in riders:
        rider.settled = True  # before the read: the read's own call must not settle them again
    return riders


def _settle(riders: list[Rider], found: dict[Key, Item]) -> None:
    for rider in riders:
        rider.settle(found.get(rider.key))


def settle_riders() -> None:
    """Read and settle what this request still owes (nothing when it is settled already)."""
    riders = _unsettled()
    if riders:
        found = {(i.PK, i.SK): i for i in Item.batch_get([r.key for r in riders], consistent_read=True)}
        _settle(riders, found)


def forget_riders() -> None:
    """End of a request: nothing owed any more (the next request starts clean)."""
    _riders.set(None)


def read_many(keys: list[Key]) -> dict[Key, Item]:
    """Items by (PK, SK), read consistently in one BatchGetItem (missing keys are absent).

    What the request owes (its session) rides along in the same call and is settled before
    anything is returned."""
    riders = _unsettled()
    wanted = list(dict.fromkeys([*keys, *(r.key for r in riders)]))
    found = {(item.PK, item.SK): item for item in Item.batch_get(wanted, consistent_read=True)}
    _settle(riders, found)
    asked = set(keys)
    return {key: item for key, item in found.items() if key in asked}


def table_definition() -> dict[str, Any]:
    """The CreateTable shape of the table, derived from the PynamoDB model.

    Returned in the DynamoDB API's own casing (``KeySchema``, ``GlobalSecondaryIndexes``…)
    so boto3 (local stack, tests) and CDK (``infra/``) consume the same definition.
    """
    schema = Item._get_schema()
    return {
        "AttributeDefinitions": schema["attribute_definitions"],
        "KeySchema": schema["key_schema"],
        "GlobalSecondaryIndexes": [
            {
                "IndexName": g["index_name"],
                "KeySchema": g["key_schema"],
                "Projection": g["projection"],
            }
            for g in sorted(schema["global_secondary_indexes"], key=lambda g: g["index_name"])
        ],
        "BillingMode": "PAY_PER_REQUEST",
        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
        "TimeToLiveAttribute": TTL_ATTRIBUTE,
    }


def read_one(model: type[M], key: Key) -> M | None:
    """One item of `model`, read consistently (None when absent): a BatchGetItem of one key,
    so that what the request owes (its session) rides along instead of a call of its own."""
    item = read_many([key]).get(key)
    return item if isinstance(item, model) else None


def get_one(model: type[M], key: Key) -> M:
    """`read_one`, or 404 when the item does not exist."""
    item = read_one(model, key)
    if item is None:
        raise NotFound()
    return item
