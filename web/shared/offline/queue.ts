// The device's write queue in IndexedDB: a write is stored first, then sent, and kept until
// the server has answered it for good. Sent on start, on `online`, when the app comes back to
// the foreground and on a timer (no Background Sync: iOS has none). One flush at a time.
import { authedFetch } from "../api/client";
import { db } from "./db";
import { due, type Job, type JobKind, outcome, prune, retryDelay } from "./rules";

type Listener = (jobs: Job[]) => void;
const listeners = new Set<Listener>();
let flushing: Promise<void> | null = null;
/** Who is signed in: a job is only sent with its own user's session. */
let currentUser: () => string | null = () => null;

export function setUser(user: () => string | null): void {
  currentUser = user;
}

export function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export async function jobs(): Promise<Job[]> {
  const all = await (await db()).getAllFromIndex("outbox", "created");
  return all;
}

async function changed(): Promise<void> {
  const all = await jobs();
  for (const listener of listeners) listener(all);
}

async function save(job: Job): Promise<void> {
  await (await db()).put("outbox", job);
}

export async function enqueue(
  kind: JobKind,
  path: string,
  body: unknown,
  summary: Record<string, unknown>,
): Promise<Job> {
  const user = currentUser();
  if (!user) throw new Error("a write needs a signed-in user");
  const job: Job = {
    id: crypto.randomUUID(),
    user_id: user,
    key: crypto.randomUUID(),
    kind,
    method: "POST",
    path,
    body,
    summary,
    created_at: new Date().toISOString(),
    state: "waiting",
    attempts: 0,
    next_try_at: 0,
  };
  await save(job);
  await changed();
  return job;
}

/** Send what is due, oldest first; stop at the first network failure (the rest would fail too).
 * `now`: the network just came back, send what waits without waiting out its retry delay. */
export function flush(now = false): Promise<void> {
  flushing ??= flushOnce(now).finally(() => {
    flushing = null; // in .finally, never before the assignment (an early return would be)
  });
  return flushing;
}

async function flushOnce(now: boolean): Promise<void> {
  try {
    for (const job of due(await jobs(), now ? Number.POSITIVE_INFINITY : Date.now(), currentUser())) {
      if (!(await send(job))) break;
    }
    const database = await db();
    for (const old of prune(await jobs())) await database.delete("outbox", old.id);
  } finally {
    await changed();
  }
}

/** One try; false when the network (or the server) is down and the flush should stop. */
async function send(job: Job): Promise<boolean> {
  let status: number | "network";
  let reply: { data?: unknown; error?: Job["problem"] } = {};
  try {
    const response = await authedFetch(
      new Request(job.path, {
        method: job.method,
        headers: { "Content-Type": "application/json", "Idempotency-Key": job.key },
        body: JSON.stringify(job.body),
      }),
    );
    status = response.status;
    reply = await response.json().catch(() => ({}));
  } catch {
    status = "network";
  }
  const result = outcome(status);
  job.attempts += 1;
  if (result.kind === "done") {
    job.state = "done";
    job.result = reply.data;
    delete job.problem;
  } else if (result.kind === "failed") {
    job.state = "failed";
    if (reply.error) job.problem = reply.error;
  } else {
    job.next_try_at = Date.now() + retryDelay(job.attempts);
  }
  await save(job);
  await changed();
  return result.kind === "done" || result.kind === "failed";
}

/** The user looked at a refused job and sends it again (same key: applied once). */
export async function resend(id: string, body?: unknown): Promise<void> {
  const job = await (await db()).get("outbox", id);
  if (!job) return;
  job.state = "waiting";
  job.next_try_at = 0;
  if (body !== undefined) {
    // a changed write is a new write: a new key, so the server does not replay the old reply
    job.body = body;
    job.key = crypto.randomUUID();
  }
  delete job.problem;
  await save(job);
  await changed();
  await flush();
}

/** The user decides not to send a refused job. */
export async function discard(id: string): Promise<void> {
  await (await db()).delete("outbox", id);
  await changed();
}

/** Wait for a job to leave "waiting" (sent or refused), at most `ms`. */
export async function settled(id: string, ms: number): Promise<Job | undefined> {
  const until = Date.now() + ms;
  for (;;) {
    const job = await (await db()).get("outbox", id);
    if (job?.state !== "waiting" || Date.now() > until) return job;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** Start flushing on every occasion the browser gives: now, back online, back in front, and
 * every 15 s (a retry whose delay is over; nothing is sent when nothing is due). */
export function startFlushing(): void {
  void flush();
  addEventListener("online", () => void flush(true));
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") void flush(true);
  });
  setInterval(() => void flush(), 15_000);
}
