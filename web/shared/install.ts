// "Add to home screen", offered once the shop has placed an order (not on the first visit):
// Chromium's install prompt is kept when the browser offers it and shown on the shop's tap.
interface InstallPrompt extends Event {
  prompt(): Promise<void>;
  userChoice: Promise<{ outcome: "accepted" | "dismissed" }>;
}

let deferred: InstallPrompt | null = null;
const DECLINED = "livrili.install-declined";
const JUST_ORDERED = "livrili.just-ordered";

/** An order just went through (the order screen that opens next may offer the install). */
export function orderPlaced(orderId: string): void {
  sessionStorage.setItem(JUST_ORDERED, orderId);
}

/** Offer the install on this order's screen: it was just placed and the browser can install. */
export function offerAfter(orderId: string): boolean {
  return sessionStorage.getItem(JUST_ORDERED) === orderId && canOfferInstall();
}

export function installOffered(): void {
  sessionStorage.removeItem(JUST_ORDERED);
}

export function keepInstallPrompt(): void {
  addEventListener("beforeinstallprompt", (event) => {
    event.preventDefault(); // not now: after the first order
    deferred = event as InstallPrompt;
  });
  addEventListener("appinstalled", () => {
    deferred = null;
  });
}

export function canOfferInstall(): boolean {
  return deferred !== null && localStorage.getItem(DECLINED) === null;
}

export async function offerInstall(): Promise<boolean> {
  if (!deferred) return false;
  await deferred.prompt();
  const { outcome } = await deferred.userChoice;
  deferred = null;
  if (outcome === "dismissed") localStorage.setItem(DECLINED, new Date().toISOString());
  return outcome === "accepted";
}

export function declineInstall(): void {
  localStorage.setItem(DECLINED, new Date().toISOString());
}
