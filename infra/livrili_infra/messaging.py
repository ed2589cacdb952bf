"""The notification queue and its dead-letter queue."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_sqs as sqs
from constructs import Construct

MAX_RECEIVES = 5


class Messaging(Construct):
    """A message is tried 5 times (transient Twilio failures), then kept 14 days in the DLQ."""

    def __init__(self, scope: Construct, construct_id: str, *, prefix: str) -> None:
        super().__init__(scope, construct_id)
        self.dead_letters = sqs.Queue(
            self,
            "NotificationsDlq",
            queue_name=f"{prefix}-notifications-dlq",
            retention_period=cdk.Duration.days(14),
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
        )
        self.notifications = sqs.Queue(
            self,
            "Notifications",
            # a fixed name: Chalice's on_sqs_message finds its queue by name
            queue_name=f"{prefix}-notifications",
            retention_period=cdk.Duration.days(14),
            visibility_timeout=cdk.Duration.seconds(360),  # 6 x the worker's 60 s timeout
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            dead_letter_queue=sqs.DeadLetterQueue(queue=self.dead_letters, max_receive_count=MAX_RECEIVES),
        )
