/* Reading preferences (字号, 高对比度) set before the first paint, so nothing moves after it: the one
   script without defer, at the top of <head>. Marks the page `js` (shows the .js-only tools). */
(function (r) {
  r.classList.add("js");
  try {
    var f = localStorage.getItem("govsite-font");
    if (f === "large" || f === "xlarge") r.setAttribute("data-font", f);
    if (localStorage.getItem("govsite-contrast") === "high") r.setAttribute("data-contrast", "high");
  } catch (e) { /* storage off: the defaults */ }
}(document.documentElement));
