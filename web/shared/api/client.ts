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

export async function authedFetch(input: Request): Promise<Response> {
  const current = store?.get();
  if (current && current.expires_at < Date.now()) await refresh();
  const copy = input.clone();
  const reply = await send(withAuth(input));
  if (reply.status !== 401 || !store?.get() || !replayable(copy)) return reply;
  return (await refresh()) ? send(withAuth(copy)) : reply;
}

export const api = createClient<paths>({ baseUrl: "", fetch: authedFetch });

/** The error of a reply that failed, from its envelope (or a generic one). */
export function problemOf(error: unknown): ApiError {
  const envelope = error as { error?: ApiError } | undefined;
  if (envelope?.error?.code) return envelope.error;
  return { code: "internal_error", message: "" };
}

/** True when the failure is the network (offline, DNS, reset), not an answer of the server. */
export function isNetworkError(error: unknown): boolean {
  return error instanceof TypeError;
}
