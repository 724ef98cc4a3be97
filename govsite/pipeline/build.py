"""The build of one site, as a list of named stages (``govsite build --timings`` prints each one's time):

    shortcut → config → load → resolve → rules: site → rules: source → render → versions
    → traditional → redirects → rules: output → write → cache

Config, load, resolve and the site rules are :mod:`govsite.pipeline.load` (``govsite check``
starts there too); the page loop is :mod:`govsite.pipeline.pages`. Every stage reports problems
instead of raising, and every stage runs even when an earlier one found errors, so that one run
lists every finding: pages are rendered into the temporary folder beside the output, the output
rules read them there, and the folder is discarded when there are errors — the previous output
is replaced only by a complete build without errors (:class:`govsite.core.writer.OutputDir`).
"""
from __future__ import annotations

import dataclasses
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from govsite.cache import stamp
from govsite.cache.store import NULL_CACHE, Cache, Handover, open_cache as open_site_cache
from govsite.content.model import Column, Page, Site
from govsite.core.errors import BuildFailed, Problem, Report, display_path
from govsite.core.workers import Background, can_fork, collector_paused, die_with_parent
from govsite.core.writer import OutputDir, SubDir
from govsite.outputs.redirects import (
    MANIFEST_FILE,
    MAP_FILE,
    REDIRECTS_FILE,
    Redirect,
    load_redirects,
    manifest,
    manifest_text,
    nginx_map,
    output_files,
    read_manifest,
    redirect_page,
    report_gone,
    resolve_redirects,
)
from govsite.outputs.syndication import write_export
from govsite.pipeline import shortcut
from govsite.pipeline.load import Loaded, load_and_check
from govsite.pipeline.options import BuildCancelled, BuildCounts, BuildOptions, BuildResult, Timings
from govsite.pipeline.pages import page_runs, render_pages, template_problem
from govsite.pipeline.shortcut import site_names
from govsite.pipeline.state import LastBuild
from govsite.render.pages import SiteRenderer
from govsite.render.variants import write_traditional
from govsite.rules.runner import output_index
from govsite.rules.stage import BuildGate
from govsite.search.build import SearchWorker, average_length, write_search
from govsite.site.moments import window

__all__ = ["BuildCancelled", "BuildOptions", "BuildResult", "Loaded", "build_site", "build_sites", "load_and_check", "site_names"]


def build_site(project: Path, key: str, out_root: Path, options: BuildOptions | None = None, *,
               progress: Callable[[int], Callable[[int], object] | None] | None = None,
               last: LastBuild | None = None, committed: Callable[[BuildResult], None] | None = None,
               cancelled: Callable[[], bool] | None = None) -> BuildResult:
    """Build one site into ``out_root/<key>``; raises :class:`BuildFailed` with the report.

    ``progress(total)`` may return a callable that is told how many pages are done after each task.
    ``last`` (``govsite serve``): receives what :mod:`govsite.pipeline.quick` needs to patch this
    build later; its ``previous`` search state is reused when the postings are the same.
    ``committed(result)`` is called as soon as the new output is in place, before the build cache
    is saved: ``govsite serve`` reloads the browsers then.
    ``cancelled()`` is asked at every stage and after every render task; when it says yes the build
    stops with :class:`BuildCancelled` before its output replaces anything (serve: a newer edit).
    """
    build = SiteBuild(Path(project), key, Path(out_root), options or BuildOptions(), progress, last, committed)
    build.timings.cancelled = cancelled
    return build.run()


