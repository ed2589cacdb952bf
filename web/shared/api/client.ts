// The one way the portals talk to the API: paths and bodies typed from the OpenAPI document,
// the access token added, an expired token refreshed once for every request waiting on it.
// After a refresh, reads and writes that carry an Idempotency-Key are sent again; other
// writes are not (they may have been applied).
import createClient from "openapi-fetch";
import type { ApiError, paths, Token } from "./types";

export interface Credentials {
  access_token: string;
  refresh_token: string;
  /** epoch ms after which the access token is refreshed before use */
  expires_at: number;
}

export interface AuthStore {
  get(): Credentials | null;
  set(credentials: Credentials | null): void;
  language(): string;
}

let store: AuthStore | null = null;
let refreshing: Promise<boolean> | null = null;
// Requests that end every session of the user and answer with this device's new tokens (a new
// password, two-step verification turned on). While one is on its way, a request of the old
// session that meets 401 waits for the new tokens instead of refreshing the ended session
// (which would sign the device out under the user's feet).
const RENEWS = new Set(["/v1/me/password", "/v1/me/two-factor/confirm"]);
let renewing: Promise<void> | null = null;
let connectivity: ((reachable: boolean) => void) | null = null;

/** Hear whether the API answered: a phone on patchy 3G often says it is online when nothing
 * gets through, so "offline" comes from what our own requests meet, not only the browser. */
export function onConnectivity(listener: (reachable: boolean) => void): void {
  connectivity = listener;
}

/** fetch, telling the connectivity listener whether the server was reached. */
export async function send(request: Request): Promise<Response> {
  try {
    const reply = await fetch(request);
    connectivity?.(true);
    return reply;
  } catch (error) {
    connectivity?.(false);
    throw error;
  }
}

export function configureAuth(auth: AuthStore): void {
  store = auth;
}

export function credentialsFrom(token: Token, now = Date.now()): Credentials {
  // refresh a little early: a request started just before expiry must not fail
  return {
    access_token: token.access_token,
    refresh_token: token.refresh_token,
    expires_at: now + (token.expires_in - 30) * 1000,
  };
}

/** Exchange the refresh token once, however many requests are waiting for it. */
export function refresh(): Promise<boolean> {
  refreshing ??= refreshOnce().finally(() => {
    refreshing = null; // in .finally, never before the assignment (an early return would be)
  });
  return refreshing;
}

async function refreshOnce(): Promise<boolean> {
  {
    const current = store?.get();
    if (!current) return false;
    try {
      const reply = await send(
        new Request("/v1/auth/refresh", {
          method: "POST",
          headers: { "Content-Type": "application/json", "Accept-Language": store?.language() ?? "ar" },
          body: JSON.stringify({ refresh_token: current.refresh_token }),
        }),
      );
      if (reply.ok) {
        const body = (await reply.json()) as { data: Token };
        store?.set(credentialsFrom(body.data));
        return true;
      }
      if (store?.get() !== current) return store?.get() != null; // new tokens came meanwhile: use them
      if (reply.status === 401) store?.set(null); // the session ended (logged out elsewhere, expired)
      return false;
    } catch {
      return false; // offline: keep the credentials, try again later
    }
  }
}

function withAuth(request: Request): Request {
  const headers = new Headers(request.headers);
  const current = store?.get();
  if (current && !headers.has("Authorization"))
    headers.set("Authorization", `Bearer ${current.access_token}`);
  headers.set("Accept-Language", store?.language() ?? "ar");
  return new Request(request, { headers });
}

function replayable(request: Request): boolean {
  return request.method === "GET" || request.method === "HEAD" || request.headers.has("Idempotency-Key");
}

/** A reply that carries the device's new tokens installs them before anyone else reads it. */
function renewal(sending: Promise<Response>): Promise<void> {
  return sending
    .then(async (reply) => {
      if (reply.ok) store?.set(credentialsFrom(((await reply.clone().json()) as { data: Token }).data));
    })
    .catch(() => undefined)
    .finally(() => {
      renewing = null;
    });
}

export async function authedFetch(input: Request): Promise<Response> {
  const current = store?.get();
  if (current && current.expires_at < Date.now()) await refresh();
  const copy = input.clone();
  const sending = send(withAuth(input));
  const renews = RENEWS.has(new URL(input.url, "http://x").pathname);
  if (renews) renewing = renewal(sending);
  const reply = await sending;
  if (renews) await renewing;
  if (reply.status !== 401 || !store?.get() || !replayable(copy)) return reply;
  if (renewing) await renewing;
  if (store?.get() !== current) return send(withAuth(copy)); // the tokens were renewed meanwhile
  return (await refresh()) ? send(withAuth(copy)) : reply;
}

export const api = createClient<paths>({ baseUrl: "", fetch: authedFetch });

/** The error of a reply that failed, from its envelope (or a generic one); a validation error says
 * what its fields say. */
export function problemOf(error: unknown): ApiError {
  const envelope = error as { error?: ApiError } | undefined;
  const problem = envelope?.error;
  if (!problem?.code) return { code: "internal_error", message: "" };
  if (problem.code !== "validation_error") return problem;
  // "some fields are invalid" tells the user nothing: the fields' own words say what to fix
  const said = (Array.isArray(problem.details) ? problem.details : [])
    .map((detail) => (detail as { message?: unknown } | null)?.message)
    .filter((message): message is string => typeof message === "string" && message !== "");
  return said.length ? { ...problem, message: [...new Set(said)].join(" ") } : problem;
}

/** What a refused form says of each of its fields (`owner.username` → its message), from a 422's
 * or a 409's details: shown next to the field it is about. */
export function fieldProblems(error: unknown): Record<string, string> {
  const details = (error as { error?: ApiError } | undefined)?.error?.details;
  const found: Record<string, string> = {};
  for (const detail of Array.isArray(details) ? details : []) {
    const { field, message } = (detail ?? {}) as { field?: unknown; message?: unknown };
    if (typeof field === "string" && typeof message === "string" && message && !(field in found))
      found[field] = message;
  }
  return found;
}

/** True when the failure is the network (offline, DNS, reset), not an answer of the server. */
export function isNetworkError(error: unknown): boolean {
  return error instanceof TypeError;
}
