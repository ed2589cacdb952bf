"""One stack per stage: table, messaging, storage, API (with its functions and schedules),
monitoring."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aws_cdk as cdk
from constructs import Construct

from livrili_infra.api import (
    API_HANDLER,
    DIGEST_FUNCTION,
    IMAGE_FUNCTION,
    RELAY_FUNCTION,
    REMINDER_FUNCTION,
    SEARCH_FUNCTION,
    WORKER_FUNCTION,
    Api,
)
from livrili_infra.messaging import Messaging
from livrili_infra.monitoring import Monitoring
from livrili_infra.nag import acknowledge
from livrili_infra.settings import StageSettings
from livrili_infra.storage import Storage
from livrili_infra.table import DataTable
from livrili_infra.web import WebHosting

WEB_DIST = Path(__file__).resolve().parents[2] / "web" / "dist"


def _built_inline() -> dict[str, list[str]]:
    """The web build's inline hashes (its CSP): the stack is synthesized after `make web`."""
    from chalicelib.core.headers import built_inline

    dist = WEB_DIST
    inline = built_inline(dist)
    if not inline:
        raise RuntimeError(f"{dist} has no build (.vite/csp.json): run `make web` before synthesizing")
    return inline


class LivriliStack(cdk.Stack):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        settings: StageSettings,
        source_dir: Path,
        web_acl_arn: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        retain = settings.retain_data
        self.data = DataTable(self, "Data", table_name=settings.prefix, retain=retain)
        self.messaging = Messaging(self, "Messaging", prefix=settings.prefix)
        self.storage = Storage(
            self, "Storage", prefix=settings.prefix, cors_origins=settings.cors_origins, retain=retain
        )
        self.api = Api(
            self,
            "Api",
            settings=settings,
            source_dir=source_dir,
            table=self.data.table,
            bucket=self.storage.bucket,
            cdn_base_url=self.storage.cdn_base_url,
            notifications=self.messaging.notifications,
            dead_letters=self.messaging.dead_letters,
        )
        self.monitoring = Monitoring(
            self,
            "Monitoring",
            prefix=settings.prefix,
            api_name=self.api.api_name,
            stage_name="v1",
            functions={
                "Api": self.api.function_name(API_HANDLER),
                "ImageFunction": self.api.function_name(IMAGE_FUNCTION),
                "SearchRebuild": self.api.function_name(SEARCH_FUNCTION),
                "NotificationWorker": self.api.function_name(WORKER_FUNCTION),
                "OutboxRelay": self.api.function_name(RELAY_FUNCTION),
                "CreditReminders": self.api.function_name(REMINDER_FUNCTION),
                "LowStockDigest": self.api.function_name(DIGEST_FUNCTION),
            },
            table=self.data.table,
            dead_letters=self.messaging.dead_letters,
            alarm_email=settings.alarm_email,
        )
        rest_api = self.api.chalice.get_resource("RestAPI")
        from chalicelib.core.storage import bucket_origin

        self.web = WebHosting(
            self,
            "Web",
            prefix=settings.prefix,
            retain=retain,
            access_logs=self.storage.access_logs,
            api_domain=f"{rest_api.ref}.execute-api.{self.region}.amazonaws.com",
            api_stage="v1",
            edge_secret=self.api.edge_secret.secret_value.unsafe_unwrap(),
            web_acl_arn=web_acl_arn,
            # images from the CDN; uploads (presigned POST) to the bucket's regional host, as
            # core.storage has boto3 sign them
            file_origins=(
                self.storage.cdn_base_url,
                bucket_origin(self.storage.bucket.bucket_name, self.region, cdk.Aws.URL_SUFFIX),
            ),
            inline=_built_inline(),
        )
        cdk.CfnOutput(self, "WebUrl", value=self.web.url)
        cdk.CfnOutput(self, "WebBucket", value=self.web.bucket.bucket_name)
        cdk.CfnOutput(self, "WebDistributionId", value=self.web.distribution.distribution_id)
        cdk.CfnOutput(
            self,
            "ApiUrl",
            value=f"https://{self.api.chalice.get_resource('RestAPI').ref}.execute-api.{self.region}.amazonaws.com/v1/",
        )
        cdk.CfnOutput(self, "CdnUrl", value=self.storage.cdn_base_url)
        cdk.CfnOutput(self, "TableName", value=self.data.table.table_name)
        acknowledge(self, self.data.table, self.storage.bucket)
