// Light or dark, following the system setting: Bootstrap 5.3 reads data-bs-theme on <html>.
// Loaded (not deferred) from <head> so the page never flashes the wrong theme.
(function () {
  "use strict";
  var query = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  function apply() {
    document.documentElement.setAttribute("data-bs-theme", query && query.matches ? "dark" : "light");
  }
  apply();
  if (query) {
    if (query.addEventListener) {
      query.addEventListener("change", apply);
    } else if (query.addListener) {
      query.addListener(apply);
    }
  }
})();
