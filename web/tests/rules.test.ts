import { describe, expect, it } from "vitest";
import {
  atPricesSeen,
  cashTaken,
  due,
  type Job,
  movedPrices,
  outcome,
  prune,
  retryDelay,
} from "../shared/offline/rules";

function job(over: Partial<Job>): Job {
  return {
    id: over.id ?? "j",
    user_id: "u1",
    key: "k",
    kind: "order",
    method: "POST",
    path: "/v1/orders",
    body: {},
    summary: {},
    created_at: "2026-12-04T10:00:00.000Z",
    state: "waiting",
    attempts: 0,
    next_try_at: 0,
    ...over,
  };
}

describe("what a reply means for a queued write", () => {
  it("2xx is done", () => expect(outcome(201).kind).toBe("done"));
  it("the network, 408, 429 and 5xx are tried again", () => {
    for (const status of ["network", 408, 429, 500, 503] as const) expect(outcome(status).kind).toBe("retry");
  });
  it("other 4xx are refused for good and shown", () => {
    for (const status of [400, 403, 404, 409, 422]) expect(outcome(status).kind).toBe("failed");
  });
  it("401 waits for the user to sign in again", () => expect(outcome(401).kind).toBe("auth"));
});

describe("sending order", () => {
  it("sends due jobs oldest first and skips the others", () => {
    const jobs = [
      job({ id: "b", created_at: "2026-12-04T10:00:02.000Z" }),
      job({ id: "a", created_at: "2026-12-04T10:00:01.000Z" }),
      job({ id: "later", next_try_at: 5_000 }),
      job({ id: "failed", state: "failed" }),
    ];
    expect(due(jobs, 1_000, "u1").map((j) => j.id)).toEqual(["a", "b"]);
  });
  it("sends a user's writes only with that user's session", () => {
    const jobs = [job({ id: "mine" }), job({ id: "theirs", user_id: "u2" })];
    expect(due(jobs, 0, "u1").map((j) => j.id)).toEqual(["mine"]);
    expect(due(jobs, 0, "u2").map((j) => j.id)).toEqual(["theirs"]);
    expect(due(jobs, 0, null)).toEqual([]);
  });
  it("waits longer after each failure, up to 5 minutes", () => {
    expect([1, 2, 3].map(retryDelay)).toEqual([2_000, 4_000, 8_000]);
    expect(retryDelay(30)).toBe(300_000);
  });
  it("keeps the 20 most recent sent jobs only", () => {
    const jobs = Array.from({ length: 25 }, (_, i) =>
      job({
        id: String(i),
        state: "done",
        created_at: `2026-12-04T10:00:${String(i).padStart(2, "0")}.000Z`,
      }),
    );
    expect(prune(jobs).map((j) => j.id)).toEqual(["4", "3", "2", "1", "0"]);
  });
});

describe("an order refused because prices moved since the shop saw them", () => {
  const moved = (field: string, seen: number, now: number) => ({
    field,
    code: "price_changed",
    message: "…",
    price_seen: seen,
    price_with_vat: now,
    base_price: 0,
  });
  it("lists each line's price then and now when nothing else stands in the way", () => {
    const problem = {
      code: "order_rejected",
      message: "…",
      details: [moved("items.0.price_seen", 13080, 14170), moved("items.2.price_seen", 500, 450)],
    };
    expect(movedPrices(problem)).toEqual([
      { index: 0, price_seen: 13080, price_with_vat: 14170 },
      { index: 2, price_seen: 500, price_with_vat: 450 },
    ]);
  });
  it("is null when another reason must be fixed, or for another refusal", () => {
    const stock = { field: "items.1.quantity", code: "out_of_stock", message: "…", available: 3 };
    const details = [moved("items.0.price_seen", 13080, 14170), stock];
    expect(movedPrices({ code: "order_rejected", message: "…", details })).toBeNull();
    expect(movedPrices({ code: "credit_limit_exceeded", message: "…" })).toBeNull();
    expect(movedPrices(undefined)).toBeNull();
  });
  it("sends the order again with today's prices as the ones seen, the other lines as they were", () => {
    const body = {
      payment_method: "cash_on_delivery",
      items: [
        { product_id: "p1", quantity: 4, price_seen: 13080 },
        { product_id: "p2", quantity: 6, price_seen: 14280 },
      ],
    };
    const again = atPricesSeen(body, [{ index: 0, price_seen: 13080, price_with_vat: 14170 }]);
    expect(again.items).toEqual([
      { product_id: "p1", quantity: 4, price_seen: 14170 },
      { product_id: "p2", quantity: 6, price_seen: 14280 },
    ]);
    expect(again.payment_method).toBe("cash_on_delivery");
  });
});

describe("the cash a driver holds", () => {
  const delivery = (over: Partial<Job>) =>
    job({ kind: "deliver", state: "done", summary: { cash: 122080 }, ...over }); // 13 DA of duty on top

  it("is today's deliveries' cash and the stamp duty on it, in Algiers' day", () => {
    const jobs = [
      delivery({ id: "a", created_at: "2026-12-07T08:00:00.000Z" }),
      delivery({ id: "b", created_at: "2026-12-07T23:30:00.000Z", state: "waiting" }), // 00:30 on the 8th
      delivery({ id: "c", created_at: "2026-12-06T23:30:00.000Z" }), // 00:30 on the 7th
      delivery({ id: "d", created_at: "2026-12-06T10:00:00.000Z" }), // yesterday's: handed in
      delivery({ id: "e", created_at: "2026-12-07T09:00:00.000Z", state: "failed" }), // refused
      job({ id: "f", kind: "not_delivered", created_at: "2026-12-07T09:00:00.000Z", summary: { cash: 5 } }),
    ];
    expect(cashTaken(jobs, "2026-12-07")).toBe(2 * (122080 + 1300));
    expect(cashTaken(jobs, "2026-12-08")).toBe(122080 + 1300);
  });

  it("adds no duty on a small amount (none up to 300 DA)", () => {
    expect(
      cashTaken(
        [delivery({ summary: { cash: 1000 }, created_at: "2026-12-07T08:00:00.000Z" })],
        "2026-12-07",
      ),
    ).toBe(1000);
  });
});
