"""Notification event handlers (registered by `app.py`): the SQS worker and the outbox relay.
Thin: the work lives in `notify.service`; Twilio is imported only when a message is sent."""

from __future__ import annotations

import json
from typing import Any

from chalice import Blueprint, Rate

from chalicelib.notify import service

bp = Blueprint(__name__)

WORKER_FUNCTION = "send_notifications"
RELAY_FUNCTION = "relay_outbox"
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
        service.handle(json.loads(record.body))

    result: dict[str, Any] = process_partial_response(
        event={"Records": records},
        record_handler=record_handler,
        processor=BatchProcessor(event_type=EventType.SQS),
        context=context,
    )
    return result


@bp.on_sqs_message(queue=QUEUE_NAME, batch_size=10, name=WORKER_FUNCTION)
def send_notifications(event: Any) -> dict[str, Any]:
    return process(event.to_dict().get("Records", []), getattr(bp, "lambda_context", None))


@bp.schedule(Rate(1, unit=Rate.MINUTES), name=RELAY_FUNCTION)
def relay_outbox(event: Any) -> dict[str, Any]:
    """Every minute: events whose change committed but which did not reach the queue."""
    return {"sent": service.relay()}
