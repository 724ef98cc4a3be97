"""Stage 2 — resolve: from loaded files to a site tree.

Works out what follows from the files taken together: the column tree, channels, output paths
(ID-3), inherited values (ColumnType, 信息来源, 作者, 归档, the unit a 专栏 belongs to),
what is visible at the build time, list order (置顶 first, newest first), previous/next,
related pages and topics (专题). Judging the result against the rules (that every output has
one source, ID-3, among them) is :mod:`govsite.rules.stage`.
"""
from __future__ import annotations

import datetime as dt
import heapq
import posixpath
from collections import Counter, defaultdict
from functools import lru_cache
from itertools import chain
from typing import Any

from govsite.cache.store import Cache
from govsite.config.features import SiteSettings
from govsite.config.site import SiteConfig
from govsite.config.units import Unit, unit_named
from govsite.content.loader import ContentTree
from govsite.content.model import Column, Page, Site
from govsite.core.clock import Clock
from govsite.core.errors import Report
from govsite.core.slugs import slugify
from govsite.core.vocab import DEFAULT_COLUMN_TYPE
from govsite.site import review
from govsite.site.types import reply, resolve_types
from govsite.site.types.disclosure import assign_index_numbers, check_categories, disclosure_settings, withheld

RELATED_COUNT = 5


def newest_first(page: Page) -> tuple[float, str]:
    assert page.date is not None   # every loaded page has a date (the loader refuses one without)
    return (-page.date.timestamp(), page.src)


def list_order(page: Page):
    """置顶 first (larger ``top`` first), then newest first, then by file for a stable order."""
    assert page.date is not None
    return (-page.top, -page.date.timestamp(), page.src)


def resolve(config: SiteConfig, tree: ContentTree, now: Clock | dt.datetime, report: Report, drafts=False, preview=False,
            members: dict | None = None, ranks=None, settings: SiteSettings | None = None,
            library: dict | None = None) -> Site:
    """``preview`` (``govsite serve``): drafts and pages hidden by publish/expire are shown too,
    still marked ``draft``/``scheduled`` so the theme can flag them 「预览」.

    ``members``: column source path → other sites' pages its lists show (资源库 ``include:``,
    :mod:`govsite.library`). Copies of other sites' pages come in ``tree.pages`` with an origin:
    they are placed like this site's own pages, but keep the owner's type fields and relations.

    ``ranks``: what computes :func:`related_ranks` (the build passes one that asks its cache first).
    ``settings``: the theme, theme strings, search and 繁体 settings (a site that is rendered has them);
    ``library``: the other sites this one includes or links (资源库).
    ``now``: the build's clock, shared by every tree it resolves (a time: a clock of its own)."""
    extra: dict[str, Any] = {} if settings is None else {"theme": settings.theme, "messages": settings.messages,
                                         "search": settings.search, "variant": settings.variant}
    clock = now if isinstance(now, Clock) else Clock(now)
    site = Site(config=config, clock=clock, drafts=drafts or preview, preview=preview, library=library or {}, **extra)
    columns = {c.src: c for c in tree.columns}
    _link_columns(site, columns, tree.broken, report)
    # a column whose parent folder failed is not in the tree; its pages are follow-on errors
    unreachable = tree.broken | (set(columns) - {c.src for c in site.columns})
    columns = {c.src: c for c in site.columns}
    _choose_channels(site, config, report)
    disclosure = disclosure_settings(config, report)
    _place_pages(site, tree.pages, columns, unreachable, clock, site.drafts, disclosure, report)
    _place_assets(site, tree.assets, columns)
    _link_page_images(site)
    _fill_lists(site)
    _link_related(site, ranks or related_ranks)
    placed = [p for p in tree.pages if p.column is not None and p.url and p.origin is None]
    resolve_types(site, placed, report)
    assign_index_numbers(placed, disclosure, report)
    check_categories(placed, disclosure, report)
    for src, pages in (members or {}).items():
        if src in columns:
            columns[src].members.extend(pages)
    _fill_topics(site)
    return site


def _under(src: str, folders: set) -> bool:
    return any(src == f or src.startswith(f + "/") for f in folders)


