"""The Chalice application (API + event functions), its configuration, permissions and the
API Gateway stage settings Chalice itself cannot express."""

from __future__ import annotations

import json
from pathlib import Path

from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_notifications as s3n
from aws_cdk import aws_secretsmanager as secretsmanager
from chalice.cdk import Chalice
from constructs import Construct

from chalicelib.core.errors import GATEWAY_RESPONSES, gateway_body
from livrili_infra.settings import StageSettings
from livrili_infra.storage import IMAGES_PREFIX, UPLOADS_PREFIX

API_HANDLER, IMAGE_FUNCTION, SEARCH_FUNCTION = "APIHandler", "ProcessProductImage", "RebuildSearchIndex"
# each function has its own role: a base policy (its logs) from .chalice, the rest granted below
ROLES = {
    API_HANDLER: "ApiHandlerRole",
    IMAGE_FUNCTION: "ProcessProductImageRole",
    SEARCH_FUNCTION: "RebuildSearchIndexRole",
}
SEARCH_PREFIX = "catalog/search/"


class Api(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        settings: StageSettings,
        source_dir: Path,
        table: dynamodb.Table,
        bucket: s3.Bucket,
        cdn_base_url: str,
    ) -> None:
        super().__init__(scope, construct_id)
        self.jwt_secret = secretsmanager.Secret(
            self,
            "JwtSigningKey",
            secret_name=f"livrili/{settings.stage}/jwt-signing-key",
            description="HS256 signing key of Livrili's access tokens (read at runtime, cached 5 min)",
            generate_secret_string=secretsmanager.SecretStringGenerator(password_length=64, exclude_punctuation=True),
        )
        self.api_name = f"{settings.prefix}-api"
        self.chalice = Chalice(
            self,
            "App",
            source_dir=str(source_dir),
            stage_config={
                "api_gateway_stage": "v1",
                "autogen_policy": False,
                "iam_policy_file": "policy-base.json",
                "environment_variables": {
                    "LIVRILI_STAGE": settings.stage,
                    "LIVRILI_TABLE_NAME": table.table_name,
                    "LIVRILI_BUCKET_NAME": bucket.bucket_name,
                    "LIVRILI_JWT_SECRET_NAME": self.jwt_secret.secret_name,
                    "LIVRILI_CDN_BASE_URL": cdn_base_url,
                },
            },
        )
        self._grant(table, bucket)
        self._wire_image_uploads(bucket)
        self._stage_settings(settings)

    def function_name(self, logical_id: str) -> str:
        return self.chalice.get_resource(logical_id).ref

    def _grant(self, table: dynamodb.Table, bucket: s3.Bucket) -> None:
        api, images, search = (self.chalice.get_role(ROLES[f]) for f in (API_HANDLER, IMAGE_FUNCTION, SEARCH_FUNCTION))
        table.grant_read_write_data(api)
        table.grant_read_write_data(images)
        table.grant_read_data(search)
        self.jwt_secret.grant_read(api)

        def objects(role: iam.IRole, actions: list[str], *prefixes: str) -> None:
            role.add_to_principal_policy(
                iam.PolicyStatement(actions=actions, resources=[bucket.arn_for_objects(f"{p}*") for p in prefixes])
            )

        # the API signs upload forms (documents, images) and download links, reads/writes the
        # search snapshot and invoices, deletes product images
        objects(api, ["s3:PutObject", "s3:GetObject"], "retailers/", "invoices/", UPLOADS_PREFIX, SEARCH_PREFIX)
        objects(api, ["s3:GetObject", "s3:DeleteObject"], IMAGES_PREFIX)
        api.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["s3:ListBucket"],
                resources=[bucket.bucket_arn],
                conditions={"StringLike": {"s3:prefix": ["retailers/*", IMAGES_PREFIX + "*"]}},
            )
        )
        objects(images, ["s3:GetObject", "s3:DeleteObject"], UPLOADS_PREFIX)
        objects(images, ["s3:PutObject"], IMAGES_PREFIX)
        objects(search, ["s3:GetObject", "s3:PutObject"], SEARCH_PREFIX)

    def _wire_image_uploads(self, bucket: s3.Bucket) -> None:
        """S3 runs the image function on every upload (Chalice cannot package `on_s3_event`)."""
        function = self.chalice.get_function(IMAGE_FUNCTION)
        permission = lambda_.CfnPermission(
            self,
            "S3InvokesImageFunction",
            action="lambda:InvokeFunction",
            function_name=function.function_arn,
            principal="s3.amazonaws.com",
            source_arn=bucket.bucket_arn,
            source_account=bucket.stack.account,
        )
        bucket.add_event_notification(
            s3.EventType.OBJECT_CREATED,
            s3n.LambdaDestination(function),
            s3.NotificationKeyFilter(prefix=UPLOADS_PREFIX),
        )
        for child in bucket.node.children:
            if child.node.id == "Notifications":
                child.node.add_dependency(permission)

    def _stage_settings(self, settings: StageSettings) -> None:
        """Throttling, access logs, metrics and the envelope for API Gateway's own answers."""
        self.access_logs = logs.LogGroup(
            self,
            "AccessLogs",
            log_group_name=f"/livrili/{settings.stage}/api-access",
            retention=logs.RetentionDays.ONE_YEAR,
        )
        rest_api = self.chalice.get_resource("RestAPI")
        rest_api.add_property_override("Name", self.api_name)
        rest_api.add_property_override(
            "MethodSettings",
            [
                {
                    "ResourcePath": "/*",
                    "HttpMethod": "*",
                    "ThrottlingRateLimit": settings.throttle_rate,
                    "ThrottlingBurstLimit": settings.throttle_burst,
                    "MetricsEnabled": True,
                }
            ],
        )
        access_format = {
            "requestId": "$context.requestId",
            "ip": "$context.identity.sourceIp",
            "method": "$context.httpMethod",
            "path": "$context.resourcePath",
            "status": "$context.status",
            "latencyMs": "$context.responseLatency",
            "requestTime": "$context.requestTime",
        }
        rest_api.add_property_override(
            "AccessLogSetting",
            {"DestinationArn": self.access_logs.log_group_arn, "Format": json.dumps(access_format)},
        )
        rest_api.add_property_override(
            "GatewayResponses",
            {
                kind: {
                    "StatusCode": str(status),
                    "ResponseParameters": {"Headers": {"Content-Type": "'application/json'"}},
                    "ResponseTemplates": {"application/json": gateway_body(kind)},
                }
                for kind, (status, _, _) in GATEWAY_RESPONSES.items()
            },
        )
