"""The page loop: content pages and the columns' list pages rendered and indexed in forked workers.

Content pages are independent of each other. Workers are forked after resolve, so they share the
resolved site without pickling it; each writes its pages (and their search fragments) straight
into the temporary output folder and hands back a :class:`ChunkResult`: the postings of its pages,
what it staged for the build cache and its counts. Output does not depend on which worker
rendered a page, so it stays deterministic.
"""
from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import jinja2

from govsite.cache.store import Handover
from govsite.core.errors import Problem, display_path
from govsite.core.workers import can_fork, fork_pool
from govsite.pipeline.options import BuildCounts
from govsite.render.pages import SiteRenderer
from govsite.search.build import SearchWorker

CHUNK = 200         # pages a worker renders and indexes at a time
TAIL, TAIL_CHUNK = 2 * CHUNK, CHUNK // 4   # the last pages, in smaller tasks


def page_runs(count: int) -> list[range]:
    """The page loop's tasks, which are also the search index's runs of postings: ``CHUNK``
    pages each, but the last ``TAIL`` in tasks of ``TAIL_CHUNK``. A 200-page task takes ~1 s
    on a cold build; when they are all that size, one worker may start its last one as the other
    runs out of work, and a core idles for up to that long (at 5,000 pages: 25 tasks on 2
    workers). Made from the page count alone, so a run keeps its cache key whatever ``--jobs``."""
    split = max(0, count - TAIL) // CHUNK * CHUNK
    return [range(i, min(i + CHUNK, split)) for i in range(0, split, CHUNK)] + \
        [range(i, min(i + TAIL_CHUNK, count)) for i in range(split, count, TAIL_CHUNK)]


@dataclass(frozen=True)
class Task:
    """One task of the page loop: content pages (by index in ``site.pages``) or columns' list pages."""

    kind: str            # "pages" or "columns"
    indexes: list[int]


@dataclass
class ChunkResult:
    """What one task hands back to the build process."""

    pages: int = 0                                  # content pages done (for the progress bar)
    problems: list[Problem] = field(default_factory=list)
    outbound: set[str] = field(default_factory=set)  # outbound links needing a leaving notice (LK-2)
    postings: object = None                          # the search postings of its pages (a run)
    index_seconds: float = 0.0
    staged: Handover = field(default_factory=Handover)   # what a worker did for the build cache
    counts: BuildCounts | None = None                # a worker's file counts (None in the build process)
    exports: dict = field(default_factory=dict)      # a worker's export items (信息报送)


@dataclass
class PageLoop:
    """What the page loop gives the stages after it."""

    problems: list[Problem]
    outbound: set[str]
    parts: list
    index_seconds: float


def template_problem(exc: jinja2.TemplateError) -> Problem:
    name = getattr(exc, "filename", None) or getattr(exc, "name", None) or "模板"
    line = getattr(exc, "lineno", 0) or 0
    return Problem(display_path(name), line, f"模板错误：{exc.message or exc}", "检查模板语法和所用的变量名")


# the renderer and search worker of the loop under way: forked workers inherit them (module
# globals are how a forked pool's function reaches objects it must not pickle)
_WORKER: SiteRenderer | None = None
_SEARCH: SearchWorker | None = None
_MAIN_PID = 0


def _render_chunk(task: Task) -> ChunkResult:
    assert _WORKER is not None and _SEARCH is not None
    worker, result, texts = _WORKER, ChunkResult(), []
    try:
        if task.kind == "columns":
            for i in task.indexes:
                worker.render_column(worker.site.columns[i])
        else:
            for i in task.indexes:
                page = worker.site.pages[i]
                found, urls, body = worker.render_page(page)
                result.problems.extend(found)
                result.outbound.update(urls)
                texts.append((i, page, body))
    except jinja2.TemplateError as exc:
        result.problems.append(template_problem(exc))
    started = time.perf_counter()
    result.postings = _SEARCH.index(texts) if task.kind == "pages" else None
    result.index_seconds = time.perf_counter() - started
    result.pages = len(texts)
    if os.getpid() != _MAIN_PID:  # a worker: hand over what it staged for the cache, its counts and exports
        if worker.exports:
            result.exports, worker.exports = worker.exports, {}
        result.staged = worker.cache.hand_over()
        result.counts = BuildCounts(worker.rendered, worker.skipped, worker.out.written, worker.out.kept)
        worker.rendered = worker.skipped = worker.out.written = worker.out.kept = 0
    return result


def _column_tasks(site, files_per_task: int = 20) -> list[Task]:
    """The columns' list pages in tasks of about ``files_per_task`` files each."""
    tasks, group, files = [], [], 0
    size = max(1, int(site.config.page_size))
    for i, col in enumerate(site.columns):
        group.append(i)
        files += max(1, math.ceil(len(col.pages) / size))
        if files >= files_per_task:
            tasks.append(Task("columns", group))
            group, files = [], 0
    if group:
        tasks.append(Task("columns", group))
    return tasks


def render_pages(renderer: SiteRenderer, search: SearchWorker, jobs: int | None,
                 progress: Callable[[int], object] | None, counts: BuildCounts) -> PageLoop:
    """Render and index every content page and every column's list pages, in workers when worth it.

    The columns' list pages need nothing from the content pages, so the workers render them too
    (first: they are the larger tasks). Before them come the runs holding a page whose source this
    build parsed anew (edited, mostly): with a build cache the others are taken from their records
    in a few milliseconds, while such a run is rendered and indexed again — started last, it would
    keep one worker busy after the other ran out of work. (The order changes no output.)"""
    global _WORKER, _SEARCH, _MAIN_PID
    _MAIN_PID = os.getpid()
    pages = renderer.site.pages
    runs = [Task("pages", list(run)) for run in page_runs(len(pages))]
    parsed = renderer.cache.pages.parsed()
    edited = [task for task in runs if any(pages[i].file in parsed for i in task.indexes)] if parsed else []
    if len(edited) * 2 > len(runs):   # most of the site (a new cache): the large tasks first, as always
        edited = []
    tasks = edited + _column_tasks(renderer.site) + [task for task in runs if task not in edited]
    _WORKER, _SEARCH = renderer, search
    renderer.cache.before_render()
    loop = PageLoop([], set(), [], 0.0)
    pool = fork_pool(jobs or os.cpu_count() or 1) if can_fork(jobs, len(pages)) else None
    try:
        results = map(_render_chunk, tasks) if pool is None else pool.imap_unordered(_render_chunk, tasks)
        for done in results:
            if done.exports:
                assert renderer.exports is not None   # workers export only for a renderer that collects them
                renderer.exports.update(done.exports)
            loop.problems.extend(done.problems)
            loop.outbound.update(done.outbound)
            if done.postings is not None:
                loop.parts.append(done.postings)
            loop.index_seconds += done.index_seconds
            renderer.cache.merge(done.staged)
            renderer.cache.save_content()   # content-keyed entries now: memory stays bounded
            if done.counts is not None:
                counts.add(done.counts)
            if progress:
                progress(done.pages)
        if pool is not None:  # every task is done: the workers end on the pool's own sentinel
            pool.close()
            pool.join()
    except BaseException:
        if pool is not None:
            pool.terminate()
        raise
    finally:
        _WORKER = _SEARCH = None
    return loop
