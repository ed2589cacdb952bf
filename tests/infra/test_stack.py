"""The synthesized CloudFormation of both stages (`make synth` → infra/cdk.out), checked with
aws_cdk.assertions, cfn-lint, and by hand where cdk-nag cannot judge (the Chalice roles)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "infra" / "cdk.out"
CONTEXT = json.loads((ROOT / "infra" / "cdk.json").read_text())["context"]["stages"]


def _synth() -> None:
    env = {**os.environ, "CDK_OUTDIR": "cdk.out", "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"}
    env.pop("AWS_ENDPOINT_URL", None)
    subprocess.run([sys.executable, "app.py"], cwd=ROOT / "infra", env=env, check=True, capture_output=True)


@pytest.fixture(scope="module")
def templates() -> dict[str, dict[str, Any]]:
    if not all((OUT / f"livrili-{stage}.template.json").exists() for stage in CONTEXT):
        _synth()  # `make test` synthesizes first; a lone pytest run does it here
    return {stage: json.loads((OUT / f"livrili-{stage}.template.json").read_text()) for stage in CONTEXT}


def _of_type(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == kind}


def _one(template: dict[str, Any], kind: str) -> dict[str, Any]:
    found = list(_of_type(template, kind).values())
    assert len(found) == 1, (kind, len(found))
    return found[0]


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_the_table_is_the_codes_definition(templates, stage):
    from chalicelib.db.base import table_definition

    definition = table_definition()
    table = _one(templates[stage], "AWS::DynamoDB::Table")
    props = table["Properties"]
    assert props["KeySchema"] == definition["KeySchema"]
    assert sorted(props["AttributeDefinitions"], key=lambda a: a["AttributeName"]) == sorted(
        definition["AttributeDefinitions"], key=lambda a: a["AttributeName"]
    )
    gsis = sorted(props["GlobalSecondaryIndexes"], key=lambda g: g["IndexName"])
    assert [(g["IndexName"], g["KeySchema"], g["Projection"]) for g in gsis] == [
        (g["IndexName"], g["KeySchema"], g["Projection"]) for g in definition["GlobalSecondaryIndexes"]
    ]
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert props["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
    assert props["StreamSpecification"] == {"StreamViewType": "NEW_AND_OLD_IMAGES"}
    assert props["TableName"] == f"livrili-{stage}"  # what `make admin STAGE=…` reads from .chalice/config.json
    kept = stage == "prod"
    assert props.get("DeletionProtectionEnabled", False) is kept
    assert table["DeletionPolicy"] == ("Retain" if kept else "Delete")


def test_notifications_end_in_a_dead_letter_queue(templates):
    queues = _of_type(templates["prod"], "AWS::SQS::Queue")
    main = next(q for q in queues.values() if q["Properties"]["QueueName"] == "livrili-prod-notifications")
    dlq_id = main["Properties"]["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0]
    assert main["Properties"]["RedrivePolicy"]["maxReceiveCount"] == 5
    assert queues[dlq_id]["Properties"]["QueueName"] == "livrili-prod-notifications-dlq"
    for queue in queues.values():
        assert queue["Properties"]["MessageRetentionPeriod"] == 14 * 24 * 3600
        assert queue["Properties"]["SqsManagedSseEnabled"] is True
    policies = _of_type(templates["prod"], "AWS::SQS::QueuePolicy").values()
    denies = [s for p in policies for s in p["Properties"]["PolicyDocument"]["Statement"] if s["Effect"] == "Deny"]
    assert len(denies) == 2 and all(s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}} for s in denies)


def _files_bucket(template: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return next((k, v) for k, v in _of_type(template, "AWS::S3::Bucket").items() if k.startswith("StorageFiles"))


def test_the_files_bucket_is_private_and_tidy(templates):
    template = templates["prod"]
    _, bucket = _files_bucket(template)
    props = bucket["Properties"]
    assert props["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"] == {
        "SSEAlgorithm": "AES256"
    }
    assert props["VersioningConfiguration"] == {"Status": "Enabled"}
    cors = props["CorsConfiguration"]["CorsRules"][0]
    assert set(cors["AllowedMethods"]) == {"POST", "GET"}
    assert cors["AllowedOrigins"] == CONTEXT["prod"]["cors_origins"]
    rules = props["LifecycleConfiguration"]["Rules"]
    assert {"AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1}, "Status": "Enabled"} in rules
    assert "LoggingConfiguration" in props
    assert bucket["DeletionPolicy"] == "Retain"


def test_the_cdn_reads_product_images_and_nothing_else(templates):
    template = templates["prod"]
    bucket_id, _ = _files_bucket(template)
    policies = [
        p
        for p in _of_type(template, "AWS::S3::BucketPolicy").values()
        if p["Properties"]["Bucket"] == {"Ref": bucket_id}
    ]
    statements = [s for p in policies for s in p["Properties"]["PolicyDocument"]["Statement"]]
    cdn = [s for s in statements if s.get("Principal") == {"Service": "cloudfront.amazonaws.com"}]
    assert len(cdn) == 1 and cdn[0]["Action"] == "s3:GetObject"
    assert cdn[0]["Resource"]["Fn::Join"][1][-1] == "/catalog/images/*"
    assert not [s for s in statements if s["Effect"] == "Allow" and s.get("Principal") == "*"]
    distribution = _distribution(template, "product images")
    assert distribution["Origins"][0]["OriginAccessControlId"]
    assert distribution["DefaultCacheBehavior"]["ViewerProtocolPolicy"] == "redirect-to-https"
    assert distribution["DefaultCacheBehavior"]["AllowedMethods"] == ["GET", "HEAD"]


def _distribution(template: dict[str, Any], comment: str) -> dict[str, Any]:
    found = [
        d["Properties"]["DistributionConfig"]
        for d in _of_type(template, "AWS::CloudFront::Distribution").values()
        if comment in d["Properties"]["DistributionConfig"]["Comment"]
    ]
    assert len(found) == 1, comment
    return found[0]


CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"  # AWS managed cache policies
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_the_apps_and_the_api_share_one_origin(templates, stage):
    from chalicelib.core.headers import API_PATHS

    template = templates[stage]
    web = _distribution(template, "web apps and API")
    default = web["DefaultCacheBehavior"]
    assert default["ViewerProtocolPolicy"] == "redirect-to-https" and default["Compress"] is True
    assert default["CachePolicyId"] == CACHING_OPTIMIZED
    assert [f["EventType"] for f in default["FunctionAssociations"]] == ["viewer-request"]
    assert web["DefaultRootObject"] == "index.html"
    s3_origin = next(o for o in web["Origins"] if "S3OriginConfig" in o)
    assert s3_origin["OriginAccessControlId"] and s3_origin["S3OriginConfig"]["OriginAccessIdentity"] == ""
    behaviors = {b["PathPattern"]: b for b in web["CacheBehaviors"]}
    assert set(behaviors) == set(API_PATHS)
    api_origin = next(o for o in web["Origins"] if "CustomOriginConfig" in o)
    assert (
        api_origin["OriginPath"] == "/v1" and api_origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    )
    assert "RestAPI" in json.dumps(api_origin["DomainName"])
    for behavior in behaviors.values():
        assert behavior["TargetOriginId"] == api_origin["Id"]
        assert behavior["CachePolicyId"] == CACHING_DISABLED  # the API decides its own caching (ETag, no-store)
        assert {"POST", "PATCH", "DELETE", "PUT"} <= set(behavior["AllowedMethods"])
        assert behavior["ViewerProtocolPolicy"] == "https-only" and behavior["Compress"] is True
    # the bucket of the apps is private: only this distribution reads it
    buckets = _of_type(template, "AWS::S3::Bucket")
    web_bucket_id = next(k for k, b in buckets.items() if "-web-" in json.dumps(b["Properties"]["BucketName"]))
    assert buckets[web_bucket_id]["Properties"]["PublicAccessBlockConfiguration"]["RestrictPublicBuckets"] is True


def _edge(stage: str) -> dict[str, Any]:
    return json.loads((OUT / f"livrili-{stage}-edge.template.json").read_text())


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_a_waf_in_front_of_the_apps_and_the_api_limits_floods_per_address(templates, stage):
    from livrili_infra.edge import AUTH_LIMIT, GENERAL_LIMIT

    from chalicelib.core.errors import error_body

    acl = _one(_edge(stage), "AWS::WAFv2::WebACL")["Properties"]
    assert acl["Scope"] == "CLOUDFRONT" and acl["DefaultAction"] == {"Allow": {}}
    rules = {r["Name"]: r for r in acl["Rules"]}
    assert list(rules) == [
        "AWSManagedRulesAmazonIpReputationList",
        "AWSManagedRulesKnownBadInputsRuleSet",
        "SignInAndSignUp",
        "Everything",
    ]
    auth = rules["SignInAndSignUp"]["Statement"]["RateBasedStatement"]
    assert auth["Limit"] == AUTH_LIMIT and auth["AggregateKeyType"] == "IP" and auth["EvaluationWindowSec"] == 300
    auth_paths, registration = auth["ScopeDownStatement"]["OrStatement"]["Statements"]
    assert auth_paths["ByteMatchStatement"]["SearchString"] == "/v1/auth/"
    assert auth_paths["ByteMatchStatement"]["PositionalConstraint"] == "STARTS_WITH"
    matched = {
        json.dumps(s["ByteMatchStatement"]["FieldToMatch"]): s["ByteMatchStatement"]["SearchString"]
        for s in registration["AndStatement"]["Statements"]
    }
    assert matched == {'{"UriPath": {}}': "/v1/retailers", '{"Method": {}}': "POST"}  # a shop's own routes: no
    assert rules["Everything"]["Statement"]["RateBasedStatement"]["Limit"] == GENERAL_LIMIT
    for name in ("SignInAndSignUp", "Everything"):  # refused in the API's envelope, with Retry-After
        response = rules[name]["Action"]["Block"]["CustomResponse"]
        assert response["ResponseCode"] == 429 and response["ResponseHeaders"][0]["Name"] == "Retry-After"
    body = acl["CustomResponseBodies"]["too_many_requests"]
    assert json.loads(body["Content"]) == json.loads(
        error_body("too_many_requests", "Too many requests; slow down and retry.")
    )
    # the stage's distribution uses it (a cross-region reference: the ACL lives in us-east-1)
    web = _distribution(templates[stage], "web apps and API")
    assert "CrossRegionExportReader" in json.dumps(web["WebACLId"]) or "Fn::GetAtt" in json.dumps(web["WebACLId"])


def test_the_api_believes_the_viewer_address_only_from_its_own_cdn(templates):
    from livrili_infra.web import VIEWER_ADDRESS

    from chalicelib.core.headers import EDGE_HEADER, VIEWER_HEADER

    template = templates["prod"]
    web = _distribution(template, "web apps and API")
    api_origin = next(o for o in web["Origins"] if "CustomOriginConfig" in o)
    (header,) = api_origin["OriginCustomHeaders"]
    assert header["HeaderName"] == EDGE_HEADER
    assert "{{resolve:secretsmanager:" in json.dumps(header["HeaderValue"])  # resolved at deploy, not written here
    for behavior in web["CacheBehaviors"]:
        assert [f["EventType"] for f in behavior["FunctionAssociations"]] == ["viewer-request"]
    api = next(
        f for f in _of_type(template, "AWS::Serverless::Function").values() if f["Properties"]["Handler"] == "app.app"
    )
    assert "LIVRILI_EDGE_SECRET_NAME" in api["Properties"]["Environment"]["Variables"]
    # the function writes the viewer's address over whatever the viewer sent
    forged = json.dumps({"viewer": {"ip": "41.200.1.2"}, "request": {"headers": {VIEWER_HEADER: {"value": "1.1.1.1"}}}})
    script = (
        VIEWER_ADDRESS
        + f"\nconst r = handler({forged});"
        + f"\nif (r.headers['{VIEWER_HEADER}'].value !== '41.200.1.2') process.exit(1);"
    )
    subprocess.run([shutil.which("node") or "node", "-e", script], check=True)


def _joined(value: Any) -> str:
    """A CloudFormation string with its references shown as <ref>."""
    if isinstance(value, str):
        return value
    parts = value["Fn::Join"][1]
    return "".join(p if isinstance(p, str) else "<ref>" for p in parts)


def test_the_apps_headers_are_the_shared_definition(templates):
    from chalicelib.core.headers import built_inline, web_headers
    from chalicelib.core.storage import bucket_origin

    # images from the CDN; uploads to the files bucket's regional host, as the API signs them
    files = bucket_origin("<ref>", os.environ.get("CDK_DEFAULT_REGION", "eu-west-3"), "<ref>")  # as infra/app.py
    expected = web_headers(("https://<ref>", files), built_inline(ROOT / "web" / "dist"))
    assert "'sha256-" in expected["Content-Security-Policy"]  # the build's inline script and CSS, by hash
    policy = _one(templates["prod"], "AWS::CloudFront::ResponseHeadersPolicy")["Properties"]
    config = policy["ResponseHeadersPolicyConfig"]
    security = config["SecurityHeadersConfig"]
    assert _joined(security["ContentSecurityPolicy"]["ContentSecurityPolicy"]) == expected["Content-Security-Policy"]
    assert security["FrameOptions"]["FrameOption"] == expected["X-Frame-Options"]
    assert security["ReferrerPolicy"]["ReferrerPolicy"] == expected["Referrer-Policy"]
    assert security["ContentTypeOptions"]["Override"] is True
    hsts = security["StrictTransportSecurity"]
    assert f"max-age={hsts['AccessControlMaxAgeSec']}" in expected["Strict-Transport-Security"]
    custom = {h["Header"]: h["Value"] for h in config["CustomHeadersConfig"]["Items"]}
    assert custom == {k: expected[k] for k in ("Permissions-Policy", "Cross-Origin-Opener-Policy")}


def test_app_routes_fall_back_to_the_apps_index(templates):
    from livrili_infra.web import SPA_FALLBACK

    routes = {
        "/": "/index.html",
        "/orders/01J0000000000000000000000": "/index.html",
        "/assets/index-abc123.js": "/assets/index-abc123.js",
        "/sw.js": "/sw.js",
        "/manifest.webmanifest": "/manifest.webmanifest",
        "/admin/orders": "/admin/index.html",
        "/admin/assets/a-1.js": "/admin/assets/a-1.js",
    }
    script = (
        SPA_FALLBACK
        + f"\nconst cases = {json.dumps(routes)};\n"
        + (
            "for (const [uri, want] of Object.entries(cases)) {"
            " const got = handler({request: {uri}}).uri;"
            " if (got !== want) { console.log(uri, got, want); process.exit(1); } }"
        )
    )
    node = shutil.which("node")
    assert node, "node runs the CloudFront function here (make web installs it)"
    subprocess.run([node, "-e", script], check=True)


def test_uploads_trigger_the_image_function_and_the_document_check_with_their_permissions(templates):
    from livrili_infra.storage import DOCUMENTS_PREFIX

    from chalicelib.accounts.document_check import PREFIX

    assert DOCUMENTS_PREFIX == PREFIX
    template = templates["dev"]
    notifications = _one(template, "Custom::S3BucketNotifications")["Properties"]["NotificationConfiguration"]
    routed = {
        c["Filter"]["Key"]["FilterRules"][0]["Value"]: c["LambdaFunctionArn"]["Fn::GetAtt"][0]
        for c in notifications["LambdaFunctionConfigurations"]
        if c["Events"] == ["s3:ObjectCreated:*"]
    }
    assert routed == {"catalog/uploads/": "ProcessProductImage", "retailers/": "CheckDocument"}
    permissions = [
        p["Properties"]["FunctionName"]["Fn::GetAtt"][0] for p in _of_type(template, "AWS::Lambda::Permission").values()
        if p["Properties"].get("Principal") == "s3.amazonaws.com"
    ]  # fmt: skip
    assert sorted(permissions) == ["CheckDocument", "ProcessProductImage"]


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_guardduty_scans_the_documents_and_its_verdict_reaches_the_check(templates, stage):
    template = templates[stage]
    plan = _one(template, "AWS::GuardDuty::MalwareProtectionPlan")["Properties"]
    assert plan["ProtectedResource"]["S3Bucket"]["ObjectPrefixes"] == ["retailers/"]
    assert plan["Actions"] == {"Tagging": {"Status": "ENABLED"}}
    rules = [r["Properties"] for r in _of_type(template, "AWS::Events::Rule").values()]
    (verdicts,) = [r for r in rules if r["EventPattern"].get("source") == ["aws.guardduty"]]
    assert verdicts["EventPattern"]["detail-type"] == ["GuardDuty Malware Protection Object Scan Result"]
    assert verdicts["Targets"][0]["Arn"] == {"Fn::GetAtt": ["CheckDocument", "Arn"]}
    check = template["Resources"]["CheckDocument"]["Properties"]
    assert check["Environment"]["Variables"]["LIVRILI_MALWARE_SCAN"] == "guardduty"
    # the check reads and deletes documents and reads their tags; nothing else of the bucket
    statements = _statements(template, "CheckDocumentRole")
    objects = [s for s in statements if any(a.startswith("s3:") for a in _actions(s))]
    assert {a for s in objects for a in _actions(s)} == {"s3:GetObject", "s3:GetObjectTagging", "s3:DeleteObject"}
    assert all("/retailers/*" in json.dumps(s["Resource"]) for s in objects)


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_the_api_stage_is_throttled_logged_and_answers_in_the_envelope(templates, stage):
    from chalicelib.core.errors import GATEWAY_RESPONSES, gateway_body

    api = templates[stage]["Resources"]["RestAPI"]["Properties"]
    settings = api["MethodSettings"][0]
    assert settings["ThrottlingRateLimit"] == CONTEXT[stage]["throttle_rate"]
    assert settings["ThrottlingBurstLimit"] == CONTEXT[stage]["throttle_burst"]
    assert "$context.requestId" in api["AccessLogSetting"]["Format"]
    assert api["Name"] == f"livrili-{stage}-api" and api["StageName"] == "v1"
    for kind, (status, code, _) in GATEWAY_RESPONSES.items():
        response = api["GatewayResponses"][kind]
        assert response["StatusCode"] == str(status)
        body = response["ResponseTemplates"]["application/json"]
        assert body == gateway_body(kind) and json.loads(body)["error"]["code"] == code
        headers = response["ResponseParameters"]["Headers"]
        assert headers["X-Content-Type-Options"] == "'nosniff'" and "max-age=" in headers["Strict-Transport-Security"]


def test_schedules_and_functions_are_wired(templates):
    resources = templates["prod"]["Resources"]
    rebuild = resources["RebuildSearchIndex"]["Properties"]
    assert rebuild["Events"]["RebuildSearchIndexEvent"]["Properties"]["Schedule"] == "rate(15 minutes)"
    assert resources["ProcessProductImage"]["Properties"]["MemorySize"] == 1536


def test_no_secret_sits_in_the_template(templates):
    for template in templates.values():
        for secret in _of_type(template, "AWS::SecretsManager::Secret").values():
            assert "GenerateSecretString" in secret["Properties"] and "SecretString" not in secret["Properties"]
        for function in _of_type(template, "AWS::Serverless::Function").values():
            variables = function["Properties"]["Environment"]["Variables"]
            assert "LIVRILI_JWT_SECRET" not in variables
            assert "LIVRILI_JWT_SECRET_NAME" in variables
            for name, value in variables.items():
                if any(word in name for word in ("SECRET", "TOKEN", "PASSWORD", "AUTH")):
                    assert name.endswith("_NAME") and isinstance(value, str | dict), name


def _statements(template: dict[str, Any], role_id: str) -> list[dict[str, Any]]:
    """Every statement granted to a Chalice role: its inline policies and the CDK policies on it."""
    role = template["Resources"][role_id]["Properties"]
    found = [s for p in role.get("Policies", []) for s in p["PolicyDocument"]["Statement"]]
    for policy in _of_type(template, "AWS::IAM::Policy").values():
        attached = json.dumps(policy["Properties"].get("Roles", []))
        if f'"{role_id}"' in attached:
            found += policy["Properties"]["PolicyDocument"]["Statement"]
    return found


def _actions(statement: dict[str, Any]) -> list[str]:
    action = statement["Action"]
    return [action] if isinstance(action, str) else action


def test_each_chalice_function_has_its_own_least_privilege_role(templates):
    """cdk-nag does not judge the SAM functions' grants: no wildcard action, no bare `*` resource,
    object access by key prefix, each function only what it does."""
    template = templates["prod"]
    roles = {
        "ApiHandlerRole",
        "ProcessProductImageRole",
        "CheckDocumentRole",
        "RebuildSearchIndexRole",
        "SendNotificationsRole",
        "RelayOutboxRole",
        "SendCreditRemindersRole",
        "LowStockDigestRole",
    }
    functions = _of_type(template, "AWS::Serverless::Function")
    assert {f["Properties"]["Role"]["Fn::GetAtt"][0] for f in functions.values()} == roles
    granted: dict[str, set[str]] = {}
    for role_id in roles:
        statements = _statements(template, role_id)
        for statement in statements:
            assert statement["Effect"] == "Allow"
            assert not any(a.endswith(":*") or a == "*" for a in _actions(statement)), statement
            assert statement.get("Resource") != "*", statement
        granted[role_id] = {a for s in statements for a in _actions(s)}
    writes = {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"}
    assert writes <= granted["ApiHandlerRole"] and writes <= granted["ProcessProductImageRole"]
    assert not writes & granted["RebuildSearchIndexRole"]  # the rebuild only reads the table
    assert "secretsmanager:GetSecretValue" in granted["ApiHandlerRole"] & granted["SendNotificationsRole"]
    assert "secretsmanager:GetSecretValue" not in granted["ProcessProductImageRole"] | granted["RebuildSearchIndexRole"]
    assert (
        "sqs:SendMessage" in granted["ApiHandlerRole"] & granted["RelayOutboxRole"] & granted["SendCreditRemindersRole"]
    )
    assert {"sqs:ReceiveMessage", "sqs:DeleteMessage"} <= granted["SendNotificationsRole"]
    assert "sqs:ReceiveMessage" not in granted["ApiHandlerRole"]
    search_objects = [
        s["Resource"] for s in _statements(template, "RebuildSearchIndexRole") if "s3:PutObject" in _actions(s)
    ]
    assert json.dumps(search_objects).count("/catalog/search/*") == 1


def test_alarms_go_to_the_topic_and_the_dashboard_exists(templates):
    template = templates["prod"]
    alarms = _of_type(template, "AWS::CloudWatch::Alarm").values()
    topic_id = next(iter(_of_type(template, "AWS::SNS::Topic")))
    descriptions = {a["Properties"]["AlarmDescription"]: a["Properties"] for a in alarms}
    assert {
        "More than 1% of API requests end in a 5xx",
        "API p99 latency above 1 s",
        "Notifications gave up after 5 attempts",
        "DynamoDB throttled requests",
        "Api raised errors",
        "ImageFunction raised errors",
        "SearchRebuild raised errors",
        "NotificationWorker raised errors",
        "OutboxRelay raised errors",
        "CreditReminders raised errors",
        "LowStockDigest raised errors",
    } <= set(descriptions)
    assert descriptions["API p99 latency above 1 s"]["Threshold"] == 1000
    assert descriptions["API p99 latency above 1 s"]["ExtendedStatistic"] == "p99"
    for alarm in alarms:
        assert alarm["Properties"]["AlarmActions"] == [{"Ref": topic_id}]
    subscription = _one(template, "AWS::SNS::Subscription")["Properties"]
    assert subscription["Endpoint"] == CONTEXT["prod"]["alarm_email"]
    _one(template, "AWS::CloudWatch::Dashboard")


def test_cdk_nag_passed_with_every_acknowledgment_reasoned():
    report = json.loads((OUT / "validation-report.json").read_text())
    (nag,) = [r for r in report["pluginReports"] if r["pluginName"] == "AwsSolutions"]
    assert nag["conclusion"] == "success" and nag["violations"] == []
    from livrili_infra.nag import ACKNOWLEDGED, OBJECT_PREFIXES

    assert all(len(reason) > 40 for _, reason in ACKNOWLEDGED)
    readme = (ROOT / "README.md").read_text()
    for finding, _ in ACKNOWLEDGED:
        assert finding.split("[")[0] in readme, f"{finding} is not listed in the README"
    assert all(prefix in readme for prefix in OBJECT_PREFIXES)


def test_cfn_lint_finds_no_errors(templates):
    venv_lint = Path(sys.executable).parent / "cfn-lint"
    cfn_lint = str(venv_lint) if venv_lint.exists() else shutil.which("cfn-lint")
    paths = [str(OUT / f"livrili-{stage}{part}.template.json") for stage in templates for part in ("", "-edge")]
    result = subprocess.run([cfn_lint, "--format", "parseable", *paths], capture_output=True, text=True)
    errors = [line for line in result.stdout.splitlines() if re.search(r":E\d{4}:", line)]
    assert not errors, "\n".join(errors)
    assert result.returncode in (0, 4), result.stdout  # 4: warnings only (CDK's own helper resources)


def test_the_worker_consumes_the_stage_queue_with_partial_batch_failures(templates):
    for stage, template in templates.items():
        resources = template["Resources"]
        source = resources["SendNotifications"]["Properties"]["Events"]["SendNotificationsSqsEventSource"]
        assert source["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
        queue_id = source["Properties"]["Queue"]["Fn::GetAtt"][0]
        assert resources[queue_id]["Properties"]["QueueName"] == f"livrili-{stage}-notifications"
        worker_timeout = resources["SendNotifications"]["Properties"]["Timeout"]
        assert resources[queue_id]["Properties"]["VisibilityTimeout"] >= 6 * worker_timeout
        relay = resources["RelayOutbox"]["Properties"]["Events"]["RelayOutboxEvent"]["Properties"]
        assert relay["Schedule"] == "rate(1 minute)"
        reminders = resources["SendCreditReminders"]["Properties"]["Events"]["SendCreditRemindersEvent"]
        assert reminders["Properties"]["Schedule"] == "cron(0 8 * * ? *)"  # 09:00 in Algiers
        digest = resources["LowStockDigest"]["Properties"]["Events"]["LowStockDigestEvent"]
        assert digest["Properties"]["Schedule"] == "cron(0 6 * * ? *)"  # 07:00 in Algiers


def test_twilio_credentials_live_in_a_secret(templates):
    for template in templates.values():
        secrets = [s["Properties"] for s in _of_type(template, "AWS::SecretsManager::Secret").values()]
        twilio = next(s for s in secrets if s["Name"].endswith("/twilio"))
        assert json.loads(twilio["GenerateSecretString"]["SecretStringTemplate"]) == {"account_sid": ""}
        worker = template["Resources"]["SendNotifications"]["Properties"]["Environment"]["Variables"]
        assert "LIVRILI_TWILIO_SECRET_NAME" in worker
        assert not {"LIVRILI_TWILIO_AUTH_TOKEN", "LIVRILI_TWILIO_ACCOUNT_SID"} & set(worker)


def test_twilio_knows_where_to_report_statuses(templates):
    variables = templates["prod"]["Resources"]["SendNotifications"]["Properties"]["Environment"]["Variables"]
    base = CONTEXT["prod"]["public_base_url"]
    assert variables["LIVRILI_TWILIO_STATUS_CALLBACK"] == f"{base}/v1/webhooks/twilio/status"
    assert variables["LIVRILI_PUBLIC_BASE_URL"] == base
