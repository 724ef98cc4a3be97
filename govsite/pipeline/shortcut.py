"""Stage 0 of a build, the whole-build shortcut: when no input, option, build time or output file
changed since the last build (:mod:`govsite.cache.stamp`), its output is the answer.

This module imports only what that check needs — the stamp, site.yaml and the clock — and not the
rest of the pipeline, so that ``govsite build`` with nothing changed does not pay for importing
the stages it will not run (~0.15 s of its ~0.35 s). ``govsite.pipeline.build`` runs the same
check first; the command line asks here before importing the pipeline at all.
"""
from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from govsite.cache import stamp
from govsite.config.site import SiteConfig, load_site
from govsite.core.dates import DateError, build_now, site_zone
from govsite.core.errors import Report
from govsite.pipeline.options import BuildOptions, BuildResult, Timings


def site_names(project: Path) -> list[str]:
    """The sites of a project: the folders of ``sites/`` holding a site.yaml."""
    sites = project / "sites"
    if not sites.is_dir():
        return []
    return sorted(p.name for p in sites.iterdir() if (p / "site.yaml").is_file())


def build_time(config: SiteConfig, now: str | None, report: Report) -> dt.datetime | None:
    """The build time in the site's time zone (时间是输入: ``--now``, ``SOURCE_DATE_EPOCH``, the clock)."""
    try:
        return build_now(now, site_zone(config.timezone))
    except DateError as exc:
        report.error("--now", 0, str(exc), "写成 YYYY-MM-DD HH:MM，例如 --now '2026-03-18 09:00'")
        return None


def stamp_name(key: str, options: BuildOptions) -> str:
    """``govsite serve``'s builds (preview) keep a stamp and a cache apart from ``govsite build``'s."""
    return f"{key}.preview" if options.preview else key


def build_moment(project: Path, key: str, options: BuildOptions) -> dt.datetime | None:
    """The build time as the build will see it, or None when site.yaml or ``--now`` is unusable
    (the build then reports why)."""
    quiet = Report()
    config = load_site(project, key, quiet)
    return build_time(config, options.now, quiet) if config is not None else None


def previous_output(project: Path, key: str, out_root: Path, options: BuildOptions, moment: dt.datetime | None,
                    timings: Timings | None = None) -> BuildResult | None:
    """The last build's result when nothing changed since, else None — and then the stamp is
    forgotten: the build that follows writes a new one when it succeeds.

    ``moment``: :func:`build_moment`; None (site.yaml or ``--now`` unusable, or a build that keeps
    no stamp: ``--no-cache``, ``govsite serve``, a scratch build) never takes the shortcut."""
    started = time.perf_counter()
    timings = timings or Timings()
    name, target = stamp_name(key, options), out_root / key
    with timings.stage("shortcut"):
        hit = stamp.previous(project, name, target, moment, options.output_key()) if moment is not None else None
        if hit is None:
            stamp.forget(project, name)
            return None
    return BuildResult(key, target, hit.pages, time.perf_counter() - started, Report(list(hit.problems)),
                       skipped=hit.outputs, cache={"build": 1}, timings=timings)
