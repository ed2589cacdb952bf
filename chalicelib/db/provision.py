"""Create the table (and, locally, the bucket) from the one definition in `db/base.py`.

Used by the local stack and the tests; `infra/` builds the same table from
`table_definition()` for real deployments.
"""

from __future__ import annotations

from typing import Any

import boto3

from chalicelib.db.base import table_definition


def create_table(name: str, region: str) -> None:
    """Create the table with its GSIs, streams and TTL (idempotent)."""
    client = boto3.client("dynamodb", region_name=region)
    spec: dict[str, Any] = dict(table_definition())
    # No stream on the moto table: nothing local reads it, and moto keeps every stream record
    # on the table and deep-copies the table for each transaction action (3x slower demo load).
    # `infra/` creates the real table with the stream from the same definition.
    spec.pop("StreamSpecification")
    ttl_attribute = spec.pop("TimeToLiveAttribute")
    if name in client.list_tables()["TableNames"]:
        return
    client.create_table(TableName=name, **spec)
    client.get_waiter("table_exists").wait(TableName=name)
    client.update_time_to_live(
        TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl_attribute}
    )


def create_bucket(name: str, region: str) -> None:
    """Create the private files bucket (idempotent)."""
    client = boto3.client("s3", region_name=region)
    existing = {b["Name"] for b in client.list_buckets().get("Buckets", [])}
    if name in existing:
        return
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})


def create_queue(name: str, region: str) -> str:
    """Create a queue (idempotent); returns its URL. `infra/` creates the real ones with a DLQ."""
    client = boto3.client("sqs", region_name=region)
    url: str = client.create_queue(QueueName=name)["QueueUrl"]
    return url
