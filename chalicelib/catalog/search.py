"""The in-memory product search engine (pure: no I/O; `catalog.index` feeds and refreshes it).

Each product is a :class:`Doc` indexed under its terms (see `catalog.text`): the tokens of
its names in every language, their article-less Arabic forms and digit/letter parts, its SKU
(whole and in parts) and barcode. A query matches a product when every query token is a
*prefix* of one of the product's terms. Matches are ranked:

0. exact: the query is the SKU, the barcode, or a whole name as written (case aside);
1. literal: the query appears as written inside a name;
2. normalized: every query token is a whole term once normalized (قهوة ~ قهوه, cafe ~ Café);
3. prefix: some query token only starts a term (`hui` → huile).

Ties are ordered by the name in the caller's language. Lookups walk a sorted vocabulary
with `bisect`, so a query costs O(log V + matches), not a pass over the catalog.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import InitVar, dataclass, field
from typing import Any

from chalicelib.catalog.text import index_terms, normalize, sort_key_of_normalized, terms_of_normalized, tokens
from chalicelib.core.i18n import LANGUAGES, localized

# above this many matches the "appears as written" tier is skipped (a substring test each)
LITERAL_CHECK_LIMIT = 2000


@dataclass
class Doc:
    product_id: str
    category_id: str
    top_category_id: str
    is_active: bool
    names: dict[str, str | None]
    sku: str
    barcode: str | None
    version: int
    stored_terms: InitVar[str | None] = None  # the terms as a snapshot carries them (skips normalizing)
    terms: frozenset[str] = field(init=False, repr=False)
    _folded: tuple[str, ...] = field(init=False, repr=False)
    _sort: dict[str, str] = field(init=False, repr=False)

    def __post_init__(self, stored_terms: str | None) -> None:
        normalized = {name: normalize(name) for name in self.names.values() if name}  # once per distinct name
        if stored_terms is not None:
            self.terms = frozenset(stored_terms.split(" "))
        else:
            terms: set[str] = set()
            for norm in normalized.values():
                terms |= terms_of_normalized(norm)
            sku = self.sku.casefold()
            terms |= index_terms(self.sku)
            terms.add(sku)
            terms.add("".join(ch for ch in sku if ch.isalnum()))
            if self.barcode:
                terms.add(self.barcode)
            self.terms = frozenset(t for t in terms if t)
        self._folded = tuple(name.casefold() for name in normalized)
        sort_of = {name: sort_key_of_normalized(norm) for name, norm in normalized.items()}
        self._sort = {lang: sort_of.get(self.name_in(lang), "") for lang in LANGUAGES}

    def name_in(self, lang: str) -> str:
        """The name a `lang` reader sees (`core.i18n.localized`)."""
        return localized(self.names, lang)[0] or ""

    def exact_keys(self) -> set[str]:
        """What an exact (tier 0) query equals: a whole name as written, the SKU, the barcode."""
        keys = {*self._folded, self.sku.casefold()}
        if self.barcode:
            keys.add(self.barcode)
        return keys

    def to_row(self, with_terms: bool = False) -> list[Any]:
        """Compact form for the snapshot file (with the terms: loading skips computing them)
        and the change log (without)."""
        row = [
            self.product_id,
            self.category_id,
            self.top_category_id,
            int(self.is_active),
            self.names.get("ar"),
            self.names.get("fr"),
            self.names.get("en"),
            self.sku,
            self.barcode,
            self.version,
        ]
        return [*row, " ".join(sorted(self.terms))] if with_terms else row

    @classmethod
    def from_row(cls, row: list[Any]) -> Doc:
        pid, cat, top, active, ar, fr, en, sku, barcode, version, *terms = row
        names = {"ar": ar, "fr": fr, "en": en}
        return cls(pid, cat, top, bool(active), names, sku, barcode, int(version), terms[0] if terms else None)


class SearchIndex:
    """Products by term, with a sorted vocabulary for prefix lookups."""

    def __init__(self, docs: list[Doc] | None = None) -> None:
        self.docs: dict[str, Doc] = {}
        self._postings: dict[str, set[str]] = defaultdict(set)
        self._vocab: list[str] | None = None
        self._exact: dict[str, set[str]] = defaultdict(set)  # folded name / SKU / barcode -> ids
        self._by_name: dict[str, list[str]] = {}
        self._position: dict[str, dict[str, int]] = {}
        self._prefix_cache: dict[str, frozenset[str]] = {}
        for doc in docs or ():  # bulk load (a snapshot): no older versions to replace
            if doc.product_id in self.docs:
                self.upsert(doc)
                continue
            self.docs[doc.product_id] = doc
            for term in doc.terms:
                self._postings[term].add(doc.product_id)
            for key in doc.exact_keys():
                self._exact[key].add(doc.product_id)

    def __len__(self) -> int:
        return len(self.docs)

    def upsert(self, doc: Doc) -> bool:
        """Add or replace a product; an older version than the one held is ignored."""
        old = self.docs.get(doc.product_id)
        if old is not None:
            if old.version >= doc.version:
                return False
            for term in old.terms - doc.terms:
                postings = self._postings[term]
                postings.discard(doc.product_id)
                if not postings:
                    del self._postings[term]
                    self._vocab = None
            for key in old.exact_keys():
                self._exact[key].discard(doc.product_id)
        self.docs[doc.product_id] = doc
        for term in doc.terms:
            postings = self._postings[term]
            if not postings:
                self._vocab = None
            postings.add(doc.product_id)
        for key in doc.exact_keys():
            self._exact[key].add(doc.product_id)
        self._by_name.clear()
        self._position.clear()
        self._prefix_cache.clear()
        return True

    def _vocabulary(self) -> list[str]:
        if self._vocab is None:
            self._vocab = sorted(self._postings)
        return self._vocab

    def _prefixed(self, token: str) -> frozenset[str]:
        """Ids having a term that starts with `token` (cached until the index changes)."""
        found = self._prefix_cache.get(token)
        if found is None:
            vocab = self._vocabulary()
            start = bisect.bisect_left(vocab, token)
            end = bisect.bisect_left(vocab, token + "\U0010ffff", start)
            found = frozenset().union(*(self._postings[term] for term in vocab[start:end]))
            if len(self._prefix_cache) > 4096:
                self._prefix_cache.clear()
            self._prefix_cache[token] = found
        return found

    def _all_by_name(self, lang: str) -> list[str]:
        ordered = self._by_name.get(lang)
        if ordered is None:
            ordered = sorted(self.docs, key=lambda pid: (self.docs[pid]._sort[lang], pid))
            self._by_name[lang] = ordered
            self._position[lang] = {pid: i for i, pid in enumerate(ordered)}
        return ordered

    def search(
        self,
        query: str | None,
        lang: str,
        *,
        category_id: str | None = None,
        active: bool | None = True,
    ) -> list[str]:
        """Product ids matching `query` (all products when empty), best first.

        `category_id` keeps products filed under it or under its subcategories; `active`
        keeps only active (True) or inactive (False) products, or both (None).
        """

        def keep(doc: Doc) -> bool:
            if active is not None and doc.is_active != active:
                return False
            return category_id is None or category_id in (doc.category_id, doc.top_category_id)

        query_tokens = tokens(query or "")
        if not query_tokens:
            return [pid for pid in self._all_by_name(lang) if keep(self.docs[pid])]
        candidates: frozenset[str] | None = None
        for token in sorted(set(query_tokens), key=len, reverse=True):  # longest first: smallest sets
            found = self._prefixed(token)
            candidates = found if candidates is None else candidates & found
            if not candidates:
                return []
        assert candidates is not None
        kept = {pid for pid in candidates if keep(self.docs[pid])}
        return self._ranked(kept, query or "", query_tokens, lang)

    def _ranked(self, ids: set[str], query: str, query_tokens: list[str], lang: str) -> list[str]:
        """Order matches by tier (see the module doc), then by name in `lang`."""
        folded = query.strip().casefold()
        exact = self._exact.get(folded, set()) & ids
        whole = set(ids)
        for token in query_tokens:
            whole &= self._postings.get(token, set())
        whole |= self._postings.get(normalize(query).strip(), set()) & ids
        literal: set[str] = set()
        if len(ids) <= LITERAL_CHECK_LIMIT:  # a substring test per product: only for focused results
            literal = {pid for pid in ids - exact if any(folded in name for name in self.docs[pid]._folded)}
        self._all_by_name(lang)
        position = self._position[lang]

        def tier(pid: str) -> int:
            if pid in exact:
                return 0
            if pid in literal:
                return 1
            return 2 if pid in whole else 3

        return sorted(ids, key=lambda pid: (tier(pid), position[pid]))
