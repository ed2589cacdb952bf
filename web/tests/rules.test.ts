import { describe, expect, it } from "vitest";
import { cashTaken, due, type Job, outcome, priceChanges, prune, retryDelay } from "../shared/offline/rules";

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
      job({ id: "held", state: "review" }),
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

describe("price check of an order saved offline", () => {
  const lines = [
    { product_id: "p1", quantity: 6, price_with_vat: 10000 },
    { product_id: "p2", quantity: 1, price_with_vat: 500 },
    { product_id: "p3", quantity: 1, price_with_vat: 700 },
  ];
  it("lists what changed or left the catalog, ignores what the device does not know", () => {
    const now = new Map<string, number | null>([
      ["p1", 11000],
      ["p2", null],
    ]);
    expect(priceChanges(lines, now)).toEqual([
      { product_id: "p1", was: 10000, now: 11000 },
      { product_id: "p2", was: 500, now: null },
    ]);
  });
  it("is empty when prices held", () => {
    expect(priceChanges(lines, new Map([["p1", 10000]]))).toEqual([]);
  });
  it("leaves to the server a line saved without the price seen (by an earlier app)", () => {
    const saved = [{ product_id: "p1", quantity: 6, unit_price: 8403 }] as unknown as typeof lines;
    expect(priceChanges(saved, new Map([["p1", 10000]]))).toEqual([]);
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
