// The console's "Insert article" picker: a result's button inserts its markdown link
// ([Title](https://...)) into the reply at the caret. Enter in the picker's search box does
// not send the reply form it sits in.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-insert-markdown]");
    if (!button) { return; }
    var picker = button.closest("[data-insert-target]");
    var area = picker && document.querySelector(picker.getAttribute("data-insert-target"));
    if (!area) { return; }
    var text = button.getAttribute("data-insert-markdown");
    var start = typeof area.selectionStart === "number" ? area.selectionStart : area.value.length;
    var end = typeof area.selectionEnd === "number" ? area.selectionEnd : start;
    var before = area.value.slice(0, start);
    var pad = before && !/\s$/.test(before) ? " " : "";
    area.value = before + pad + text + area.value.slice(end);
    var caret = (before + pad + text).length;
    area.focus();
    area.setSelectionRange(caret, caret);
    area.dispatchEvent(new Event("input", { bubbles: true }));
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches("[data-picker-search]")) {
      event.preventDefault();
    }
  });
})();
