// When the app talks to the API on its own: at start, on reconnect, back in the foreground and
// on a timer it sends the queue, brings the catalog and the recent orders up to date, and
// follows the change feed so statuses move without a reload.
import { api, onConnectivity } from "../shared/api/client";
import type { Announcement, Change, OrderSummary } from "../shared/api/types";
import { localProducts, SYNCED_AT, syncCatalog } from "../shared/offline/catalog";
import { getValue, setValue } from "../shared/offline/db";
import { flush, jobs, setUser, startFlushing, subscribe } from "../shared/offline/queue";
import type { Job } from "../shared/offline/rules";
import { createStore } from "../shared/store";
import { cart, refreshCart } from "./cart";
import { credentials, isDriver, me, online, queue, syncedAt } from "./state";

/** Livrili's announcements for this user (kept for offline starts). */
export const announcements = createStore<Announcement[]>([]);
const ANNOUNCEMENTS = "announcements";

async function refreshAnnouncements(): Promise<void> {
  const reply = await api.GET("/v1/announcements", {});
  if (!reply.data) return;
  announcements.set(reply.data.data);
  await setValue(ANNOUNCEMENTS, reply.data.data);
}

/** The start's sync waits until the first screen shows its own data (the catalog's first page)
 * or FIRST_SCREEN_MS have passed: on 3G it would otherwise share the bandwidth with what the
 * shop is waiting to see. A sign-in, a reconnect or the app coming back to the front sync at once. */
const FIRST_SCREEN_MS = 1500;
let markShown: () => void = () => undefined;
export const firstScreen = new Promise<void>((resolve) => {
  markShown = resolve;
  if (typeof window !== "undefined") setTimeout(resolve, FIRST_SCREEN_MS);
});

let shown = false;

/** The screen on display has its data: what waited for it goes once that is painted (the
 * first call only: a screen says so at each list it shows). */
export function screenShown(): void {
  if (shown) return;
  shown = true;
  requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(markShown, 0)));
}

/** Bumped when the feed says orders changed: screens showing orders read them again. */
export const ordersChanged = createStore(0);
export const RECENT_ORDERS = "orders.recent";
const FEED_CURSOR = "feed.cursor";
const POLL_MS = 20_000;
let syncing: Promise<void> | null = null;

/** The orders a screen shows at a time; the first page is kept for offline starts. */
export const ORDERS_PAGE = 20;

/** The shop's newest orders (kept on the device), and the cursor to the older ones. */
export async function refreshOrders(): Promise<{ orders: OrderSummary[]; older: string | null } | undefined> {
  const reply = await api.GET("/v1/orders", { params: { query: { limit: ORDERS_PAGE } } });
  if (!reply.data) return undefined;
  await setValue(RECENT_ORDERS, { at: new Date().toISOString(), orders: reply.data.data });
  return { orders: reply.data.data, older: reply.data.meta?.next_cursor ?? null };
}

/** Everything the device keeps, brought up to date (one at a time). */
/** `profile: false` right after a sign-in, which has just read the profile. */
export function syncNow(profile = true): Promise<void> {
  syncing ??= syncOnce(profile).finally(() => {
    syncing = null; // in .finally, never before the assignment (an early return would be)
  });
  return syncing;
}

async function syncOnce(readProfile: boolean): Promise<void> {
  if (!credentials.get() || !navigator.onLine) return;
  try {
    if (readProfile) {
      const profile = await api.GET("/v1/me", {});
      if (profile.data) me.set(profile.data.data);
    }
    await refreshAnnouncements(); // small and shown on the home screen: before the catalog
    if (!isDriver(me.get())) {
      await syncCatalog();
      const inCart = cart.get().lines.map((line) => line.product.product_id);
      if (inCart.length) refreshCart(await localProducts(inCart)); // today's prices in the cart
    }
    await flush(); // what waits goes (an order with the prices the shop saw: the server refuses moved ones)
    await refreshOrders();
    void import("../shared/push").then((push) => push.renewPush()).catch(() => undefined);
    const at = new Date().toISOString();
    await setValue(SYNCED_AT, at);
    syncedAt.set(at);
  } catch {
    // offline or the server is away: what is on the device stays, the next occasion retries
  }
}

/** Also the probe that notices the network is back when the browser does not say so. */
async function pollFeed(): Promise<void> {
  if (!credentials.get() || document.visibilityState !== "visible") return;
  const after = await getValue<string>(FEED_CURSOR);
  const reply = await api.GET("/v1/changes", { params: { query: after ? { after } : {} } });
  if (reply.response.status === 410) {
    await setValue(FEED_CURSOR, undefined);
    await syncNow();
    return;
  }
  if (!reply.data) return;
  const changes: Change[] = reply.data.data;
  const next = reply.data.meta?.next_cursor;
  if (next) await setValue(FEED_CURSOR, next);
  if (changes.some((change) => change.kind.startsWith("order.") || change.kind.startsWith("payment."))) {
    await refreshOrders();
    ordersChanged.set((n) => n + 1);
  }
  // posted or withdrawn: the feed shows only those meant for this user; the list says what is live
  if (changes.some((change) => change.kind.startsWith("announcement."))) await refreshAnnouncements();
}

export function startSync(): void {
  setUser(() => me.get()?.user.user_id ?? null);
  // the screens see this user's writes only (another user's wait, unseen, for their sign-in)
  const mine = (all: Job[]) => all.filter((job) => job.user_id === me.get()?.user.user_id);
  subscribe((all) => queue.set(mine(all)));
  const reload = () => void jobs().then((all) => queue.set(mine(all)));
  me.subscribe(reload);
  reload();
  void getValue<string>(SYNCED_AT).then((at) => syncedAt.set(at ?? null));
  void getValue<Announcement[]>(ANNOUNCEMENTS).then((saved) => saved && announcements.set(saved));
  startFlushing();
  onConnectivity((reachable) => {
    const was = online.get();
    online.set(reachable);
    if (reachable && !was) {
      void flush(true); // back: what waits goes now, then everything else is brought up to date
      void syncNow();
    }
  });
  const wake = () => void syncNow();
  addEventListener("online", () => {
    online.set(true);
    wake();
  });
  addEventListener("offline", () => online.set(false));
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") wake();
  });
  let wasSignedIn = credentials.get() !== null;
  credentials.subscribe((value) => {
    if (value && !wasSignedIn) void syncNow(false); // just signed in (not a token refresh)
    wasSignedIn = value !== null;
  });
  setInterval(() => void pollFeed().catch(() => undefined), POLL_MS);
  // offline (or the server unreachable while the phone says it is connected, when no `online`
  // event will come): look sooner — signed in the feed, signed out (a new shop's documents
  // waiting to go) the health check; either reply, through the client, says the way is back
  setInterval(() => {
    if (online.get() || document.visibilityState !== "visible") return;
    const probe = credentials.get() ? pollFeed() : api.GET("/health", {});
    void probe.catch(() => undefined);
  }, 5_000);
  void firstScreen.then(() => syncNow());
}
