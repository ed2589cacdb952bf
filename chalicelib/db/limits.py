"""Rate limits kept in the table: window counters with a TTL, no other server.

A counter is one item per (limit, subject, window): PK=LIMIT#name#hmac, SK=W#index. The
subject (an address, a username, a phone) is stored only as a keyed digest. :func:`hit`
adds one to the current window and reads the new count back in one UpdateItem;
:func:`counts` reads several counters in one BatchGetItem, to refuse before costly work (a
password hash).

A limit counts over `span` windows: the current one and the `span - 1` before it. With a
span of 2 a count never drops to nothing at a window's edge — any `max` events within one
window's length are always seen together — and the read costs no extra round trip (the
windows' items are in the same BatchGetItem). An item expires once the last span that reads
it has ended (DynamoDB's TTL deletes it later still; a window outside the span is never
read, as the indexes read have moved on).
"""

from __future__ import annotations

from dataclasses import dataclass

from pynamodb.attributes import NumberAttribute

from chalicelib.core import clock, security
from chalicelib.core.errors import TooManyRequests
from chalicelib.db import keys
from chalicelib.db.base import Item, Key, read_many
from chalicelib.db.updates import typed


@dataclass(frozen=True)
class Limit:
    """At most `max` counted events for one subject in the current `window` seconds and the
    `span - 1` windows before it."""

    name: str
    max: int
    window: int
    span: int = 1

    def index(self, now: int) -> int:
        return now // self.window

    def retry_after(self, now: int) -> int:
        """Seconds until every event counted now has left the span (at most: the window's end
        when the span is 1)."""
        return (self.index(now) + self.span) * self.window - now


@dataclass(frozen=True)
class Count:
    """A subject's count under a limit: in the current window, and in the span's earlier ones."""

    current: int
    earlier: int

    @property
    def total(self) -> int:
        return self.current + self.earlier


class Counter(Item, discriminator="limit"):
    n = NumberAttribute(default=0)


def key(limit: Limit, subject: str, now: int, back: int = 0) -> Key:
    """The counter of `subject` under `limit` in the current window (`back` windows before it)."""
    digest = security.sign(f"limit:{limit.name}:{subject.strip().lower()}".encode())
    return keys.rate_limit(limit.name, digest), keys.rate_window(limit.index(now) - back)


def span_keys(limit: Limit, subject: str, now: int) -> list[Key]:
    """Every counter the limit reads for `subject`: the current window's first."""
    return [key(limit, subject, now, back) for back in range(limit.span)]


def hit(limit: Limit, subject: str, now: int | None = None) -> int:
    """Count one event for `subject` in the current window; that window's count so far, this
    one included (add the `Count.earlier` read before for the span's total)."""
    at = clock.epoch() if now is None else now
    pk, sk = key(limit, subject, at)
    counter = Counter(PK=pk, SK=sk)
    counter.update(
        actions=[
            typed(Counter),
            Counter.n.add(1),
            Counter.expires_at.set((limit.index(at) + 1 + limit.span) * limit.window),
        ]
    )
    return int(counter.n)


def counts(
    checks: list[tuple[Limit, str]], now: int, also: list[Key] | None = None
) -> tuple[list[Count], dict[Key, Item]]:
    """The count of each (limit, subject) over its span, read in one BatchGetItem together
    with the items `also` names (returned as found, by key)."""
    spans = [span_keys(limit, subject, now) for limit, subject in checks]
    extra = set(also or [])
    found = read_many([*(k for span in spans for k in span), *extra])

    def n(k: Key) -> int:
        return int(getattr(found.get(k), "n", 0) or 0)

    numbers = [Count(n(span[0]), sum(n(k) for k in span[1:])) for span in spans]
    return numbers, {k: v for k, v in found.items() if k in extra}


def refusal(limit: Limit, now: int) -> TooManyRequests:
    """The 429 of a spent limit, with the seconds until it opens again."""
    wait = limit.retry_after(now)
    return TooManyRequests(
        params={"minutes": max(1, (wait + 59) // 60)},
        details={"retry_after_seconds": wait},
        headers={"Retry-After": str(wait)},
    )


def enforce(limit: Limit, subject: str | None, now: int | None = None) -> None:
    """Count one event for `subject` and refuse it (429) beyond the limit, in the current
    window (a limit of span 1: a quota that starts again with each window). Nothing to count
    without a subject (a request with no known address)."""
    if not subject:
        return
    at = clock.epoch() if now is None else now
    if hit(limit, subject, at) > limit.max:
        raise refusal(limit, at)
