/* Reading tools (适老化): font size and high contrast, remembered across pages; the phone menu;
   the print button. Everything here is an enhancement: with scripts off the page is complete
   (the tool buttons stay hidden and the navigation stays open). prefs.js applies the stored settings. */
(function () {
  "use strict";
  var root = document.documentElement;

  /* Interface text in the page's language: govsiteText(key, {name: value}), the key being the zh-CN text. Pages in a language other
     than zh-CN carry the translations as a JSON block (govsite.i18n); without it the key is the text. */
  var texts = (function () {
    var block = document.getElementById("govsite-i18n");
    try { return block ? JSON.parse(block.textContent) : {}; } catch (e) { return {}; }
  }());
  window.govsiteText = function (key, values) {
    return (texts[key] || key).replace(/\{(\w+)\}/g, function (m, name) {
      return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : m;
    });
  };
  var store = {
    set: function (k, v) { try { window.localStorage.setItem(k, v); } catch (e) { /* private mode */ } }
  };

  function applyFont(size) {
    if (size === "large" || size === "xlarge") root.setAttribute("data-font", size);
    else { root.removeAttribute("data-font"); size = "normal"; }
    document.querySelectorAll("[data-font]").forEach(function (b) {
      if (b !== root) b.setAttribute("aria-pressed", String(b.getAttribute("data-font") === size));
    });
  }
  function applyContrast(on) {
    if (on) root.setAttribute("data-contrast", "high"); else root.removeAttribute("data-contrast");
    document.querySelectorAll("button[data-contrast]").forEach(function (b) { b.setAttribute("aria-pressed", String(on)); });
  }

  // prefs.js set them before the first paint; here the buttons say which is pressed
  applyFont(root.getAttribute("data-font"));
  applyContrast(root.getAttribute("data-contrast") === "high");
  document.querySelectorAll("button[data-font]").forEach(function (b) {
    b.addEventListener("click", function () {
      var size = b.getAttribute("data-font");
      store.set("govsite-font", size);
      applyFont(size);
    });
  });
  document.querySelectorAll("button[data-contrast]").forEach(function (b) {
    b.addEventListener("click", function () {
      var on = root.getAttribute("data-contrast") !== "high";
      store.set("govsite-contrast", on ? "high" : "normal");
      applyContrast(on);
    });
  });

  var toggle = document.querySelector(".nav-toggle");
  var nav = document.getElementById("channel-nav");
  if (toggle && nav) {
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      nav.classList.toggle("open", open);
    });
  }
  // as-you-type suggestions: the search scripts are fetched the first time the box is used
  var siteRoot = ((document.currentScript && document.currentScript.getAttribute("src")) || "").replace(/static\/js\/site\.js$/, "");
  var box = document.getElementById("site-search");
  if (box) {
    box.addEventListener("focus", function () {
      if (window.GovsiteTokenize || document.querySelector("script[data-search-lazy]")) return;
      var tok = document.createElement("script");
      tok.src = siteRoot + "static/js/search-tokenize.js";
      tok.setAttribute("data-search-lazy", "");
      tok.onload = function () {
        var s = document.createElement("script");
        s.src = siteRoot + "static/js/search.js";
        document.head.appendChild(s);
      };
      document.head.appendChild(tok);
    }, { once: true });
  }
  /* == furniture: 【打印】【关闭】 and the pager's jump box ==
     All three are links or forms that work without this script: 【打印】 leads to the print view
     (#print-view, CSS), 【关闭】 to the column, the jump box's links to the pages. */
  document.querySelectorAll(".print-link").forEach(function (a) {
    a.addEventListener("click", function (e) { e.preventDefault(); window.print(); });
  });
  // a browser lets a page close only a window that a script opened or that has no history (a link
  // opened in a new tab); any other click follows the link back to the column
  document.querySelectorAll(".close-link").forEach(function (a) {
    a.addEventListener("click", function (e) {
      if (!window.opener && window.history.length > 1) return;
      e.preventDefault();
      window.close();
      window.setTimeout(function () { if (!window.closed) window.location.href = a.href; }, 300);
    });
  });
  document.querySelectorAll(".pager-jump").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var input = form.querySelector("input[name=page]");
      var max = parseInt(input.getAttribute("max"), 10);
      var n = parseInt(input.value, 10);
      if (!(n >= 1 && n <= max)) { input.focus(); return; }
      window.location.href = n === 1 ? form.getAttribute("data-first") : form.getAttribute("data-pattern").replace("{n}", String(n));
    });
  });
})();

/* == home: tabs and the 要闻 picture set (home.blocks) ==
   Both are in the HTML from the first paint (class js-only; CSS shows one panel / one picture once
   prefs.js has marked the page `js`), so nothing moves here. Without scripts every tab's list and
   every picture is on the page. Tabs follow the WAI-ARIA tabs pattern (arrow keys, Home, End);
   the picture set never turns by itself (no autoplay): the visitor turns it. */
(function () {
  "use strict";
  document.querySelectorAll("[data-tabs]").forEach(function (block) {
    var tabs = Array.prototype.slice.call(block.querySelectorAll('[role="tab"]'));
    function select(tab, focus) {
      tabs.forEach(function (t) {
        var on = t === tab;
        t.setAttribute("aria-selected", String(on));
        t.tabIndex = on ? 0 : -1;
        var panel = document.getElementById(t.getAttribute("aria-controls"));
        if (panel) panel.classList.toggle("is-current", on);
      });
      if (focus) tab.focus();
    }
    tabs.forEach(function (tab, i) {
      tab.addEventListener("click", function () { select(tab, false); });
      tab.addEventListener("keydown", function (e) {
        var next = null;
        if (e.key === "ArrowRight") next = tabs[(i + 1) % tabs.length];
        else if (e.key === "ArrowLeft") next = tabs[(i - 1 + tabs.length) % tabs.length];
        else if (e.key === "Home") next = tabs[0];
        else if (e.key === "End") next = tabs[tabs.length - 1];
        if (next) { e.preventDefault(); select(next, true); }
      });
    });
  });
  document.querySelectorAll("[data-carousel]").forEach(function (set) {
    var slides = Array.prototype.slice.call(set.querySelectorAll(".carousel-slide"));
    var dots = Array.prototype.slice.call(set.querySelectorAll("[data-carousel-go]"));
    var current = 0;
    function show(n) {
      current = (n + slides.length) % slides.length;
      slides.forEach(function (s, i) { s.classList.toggle("is-current", i === current); });
      dots.forEach(function (d, i) {
        if (i === current) d.setAttribute("aria-current", "true"); else d.removeAttribute("aria-current");
      });
    }
    var prev = set.querySelector("[data-carousel-prev]");
    var next = set.querySelector("[data-carousel-next]");
    if (prev) prev.addEventListener("click", function () { show(current - 1); });
    if (next) next.addEventListener("click", function () { show(current + 1); });
    dots.forEach(function (d) {
      d.addEventListener("click", function () { show(Number(d.getAttribute("data-carousel-go"))); });
    });
    var strip = set.querySelector(".carousel-viewport");
    if (strip) strip.addEventListener("keydown", function (e) {
      if (e.key === "ArrowRight") { e.preventDefault(); show(current + 1); }
      else if (e.key === "ArrowLeft") { e.preventDefault(); show(current - 1); }
    });
  });
})();
