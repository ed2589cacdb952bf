"""Rate limits kept in the table: fixed-window counters with a TTL, no other server.

A counter is one item per (limit, subject, window): PK=LIMIT#name#hmac, SK=W#index. The
subject (an address, a username, a phone) is stored only as a keyed digest. :func:`hit`
adds one and reads the new count back in one UpdateItem; :func:`counts` reads several
counters in one BatchGetItem, to refuse before costly work (a password hash). The item
expires one window after its own ends (DynamoDB's TTL deletes it later still; an expired
window is never read, as the index in its key has moved on).
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
    """At most `max` counted events per `window` seconds for one subject."""

    name: str
    max: int
    window: int

    def index(self, now: int) -> int:
        return now // self.window

    def retry_after(self, now: int) -> int:
        """Seconds until this window ends and the count starts again."""
        return (self.index(now) + 1) * self.window - now


class Counter(Item, discriminator="limit"):
    n = NumberAttribute(default=0)


def key(limit: Limit, subject: str, now: int) -> Key:
    digest = security.sign(f"limit:{limit.name}:{subject.strip().lower()}".encode())
    return keys.rate_limit(limit.name, digest), keys.rate_window(limit.index(now))


def hit(limit: Limit, subject: str, now: int | None = None) -> int:
    """Count one event for `subject` in the current window; the count so far, this one included."""
    at = clock.epoch() if now is None else now
    pk, sk = key(limit, subject, at)
    counter = Counter(PK=pk, SK=sk)
    counter.update(
        actions=[
            typed(Counter),
            Counter.n.add(1),
            Counter.expires_at.set((limit.index(at) + 2) * limit.window),
        ]
    )
    return int(counter.n)


def counts(
    checks: list[tuple[Limit, str]], now: int, also: list[Key] | None = None
) -> tuple[list[int], dict[Key, Item]]:
    """The current count of each (limit, subject), read in one BatchGetItem together with
    the items `also` names (returned as found, by key)."""
    wanted = [key(limit, subject, now) for limit, subject in checks]
    extra = set(also or [])
    found = read_many([*wanted, *extra])
    numbers = [int(getattr(found.get(k), "n", 0) or 0) for k in wanted]
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
    """Count one event for `subject` and refuse it (429) beyond the limit. Nothing to count
    without a subject (a request with no known address)."""
    if not subject:
        return
    at = clock.epoch() if now is None else now
    if hit(limit, subject, at) > limit.max:
        raise refusal(limit, at)
