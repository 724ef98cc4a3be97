"""Writing the search files of a site (``search/`` in the output).

The render workers index the pages they render (:class:`~.fulltext.PartialIndex`) and write
each page's fragment; the main process merges the partial indexes and writes the shards, the
suggest index and the small ``meta.js`` that every query loads first.
"""
from __future__ import annotations

import time
from functools import lru_cache

from ..errors import Report
from .fulltext import FullTextIndex, PartialIndex, doc_fragment, js_call
from .suggest import build_index, collect_terms, pinyin_map

TYPE_LABELS = {
    "news": "信息", "policy": "政策文件", "interpretation": "政策解读", "service": "办事指南",
    "leader": "领导信息", "reply": "互动回复", "dataset": "数据", "notice": "通知公告",
}
RESULTS_PER_PAGE = 10
HOT_WORDS = 10


def search_settings(config, report: Report) -> dict:
    """``search:`` in site.yaml: ``hot_words`` (list) and ``synonyms`` (query → what to search)."""
    raw = config.raw.get("search") or {}
    line = config.line_of("search")
    settings = {"hot_words": [], "synonyms": {}}
    if not isinstance(raw, dict):
        report.error(config.file, line, "search 应是映射（hot_words、synonyms）", "参照 docs/search.md")
        return settings
    hot = raw.get("hot_words") or []
    if not isinstance(hot, list):
        report.error(config.file, line, "search.hot_words 应是词语列表", "例如 hot_words: [社保, 公积金]")
    else:
        settings["hot_words"] = [str(w).strip() for w in hot if str(w).strip()]
    synonyms = raw.get("synonyms") or {}
    if not isinstance(synonyms, dict):
        report.error(config.file, line, "search.synonyms 应是映射：通俗说法: 规范用语", "例如 身份证丢了: 居民身份证 补领")
    else:
        settings["synonyms"] = {str(k).strip().lower(): str(v).strip() for k, v in synonyms.items() if k and v}
    return settings


def page_record(page) -> dict:
    from ..types import ACTIVE_STATUSES

    record = {"t": page.title, "u": page.url, "d": page.date.strftime("%Y-%m-%d"), "c": page.column.name,
              "y": page.type}
    if page.archived_at:
        record["a"] = page.archived_at.strftime("%Y-%m-%d %H:%M")
    if page.status:  # 有效 / 已废止 / 公示中 … shown as a badge; "e" marks an ended status
        record["s"] = page.status
        if page.status not in ACTIVE_STATUSES:
            record["e"] = 1
    if page.extra.get("doc_no"):
        record["n"] = str(page.extra["doc_no"])
    if page.type == "service" and page.extra.get("online_level"):
        record["o"] = str(page.extra["online_level"])
    return record


def heading_text(page) -> str:
    """What counts as the title for ranking: the title plus the document and index numbers
    (文号, 索引号), which visitors type exactly and which often appear only in the metadata."""
    extra = [str(page.extra[k]) for k in ("doc_no", "index_no") if page.extra.get(k)]
    return " ".join([page.title, *extra])


def average_length(site) -> float:
    """Mean page length in characters — the BM25 average document length, known before rendering."""
    pages = site.pages
    return sum(len(p.body) + len(p.title) for p in pages) / len(pages) if pages else 1.0


class SearchWorker:
    """The part that runs where pages are rendered: fragments and partial postings."""

    def __init__(self, out, avgdl: float):
        self.out = out
        self.avgdl = avgdl
        self.table = traditional_to_simplified()

    def index(self, pages_with_text):
        """Index consecutive documents; returns ``(first doc, segments, postings)``."""
        partial = PartialIndex(self.avgdl, self.table)
        for doc, page, text in pages_with_text:
            partial.add(doc, heading_text(page), text)
            self.out.write(f"search/doc/{doc}.js", doc_fragment(doc, page_record(page), text))
        first = pages_with_text[0][0] if pages_with_text else 0
        return first, partial.segments(), sum(len(v) for v in partial.postings.values())


@lru_cache(maxsize=1)
def traditional_to_simplified() -> dict[int, str]:
    """Character table traditional → simplified made with OpenCC (t2s) over the CJK block.

    Pages are indexed through this table and queries go through the part of it that leads to
    characters in the index, so traditional and simplified text meet in one index. A character
    table (not OpenCC's phrase conversion) is used on both sides, so they always agree.
    """
    import opencc

    convert = opencc.OpenCC("t2s.json").convert
    table = {}
    for code in range(0x4E00, 0xA000):
        char = chr(code)
        simple = convert(char)
        if len(simple) == 1 and simple != char:
            table[code] = simple
    return table


def t2s_map(tokens) -> dict[str, str]:
    """The query-side map: traditional characters whose simplified form is in the index."""
    present = {c for token in tokens for c in token}
    return {chr(code): simple for code, simple in traditional_to_simplified().items() if simple in present}


def variant_char_map(texts, profile: str) -> dict[str, str]:
    """Character → its form in the 繁体 version (OpenCC ``profile``), for characters that change."""
    import opencc

    convert = opencc.OpenCC(f"{profile}.json").convert
    chars = sorted({c for text in texts for c in text if "\u3400" <= c <= "\u9fff"})
    converted = convert("\n".join(chars)).split("\n")
    return {a: b for a, b in zip(chars, converted) if len(b) == 1 and a != b}


def write_search(site, out, index: FullTextIndex, settings: dict) -> dict:
    """Write shards, suggest index, facets and meta; returns sizes and timings for reports."""
    started = time.perf_counter()
    shards = index.shard_count()
    for n, text in index.shards(shards):
        out.write(f"search/idx/{n}.js", text)

    hot = list(settings["hot_words"])
    counts: dict[str, int] = {}
    for page in site.pages:
        for kw in page.keywords:
            counts[kw] = counts.get(kw, 0) + 1
    for word, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        if len(hot) >= HOT_WORDS:
            break
        if word not in hot:
            hot.append(word)
    terms = collect_terms(site, hot)
    out.write("search/suggest.js", js_call("GS_SUGGEST", {"terms": terms, "index": build_index(terms)}))
    out.write("search/pinyin.js", js_call("GS_PINYIN", pinyin_map(list(index.postings) + [t[0] for t in terms])))

    columns = [c.name for c in site.columns]
    column_index = {id(c): i for i, c in enumerate(site.columns)}
    types = sorted({p.type for p in site.pages})
    years = sorted({p.date.year for p in site.pages}, reverse=True)
    facets = [[column_index[id(p.column)], types.index(p.type), p.date.year] for p in site.pages]
    out.write("search/facets.js", js_call("GS_FACETS", facets))
    meta = {
        "n": len(site.pages), "shards": shards, "pageSize": RESULTS_PER_PAGE,
        "types": [[t, TYPE_LABELS.get(t, t)] for t in types], "columns": columns, "years": years,
        "hot": hot, "synonyms": settings["synonyms"], "t2s": t2s_map(index.postings),
    }
    out.write("search/meta.js", js_call("GS_META", meta))
    variant = getattr(site, "variant", None)
    if variant is not None:  # the 繁体 version shows titles and snippets in its own characters
        texts = list(index.postings) + [p.title for p in site.pages] + columns + hot + [t[1] for t in meta["types"]]
        out.write("search/s2t.js", js_call("GS_S2T", variant_char_map(texts, variant.profile)))
    return {"shards": shards, "postings": index.size, "tokens": len(index.postings), "terms": len(terms),
            "seconds": time.perf_counter() - started}
