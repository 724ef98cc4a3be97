"""Quick rebuild: a body-only edit (正文修改) patched into the last finished build.

An editor's most common change is the text of an article. Its front matter — and so the site
tree, URLs, lists, relations and every other page — stays as it was. Of the whole build, such an
edit changes only:

* the page itself, and its 繁体 counterpart;
* the RSS feeds, whose items carry a summary of the body;
* the search index: the page's fragment, the postings of the words that came or went or whose
  weight changed (so the shards holding them), and — when the set of words changed — the tables
  made from it (pinyin, meta, 繁体);
* the syndication export (信息报送), which carries the whole body.

:func:`patch` renders just these with the renderer and resolved site the last build left behind
(``build_site(last=…)``), takes every other file from the last output as a hard link, and swaps
the result in like any build. Whatever it cannot be sure of — a changed front matter, a new
outbound link (its leave page), a ``site:`` link, an error in the body, a shift of the search
index's average length, a file that is not a Markdown page of this site — makes it decline
(and says why), and the caller runs the normal build. ``govsite serve`` uses it to show an edit
within a second, then runs the normal build all the same: that build's checks are the word on
problems, and its output replaces the patch (tests compare the two byte for byte).
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from govsite.cache.store import NULL_CACHE
from govsite.content.loader import head_digest
from govsite.content.model import Page
from govsite.core.source import SourceError, read_text, split_front_matter
from govsite.core.writer import OutputDir, PartsRecord, identity_of
from govsite.outputs import feeds, syndication
from govsite.pipeline.build import page_runs
from govsite.pipeline.state import LastBuild
from govsite.render.variants import Converter, counterpart
from govsite.search.build import (
    average_length,
    heading_text,
    page_record,
    run_key,
    shard_names,
    suggest_index,
    traditional_to_simplified,
    write_search_extras,
)
from govsite.search.fulltext import doc_fragment
from govsite.search.partial import PartialIndex
from govsite.search.tokenize import shard_of
from govsite.site.library import SITE_LINK_PREFIX


@dataclass
class Patched:
    done: bool
    reason: str = ""     # why not, when not done
    pages: int = 0       # pages whose body changed
    written: int = 0     # output files with new bytes
    seconds: float = 0.0


class Declined(Exception):
    """The edit is not one a patch can be sure of; the message says why (for the serve log)."""


def patch(state: LastBuild, changed) -> Patched:
    """Patch the body edits of ``changed`` (paths) into the build ``state`` describes (filled by
    ``build_site(last=…)``). Not done when the edit is not body-only or anything is unsure; the
    output is then untouched and, if ``state`` was touched, it is emptied (the normal build that
    follows fills it again). After a patch it describes the patched build, so edits can follow
    one another."""
    started = time.perf_counter()
    site, renderer = state.site, state.renderer
    if site is None or renderer is None:
        return Patched(False, "no finished build to patch")
    try:
        edits = _body_edits(state, site, changed)
    except Declined as exc:
        return Patched(False, str(exc))
    before = [(page, page.body) for _, page, _ in edits]
    try:
        written = _apply(state, site, renderer, edits)
    except Exception as exc:  # noqa: BLE001 - unsure means "not patched": the normal build follows
        for page, body in before:
            page.body = body
        state.clear()
        return Patched(False, str(exc) if isinstance(exc, Declined) else f"{type(exc).__name__}: {exc}")
    return Patched(True, "", len(edits), written, time.perf_counter() - started)


def prepare(state: LastBuild) -> None:
    """Work out now what the first patch would otherwise do on the editor's time: the search
    index (when the last build took the search files as they were), the suggest index and the
    file → page map.
    ``govsite serve`` calls it right after a build, while the browser reloads."""
    site = state.site
    if site is None:
        return
    _index(state)
    _pages_by_file(state, site)
    _suggest(state, site)
    traditional_to_simplified()
    if state.spare is None and state.target is not None and state.target.is_dir():
        state.spare = OutputDir.spare(state.target)   # the folder the first patch writes into


def _output(state) -> OutputDir:
    """Where a patch writes: the spare made ahead (:meth:`OutputDir.spare`) while it is still
    there — a normal build of this process clears it (:func:`govsite.core.writer.recover`) — else
    a new temporary folder."""
    spare, state.spare = state.spare, None
    if spare is not None and spare.tmp.is_dir() and state.target is not None and spare.target == state.target:
        return spare
    return OutputDir(state.target)


def _index(state):
    """The last build's search index, joined now if that build took the search files as they were."""
    if callable(state.search.index):
        state.search.index = state.search.index()
    return state.search.index


def _suggest(state, site):
    """The suggest index: titles and keywords are as they were in the last build, and so is it."""
    if state.suggest is None:
        state.suggest = suggest_index(site, site.search, state.cache)
    return state.suggest


def _pages_by_file(state, site) -> dict:
    by_file = state.by_file
    if by_file is None:
        by_file = state.by_file = {str(p.file.resolve()): (doc, p) for doc, p in enumerate(site.pages)
                                      if p.origin is None and p.head_digest}
    return by_file


