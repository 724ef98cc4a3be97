"""The suggest index: the site's terms with their pinyin, as a lunr index (lunr.py → lunr.js).

A lunr index over the full text of every page costs ~11 KB gzipped per page and cannot be loaded
for a district site. This one indexes *terms* instead — hot words, page keywords, column and
topic names, service names — each with its Chinese 2-grams, its full pinyin (``shebao``) and
pinyin initials (``sb``). It answers pinyin queries, catches typos (lunr's edit distance, on
pinyin and Latin tokens) and proposes "did you mean"; the term found is then searched in the
full-text index. It is loaded only when a query needs it, and for as-you-type suggestions.

lunr's default pipeline (trimmer, stop words, stemmer) would destroy Chinese tokens, so both
pipelines are emptied and the tokens are given ready-made.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from lunr.builder import Builder

from govsite.search.tokenize import CJK, CJK_RANGES, normalize, tokens

MAX_KEYWORDS = 5000
_CJK_CHAR = re.compile(f"[{CJK}]")


@lru_cache(maxsize=65536)
def pinyin_forms(text: str) -> tuple[str, str]:
    """Full pinyin and initials of a term: 社保 → ("shebao", "sb"); Latin parts are kept.
    Remembered per process: ``govsite serve`` rebuilds the suggest index with mostly the same
    terms after every column or title edit, and pypinyin is the slow part of it."""
    from pypinyin import Style, lazy_pinyin  # ~0.3 s to import: only when a suggest index is made

    text = normalize(text)
    # errors="default": characters without pinyin (Latin, digits) are kept as they are
    full = "".join(lazy_pinyin(text, style=Style.NORMAL, errors="default"))
    initials = "".join(lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default"))
    keep = re.compile(r"[a-z0-9]")
    return "".join(c for c in full if keep.match(c)), "".join(c for c in initials if keep.match(c))


@lru_cache(maxsize=65536)
def term_tokens(text: str) -> tuple[str, ...]:
    """A term's tokens: its pinyin, initials and 2-grams (remembered like :func:`pinyin_forms`)."""
    full, initials = pinyin_forms(text)
    found = [t for t in (full, initials) if t]
    found.extend(tokens(text))
    return tuple(dict.fromkeys(found))


def collect_terms(site, hot_words: list[str]) -> list[list]:
    """``[text, kind, url, extra, weight]`` rows: h hot word, s service, c column/topic, k keyword."""
    rows: dict[str, list] = {}
    keyword_counts = Counter(kw for page in site.pages for kw in page.keywords)

    def add(text, kind, url="", extra="", weight=1):
        text = str(text).strip()
        if text and text not in rows and term_tokens(text):
            rows[text] = [text, kind, url, extra, weight]

    for word in hot_words:
        add(word, "h", weight=keyword_counts.get(word, 0) + 1000)
    for page in site.pages:
        if page.type == "service":
            add(page.title, "s", page.url, str(page.extra.get("online_level") or ""), 500)
    for col in site.columns:
        add(col.name, "c", col.url, "", 200 + len(col.all_pages))
    for word, count in sorted(keyword_counts.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_KEYWORDS]:
        add(word, "k", weight=count)
    return list(rows.values())


def build_index(terms: list[list]) -> dict:
    builder = Builder()
    builder.pipeline.reset()
    builder.search_pipeline.reset()
    builder.ref("id")
    builder.field("t", extractor=lambda d: d["tokens"])
    for i, row in enumerate(terms):
        builder.add({"id": str(i), "tokens": list(term_tokens(row[0]))})
    return builder.build().serialize()


def pinyin_chars(texts) -> list[str]:
    """The CJK characters of ``texts``, sorted: what :func:`pinyin_map` is made of. An edit
    seldom brings a character the site has never used, so the map is cached by them."""
    return sorted(set(_CJK_CHAR.findall(normalize("\x00".join(texts)))))


def pinyin_map(chars: list[str], table: dict | None = None) -> dict[str, str]:
    """Character → pinyin for ``chars`` (:func:`pinyin_chars`), for "did you mean" on a CJK typo;
    from ``table`` (:func:`pinyin_table`) when given."""
    if not chars:
        return {}
    if table is not None and all(c in table for c in chars):
        return {c: table[c] for c in chars}
    from pypinyin import Style, lazy_pinyin

    return dict(zip(chars, lazy_pinyin(chars, style=Style.NORMAL), strict=False))


@lru_cache(maxsize=1)
def pinyin_table() -> dict[str, str]:
    """:func:`pinyin_map` of every character the index takes (28,096: 0.15 s). The build cache
    keeps it, because importing pypinyin alone takes ~0.2 s, which a one-file build would pay
    whenever an edit brings a character the site had not used. pypinyin converts the characters
    of a list one by one, so the table gives what it gives for any of them. Remembered per
    process too (read only): a process that builds several projects without a cache between
    them — the test suite, half of whose time on a small site this was — makes it once."""
    return pinyin_map([chr(c) for first, last in CJK_RANGES for c in range(first, last + 1)])
