// Notifications to this phone (Web Push): subscribe with the stage's VAPID key, hand the
// subscription to the API, and subscribe again if the server's key changed. Only this module
// talks to the push manager.
import { api } from "./api/client";

const SUBSCRIPTION = "livrili.push";
// the server files a browser by kind of user and wilaya (who an announcement reaches) when it is
// handed over: a subscription handed over before that is handed over again, once
const FILED = "livrili.push.filed";
const FILING = "audience-1";

export type PushState = "on" | "off" | "blocked" | "unsupported";

export function pushSupported(): boolean {
  return (
    typeof window !== "undefined" &&
    "serviceWorker" in navigator &&
    "PushManager" in window &&
    "Notification" in window
  );
}

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const text = atob(
    base64url.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (base64url.length % 4)) % 4),
  );
  const bytes = new Uint8Array(new ArrayBuffer(text.length));
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

async function registration(): Promise<ServiceWorkerRegistration> {
  return navigator.serviceWorker.ready;
}

export async function pushState(): Promise<PushState> {
  if (!pushSupported()) return "unsupported";
  if (Notification.permission === "denied") return "blocked";
  const subscription = await (await registration()).pushManager.getSubscription();
  return subscription && localStorage.getItem(SUBSCRIPTION) ? "on" : "off";
}

async function serverKey(): Promise<string> {
  const reply = await api.GET("/v1/push/key", {});
  if (!reply.data) throw new Error("push key");
  return reply.data.data.public_key;
}

/** Ask for permission, subscribe, and give the subscription to the API. */
export async function enablePush(): Promise<PushState> {
  if (!pushSupported()) return "unsupported";
  if ((await Notification.requestPermission()) !== "granted") return "blocked";
  const key = await serverKey();
  const manager = (await registration()).pushManager;
  const subscription = await manager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: keyBytes(key),
  });
  const reply = await api.POST("/v1/me/push-subscriptions", {
    body: subscription.toJSON() as { endpoint: string; keys: { p256dh: string; auth: string } },
  });
  if (!reply.data) {
    await subscription.unsubscribe();
    throw new Error("push subscription refused");
  }
  localStorage.setItem(SUBSCRIPTION, reply.data.data.subscription_id);
  localStorage.setItem(FILED, FILING);
  return "on";
}

export async function disablePush(): Promise<PushState> {
  const id = localStorage.getItem(SUBSCRIPTION);
  if (id) {
    await api.DELETE("/v1/me/push-subscriptions/{subscription_id}", {
      params: { path: { subscription_id: id } },
    });
    localStorage.removeItem(SUBSCRIPTION);
    localStorage.removeItem(FILED);
  }
  await (await (await registration()).pushManager.getSubscription())?.unsubscribe();
  return "off";
}

/** At start: a subscription made with another key (the stage's secret rotated) is renewed; one
 * the server has not filed for announcements yet is handed over again. */
export async function renewPush(): Promise<void> {
  if (!pushSupported() || Notification.permission !== "granted" || !localStorage.getItem(SUBSCRIPTION))
    return;
  const subscription = await (await registration()).pushManager.getSubscription();
  const current = subscription?.options.applicationServerKey;
  const key = await serverKey();
  const same =
    current &&
    new Uint8Array(current).every((byte, i) => byte === keyBytes(key)[i]) &&
    current.byteLength === 65;
  if (same && subscription) {
    if (localStorage.getItem(FILED) === FILING) return;
    const reply = await api.POST("/v1/me/push-subscriptions", {
      body: subscription.toJSON() as { endpoint: string; keys: { p256dh: string; auth: string } },
    });
    if (reply.data) localStorage.setItem(FILED, FILING);
    return;
  }
  await subscription?.unsubscribe();
  await enablePush();
}
