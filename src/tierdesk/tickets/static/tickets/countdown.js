// Live countdowns to SLA due instants: every element with data-countdown="<ISO instant>".
// The words come from the script tag's data attributes (tickets/_countdown_script.html), so a
// countdown reads like every other duration (web.formats.format_duration): "2 h 14 min",
// "3 d 4 h", "less than a minute". It counts whole minutes down (never rounds up a deadline).
(function () {
  "use strict";
  var script = document.currentScript;
  var words = (script && script.dataset) || {};
  function word(name, fallback, count) {
    return (words[name] || fallback).replace("%(count)s", String(count));
  }
  function format(seconds) {
    var minutes = Math.floor(Math.abs(seconds) / 60);
    if (minutes === 0) return words.underAMinute || "less than a minute";
    if (minutes >= 1440) {
      var days = Math.floor(minutes / 1440), hours = Math.floor((minutes % 1440) / 60);
      return word("days", "%(count)s d", days) + (hours ? " " + word("hours", "%(count)s h", hours) : "");
    }
    var h = Math.floor(minutes / 60), m = minutes % 60;
    return (h ? word("hours", "%(count)s h", h) + (m ? " " : "") : "") + (m ? word("minutes", "%(count)s min", m) : "");
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      var due = Date.parse(el.getAttribute("data-countdown"));
      if (isNaN(due)) return;
      var left = (due - now) / 1000;
      var text = format(left) + " " + (left >= 0 ? words.left || "left" : words.overdue || "overdue");
      if (el.textContent !== text) el.textContent = text;
      el.classList.toggle("overdue", left < 0);
    });
  }
  document.addEventListener("DOMContentLoaded", tick);
  document.addEventListener("htmx:afterSwap", tick);
  setInterval(tick, 1000);
})();