def _link_columns(site: Site, columns: dict, broken: set, report: Report) -> None:
    config = site.config
    for src in sorted(columns):
        col = columns[src]
        parent_src = posixpath.dirname(src)
        if parent_src:
            parent = columns.get(parent_src)
            if parent is None:  # the parent folder failed to load or has no _column.yaml
                continue
            col.parent = parent
            parent.children.append(col)
        else:
            site.roots.append(col)
    ordered: list[Column] = []

    def walk(col: Column, depth: int):
        col.depth = depth
        segment = col.slug or slugify(posixpath.basename(col.src))
        if not segment:
            report.error(col.file, 1, f"无法从目录名「{posixpath.basename(col.src)}」生成网址",
                         "在 _column.yaml 中写 slug: 英文或拼音网址片段")
            segment = "column"
        col.dir = f"{col.parent.dir}/{segment}" if col.parent else segment
        parent = col.parent
        col.column_type = col.type or (parent.column_type if parent else DEFAULT_COLUMN_TYPE)
        own = _own_unit(col, config, report)
        col.unit = own or (parent.unit if parent else None)
        # a unit's 专栏 speaks for the unit: its name is the 信息来源 and 作者 of what does not say otherwise
        col.default_source = col.source or (own.name if own else parent.default_source if parent else config.sponsor)
        col.default_author = col.author or (own.name if own else parent.default_author if parent else config.sponsor)
        col.default_editor = col.editor or (parent.default_editor if parent else config.editor)
        col.archived_at = col.archived or (parent.archived_at if parent else None)
        if col.end and site.clock.reached(col.end) and col.archived_at is None:
            col.archived_at = col.end  # a 专题 whose work has ended archives itself (CO-5, AR-2)
        ordered.append(col)
        col.children.sort(key=lambda c: (c.order, c.src))
        for child in col.children:
            walk(child, depth + 1)

    site.roots.sort(key=lambda c: (c.order, c.src))
    for col in site.roots:
        walk(col, 1)
    site.columns = ordered
    for src in sorted(columns):  # columns whose parent folder is not a column were skipped above
        col = columns[src]
        if (col.parent is None and "/" in src and columns.get(posixpath.dirname(src)) is None
                and not _under(src, broken)):
            report.error(col.file, 1, f"上级目录「{posixpath.dirname(src)}」不是栏目（缺少或无法读取 _column.yaml）",
                         "在上级目录中放一个有效的 _column.yaml")


def _own_unit(col: Column, config: SiteConfig, report: Report) -> Unit | None:
    """The unit a column's own ``unit:`` names (单位信息公开专栏), reported when site.yaml has none
    by that key. A unit left out for a bad code was reported at site.yaml already."""
    if not col.unit_key:
        return None
    unit = unit_named(config.units, col.unit_key)
    written = {str(u.get("key")) for u in config.raw.get("units") or () if isinstance(u, dict)}
    if unit is None and col.unit_key not in written:
        keys = "、".join(u.key for u in config.units)
        report.error(col.file, col.line("unit"), f"[GK-5] 所属单位 unit「{col.unit_key}」不在 site.yaml 的 units 中",
                     (f"可选：{keys}；" if keys else "") + "或在 site.yaml 的 units 中增加该单位（key、name、code、kind），"
                     "参照 docs/units.md", rule="GK-5")
    return unit


def _choose_channels(site: Site, config: SiteConfig, report: Report) -> None:
    """频道: the top-level columns in the navigation (CO-2: at most 8)."""
    if config.channels is None:
        site.channels = list(site.roots)
    else:
        by_src = {c.src: c for c in site.roots}
        for name in config.channels:
            col = by_src.get(name)
            if col is None:
                report.error(config.file, config.line_of("channels"),
                             f"channels 中的「{name}」不是内容根目录下的栏目",
                             "填写一级栏目的目录名，例如 zwdt")
            elif col not in site.channels:
                site.channels.append(col)


def _place_pages(site, pages, columns, broken, clock: Clock, drafts, settings, report) -> None:
    for page in pages:
        col = columns.get(posixpath.dirname(page.src))
        if col is None and _under(posixpath.dirname(page.src), broken):
            continue  # its column file's error is reported already
        if col is None:
            report.error(page.file, 1, "页面不在任何栏目中（所在目录缺少 _column.yaml）",
                         "在该目录放一个 _column.yaml，或把页面移到已有栏目")
            continue
        page.column = col
        site.by_src[page.src] = page
        segment = page.slug or slugify(posixpath.basename(page.src)[:-3])
        if not segment:
            report.error(page.file, 1, f"无法从文件名生成网址：{posixpath.basename(page.src)}",
                         "在 front matter 中写 slug: 英文或拼音网址片段")
            continue
        page.url = f"{col.dir}/{segment}.html"
        page.info_source = page.source or col.default_source
        page.author_name = page.author or col.default_author
        page.editor_name = page.editor or col.default_editor
        page.archived_at = page.archived or col.archived_at
        if (withheld(page, settings, report) or reply.withheld(page, report)
                or review.withheld(page, site.config.review, report)):
            continue  # 依申请公开 / 不予公开 / a reply not for publication / 三审 missing: not published, not even in preview
        if page.draft and not drafts:
            continue
        if (page.publish and not clock.reached(page.publish)) or (page.expire and clock.reached(page.expire)):
            page.scheduled = True
            if not site.preview:
                continue
        site.pages.append(page)
    site.pages.sort(key=newest_first)


