"""政务公开 attributes of every item (S0): 公开属性 and 索引号.

公开属性 (``disclosure.attribute``): only 主动公开 items are published. An item marked 依申请公开
or 不予公开 stays in the repository (so the 三审 record is kept) but is never rendered, and it must
say why (依据和理由). A site can require the attribute on every item with
``disclosure: {require_attribute: true}`` in site.yaml.

索引号 (GK-5): every disclosed document carries one, in one format per site::

    {issuer code}/{year}-{seq:05d}          e.g. 401352285/2026-00123

The issuer is who publishes the document here: the page's unit (单位, a column with ``unit:``
and everything below it; site.yaml ``units:``) or else the site itself, whose code is site.yaml
``org_code`` — the 统一社会信用代码 or 组织机构代码 of the organ the site speaks for, checked
like a unit's (:mod:`govsite.core.orgcode`). The issuer code in a 索引号 is always the
9-character 组织机构代码 (a 统一社会信用代码's 主体标识码, characters 9-17), the common national
form (国务院: ``000014349/2021-00123``): one format, whichever kind of code site.yaml gives.
The 网站标识码 is not an organisation code: a site without ``org_code`` still gets numbers (with
the 网站标识码 in its place) and a warning.
``disclosure.index_prefix``, the older way to set the prefix, is read as ``org_code`` and must
be a valid organisation code too.

``year`` is the year of the page's date, and ``seq`` a five-digit number derived from the page's
source path (CRC-32 modulo 100,000), so the number never changes when other pages are added,
removed or re-dated. When two pages of one year draw the same number, the earlier page (by
date, then path) keeps it and the later one takes the next free number; an editor who needs a
fixed number writes ``index_no``, which must follow the site's format with the page's issuer
code (a number in another format — a department's own scheme, another site's — is an error:
one catalogue, one format). Which pages get one: those in columns whose 栏目类别 is a
disclosure type (``disclosure.column_types``, defaulting to :data:`DISCLOSURE_COLUMN_TYPES`)
and every page that writes ``index_no``. Two pages with the same written number are an error.
Pages of other sites (资源库 ``include:``) keep their owner's numbers and are not in this site's
catalogue.

主题分类 (``category``, any page; a policy's field): a value of the site's vocabulary
(:mod:`govsite.core.themes` plus site.yaml ``categories``), checked by :func:`check_categories`.
"""
from __future__ import annotations

import re
import zlib
from collections import defaultdict
from dataclasses import dataclass

from govsite.config.units import check_code
from govsite.content.model import Page
from govsite.core.errors import Report
from govsite.core.orgcode import organisation_code
from govsite.core.themes import VOCABULARY, Vocabulary

ATTRIBUTES = ("主动公开", "依申请公开", "不予公开")
PUBLIC = "主动公开"
DISCLOSURE_COLUMN_TYPES = ("概况信息", "机构职能", "负责人信息", "政策文件", "政策解读", "通知公告",
                           "信息公开指南", "信息公开目录", "信息公开年报", "数据发布", "数据开放", "回应关切",
                           "信息公开制度", "法定主动公开内容", "依申请公开")   # statutory structure (docs/disclosure.md)
SEQ_SPACE = 100_000


@dataclass
class DisclosureSettings:
    """``disclosure:`` of site.yaml with what the 索引号 and 主题分类 need from the rest of it."""

    require_attribute: bool = False
    org_code: str = ""                    # the site's own issuer code (org_code), normalised; "" = none
    fallback: str = ""                    # the 网站标识码, standing in for a missing org_code (warned)
    column_types: tuple = DISCLOSURE_COLUMN_TYPES
    vocabulary: Vocabulary = VOCABULARY   # 主题分类: govsite.core.themes plus site.yaml categories
    file: object = None                   # site.yaml and the line of its org_code, for the warning
    line: int = 1

    def issuer_code(self, page) -> str:
        """The code a page's 索引号 starts with: its unit's, else the site's."""
        unit = page.column.unit if page.column is not None else None
        if unit is not None:
            return organisation_code(unit.code)
        return organisation_code(self.org_code) if self.org_code else self.fallback


