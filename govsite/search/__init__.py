"""Site search for Chinese (SPEC SE-1…SE-3): built at build time, queried in the browser.

Two indexes, both plain files loaded with ``<script>`` tags so search works on static hosting and
from ``file://``:

- the **full-text index** (:mod:`.fulltext`): CJK 2-grams plus Latin words and numbers, split
  into shards by token hash; a query loads only the shards of its own tokens, then one small
  fragment per result shown;
- the **suggest index** (:mod:`.suggest`): a lunr index (lunr.py → lunr.js) of the site's
  *terms* — keywords, column names, service names, hot words — with their pinyin (full and
  initials), for pinyin queries, typo tolerance and "did you mean".

Tokenization is in :mod:`.tokenize` and its twin ``static/js/search-tokenize.js``; tests run
both on the same strings.
"""
