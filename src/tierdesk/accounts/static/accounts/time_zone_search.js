// The profile's time-zone picker: a search box that filters the grouped <select> as you type.
// Progressive enhancement: without JavaScript the grouped select works alone. No inline script
// (strict CSP); the texts come from the select's data-search-* attributes (translated).
(function () {
  "use strict";

  function normalise(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[_/]/g, " ");
  }

  function enhance(select) {
    var input = document.createElement("input");
    input.type = "search";
    input.className = "form-control mb-2";
    input.id = select.id + "-search";
    input.setAttribute("autocomplete", "off");
    input.setAttribute("aria-controls", select.id);
    input.setAttribute("aria-label", select.dataset.searchLabel || "");
    input.placeholder = select.dataset.searchPlaceholder || "";
    var status = document.createElement("p");
    status.className = "form-text zone-search-empty";
    status.setAttribute("role", "status");
    status.hidden = true;
    status.textContent = select.dataset.searchEmpty || "";
    select.parentNode.insertBefore(input, select);
    select.parentNode.insertBefore(status, select.nextSibling);

    var options = Array.prototype.map.call(select.options, function (option) {
      return { option: option, text: normalise(option.value + " " + option.textContent) };
    });

    input.addEventListener("input", function () {
      var words = normalise(input.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      options.forEach(function (item) {
        var match = words.every(function (word) { return item.text.indexOf(word) !== -1; });
        // The chosen zone always stays, so the form never submits a hidden value by surprise.
        item.option.hidden = !match && !item.option.selected;
        if (match) { shown += 1; }
      });
      var rows = 0;
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
        group.hidden = !Array.prototype.some.call(group.children, function (o) { return !o.hidden; });
        if (!group.hidden) { rows += 1; }
      });
      rows += options.filter(function (item) { return !item.option.hidden; }).length;
      status.hidden = shown > 0;
      if (words.length && shown > 0) {
        // Show the matches as a list; a single match is chosen at once.
        select.size = Math.min(Math.max(rows, 2), 10);
        var only = options.find(function (item) { return !item.option.hidden && !item.option.selected; });
        if (only && shown === 1) { only.option.selected = true; }
      } else {
        select.size = 0;
      }
    });

    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); select.focus(); }
      if (event.key === "Enter") { event.preventDefault(); }
    });
    select.addEventListener("change", function () {
      if (select.size) { select.size = 0; }
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("select[data-zone-search]"), enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
