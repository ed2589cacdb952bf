// The device's write queue, its rules only (no I/O): what a reply means for a queued write,
// and when to try again. Each write keeps one Idempotency-Key for all its tries, so the
// server applies it once however many times it is sent.

import { today } from "../format";
import { withStampDuty } from "../money";

export type JobKind = "order" | "cancel" | "deliver" | "not_delivered";
export type JobState = "waiting" | "failed" | "done";

export interface ApiProblem {
  code: string;
  message: string;
  details?: unknown;
}

export interface Job {
  id: string;
  /** who made it: it is only ever sent with that user's session */
  user_id: string;
  /** sent as Idempotency-Key on every try */
  key: string;
  kind: JobKind;
  method: "POST";
  path: string;
  body: unknown;
  /** what the screen needs to show the write while it waits (e.g. the order's lines and estimate) */
  summary: Record<string, unknown>;
  created_at: string;
  state: JobState;
  attempts: number;
  next_try_at: number;
  problem?: ApiProblem;
  /** the server's reply data once sent */
  result?: unknown;
}

export type Outcome =
  | { kind: "done" }
  | { kind: "retry" } // network down, 408, 429, 5xx: keep it, try later
  | { kind: "auth" } // the session is gone: keep it, the user signs in again, then it goes
  | { kind: "failed" }; // refused for good (4xx): keep it and show why; the user decides

export function outcome(status: number | "network"): Outcome {
  if (status === "network") return { kind: "retry" };
  if (status >= 200 && status < 300) return { kind: "done" };
  if (status === 401) return { kind: "auth" };
  if (status === 408 || status === 429 || status >= 500) return { kind: "retry" };
  return { kind: "failed" };
}

const BASE_DELAY_MS = 2_000;
const MAX_DELAY_MS = 5 * 60_000;

/** Growing delays between tries: 2 s, 4 s, 8 s … capped at 5 minutes. */
export function retryDelay(attempts: number): number {
  return Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
}

/** Jobs of `userId` to send now, oldest first (a delivery is sent in the order it was made);
 * another user's writes wait on this device until that user signs in again. */
export function due(jobs: Job[], now: number, userId: string | null): Job[] {
  return jobs
    .filter((job) => job.user_id === userId && job.state === "waiting" && job.next_try_at <= now)
    .sort((a, b) => a.created_at.localeCompare(b.created_at));
}

/** Jobs kept on the device once sent, so the screen can say "sent"; older ones are dropped. */
export const KEEP_DONE = 20;

export function prune(jobs: Job[]): Job[] {
  const done = jobs
    .filter((job) => job.state === "done")
    .sort((a, b) => b.created_at.localeCompare(a.created_at));
  return done.slice(KEEP_DONE);
}

/** A line of an order whose price moved after the shop saw it (the server's `price_changed`). */
export interface MovedPrice {
  /** the line's index in the order's items */
  index: number;
  price_seen: number;
  price_with_vat: number;
}

/** The lines of a refused order if prices moved and nothing else stood in its way (the shop may
 * then send it at today's prices in one tap); null when something else must be fixed. */
export function movedPrices(problem: ApiProblem | undefined): MovedPrice[] | null {
  if (problem?.code !== "order_rejected" || !Array.isArray(problem.details) || !problem.details.length)
    return null;
  const moved: MovedPrice[] = [];
  for (const detail of problem.details as Record<string, unknown>[]) {
    const index = /^items\.(\d+)\.price_seen$/.exec(String(detail.field))?.[1];
    const { price_seen, price_with_vat } = detail;
    if (detail.code !== "price_changed" || index === undefined) return null;
    if (typeof price_seen !== "number" || typeof price_with_vat !== "number") return null;
    moved.push({ index: Number(index), price_seen, price_with_vat });
  }
  return moved;
}

/** An order's body with today's prices as the ones seen (the shop accepted them). */
export function atPricesSeen<T extends { items: { price_seen?: number }[] }>(
  body: T,
  moved: MovedPrice[],
): T {
  const items = body.items.map((item, index) => {
    const change = moved.find((line) => line.index === index);
    return change ? { ...item, price_seen: change.price_with_vat } : item;
  });
  return { ...body, items };
}

/** The cash a driver took on `day` (YYYY-MM-DD, Algiers) by the deliveries made on this device:
 * what was paid on each order and the stamp duty taken on top of it. A delivery the server
 * refused took none, and another day's cash was handed in at the depot. */
export function cashTaken(jobs: readonly Job[], day: string): number {
  return jobs
    .filter(
      (job) => job.kind === "deliver" && job.state !== "failed" && today(new Date(job.created_at)) === day,
    )
    .reduce((sum, job) => sum + withStampDuty(Number(job.summary.cash ?? 0)), 0);
}
