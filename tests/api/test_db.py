"""Table definition and transactions that name what failed."""

from __future__ import annotations

import boto3
import pytest

from chalicelib.accounts.models import PhoneClaim, UsernameClaim
from chalicelib.db.base import table_definition
from chalicelib.db.tx import TxCancelled, transaction


def test_table_matches_definition(aws):
    described = boto3.client("dynamodb", region_name="eu-west-3").describe_table(TableName="livrili-test")["Table"]
    spec = table_definition()
    assert described["KeySchema"] == spec["KeySchema"]
    assert sorted(g["IndexName"] for g in described["GlobalSecondaryIndexes"]) == ["GSI1", "GSI2", "GSI3", "GSI4"]
    ttl = boto3.client("dynamodb", region_name="eu-west-3").describe_time_to_live(TableName="livrili-test")
    assert ttl["TimeToLiveDescription"]["AttributeName"] == "expires_at"


def test_cancelled_transaction_names_the_failed_operation_whatever_the_order(aws):
    PhoneClaim(PK="PHONE#+213661000000", SK="PHONE", user_id="u0").save()
    with pytest.raises(TxCancelled) as caught, transaction() as tx:
        tx.create(UsernameClaim(PK="USERNAME#fresh", SK="USERNAME", user_id="u1"), label="username")
        tx.create(PhoneClaim(PK="PHONE#+213661000000", SK="PHONE", user_id="u1"), label="phone")
    assert caught.value.failed == ["phone"]
    # nothing of the cancelled transaction was written
    with pytest.raises(UsernameClaim.DoesNotExist):
        UsernameClaim.get("USERNAME#fresh", "USERNAME")
