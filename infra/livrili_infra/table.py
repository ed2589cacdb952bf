"""The single DynamoDB table, built from the code's own definition (`table_definition()`)."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_dynamodb as dynamodb
from constructs import Construct

from chalicelib.db.base import table_definition

_TYPES = {"S": dynamodb.AttributeType.STRING, "N": dynamodb.AttributeType.NUMBER, "B": dynamodb.AttributeType.BINARY}


def _key(definition: dict[str, Any], key_schema: list[dict[str, str]], role: str) -> dynamodb.Attribute:
    name = next(k["AttributeName"] for k in key_schema if k["KeyType"] == role)
    types = {a["AttributeName"]: a["AttributeType"] for a in definition["AttributeDefinitions"]}
    return dynamodb.Attribute(name=name, type=_TYPES[types[name]])


class DataTable(Construct):
    """On-demand, PITR, TTL, streams; deletion protection and RETAIN where data is kept."""

    def __init__(self, scope: Construct, construct_id: str, *, table_name: str, retain: bool) -> None:
        super().__init__(scope, construct_id)
        definition = table_definition()
        self.table = dynamodb.Table(
            self,
            "Table",
            table_name=table_name,
            partition_key=_key(definition, definition["KeySchema"], "HASH"),
            sort_key=_key(definition, definition["KeySchema"], "RANGE"),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            time_to_live_attribute=definition["TimeToLiveAttribute"],
            stream=dynamodb.StreamViewType[definition["StreamSpecification"]["StreamViewType"]],
            deletion_protection=retain,
            removal_policy=cdk.RemovalPolicy.RETAIN if retain else cdk.RemovalPolicy.DESTROY,
        )
        for index in definition["GlobalSecondaryIndexes"]:
            self.table.add_global_secondary_index(
                index_name=index["IndexName"],
                partition_key=_key(definition, index["KeySchema"], "HASH"),
                sort_key=_key(definition, index["KeySchema"], "RANGE"),
                projection_type=dynamodb.ProjectionType[index["Projection"]["ProjectionType"]],
            )
