"""政务公开 attributes of every item (S0): 公开属性 and 索引号.

公开属性 (``disclosure.attribute``): only 主动公开 items are published. An item marked 依申请公开
or 不予公开 stays in the repository (so the 三审 record is kept) but is never rendered, and it must
say why (依据和理由). A site can require the attribute on every item with
``disclosure: {require_attribute: true}`` in site.yaml.

索引号 (GK-5): every disclosed document carries one. An editor may write ``index_no``; otherwise
the build generates one by the site's rule::

    {prefix}/{year}-{seq:05d}

``prefix`` is ``disclosure.index_prefix`` in site.yaml (default: the 网站标识码), ``year`` the
year of the page's date, and ``seq`` a five-digit number derived from the page's source path
(CRC-32 modulo 100,000), so the number never changes when other pages are added, removed or
re-dated. When two pages of one year draw the same number, the earlier page (by date, then path)
keeps it and the later one takes the next free number; an editor who needs a fixed number writes
``index_no``. Which pages get one: those in columns whose 栏目类别 is a disclosure type
(``disclosure.column_types``, defaulting to :data:`DISCLOSURE_COLUMN_TYPES`) and every page that
writes ``index_no``. Two pages with the same written number are an error.
"""
from __future__ import annotations

import zlib
from collections import defaultdict
from dataclasses import dataclass

from govsite.content.model import Page
from govsite.core.errors import Report

ATTRIBUTES = ("主动公开", "依申请公开", "不予公开")
PUBLIC = "主动公开"
DISCLOSURE_COLUMN_TYPES = ("概况信息", "机构职能", "负责人信息", "政策文件", "政策解读", "通知公告",
                           "信息公开指南", "信息公开目录", "信息公开年报", "数据发布", "数据开放", "回应关切")
SEQ_SPACE = 100_000


@dataclass
class DisclosureSettings:
    require_attribute: bool = False
    index_prefix: str = ""
    column_types: tuple = DISCLOSURE_COLUMN_TYPES


def disclosure_settings(config, report: Report) -> DisclosureSettings:
    raw = config.raw.get("disclosure") or {}
    line = config.line_of("disclosure")
    if not isinstance(raw, dict):
        report.error(config.file, line, "disclosure 应是映射（require_attribute、index_prefix、column_types）",
                     "参照 docs/content-types.md")
        raw = {}
    settings = DisclosureSettings(index_prefix=str(raw.get("index_prefix") or config.site_code or "").strip())
    require = raw.get("require_attribute", False)
    if not isinstance(require, bool):
        report.error(config.file, line, "disclosure.require_attribute 应是 true 或 false", "例如 require_attribute: true")
    else:
        settings.require_attribute = require
    types = raw.get("column_types")
    if types is not None:
        if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
            report.error(config.file, line, "disclosure.column_types 应是栏目类别的列表", "例如 column_types: [政策文件, 政策解读]")
        else:
            settings.column_types = tuple(types)
    return settings


def withheld(page, settings: DisclosureSettings, report: Report) -> bool:
    """True when the page's 公开属性 keeps it off the site; reports a bad or unexplained attribute."""
    data = page.extra.get("disclosure")
    line = page.line("disclosure")
    if data in (None, "", {}):
        if settings.require_attribute:
            report.error(page.file, page.line("title"), "[GK-2] 缺少公开属性 disclosure.attribute（本站要求每条信息都写明）",
                         "例如 disclosure:\n      attribute: 主动公开", rule="GK-2")
        return False
    if not isinstance(data, dict):
        report.error(page.file, line, "[GK-2] disclosure 应是映射，包含 attribute（公开属性）",
                     "例如 disclosure:\n      attribute: 主动公开", rule="GK-2")
        return True
    attribute = str(data.get("attribute") or "").strip()
    if attribute not in ATTRIBUTES:
        report.error(page.file, line, f"[GK-2] 公开属性「{attribute or '（空）'}」无效", "可选：" + "、".join(ATTRIBUTES), rule="GK-2")
        return True
    if attribute != PUBLIC and not str(data.get("reason") or "").strip():
        report.error(page.file, line, f"[GK-2] 公开属性为「{attribute}」，但没有写明依据和理由",
                     "写 disclosure.reason: 不公开的法律依据和理由，例如 《政府信息公开条例》第十四条", rule="GK-2")
    return attribute != PUBLIC


def wants_index(page, settings: DisclosureSettings) -> bool:
    return "index_no" in page.extra or page.column.column_type in settings.column_types


def assign_index_numbers(pages: list, settings: DisclosureSettings, report: Report) -> None:
    """Written 索引号 first (duplicates are errors), then generated ones by the documented rule."""
    taken: dict[str, Page] = {}
    for page in sorted(pages, key=lambda p: (p.date, p.src)):
        value = page.extra.get("index_no")
        if value in (None, ""):
            continue
        number = str(value).strip()
        if number in taken:
            report.error(page.file, page.line("index_no"), f"[GK-5] 索引号「{number}」与 {taken[number].src} 重复",
                         "每份文件的索引号应唯一；删除 index_no 让系统生成，或改正编号", rule="GK-5")
        taken[number] = page
        page.index_no = number
    used: dict[str, set] = defaultdict(set)
    for number in taken:
        used[number.rsplit("-", 1)[0]].add(number)
    for page in sorted(pages, key=lambda p: (p.date, p.src)):
        if page.index_no or not wants_index(page, settings):
            continue
        head = f"{settings.index_prefix}/{page.date.year}"
        seq = zlib.crc32(page.src.encode("utf-8")) % SEQ_SPACE
        while f"{head}-{seq:05d}" in used[head]:
            seq = (seq + 1) % SEQ_SPACE
        page.index_no = f"{head}-{seq:05d}"
        used[head].add(page.index_no)
