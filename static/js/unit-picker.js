// The trends page's unit picker: a search box over the checkbox list. The typed text is folded
// as core.text.fold folds the names (no diacritics, "đ" → "d", lower case, single spaces) and
// compared with each unit's data-search, which the server folded. Without this script the
// list is a plain list of checkboxes.
(function () {
  "use strict";

  function fold(text) {
    return text
      .replace(/đ/g, "d")
      .replace(/Đ/g, "D")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .split(/\s+/)
      .filter(Boolean)
      .join(" ");
  }

  function setUp(picker) {
    var box = picker.querySelector(".picker-search");
    var input = box.querySelector("input");
    var status = picker.querySelector("[data-picker-status]");
    var empty = picker.querySelector("[data-picker-empty]");
    var units = Array.prototype.slice.call(picker.querySelectorAll(".picker-unit"));
    var groups = Array.prototype.slice.call(picker.querySelectorAll(".picker-group"));
    var limit = parseInt(picker.dataset.limit, 10);

    function chosen() {
      return units.filter(function (label) {
        return label.querySelector("input").checked;
      }).length;
    }

    function apply() {
      var wanted = fold(input.value);
      var shown = 0;
      units.forEach(function (label) {
        var match = !wanted || label.dataset.search.indexOf(wanted) !== -1;
        label.hidden = !match && !label.querySelector("input").checked;
        shown += label.hidden ? 0 : 1;
      });
      groups.forEach(function (group) {
        group.hidden = !group.querySelector(".picker-unit:not([hidden])");
      });
      empty.hidden = shown > 0;
      status.textContent = picker.dataset.chosenText + " " + chosen() + "/" + limit;
    }

    box.hidden = false;
    picker.classList.add("searchable");
    input.addEventListener("input", apply);
    picker.addEventListener("change", apply);
    // Enter in the search box filters; it does not send the form.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
      }
    });
    apply();
  }

  document.querySelectorAll("[data-unit-picker]").forEach(setUp);
})();
