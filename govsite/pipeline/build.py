"""The build pipeline, top to bottom: load → resolve → check → render → write.

Each stage reports problems instead of raising, so one run lists every error of a site. Nothing
is rendered while there are errors, and the output folder is replaced only by a complete build.
"""
from __future__ import annotations

import math
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from govsite.site import library
from govsite.cache import stamp
from govsite.cache.store import BuildCache, _hash, code_fingerprint, digest
from govsite.rules.structure import check_site
from govsite.config.site import load_site
from govsite.core.dates import DateError, build_now, site_zone
from govsite.core.errors import BuildFailed, Problem, Report, display_path
from govsite.config.messages import load_messages
from govsite.site.languages import language_versions, translations
from govsite.content.loader import load_content
from govsite.outputs.redirects import (MANIFEST_FILE, MAP_FILE, REDIRECTS_FILE, load_redirects, manifest, manifest_text, nginx_map, output_files, read_manifest, redirect_page, report_gone, resolve_redirects)
from govsite.render.pages import SiteRenderer
from govsite.rules.runner import BuildGate
from govsite.site.resolve import related_ranks, resolve
from govsite.search.build import SearchWorker, average_length, search_settings, write_search
from govsite.outputs.syndication import write_export
from govsite.config.theme import check_contrast, load_theme
from govsite.render.variants import variant_settings, write_traditional
from govsite.core.workers import Background, collector_paused, die_with_parent, fork_pool
from govsite.core.writer import OutputDir, SubDir

PARALLEL_MIN_PAGES = 200
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


@dataclass
class BuildResult:
    site: str
    out: Path
    pages: int
    seconds: float
    report: Report
    search: dict | None = None      # index sizes and the time spent on search (benchmarks print it)
    rendered: int = 0               # files rendered through a template
    skipped: int = 0                # files taken unchanged from the previous output (build cache)
    written: int = 0                # files whose bytes changed (written anew)
    kept: int = 0                   # files whose bytes did not change (hard-linked, mtime kept)
    cache: dict | None = None       # build cache hits per kind; None without a cache
    inputs: list = field(default_factory=list)  # the folders the build read (govsite.stamp)


def site_names(project: Path) -> list[str]:
    sites = project / "sites"
    if not sites.is_dir():
        return []
    return sorted(p.name for p in sites.iterdir() if (p / "site.yaml").is_file())


def load_and_check(project: Path, key: str, now=None, drafts=False, cache=None, preview=False):
    """Stages 1–3 for one site. Returns ``(site, report)``; ``site`` is None when unusable.

    A site with language versions (外文版) loads them too (``site.versions``): their trees are
    resolved and checked with the main site, so their errors are reported in the same run.
    ``cache``: a :class:`~govsite.cache.BuildCache` for parsed pages.
    """
    report = Report()
    config = load_site(project, key, report)
    if config is None:
        return None, report
    try:
        build_time = build_now(now, site_zone(config.timezone))
    except DateError as exc:
        report.error("--now", 0, str(exc), "写成 YYYY-MM-DD HH:MM，例如 --now '2026-03-18 09:00'")
        return None, report
    site = prepare_site(project, config, build_time, drafts, report, cache, preview, shared=True)
    if site is None:
        return None, report
    site.versions = language_versions(project, config, report)
    for version in site.versions:
        version.site = prepare_site(project, version.config, build_time, drafts, report, cache, preview)
        if version.site is not None:
            version.site.out_prefix = version.prefix + "/"
    if site.versions:
        table = translations(site, site.versions, str(config.raw.get("language_label") or "中文"))
        for tree in [site] + [v.site for v in site.versions if v.site is not None]:
            tree.translations = table
    return site, report


