"""Local stand-in for the AWS event plumbing `chalice local` does not provide.

On AWS, S3 invokes the image function directly. Locally, the moto bucket notifies an SQS
queue and this runner polls it and calls the *same* entry point with the S3 event, so
`make run` processes an uploaded product image end to end. One daemon thread; stops with
the process.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

S3_EVENTS_QUEUE = "livrili-local-s3-events"


class LocalEvents:
    def __init__(self, region: str, bucket: str) -> None:
        import boto3

        self.sqs = boto3.client("sqs", region_name=region)
        self.s3 = boto3.client("s3", region_name=region)
        self.bucket = bucket
        self.handlers: dict[str, Callable[[dict[str, Any]], Any]] = {}
        self._stop = threading.Event()

    def route_uploads(self, prefix: str, handler: Callable[[dict[str, Any]], Any]) -> None:
        """S3 ObjectCreated under `prefix` → queue → `handler(event)` (like the Lambda trigger)."""
        url = self.sqs.create_queue(QueueName=S3_EVENTS_QUEUE)["QueueUrl"]
        arn = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        self.s3.put_bucket_notification_configuration(
            Bucket=self.bucket,
            NotificationConfiguration={
                "QueueConfigurations": [
                    {
                        "QueueArn": arn,
                        "Events": ["s3:ObjectCreated:*"],
                        "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": prefix}]}},
                    }
                ]
            },
        )
        self.handlers[url] = handler

    def start(self) -> None:
        threading.Thread(target=self._run, name="local-events", daemon=True).start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        from chalicelib.core.observability import logger

        while not self._stop.is_set():
            for url, handler in self.handlers.items():
                try:
                    reply = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
                except Exception:  # the moto server is stopping
                    if self._stop.wait(1):
                        return
                    continue
                for message in reply.get("Messages", []):
                    try:
                        handler(json.loads(message["Body"]))
                    except Exception:
                        logger.exception("local event handler failed; the message will be retried")
                        continue
                    self.sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
