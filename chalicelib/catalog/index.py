"""The search index each warm Lambda keeps in memory, and how it stays fresh.

Why a snapshot plus a change log (and not a token index in DynamoDB): a catalog of 20,000
products is ~2 MB of searchable text. Held in memory it answers a query in about a
millisecond with full ranking (exact over normalized, prefixes, any language), where a token
index in DynamoDB would cost one Query per query token plus a merge, and a rewrite of every
token item on each rename. So:

* **Snapshot** — every product's searchable fields, gzipped JSON in S3
  (`catalog/search/index.json.gz`), with a *watermark*: the time up to which it is complete.
  :func:`rebuild` writes it from the table (Queries per top category, never a Scan); the
  scheduled function runs it every 15 minutes, and a process that finds no snapshot builds one.
* **Change log** — each product write adds a `SearchChange` item (PK=SEARCHLOG) with the
  product's new searchable fields *in the same transaction*, so no change can be missed.
  Items expire after 3 days (TTL); snapshots are far more frequent than that.
* **Warm index** — a process loads the snapshot once, then before each search replays the
  changes since its horizon with one consistent Query (usually empty). The horizon trails
  the newest change seen by 10 s, so a change committed late with an older timestamp is still
  picked up; replays are idempotent (a doc only replaces an older version). The snapshot is
  re-read (conditional GET on its ETag) every `LIVRILI_SEARCH_SNAPSHOT_MAX_AGE` seconds.

Search results are ids only; the page shown is read fresh from the table (BatchGetItem), so
price, stock and the active flag are never stale.
"""

from __future__ import annotations

import gc
import gzip
import json
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from chalicelib.catalog.models import Product, SearchChange, all_categories
from chalicelib.catalog.search import Doc, SearchIndex
from chalicelib.core import clock, storage
from chalicelib.core.config import settings
from chalicelib.core.observability import logger
from chalicelib.db import keys

SNAPSHOT_KEY = "catalog/search/index.json.gz"
SNAPSHOT_FORMAT = 1  # rows: Doc.to_row(with_terms=True)
CHANGE_TTL = timedelta(days=3)
REPLAY_OVERLAP = timedelta(seconds=10)
REBUILD_MARGIN = timedelta(seconds=60)


# the product fields the index holds
DOC_FIELDS = ("category_id", "top_category_id", "is_active", "name_ar", "name_fr", "name_en", "sku", "barcode")


def doc_of(product_id: str, fields: Mapping[str, Any], version: int) -> Doc:
    """The searchable form of a product with these field values (`DOC_FIELDS`)."""
    return Doc(
        product_id=product_id,
        category_id=fields["category_id"],
        top_category_id=fields["top_category_id"],
        is_active=bool(fields["is_active"]),
        names={"ar": fields["name_ar"], "fr": fields["name_fr"], "en": fields["name_en"]},
        sku=fields["sku"],
        barcode=fields["barcode"],
        version=version,
    )


def product_doc(product: Product) -> Doc:
    return doc_of(product.product_id, {f: getattr(product, f) for f in DOC_FIELDS}, int(product.version))


def change_item(doc: Doc) -> SearchChange:
    """The change-log item to write in the transaction that creates or edits a product."""
    now = clock.now()
    ts = clock.iso(now)
    return SearchChange(
        PK=keys.SEARCH_LOG,
        SK=keys.search_change(ts, doc.product_id, doc.version),
        product_id=doc.product_id,
        product_version=doc.version,
        ts=ts,
        doc=doc.to_row(),
        expires_at=clock.epoch(now + CHANGE_TTL),
    )


# ------------------------------------------------------------------ snapshot


@dataclass
class Snapshot:
    watermark: str
    built_at: str
    docs: list[Doc]
    etag: str | None = None


def _encode(snapshot: Snapshot) -> bytes:
    body = {
        "format": SNAPSHOT_FORMAT,
        "watermark": snapshot.watermark,
        "built_at": snapshot.built_at,
        "docs": [d.to_row(with_terms=True) for d in snapshot.docs],
    }
    return gzip.compress(json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode(), mtime=0)


