"""``govsite plan`` and ``govsite build --shard K/N``: the sites of a platform (集约化平台) split into
shards for a CI matrix.

A city or province platform holds 50–500 sites in one repository (one resource library, 资源库).
Its CI system already runs job matrices (GitHub Actions ``strategy.matrix``, GitLab
``parallel:matrix``, Kubernetes Indexed Jobs); govsite does not schedule anything itself. It only
answers, from the repository alone, which sites shard K of N builds — the same answer in the job
that plans and in every job that builds, so a build job needs nothing from the planning job but
``K/N``.

The partition balances expected work, the pages a build renders: Markdown files of a site's
content tree, of its language versions' trees, and of the columns it copies from other sites
(``include:`` with ``mode: copy``). Sites go, largest first, to the shard with the least work so
far (ties: the lower shard, sites by name), which is deterministic and within one site of the
best split for platforms of many similar sites. A site that includes others reads their content
and site.yaml only, never their output, so any shard can build it.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from govsite.cache.store import CACHE_DIR
from govsite.config.site import SiteConfig, load_site
from govsite.core.errors import Report
from govsite.pipeline.shortcut import site_names
from govsite.site.languages import language_versions


@dataclass(frozen=True)
class ShardSpec:
    """``K/N`` of ``govsite build --shard``: shard ``index`` (1-based) of ``count``."""

    index: int
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


class ShardError(ValueError):
    """A ``--shard`` or ``--shards`` value that names no shard (the message says why)."""


def parse_shard(text: str) -> ShardSpec:
    """``"2/4"`` → ``ShardSpec(2, 4)``; anything else (``4/3``, ``0/3``, ``x``) raises ShardError."""
    index, slash, count = text.strip().partition("/")
    if not slash or not index.isdigit() or not count.isdigit():
        raise ShardError(f"--shard takes K/N (shard K of N, 1-based), e.g. --shard 2/4; got {text!r}")
    spec = ShardSpec(int(index), int(count))
    if spec.count < 1:
        raise ShardError(f"--shard {text}: N must be at least 1")
    if not 1 <= spec.index <= spec.count:
        raise ShardError(f"--shard {text}: K must be between 1 and {spec.count} (shards are numbered from 1)")
    return spec


@dataclass
class SiteWork:
    """One site (网站) and the pages a build of it renders."""

    key: str
    pages: int


@dataclass
class Shard:
    """The sites one matrix job builds."""

    spec: ShardSpec
    sites: list[str] = field(default_factory=list)
    pages: int = 0


@dataclass
class Plan:
    """Every site of the repository in exactly one of ``count`` shards."""

    count: int
    shards: list[Shard]

    def shard(self, spec: ShardSpec) -> Shard:
        return self.shards[spec.index - 1]

    def to_json(self) -> str:
        return json.dumps({"shards": [{"shard": str(s.spec), "sites": s.sites, "pages": s.pages}
                                      for s in self.shards]}, ensure_ascii=False, indent=2) + "\n"

    def to_github(self) -> str:
        """The ``strategy:`` of a GitHub Actions build job (``jobs.<id>.strategy``)."""
        lines = [f"# govsite plan --shards {self.count}: paste under the build job; each job runs",
                 "#   govsite build --shard ${{ matrix.shard }}",
                 "strategy:", "  fail-fast: false", "  matrix:", "    include:"]
        for s in self.shards:
            lines.append(f'      - shard: "{s.spec}"   # {len(s.sites)} sites, {s.pages} pages')
            lines.append(f'        sites: "{" ".join(s.sites)}"')
        return "\n".join(lines) + "\n"

    def cache_paths(self, spec: ShardSpec) -> str:
        """What shard ``spec``'s job restores before its build and saves after it, one path a
        line: each of its sites' build cache and previous output (the cache is split by site,
        ``.govsite-cache/<site>.*``; the output is what unchanged files are taken from)."""
        lines = []
        for key in self.shard(spec).sites:
            lines += [f"{CACHE_DIR}/{key}.sqlite", f"build/{key}"]
        return "\n".join(lines) + ("\n" if lines else "")

    def to_gitlab(self) -> str:
        """The ``parallel:`` of a GitLab CI build job."""
        lines = [f"# govsite plan --shards {self.count}: paste under the build job; its script runs",
                 '#   govsite build --shard "$SHARD"',
                 "parallel:", "  matrix:"]
        for s in self.shards:
            lines.append(f'    - SHARD: "{s.spec}"   # {len(s.sites)} sites, {s.pages} pages')
            lines.append(f'      SITES: "{" ".join(s.sites)}"')
        return "\n".join(lines) + "\n"


def _markdown_files(folder: Path) -> int:
    count = 0
    for _root, _dirs, files in os.walk(folder):
        count += sum(1 for name in files if name.endswith(".md"))
    return count


def _includes(config: SiteConfig) -> list[tuple[int, dict]]:
    raw = config.raw.get("include") or []
    return [(n, rule) for n, rule in enumerate(raw if isinstance(raw, list) else [raw]) if isinstance(rule, dict)]


def site_work(project: Path, key: str, config: SiteConfig, known: set[str], report: Report) -> SiteWork:
    """The pages a build of ``key`` renders; an ``include:`` naming a site that does not exist is
    reported (the build would fail on it too)."""
    pages = _markdown_files(config.content) if config.content else 0
    for version in language_versions(project, config, Report()):   # (the build reports bad ones)
        if version.config.content is not None:
            pages += _markdown_files(version.config.content)
    for n, rule in _includes(config):
        owner = str(rule.get("from", ""))
        if owner not in known:
            report.error(f"sites/{key}/site.yaml", config.line_of("include", n, "from"),
                         f"include 引用的站点「{owner}」不存在",
                         f"已有站点：{'、'.join(sorted(known)) or '无'}；from: 写 sites/ 下的站点目录名")
            continue
        if rule.get("mode") != "copy":
            continue   # listed as links: no page of its own to render
        owner_config = load_site(project, owner, Report())
        if owner_config is None or owner_config.content is None:
            continue
        columns = rule.get("columns") or [""]
        for column in columns if isinstance(columns, list) else [columns]:
            pages += _markdown_files(owner_config.content / str(column))
    return SiteWork(key, pages)


def platform_work(project: Path, report: Report) -> list[SiteWork]:
    """Every site of the repository with its expected work (sites whose site.yaml cannot be read
    count one page: the build job reports why)."""
    keys = site_names(project)
    known = set(keys)
    work = []
    for key in keys:
        config = load_site(project, key, report)
        work.append(site_work(project, key, config, known, report) if config is not None else SiteWork(key, 1))
    return work


def partition(work: list[SiteWork], count: int) -> Plan:
    """Sites into ``count`` shards, largest first into the shard with the least work (LPT)."""
    if count < 1:
        raise ShardError(f"--shards {count}: the number of shards must be at least 1")
    shards = [Shard(ShardSpec(n + 1, count)) for n in range(count)]
    for site in sorted(work, key=lambda s: (-s.pages, s.key)):
        lightest = min(shards, key=lambda s: (s.pages, s.spec.index))
        lightest.sites.append(site.key)
        lightest.pages += site.pages
    for shard in shards:
        shard.sites.sort()
    return Plan(count, shards)


def plan(project: Path, count: int, report: Report) -> Plan:
    """The repository's sites in ``count`` shards (:func:`partition` of :func:`platform_work`)."""
    return partition(platform_work(project, report), count)
