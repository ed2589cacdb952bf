// Inlined into index.html by the build (its hash goes to the CSP): before the first paint, the
// remembered language and direction, and a hint that this phone is signed in (the shell then
// shows the app's frame instead of the prerendered login).
(() => {
  try {
    const root = document.documentElement;
    const lang = JSON.parse(localStorage.getItem("livrili.lang") || '"ar"');
    if (lang === "fr" || lang === "en") {
      root.lang = lang;
      root.dir = "ltr";
    }
    if (localStorage.getItem("livrili.credentials")) root.classList.add("signed-in");
  } catch {
    // no storage (a private window): the Arabic login, as for a new phone
  }
})();
