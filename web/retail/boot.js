// Inlined into index.html by the build (its hash goes to the CSP): before the first paint, the
// remembered language and direction, and a hint that this phone is signed in (the shell then
// shows the app's frame instead of the prerendered login). Then, once the parsed page has
// painted, the app's module is asked for: nothing on the first screen waits for it, and a slow
// connection spends its first round trips on what the shop sees.
(() => {
  const root = document.documentElement;
  try {
    // the language chosen on this phone, else the signed-in account's (as state.ts decides)
    const me = JSON.parse(localStorage.getItem("livrili.me") || "null");
    const lang = JSON.parse(localStorage.getItem("livrili.lang") || "null") || me?.user.language || "ar";
    if (lang === "fr" || lang === "en") {
      root.lang = lang;
      root.dir = "ltr";
    }
    const credentials = JSON.parse(localStorage.getItem("livrili.credentials") || "null");
    if (credentials) {
      root.classList.add("signed-in");
      // a shop's home is the catalog: its first page and categories are asked for now, beside
      // the app's module (the catalog screen takes the replies: shared/api/early.ts); a
      // driver's home is elsewhere
      const fresh = credentials.expires_at > Date.now() + 5000;
      if (fresh && me && me.user.role !== "driver" && location.pathname === "/") {
        const headers = { Authorization: `Bearer ${credentials.access_token}`, "Accept-Language": lang };
        window.__livriliEarly = {};
        for (const path of ["/v1/products?limit=50", "/v1/categories"]) {
          window.__livriliEarly[`${path} ${lang}`] = fetch(path, { headers });
        }
      }
    }
  } catch {
    // no storage (a private window): the Arabic login, as for a new phone
  }
  // a language tapped on the login before the app has started is remembered (the app starts in
  // it); "sign in" tapped then is kept, never sent as a plain form (the password would end up
  // in the address): the app sends it as soon as it runs (main.tsx)
  document.addEventListener(
    "click",
    (event) => {
      const button = event.target instanceof Element && event.target.closest(".langs button[lang]");
      if (root.dataset.started || !button) return;
      try {
        localStorage.setItem("livrili.lang", JSON.stringify(button.lang));
      } catch {
        return; // no storage: the app starts in Arabic, the tap is lost
      }
      for (const other of document.querySelectorAll(".langs button[lang]")) {
        other.setAttribute("aria-pressed", String(other === button));
      }
    },
    true,
  );
  document.addEventListener(
    "submit",
    (event) => {
      if (root.dataset.started) return;
      event.preventDefault();
      root.dataset.pendingSubmit = "1";
    },
    true,
  );
  let asked = false;
  const start = () => {
    if (asked) return;
    asked = true;
    const script = document.createElement("script");
    script.type = "module";
    // the build writes the hashed file's name here
    script.src = "/__APP_MODULE__";
    document.head.append(script);
  };
  // once the parsed page has been painted: the frame after the one that painted it (a hidden
  // page has no frames: it starts anyway, a moment later)
  document.addEventListener("DOMContentLoaded", () => {
    requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(start, 0)));
    setTimeout(start, 500);
  });
})();
