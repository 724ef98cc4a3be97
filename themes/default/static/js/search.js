/* Interim title search for search.html: matches the query against the titles, columns and
   keywords of window.GOVSITE_PAGES (static/search-data.js), title matches first. Works from
   file:// and without a server. */
(function () {
  "use strict";
  if (!document.currentScript) return;
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var input = document.getElementById("site-search");
  var pages = window.GOVSITE_PAGES || [];
  var query = (new URLSearchParams(window.location.search).get("q") || "").trim();
  if (!status || !list) return;
  if (input) input.value = query;
  if (!query) return;
  var terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  var root = (document.currentScript.getAttribute("src") || "").replace(/static\/js\/search\.js$/, "");
  // every term must occur; a term in the title counts more than one in column or keywords,
  // and among equals the newer page comes first (the data is newest first, the sort is stable)
  var hits = pages.map(function (p) {
    var title = p[0].toLowerCase(), rest = (p[3] + " " + p[4]).toLowerCase(), score = 0;
    for (var i = 0; i < terms.length; i++) {
      if (title.indexOf(terms[i]) !== -1) score += 2;
      else if (rest.indexOf(terms[i]) !== -1) score += 1;
      else return null;
    }
    return { page: p, score: score };
  }).filter(Boolean).sort(function (a, b) { return b.score - a.score; }).map(function (h) { return h.page; });
  status.textContent = hits.length ? "找到 " + hits.length + " 条与“" + query + "”相关的信息。" : "没有找到与“" + query + "”相关的信息，请换一个关键词，或查看站点地图。";
  hits.slice(0, 200).forEach(function (p) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = root + p[1];
    a.textContent = p[0];
    li.appendChild(a);
    if (p[5]) { var tag = document.createElement("span"); tag.className = "tag tag-archived"; tag.textContent = "已归档"; li.appendChild(tag); }
    var col = document.createElement("span"); col.className = "item-column"; col.textContent = p[3]; li.appendChild(col);
    var t = document.createElement("time"); t.textContent = p[2]; li.appendChild(t);
    list.appendChild(li);
  });
})();
