"""Stage 3 — check: the rules a build enforces before anything is rendered.

These are the structural rules of SPEC.md that make a site fail inspection outright or break
pages: column depth (CO-1), number of channels (CO-2), empty columns (CO-3), and references a
page makes in its front matter. Rules whose verdict depends on the build date (a column empty
only because its pages are scheduled) are warnings, so the calendar never breaks a build.
"""
from __future__ import annotations

import posixpath
from collections import defaultdict

from govsite.core.errors import Report
from govsite.content.model import Asset, Site

MAX_DEPTH = 3
MAX_CHANNELS = 8


def check_site(site: Site, all_pages: list, report: Report) -> None:
    check_depth(site, report)
    check_channels(site, report)
    check_empty_columns(site, all_pages, report)
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
