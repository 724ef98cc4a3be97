/* Filters the rows of a generated table (政策文件库, 信息公开目录) by the <select>s of a form.
 * Rows carry data-<name> attributes; a row is shown when it matches every chosen value. The
 * table is complete without this script; the form stays hidden until the script runs. */
(function () {
  "use strict";
  var _ = window.govsiteText || function (key, values) {
    return key.replace(/\{(\w+)\}/g, function (m, name) { return values && name in values ? String(values[name]) : m; });
  };
  function setup(form) {
    var table = document.getElementById(form.getAttribute("data-filter-table"));
    if (!table) { return; }
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
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
      if (count) { count.textContent = _("共 {total} 条，显示 {shown} 条", { total: rows.length, shown: shown }); }
    }
    selects.forEach(function (s) { s.addEventListener("change", apply); });
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });  // the keyboard's way in (WCAG 3.2.2)
    form.hidden = false;
    apply();
  }
  Array.prototype.forEach.call(document.querySelectorAll("form[data-filter-table]"), setup);
}());
