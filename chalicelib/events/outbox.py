"""The outbox: how a recorded event reaches its consumers.

`record(tx, event)` adds the event to the change's own transaction (an outbox item) and,
once the transaction commits, sends it to the event queue with short timeouts and no
retries; if SQS does not answer, the request still succeeds and `relay()` (every minute)
sends what is left. So an event exists exactly when its change does: none is lost, and the
consumers are idempotent per event for the rare one sent twice (publish succeeded, the
outbox delete did not).

Which kinds the queue carries is the routing table `QUEUED` below — the bus's own rule,
like an EventBridge rule; the domains never know it. An event no consumer takes is not
written at all.

Why an outbox and not DynamoDB Streams: Streams would drop the after-commit send and the
relay, but the local stack (moto server) has no stream-to-queue pipe, so `make run` and the
tests would deliver events one way and AWS another. The outbox is one path everywhere.
"""

from __future__ import annotations

import json
from datetime import timedelta
from functools import lru_cache

from botocore.client import BaseClient

from chalicelib.core import clock
from chalicelib.core.config import settings
from chalicelib.core.observability import count, logger
from chalicelib.db import keys
from chalicelib.db.tx import Tx
from chalicelib.events.kinds import KINDS, DomainEvent
from chalicelib.events.models import OutboxEvent

RELAY_AFTER = timedelta(seconds=60)

# the kinds the event queue carries (its consumer today: the notification worker)
QUEUED: frozenset[str] = frozenset(
    {
        "retailer.approved",
        "retailer.rejected",
        "order.confirmed",
        "order.out_for_delivery",
        "order.delivered",
        "order.cancelled",
        "payment.received",
        "credit.reminder_before_due",
        "credit.reminder_due",
        "credit.reminder_overdue",
        "credit.escalation",
        "catalog.low_stock_digest",
        "auth.reset_code",
        "auth.login_code",
        "auth.phone_code",
        "announcement.posted",
    }
)
if not QUEUED <= KINDS:
    raise RuntimeError(f"the queue routes unknown kinds: {sorted(QUEUED - KINDS)}")


@lru_cache(maxsize=1)
def queue_client() -> BaseClient:
    import boto3
    from botocore.config import Config

    # never hold a request up: one quick try, the relay sends what does not get through
    config = Config(connect_timeout=1, read_timeout=2, retries={"max_attempts": 1, "mode": "standard"})
    return boto3.client("sqs", region_name=settings().region, config=config)


@lru_cache(maxsize=1)
def queue_url() -> str:
    url: str = queue_client().get_queue_url(QueueName=settings().event_queue_name)["QueueUrl"]
    return url


def reset() -> None:
    """Forget clients (tests switch AWS mocks)."""
    queue_client.cache_clear()
    queue_url.cache_clear()
    dead_letter_url.cache_clear()


def write(tx: Tx, event: DomainEvent, event_id: str, created: str) -> None:
    """The outbox item of `event` in the change's transaction (`bus.record`), when the queue
    carries its kind; it goes to the queue once the transaction commits."""
    if event.kind not in QUEUED:
        return
    item = OutboxEvent(
        PK=keys.OUTBOX,
        SK=keys.outbox(created, event_id),
        event_id=event_id,
        kind=event.kind,
        payload=event.payload,
        created_at=created,
    )
    tx.create(item, label="outbox")
    tx.after_commit(lambda: publish(item))


def body(item: OutboxEvent) -> str:
    """The queue message of an outbox event."""
    fields = {"event_id": item.event_id, "kind": item.kind, "payload": item.payload, "created_at": item.created_at}
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":"))


def publish(item: OutboxEvent) -> bool:
    """Put one outbox event on the queue and drop it from the outbox; False if SQS failed."""
    try:
        queue_client().send_message(QueueUrl=queue_url(), MessageBody=body(item))
    except Exception:  # the event stays in the outbox; the relay sends it
        logger.warning("event queue unreachable; event kept in the outbox", extra={"event_id": item.event_id})
        count("OutboxDeferred")
        return False
    try:
        item.delete()
    except Exception:  # sent twice at worst: the consumers are idempotent per event
        logger.warning("outbox item not deleted", extra={"event_id": item.event_id})
    return True


def relay() -> int:
    """Send the events still in the outbox a minute after their change; returns how many."""
    horizon = clock.iso(clock.now() - RELAY_AFTER)
    sent = 0
    for item in OutboxEvent.query(keys.OUTBOX, horizon > OutboxEvent.SK, consistent_read=True):
        sent += publish(item)
    return sent


def depth(dead_letters: bool = False) -> int | None:
    """Messages waiting on the event queue (or on its dead-letter queue) for the health
    checks, or None if the queue does not answer."""
    try:
        cfg = settings()
        url = dead_letter_url(cfg.dead_letter_queue_name) if dead_letters else queue_url()
        reply = queue_client().get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
    except Exception:  # any transport or permission failure means unhealthy
        return None
    return int(reply.get("Attributes", {}).get("ApproximateNumberOfMessages", 0))


@lru_cache(maxsize=1)
def dead_letter_url(name: str) -> str:
    url: str = queue_client().get_queue_url(QueueName=name)["QueueUrl"]
    return url
