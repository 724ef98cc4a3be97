"""Rebuilding the preview: one warm process calls the normal build pipeline for every change.

Serve has no pipeline of its own. Each rebuild is :func:`govsite.build.build_site` in preview
mode into ``build/.serve/<site>`` (never the real ``build/<site>``); the writer swaps the finished
folder in atomically, so the server only ever reads complete builds, and a failed build leaves the
last good one in place. What makes a rebuild fast belongs inside ``build_site`` (its render
cache skips pages whose inputs did not change): serve keeps the process, its imported modules
and its state warm.

A change that only edits the body of pages (正文) is first patched into the served build by
:mod:`govsite.quick` with what the last build left in memory, and the browsers reload at once;
the normal build then runs all the same, once the files have been quiet for ``CONFIRM_AFTER``
seconds (so an editor saving again, or editing a column next, does not wait for it). It checks
the site (its problems are the ones shown) and, when its output equals the patched one — as it
should — it is not announced again. An edit that arrives while that confirming build runs
supersedes it: the build stops at its next checkpoint (:class:`~govsite.pipeline.options.
BuildCancelled`, nothing of it replaces the served pages), the new edit is patched in at once,
and one confirming build for all the edits follows when the files are quiet again.

:class:`PreviewBuilder` keeps the state the server shows: the current build id (changes after
every build, good or bad, so browsers know to reload), the problems of the last build and the
paths that triggered it. Waiters (the Server-Sent Events streams) are woken after each build.
"""
from __future__ import annotations

import gc
import os
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from govsite.config.site import load_site
from govsite.config.theme import theme_chain
from govsite.core.errors import BuildFailed, Problem, Report
from govsite.pipeline import quick
from govsite.pipeline.build import BuildCancelled, BuildOptions, build_site
from govsite.pipeline.state import LastBuild
from govsite.site import library

CONFIRM_AFTER = 1.0       # seconds of quiet after a quick patch before the full build that checks it
SERVE_FOLDER = ".serve"   # build/.serve/<site>: serve's own output, beside the real build/<site>


@dataclass
class BuildState:
    id: str = ""                         # changes with every finished build (good or failed)
    number: int = 0                      # builds finished so far
    ok: bool = False                     # the last build succeeded
    has_output: bool = False             # some complete build is being served
    building: bool = False
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)   # paths that triggered the last build
    seconds: float = 0.0
    pages: int = 0
    quick: bool = False                  # the last announced build was a quick patch (govsite.quick)
    confirmed: int = 0                   # quick patches a normal build found byte-identical

    def as_json(self) -> dict:
        return {"id": self.id, "number": self.number, "ok": self.ok, "building": self.building,
                "has_output": self.has_output, "errors": [p.format() for p in self.errors],
                "warnings": len(self.warnings), "changed": self.changed,
                "seconds": round(self.seconds, 3), "pages": self.pages, "quick": self.quick,
                "confirmed": self.confirmed}


