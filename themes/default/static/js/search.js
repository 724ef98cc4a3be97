/* Site search (SPEC SE-1…SE-3) over the files govsite writes under search/ — no server needed,
   works from file://. Everything is loaded by <script> tags, and only what a query needs:
   meta.js, the index shards of the query's tokens, and one fragment per result shown. The
   suggest index (lunr.js) is loaded for pinyin queries, "did you mean" and as-you-type
   suggestions in the header search box. Needs search-tokenize.js (GovsiteTokenize). */
(function () {
  "use strict";
  var _ = window.govsiteText || function (key, values) {
    return key.replace(/\{(\w+)\}/g, function (m, name) { return values && name in values ? String(values[name]) : m; });
  };
  var T = window.GovsiteTokenize;
  var script = document.currentScript;
  if (!T || !script) return;
  var ROOT = (script.getAttribute("src") || "").replace(/static\/js\/search\.js$/, "");
  // pages of this version (the 繁体 version has its own tree; shared files stay at ROOT)
  var PAGES = document.documentElement.hasAttribute("data-pages") ? document.documentElement.getAttribute("data-pages") : ROOT;
  var ALPHA = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var store = { shard: {}, doc: {} };
  var waiting = {};

  /* ---- loading ---------------------------------------------------------------------- */
  function arrived(key, value) {
    var w = waiting[key];
    if (w) { w.value = value; w.done = true; w.resolve(value); }
  }
  /* In the 繁体 version (govsite.variants marks its pages with data-pages) titles, snippets and
     labels are shown in traditional characters; the index itself stays simplified. */
  var VARIANT = document.documentElement.hasAttribute("data-pages");
  var s2t = null;
  function local(text) {
    if (!s2t || !text) return text;
    return Array.from(String(text)).map(function (c) { return s2t[c] || c; }).join("");
  }
  window.GS_S2T = function (m) { s2t = m; arrived("search/s2t", m); };
  window.GS_META = function (m) {
    m.columns = m.columns.map(local);
    m.types = m.types.map(function (t) { return [t[0], local(t[1])]; });
    m.hot = m.hot.map(local);
    store.meta = m; arrived("search/meta", m);
  };
  window.GS_SHARD = function (n, entries) { store.shard[n] = entries; arrived("search/idx/" + n, entries); };
  window.GS_DOC = function (id, d) {
    if (s2t) { d.t = local(d.t); d.c = local(d.c); d.x = local(d.x); }
    store.doc[id] = d; arrived("search/doc/" + id, d);
  };
  window.GS_FACETS = function (f) { store.facets = f; arrived("search/facets", f); };
  window.GS_SUGGEST = function (s) { store.suggest = s; arrived("search/suggest", s); };
  window.GS_PINYIN = function (p) { store.pinyin = p; arrived("search/pinyin", p); };

  function load(key, src) {
    if (waiting[key]) return waiting[key].promise;
    var entry = {};
    entry.promise = new Promise(function (resolve, reject) {
      entry.resolve = resolve;
      var el = document.createElement("script");
      el.src = ROOT + (src || key + ".js");
      el.onload = function () { if (!entry.done) { entry.done = true; resolve(null); } };
      el.onerror = function () { reject(new Error("cannot load " + el.src)); };
      document.head.appendChild(el);
    });
    waiting[key] = entry;
    return entry.promise;
  }
  function loadLunr() {
    return window.lunr ? Promise.resolve() : load("lunr", "static/js/vendor/lunr.min.js");
  }

  /* ---- full-text index -------------------------------------------------------------- */
  function decode(text) {
    var out = [], doc = 0, i = 0, value, shift, c;
    while (i < text.length) {
      value = 0; shift = 0;
      for (;;) {
        c = ALPHA.indexOf(text.charAt(i++));
        if (c >= 32) { value += (c - 32) * Math.pow(2, shift); shift += 5; }
        else { value += c * Math.pow(2, shift); break; }
      }
      doc += value;
      out.push(doc, ALPHA.indexOf(text.charAt(i++)));
    }
    return out;
  }

  function simplify(text, meta) {
    var map = meta.t2s || {};
    return Array.from(text).map(function (c) { return map[c] || c; }).join("");
  }

  /* Docs holding every token, best first: sum of idf × weight; lower id (newer) wins ties. */
  function fullText(tokens, meta) {
    var shardIds = {};
    tokens.forEach(function (t) { shardIds[T.shardOf(t, meta.shards)] = 1; });
    return Promise.all(Object.keys(shardIds).map(function (n) { return load("search/idx/" + n); })).then(function () {
      var lists = tokens.map(function (t) {
        var enc = store.shard[T.shardOf(t, meta.shards)][t];
        return enc ? decode(enc) : [];
      });
      if (lists.some(function (l) { return l.length === 0; })) return [];
      lists.sort(function (a, b) { return a.length - b.length; });
      var scores = new Map();
      lists.forEach(function (list, k) {
        var df = list.length / 2, idf = Math.log(1 + (meta.n - df + 0.5) / (df + 0.5));
        var next = new Map();
        for (var i = 0; i < list.length; i += 2) {
          var doc = list[i], w = list[i + 1] * idf;
          if (k === 0) next.set(doc, w);
          else if (scores.has(doc)) next.set(doc, scores.get(doc) + w);
        }
        scores = next;
      });
      return Array.from(scores.entries()).sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; })
        .map(function (e) { return e[0]; });
    });
  }

  /* ---- suggest index (lunr) ---------------------------------------------------------- */
  var lunrIndex = null;
  function suggestIndex() {
    return loadLunr().then(function () { return load("search/suggest"); }).then(function () {
      if (!lunrIndex) lunrIndex = window.lunr.Index.load(store.suggest.index);
      return store.suggest;
    });
  }
  /* Terms matching Latin/pinyin tokens exactly, by prefix, or within one edit. */
  function suggestTerms(words, skip) {
    return suggestIndex().then(function (s) {
      var found = lunrIndex.query(function (q) {
        words.forEach(function (w) {
          q.term(w, { usePipeline: false, boost: 10 });
          if (w.length >= 2) q.term(w, { usePipeline: false, wildcard: window.lunr.Query.wildcard.TRAILING, boost: 3 });
          if (w.length >= 4) q.term(w, { usePipeline: false, editDistance: 1, boost: 1 });
        });
      });
      // whole-word matches first (shebao, sb); for a typed query (skip), terms that look like it
      // (shared characters, then similar length: 社宝 → 社保 before 社会救助); then the more popular
      // term, then lunr's score
      var typed = skip ? Array.from(skip) : [];
      return found.map(function (r) {
        var matched = Object.keys(r.matchData.metadata);
        var exact = words.some(function (w) { return matched.indexOf(w) !== -1; });
        var row = s.terms[+r.ref], chars = Array.from(row[0]);
        var shared = typed.filter(function (c) { return chars.indexOf(c) !== -1; }).length;
        var near = typed.length ? -Math.abs(chars.length - typed.length) : 0;
        return { row: row, score: r.score, exact: exact ? 1 : 0, shared: shared, near: near };
      })
        .filter(function (h) { return h.row[0] !== skip; })
        .sort(function (a, b) {
          return b.exact - a.exact || b.shared - a.shared || b.near - a.near || b.row[4] - a.row[4] || b.score - a.score;
        })
        .map(function (h) { return h.row; });
    });
  }
  function pinyinOf(text) {
    return load("search/pinyin").then(function () {
      var map = store.pinyin || {};
      return Array.from(T.normalize(text)).map(function (c) { return map[c] || (/[a-z0-9]/.test(c) ? c : ""); }).join("");
    });
  }
  function isPinyin(text) { return /^[a-z' ]+$/i.test(text.trim()); }

  window.GovsiteSearch = {
    load: load, fullText: fullText, suggestTerms: suggestTerms, decode: decode,
    meta: function () { return store.meta; }
  };

  /* ---- as-you-type suggestions in the header search box ------------------------------ */
  function attachSuggestions(input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) return;
    var timer = null;
    function update() {
      var text = input.value.trim();
      if (!text) return;
      var ready = isPinyin(text)
        ? suggestTerms([text.toLowerCase().replace(/[' ]/g, "")])
        : suggestIndex().then(function (s) {
            var norm = T.normalize(text);
            return s.terms.filter(function (r) { return r[0].toLowerCase().indexOf(norm) !== -1; })
              .sort(function (a, b) { return b[4] - a[4]; });
          });
      ready.then(function (rows) {
        list.textContent = "";
        rows.slice(0, 8).forEach(function (r) {
          var o = document.createElement("option");
          o.value = r[0];
          list.appendChild(o);
        });
      });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(update, 150);
    });
    // the scripts may arrive after the visitor has started typing
    if (input.value.trim() && !document.getElementById("search-app")) update();
  }
  var headerInput = document.getElementById("site-search");
  if (headerInput) attachSuggestions(headerInput);

  /* ---- the search page --------------------------------------------------------------- */
  var app = document.getElementById("search-app");
  if (!app) return;
  app.hidden = false;
  var status = document.getElementById("search-status");
  var results = document.getElementById("search-results");
  var cards = document.getElementById("search-cards");
  var suggestBox = document.getElementById("search-suggest");
  var pager = document.getElementById("search-pager");
  var params = new URLSearchParams(window.location.search);
  var query = (params.get("q") || "").trim();
  var filters = { type: params.get("type") || "", col: params.get("col") || "", year: params.get("year") || "" };
  var pageNo = Math.max(1, parseInt(params.get("page") || "1", 10) || 1);
  if (headerInput) headerInput.value = query;
  document.getElementById("filter-q").value = query;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function searchHref(q, extra) {
    var p = new URLSearchParams();
    p.set("q", q);
    Object.keys(extra || {}).forEach(function (k) { if (extra[k]) p.set(k, extra[k]); });
    return PAGES + "search.html?" + p.toString();
  }
  /* Append text to parent with every occurrence of a term wrapped in <mark>. */
  function highlight(parent, text, terms) {
    var lower = text.toLowerCase(), i = 0;
    while (i < text.length) {
      var best = -1, len = 0;
      terms.forEach(function (t) {
        var at = lower.indexOf(t, i);
        if (at !== -1 && (best === -1 || at < best || (at === best && t.length > len))) { best = at; len = t.length; }
      });
      if (best === -1) { parent.appendChild(document.createTextNode(text.slice(i))); break; }
      if (best > i) parent.appendChild(document.createTextNode(text.slice(i, best)));
      parent.appendChild(el("mark", {}, text.slice(best, best + len)));
      i = best + len;
    }
  }
  function snippet(text, terms) {
    var lower = text.toLowerCase(), at = -1;
    terms.forEach(function (t) { var p = lower.indexOf(t); if (p !== -1 && (at === -1 || p < at)) at = p; });
    var start = Math.max(0, at - 40);
    return (start > 0 ? "…" : "") + text.slice(start, start + 140) + (text.length > start + 140 ? "…" : "");
  }
  function highlightTerms(text) {
    // the runs of the query itself, longest first, then its tokens
    var runs = (T.normalize(text).match(/[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+/g) || []);
    return runs.concat(T.queryTokens(text)).filter(function (t, i, a) { return a.indexOf(t) === i; })
      .sort(function (a, b) { return b.length - a.length; });
  }

  function fillFilters(meta) {
    var type = document.getElementById("filter-type"), col = document.getElementById("filter-column"),
      year = document.getElementById("filter-year");
    meta.types.forEach(function (t) { type.appendChild(el("option", { value: t[0] }, t[1])); });
    meta.columns.forEach(function (c, i) { col.appendChild(el("option", { value: String(i) }, c)); });
    meta.years.forEach(function (y) { year.appendChild(el("option", { value: String(y) }, _("{year}年", { year: y }))); });
    type.value = filters.type; col.value = filters.col; year.value = filters.year;
  }
  function showHot(meta) {
    var ul = document.getElementById("hot-words");
    meta.hot.forEach(function (w) {
      var li = el("li");
      li.appendChild(el("a", { href: searchHref(w) }, w));
      ul.appendChild(li);
    });
  }
  function applyFilters(docs, meta) {
    if (!filters.type && !filters.col && !filters.year) return Promise.resolve(docs);
    return load("search/facets").then(function () {
      var typeIndex = meta.types.map(function (t) { return t[0]; }).indexOf(filters.type);
      return docs.filter(function (d) {
        var f = store.facets[d];
        return (!filters.type || f[1] === typeIndex) && (!filters.col || f[0] === +filters.col) &&
          (!filters.year || f[2] === +filters.year);
      });
    });
  }
  function suggestLinks(label, rows) {
    if (!rows.length) return;
    var p = el("p", { "class": "did-you-mean" }, label);
    rows.slice(0, 5).forEach(function (r, i) {
      if (i) p.appendChild(document.createTextNode("、"));
      p.appendChild(el("a", { href: searchHref(r[0]) }, r[0]));
    });
    suggestBox.appendChild(p);
  }

  function render(docs, meta, shownQuery, terms) {
    var size = meta.pageSize, pages = Math.max(1, Math.ceil(docs.length / size));
    var page = Math.min(pageNo, pages), slice = docs.slice((page - 1) * size, page * size);
    status.textContent = docs.length
      ? (pages > 1 ? _("找到 {n} 条与“{q}”相关的信息，第 {page}/{pages} 页。", { n: docs.length, q: shownQuery, page: page, pages: pages })
                   : _("找到 {n} 条与“{q}”相关的信息。", { n: docs.length, q: shownQuery }))
      : _("没有找到与“{q}”相关的信息。", { q: shownQuery });
    return Promise.all(slice.map(function (d) { return load("search/doc/" + d); })).then(function () {
      slice.forEach(function (id) {
        var d = store.doc[id];
        var li = el("li", { "class": "result" + (d.y === "service" ? " result-service" : "") });
        var h = el("h2", { "class": "result-title" });
        var a = el("a", { href: PAGES + d.u });
        highlight(a, d.t, terms);
        h.appendChild(a);
        if (d.s) h.appendChild(el("span", { "class": "tag status-" + (d.m || "ended") }, d.s));
        if (d.a) h.appendChild(el("span", { "class": "tag tag-archived", title: _("归档时间 {time}", { time: d.a }) }, _("已归档")));
        li.appendChild(h);
        var p = el("p", { "class": "result-snippet" });
        highlight(p, snippet(d.x || "", terms), terms);
        li.appendChild(p);
        var typeLabel = (meta.types.filter(function (t) { return t[0] === d.y; })[0] || [d.y, d.y])[1];
        li.appendChild(el("p", { "class": "result-meta" }, typeLabel + (d.n ? " · " + d.n : "") + " · " + d.c + " · " + d.d));
        if (d.y === "service") {
          var card = el("div", { "class": "service-card" });
          var ch = el("h2", { "class": "service-card-title" });
          ch.appendChild(el("a", { href: PAGES + d.u }, d.t));
          card.appendChild(ch);
          card.appendChild(el("p", { "class": "service-card-meta" }, _("办事指南 · {column}", { column: d.c })));
          if (d.o) card.appendChild(el("p", { "class": "online-level" }, _("在线办理：{level}", { level: d.o })));
          cards.appendChild(card);
        }
        results.appendChild(li);
      });
      if (pages > 1) {
        var ul = el("ul");
        for (var n = 1; n <= pages; n++) {
          if (n !== 1 && n !== pages && Math.abs(n - page) > 2) continue;
          var li = el("li");
          var link = el("a", { href: searchHref(query, { type: filters.type, col: filters.col, year: filters.year, page: n > 1 ? String(n) : "" }) }, String(n));
          if (n === page) link.setAttribute("aria-current", "page");
          else link.setAttribute("aria-label", _("第{n}页", { n: n }));
          li.appendChild(link);
          ul.appendChild(li);
        }
        pager.appendChild(ul);
      }
    });
  }

  (VARIANT ? load("search/s2t").catch(function () { return null; }) : Promise.resolve(null)).then(function () {
    return load("search/meta");
  }).then(function () {
    var meta = store.meta;
    fillFilters(meta);
    showHot(meta);
    if (!query) return;
    var text = simplify(query, meta), note = "";
    var synonym = meta.synonyms[T.normalize(text).trim()];
    if (synonym) { note = _("已按“{term}”为您搜索。", { term: synonym }); text = synonym; }
    var start = Promise.resolve({ text: text, alternatives: [] });
    if (isPinyin(text)) {
      var word = text.toLowerCase().replace(/[' ]/g, "");
      start = suggestTerms([word]).then(function (rows) {
        if (!rows.length) return { text: text, alternatives: [] };
        note = _("按拼音“{pinyin}”为您搜索“{term}”。", { pinyin: word, term: rows[0][0] });
        return { text: rows[0][0], alternatives: rows.slice(1) };
      });
    }
    return start.then(function (plan) {
      var tokens = T.queryTokens(plan.text);
      if (note) suggestBox.appendChild(el("p", { "class": "search-note" }, note));
      suggestLinks(_("您是不是还要找："), plan.alternatives);
      if (!tokens.length) { status.textContent = _("请输入要查找的汉字、英文单词或数字。"); return; }
      return fullText(tokens, meta).then(function (docs) { return applyFilters(docs, meta); }).then(function (docs) {
        if (docs.length) return render(docs, meta, plan.text, highlightTerms(plan.text));
        status.textContent = _("没有找到与“{q}”相关的信息。请换一个关键词，或查看站点地图。", { q: plan.text });
        var guess = isPinyin(plan.text) ? Promise.resolve(plan.text.toLowerCase().replace(/[' ]/g, "")) : pinyinOf(plan.text);
        return guess.then(function (py) { return py ? suggestTerms([py], plan.text) : []; })
          .then(function (rows) { suggestLinks(_("您是不是要找："), rows); });
      });
    });
  }).catch(function (err) {
    status.textContent = _("搜索索引加载失败，请稍后再试，或通过站点地图查找信息。");
    if (window.console) console.error(err);
  });
})();
