// Inlined into index.html by the build (its hash goes to the CSP): before the first paint, the
// remembered language and direction, and a hint that this phone is signed in (the shell then
// shows the app's frame instead of the prerendered login). Then, once the parsed page has
// painted, the app's module is asked for: nothing on the first screen waits for it, and a slow
// connection spends its first round trips on what the shop sees.
(() => {
  const root = document.documentElement;
  try {
    const lang = JSON.parse(localStorage.getItem("livrili.lang") || '"ar"');
    if (lang === "fr" || lang === "en") {
      root.lang = lang;
      root.dir = "ltr";
    }
    if (localStorage.getItem("livrili.credentials")) root.classList.add("signed-in");
  } catch {
    // no storage (a private window): the Arabic login, as for a new phone
  }
  // "sign in" tapped before the app has started is kept, never sent as a plain form (the
  // password would end up in the address): the app sends it as soon as it runs (main.tsx)
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
  // a frame after the parse has painted; a hidden page (no frames) starts anyway, a moment later
  document.addEventListener("DOMContentLoaded", () => {
    requestAnimationFrame(() => setTimeout(start, 0));
    setTimeout(start, 500);
  });
})();
