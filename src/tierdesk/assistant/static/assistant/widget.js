// The assistant's panel (templates/assistant/_widget.html): a <details> that works without
// this file. Here: Escape and the close button close it, focus moves to the question when the
// user opens it and back to its button when it closes, the conversation loads (htmx) when it
// opens, and it stays open across pages (sessionStorage) until closed: reopened on the next page
// without taking the focus (a phone would bring up its keyboard), and not on narrow screens
// (< 576 px), where the open panel covers the page's own buttons.
(function () {
  "use strict";
  var KEY = "tierdesk-assistant-open";
  var NARROW = "(max-width: 575.98px)";

  // After a question (in the panel or on /assistant/): empty the field, keep it focused, and
  // show the newest turn.
  function afterAnswer(event) {
    // A turn replaced by its new state (the case just opened): the focus goes to its link.
    var focus = document.querySelector("[data-assistant-focus]");
    if (focus) {
      focus.removeAttribute("data-assistant-focus");
      focus.focus();
      return;
    }
    var target = event.detail && event.detail.target;
    if (!target || target.id !== "assistant-turns") return;
    var log = target.closest(".assistant-log");
    if (log) log.scrollTop = log.scrollHeight;
    var config = event.detail.requestConfig;
    if (!config || config.verb !== "post") return;
    document.querySelectorAll(".assistant-form input[name=question]").forEach(function (field) {
      field.value = "";
    });
    var field = document.getElementById("assistant-question") || document.getElementById("assistant-page-question");
    if (field && !field.closest("details:not([open])")) field.focus();
  }

  function setUp() {
    document.body.addEventListener("htmx:afterSwap", afterAnswer);
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
    var restoring = false;  // reopened by the page, not by the user: no focus

    function scrollDown() { if (log) log.scrollTop = log.scrollHeight; }

    function opened() {
      toggle.setAttribute("aria-expanded", panel.open ? "true" : "false");
      try { sessionStorage.setItem(KEY, panel.open ? "1" : ""); } catch (e) { /* private mode */ }
      if (panel.open) {
        if (window.htmx && turns && !loaded) {
          loaded = true;  // the conversation so far, once per page
          window.htmx.ajax("GET", turns.dataset.logUrl, { target: turns, swap: "innerHTML" });
        }
        if (input && !restoring) input.focus();
        scrollDown();
      }
      restoring = false;
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
    toggle.setAttribute("aria-expanded", "false");
    var wasOpen = false;
    try { wasOpen = sessionStorage.getItem(KEY) === "1"; } catch (e) { /* private mode */ }
    var narrow = window.matchMedia && window.matchMedia(NARROW).matches;
    if (wasOpen && !narrow) {
      restoring = true;
      panel.open = true;
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
