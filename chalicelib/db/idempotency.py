"""`Idempotency-Key`: a retried write returns the first result, never runs twice.

A request that creates something (an order, a payment) carries an `Idempotency-Key`
header. The key is *claimed inside the write's own transaction*: the transaction that
places the order also puts the key's record (condition: the key is unused), holding the
fingerprint of the request body and a small reply (the new order's id). So:

* the key is read in the write's first BatchGetItem and written in its TransactWriteItems:
  no round trip of its own;
* a write that is refused (out of stock, credit exceeded) commits nothing and leaves its
  key unused: the client may fix the cart and retry with the same key;
* a retry after success finds the record and gets the first result back (`replayed`); two
  copies racing each other both run, exactly one commits, and the other's transaction
  fails on the key's condition: it reads the record and answers with the winner's result;
* the same key with another body is refused (422 `idempotency_key_reused`).

Keys are scoped by the caller (operation and user), so two users cannot collide or read
each other's results, and kept 30 days: a phone that sent an order, lost the reply and
stayed offline for a week still gets the first order back, not a second one.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from pynamodb.attributes import JSONAttribute, UnicodeAttribute
from pynamodb.exceptions import DoesNotExist

from chalicelib.core import clock
from chalicelib.core.errors import BadRequest, ValidationFailed
from chalicelib.core.headers import IDEMPOTENCY_HEADER
from chalicelib.core.ids import new_id
from chalicelib.db import keys
from chalicelib.db.base import Item
from chalicelib.db.tx import Tx, TxCancelled

REPLAYED_HEADER = "Idempotent-Replayed"
RESULT_TTL = 30 * 24 * 3600
LABEL = "idempotency"
_KEY_RE = re.compile(r"^[\x21-\x7e]{8,128}$")


class IdempotencyRecord(Item, discriminator="idempotency"):
    """A used key: PK=IDEMPOTENCY#scope|key, the body's fingerprint and the first reply."""

    fingerprint = UnicodeAttribute()
    reply = JSONAttribute()
    created_at = UnicodeAttribute()


def check_key(value: str | None) -> str:
    """The header's value, or 400 when it is missing or malformed (8-128 printable ASCII)."""
    key = (value or "").strip()
    if not key:
        raise BadRequest("idempotency_key_required")
    if not _KEY_RE.match(key):
        raise BadRequest("idempotency_key_invalid")
    return key


def fingerprint(payload: dict[str, Any]) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass
class Claim:
    """One request's use of its key: read with the request's first batch, written in its transaction."""

    scope: str
    key: str
    fingerprint: str
    earlier: dict[str, Any] | None = field(default=None)

    @property
    def item_key(self) -> tuple[str, str]:
        return keys.idempotency(self.scope, self.key), keys.IDEMPOTENCY_SK

    @property
    def replayed(self) -> bool:
        return self.earlier is not None

    @property
    def headers(self) -> dict[str, str]:
        return {REPLAYED_HEADER: "true" if self.replayed else "false"}

    def read(self, found: dict[tuple[str, str], Item]) -> dict[str, Any] | None:
        """The first request's reply if the key was used (from a batch that read `item_key`)."""
        record = found.get(self.item_key)
        if not isinstance(record, IdempotencyRecord) or int(record.expires_at or 0) <= clock.epoch():
            return None  # unused, or expired and not yet swept by the table's TTL
        if record.fingerprint != self.fingerprint:
            detail = {"field": IDEMPOTENCY_HEADER, "code": "idempotency_key_reused"}
            raise ValidationFailed("idempotency_key_reused", details=[detail])
        self.earlier = dict(record.reply)
        return self.earlier

    def fetch(self) -> dict[str, Any]:
        """The winner's reply, after this request's transaction lost the key to a concurrent copy."""
        try:
            record = IdempotencyRecord.get(*self.item_key, consistent_read=True)
        except DoesNotExist as exc:  # the failed condition said it exists
            raise RuntimeError("idempotency record vanished") from exc
        reply = self.read({self.item_key: record})
        if reply is None:
            raise RuntimeError("idempotency record expired while in use")
        return reply

    def lost(self, exc: TxCancelled) -> bool:
        """Whether a cancelled transaction failed because the key was used meanwhile."""
        return LABEL in exc.failed

    def record(self, tx: Tx, reply: dict[str, Any]) -> None:
        """Claim the key in `tx`: committed with the write, or not at all."""
        now = clock.epoch()
        pk, sk = self.item_key
        item = IdempotencyRecord(
            PK=pk,
            SK=sk,
            fingerprint=self.fingerprint,
            reply=reply,
            created_at=clock.iso(),
            expires_at=now + RESULT_TTL,
        )
        unused = IdempotencyRecord.PK.does_not_exist() | (IdempotencyRecord.expires_at < now)
        tx.put(item, unused, label=LABEL)


def claim(scope: str, header: str | None, payload: dict[str, Any]) -> Claim:
    """The claim of a request's `Idempotency-Key` (400 when missing or malformed)."""
    return Claim(scope=scope, key=check_key(header), fingerprint=fingerprint(payload))


def once(scope: str) -> Claim:
    """The claim of a write made by code that never retries it (demo data, the CLI, tests)."""
    return Claim(scope=scope, key=new_id(), fingerprint="")
