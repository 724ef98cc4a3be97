"""The shared resource library (资源库, 集约化): one site showing items another site owns.

The rules push a district onto one platform: the portal and the departments' and towns' sites
publish from one library (「先入库，后使用」), department news flows into portal columns, and a
department site re-publishes portal notices. In govsite the repository *is* that library: every
site's content tree is in ``content/``, and a site includes items of another site by rules in its
``site.yaml``::

    include:
      - from: jyj                 # the owner site (a folder under sites/)
        columns: [zwdt/gzdt]      # its columns (with their sub-columns); default: all
        types: [notice]           # content types (news, policy, notice …); default: all
        tags: [教育]              # any of these keywords; default: all
        since: 2026-01-01         # page date range, both ends optional
        until: 2026-12-31
        limit: 50                 # the newest N after filtering
        into: zwdt/bmdt           # the column of this site that lists them
        mode: link                # link: list entries link to the owner's page
                                  # copy: this site renders the page too, rel=canonical → owner

Every item has exactly one owner: the site whose content tree holds its file. Only the owner's
own items are offered (what a site itself includes is not passed on), so includes never chain or
loop. A *copy* is the owner's page rendered in this site's column (as ``<owner>-<file name>.html``,
so copies from different sites never collide) with the owner's metadata, a 「来源」 line linking
the original and ``<link rel="canonical">`` pointing at it; it stays out of this site's sitemap
and export. A *link* entry appears in lists (and home blocks) and leads to the
owner's page. Markdown may link any site's page with ``site:<key>/<path>.md``; such links are
checked like internal ones and written as the owner's absolute URL.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from govsite.cache.store import NULL_CACHE, Cache
from govsite.config.site import SiteConfig, load_site
from govsite.content.loader import ContentTree, load_content
from govsite.content.model import Asset, Column, Origin, Page, Site
from govsite.core.dates import DateError, parse_datetime
from govsite.core.errors import Report
from govsite.core.links import absolute_url
from govsite.site.resolve import resolve

MODES = ("link", "copy")
RULE_KEYS = {"from", "columns", "types", "tags", "since", "until", "limit", "into", "mode"}
SITE_LINK = re.compile(r"\]\(\s*<?site:([A-Za-z0-9_.-]+)/")
SITE_LINK_PREFIX = "site:"


@dataclass
class IncludeRule:
    source: str
    into: str
    mode: str = "link"
    columns: tuple = ()
    types: tuple = ()
    tags: tuple = ()
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    limit: int = 0
    line: int = 1

    def matches(self, page: Page) -> bool:
        if self.columns and not any(page.src.startswith(c + "/") for c in self.columns):
            return False
        if self.types and page.type not in self.types:
            return False
        if self.tags:
            tags = set(page.keywords) | set(map(str, page.extra.get("tags") or ()))
            if not tags & set(self.tags):
                return False
        if page.date is None:
            return not (self.since or self.until)
        return not ((self.since and page.date < self.since) or (self.until and page.date >= self.until))


@dataclass
class Included:
    """What a site takes from the library: pages to render here, list entries, other sites."""

    copies: list            # Page copies placed in this site's columns (before resolve)
    members: dict           # column src → owner pages listed there (link mode)
    sites: dict             # site key → the owner's resolved Site (for links and the cache)


def parse_rules(config: SiteConfig, report: Report) -> list[IncludeRule]:
    """``include:`` of site.yaml, each mistake reported with the line and a hint."""
    raw = config.raw.get("include")
    if raw is None:
        return []
    line = config.line_of("include")
    if not isinstance(raw, list):
        report.error(config.file, line, "include（资源库引用）应是列表，每项写 from、into 等",
                     "include:\n  - from: jyj\n    columns: [zwdt/gzdt]\n    into: zwdt/bmdt")
        return []
    rules = []
    for number, item in enumerate(raw, 1):
        where = f"include 第{number}项"
        if not isinstance(item, dict):
            report.error(config.file, line, f"{where}应是映射（from、into、mode …）", "参照 docs/multisite.md")
            continue
        unknown = sorted(set(map(str, item)) - RULE_KEYS)
        if unknown:
            report.error(config.file, line, f"{where}有不认识的键：{'、'.join(unknown)}",
                         "可用的键：" + "、".join(sorted(RULE_KEYS)))
        source, into = str(item.get("from") or "").strip(), str(item.get("into") or "").strip().strip("/")
        mode = str(item.get("mode") or "link").strip()
        if not source or not into:
            report.error(config.file, line, f"{where}需要写 from（来源网站）和 into（本站栏目）",
                         "例如 from: jyj\n    into: zwdt/bmdt")
            continue
        if source == config.key:
            report.error(config.file, line, f"{where}的 from 是本站「{source}」", "from 写另一个网站（sites/ 下的目录名）")
            continue
        if not (config.dir.parent / source / "site.yaml").is_file():
            report.error(config.file, line, f"{where}的来源网站「{source}」不存在（没有 sites/{source}/site.yaml）",
                         "from 写 sites/ 下另一个网站的目录名")
            continue
        if mode not in MODES:
            report.error(config.file, line, f"{where}的 mode「{mode}」无效",
                         "mode: link（列表链接到原网站）或 mode: copy（本站也生成页面，规范网址指向原网站）")
            continue
        rule = IncludeRule(source, into, mode, line=line,
                           columns=tuple(str(c).strip().strip("/") for c in _list(item.get("columns"))),
                           types=tuple(str(t).strip() for t in _list(item.get("types"))),
                           tags=tuple(str(t).strip() for t in _list(item.get("tags"))))
        try:
            rule.since = _day(item.get("since"))
            until = _day(item.get("until"))
            rule.until = until + dt.timedelta(days=1) if until and until.time() == dt.time() else until
        except DateError as exc:
            report.error(config.file, line, f"{where}的 since/until 无效：{exc}", "写成 YYYY-MM-DD")
            continue
        limit = item.get("limit", 0)
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
            report.error(config.file, line, f"{where}的 limit「{limit}」应是正整数", "例如 limit: 50（只取最新 50 条）")
            continue
        rule.limit = limit
        rules.append(rule)
    return rules


def _list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _day(value) -> dt.datetime | None:
    return None if value is None or value == "" else parse_datetime(value)


def linked_sites(tree: ContentTree) -> set[str]:
    """Sites named by ``site:<key>/…`` links in page bodies."""
    keys = set()
    for page in tree.pages:
        if SITE_LINK_PREFIX in page.body:
            keys.update(SITE_LINK.findall(page.body))
    return keys


def load_owner(project: Path, key: str, now, cache: Cache = NULL_CACHE) -> Site | None:
    """Another site's own content, resolved as its own build resolves it (no drafts, no preview).

    Its problems are its own build's business and are not reported here. Every page, column and
    asset is stamped with an :class:`Origin`, so a link to it from this site is its absolute URL.
    """
    quiet = Report()
    config = load_site(project, key, quiet)
    if config is None or config.content is None or not config.content.is_dir() or not config.base_url:
        return None
    tree = load_content(config.content, config.column_types, quiet, cache)
    site = resolve(config, tree, now, quiet)
    for obj in site.by_src.values():
        path = obj.out if isinstance(obj, Asset) else obj.url
        if path:
            obj.origin = Origin(key, config.name, config.base_url, absolute_url(config.base_url, path))
    return site


def collect(project: Path, config: SiteConfig, tree: ContentTree, now, report: Report, cache: Cache = NULL_CACHE,
            rules: bool = True) -> Included:
    """Apply the ``include:`` rules of ``config`` (unless ``rules`` is false) to the owners' trees,
    and load the sites that pages link with ``site:``."""
    include_rules = parse_rules(config, report) if rules else []
    columns = {c.src for c in tree.columns}
    wanted = sorted({r.source for r in include_rules} | (linked_sites(tree) - {config.key}))
    sites = {}
    for key in wanted:
        if (project / "sites" / key / "site.yaml").is_file():
            owner = load_owner(project, key, now, cache)
            if owner is not None:
                sites[key] = owner
    included = Included([], {}, sites)
    taken: dict[str, tuple] = {}  # copy's source path → (owner, original path)
    for rule in include_rules:
        if rule.into not in columns:
            report.error(config.file, rule.line, f"include 的 into「{rule.into}」不是本站栏目",
                         "写本站内容目录中一个栏目的路径（含 _column.yaml 的目录），例如 zwdt/bmdt")
            continue
        owner = sites.get(rule.source)
        if owner is None:
            report.error(config.file, rule.line, f"来源网站「{rule.source}」无法读取（缺少 content 目录或 base_url）",
                         f"先单独生成该网站查看问题：govsite build {rule.source}")
            continue
        for col in rule.columns:
            if not isinstance(owner.by_src.get(col), Column):
                report.error(config.file, rule.line, f"来源网站「{rule.source}」没有栏目「{col}」",
                             f"columns 写 content 中 {rule.source} 网站栏目的目录路径")
        chosen = [p for p in owner.pages if rule.matches(p)]  # newest first
        if rule.limit:
            chosen = chosen[: rule.limit]
        if rule.mode == "link":
            included.members.setdefault(rule.into, []).extend(chosen)
            continue
        for page in chosen:
            copy = _copy(page, rule.into)
            first = taken.get(copy.src)
            if first is None:
                taken[copy.src] = (rule.source, page.src)
                included.copies.append(copy)
            elif first != (rule.source, page.src):
                report.error(config.file, rule.line,
                             f"include 把「{rule.source}」网站的 {page.src} 和 {first[1]} 复制到「{rule.into}」，文件名相同",
                             "用 columns 缩小范围，或把它们复制到不同的栏目（into）")
            # else: two rules chose the same item for the same column, and it is copied once
    return included


def _copy(page: Page, into: str) -> Page:
    """The owner's page as a page of this site's column ``into``: the owner's fields and computed
    metadata (type fields, status, 索引号, relations — which lead to the owner's pages), this
    site's place (resolve fills URL, column, lists). Its origin says where the original is."""
    origin = page.origin
    assert origin is not None, "pages are copied from the site that owns them, which set their origin"
    owner = origin.site
    copy = dataclasses.replace(page, src=f"{into}/{owner}-{posixpath.basename(page.src)}", column=None, url="",
                               slug=f"{owner}-{page.slug}" if page.slug else "",
                               prev=None, next=None, related=[], topics=[], top=0,
                               source=page.info_source, author=page.author_name, archived=page.archived_at)
    copy.origin = dataclasses.replace(origin, copy=True, src=page.src)
    if page.image_out:
        copy.image = page.image_out if "://" in page.image_out else absolute_url(origin.base_url, page.image_out)
    return copy


def foreign_entities(included_sites: dict):
    """Every page, column and asset of the owner sites, for the build cache's read checks."""
    for owner in included_sites.values():
        yield from owner.by_src.values()
