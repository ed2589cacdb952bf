"""The single Livrili table: one base model, overloaded GSIs, the table definition.

Every item type is a PynamoDB subclass of :class:`Item` (polymorphic on the ``type``
attribute). The GSIs are declared here, on the base model, and nowhere else: the local
stack, the tests and ``infra/`` all create the table from :func:`table_definition`.
"""

from __future__ import annotations

import os
from typing import Any

from pynamodb.attributes import (
    DiscriminatorAttribute,
    NumberAttribute,
    UnicodeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

TTL_ATTRIBUTE = "expires_at"


def table_name() -> str:
    """The table name for this process (set per stage in `.chalice/config.json`)."""
    return os.environ.get("LIVRILI_TABLE_NAME", "livrili-local")


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


class Item(Model):
    """Base of every item in the table."""

    class Meta:
        table_name = table_name()
        region = os.environ.get("AWS_DEFAULT_REGION", "eu-west-3")
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
    expires_at = NumberAttribute(null=True)

    gsi1 = Gsi1()
    gsi2 = Gsi2()
    gsi3 = Gsi3()


def read_many(keys: list[tuple[str, str]]) -> dict[tuple[str, str], Item]:
    """Items by (PK, SK), read consistently in one BatchGetItem (missing keys are absent)."""
    return {(item.PK, item.SK): item for item in Item.batch_get(keys, consistent_read=True)}


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