def _decode(data: bytes, etag: str | None = None) -> Snapshot | None:
    """The snapshot in `data`, or None when it is in another format (it is then rebuilt)."""
    body = json.loads(gzip.decompress(data))
    if body.get("format") != SNAPSHOT_FORMAT:
        logger.warning("unknown search snapshot format; rebuilding", extra={"format": body.get("format")})
        return None
    return Snapshot(body["watermark"], body["built_at"], [Doc.from_row(r) for r in body["docs"]], etag)


def load_index(data: bytes, etag: str | None = None) -> tuple[Snapshot, SearchIndex] | None:
    """Decode a snapshot and index it — a cold process's one big job. The cyclic garbage
    collector is paused meanwhile: it would otherwise walk the ~400k new objects many times
    (a quarter of the load time) while nothing here can form a cycle."""
    gc.disable()
    try:
        snapshot = _decode(data, etag)
        return None if snapshot is None else (snapshot, SearchIndex(snapshot.docs))
    finally:
        gc.enable()


def all_products() -> list[Product]:
    """Every product, through the per-top-category listings (one Query per key, no Scan)."""
    tops = [c.category_id for c in all_categories() if c.parent_id is None]
    products: list[Product] = []
    for top in tops:
        for active in (True, False):
            products.extend(Product.gsi2.query(keys.products_under_top(top, active)))
    return products


def rebuild() -> Snapshot:
    """Write a fresh snapshot from the table. Complete up to its watermark (start - 60 s):
    changes after that are replayed from the change log by every reader."""
    started = clock.now()
    docs = [product_doc(p) for p in all_products()]
    snapshot = Snapshot(watermark=clock.iso(started - REBUILD_MARGIN), built_at=clock.iso(started), docs=docs)
    data = _encode(snapshot)
    snapshot.etag = storage.put_object(SNAPSHOT_KEY, data, "application/json", content_encoding="gzip")
    logger.info("search snapshot rebuilt", extra={"products": len(docs), "bytes": len(data)})
    return snapshot


# ------------------------------------------------------------------ the warm index


class _Warm:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.index: SearchIndex | None = None
        self.etag: str | None = None
        self.horizon = ""
        self.loaded_at = 0.0

    def reset(self) -> None:
        self.index, self.etag, self.horizon, self.loaded_at = None, None, "", 0.0


_warm = _Warm()


def _load_snapshot() -> None:
    try:
        found = storage.get_object(SNAPSHOT_KEY, _warm.etag if _warm.index is not None else None)
    except storage.NotModified:
        _warm.loaded_at = time.monotonic()
        return
    loaded = load_index(*found) if found is not None else None
    if loaded is None:  # no snapshot yet (or an old format): build it, keep its ETag
        snapshot = rebuild()
        loaded = snapshot, SearchIndex(snapshot.docs)
    snapshot, _warm.index = loaded
    _warm.etag = snapshot.etag
    _warm.horizon = snapshot.watermark
    _warm.loaded_at = time.monotonic()


def _replay() -> int:
    assert _warm.index is not None
    newest = ""
    applied = 0
    since = SearchChange.SK >= _warm.horizon if _warm.horizon else None  # noqa: SIM300
    changes = SearchChange.query(keys.SEARCH_LOG, since, consistent_read=True)
    for change in changes:
        applied += _warm.index.upsert(Doc.from_row(change.doc))
        newest = max(newest, change.ts)
    if newest:
        trailing = clock.iso(clock.parse_iso(newest) - REPLAY_OVERLAP)
        _warm.horizon = max(_warm.horizon, trailing)
    return applied


def warm_index() -> SearchIndex:
    """The process's index, brought up to date with the change log (one Query when warm)."""
    with _warm.lock:
        max_age = settings().search_snapshot_max_age
        if _warm.index is None or time.monotonic() - _warm.loaded_at > max_age:
            _load_snapshot()
        _replay()
        assert _warm.index is not None
        return _warm.index


def reset() -> None:
    """Forget the warm index (tests; a process that switched tables)."""
    with _warm.lock:
        _warm.reset()
