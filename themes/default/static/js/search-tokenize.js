/* Search tokens — the twin of govsite/search/tokenize.py; tests run both on the same strings.
   NFKC + lower case; runs of Chinese characters become overlapping 2-grams (a single-character
   run is left out); runs of Latin letters and digits are words. A query's Chinese run of one
   character is that character: the index holds every character as a 1-gram too. */
(function (root) {
  "use strict";
  var TOKEN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+/g;
  var CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;

  function normalize(text) { return String(text).normalize("NFKC").toLowerCase(); }

  function tokens(text) {
    var out = [], m, run, chars, i;
    var s = normalize(text);
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(s)) !== null) {
      run = m[0];
      if (CJK.test(run)) {
        chars = Array.from(run);
        for (i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
      } else {
        out.push(run);
      }
    }
    return out;
  }

  function queryTokens(text) {
    var seen = {}, out = [], m, chars, i, s = normalize(text);
    function add(t) { if (!seen[t]) { seen[t] = 1; out.push(t); } }
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(s)) !== null) {
      if (!CJK.test(m[0])) { add(m[0]); continue; }
      chars = Array.from(m[0]);
      if (chars.length === 1) add(chars[0]);
      for (i = 0; i + 1 < chars.length; i++) add(chars[i] + chars[i + 1]);
    }
    return out;
  }

  function shardOf(token, shards) {
    var h = 0x811c9dc5;
    for (var ch of token) h = Math.imul(h ^ ch.codePointAt(0), 0x01000193) >>> 0;
    return h % shards;
  }

  var api = { normalize: normalize, tokens: tokens, queryTokens: queryTokens, shardOf: shardOf, isCJK: function (t) { return CJK.test(t); } };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else root.GovsiteTokenize = api;
})(this);
