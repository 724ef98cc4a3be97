"""The stages before rendering, for one site: config → load → resolve → source rules.

``govsite build``, ``govsite check``, ``govsite report`` and ``govsite serve`` all start here, so
they see the same site and the same problems. Each stage reports problems instead of raising and
goes on with what it could read, so that one run lists every finding of every stage: a page with
a YAML error is left out, the rest of the site is still resolved and checked.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from govsite.cache.store import NULL_CACHE, Cache
from govsite.config.features import load_settings
from govsite.config.site import SiteConfig, load_site
from govsite.content.loader import load_content
from govsite.content.model import Site
from govsite.core.clock import Clock
from govsite.core.errors import Report
from govsite.pipeline.options import BuildOptions, Timings
from govsite.pipeline.shortcut import build_time
from govsite.render import home
from govsite.rules.stage import source_rules
from govsite.site import library
from govsite.site.languages import language_versions, translations
from govsite.site.resolve import cached_ranks, resolve


@dataclass
class Loaded:
    """A site as the stages before rendering leave it: ``site`` is None when nothing usable could
    be read (site.yaml or ``--now`` unusable); ``report`` holds every problem found so far."""

    site: Site | None
    report: Report


def load_and_check(project: Path, key: str, options: BuildOptions | None = None, cache: Cache = NULL_CACHE,
                   timings: Timings | None = None) -> Loaded:
    """Config, load, resolve and the source rules of the build for one site.

    A site with language versions (外文版) loads them too (``site.versions``): their trees are
    resolved and checked with the main site, so their errors are reported in the same run.
    ``cache``: a build cache for parsed pages and related-page ranks.
    """
    options = options or BuildOptions()
    timings = timings or Timings()
    report = Report()
    with timings.stage("config"):
        config = load_site(project, key, report)
        now = build_time(config, options.now, report) if config is not None else None
    if config is None or now is None:
        return Loaded(None, report)
    clock = Clock(now)   # one for every tree of the build: what any of them asks bounds the shortcut's window
    site = load_tree(project, config, clock, options, report, cache, timings, shared=True)
    if site is None:
        return Loaded(None, report)
    with timings.stage("config"):
        site.versions = language_versions(project, config, report)
    for version in site.versions:
        with timings.within(f"version {version.prefix}"):
            version.site = load_tree(project, version.config, clock, options, report, cache, timings)
        if version.site is not None:
            version.site.out_prefix = version.prefix + "/"
    if site.versions:
        table = translations(site, site.versions, str(config.raw.get("language_label") or "中文"))
        for tree in [site] + [v.site for v in site.versions if v.site is not None]:
            tree.translations = table
    return Loaded(site, report)


def load_tree(project: Path, config: SiteConfig, now: Clock, options: BuildOptions, report: Report,
              cache: Cache = NULL_CACHE, timings: Timings | None = None, shared: bool = False) -> Site | None:
    """Load, resolve and check one content tree (a site, or one of its language versions).

    ``shared``: apply the site's ``include:`` rules (资源库, :mod:`govsite.site.library`); a language
    version has its own tree and does not include the main site's rules."""
    timings = timings or Timings()
    if config.content is None or not config.content.is_dir():
        return None
    with timings.stage("config"):
        settings = load_settings(project, config, report)
    with timings.stage("load"):
        tree = load_content(config.content, config.column_types, report, cache)
        included = library.collect(project, config, tree, now, report, cache, rules=shared)
        tree.pages.extend(included.copies)
    with timings.stage("resolve"):
        site = resolve(config, tree, now, report, drafts=options.drafts, preview=options.preview,
                       members=included.members, settings=settings, library=included.sites,
                       ranks=cached_ranks(cache))
    with timings.stage("rules: site"):
        source_rules(site, tree.pages, report)
        home.compose(site, report)   # 首页区块: columns that exist, headline pictures that are there (LY-4, LK-1)
    return site