def disclosure_settings(config, report: Report) -> DisclosureSettings:
    raw = config.raw.get("disclosure") or {}
    line = config.line_of("disclosure")
    if not isinstance(raw, dict):
        report.error(config.file, line, "disclosure 应是映射（require_attribute、index_prefix、column_types）",
                     "参照 docs/content-types.md")
        raw = {}
    settings = DisclosureSettings(org_code=config.org_code, fallback=config.site_code, file=config.file,
                                  line=config.line_of("org_code"),
                                  vocabulary=VOCABULARY.extended(config.categories))
    prefix = str(raw.get("index_prefix") or "").strip()
    if prefix:
        where = config.line_of("disclosure", "index_prefix")
        code = check_code(prefix, "disclosure.index_prefix（索引号前缀，即本站机关）", config.file, where, report)
        if code and config.org_code and organisation_code(code) != organisation_code(config.org_code):
            report.error(config.file, where, f"[GK-5] disclosure.index_prefix「{prefix}」与 org_code「{config.org_code}」不一致",
                         "删除 disclosure.index_prefix：索引号前缀就是 org_code（本站机关的机构代码）", rule="GK-5")
        settings.org_code = settings.org_code or code
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
    """Written 索引号 first (in the site's format, unique), then generated ones by the documented rule."""
    taken: dict[str, Page] = {}
    for page in sorted(pages, key=lambda p: (p.date, p.src)):
        value = page.extra.get("index_no")
        if value in (None, ""):
            continue
        number = str(value).strip()
        code = settings.issuer_code(page)
        if not re.fullmatch(re.escape(code) + r"/\d{4}-\d{5}", number):
            whose = f"单位「{page.column.unit.name}」" if page.column.unit is not None else "本站"
            report.error(page.file, page.line("index_no"),
                         f"[GK-5] 索引号「{number}」不符合本站格式「{code}/年份-5位序号」（{whose}的代码开头）",
                         f"删除 index_no 由系统生成，或写成 {code}/{page.date.year}-00001 的形式", rule="GK-5")
        if number in taken:
            report.error(page.file, page.line("index_no"), f"[GK-5] 索引号「{number}」与 {taken[number].src} 重复",
                         "每份文件的索引号应唯一；删除 index_no 让系统生成，或改正编号", rule="GK-5")
        taken[number] = page
        page.index_no = number
    used: dict[str, set] = defaultdict(set)
    for number in taken:
        used[number.rsplit("-", 1)[0]].add(number)
    stand_in = False
    for page in sorted(pages, key=lambda p: (p.date, p.src)):
        if page.index_no or not wants_index(page, settings):
            continue
        code = settings.issuer_code(page)
        stand_in = stand_in or (code == settings.fallback and not settings.org_code)
        head = f"{code}/{page.date.year}"
        seq = zlib.crc32(page.src.encode("utf-8")) % SEQ_SPACE
        while f"{head}-{seq:05d}" in used[head]:
            seq = (seq + 1) % SEQ_SPACE
        page.index_no = f"{head}-{seq:05d}"
        used[head].add(page.index_no)
    if stand_in:
        report.warning(settings.file, settings.line,
                       "[GK-5] site.yaml 缺少 org_code（本站机关的统一社会信用代码或组织机构代码）：索引号暂以网站标识码开头，"
                       "而网站标识码不是机构代码", '写 org_code: "…"（18位统一社会信用代码或9位组织机构代码），参照 docs/units.md',
                       rule="GK-5")


def theme_value(page) -> str:
    """The 主题分类 a page writes (``category``; a policy's field), "" when none. A data set's
    ``category`` is its 数据分类, another vocabulary (:mod:`govsite.site.types.dataset`)."""
    if page.type == "dataset":
        return ""
    value = page.extra.get("category")
    return value.strip() if isinstance(value, str) else ""


def check_categories(pages: list, settings: DisclosureSettings, report: Report) -> None:
    """Every written ``category`` is in the site's 主题分类 vocabulary; a policy document without
    one is a warning (the catalogue lists it as 未分类, never under its column's type)."""
    vocabulary = settings.vocabulary
    for page in pages:
        if page.type == "dataset" or "category" not in page.extra:
            if page.type == "policy" and page.info:
                report.warning(page.file, page.line("title"), "[GK-5] 政策文件没有主题分类 category：在信息公开目录中显示为「未分类」",
                               "例如 category: 综合政务／政务公开（主题分类表见 docs/units.md）", rule="GK-5")
            continue
        value = page.extra.get("category")
        if not isinstance(value, str) or not value.strip():
            report.error(page.file, page.line("category"), "[GK-5] category（主题分类）应是一段文字，例如 综合政务／政务公开",
                         vocabulary.suggestion(""), rule="GK-5")
            continue
        wrong = vocabulary.problem(value)
        if wrong:
            report.error(page.file, page.line("category"), f"[GK-5] {wrong}", vocabulary.suggestion(value), rule="GK-5")
