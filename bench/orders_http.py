"""Order placement over real HTTP against the local stack (`make run`'s: moto server +
chalice local in one process): p50/p95 latency of sequential orders of 1 and 10 lines, and
a burst of parallel orders on one product.

Run: `python bench/orders_http.py`. These are numbers of the dev server (moto answers every
DynamoDB call in Python, one at a time), not of Lambda + DynamoDB; compare them run to run.
"""

from __future__ import annotations

import statistics
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import call, devstack, login  # noqa: E402

ADMIN = ("bench-admin", "bench-admin-pass-1")
BUYER = ("yacine.baraka", "demo-pass-2026")


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    with devstack(ADMIN, demo=True) as base:
        admin, buyer = login(base, *ADMIN), login(base, *BUYER)
        products = call("GET", f"{base}/v1/products?limit=100", buyer).json()["data"]
        for p in products:  # enough stock for the run
            call(
                "POST", f"{base}/v1/products/{p['product_id']}/stock", admin, json={"delta": 50_000, "reason": "bench"}
            )

        def order(lines: int) -> float:
            items = [{"product_id": p["product_id"], "quantity": p["min_order_quantity"]} for p in products[:lines]]
            started = time.perf_counter()
            headers = {"Idempotency-Key": uuid.uuid4().hex}
            reply = call("POST", f"{base}/v1/orders", buyer, json={"items": items}, headers=headers, timeout=120)
            assert reply.status_code == 201, reply.text
            return (time.perf_counter() - started) * 1000

        for lines, runs in ((1, 60), (10, 40)):
            order(lines)  # warm
            samples = [order(lines) for _ in range(runs)]
            print(
                f"POST /v1/orders, {lines:2} line(s), sequential x{runs}: "
                f"p50 {statistics.median(samples):6.1f} ms  p95 {_pct(samples, 0.95):6.1f} ms"
            )
        for parallel in (10, 50):
            started = time.perf_counter()
            with ThreadPoolExecutor(parallel) as pool:
                samples = list(pool.map(lambda _: order(1), range(parallel)))
            wall = time.perf_counter() - started
            print(
                f"POST /v1/orders, 1 line, {parallel} in parallel on one product: wall {wall:5.2f} s, "
                f"p50 {statistics.median(samples):6.1f} ms  p95 {_pct(samples, 0.95):6.1f} ms"
            )


if __name__ == "__main__":
    main()