def prepare_site(project: Path, config, build_time, drafts: bool, report: Report, cache=None, preview: bool = False,
                 shared: bool = False):
    """Load, resolve and check one content tree (a site, or one of its language versions).

    ``shared``: apply the site's ``include:`` rules (资源库, :mod:`govsite.library`); a language
    version has its own tree and does not include the main site's rules."""
    if config.content is None or not config.content.is_dir():
        return None
    tree = load_content(config.content, config.column_types, report, cache)
    included = library.collect(project, config, tree, build_time, report, cache, rules=shared)
    tree.pages.extend(included.copies)
    site = resolve(config, tree, build_time, report, drafts=drafts, preview=preview, members=included.members,
                   ranks=_cached_ranks(cache) if cache is not None and cache.enabled else None)
    site.library = included.sites
    site.theme = load_theme(project, config, report)
    site.search = search_settings(config, report)
    site.variant = variant_settings(config, report)
    site.messages = load_messages(list(reversed(site.theme.dirs)), config.language, report)
    check_site(site, tree.pages, report)
    check_contrast(site.theme, config, report)
    return site


def _cached_ranks(cache):
    """:func:`~govsite.resolve.related_ranks` through the build cache: they are made of every
    page's keywords in rank order alone, which a body edit leaves as they were (0.1 s of each
    build at 5,000 pages)."""
    def ranks(keywords: tuple) -> list:
        key = b"rr" + digest(keywords)
        found = cache.get("sources", key)
        if found is None:
            found = related_ranks(keywords)
            cache.put("sources", key, found)
        return found
    return ranks


def open_cache(project: Path, key: str, use_cache: bool = True, **options) -> BuildCache | None:
    """The build cache of one site (``.govsite-cache/<key>.sqlite``), or None when switched off.
    ``options`` are the build options that change output; they are part of its fingerprint."""
    if not use_cache:
        return None

    def name_and_fingerprint(options):  # serve and build keep their own caches, and share entries
        return (f"{key}.preview" if options.get("preview") else key,
                _hash(code_fingerprint(), sorted(options.items())))

    name, fingerprint = name_and_fingerprint(options)
    sibling = name_and_fingerprint({**options, "preview": not options.get("preview")})
    cache = BuildCache(project, name, fingerprint, sibling=sibling)
    return cache if cache.enabled else None


