"""Alarms to an SNS topic, and a CloudWatch dashboard."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from constructs import Construct

FIVE_MINUTES = cdk.Duration.minutes(5)


class Monitoring(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        prefix: str,
        api_name: str,
        stage_name: str,
        functions: dict[str, str],
        table: dynamodb.Table,
        dead_letters: sqs.Queue,
        alarm_email: str,
    ) -> None:
        super().__init__(scope, construct_id)
        self.topic = sns.Topic(
            self,
            "Alarms",
            topic_name=f"{prefix}-alarms",
            master_key=kms.Alias.from_alias_name(self, "SnsKey", "alias/aws/sns"),
            enforce_ssl=True,
        )
        if alarm_email:
            self.topic.add_subscription(subscriptions.EmailSubscription(alarm_email))
        api_dims = {"ApiName": api_name, "Stage": stage_name}

        def api_metric(name: str, statistic: str) -> cloudwatch.Metric:
            return cloudwatch.Metric(
                namespace="AWS/ApiGateway",
                metric_name=name,
                dimensions_map=api_dims,
                statistic=statistic,
                period=FIVE_MINUTES,
            )

        error_rate = cloudwatch.MathExpression(
            expression="IF(requests > 0, 100 * errors / requests, 0)",
            using_metrics={"errors": api_metric("5XXError", "Sum"), "requests": api_metric("Count", "Sum")},
            label="API 5xx rate (%)",
            period=FIVE_MINUTES,
        )
        latency = api_metric("Latency", "p99")
        dlq_depth = dead_letters.metric_approximate_number_of_messages_visible(period=FIVE_MINUTES, statistic="Maximum")
        throttles = cloudwatch.MathExpression(
            expression="reads + writes",
            using_metrics={
                "reads": table.metric("ReadThrottleEvents", statistic="Sum", period=FIVE_MINUTES),
                "writes": table.metric("WriteThrottleEvents", statistic="Sum", period=FIVE_MINUTES),
            },
            label="DynamoDB throttled events",
            period=FIVE_MINUTES,
        )
        alarms = [
            error_rate.create_alarm(
                self, "Api5xxRate", alarm_description="More than 1% of API requests end in a 5xx",
                threshold=1, evaluation_periods=2, treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            ),
            latency.create_alarm(
                self, "ApiLatencyP99", alarm_description="API p99 latency above 1 s",
                threshold=1000, evaluation_periods=3, treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            ),
            dlq_depth.create_alarm(
                self, "NotificationsDlqDepth", alarm_description="Notifications gave up after 5 attempts",
                threshold=0, comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
                evaluation_periods=1, treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            ),
            throttles.create_alarm(
                self, "DynamoDbThrottles", alarm_description="DynamoDB throttled requests",
                threshold=0, comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
                evaluation_periods=1, treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            ),
        ]  # fmt: skip
        lambda_errors = []
        for label, function_name in functions.items():
            metric = cloudwatch.Metric(
                namespace="AWS/Lambda",
                metric_name="Errors",
                dimensions_map={"FunctionName": function_name},
                statistic="Sum",
                period=FIVE_MINUTES,
            )
            lambda_errors.append(metric)
            alarms.append(
                metric.create_alarm(
                    self,
                    f"{label}Errors",
                    alarm_description=f"{label} raised errors",
                    threshold=0,
                    comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
                    evaluation_periods=1,
                    treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
                )
            )
        for alarm in alarms:
            alarm.add_alarm_action(actions.SnsAction(self.topic))
        self.alarms = alarms
        self.dashboard = cloudwatch.Dashboard(self, "Dashboard", dashboard_name=f"{prefix}-overview")
        self.dashboard.add_widgets(
            cloudwatch.GraphWidget(title="API requests", left=[api_metric("Count", "Sum")], right=[error_rate]),
            cloudwatch.GraphWidget(title="API latency", left=[latency, api_metric("Latency", "p50")]),
            cloudwatch.GraphWidget(title="Lambda errors", left=lambda_errors),
            cloudwatch.GraphWidget(title="DynamoDB throttles", left=[throttles]),
            cloudwatch.GraphWidget(title="Notifications DLQ", left=[dlq_depth]),
        )