def _body_edits(state, site, changed) -> list:
    """``(doc, page, new body)`` for each changed file; :class:`Declined` unless every one is a
    Markdown page of this site whose front matter is unchanged and at least one body changed."""
    by_file = _pages_by_file(state, site)
    edits = []
    for path in dict.fromkeys(str(Path(p).resolve()) for p in changed):
        found = by_file.get(path)
        if found is None:
            raise Declined(f"not a Markdown page of this site: {path}")
        try:
            front, body, _line = split_front_matter(read_text(Path(path)))
        except (SourceError, OSError) as exc:
            raise Declined(f"cannot read {path}: {exc}") from None
        doc, page = found
        if head_digest(front) != page.head_digest:
            raise Declined(f"front matter changed: {path}")
        if body != page.body:
            edits.append((doc, page, body))
    if not edits:
        raise Declined("no body changed")
    return edits


class _Recorder:
    """The new output folder, noting every path written (the rest is linked from the last build)."""

    def __init__(self, out: OutputDir):
        self._out = out
        self.paths: set[str] = set()

    def write(self, rel: str, data) -> None:
        self._out.write(rel, data)
        self.paths.add(rel)

    def write_parts(self, rel: str, parts, recorded: PartsRecord | None = None) -> PartsRecord:
        record = self._out.write_parts(rel, parts, recorded)
        self.paths.add(rel)
        return record

    def __getattr__(self, name):
        return getattr(self._out, name)


def _apply(state, site, renderer, edits) -> int:
    """Render and write what the edits change; returns how many files got new bytes."""
    index = _index(state)
    if index is None:
        raise Declined("the last build has no search index")
    renderer.cache = NULL_CACHE  # render everything asked; take nothing from the cache, record nothing
    olds = []
    for _, page, body in edits:
        if SITE_LINK_PREFIX in page.body or SITE_LINK_PREFIX in body:
            raise Declined("a site: link")  # links to other sites (资源库) decide which sites the build loads
        olds.append(renderer._markdown(page))
        page.body = body
    if average_length(site) != state.avgdl:
        raise Declined("the mean page length changed")  # every page's search weights would change
    out = _output(state)
    recorder = _Recorder(out)
    renderer.out = recorder
    try:
        words_before, shards_before, changed = set(index.postings), index.shard_count(), set()
        for (doc, page, _), (old_body, old_text) in zip(edits, olds, strict=False):
            problems, outbound, body = renderer.render_page(page)
            text = body.text
            if any(p.severity == "error" for p in problems):
                raise Declined("the body has an error to report")
            if set(outbound) != set(old_body.outbound):
                raise Declined("outbound links changed")  # a leave page (LK-2) to add or drop
            recorder.write(f"search/doc/{doc}.js", doc_fragment(doc, page_record(page), text))
            changed |= index.replace(doc, _weights(state, doc, page, old_text), _weights(state, doc, page, text))
        shards = index.shard_count()
        names = shard_names(shards)
        only = {shard_of(t, shards) for t in changed} if shards == shards_before else None
        for n, text in index.shards(shards, only):
            recorder.write(names[n], text)
        if only is None or set(index.postings) != words_before:  # tables made from the set of words
            write_search_extras(site, recorder, index, shards, site.search, suggest=_suggest(state, site))
        for path, data in feeds.feeds(site).items():
            recorder.write(path, data)
        syndication.write_export(renderer)   # keeps every other page's entry from the last build
        if site.variant is not None:
            converter = Converter(site.variant, site.config.base_url, site.config.base_path,
                                  tuple(v.prefix for v in site.versions))
            for rel in sorted(p for p in recorder.paths if p.endswith(".html")):
                html = out.path(rel).read_text(encoding="utf-8")
                recorder.write(counterpart(site.variant, rel), converter.page(html, rel))
        if not out.is_spare:   # (a spare holds the rest already)
            out.keep_rest(recorder.paths)
        _rekey_runs(state, site, renderer, {doc for doc, _, _ in edits})
    except BaseException:
        out.discard()
        raise
    if out.commit(recycle=True):   # the previous output becomes the next patch's spare
        state.spare = out.next_spare(recorder.paths)
    # the shards the next build would write from these runs are these files (search.build.write_search)
    # (a shard the patch did not write is the file it was: its identity is the recorded one)
    known = dict(state.search.shard_files or ())
    state.search.shard_files = [(rel, known[rel] if rel in known and rel not in recorder.paths
                                 else identity_of(out.target / rel)) for rel in names]
    return out.written


def _rekey_runs(state, site, renderer, docs) -> None:
    """The patched index is the one a build joins from the new texts: give the runs of postings
    that hold the edited pages the keys a build would compute (from the Markdown cache), so the
    next build can reuse the index (``write_search``) instead of joining it again."""
    runs, cache = state.search.runs, state.cache
    state.search.runs = None      # until every key is known
    if runs is None or not cache.enabled:   # (the null cache: no Markdown keys to make)
        return
    runs = list(runs)
    bounds = page_runs(len(site.pages))
    if len(bounds) != len(runs):
        return
    renderer.cache = cache    # Markdown of the run's other pages from the cache: nothing is recorded
    try:
        for n in sorted({n for n, run in enumerate(bounds) for doc in docs if doc in run}):
            runs[n] = run_key(state.avgdl, [(doc, site.pages[doc], renderer._body(site.pages[doc]).search_key)
                                               for doc in bounds[n]])
    finally:
        renderer.cache = NULL_CACHE
    state.search.runs = tuple(runs)


def _weights(state, doc: int, page: Page, text: str) -> dict[str, int]:
    """The search weights of one page, as the build's index gave them."""
    partial = PartialIndex(state.avgdl, traditional_to_simplified())
    partial.add(doc, heading_text(page), text)
    return partial.weights()