def build_sites(project: Path, keys: list[str], out_root: Path, jobs=None, **options):
    """Build several sites (集约化: a portal and its departments' and towns' sites) at once.

    Each site is built in a process of its own, as many at a time as there are CPUs (``jobs``),
    and each of those renders with its share of the CPUs. Yields ``(key, BuildResult)`` or
    ``(key, Report)`` for a failed site, in the order of ``keys`` whichever finishes first, so
    the printed output does not depend on timing. A site's failure does not stop the others.
    """
    cpus = jobs or os.cpu_count() or 1
    parallel = min(len(keys), cpus)
    if parallel <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for key in keys:
            yield key, _site_outcome(project, key, out_root, jobs, options)
        return
    share = max(1, cpus // parallel)
    context = multiprocessing.get_context("fork")
    # the pool's processes are not daemons (Python ≥ 3.9), so each can fork its render workers
    with ProcessPoolExecutor(parallel, mp_context=context, initializer=die_with_parent) as pool:
        futures = {key: pool.submit(_site_outcome, project, key, out_root, share, options) for key in keys}
        for key in keys:
            try:
                yield key, futures[key].result()
            except BrokenProcessPool:  # a process died without an answer (killed, out of memory)
                report = Report()
                report.error(f"sites/{key}", 0, "生成进程意外退出", "单独生成该网站查看原因：govsite build " + key)
                yield key, report


def _site_outcome(project, key, out_root, jobs, options):
    try:
        return build_site(project, key, out_root, jobs=jobs, **options)
    except BuildFailed as exc:
        return exc.report


def build_site(project: Path, key: str, out_root: Path, now=None, drafts=False, jobs=None,
               progress=None, check=True, precompress=False, cache=True, preview=False, keep=None,
               committed=None) -> BuildResult:
    """Build one site into ``out_root/<key>``; raises :class:`BuildFailed` with the report.

    ``preview`` (``govsite serve`` only): drafts and scheduled pages are built too and marked
    「预览」 on the page; such output is never for publishing.
    ``progress(total)`` may return a callable that is told how many pages are done after each chunk.
    ``check``: run the error-level rules of ``govsite check`` (see :class:`govsite.check.BuildGate`).
    ``cache``: use and update the build cache (:mod:`govsite.cache`); the output is the same
    either way, only faster when little changed.
    ``keep``: a dict that receives what :mod:`govsite.quick` needs to patch this build later (the
    resolved site, its renderer and search index); a long-lived process (``govsite serve``) passes it.
    ``committed(result)`` is called as soon as the new output is in place, before the build cache
    is saved: ``govsite serve`` reloads the browsers then.
    """
    started = time.perf_counter()
    project = Path(project)
    target = Path(out_root) / key
    name = f"{key}.preview" if preview else key
    options = {"drafts": drafts, "check": check, "preview": preview, "precompress": precompress}
    # nothing changed since the last build: its output is the answer. Not for a process that keeps
    # its builds in memory (govsite serve): it wants the state a real build leaves, and its quick
    # patches change the output behind a stamp's back, so it neither uses nor writes one
    moment = _build_time(project, key, now) if cache and keep is None else None
    if moment is not None:
        hit = stamp.previous(project, name, target, moment, options)
        if hit is not None:
            return BuildResult(key, target, hit.pages, time.perf_counter() - started, Report(list(hit.problems)),
                               skipped=hit.outputs, cache={"build": 1})
    stamp.forget(project, name)
    wall = time.time()
    store = open_cache(project, key, cache, drafts=drafts, check=check, preview=preview)
    try:
        with collector_paused():  # see govsite.workers: collecting during a build only costs time
            result = _build(project, key, out_root, now, drafts, jobs, progress, check, precompress, store, started,
                            preview, keep, committed)
    finally:
        if store is not None:
            store.close()
    if moment is not None:
        stamp.record(project, name, target, moment, options, result.inputs, wall, result.pages,
                     result.rendered + result.skipped, result.report.problems)
    return result


def _build_time(project: Path, key: str, now):
    """The build time as the build will see it, or None when site.yaml or --now is unusable
    (the build then reports why)."""
    config = load_site(project, key, Report())
    if config is None:
        return None
    try:
        return build_now(now, site_zone(config.timezone))
    except DateError:
        return None


def input_folders(project: Path, site) -> list[Path]:
    """Every folder a build of ``site`` reads: the site's own, its content, its theme, its
    language versions' content and the sites it includes (资源库)."""
    folders = [project / "sites" / site.config.key, site.config.content, *site.theme.dirs]
    for version in site.versions:
        folders.append(version.config.content)
    for other in site.library.values():
        folders += [project / "sites" / other.config.key, other.config.content]
    return [Path(f) for f in folders if f is not None]


def _build(project, key, out_root, now, drafts, jobs, progress, check, precompress, store, started, preview=False,
           keep=None, committed=None):
    site, report = load_and_check(project, key, now, drafts, store, preview)
    redirects = load_redirects(site.config.dir, report) if site is not None else []
    if store is not None:
        store.drop("sources")
        store.save(tables=("sources",))
    if site is None or not report.ok:
        raise BuildFailed(report)
    gate = _check_gate(project, site, jobs) if check else None  # govsite check's error-level rules
    if gate is not None:
        gate.cache = store
        gate.check_sources(report)
        if store is not None:
            store.drop("checks")
            store.save(tables=("checks",))
        if not report.ok:
            raise BuildFailed(report)
    out = OutputDir(Path(out_root) / key)
    search_stats = None
    counts = {"rendered": 0, "skipped": 0, "written": 0, "kept": 0}
    try:
        update = progress(len(site.pages)) if progress else None
        search_stats = _render_tree(project, site, out, jobs, update, report, store, counts, keep)
        for version in site.versions:  # 外文版: each under its prefix, swapped in with the site
            if report.ok and version.site is not None:
                _render_tree(project, version.site, SubDir(out, version.prefix), jobs, None, report, store, counts)
        if report.ok:
            if site.variant is not None:  # 繁体 version (LG-1), converted from the finished pages
                write_traditional(out, site.variant, site.config, [v.prefix for v in site.versions])
            _write_redirects(site, out, redirects, report, publish=not (drafts or preview))
            if gate is not None and report.ok:
                gate.check_output(out.tmp, report)  # the rendered pages, before they replace the old
            if precompress and report.ok:
                out.precompress()
    except jinja2.TemplateError as exc:
        report.problems.append(_template_problem(exc))
    except OSError as exc:  # disk full, permissions: nothing half-written reaches the output
        report.error(exc.filename or out.tmp, 0, f"写入输出失败：{exc.strerror or exc}",
                     "检查磁盘空间和输出目录的写入权限；上一次生成的网站没有改动")
    except BaseException:
        out.discard()
        if store is not None:  # what is keyed by content stays true; entries about outputs do not
            store.save(tables=BuildCache.BY_CONTENT)
        raise
    if not report.ok:
        out.discard()
        if store is not None:
            store.save(tables=BuildCache.BY_CONTENT)
        raise BuildFailed(report)
    out.commit()
    counts["written"] += out.written
    counts["kept"] += out.kept
    result = BuildResult(key, out.target, len(site.pages), time.perf_counter() - started, report, search_stats,
                         **counts, inputs=input_folders(project, site))
    if keep is not None:
        keep.update(target=out.target, warnings=list(report.warnings), cache=store)
    if committed is not None:
        committed(result)
    if store is not None:
        store.save(prune=True)
        result.cache = dict(store.hits)
    return result


def _render_tree(project: Path, site, out, jobs, update, report: Report, store=None, counts=None, keep=None):
    """Stage 4 for one content tree: pages (in parallel), search, lists, home, site pages, files."""
    renderer = SiteRenderer(project, site, out, store)
    search = SearchWorker(out, average_length(site), store)
    counts = counts if counts is not None else {"rendered": 0, "skipped": 0, "written": 0, "kept": 0}
    problems, outbound, parts, index_seconds = _render_pages(renderer, search, jobs, update, counts)
    report.extend(problems)
    if not report.ok:
        return None

    runs = {run.start: run for run in page_runs(len(site.pages))}

    def missing(first: int):  # a run whose postings the cache lost: indexed again (Markdown from the cache)
        return search.segments([(i, site.pages[i], renderer._markdown(site.pages[i])[1]) for i in runs[first]])

    def search_files():
        return write_search(site, out, parts, site.search, store,
                            renderer.fingerprint if renderer.cache is not None else b"", keep, missing)

    # the search index and the syndication export need nothing from the other stages: children
    # write them while this process goes on (serve keeps the index for quick patches, and a
    # small site is done before a child would start: there they are made here)
    searching = exporting = None
    if keep is None and _can_fork(jobs, site):
        searching = Background(lambda: _in_child(search_files, out, store))
        if renderer.exports is not None:
            exporting = Background(lambda: _in_child(lambda: write_export(renderer), out, store))
            renderer.exports = None   # the child has them
    else:
        search_stats = search_files()
    if keep is not None:
        keep.update(site=site, renderer=renderer, avgdl=search.avgdl)
    try:
        renderer.render_leave_pages(outbound)
        renderer.render_home()
        renderer.render_specials()
        renderer.render_views()
        renderer.render_feeds()
        if exporting is None:
            write_export(renderer)  # export/feed.json, export/rss.xml: every item, for the portal (信息报送)
        renderer.copy_static()
        renderer.copy_assets()
        if searching is not None:
            search_stats = _from_child(searching.result(), out, store)
        if exporting is not None:
            _from_child(exporting.result(), out, store)
    except BaseException:  # no child may go on writing into the folder the build discards
        for child in (searching, exporting):
            if child is not None:
                child.cancel()
        raise
    search_stats["seconds"] += index_seconds
    counts["rendered"] += renderer.rendered
    counts["skipped"] += renderer.skipped
    return search_stats


def _can_fork(jobs, site) -> bool:
    """Worth forking processes for (and possible): several jobs (default: one per CPU), pages
    enough, fork available. Both the page loop and the stages beside it ask this."""
    return (jobs or os.cpu_count() or 1) > 1 and len(site.pages) >= PARALLEL_MIN_PAGES \
        and "fork" in multiprocessing.get_all_start_methods()


def _in_child(work, out: OutputDir, store):
    """Run a stage in a forked child: its result, the cache entries it staged (and keys it used)
    and the files it wrote and kept, for the parent (:func:`_from_child`)."""
    if store is not None:
        store.take_pending()   # the parent's, inherited: not this child's to hand back
    written, kept = out.written, out.kept
    result = work()
    return result, store.take_pending() if store is not None else {}, out.written - written, out.kept - kept


def _from_child(outcome, out: OutputDir, store):
    result, staged, written, kept = outcome
    if store is not None:
        store.merge(staged)
    out.written += written
    out.kept += kept
    return result


def _write_redirects(site, out: OutputDir, entries, report: Report, publish: bool) -> None:
    """Redirect pages, ``redirects.map`` and the published-URL manifest (``urls.txt``), written once
    every page is in the temporary folder (targets are checked against the files really written).

    Only a publishing build compares with the previous output's manifest and writes its own: a
    ``--drafts`` or preview build carries the last published manifest over unchanged.
    """
    source = site.config.dir / REDIRECTS_FILE
    outputs = output_files(out.tmp) if entries or publish else set()
    resolved = resolve_redirects(entries, site, outputs, source, report)
    if not report.ok:
        return
    for entry in resolved:
        if entry.page:
            out.write(entry.old, redirect_page(entry, site.config))
    out.write(MAP_FILE, nginx_map(resolved, site.config, f"sites/{site.config.key}/{REDIRECTS_FILE}"))
    previous = read_manifest(out.target)
    if not publish:
        if previous is not None:
            out.keep(MANIFEST_FILE)
        return
    prefixes = [v.prefix.strip("/") + "/" for v in site.versions]
    if site.variant is not None:
        prefixes.append(site.variant.prefix.strip("/") + "/")
    urls = manifest(outputs, resolved, prefixes)
    if previous is not None:
        report_gone(previous, urls, site, source, report)
    out.write(MANIFEST_FILE, manifest_text(urls))


def _check_gate(project, site, jobs):
    return BuildGate(project, site, jobs)


def _template_problem(exc: jinja2.TemplateError) -> Problem:
    name = getattr(exc, "filename", None) or getattr(exc, "name", None) or "模板"
    line = getattr(exc, "lineno", 0) or 0
    return Problem(display_path(name), line, f"模板错误：{exc.message or exc}", "检查模板语法和所用的变量名")


_WORKER: SiteRenderer | None = None
_SEARCH: SearchWorker | None = None


_MAIN_PID = 0


def _render_chunk(task: tuple[str, list[int]]):
    """One task of the page loop: ``("pages", page indexes)`` or ``("columns", column indexes)``."""
    kind, indexes = task
    problems, outbound, texts = [], set(), []
    try:
        if kind == "columns":
            for i in indexes:
                _WORKER.render_column(_WORKER.site.columns[i])
        else:
            for i in indexes:
                page = _WORKER.site.pages[i]
                found, urls, body = _WORKER.render_page(page)
                problems.extend(found)
                outbound.update(urls)
                texts.append((i, page, body))
    except jinja2.TemplateError as exc:
        problems.append(_template_problem(exc))
    started = time.perf_counter()
    part = _SEARCH.index(texts) if kind == "pages" else None
    seconds = time.perf_counter() - started
    staged, counts, exports = {}, {}, {}
    if os.getpid() != _MAIN_PID:  # a worker: hand over what it staged for the cache, its counts and exports
        if _WORKER.exports:
            exports, _WORKER.exports = _WORKER.exports, {}
        if _WORKER.cache is not None:
            staged = _WORKER.cache.take_pending()
            counts["hits"] = dict(_WORKER.cache.hits)
            _WORKER.cache.hits = dict.fromkeys(_WORKER.cache.hits, 0)
        counts.update(rendered=_WORKER.rendered, skipped=_WORKER.skipped, written=_WORKER.out.written,
                      kept=_WORKER.out.kept)
        _WORKER.rendered = _WORKER.skipped = _WORKER.out.written = _WORKER.out.kept = 0
    return len(texts), problems, outbound, part, seconds, staged, counts, exports


def _column_tasks(site, files_per_task: int = 20) -> list[tuple[str, list[int]]]:
    """The columns' list pages in tasks of about ``files_per_task`` files each."""
    tasks, group, files = [], [], 0
    size = max(1, int(site.config.page_size))
    for i, col in enumerate(site.columns):
        group.append(i)
        files += max(1, math.ceil(len(col.pages) / size))
        if files >= files_per_task:
            tasks.append(("columns", group))
            group, files = [], 0
    if group:
        tasks.append(("columns", group))
    return tasks


def _render_pages(renderer: SiteRenderer, search: SearchWorker, jobs, progress, counts):
    """Content pages are independent of each other: render them in worker processes.

    Workers are forked after resolve, so they share the resolved site without pickling it; each
    writes its pages (and their search fragments) straight into the temporary output folder and
    returns the postings of its pages. Output does not depend on which worker rendered a page, so
    it stays deterministic. The columns' list pages need nothing from the content pages, so the
    workers render them too (first: they are the larger tasks).
    """
    global _WORKER, _SEARCH, _MAIN_PID
    _MAIN_PID = os.getpid()
    pages = renderer.site.pages
    jobs = jobs or os.cpu_count() or 1
    chunks = _column_tasks(renderer.site) + [("pages", list(run)) for run in page_runs(len(pages))]
    _WORKER, _SEARCH = renderer, search
    if renderer.cache is not None:
        renderer.cache.preload("outputs")   # (bodies: each worker reads them; this process never does)
    problems: list[Problem] = []
    outbound: set = set()
    parts = []
    index_seconds = 0.0
    serial = not _can_fork(jobs, renderer.site)
    pool = None if serial else fork_pool(jobs)
    try:
        results = map(_render_chunk, chunks) if pool is None else pool.imap_unordered(_render_chunk, chunks)
        for done, found, urls, part, seconds, staged, worker_counts, exports in results:
            if exports:
                renderer.exports.update(exports)
            problems.extend(found)
            outbound.update(urls)
            if part is not None:
                parts.append(part)
            index_seconds += seconds
            if staged:
                renderer.cache.merge(staged)
            if renderer.cache is not None:  # content-keyed entries go to disk now: memory stays bounded
                renderer.cache.save(tables=BuildCache.BY_CONTENT)
            hits = worker_counts.pop("hits", None)
            if hits:
                for kind, n in hits.items():
                    renderer.cache.hits[kind] += n
            for name, n in worker_counts.items():
                counts[name] += n
            if progress:
                progress(done)
        if pool is not None:  # every task is done: the workers end on the pool's own sentinel
            pool.close()
            pool.join()
    except BaseException:
        if pool is not None:
            pool.terminate()
        raise
    finally:
        _WORKER = _SEARCH = None
    return problems, outbound, parts, index_seconds
