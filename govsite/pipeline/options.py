"""What a build is asked to do (:class:`BuildOptions`), what it gives back (:class:`BuildResult`)
and how long each of its stages took (:class:`Timings`).

One typed object carries the options from the command line (or ``govsite serve``, or a test)
through every stage, instead of keyword arguments repeated at each call; the options that change
the output are also the build cache's and the whole-build stamp's fingerprint
(:meth:`BuildOptions.output_key`).
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govsite.core.errors import Report


class BuildCancelled(BaseException):
    """A build that someone no longer wants (``govsite serve``: a newer edit supersedes the build
    that was confirming the last one). Raised at the next checkpoint — the start of a stage, the
    end of a render task — it goes up like an interrupt: the temporary folder is discarded and the
    previous output stays as it was (a BaseException, so no stage reports it as a problem)."""


@dataclass(frozen=True)
class BuildOptions:
    """The options of one build of one site (构建选项).

    ``now``: the build time (``--now``; else ``SOURCE_DATE_EPOCH``, else the clock).
    ``drafts``: pages marked ``draft: true`` are built too.
    ``jobs``: worker processes (default: one per CPU); the output never depends on it.
    ``check``: the error-level rules of ``govsite check`` run as a stage of the build.
    ``precompress``: ``.gz`` (and ``.br``) files beside text files.
    ``cache``: use and update ``.govsite-cache/`` — the output is the same either way.
    ``preview`` (``govsite serve`` only): drafts and scheduled pages are built too, marked 「预览」.
    ``scratch``: the output folder is a scratch folder (``govsite check``): it is written even when
    the build has errors, so that the output rules can read every page that could be rendered.
    """

    now: str | None = None
    drafts: bool = False
    jobs: int | None = None
    check: bool = True
    precompress: bool = False
    cache: bool = True
    preview: bool = False
    scratch: bool = False

    def output_key(self) -> dict[str, bool]:
        """The options that change what is written (part of the cache's and the stamp's key)."""
        return {"drafts": self.drafts, "check": self.check, "preview": self.preview, "precompress": self.precompress}


@dataclass
class Timings:
    """Wall time of each named stage, in the order the stages first ran (``govsite build --timings``).

    A stage that runs more than once adds up; the stages of a language version (外文版) are named
    apart (``versions: render: pages``) by :meth:`within`, so no time is counted twice."""

    stages: dict[str, float] = field(default_factory=dict)
    prefix: str = ""
    cancelled: Callable[[], bool] | None = None   # asked at each checkpoint (govsite serve)

    def checkpoint(self) -> None:
        """Stop here when the build is no longer wanted (:class:`BuildCancelled`)."""
        if self.cancelled is not None and self.cancelled():
            raise BuildCancelled

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        self.checkpoint()
        name = self.prefix + name
        started = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - started

    @contextmanager
    def within(self, part: str) -> Iterator[None]:
        """The stages run inside name themselves as part of ``part``."""
        outer, self.prefix = self.prefix, f"{self.prefix}{part}: "
        try:
            yield
        finally:
            self.prefix = outer

    def lines(self) -> list[str]:
        width = max((len(name) for name in self.stages), default=0)
        total = sum(self.stages.values())
        return [f"  {name:<{width}}  {seconds:7.3f} s  {seconds / total if total else 0:5.1%}"
                for name, seconds in self.stages.items()]


@dataclass
class BuildCounts:
    """Files of one build, by what happened to them."""

    rendered: int = 0    # rendered through a template
    skipped: int = 0     # taken unchanged from the previous output (build cache)
    written: int = 0     # bytes changed: written anew
    kept: int = 0        # bytes unchanged: hard-linked, mtime kept

    def add(self, other: BuildCounts) -> None:
        self.rendered += other.rendered
        self.skipped += other.skipped
        self.written += other.written
        self.kept += other.kept


@dataclass
class BuildResult:
    """A finished build of one site."""

    site: str
    out: Path
    pages: int
    seconds: float
    report: Report
    search: dict | None = None      # index sizes and the time spent on search (benchmarks print it)
    rendered: int = 0
    skipped: int = 0
    written: int = 0
    kept: int = 0
    cache: dict | None = None       # build cache hits per kind; None without a cache
    inputs: list = field(default_factory=list)  # the folders the build read (govsite.cache.stamp)
    window: Any = None              # build times giving the same result (govsite.site.moments.Window)
    timings: Timings = field(default_factory=Timings)

    def count(self, counts: BuildCounts) -> None:
        self.rendered, self.skipped, self.written, self.kept = \
            counts.rendered, counts.skipped, counts.written, counts.kept
