/* Filters the rows of a generated table (政策文件库, 信息公开目录, 数据开放目录) by the <select>s of a form.
 * data-filter-table names a table, or an element holding several (one per year): rows carry
 * data-<name> attributes and a row is shown when it matches every chosen value. A year's section
 * (data-filter-group) with no row left is hidden, and so is its entry in the year index
 * (data-group-link="<section id>"). The tables are complete without this script; the form stays
 * hidden until the script runs. */
(function () {
  "use strict";
  var _ = window.govsiteText || function (key, values) {
    return key.replace(/\{(\w+)\}/g, function (m, name) { return values && name in values ? String(values[name]) : m; });
  };
  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
  function setup(form) {
    var root = document.getElementById(form.getAttribute("data-filter-table"));
    if (!root) { return; }
    var rows = Array.prototype.slice.call(root.querySelectorAll("tbody tr"));
    var groups = Array.prototype.slice.call(root.querySelectorAll("[data-filter-group]"));
    var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
    var count = form.querySelector(".facet-count");
    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var match = selects.every(function (s) {
          return !s.value || row.getAttribute("data-" + s.name) === s.value;
        });
        row.hidden = !match;
        if (match) { shown += 1; }
      });
      groups.forEach(function (group) {
        var empty = !Array.prototype.some.call(group.querySelectorAll("tbody tr"), function (row) { return !row.hidden; });
        group.hidden = empty;
        each(document.querySelectorAll('[data-group-link="' + group.id + '"]'), function (link) { link.hidden = empty; });
      });
      if (count) { count.textContent = _("共 {total} 条，显示 {shown} 条", { total: rows.length, shown: shown }); }
    }
    selects.forEach(function (s) { s.addEventListener("change", apply); });
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });  // the keyboard's way in (WCAG 3.2.2)
    form.hidden = false;
    apply();
  }
  each(document.querySelectorAll("form[data-filter-table]"), setup);
}());
