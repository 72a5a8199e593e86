// Keyboard shortcuts of the agent console. Elements opt in with data-shortcut="<key>":
// a text field is focused, a button or link is clicked (data-confirm asks first). On a queue
// page, j/k move the selection over rows marked data-queue-row and o/Enter open it.
// Nothing fires while the user types in a field, or with Ctrl/Alt/Meta held (browser keys).
(function () {
  "use strict";

  var selectedId = null;

  function typing(el) {
    if (!el || el === document.body) return false;
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }

  function help() { return document.getElementById("shortcut-help"); }

  // The help is a Bootstrap modal (it keeps the focus inside and closes on Esc or its button).
  function toggleHelp(show) {
    var dialog = help();
    if (!dialog || !window.bootstrap) return;
    var modal = window.bootstrap.Modal.getOrCreateInstance(dialog);
    var open = dialog.classList.contains("show");
    if (show === undefined ? !open : show) modal.show(); else modal.hide();
  }

  function rows() { return Array.prototype.slice.call(document.querySelectorAll("[data-queue-row]")); }

  function select(row) {
    rows().forEach(function (r) { r.classList.remove("selected"); r.removeAttribute("aria-selected"); });
    if (!row) { selectedId = null; return; }
    row.classList.add("selected");
    row.setAttribute("aria-selected", "true");
    selectedId = row.getAttribute("data-case-id");
    row.scrollIntoView({ block: "nearest" });
  }

  function moveSelection(step) {
    var all = rows();
    if (!all.length) return false;
    var index = all.findIndex(function (r) { return r.getAttribute("data-case-id") === selectedId; });
    index = index < 0 ? (step > 0 ? 0 : all.length - 1) : Math.min(all.length - 1, Math.max(0, index + step));
    select(all[index]);
    return true;
  }

  function openSelected() {
    var row = document.querySelector("[data-queue-row].selected");
    if (row) { window.location.href = row.getAttribute("data-href"); return true; }
    return false;
  }

  function activate(el) {
    if (el.disabled) return;
    var question = el.getAttribute("data-confirm");
    if (question && !window.confirm(question)) return;
    var tag = el.tagName;
    if (tag === "TEXTAREA" || tag === "INPUT" || tag === "SELECT") { el.focus(); return; }
    el.click();
  }

  var FOCUS = { r: "reply-body", n: "note-body", e: "escalate-reason" };

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      toggleHelp(false);
      if (typing(event.target)) event.target.blur();
      return;
    }
    if (typing(event.target)) {
      // Ctrl/Cmd+Enter sends the form being typed in.
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && event.target.form) {
        event.preventDefault();
        var submit = event.target.form.querySelector("button[type=submit]:not([disabled])");
        if (submit) submit.click();
      }
      return;
    }
    if (event.ctrlKey || event.altKey || event.metaKey || event.isComposing) return;
    var key = event.key;
    if (key === "?") { event.preventDefault(); toggleHelp(); return; }
    var dialog = help();
    if (dialog && dialog.classList.contains("show")) return;  // only ? and Esc while it is open
    if ((key === "j" || key === "k") && rows().length) {
      event.preventDefault();
      moveSelection(key === "j" ? 1 : -1);
      return;
    }
    if ((key === "o" || key === "Enter") && openSelected()) { event.preventDefault(); return; }
    if (FOCUS[key]) {
      var field = document.getElementById(FOCUS[key]);
      if (field) { event.preventDefault(); field.focus(); return; }
    }
    var target = document.querySelector('[data-shortcut="' + key + '"]');
    if (target) { event.preventDefault(); activate(target); }
  });

  document.addEventListener("click", function (event) {
    var el = event.target.closest ? event.target.closest("[data-shortcut-help]") : null;
    if (el) { toggleHelp(true); return; }
    // Buttons that ask first when clicked with the mouse too (merge, solve).
    var asking = event.target.closest ? event.target.closest("button[data-confirm]") : null;
    if (asking && event.isTrusted && !window.confirm(asking.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  // The queue table is replaced every 30 s by htmx: keep the selected row selected.
  document.addEventListener("htmx:afterSwap", function () {
    if (!selectedId) return;
    var row = document.querySelector('[data-queue-row][data-case-id="' + selectedId + '"]');
    if (row) select(row); else selectedId = null;
  });
})();