class SiteBuild:
    """One build of one site: its options and what the stages hand each other."""

    def __init__(self, project: Path, key: str, out_root: Path, options: BuildOptions, progress, last, committed):
        self.project, self.key, self.out_root, self.options = project, key, out_root, options
        self.progress, self.last, self.committed = progress, last, committed
        self.started = time.perf_counter()
        self.timings = Timings()
        self.counts = BuildCounts()
        self.cache: Cache = NULL_CACHE
        self.search_stats: dict | None = None
        self.out: OutputDir | None = None   # the output folder being written, once there is one

    # -- the stages, top to bottom ------------------------------------------------------------
    def run(self) -> BuildResult:
        options = self.options
        # nothing changed since the last build: its output is the answer. Not for a process that keeps
        # its builds in memory (govsite serve): it wants the state a real build leaves, and its quick
        # patches change the output behind a stamp's back, so it neither uses nor writes one
        stamped = options.cache and self.last is None and not options.scratch
        moment = shortcut.build_moment(self.project, self.key, options) if stamped else None
        hit = shortcut.previous_output(self.project, self.key, self.out_root, options, moment, self.timings)
        if hit is not None:
            hit.seconds = time.perf_counter() - self.started
            return hit
        wall = time.time()
        self.cache = open_cache(self.project, self.key, options)
        try:
            try:
                with collector_paused():  # see govsite.core.workers: collecting during a build only costs time
                    result = self._stages()
            finally:
                self.cache.close()
            if moment is not None and result.window is not None:
                stamp.record(self.project, shortcut.stamp_name(self.key, options), self.out_root / self.key,
                             (result.window.start, result.window.end), options.output_key(), result.inputs, wall,
                             result.pages, result.rendered + result.skipped, result.report.problems)
        finally:
            if self.out is not None:   # the previous output, deleted while the cache was saved
                self.out.settle()
        return result

    def _stages(self) -> BuildResult:
        timings, cache = self.timings, self.cache
        loaded = load_and_check(self.project, self.key, self.options, cache, timings)
        site, report = loaded.site, loaded.report
        redirects = load_redirects(site.config.dir, report) if site is not None else []
        cache.loaded()
        if site is None:   # nothing to render: site.yaml or --now unusable
            raise BuildFailed(report)
        gate = BuildGate(self.project, site, self.options.jobs) if self.options.check else None
        if gate is not None:  # govsite check's error-level rules on the sources
            with timings.stage("rules: source"):
                gate.cache = cache
                gate.check_sources(report)
                cache.checked()
        out = self.out = OutputDir(self.out_root / self.key, seen=cache.seen)
        failing = not report.ok   # rendered all the same, for the findings of the later stages
        try:
            self._render(site, out, report, redirects, gate)
        except jinja2.TemplateError as exc:
            report.problems.append(template_problem(exc))
        except OSError as exc:  # disk full, permissions: nothing half-written reaches the output
            report.error(exc.filename or out.tmp, 0, f"写入输出失败：{exc.strerror or exc}",
                         "检查磁盘空间和输出目录的写入权限；上一次生成的网站没有改动")
        except Exception as exc:
            if not failing:
                self._abandon(out)
                raise
            # a site with errors may hold what the later stages cannot render: those errors are the
            # editor's to fix first; what was found until then is reported with them
            report.error(f"sites/{self.key}", 0, f"因上面的错误，部分页面无法生成（{type(exc).__name__}: {exc}），"
                         "其输出规则未运行", "改正上面的错误后重新生成，即可检查全部页面")
        except BaseException:
            self._abandon(out)
            raise
        with timings.stage("write"):   # (the last checkpoint: from here on the build is committed)
            if not report.ok and not self.options.scratch:
                self._abandon(out)
                raise BuildFailed(report)
            out.commit(background=True)
            self.timings.cancelled = None   # committed: too late to cancel, the cache is saved below
        self.counts.written += out.written
        self.counts.kept += out.kept
        result = BuildResult(self.key, out.target, len(site.pages), 0.0, report, self.search_stats,
                             inputs=input_folders(self.project, site), window=window(site), timings=timings)
        result.count(self.counts)
        if self.last is not None:
            self.last.target, self.last.warnings, self.last.cache = out.target, list(report.warnings), cache
        if self.committed is not None:
            result.seconds = time.perf_counter() - self.started
            self.committed(result)
        with timings.stage("cache"):
            cache.save_build()
        result.cache = cache.hit_counts()
        result.seconds = time.perf_counter() - self.started
        return result

    def _abandon(self, out: OutputDir) -> None:
        out.discard()
        self.cache.save_content()   # what is keyed by content stays true; entries about outputs do not

    def _render(self, site: Site, out: OutputDir, report: Report, redirects: list[Redirect],
                gate: BuildGate | None) -> None:
        """Render, versions, traditional, redirects, output rules, precompress — into the temporary
        folder, whatever the report holds so far (its pages are what the output rules read)."""
        timings, options = self.timings, self.options
        told = self.progress(len(site.pages)) if self.progress else None

        def update(done: int) -> None:   # after each render task: progress, and a checkpoint
            if told is not None:
                told(done)
            timings.checkpoint()

        children = [self._render_tree(site, out, update, report, self.last)]
        try:
            for version in site.versions:  # 外文版: each under its prefix, swapped in with the site
                if version.site is not None:
                    with timings.within(f"version {version.prefix}"):
                        children.append(self._render_tree(version.site, SubDir(out, version.prefix), None, report))
            if site.variant is not None:  # 繁体 version (LG-1), converted from the finished pages
                with timings.stage("traditional"):
                    write_traditional(out, site.variant, site.config, [v.prefix for v in site.versions],
                                      self.cache.converted)
            with timings.stage("redirects"):
                write_redirects(site, out, redirects, report, publish=not (options.drafts or options.preview))
            # the output rules scan the pages while the search index is still being written (one core
            # each): links into its folders are decided when it is done
            scanned = None
            if gate is not None:  # the rendered pages, before they replace the old
                with timings.stage("rules: output"):
                    scanned = gate.scan_output(out.tmp, tuple(c.folder for c in children if c.searching is not None))
            self.search_stats = [child.join(out, self.cache, timings) for child in children][0]   # the main tree's
            if gate is not None:
                with timings.stage("rules: output"):
                    found = Report()
                    gate.finish_output(scanned, found)
                    report.extend(new_findings(site, report, found))
        except BaseException:  # no child may go on writing into the folder the build discards
            for child in children:
                child.cancel()
            raise
        if options.precompress and report.ok:
            with timings.stage("precompress"):
                out.precompress()

    def _render_tree(self, site: Site, out, update, report: Report, last: LastBuild | None = None) -> TreeChildren:
        """The render stages of one content tree: pages (in parallel), search and export (beside
        the rest, in children), lists' feeds, home, site pages, static files. The export child is
        waited for here (the redirects' manifest lists its feeds); the search child is returned,
        still running, for :meth:`_render` to join after the output scan."""
        timings, cache, jobs = self.timings, self.cache, self.options.jobs
        renderer = SiteRenderer(self.project, site, out, cache)
        search = SearchWorker(out, average_length(site), cache)
        with timings.stage("render: pages"):
            loop = render_pages(renderer, search, jobs, update, self.counts)
        report.extend(loop.problems)
        runs = {run.start: run for run in page_runs(len(site.pages))}

        def missing(first: int):  # a run whose postings the cache lost: indexed again (Markdown from the cache)
            return search.segments([(i, site.pages[i], renderer._markdown(site.pages[i])[1]) for i in runs[first]])

        earlier = last.previous if last is not None else None

        def search_files() -> dict:
            return write_search(site, out, loop.parts, site.search, cache,
                                renderer.fingerprint,
                                last.search if last is not None else None, missing, earlier)

        # the search index and the syndication export need nothing from the other stages: children
        # write them while this process goes on (serve keeps the index for quick patches, and a
        # small site is done before a child would start: there they are made here)
        tree = TreeChildren(getattr(out, "prefix", "") + "search/", loop.index_seconds)   # (SubDir: "en/")
        exporting = None
        if last is None and can_fork(jobs, len(site.pages)):
            tree.searching = Background(lambda: _in_child(search_files, out, cache))
            if renderer.exports is not None:
                exporting = Background(lambda: _in_child(lambda: write_export(renderer), out, cache))
                renderer.exports = None   # the child has them
        else:
            with timings.stage("search"):
                tree.stats = search_files()
        if last is not None:
            last.site, last.renderer, last.avgdl, last.previous = site, renderer, search.avgdl, None
        try:
            with timings.stage("render: site pages"):
                renderer.render_leave_pages(loop.outbound)
                renderer.render_home()
                renderer.render_specials()
                renderer.render_views()
                renderer.render_feeds()
            if exporting is None:
                with timings.stage("export"):
                    write_export(renderer)  # export/feed.json, export/rss.xml: every item, for the portal (信息报送)
            with timings.stage("static"):
                renderer.copy_static()
                renderer.copy_assets()
            if exporting is not None:
                with timings.stage("export (child)"):
                    _from_child(exporting.result(), out, cache)
        except BaseException:  # no child may go on writing into the folder the build discards
            for child in (tree.searching, exporting):
                if child is not None:
                    child.cancel()
            raise
        self.counts.rendered += renderer.rendered
        self.counts.skipped += renderer.skipped
        return tree