def _place_assets(site, assets, columns) -> None:
    """Files beside pages keep their name and land in their column's output folder."""
    for asset in assets:
        folder = posixpath.dirname(asset.src)
        rest: list[str] = []
        while folder and folder not in columns:
            rest.insert(0, posixpath.basename(folder))
            folder = posixpath.dirname(folder)
        if not folder:
            continue
        col = columns[folder]
        asset.out = posixpath.join(col.dir, *rest, posixpath.basename(asset.src))
        site.assets.append(asset)
        site.by_src[asset.src] = asset
    for col in columns.values():
        site.by_src[col.src] = col


def _link_page_images(site: Site) -> None:
    """A page's ``image`` names a file beside it; keep the output path of that file."""
    for page in site.pages:
        if page.image.startswith(("http://", "https://")):
            page.image_out = page.image
        elif page.image:
            target = site.by_src.get(posixpath.normpath(posixpath.join(posixpath.dirname(page.src), page.image)))
            page.image_out = getattr(target, "out", "")


def _fill_lists(site: Site) -> None:
    for page in site.pages:
        page.column.pages.append(page)
    for col in site.columns:
        col.pages.sort(key=list_order)
        for before, after in zip(col.pages, col.pages[1:], strict=False):
            # 上一篇 is the item above in the list (newer), 下一篇 the one below
            after.prev, before.next = before, after
    for col in reversed(site.columns):
        merged = list(col.pages)
        for child in col.children:
            merged.extend(child.all_pages)
        merged.sort(key=newest_first)
        col.all_pages = merged


def _fill_topics(site: Site) -> None:
    """专题 (CO-5): members that joined by front matter are listed with the topic's own pages;
    topics whose work goes on come first in the topic area, archived ones after them."""
    def merged(pages, order):
        return sorted({id(p): p for p in pages + col.members}.values(), key=order)

    for col in site.columns:
        if col.members:
            for holder in [col] + col.ancestors:
                holder.all_pages = merged(holder.all_pages, newest_first)
            col.pages = merged(col.pages, list_order)
    site.topics = sorted((c for c in site.columns if c.is_topic),
                         key=lambda c: (c.archived_at is not None, c.order, c.src))


def _link_related(site: Site, related) -> None:
    """相关文章 (CP-3): pages sharing the most keywords, newest first; bounded work per page.
    ``related``: :func:`related_ranks`, or what stands for it."""
    pages = site.pages  # newest first, the source path breaking ties: a page's index is its rank
    for page, ranks in zip(pages, related(tuple(tuple(p.keywords) for p in pages)), strict=False):
        page.related = [pages[r] for r in ranks]


def cached_ranks(cache: Cache):
    """:func:`related_ranks` through the build cache (``resolve(ranks=…)``): they are made of every
    page's keywords in rank order alone, which a body edit leaves as they were (0.1 s of each
    build at 5,000 pages). With the null cache, simply :func:`related_ranks`."""
    def ranks(keywords: tuple) -> list:
        return cache.ranks.memo(cache.ranks.key(keywords), lambda: related_ranks(keywords))
    return ranks


@lru_cache(maxsize=2)
def related_ranks(keywords: tuple) -> list[tuple[int, ...]]:
    """For each page (by rank), the ranks of its related pages, from every page's keywords in
    rank order. Remembered: ``govsite serve`` resolves the site after every edit, and most edits
    leave all keywords and the order as they were."""
    n = len(keywords)
    postings: dict[str, list[int]] = defaultdict(list)
    for rank, words in enumerate(keywords):
        for kw in set(words):
            postings[kw].append(rank)
    related = []
    for rank, words in enumerate(keywords):
        scores = Counter(chain.from_iterable([postings[kw][:200] for kw in set(words)]))   # counted in C
        scores.pop(rank, None)
        # most shared keywords first, then newest: one integer per candidate orders them
        best = heapq.nsmallest(RELATED_COUNT, [other - score * n for other, score in scores.items()])
        related.append(tuple(v % n for v in best))
    return related
