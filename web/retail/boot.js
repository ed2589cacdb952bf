(() => {
  try {
    var s = localStorage,
      h = document.documentElement,
      l = JSON.parse(s.getItem("livrili.lang") || '"ar"');
    if (l === "fr" || l === "en") {
      h.lang = l;
      h.dir = "ltr";
    }
    if (s.getItem("livrili.credentials")) h.classList.add("signed-in");
  } catch (e) {}
})();
