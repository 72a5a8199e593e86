// The assistant's panel (templates/assistant/_widget.html): a <details> that works without
// this file. Here: Escape and the close button close it, focus moves to the question when it
// opens and back to its button when it closes, the conversation loads (htmx) when it opens,
// and it stays open across pages (sessionStorage) until closed.
(function () {
  "use strict";
  var KEY = "tierdesk-assistant-open";

  function setUp() {
    var panel = document.getElementById("assistant-panel");
    if (!panel) return;
    var toggle = panel.querySelector("summary");
    var input = document.getElementById("assistant-question");
    var turns = document.getElementById("assistant-turns");
    var log = panel.querySelector(".assistant-log");
    var close = panel.querySelector("[data-assistant-close]");
    if (close) close.hidden = false;
    toggle.setAttribute("aria-controls", "assistant-box");

    var loaded = false;

    function scrollDown() { if (log) log.scrollTop = log.scrollHeight; }

    function opened() {
      toggle.setAttribute("aria-expanded", panel.open ? "true" : "false");
      try { sessionStorage.setItem(KEY, panel.open ? "1" : ""); } catch (e) { /* private mode */ }
      if (panel.open) {
        if (window.htmx && turns && !loaded) {
          loaded = true;  // the conversation so far, once per page
          window.htmx.ajax("GET", turns.dataset.logUrl, { target: turns, swap: "innerHTML" });
        }
        if (input) input.focus();
        scrollDown();
      }
    }
    panel.addEventListener("toggle", opened);
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && panel.open) {
        event.preventDefault();
        panel.open = false;
        toggle.focus();
      }
    });
    if (close) close.addEventListener("click", function () { panel.open = false; toggle.focus(); });
    document.body.addEventListener("htmx:afterSwap", function (event) {
      var target = event.detail && event.detail.target;
      if (!target || target.id !== "assistant-turns") return;
      scrollDown();
      var form = document.querySelector(".assistant-form");
      var field = document.getElementById("assistant-question") || document.getElementById("assistant-page-question");
      if (event.detail.requestConfig && event.detail.requestConfig.verb === "post") {
        document.querySelectorAll(".assistant-form input[name=question]").forEach(function (f) { f.value = ""; });
      }
      if (form && field) field.focus();
    });
    toggle.setAttribute("aria-expanded", "false");
    var wasOpen = false;
    try { wasOpen = sessionStorage.getItem(KEY) === "1"; } catch (e) { /* private mode */ }
    if (wasOpen) panel.open = true;
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
