// The browser entry: language first (dir and lang on <html> before the first paint), then
// the app over the prerendered shell, the device's queue and sync, and the service worker.

import { hydrate, render } from "preact";
import { prepareMoney } from "../shared/format";
import { keepInstallPrompt } from "../shared/install";
import { App } from "./app";
import { typedBefore } from "./pages/login";
import { chosenLanguage, credentials, i18n, online, setLanguage } from "./state";
import { firstScreen, screenShown, startSync } from "./sync";
import "./styles.css";

async function start(): Promise<void> {
  await setLanguage(i18n.get().lang, false); // sets lang and dir on <html> (the boot script did before the paint)
  // a language tapped on the login while the app was loading (the boot script remembered it)
  for (let chosen = chosenLanguage(); chosen && chosen !== i18n.get().lang; chosen = chosenLanguage()) {
    await setLanguage(chosen, false);
  }
  const { lang } = i18n.get();
  const root = document.getElementById("app");
  if (!root) return;
  document.documentElement.classList.remove("signed-in"); // the boot script's hint, for the shell only
  for (const input of root.querySelectorAll<HTMLInputElement>("main.login input[name]")) {
    if (input.value) typedBefore.set(input.name, input.value); // typed before the app ran
  }
  // the prerendered login is the screen of "/" and "/login" only: another address (a link to the
  // reset or the sign-up opened before the app ran) gets its own screen, painted anew
  const loginAddress = location.pathname === "/" || location.pathname === "/login";
  if (!credentials.get() && lang === "ar" && loginAddress && root.querySelector("main.login")) {
    // a new phone: the prerendered login becomes the live one, node for node (nothing repainted)
    root.querySelector(".shell-in")?.remove();
    // only the login is left in the root: no comment or white space before it, which Preact
    // would step over by moving the login (and a field the shop is typing in would lose focus)
    for (const node of [...root.childNodes]) if (node.nodeType !== Node.ELEMENT_NODE) node.remove();
    hydrate(<App />, root);
  } else {
    root.textContent = "";
    render(<App />, root);
  }
  document.documentElement.dataset.started = "1";
  // signed in, the first screen shows prices: the number format is made before they arrive
  if (credentials.get()) setTimeout(() => prepareMoney(i18n.get().lang), 0);
  if (!credentials.get()) screenShown(); // the login needs no data: nothing waits for it
  if (document.documentElement.dataset.pendingSubmit) {
    // "sign in" was tapped before the app ran (the boot script held it): send it now
    delete document.documentElement.dataset.pendingSubmit;
    root.querySelector<HTMLFormElement>("main.login form")?.requestSubmit();
  }
  online.set(navigator.onLine);
  keepInstallPrompt();
  startSync();
  // the service worker (registered once the first screen shows its data: on 3G its download
  // waits) updates itself; the page loads the new version when it is next out of sight, never
  // under a tap (the cart and the queue are on the device and survive it)
  void firstScreen
    .then(() => import("virtual:pwa-register"))
    .then(({ registerSW }) =>
      registerSW({
        immediate: true,
        onNeedReload() {
          const whenHidden = () => {
            if (document.visibilityState !== "hidden") return;
            document.removeEventListener("visibilitychange", whenHidden);
            location.reload();
          };
          document.addEventListener("visibilitychange", whenHidden);
        },
      }),
    );
  // data the shop saved (catalog, queue) should survive storage pressure
  void navigator.storage?.persist?.().catch(() => false);
}

void start();
