"""Writing the search files of a site (``search/`` in the output).

The render workers index the pages they render (:class:`~.fulltext.PartialIndex`) and write
each page's fragment; the main process merges the partial indexes and writes the shards, the
suggest index and the small ``meta.js`` that every query loads first.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from govsite.cache.digest import digest, hash_parts
from govsite.cache.store import NULL_CACHE, Cache
from govsite.cache.tables import Postings, SearchRecord
from govsite.config.features import SearchSettings
from govsite.core.writer import keep_recorded
from govsite.search.fulltext import FullTextIndex, doc_fragment, js_call
from govsite.search.partial import PartialIndex
from govsite.search.suggest import build_index, collect_terms, pinyin_chars, pinyin_map, pinyin_table
from govsite.search.tokenize import shard_of
from govsite.site.types import LABELS, status_meaning

RESULTS_PER_PAGE = 10
HOT_WORDS = 10


def page_record(page) -> dict:
    record = {"t": page.title, "u": page.url, "d": page.date.strftime("%Y-%m-%d"), "c": page.column.name,
              "y": page.type}
    if page.archived_at:
        record["a"] = page.archived_at.strftime("%Y-%m-%d %H:%M")
    if page.status:  # 有效 / 已废止 / 公示中 … shown as a badge coloured by its meaning, as on the pages
        record["s"] = page.status
        record["m"] = status_meaning(page.status)
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
    """Mean page length in characters — the BM25 average document length, known before rendering.

    Rounded to three significant digits: editing one page of thousands then leaves it (and so
    every other page's weights) unchanged, and the build cache can reuse their postings."""
    pages = site.pages
    mean = sum(len(p.body) + len(p.title) for p in pages) / len(pages) if pages else 1.0
    return float(f"{mean:.3g}")


def run_key(avgdl: float, docs) -> bytes:
    """The cache key of a run of consecutive documents' postings: what their postings are made of.
    ``docs``: (doc id, page, ``PageBody.search_key``: a digest of the text the index reads)."""
    return Postings.key(avgdl, [(doc, heading_text(page), text_key) for doc, page, text_key in docs])


class SearchWorker:
    """The part that runs where pages are rendered: fragments and partial postings.

    With a build cache, the postings of a run of documents are kept under a key made of the
    documents' ids and texts and the average length; an unchanged run is not indexed again.
    """

    def __init__(self, out, avgdl: float, cache: Cache = NULL_CACHE):
        self.out = out
        self.avgdl = avgdl
        self.cache = cache
        self.table = traditional_to_simplified(cache)

    def index(self, docs):
        """Index consecutive documents, ``(doc id, page, body)`` (a :class:`~govsite.render.PageBody`);
        returns ``(first doc, segments, postings, cache key)``; ``segments`` is None when they are
        in the cache under that key — also when they were made just now: staged for the cache,
        they reach it through the main process, which then need not hold every run's postings
        until the index is joined (at 20,000 pages, 0.4 GB)."""
        for doc, page, body in docs:
            self._write_doc(doc, page, body)
        first = docs[0][0] if docs else 0
        postings = self.cache.postings
        key = postings.key(self.avgdl, [(doc, heading_text(page), body.search_key) for doc, page, body in docs])
        count = postings.count(key)
        if count is not None:
            return first, None, count, key
        segments, count = self.segments([(doc, page, body.text) for doc, page, body in docs])
        if key is None:   # no cache: the segments go to the main process themselves
            return first, segments, count, None
        postings.put(key, segments, count)
        return first, None, count, key

    def segments(self, pages_with_text) -> tuple[tuple, int]:
        """The postings of consecutive documents (:meth:`PartialIndex.segments`) and their number."""
        partial = PartialIndex(self.avgdl, self.table)
        for doc, page, text in pages_with_text:
            partial.add(doc, heading_text(page), text)
        return partial.segments(), partial.count

    def _write_doc(self, doc: int, page, body) -> None:
        """A document's fragment. With a cache, one unchanged since the last build is linked from
        it on the strength of what it is made of (its record and ``body.search_key``) and the file's
        identity, without reading the old file or the page's text."""
        rel = f"search/doc/{doc}.js"
        record = page_record(page)
        fragments = self.cache.doc_fragments
        key = fragments.key(getattr(self.out, "prefix", "") + rel, record, body.search_key)
        seen = fragments.get(key)
        if seen is not None and self.out.previous_is(rel, seen.identity) and self.out.keep(rel):
            return
        self.out.write(rel, doc_fragment(doc, record, body.text))
        fragments.record(key, self.out, rel)


_T2S: dict[int, str] | None = None   # the table, once made or read in this process (forks inherit it)


def traditional_to_simplified(cache: Cache = NULL_CACHE) -> dict[int, str]:
    """Character table traditional → simplified made with OpenCC (t2s) over the CJK block.

    Pages are indexed through this table and queries go through the part of it that leads to
    characters in the index, so traditional and simplified text meet in one index. A character
    table (not OpenCC's phrase conversion) is used on both sides, so they always agree.

    Made once per process; with a build cache, kept there: converting 20,000 characters one by
    one costs ~0.04 s, reading the table back ~1 ms (OpenCC's version is in the cache's key)."""
    global _T2S
    _T2S = cache.pinyin.t2s_table(_t2s_from_opencc, _T2S)
    return _T2S


def _t2s_from_opencc() -> dict[int, str]:
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
    return {a: b for a, b in zip(chars, converted, strict=False) if len(b) == 1 and a != b}


@dataclass
class SearchState:
    """What a long-lived process keeps of a build's search index (``govsite serve``): the keys of
    the runs of postings it was joined from (None: unknown, never reused), the index itself — or,
    when the build took the search files as they were, a function that joins it when wanted — and
    the shard files written with their identities."""

    runs: tuple | None = None
    index: FullTextIndex | Callable[[], FullTextIndex] | None = None
    shard_files: list | None = None


def search_inputs(site, runs, settings: SearchSettings) -> bytes:
    """Everything the site-wide search files depend on: the runs of postings (their keys, in
    document order) and the page and column fields the suggest index, facets and meta read."""
    pages = [(p.title, p.url, p.date, p.type, p.keywords, p.extra, p.column.src, p.archived_at, p.status)
             for p in site.pages]
    columns = [(c.src, c.name, c.url, len(c.all_pages), c.column_type) for c in site.columns]
    return hash_parts(*runs, digest((pages, columns, settings, getattr(site, "variant", None))))


def write_search(site, out, parts, settings: SearchSettings, cache: Cache = NULL_CACHE, fingerprint: bytes = b"",
                 keep: SearchState | None = None, missing=None, last: SearchState | None = None) -> dict:
    """Write shards, suggest index, facets and meta; returns sizes and timings for reports.

    ``parts``: ``(first doc, segments, postings, key)`` per run of documents (segments may be in
    the cache; ``missing(first doc)`` makes those the cache lost again, see :func:`join_parts`).
    When every input equals the previous build's, its files are taken as they are.
    ``keep`` (for :mod:`govsite.pipeline.quick`): receives the finished index, or — when the files
    were taken as they are — a function that joins it from the parts when it is wanted. When
    ``last`` (the process's previous build) was joined from the very same runs of postings,
    its index is used instead of joining it again."""
    started = time.perf_counter()
    if not all(p[3] is not None for p in parts):   # a run without a key: nothing of it is cached
        cache = NULL_CACHE
    record_key = cache.search_files.key(fingerprint)   # (None without a cache)
    runs = tuple(key for _, _, _, key in sorted(parts, key=lambda p: p[0])) if record_key is not None else None
    earlier = last or SearchState()
    if keep is not None:
        keep.runs = runs       # what the index is joined from (None: unknown, never reused)
    inputs = search_inputs(site, runs, settings) if runs is not None else None
    previous = cache.search_files.get(record_key)
    if previous is not None and previous.inputs == inputs and keep_recorded(out, previous.files):
        cache.joined.keep(cache.joined.key(fingerprint))   # kept for later builds
        cache.pinyin.keep_whole_table()
        if keep is not None:
            keep.index = lambda: _joined(parts, runs, runs, cache, fingerprint, missing)[0]
            keep.shard_files = [(rel, seen) for rel, seen in previous.files if rel.startswith(SHARD_FOLDER)]
        return {**previous.stats, "seconds": time.perf_counter() - started, "reused": True}
    previous_runs = previous.runs if previous is not None else None
    index, changed = earlier.index, None
    if runs is None or earlier.runs != runs or not isinstance(index, FullTextIndex):
        index, changed = _joined(parts, runs, previous_runs, cache, fingerprint, missing)
    unchanged = previous_runs is not None and previous_runs == runs
    if not (unchanged and changed is not None):   # (else it is there already)
        cache.joined.record(cache.joined.key(fingerprint), runs, index)
    if keep is not None:
        keep.index = index
    # the shards hold nothing but the postings: the same runs give the same shards (a column or
    # title edit changes only the suggest index, facets and meta). Which files they are: the
    # cache's record of the last build, or what this process's last build or patch left. After a
    # splice, only the shards of the tokens joined again can differ from the last build's
    recorded = None
    if unchanged or changed is not None:   # (a splice is into the last build's index)
        recorded = previous.files
    elif runs is not None and earlier.runs == runs:
        recorded = earlier.shard_files
    stats = _write_search_files(site, out, index, settings, cache, recorded, changed)
    shard_files = [(rel, out.identity(rel)) for rel in shard_names(stats["shards"])]
    if keep is not None:
        keep.shard_files = shard_files
    if record_key is not None:
        extras = ["search/suggest.js", "search/pinyin.js", "search/facets.js", "search/meta.js"]
        if getattr(site, "variant", None) is not None:
            extras.append("search/s2t.js")
        cache.search_files.put(record_key, SearchRecord(inputs, shard_files + [(rel, out.identity(rel)) for rel in extras],
                                                        stats, runs))
    stats["seconds"] = time.perf_counter() - started
    stats["joined_again"] = None if changed is None else len(changed)   # tokens, after a splice
    return stats


SHARD_FOLDER = "search/idx/"


def shard_names(count: int) -> list[str]:
    return [f"{SHARD_FOLDER}{n}.js" for n in range(count)]


SPLICE_SHARE = 4   # an index is spliced when at most a quarter of its runs changed


def _splice(parts, runs, previous_runs, cache, fingerprint: bytes):
    """The index spliced into the last build's (:meth:`FullTextIndex.splice`) when only a few
    runs changed (or none: a title edit changes the suggest index, not the postings) and the
    cache holds all it needs, with the tokens joined again; else None."""
    if runs is None or previous_runs is None or len(previous_runs) != len(runs):
        return None
    changed = [k for k, (was, now) in enumerate(zip(previous_runs, runs, strict=False)) if was != now]
    if len(changed) > max(1, len(runs) // SPLICE_SHARE):
        return None
    joined = cache.joined.get(cache.joined.key(fingerprint))
    if joined is None or joined.runs != previous_runs:   # not the last build's: from a failed build
        return None
    ordered = sorted(parts, key=lambda p: p[0])
    starts = [first for first, _, _, _ in ordered] + [1 << 62]
    changes = {}
    for k in changed:
        old, new = cache.postings.get(previous_runs[k]), ordered[k][1] or cache.postings.get(runs[k])
        if old is None or new is None:
            return None
        changes[k] = (old, new, starts[k], starts[k + 1])

    def every_run():
        segments = []
        for _, part, _, key in ordered:
            part = part if part is not None else cache.postings.get(key)
            if part is None:   # lost: join_parts makes it again
                return None
            segments.append(part)
        return segments

    return FullTextIndex.splice(joined.columns, changes, len(runs), every_run, sum(p[2] for p in parts))


def _joined(parts, runs, previous_runs, cache, fingerprint, missing) -> tuple[FullTextIndex, set | None]:
    """The index, spliced if it can be and joined if not; with the tokens whose postings may
    differ from the last build's (None: any of them)."""
    spliced = _splice(parts, runs, previous_runs, cache, fingerprint)
    return spliced if spliced is not None else (join_parts(parts, cache, missing), None)


def join_parts(parts, cache: Cache = NULL_CACHE, missing=None) -> FullTextIndex:
    """The site's index from the runs of postings. Segments missing from ``parts`` are in the
    cache; should the cache have lost them (a failed write, a cache deleted during the build),
    ``missing(first doc)`` makes them again."""
    index = FullTextIndex()
    for first, segments, count, key in parts:
        if segments is None:
            segments = cache.postings.get(key)
            if segments is None:
                if missing is None:
                    raise RuntimeError("search postings missing from the build cache")
                segments, count = missing(first)
        index.add(first, segments, count)
    index.finish()
    return index


def _write_search_files(site, out, index: FullTextIndex, settings: SearchSettings, cache: Cache = NULL_CACHE, earlier=None,
                        changed=None) -> dict:
    """``earlier``: the files (and identities) of a previous build whose index was the same but
    for the tokens ``changed`` (None: the same); its shards are taken as they are when each is
    still the recorded file, all but those holding a changed token."""
    shards = index.shard_count()
    names = shard_names(shards)
    recorded = dict(earlier or ())
    same = all(rel in recorded for rel in names) and f"{SHARD_FOLDER}{shards}.js" not in recorded
    only = None if changed is None else {shard_of(token, shards) for token in changed}
    if not same or not keep_recorded(out, [(rel, recorded[rel]) for n, rel in enumerate(names)
                                           if only is None or n not in only]):
        only = None
    if only is None or only:
        for n, text in index.shards(shards, only):
            out.write(names[n], text)
    _, (terms, _) = write_search_extras(site, out, index, shards, settings, cache)
    return {"shards": shards, "postings": index.size, "tokens": len(index.postings), "terms": len(terms)}


def suggest_index(site, settings: SearchSettings, cache: Cache = NULL_CACHE) -> tuple[list, tuple]:
    """The hot words and ``(terms, suggest.js text)``. They depend on titles, keywords, columns
    and settings — not on page bodies — so they are cached apart from the postings."""
    hot = list(settings.hot_words)
    counts: dict[str, int] = {}
    for page in site.pages:
        for kw in page.keywords:
            counts[kw] = counts.get(kw, 0) + 1
    for word, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        if len(hot) >= HOT_WORDS:
            break
        if word not in hot:
            hot.append(word)
    suggest = cache.suggest
    key = suggest.key((hot, [(p.type, p.title, p.url, p.extra.get("online_level"), p.keywords) for p in site.pages],
                       [(c.name, c.url, len(c.all_pages)) for c in site.columns]))

    def make() -> tuple:
        terms = collect_terms(site, hot)
        return terms, js_call("GS_SUGGEST", {"terms": terms, "index": build_index(terms)})

    return hot, suggest.memo(key, make)


def write_search_extras(site, out, index: FullTextIndex, shards: int, settings: SearchSettings,
                        cache: Cache = NULL_CACHE,
                        suggest=None) -> tuple[list, tuple]:
    """Everything but the shards: suggest index, pinyin table, facets, meta (and the 繁体 table).
    They depend on the set of tokens, not on their postings. ``suggest``: what
    :func:`suggest_index` gave, if known. Returns it."""
    hot, cached = suggest or suggest_index(site, settings, cache)
    terms, suggest_js = cached
    out.write("search/suggest.js", suggest_js)
    chars = pinyin_chars(list(index.postings) + [t[0] for t in terms])
    pinyin = cache.pinyin
    pinyin.keep_whole_table()
    # a new character: from the cache's table of all (None without a cache), not from pypinyin
    pinyin_js = pinyin.memo(pinyin.key(chars),
                            lambda: js_call("GS_PINYIN", pinyin_map(chars, pinyin.whole_table(pinyin_table))))
    out.write("search/pinyin.js", pinyin_js)

    columns = [c.name for c in site.columns]
    column_index = {id(c): i for i, c in enumerate(site.columns)}
    types = sorted({p.type for p in site.pages})
    years = sorted({p.date.year for p in site.pages}, reverse=True)
    facets = [[column_index[id(p.column)], types.index(p.type), p.date.year] for p in site.pages]
    out.write("search/facets.js", js_call("GS_FACETS", facets))
    # the 类别 filter and each result show a type by its Chinese name from the type vocabulary
    # (标准目录, 意见征集 …), the name editors see in messages and the content-types docs
    type_labels = [[t, LABELS.get(t, t)] for t in types]
    meta = {
        "n": len(site.pages), "shards": shards, "pageSize": RESULTS_PER_PAGE,
        "types": type_labels, "columns": columns, "years": years,
        "hot": hot, "synonyms": settings.synonyms, "t2s": t2s_map(index.postings),
    }
    out.write("search/meta.js", js_call("GS_META", meta))
    variant = getattr(site, "variant", None)
    if variant is not None:  # the 繁体 version shows titles and snippets in its own characters
        texts = list(index.postings) + [p.title for p in site.pages] + columns + hot + [t[1] for t in type_labels]
        out.write("search/s2t.js", js_call("GS_S2T", variant_char_map(texts, variant.profile)))
    return hot, cached
