"""cdk-nag (AwsSolutions) acknowledgements: each one names the finding and says why.

The README lists them. cdk-nag does not inspect the Chalice SAM resources (functions, their
roles, the REST API); `tests/infra` checks those by hand.
"""

from __future__ import annotations

import aws_cdk as cdk
from constructs import Construct

from livrili_infra.malware import MANAGED_RULE

ACKNOWLEDGED: list[tuple[str, str]] = [
    (
        "AwsSolutions-L1",
        "CDK's helper functions (bucket notifications, auto-delete) pick their own runtime; ours run Python 3.11.",
    ),
    (
        "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
        "CDK's helper functions (bucket notifications, auto-delete of dev buckets) use the AWS managed basic "
        "execution role; Livrili's own functions have their own roles.",
    ),
    (
        "AwsSolutions-IAM5[Resource::arn:*:logs:*:*:*]",
        "Chalice's base policy of each function (.chalice/policy-base.json): writing its own log group, whose "
        "name is only known at deploy time.",
    ),
    (
        "AwsSolutions-SMG4",
        "The JWT signing key is rotated by hand with a planned redeploy: automatic rotation would log every "
        "user out at an arbitrary moment.",
    ),
    (
        "AwsSolutions-CFR1",
        "Both distributions serve Algerian shops and drivers (the apps, the API, public product images); "
        "no geo restriction is wanted: a roaming phone must still reach its orders.",
    ),
    (
        "AwsSolutions-CFR2",
        "Images CDN only: public product images, read-only and cached, a WAF protects nothing there. The web "
        "CDN (apps and API) has its web ACL (livrili-<stage>-edge, us-east-1).",
    ),
    (
        "AwsSolutions-CFR4",
        "The default CloudFront domain is used until a custom domain is bought; its certificate is "
        "CloudFront's own (TLS 1.2 minimum is set for custom domains).",
    ),
    (
        "AwsSolutions-CFR7",
        "The origin does use an origin access control: it is set by a property override (storage.py) because "
        "CDK's helper would grant the CDN the whole bucket; the bucket policy grants catalog/images/* only.",
    ),
    ("AwsSolutions-S1", "The access-log bucket itself: logging it into itself would loop."),
    ("AwsSolutions-SQS3", "This queue is the notifications' dead-letter queue; a DLQ needs no DLQ of its own."),
]

OBJECT_PREFIXES = ("retailers/", "invoices/", "catalog/uploads/", "catalog/images/", "catalog/search/")


def scoped_grants(stack: cdk.Stack, table: Construct, bucket: Construct) -> list[tuple[str, str]]:
    """The wildcards of our own grants, one acknowledgment each (cdk-nag 3 wants them granular)."""
    table_arn = f"<{stack.get_logical_id(table.node.default_child)}.Arn>"  # type: ignore[arg-type]
    bucket_arn = f"<{stack.get_logical_id(bucket.node.default_child)}.Arn>"  # type: ignore[arg-type]
    return [
        (
            f"AwsSolutions-IAM5[Resource::{table_arn}/index/*]",
            "Queries through the table's own GSIs, which IAM names table/index/<name>.",
        ),
        *(
            (
                f"AwsSolutions-IAM5[Resource::{bucket_arn}/{prefix}*]",
                f"Objects under {prefix} only: the keys are per retailer, product or invoice, made at run time.",
            )
            for prefix in OBJECT_PREFIXES
        ),
        (
            f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:events:{stack.region}:<AWS::AccountId>:rule/{MANAGED_RULE}]",
            "GuardDuty Malware Protection manages its own EventBridge rule, whose name it suffixes itself; the "
            "grant is limited to that name and to rules GuardDuty manages.",
        ),
    ]


def acknowledge(stack: cdk.Stack, table: Construct, bucket: Construct) -> None:
    rules = ACKNOWLEDGED + scoped_grants(stack, table, bucket)
    cdk.Validations.of(stack).acknowledge(
        *(cdk.Acknowledgment(id=f"AwsSolutions::{finding}", reason=reason) for finding, reason in rules)
    )
