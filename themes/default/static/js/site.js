/* Reading tools (适老化): font size and high contrast, remembered across pages; the phone menu;
   the print button. Everything here is an enhancement: with scripts off the page is complete
   (the tool buttons stay hidden and the navigation stays open). */
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
    get: function (k) { try { return window.localStorage.getItem(k); } catch (e) { return null; } },
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

  applyFont(store.get("govsite-font"));
  applyContrast(store.get("govsite-contrast") === "high");
  root.classList.add("js");

  document.querySelectorAll(".reading-tools, .nav-toggle, .print-button").forEach(function (el) { el.hidden = false; });
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
  document.querySelectorAll(".print-button").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
})();