@dataclass
class TreeChildren:
    """What one content tree's render leaves running: the child writing its search index (in
    ``folder``), or the index's figures when it was written in this process."""

    folder: str                                  # where the search index goes, site-relative
    index_seconds: float                         # indexing time in the render workers
    searching: Background | None = None
    stats: dict = field(default_factory=dict)

    def join(self, out, cache: Cache, timings: Timings) -> dict:
        """Wait for the search child; the index's figures."""
        if self.searching is not None:
            with timings.stage("search (child)"):
                self.stats = _from_child(self.searching.result(), out, cache)
            self.searching = None
        self.stats["seconds"] += self.index_seconds
        return self.stats

    def cancel(self) -> None:
        if self.searching is not None:
            self.searching.cancel()


def open_cache(project: Path, key: str, options: BuildOptions) -> Cache:
    """The build cache of one site (``.govsite-cache/<key>.sqlite``), or the null cache when
    switched off. The options that change output are part of its fingerprint; serve and build
    keep their own caches, and share the entries keyed by content alone (``sibling``)."""
    mode = {"drafts": options.drafts, "check": options.check, "preview": options.preview}
    return open_site_cache(project, key, options.cache, mode, scratch=options.scratch)


def build_sites(project: Path, keys: list[str], out_root: Path,
                options: BuildOptions | None = None) -> Iterator[tuple[str, BuildResult | Report]]:
    """Build several sites (集约化: a portal and its departments' and towns' sites) at once.

    Each site is built in a process of its own, as many at a time as there are CPUs
    (``options.jobs``), and each of those renders with its share of the CPUs. Yields
    ``(key, BuildResult)`` or ``(key, Report)`` for a failed site, in the order of ``keys``
    whichever finishes first, so the printed output does not depend on timing. A site's failure
    does not stop the others.
    """
    options = options or BuildOptions()
    cpus = options.jobs or os.cpu_count() or 1
    parallel = min(len(keys), cpus)
    if parallel <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for key in keys:
            yield key, _site_outcome(project, key, out_root, options)
        return
    share = dataclasses.replace(options, jobs=max(1, cpus // parallel))
    context = multiprocessing.get_context("fork")
    # the pool's processes are not daemons (Python ≥ 3.9), so each can fork its render workers
    with ProcessPoolExecutor(parallel, mp_context=context, initializer=die_with_parent) as pool:
        futures = {key: pool.submit(_site_outcome, project, key, out_root, share) for key in keys}
        for key in keys:
            try:
                yield key, futures[key].result()
            except BrokenProcessPool:  # a process died without an answer (killed, out of memory)
                report = Report()
                report.error(f"sites/{key}", 0, "生成进程意外退出", "单独生成该网站查看原因：govsite build " + key)
                yield key, report


def _site_outcome(project: Path, key: str, out_root: Path, options: BuildOptions) -> BuildResult | Report:
    try:
        return build_site(project, key, out_root, options)
    except BuildFailed as exc:
        return exc.report


def input_folders(project: Path, site: Site) -> list[Path]:
    """Every folder a build of ``site`` reads: the site's own, its content, its theme, its
    language versions' content and the sites it includes (资源库)."""
    folders = [project / "sites" / site.config.key, site.config.content, *(site.theme.dirs if site.theme else [])]
    for version in site.versions:
        folders.append(version.config.content)
    for other in site.library.values():
        folders += [project / "sites" / other.config.key, other.config.content]
    return [Path(f) for f in folders if f is not None]


@dataclass
class ChildResult:
    """What a stage run in a forked child (:class:`~govsite.core.workers.Background`) hands back."""

    result: Any
    staged: Handover      # what it did for the cache (a forked process starts with nothing staged)
    written: int          # files it wrote anew
    kept: int             # files it kept as they were


def _in_child(work, out: OutputDir, cache: Cache) -> ChildResult:
    """Run a stage in a forked child, for the parent (:func:`_from_child`)."""
    written, kept = out.written, out.kept
    result = work()
    return ChildResult(result, cache.hand_over(), out.written - written, out.kept - kept)


def _from_child(outcome: ChildResult, out: OutputDir, cache: Cache):
    cache.merge(outcome.staged)
    out.written += outcome.written
    out.kept += outcome.kept
    return outcome.result


def new_findings(site: Site, report: Report, found: Report) -> list[Problem]:
    """The output rules' findings that the report does not hold yet.

    The renderer and the output rules may see the same thing (a broken link in a body): one
    finding per rule and place. And a page made from a file that already has an error (its own
    source, its column's ``_column.yaml``) shows that error's consequences — a column type outside
    the vocabulary (CO-7) is also its pages' ColumnType tag (MT-4): those follow-ons go once the
    error is fixed, and the next run checks the page again."""
    places = {(p.rule, p.path, p.line) for p in report.problems}
    erring = {p.path for p in report.errors}
    index = output_index(site)
    prefix = f"{site.config.key}:/"

    def sources(problem: Problem) -> set[str]:
        obj = index.get(problem.path[len(prefix):]) if problem.path.startswith(prefix) else None
        made_of = [obj.file] if isinstance(obj, (Page, Column)) else []
        column = obj.column if isinstance(obj, Page) else obj.parent if isinstance(obj, Column) else None
        if column is not None:
            made_of.append(column.file)
        return {problem.path, *(display_path(f) for f in made_of)}

    return [p for p in found.problems if (p.rule, p.path, p.line) not in places and not sources(p) & erring]


def write_redirects(site: Site, out: OutputDir, entries: list[Redirect], report: Report, publish: bool) -> None:
    """Redirect pages, ``redirects.map`` and the published-URL manifest (``urls.txt``), written once
    every page is in the temporary folder (targets are checked against the files really written).

    Only a publishing build compares with the previous output's manifest and writes its own: a
    ``--drafts`` or preview build carries the last published manifest over unchanged.
    """
    source = site.config.dir / REDIRECTS_FILE
    outputs = output_files(out.tmp) if entries or publish else set()
    errors = len(report.errors)
    resolved = resolve_redirects(entries, site, outputs, source, report)
    if len(report.errors) > errors:
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

