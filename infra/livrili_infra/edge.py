"""The web ACL in front of the apps and the API: a CLOUDFRONT-scope AWS WAF, which AWS keeps in
us-east-1, hence a stack of its own (`livrili-<stage>-edge`) whose ARN the stage's stack reads
through CDK's cross-region references.

The rules, first match wins:

1. Amazon's IP reputation list (botnets, scanners) — blocked.
2. Known bad inputs (Log4j-style payloads, exploit paths) — blocked.
3. Sign-in and sign-up: at most `AUTH_LIMIT` requests per 5 minutes per address to
   `/v1/auth/…` and `POST /v1/retailers` (registration), then 429 in the API's envelope. The API counts failed
   logins per username and per address itself (`chalicelib.accounts.guard`); this stops floods
   before they cost a Lambda.
4. Everything else: at most `GENERAL_LIMIT` requests per 5 minutes per address, then 429.

The limits are per address, and many shops share a carrier's address (CGNAT), so they are
generous: they stop floods, the API's own limits stop guessing.
"""

from __future__ import annotations

import json
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from chalicelib.core.errors import error_body

AUTH_LIMIT = 300
GENERAL_LIMIT = 3000
AUTH_PREFIX = "/v1/auth/"  # sign in, refresh, reset codes
REGISTRATION = "/v1/retailers"  # POSTed: a new shop (the other methods and sub-paths are the shops' own)


def _visibility(name: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
    return wafv2.CfnWebACL.VisibilityConfigProperty(
        cloud_watch_metrics_enabled=True, metric_name=name, sampled_requests_enabled=True
    )


def _managed(name: str, priority: int) -> wafv2.CfnWebACL.RuleProperty:
    return wafv2.CfnWebACL.RuleProperty(
        name=name,
        priority=priority,
        override_action=wafv2.CfnWebACL.OverrideActionProperty(none={}),
        statement=wafv2.CfnWebACL.StatementProperty(
            managed_rule_group_statement=wafv2.CfnWebACL.ManagedRuleGroupStatementProperty(vendor_name="AWS", name=name)
        ),
        visibility_config=_visibility(name),
    )


def _match(field: wafv2.CfnWebACL.FieldToMatchProperty, how: str, text: str) -> wafv2.CfnWebACL.StatementProperty:
    return wafv2.CfnWebACL.StatementProperty(
        byte_match_statement=wafv2.CfnWebACL.ByteMatchStatementProperty(
            field_to_match=field,
            positional_constraint=how,
            search_string=text,
            text_transformations=[wafv2.CfnWebACL.TextTransformationProperty(priority=0, type="NONE")],
        )
    )


def _sign_in_and_sign_up() -> wafv2.CfnWebACL.StatementProperty:
    """`/v1/auth/…`, and `POST /v1/retailers` (registration)."""
    path = wafv2.CfnWebACL.FieldToMatchProperty(uri_path={})
    method = wafv2.CfnWebACL.FieldToMatchProperty(method={})
    registration = wafv2.CfnWebACL.StatementProperty(
        and_statement=wafv2.CfnWebACL.AndStatementProperty(
            statements=[_match(path, "EXACTLY", REGISTRATION), _match(method, "EXACTLY", "POST")]
        )
    )
    return wafv2.CfnWebACL.StatementProperty(
        or_statement=wafv2.CfnWebACL.OrStatementProperty(
            statements=[_match(path, "STARTS_WITH", AUTH_PREFIX), registration]
        )
    )


def _too_many() -> wafv2.CfnWebACL.RuleActionProperty:
    return wafv2.CfnWebACL.RuleActionProperty(
        block=wafv2.CfnWebACL.BlockActionProperty(
            custom_response=wafv2.CfnWebACL.CustomResponseProperty(
                response_code=429,
                custom_response_body_key="too_many_requests",
                response_headers=[wafv2.CfnWebACL.CustomHTTPHeaderProperty(name="Retry-After", value="300")],
            )
        )
    )


def _rate(name: str, priority: int, limit: int, scope_down: Any = None) -> wafv2.CfnWebACL.RuleProperty:
    return wafv2.CfnWebACL.RuleProperty(
        name=name,
        priority=priority,
        action=_too_many(),
        statement=wafv2.CfnWebACL.StatementProperty(
            rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                limit=limit, aggregate_key_type="IP", evaluation_window_sec=300, scope_down_statement=scope_down
            )
        ),
        visibility_config=_visibility(name),
    )


class EdgeStack(cdk.Stack):
    """The stage's CLOUDFRONT-scope web ACL (deployed to us-east-1)."""

    def __init__(self, scope: Construct, construct_id: str, *, prefix: str, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        auth = _sign_in_and_sign_up()
        body = json.loads(error_body("too_many_requests", "Too many requests; slow down and retry."))
        self.web_acl = wafv2.CfnWebACL(
            self,
            "WebAcl",
            name=f"{prefix}-edge",
            scope="CLOUDFRONT",
            default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
            visibility_config=_visibility(f"{prefix}-edge"),
            custom_response_bodies={
                "too_many_requests": wafv2.CfnWebACL.CustomResponseBodyProperty(
                    content=json.dumps(body), content_type="APPLICATION_JSON"
                )
            },
            rules=[
                _managed("AWSManagedRulesAmazonIpReputationList", 0),
                _managed("AWSManagedRulesKnownBadInputsRuleSet", 1),
                _rate("SignInAndSignUp", 2, AUTH_LIMIT, auth),
                _rate("Everything", 3, GENERAL_LIMIT),
            ],
        )
