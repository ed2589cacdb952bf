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
from aws_cdk import aws_sqs as sqs
from chalice.cdk import Chalice
from constructs import Construct

from chalicelib.core.errors import GATEWAY_RESPONSES, gateway_body
from chalicelib.core.headers import SECURITY_HEADERS
from livrili_infra.malware import MalwareProtection
from livrili_infra.settings import StageSettings
from livrili_infra.storage import DOCUMENTS_PREFIX, IMAGES_PREFIX, UPLOADS_PREFIX

API_HANDLER, IMAGE_FUNCTION, SEARCH_FUNCTION = "APIHandler", "ProcessProductImage", "RebuildSearchIndex"
WORKER_FUNCTION, RELAY_FUNCTION, REMINDER_FUNCTION = "SendNotifications", "RelayOutbox", "SendCreditReminders"
DIGEST_FUNCTION, DOCUMENT_FUNCTION = "LowStockDigest", "CheckDocument"
FUNCTIONS = (
    API_HANDLER,
    IMAGE_FUNCTION,
    DOCUMENT_FUNCTION,
    SEARCH_FUNCTION,
    WORKER_FUNCTION,
    RELAY_FUNCTION,
    REMINDER_FUNCTION,
    DIGEST_FUNCTION,
)
# each function has its own role: a base policy (its logs) from .chalice, the rest granted below
ROLES = {
    API_HANDLER: "ApiHandlerRole",
    IMAGE_FUNCTION: "ProcessProductImageRole",
    DOCUMENT_FUNCTION: "CheckDocumentRole",
    SEARCH_FUNCTION: "RebuildSearchIndexRole",
    WORKER_FUNCTION: "SendNotificationsRole",
    RELAY_FUNCTION: "RelayOutboxRole",
    REMINDER_FUNCTION: "SendCreditRemindersRole",
    DIGEST_FUNCTION: "LowStockDigestRole",
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
        notifications: sqs.Queue,
        dead_letters: sqs.Queue,
    ) -> None:
        super().__init__(scope, construct_id)

        def generated(logical_id: str, name: str, description: str, length: int = 64) -> secretsmanager.Secret:
            """A secret CloudFormation generates (its value is never in the template)."""
            return secretsmanager.Secret(
                self,
                logical_id,
                secret_name=f"livrili/{settings.stage}/{name}",
                description=description,
                generate_secret_string=secretsmanager.SecretStringGenerator(
                    password_length=length, exclude_punctuation=True
                ),
            )

        self.jwt_secret = generated(
            "JwtSigningKey",
            "jwt-signing-key",
            "HS256 signing key of Livrili's access tokens (read at runtime, cached 5 min)",
        )
        self.vapid_secret = generated(
            "VapidSecret",
            "vapid",
            "Web Push: the stage's VAPID key pair is derived from this value (rotating it makes "
            "every browser subscribe again)",
        )
        self.edge_secret = generated(
            "EdgeSecret",
            "edge",
            "CloudFront sends it to the API with each request (an origin header): only then does "
            "the API believe the viewer address CloudFront writes (rate limits, audit)",
            length=48,
        )
        self.twilio_secret = secretsmanager.Secret(
            self,
            "TwilioCredentials",
            secret_name=f"livrili/{settings.stage}/twilio",
            description='Twilio {"account_sid", "auth_token"}: fill in the account SID and token; '
            "while account_sid is empty, messages are recorded, not sent",
            generate_secret_string=secretsmanager.SecretStringGenerator(
                secret_string_template=json.dumps({"account_sid": ""}), generate_string_key="auth_token"
            ),
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
                    "LIVRILI_VAPID_SECRET_NAME": self.vapid_secret.secret_name,
                    "LIVRILI_EDGE_SECRET_NAME": self.edge_secret.secret_name,
                    "LIVRILI_CDN_BASE_URL": cdn_base_url,
                    "LIVRILI_NOTIFICATION_QUEUE": notifications.queue_name,
                    "LIVRILI_DEAD_LETTER_QUEUE": dead_letters.queue_name,
                    "LIVRILI_TWILIO_SECRET_NAME": self.twilio_secret.secret_name,
                    "LIVRILI_SMS_FROM": settings.sms_from,
                    "LIVRILI_WHATSAPP_FROM": settings.whatsapp_from,
                    "LIVRILI_WHATSAPP_TEMPLATES": json.dumps(settings.whatsapp_templates),
                    "LIVRILI_ESCALATION_PHONES": ",".join(settings.escalation_phones),
                    # the URL Twilio signs its webhooks with, and where it reports delivery statuses
                    "LIVRILI_PUBLIC_BASE_URL": settings.public_base_url,
                    "LIVRILI_TWILIO_STATUS_CALLBACK": f"{settings.public_base_url}/v1/webhooks/twilio/status"
                    if settings.public_base_url
                    else "",
                },
            },
        )
        self._grant(table, bucket)
        self._wire_notifications(notifications)
        # the admins' health check reads how many messages died
        self.chalice.get_role(ROLES[API_HANDLER]).add_to_principal_policy(
            iam.PolicyStatement(
                actions=["sqs:GetQueueUrl", "sqs:GetQueueAttributes"], resources=[dead_letters.queue_arn]
            )
        )
        self._wire_uploads(bucket)
        if settings.malware_scan:
            check = self.chalice.get_function(DOCUMENT_FUNCTION)
            MalwareProtection(self, "Malware", bucket=bucket, prefix=DOCUMENTS_PREFIX, check=check)
            # the check then waits for GuardDuty's clean verdict before it accepts a document
            self.chalice.get_resource(DOCUMENT_FUNCTION).add_property_override(
                "Environment.Variables.LIVRILI_MALWARE_SCAN", "guardduty"
            )
        self._stage_settings(settings)

    def function_name(self, logical_id: str) -> str:
        return self.chalice.get_resource(logical_id).ref

    def _grant(self, table: dynamodb.Table, bucket: s3.Bucket) -> None:
        api, images, documents, search, worker, relay, reminders, digest = (
            self.chalice.get_role(ROLES[f]) for f in FUNCTIONS
        )
        for role in (api, images, documents, worker, relay, reminders, digest):
            table.grant_read_write_data(role)
        table.grant_read_data(search)
        self.jwt_secret.grant_read(api)
        self.edge_secret.grant_read(api)
        self.vapid_secret.grant_read(api)  # the public key route
        self.vapid_secret.grant_read(worker)  # signing the pushes

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
        # the document check reads each upload and GuardDuty's verdict tag, and deletes what it refuses
        objects(documents, ["s3:GetObject", "s3:GetObjectTagging", "s3:DeleteObject"], DOCUMENTS_PREFIX)
        objects(images, ["s3:PutObject"], IMAGES_PREFIX)
        objects(search, ["s3:GetObject", "s3:PutObject"], SEARCH_PREFIX)

    def _wire_notifications(self, queue: sqs.Queue) -> None:
        """Whoever emits events may send to the queue (after commit, and the relay); the worker
        consumes it, reports partial batch failures, and reads the Twilio secret."""
        for function in (API_HANDLER, IMAGE_FUNCTION, RELAY_FUNCTION, REMINDER_FUNCTION, DIGEST_FUNCTION):
            role = self.chalice.get_role(ROLES[function])
            queue.grant_send_messages(role)
            role.add_to_principal_policy(iam.PolicyStatement(actions=["sqs:GetQueueUrl"], resources=[queue.queue_arn]))
        worker_role = self.chalice.get_role(ROLES[WORKER_FUNCTION])
        queue.grant_consume_messages(worker_role)
        self.twilio_secret.grant_read(worker_role)
        worker = self.chalice.get_resource(WORKER_FUNCTION)
        source = f"Events.{WORKER_FUNCTION}SqsEventSource.Properties"
        # Chalice resolves the queue by the name it saw when packaging, and cannot ask Lambda to
        # honour `batchItemFailures` (STACK-NOTES): both are set here
        worker.add_property_override(f"{source}.Queue", queue.queue_arn)
        worker.add_property_override(f"{source}.FunctionResponseTypes", ["ReportBatchItemFailures"])

    def _wire_uploads(self, bucket: s3.Bucket) -> None:
        """S3 runs the image function on every product image upload and the document check on
        every registration document (Chalice cannot package `on_s3_event`)."""
        permissions = []
        for name, prefix, logical in (
            (IMAGE_FUNCTION, UPLOADS_PREFIX, "S3InvokesImageFunction"),
            (DOCUMENT_FUNCTION, DOCUMENTS_PREFIX, "S3InvokesDocumentCheck"),
        ):
            function = self.chalice.get_function(name)
            permissions.append(
                lambda_.CfnPermission(
                    self,
                    logical,
                    action="lambda:InvokeFunction",
                    function_name=function.function_arn,
                    principal="s3.amazonaws.com",
                    source_arn=bucket.bucket_arn,
                    source_account=bucket.stack.account,
                )
            )
            bucket.add_event_notification(
                s3.EventType.OBJECT_CREATED, s3n.LambdaDestination(function), s3.NotificationKeyFilter(prefix=prefix)
            )
        for child in bucket.node.children:
            if child.node.id == "Notifications":
                child.node.add_dependency(*permissions)

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
                    "ResponseParameters": {
                        "Headers": {
                            "Content-Type": "'application/json'",
                            **{k: f"'{v}'" for k, v in SECURITY_HEADERS.items()},
                        }
                    },
                    "ResponseTemplates": {"application/json": gateway_body(kind)},
                }
                for kind, (status, _, _) in GATEWAY_RESPONSES.items()
            },
        )
