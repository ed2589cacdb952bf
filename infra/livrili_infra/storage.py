"""The files bucket (documents, product images, invoices, the search snapshot) and the CDN
that serves product images — and nothing else."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from constructs import Construct

IMAGES_PREFIX = "catalog/images/"
UPLOADS_PREFIX = "catalog/uploads/"
DOCUMENTS_PREFIX = "retailers/"  # registration documents (chalicelib.accounts.document_check.PREFIX)


class Storage(Construct):
    def __init__(
        self, scope: Construct, construct_id: str, *, prefix: str, cors_origins: tuple[str, ...], retain: bool
    ) -> None:
        super().__init__(scope, construct_id)
        removal = cdk.RemovalPolicy.RETAIN if retain else cdk.RemovalPolicy.DESTROY
        self.access_logs = s3.Bucket(
            self,
            "AccessLogs",
            bucket_name=f"{prefix}-access-logs-{cdk.Aws.ACCOUNT_ID}",
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,  # CloudFront standard logs need ACLs
            lifecycle_rules=[s3.LifecycleRule(expiration=cdk.Duration.days(90))],
            removal_policy=removal,
            auto_delete_objects=not retain,
        )
        self.bucket = s3.Bucket(
            self,
            "Files",
            bucket_name=f"{prefix}-files-{cdk.Aws.ACCOUNT_ID}",
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            versioned=True,
            server_access_logs_bucket=self.access_logs,
            server_access_logs_prefix="files/",
            cors=[
                s3.CorsRule(
                    # presigned POST uploads (documents, images) and downloads from the portals
                    allowed_methods=[s3.HttpMethods.POST, s3.HttpMethods.GET],
                    allowed_origins=list(cors_origins),
                    allowed_headers=["*"],
                    max_age=3000,
                )
            ],
            lifecycle_rules=[
                s3.LifecycleRule(abort_incomplete_multipart_upload_after=cdk.Duration.days(1)),
                s3.LifecycleRule(noncurrent_version_expiration=cdk.Duration.days(30)),
                # originals are checked and re-encoded by the image function; rejects are deleted
                s3.LifecycleRule(prefix=UPLOADS_PREFIX, expiration=cdk.Duration.days(7)),
            ],
            removal_policy=removal,
            auto_delete_objects=not retain,
        )
        access = cloudfront.S3OriginAccessControl(self, "ImagesAccess", signing=cloudfront.Signing.SIGV4_ALWAYS)
        # a plain S3 origin, signed with the access control below: CDK's OAC helper would grant
        # the CDN every object; the bucket policy here grants product images only
        origin = origins.S3BucketOrigin.with_bucket_defaults(self.bucket)
        self.cdn = cloudfront.Distribution(
            self,
            "ImagesCdn",
            comment=f"{prefix} product images",
            default_behavior=cloudfront.BehaviorOptions(
                origin=origin,
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
                allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD,
            ),
            minimum_protocol_version=cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
            enable_logging=True,
            log_bucket=self.access_logs,
            log_file_prefix="cdn/",
            price_class=cloudfront.PriceClass.PRICE_CLASS_100,
        )
        cfn = self.cdn.node.default_child
        cfn.add_property_override("DistributionConfig.Origins.0.OriginAccessControlId", access.origin_access_control_id)
        cfn.add_property_override("DistributionConfig.Origins.0.S3OriginConfig.OriginAccessIdentity", "")
        # the CDN may read product images only: documents, invoices and uploads stay private
        self.bucket.add_to_resource_policy(
            iam.PolicyStatement(
                sid="CdnReadsProductImagesOnly",
                actions=["s3:GetObject"],
                principals=[iam.ServicePrincipal("cloudfront.amazonaws.com")],
                resources=[self.bucket.arn_for_objects(f"{IMAGES_PREFIX}*")],
                conditions={
                    "StringEquals": {
                        "AWS:SourceArn": f"arn:{cdk.Aws.PARTITION}:cloudfront::{cdk.Aws.ACCOUNT_ID}:distribution/"
                        f"{self.cdn.distribution_id}"
                    }
                },
            )
        )

    @property
    def cdn_base_url(self) -> str:
        return f"https://{self.cdn.distribution_domain_name}"
