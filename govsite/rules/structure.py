"""Structural rules of every build: what makes a site fail inspection outright or break pages.

Column depth (CO-1), number of channels (CO-2), empty columns (CO-3), one source per output
address (ID-3) and the ``image`` a page names. They read the resolved site, whatever the site's
``check:`` settings say, so ``govsite build``, ``check``, ``serve`` and ``report`` all see them.
A rule whose verdict depends on the build date (a column empty only because its pages are
scheduled) is a warning, so the calendar never breaks a build.
"""
from __future__ import annotations

import posixpath
from collections import defaultdict

from govsite.content.model import Asset, Page, Site
from govsite.core.errors import Report

MAX_DEPTH = 3
MAX_CHANNELS = 8
RESERVED_ROOT = {"index", "404", "sitemap", "help", "search", "static"}   # the site's own pages and folders


def check_site(site: Site, all_pages: list, report: Report) -> None:
    check_depth(site, report)
    check_channels(site, report)
    check_empty_columns(site, all_pages, report)
    check_outputs(site, report)
    check_page_images(site, report)


def check_depth(site: Site, report: Report) -> None:
    """CO-1: columns nest at most three levels deep."""
    for col in site.columns:
        if col.depth == MAX_DEPTH + 1:
            report.error(col.file, 1, f"[CO-1] 栏目层级超过{MAX_DEPTH}层：{col.src}",
                         "把该栏目上移一层，或与同级栏目合并", rule="CO-1")


def check_channels(site: Site, report: Report) -> None:
    """CO-2: at most eight channels (频道) in the navigation."""
    config = site.config
    if len(site.channels) > MAX_CHANNELS:
        line = config.line_of("channels") if config.channels is not None else 1
        report.error(config.file, line, f"[CO-2] 频道有 {len(site.channels)} 个，超过 {MAX_CHANNELS} 个",
                     "合并频道，或在 site.yaml 的 channels 中只列出不超过8个一级栏目", rule="CO-2")


def check_empty_columns(site: Site, all_pages: list, report: Report) -> None:
    """CO-3: no empty column, ever. Empty only at the build time (scheduling) is a warning."""
    files_below: dict[str, int] = defaultdict(int)
    for page in all_pages:
        if page.column is None or page.draft:
            continue
        col = page.column
        while col is not None:
            files_below[col.src] += 1
            col = col.parent
    for col in site.columns:  # other sites' pages listed by include: (资源库) fill a column too
        if any(p.origin is not None for p in col.members):
            for holder in [col] + col.ancestors:
                files_below[holder.src] += 1
    for col in site.columns:
        if files_below[col.src] == 0:
            report.error(col.file, 1, f"[CO-3] 栏目「{col.name}」是空栏目，没有任何页面",
                         "为该栏目添加内容，或删除、合并该栏目（不允许保留“建设中”的空栏目）", rule="CO-3")
        elif not col.all_pages:
            report.warning(col.file, 1,
                           f"[CO-3] 栏目「{col.name}」在构建时间点没有可显示的页面（均未到发布时间或已过期）",
                           "检查页面的 publish/expire 时间", rule="CO-3")


def check_page_images(site: Site, report: Report) -> None:
    """The ``image`` of a page (its Image meta tag) must be a file that is published."""
    for page in site.pages:
        if page.image and not page.image.startswith(("http://", "https://")):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page.src), page.image))
            if not isinstance(site.by_src.get(target), Asset):
                report.error(page.file, page.line("image"), f"image 指向的文件「{page.image}」不存在",
                             "把图片放在页面同一目录，或改正文件名")


def check_outputs(site: Site, report: Report) -> None:
    """ID-3: every output address belongs to one source (addresses are case-insensitive on many
    servers); names the site itself uses at its root (site map, search, static files) stay free."""
    owners: dict[str, list] = defaultdict(list)
    for col in site.columns:
        owners[col.url.lower()].append(col.file)
        if not col.parent and col.dir in RESERVED_ROOT:
            report.error(col.file, 1, f"[ID-3] 栏目网址「{col.dir}」与站点保留名称冲突",
                         "在 _column.yaml 中写 slug: 另一个网址片段", rule="ID-3")
    for page in site.by_src.values():
        if isinstance(page, Page) and page.url:
            base = posixpath.basename(page.url)[:-5]
            if base == "index" or (base.startswith("index_") and base[6:].isdigit()):
                report.error(page.file, page.line("slug"), f"[ID-3] 页面网址「{page.url}」与栏目列表页冲突",
                             "换一个文件名或 slug（index、index_2 等留给栏目列表）", rule="ID-3")
            owners[page.url.lower()].append(page.file)
    for asset in site.assets:
        owners[asset.out.lower()].append(asset.file)
    for out, files in sorted(owners.items()):
        if len(files) > 1:
            others = "、".join(str(f) for f in files[1:])
            report.error(files[0], 1, f"[ID-3] 多个文件生成同一网址 /{out}：{files[0]} 与 {others}",
                         "修改其中一个的文件名或 slug（网址不区分大小写）", rule="ID-3")