class PreviewBuilder:
    """Builds one site for preview and tells whoever waits when a build is done."""

    def __init__(self, project: Path, key: str, now: str | None = None, jobs: int | None = None,
                 out_root: Path | None = None, check: bool = True, log: Callable[[str], None] | None = None):
        self.project = Path(project)
        self.key = key
        self.now = now
        self.jobs = jobs
        self.check = check
        self.out_root = Path(out_root) if out_root else self.project / "build" / SERVE_FOLDER
        self.out = self.out_root / key
        self.log = log or (lambda text: None)
        self.state = BuildState(id=secrets.token_hex(6), has_output=(self.out / "index.html").is_file())
        self.last = LastBuild()               # what the last good build left for quick patches
        self._unconfirmed: list[str] = []      # paths quick-patched since the last full build
        self._generation = 0                   # bumped by every build request: stale confirmations skip
        self._superseded = threading.Event()    # set by a build request: the confirming build stops
        self._cond = threading.Condition()
        self._lock = threading.Lock()          # one build at a time
        self.closed = False

    # -- what to watch ------------------------------------------------------------------------
    def watched_folders(self) -> list[Path]:
        """The site's folder (site.yaml, its templates and static files), its content folder and
        its theme; read again after each build because site.yaml may name others."""
        folders = [self.project / "sites" / self.key]
        config = load_site(self.project, self.key, Report())
        if config is not None:
            if config.content is not None:
                folders.append(config.content)
            folders.extend(folder for folder, _spec in theme_chain(self.project, config.theme))
            for rule in library.parse_rules(config, Report()):  # sites it includes content from (资源库)
                owner = load_site(self.project, rule.source, Report())
                folders.append(self.project / "sites" / rule.source)
                if owner is not None and owner.content is not None:
                    folders.append(owner.content)
        return [f for f in dict.fromkeys(folders) if f.is_dir()]

    # -- building -----------------------------------------------------------------------------
    def build(self, changed: list[str] | None = None) -> BuildState:
        self._generation += 1
        self._superseded.set()   # a confirming build still running is for older files: stop it
        with self._lock:
            with self._cond:
                self.state.building = True
            patched = quick.patch(self.last, changed) if changed and self.last.ready else None
            if patched is not None and patched.done:
                state = self._publish(True, [], self.state.warnings, self.state.pages, patched.seconds, changed,
                                      patched=True)
                self.log(f"{self.key}: showed the edit of {patched.pages} page(s) in {patched.seconds:.2f} s; "
                         "a full build checks it when the files are quiet")
                self._unconfirmed += changed or []   # (a patch was made: there were changes)
                timer = threading.Timer(CONFIRM_AFTER, self._confirm, (self._generation,))
                timer.daemon = True
                timer.start()
                return state
            changed = self._unconfirmed + (changed or [])
            self._unconfirmed = []
            built = self._build(changed, after_patch=False)
            assert built is not None   # (only a build given ``cancel`` stops early)
            return built

    def _confirm(self, generation: int) -> None:
        """The full build after quick patches, unless another build request came in meanwhile."""
        with self._lock:
            self._superseded.clear()   # before the generation test: a request after it sets it again
            if generation != self._generation or self.closed or not self._unconfirmed:
                return
            changed, self._unconfirmed = self._unconfirmed, []
            with self._cond:
                self.state.building = True
            if not self._build(changed, after_patch=True, cancel=self._superseded):
                self._unconfirmed = changed + self._unconfirmed   # the next confirming build takes them
                return
        self.prepare()

    def _build(self, changed, after_patch: bool, cancel: threading.Event | None = None) -> BuildState | None:
        """The normal build; it is announced the moment its output is in place (the build cache
        is saved after that, while the browsers reload). With ``cancel``: ``None`` when it was
        set before the output was in place — the served build, and what the last build left for
        quick patches, are then as they were."""
        started = time.perf_counter()
        last = LastBuild(previous=self.last.search)   # its search index is reused when the postings are the same
        kept, self.last = self.last, LastBuild()
        announced: list[BuildState] = []

        def committed(result) -> None:
            self.last = last
            if after_patch and result.written == 0 and result.report.warnings == self.state.warnings:
                # the quick patch showed exactly this: nothing new to announce
                with self._cond:
                    self.state.building = False
                    self.state.confirmed += 1
                    self._cond.notify_all()
                self.log(f"{self.key}: full build agrees with the quick patch "
                         f"({time.perf_counter() - started:.2f} s)")
                announced.append(self.state)
            else:
                announced.append(self._publish(True, [], result.report.warnings, result.pages,
                                               time.perf_counter() - started, changed))
                self._report(announced[-1])

        errors, warnings = [], []
        try:
            build_site(self.project, self.key, self.out_root, BuildOptions(now=self.now, jobs=self.jobs, check=self.check, preview=True),
                       last=last, committed=committed, cancelled=cancel.is_set if cancel is not None else None)
        except BuildCancelled:
            self.last = kept
            self.log(f"{self.key}: a newer edit superseded the confirming build "
                     f"({time.perf_counter() - started:.2f} s in)")
            return None
        except BuildFailed as exc:
            errors, warnings = exc.report.errors, exc.report.warnings
        except Exception as exc:  # a bug must not take the preview down: show it like a problem
            errors = [Problem("govsite", 0, f"生成预览时出现内部错误：{type(exc).__name__}: {exc}",
                              "请把这条信息报告给网站技术人员；改动文件后会自动重试")]
        if announced:   # (an error after the output was in place, saving the cache, is not the editor's)
            return announced[-1]
        self.last = LastBuild()
        state = self._publish(False, errors, warnings, self.state.pages, time.perf_counter() - started, changed)
        self._report(state)
        return state

    def prepare(self) -> None:
        """Get the next quick patch ready (:func:`govsite.quick.prepare`) and free the previous
        build (builds pause the garbage collector: :mod:`govsite.workers`); called after a build
        is announced, while the browser reloads."""
        with self._lock:
            try:
                quick.prepare(self.last)
            except Exception:  # noqa: BLE001 - then the next edit simply gets a normal build
                self.last = LastBuild()
            gc.collect()

    def _publish(self, ok, errors, warnings, pages, seconds, changed, patched: bool = False) -> BuildState:
        """A new build is served: a new id wakes the event streams, and open pages reload."""
        with self._cond:
            state = self.state
            state.id = secrets.token_hex(6)
            state.number += 1
            state.ok = ok
            state.quick = patched
            state.has_output = state.has_output or ok or (self.out / "index.html").is_file()
            state.building = False
            state.errors, state.warnings = errors, warnings
            state.changed = [_shown(p, self.project) for p in (changed or [])]
            state.seconds, state.pages = seconds, pages
            self._cond.notify_all()
            return state

    def _report(self, state: BuildState) -> None:
        what = f" after {len(state.changed)} change(s): {', '.join(state.changed[:3])}" if state.changed else ""
        if state.ok:
            self.log(f"{self.key}: built {state.pages} pages in {state.seconds:.2f} s{what}")
        else:
            self.log(f"{self.key}: build failed with {len(state.errors)} error(s) in {state.seconds:.2f} s{what}; "
                     "the last good pages stay served")
            for problem in state.errors:
                self.log(problem.format())

    # -- waiting ------------------------------------------------------------------------------
    def snapshot(self) -> dict:
        with self._cond:
            return self.state.as_json()

    def wait_change(self, known_id: str, timeout: float) -> str:
        """Block until the build id differs from ``known_id`` (or ``timeout``); return the id."""
        with self._cond:
            self._cond.wait_for(lambda: self.state.id != known_id or self.closed, timeout)
            return self.state.id

    def close(self) -> None:
        """Wake every waiting event stream so it can end."""
        with self._cond:
            self.closed = True
            self._cond.notify_all()

    def current(self) -> tuple[str, bool, list[Problem], bool]:
        with self._cond:
            s = self.state
            return s.id, s.ok, list(s.errors), s.has_output


def _shown(path: str, project: Path) -> str:
    try:
        return os.path.relpath(path, project)
    except ValueError:
        return path
