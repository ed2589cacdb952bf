"""The web apps' hosting, one origin as users see it: CloudFront serves the built apps from a
private bucket (origin access control) and forwards the API's paths to API Gateway, so the apps
need no CORS. Security headers come from `chalicelib.core.headers` (the same definition the
local server of `make run` uses); files carry their own Cache-Control, set when a build is
uploaded (`scripts/deploy_web.py`, `make deploy`). The policy carries the hashes of the build's
inline boot script and CSS (`web/dist/.vite/csp.json`): synthesize after `make web`, and
deploy the stack with each build (`make deploy` does both)."""

from __future__ import annotations

import re

import aws_cdk as cdk
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_s3 as s3
from constructs import Construct

from chalicelib.core.headers import API_PATHS, EDGE_HEADER, VIEWER_HEADER, Inline, web_headers

# app routes (no file extension) are the single-page app: index.html; files are served as they are
SPA_FALLBACK = """
function handler(event) {
  var request = event.request;
  var last = request.uri.split('/').pop();
  if (last.indexOf('.') === -1) {
    var admin = request.uri.indexOf('/admin/') === 0 || request.uri === '/admin';
    request.uri = admin ? '/admin/index.html' : '/index.html';
  }
  return request;
}
"""


# the viewer's own address for the API (API Gateway sees CloudFront's): over whatever the viewer
# sent, and believed by the API only with the edge's secret origin header beside it
VIEWER_ADDRESS = """
function handler(event) {
  var request = event.request;
  request.headers['VIEWER'] = { value: event.viewer.ip };
  return request;
}
""".replace("VIEWER", VIEWER_HEADER)


def _enum_name(value: str) -> str:
    return value.upper().replace("-", "_")


def response_headers(
    scope: Construct, file_origins: tuple[str, ...], inline: Inline
) -> cloudfront.ResponseHeadersPolicy:
    """`core.headers.web_headers` as a CloudFront response-headers policy (security headers
    where CloudFront has a field for them, the others as custom headers)."""
    headers = dict(web_headers(file_origins, inline))
    hsts = headers.pop("Strict-Transport-Security")
    max_age = int(re.search(r"max-age=(\d+)", hsts).group(1))  # type: ignore[union-attr]
    security = cloudfront.ResponseSecurityHeadersBehavior(
        content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
            content_security_policy=headers.pop("Content-Security-Policy"), override=True
        ),
        content_type_options=cloudfront.ResponseHeadersContentTypeOptions(
            override=headers.pop("X-Content-Type-Options") == "nosniff"
        ),
        frame_options=cloudfront.ResponseHeadersFrameOptions(
            frame_option=cloudfront.HeadersFrameOption[headers.pop("X-Frame-Options").upper()], override=True
        ),
        referrer_policy=cloudfront.ResponseHeadersReferrerPolicy(
            referrer_policy=cloudfront.HeadersReferrerPolicy[_enum_name(headers.pop("Referrer-Policy"))], override=True
        ),
        strict_transport_security=cloudfront.ResponseHeadersStrictTransportSecurity(
            access_control_max_age=cdk.Duration.seconds(max_age),
            include_subdomains="includeSubDomains" in hsts,
            override=True,
        ),
    )
    custom = cloudfront.ResponseCustomHeadersBehavior(
        custom_headers=[
            cloudfront.ResponseCustomHeader(header=name, value=value, override=True) for name, value in headers.items()
        ]
    )
    return cloudfront.ResponseHeadersPolicy(
        scope, "WebHeaders", security_headers_behavior=security, custom_headers_behavior=custom
    )


class WebHosting(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        prefix: str,
        retain: bool,
        access_logs: s3.IBucket,
        api_domain: str,
        api_stage: str,
        edge_secret: str,
        web_acl_arn: str,
        file_origins: tuple[str, ...],
        inline: Inline,
    ) -> None:
        super().__init__(scope, construct_id)
        removal = cdk.RemovalPolicy.RETAIN if retain else cdk.RemovalPolicy.DESTROY
        self.bucket = s3.Bucket(
            self,
            "Apps",
            bucket_name=f"{prefix}-web-{cdk.Aws.ACCOUNT_ID}",
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            server_access_logs_bucket=access_logs,
            server_access_logs_prefix="web/",
            # an open tab may still load last week's chunks: old hashed files stay 30 days
            lifecycle_rules=[s3.LifecycleRule(noncurrent_version_expiration=cdk.Duration.days(30))],
            versioned=True,
            removal_policy=removal,
            auto_delete_objects=not retain,
        )
        access = cloudfront.S3OriginAccessControl(self, "AppsAccess", signing=cloudfront.Signing.SIGV4_ALWAYS)
        apps = origins.S3BucketOrigin.with_origin_access_control(self.bucket, origin_access_control=access)
        api = origins.HttpOrigin(
            api_domain,
            origin_path=f"/{api_stage}",
            protocol_policy=cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
            custom_headers={EDGE_HEADER: edge_secret},
        )
        viewer = self._on_request("ViewerAddress", VIEWER_ADDRESS, "The viewer's address, for the API's rate limits")
        to_api = cloudfront.BehaviorOptions(
            origin=api,
            viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
            allowed_methods=cloudfront.AllowedMethods.ALLOW_ALL,
            cache_policy=cloudfront.CachePolicy.CACHING_DISABLED,
            origin_request_policy=cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
            compress=True,
            function_associations=[viewer],
        )
        spa = self._on_request("SpaFallback", SPA_FALLBACK, "App routes to the app's index.html")
        self.distribution = cloudfront.Distribution(
            self,
            "Cdn",
            comment=f"{prefix} web apps and API",
            default_root_object="index.html",
            default_behavior=cloudfront.BehaviorOptions(
                origin=apps,
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD,
                cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
                response_headers_policy=response_headers(self, file_origins, inline),
                compress=True,
                function_associations=[spa],
            ),
            additional_behaviors={path: to_api for path in API_PATHS},
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
            minimum_protocol_version=cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
            enable_logging=True,
            log_bucket=access_logs,
            log_file_prefix="web-cdn/",
            price_class=cloudfront.PriceClass.PRICE_CLASS_100,
            web_acl_id=web_acl_arn,
        )

    def _on_request(self, logical_id: str, code: str, comment: str) -> cloudfront.FunctionAssociation:
        """A CloudFront function run on each viewer request of the behaviours it is given to."""
        function = cloudfront.Function(
            self,
            logical_id,
            code=cloudfront.FunctionCode.from_inline(code),
            runtime=cloudfront.FunctionRuntime.JS_2_0,
            comment=comment,
        )
        return cloudfront.FunctionAssociation(function=function, event_type=cloudfront.FunctionEventType.VIEWER_REQUEST)

    @property
    def url(self) -> str:
        return f"https://{self.distribution.distribution_domain_name}"
