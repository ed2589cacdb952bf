"""Notification event handlers (registered by `app.py`): the SQS worker of the event queue.
Thin: the work lives in `notify.worker`; Twilio is imported only when a message is sent."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from chalice import Blueprint

from chalicelib.core import lazy
from chalicelib.core.observability import logger

if TYPE_CHECKING:
    from chalicelib.events import outbox
    from chalicelib.notify import providers, worker
else:
    outbox = lazy.module("chalicelib.events.outbox")
    providers = lazy.module("chalicelib.notify.providers")
    worker = lazy.module("chalicelib.notify.worker")

bp = Blueprint(__name__)

WORKER_FUNCTION = "send_notifications"
# Chalice needs a queue name when it packages the app; `infra/` points the deployed event
# source at the stage's own queue, and the local stack feeds the worker itself.
QUEUE_NAME = "livrili-notifications"


def process(records: list[dict[str, Any]], context: Any = None) -> dict[str, Any]:
    """A batch of SQS records → `{"batchItemFailures": [...]}`: a record whose message must be
    retried (a transient Twilio failure) is reported alone, the rest of the batch is done; if
    every record fails, this raises and the whole batch is retried. (`infra/` sets
    ReportBatchItemFailures on the event source, without which Lambda ignores the list.)"""
    from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response

    def record_handler(record: Any) -> None:
        try:
            worker.handle(json.loads(record.body))
        except providers.TransientFailure:
            _back_off(record)
            raise

    result: dict[str, Any] = dict(
        process_partial_response(
            event={"Records": records},
            record_handler=record_handler,
            processor=BatchProcessor(event_type=EventType.SQS),
            context=context,
        )
    )
    return result


# a transient failure waits 30 s, 1 min, 2 min, 4 min before the next try (the 5th goes to the DLQ)
BACKOFF_BASE = 30


def _back_off(record: Any) -> None:
    """Hide a failed record longer on each attempt: SQS alone would retry it as soon as the
    visibility timeout ends, the same for every attempt."""
    attempts = int(record.attributes.approximate_receive_count or 1)
    delay = min(BACKOFF_BASE * 2 ** (attempts - 1), 12 * 3600)
    try:
        *_, account, name = record.event_source_arn.split(":")
        sqs = outbox.queue_client()
        url = sqs.get_queue_url(QueueName=name, QueueOwnerAWSAccountId=account)["QueueUrl"]
        sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=record.receipt_handle, VisibilityTimeout=delay)
    except Exception:  # the record is retried anyway, after the queue's own visibility timeout
        logger.warning("could not delay the retry", extra={"message_id": record.message_id})


@bp.on_sqs_message(queue=QUEUE_NAME, batch_size=10, name=WORKER_FUNCTION)
def send_notifications(event: Any) -> dict[str, Any]:
    return process(event.to_dict().get("Records", []), getattr(bp, "lambda_context", None))
