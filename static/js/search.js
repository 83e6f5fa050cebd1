// Search boxes that ignore diacritics and case: the trends page's unit picker (a search box over
// the checkbox list) and the criteria search of the entry and appraisal pages. The typed text is
// folded as core.text.fold folds names (no diacritics, "đ" → "d", lower case, single spaces) and
// compared with each item's data-search, which the server folded (the |folded filter). Without
// this script the boxes stay hidden: a plain list of checkboxes, every criterion shown.
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

  // The criteria of a long entry or appraisal page: leaves whose code or title do not match are
  // hidden, with the headings of their branches; an area without a match is hidden whole.
  function setUpLeaves(box) {
    var input = box.querySelector("input");
    var status = box.querySelector("[data-leaf-search-status]");
    var leaves = Array.prototype.slice.call(document.querySelectorAll("article.leaf[data-search]"));
    var areas = Array.prototype.slice.call(document.querySelectorAll("section.area"));
    var headings = Array.prototype.slice.call(document.querySelectorAll("section.area h3.node"));

    function apply() {
      var wanted = fold(input.value);
      var shown = 0;
      leaves.forEach(function (leaf) {
        leaf.hidden = Boolean(wanted) && leaf.dataset.search.indexOf(wanted) === -1;
        shown += leaf.hidden ? 0 : 1;
      });
      headings.forEach(function (heading) {
        heading.hidden = Boolean(wanted);
      });
      areas.forEach(function (area) {
        area.hidden = !area.querySelector("article.leaf:not([hidden])");
      });
      status.textContent = wanted ? box.dataset.found.replace("%(n)s", shown) : "";
    }

    box.hidden = false;
    input.addEventListener("input", apply);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
      }
    });
  }

  document.querySelectorAll("[data-unit-picker]").forEach(setUp);
  document.querySelectorAll("[data-leaf-search]").forEach(setUpLeaves);
})();
