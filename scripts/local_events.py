"""Local stand-in for the AWS event plumbing `chalice local` does not provide.

On AWS, S3 invokes the image function directly and Lambda feeds the notification queue to
the worker. Locally, the moto bucket notifies an SQS queue, and this runner polls both
queues and calls the *same* entry points (the S3 event; a batch of Lambda-shaped SQS
records), so `make run` processes an uploaded product image and sends (records) the
messages of a demo order end to end. It also runs the outbox relay every minute. One daemon
thread; stops with the process.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_plus

S3_EVENTS_QUEUE = "livrili-local-s3-events"


def sqs_records(
    messages: list[dict[str, Any]], arn: str, region: str, receive_count: int | None = None
) -> list[dict[str, Any]]:
    """Messages from ReceiveMessage as Lambda's SQS trigger hands them to a function."""
    return [
        {
            "messageId": m["MessageId"],
            "receiptHandle": m["ReceiptHandle"],
            "body": m["Body"],
            "attributes": {
                **m.get("Attributes", {}),
                **({"ApproximateReceiveCount": str(receive_count)} if receive_count else {}),
            },
            "messageAttributes": {},
            "md5OfBody": m.get("MD5OfBody", ""),
            "eventSource": "aws:sqs",
            "eventSourceARN": arn,
            "awsRegion": region,
        }
        for m in messages
    ]


class LocalEvents:
    def __init__(self, region: str, bucket: str) -> None:
        import boto3

        self.sqs = boto3.client("sqs", region_name=region)
        self.s3 = boto3.client("s3", region_name=region)
        self.bucket = bucket
        self.region = region
        self.handlers: dict[str, Callable[[dict[str, Any]], Any]] = {}
        self.upload_routes: dict[str, Callable[[dict[str, Any]], Any]] = {}
        self.batch_handlers: dict[str, tuple[str, Callable[[list[dict[str, Any]]], dict[str, Any]]]] = {}
        self.every_minute: list[Callable[[], Any]] = []
        self._stop = threading.Event()

    def route_uploads(self, prefix: str, handler: Callable[[dict[str, Any]], Any]) -> None:
        """S3 ObjectCreated under `prefix` → queue → `handler(event)` (like the Lambda trigger)."""
        url = self.sqs.create_queue(QueueName=S3_EVENTS_QUEUE)["QueueUrl"]
        arn = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        self.upload_routes[prefix] = handler
        # every upload to the one queue, sorted by prefix on the way out (`_upload`)
        self.s3.put_bucket_notification_configuration(
            Bucket=self.bucket,
            NotificationConfiguration={"QueueConfigurations": [{"QueueArn": arn, "Events": ["s3:ObjectCreated:*"]}]},
        )
        self.handlers[url] = self._upload

    def _upload(self, event: dict[str, Any]) -> None:
        """One S3 event to the function of its key's prefix (as each has its own trigger on AWS)."""
        for record in event.get("Records") or []:
            key = unquote_plus(((record.get("s3") or {}).get("object") or {}).get("key", ""))
            for prefix, handler in self.upload_routes.items():
                if key.startswith(prefix):
                    handler({"Records": [record]})

    def route_queue(self, name: str, handler: Callable[[list[dict[str, Any]]], dict[str, Any]]) -> None:
        """Messages of queue `name` → `handler(records)` as Lambda's SQS trigger calls it; the
        records it reports in `batchItemFailures` stay on the queue for a retry."""
        url = self.sqs.create_queue(QueueName=name)["QueueUrl"]
        arn = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        self.batch_handlers[url] = (arn, handler)

    def start(self) -> None:
        threading.Thread(target=self._run, name="local-events", daemon=True).start()

    def stop(self) -> None:
        self._stop.set()

    def _run_batches(self) -> None:
        from chalicelib.core.observability import logger

        for url, (arn, handler) in self.batch_handlers.items():
            try:
                reply = self.sqs.receive_message(
                    QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1, AttributeNames=["ApproximateReceiveCount"]
                )
            except Exception:  # the moto server is stopping
                self._stop.wait(1)
                continue
            messages = reply.get("Messages", [])
            if not messages:
                continue
            try:
                failures = {
                    f["itemIdentifier"] for f in handler(sqs_records(messages, arn, self.region))["batchItemFailures"]
                }
            except Exception:
                logger.exception("local batch handler failed; the messages will be retried")
                continue
            for message in messages:
                if message["MessageId"] not in failures:
                    self.sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])

    def _run(self) -> None:
        import time

        from chalicelib.core.observability import logger

        last_minute = time.monotonic()
        while not self._stop.is_set():
            self._run_batches()
            if time.monotonic() - last_minute >= 60:
                last_minute = time.monotonic()
                for job in self.every_minute:
                    try:
                        job()
                    except Exception:
                        logger.exception("local scheduled job failed")
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
