"""Recording a domain event: the one way a change tells the world about itself.

`record(tx, event)` writes, in the change's own transaction, the event's entries in the
change feed of each audience that sees it (`feed.AUDIENCES`) and, for the kinds the queue
carries (`outbox.QUEUED`), its outbox item, sent to the queue once the transaction commits.
A domain calls this and knows nothing of who listens.
"""

from __future__ import annotations

from chalicelib.core import clock
from chalicelib.core.ids import new_id
from chalicelib.db.tx import Tx
from chalicelib.events import feed, outbox
from chalicelib.events.kinds import DomainEvent


def record(tx: Tx, event: DomainEvent) -> None:
    moment = clock.now()
    event_id = new_id(moment)
    created = clock.iso(moment)
    feed.write(tx, event, event_id, created)
    outbox.write(tx, event, event_id, created)
