// Live countdowns to SLA due instants: every element with data-countdown="<ISO instant>".
(function () {
  "use strict";
  function format(seconds) {
    var s = Math.abs(Math.floor(seconds));
    var d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600);
    var m = Math.floor((s % 3600) / 60), r = s % 60;
    var parts = [];
    if (d) parts.push(d + "d");
    if (d || h) parts.push(h + "h");
    parts.push((m < 10 && (d || h) ? "0" : "") + m + "m");
    if (!d) parts.push((r < 10 ? "0" : "") + r + "s");
    return parts.join(" ");
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      var due = Date.parse(el.getAttribute("data-countdown"));
      if (isNaN(due)) return;
      var left = (due - now) / 1000;
      el.textContent = left >= 0
        ? format(left) + " " + (el.getAttribute("data-left") || "left")
        : format(left) + " " + (el.getAttribute("data-overdue") || "overdue");
      el.classList.toggle("overdue", left < 0);
    });
  }
  document.addEventListener("DOMContentLoaded", tick);
  document.addEventListener("htmx:afterSwap", tick);
  setInterval(tick, 1000);
})();
