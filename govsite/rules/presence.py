"""Presence and validity checks: what an inspector looks for first and a site may simply lack.

The national inspection (国办秘函〔2019〕19号) and the 政务公开 assessments start from the site's
structure: are the standard column families there for this kind of site (标准栏目, CO-6), are the
信息公开指南, 目录 and 年报 published and last year's 年报 out by its deadline (GK-1, 条例
第四十九条), does the site offer services or link the 政务服务 platform (CK-6). Next come values
that are there but not real: a 「待填写」 placeholder, a 党政机关网站标识 link with ``id=0``, a
``000000`` postcode, a ``bm`` site code on a local site (ID-1.valid), a map without its 审图号
(a 问题地图, CK-1.map), and links in a repost that lead somewhere other than the original (LK-3).

A missing part never stops publishing — the registry marks these rules ``presence`` and the
runner reports them as warnings in ``govsite build`` and at their severity (errors by default) in
``govsite check`` — so a site under construction keeps building while the checker says what is
missing. Every finding names what to add and where.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from govsite.config.check import CheckConfig
from govsite.config.units import Unit
from govsite.content.model import Column, Page, Site
from govsite.core.links import host_matches, host_of
from govsite.core.vocab import REPRINT_TYPE, SITE_KINDS
from govsite.rules.findings import Finding, make
from govsite.rules.text_rules import Positions, body_links, fenced
from govsite.site.statutory import STATUTORY_TYPE, missing_areas

PORTAL, DEPARTMENT, TOWN = SITE_KINDS
KIND_NAMES = {PORTAL: "政府门户网站", DEPARTMENT: "部门网站", TOWN: "街道（乡镇）网站"}
_ALL, _PD, _P = (PORTAL, DEPARTMENT, TOWN), (PORTAL, DEPARTMENT), (PORTAL,)
GUIDE_TYPE, CATALOGUE_TYPE, ANNUAL_TYPE = "信息公开指南", "信息公开目录", "信息公开年报"
ANNUAL_PAGE_TYPE = "annual_report"


@dataclass(frozen=True)
class Family:
    """A standard column family (标准栏目) and what provides it.

    ``types``: the ColumnTypes whose columns are the family; ``names``: words in a column's name
    that make it one (the PC additions have no ColumnType of their own); ``entry``: the
    ``interaction:`` key of site.yaml whose platform link stands for the family (a site whose
    services are all on the 政务服务网 links it instead of copying them)."""

    name: str
    basis: str
    kinds: tuple
    types: tuple = ()
    names: tuple = ()
    entry: str = ""
    add: str = ""                 # the ColumnType to write in the new column's _column.yaml


FAMILIES = (
    # 政府网站发展指引 附件 政府网站功能规范 一~五 (the 功能规范 column families)
    Family("概况信息", "功能规范 一(一)", _P, ("概况信息",), add="概况信息"),
    Family("机构职能", "功能规范 一(二)；条例 第二十条(二)", _ALL, ("机构职能",), add="机构职能"),
    Family("负责人信息", "功能规范 一(二)；条例 第二十条(二)", _ALL, ("负责人信息",), add="负责人信息"),
    Family("政策文件", "功能规范 一(四)；条例 第二十条(一)", _ALL, ("政策文件",), add="政策文件"),
    Family("国务院信息转载", "功能规范 一(五)", _P, (REPRINT_TYPE,), add=REPRINT_TYPE),
    Family("政务动态", "功能规范 一(三)", _ALL, ("政务动态", "通知公告"), add="政务动态"),
    Family("数据发布", "功能规范 一(六)；条例 第二十条(四)", _PD, ("数据发布",), add="数据发布"),
    Family("数据开放", "功能规范 一(六)", _P, ("数据开放",), add="数据开放"),
    Family("解读回应", "功能规范 二", _PD, ("政策解读", "回应关切"), add="政策解读"),
    Family("办事服务", "功能规范 三", _ALL, ("办事服务",), entry="service_url", add="办事服务"),
    Family("互动交流", "功能规范 四", _ALL, ("互动交流",), entry="consult_url", add="互动交流"),
    # 条例: the statutory structure of 政府信息公开 (指南、目录、年报: GK-1)
    Family("信息公开制度", "条例 第二十条、第二十一条（政府信息公开工作制度）", _ALL, ("信息公开制度",), add="信息公开制度"),
    Family("法定主动公开内容", "条例 第二十条、第二十一条", _ALL, (STATUTORY_TYPE,), add=STATUTORY_TYPE),
    Family("依申请公开", "条例 第二十七条～第三十三条", _ALL, ("依申请公开",), add="依申请公开"),
    # 政府门户网站内容保障意见 (PC): portal additions, recognised by the column's name
    Family("便民问答", "门户网站内容保障", _P, names=("便民问答", "常见问题", "问答"), add="办事服务"),
    Family("规划计划", "门户网站内容保障；条例 第二十条(三)", _P, names=("规划",), add=STATUTORY_TYPE),
    Family("财政预决算", "门户网站内容保障；条例 第二十条(七)", _P, names=("预决算", "预算", "决算"), add=STATUTORY_TYPE),
    Family("行政收费", "门户网站内容保障；条例 第二十条(八)", _P, names=("收费",), add=STATUTORY_TYPE),
    Family("投诉举报", "门户网站内容保障", _P, names=("投诉", "举报"), entry="complaint_url", add="互动交流"),
)


def _own_columns(site: Site) -> list[Column]:
    """This site's columns that count: not another site's (资源库), not archived."""
    return [c for c in site.columns if c.origin is None and c.archived_at is None]


def _kind_line(site: Site) -> int:
    return site.config.line_of("kind") if "kind" in site.config.raw else 1


# -- CO-6 standard column families ----------------------------------------------------------------
def families(site: Site, cfg: CheckConfig) -> list[Finding]:
    """CO-6: one finding per standard column family the site's kind should have and does not."""
    config = site.config
    kind = config.kind if config.kind in SITE_KINDS else PORTAL
    columns = _own_columns(site)
    out = []
    for family in FAMILIES:
        if kind not in family.kinds:
            continue
        if any(c.column_type in family.types or any(word in c.name for word in family.names) for c in columns):
            continue
        if family.entry and getattr(config.interaction, family.entry, ""):
            continue
        entry = f"，或在 site.yaml 的 interaction 中写 {family.entry}（平台网址）" if family.entry else ""
        out.append(make("CO-6", config.file, _kind_line(site),
                        f"{KIND_NAMES[kind]}缺少标准栏目「{family.name}」（{family.basis}）",
                        f"新建栏目，在其 _column.yaml 中写 name: {family.name} 和 type: {family.add}，"
                        f"并发布至少一条信息{entry}；网站类型见 site.yaml 的 kind"))
    statutory = [c for c in columns if c.column_type == STATUTORY_TYPE and (c.parent is None
                                                                           or c.parent.column_type != STATUTORY_TYPE)]
    if statutory:
        missing = missing_areas(site)
        if missing:
            top = statutory[0]
            out.append(make("CO-6", top.file, top.line("type") if "type" in top.lines else 1,
                            f"法定主动公开内容缺少 {len(missing)} 项：" + "、".join(a.name for a in missing),
                            "在「" + top.name + "」下为每一项新建子栏目（例如 " + f"{top.src}/{missing[0].key}"
                            + f"/_column.yaml 写 name: {missing[0].name}），依据见 docs/check.md 的 CO-6 一节",
                            url=top.url))
    return out


# -- GK-1 指南、目录、年报 ------------------------------------------------------------------------
@dataclass(frozen=True)
class AnnualReport:
    """A 政府信息公开工作年度报告 (年报) of one reporter (the site, or a unit's 专栏) for one year."""

    page: Page
    year: int
    unit: Unit | None


_YEAR_RE = re.compile(r"(?<!\d)(20\d{2}|19\d{2})(?!\d)")


def annual_reports(site: Site) -> list[AnnualReport]:
    """The site's published 年报: pages of type ``annual_report`` (``info["year"]``), and — for
    年报 written as ordinary pages — pages in a 信息公开年报 column with a 4-digit year in the title."""
    out = []
    for page in site.pages:
        if page.origin is not None:
            continue
        col = page.column
        unit = col.unit if col is not None else None
        if page.type == ANNUAL_PAGE_TYPE and isinstance(page.info.get("year"), int):
            out.append(AnnualReport(page, page.info["year"], unit))
        elif page.type != ANNUAL_PAGE_TYPE and col is not None and col.column_type == ANNUAL_TYPE:
            match = _YEAR_RE.search(page.title)
            if match:
                out.append(AnnualReport(page, int(match.group(1)), unit))
    return out


def _unit_columns(site: Site) -> dict:
    """Each unit that publishes in the site → the top column of its 专栏 (信息公开专栏)."""
    tops: dict = {}
    for col in site.columns:
        unit = col.unit
        if unit is None or col.origin is not None:
            continue
        if col.parent is None or col.parent.unit != unit:
            tops.setdefault(unit.key, col)
    return tops


def deadline(cfg: CheckConfig, year: int, government: bool) -> dt.datetime:
    """When the 年报 of ``year`` is due: the end of the configured day of the following year
    (本级政府 3月31日, departments and units 1月31日 by default; 条例 第四十九条)."""
    month, day = (int(x) for x in cfg.annual_report["government" if government else "department"].split("-"))
    try:
        due = dt.date(year + 1, month, day)
    except ValueError:   # 02-30: the last day of that month
        due = dt.date(year + 1, month + 1, 1) - dt.timedelta(days=1) if month < 12 else dt.date(year + 1, 12, 31)
    return dt.datetime.combine(due, dt.time(23, 59, 59))


def disclosure(site: Site, cfg: CheckConfig) -> list[Finding]:
    """GK-1.present, GK-1.annual, GK-1.late."""
    config = site.config
    columns = _own_columns(site)
    reports = annual_reports(site)
    out = []
    wanted = (
        ("信息公开指南", lambda c: c.column_type == GUIDE_TYPE, GUIDE_TYPE, "xxgkzn"),
        ("信息公开目录", lambda c: c.column_type == CATALOGUE_TYPE and (c.parent is not None or not c.children)
         or "disclosure_catalogue" in c.views, CATALOGUE_TYPE, "xxgkml"),
        ("信息公开年报", lambda c: c.column_type == ANNUAL_TYPE, ANNUAL_TYPE, "xxgknb"),
    )
    for name, test, ctype, folder in wanted:
        if any(test(c) for c in columns):
            continue
        if ctype == ANNUAL_TYPE and any(r.unit is None for r in reports):
            continue
        out.append(make("GK-1.present", config.file, _kind_line(site), f"网站没有「{name}」栏目（功能规范 一(七)）",
                        f"新建栏目（例如 xxgk/{folder}/_column.yaml，写 name: {name} 和 type: {ctype}）并发布内容"
                        + ("；目录也可由栏目的 views: [disclosure_catalogue] 生成" if ctype == CATALOGUE_TYPE else "")))
    government = config.kind == PORTAL
    reporters: list[tuple[Unit | None, Column | None, bool]] = [(None, None, government)]
    for _key, top in sorted(_unit_columns(site).items()):
        reporters.append((top.unit, top, False))
    clock = site.clock
    for unit, top, gov in reporters:
        own = [r for r in reports if (r.unit.key if r.unit else None) == (unit.key if unit else None)]
        who = f"单位「{unit.name}」" if unit is not None else "本网站"
        place = top if top is not None else next((c for c in columns if c.column_type == ANNUAL_TYPE), None)
        path, line, url = ((place.file, place.line("name") if "name" in place.lines else 1, place.url)
                           if place is not None else (config.file, _kind_line(site), ""))
        if unit is not None and not own:
            out.append(make("GK-1.present", path, line, f"{who}的信息公开专栏没有政府信息公开工作年度报告（年报）",
                            f"在「{top.name if top else ''}」下新建 type: 信息公开年报 的栏目，按统一格式发布本单位年报"
                            "（type: annual_report）", url=url))
        # the latest year whose 年报 is due by now
        year = clock.year() - 1
        due = deadline(cfg, year, gov)
        if not clock.after(due):
            year -= 1
            due = deadline(cfg, year, gov)
        label = "本级政府年报" if gov else "年报"
        if not any(r.year == year for r in own):
            out.append(make("GK-1.annual", path, line,
                            f"{who}尚未发布 {year} 年政府信息公开工作年度报告（年报），{label}应于 "
                            f"{due:%Y-%m-%d} 前发布（条例 第四十九条）",
                            "按统一格式发布年报（type: annual_report，year: " + str(year) + "）；"
                            "期限可在 site.yaml 的 check.annual_report 中设置", url=url))
        for report in own:
            if report.page.date is None:
                continue
            own_due = deadline(cfg, report.year, gov)
            if report.page.date > own_due:
                out.append(make("GK-1.late", report.page.file, report.page.line("date"),
                                f"{report.year} 年年报发布于 {report.page.date:%Y-%m-%d}，晚于期限 {own_due:%Y-%m-%d}",
                                "年报应在期限前发布（条例 第四十九条）；发布日期如有误请改正 date",
                                url=report.page.url))
    return out


# -- CK-6 services --------------------------------------------------------------------------------
def services(site: Site, cfg: CheckConfig) -> list[Finding]:
    """CK-6 (单项否决: 无服务): service guides (type: service) on the site, the 政务服务 platform
    linked from site.yaml (``interaction.service_url``), or configured 办事入口 on the home page."""
    config = site.config
    if any(p.type == "service" for p in site.pages):
        return []
    if config.interaction.service_url or any(block.items for block in config.home_blocks):
        return []
    line = config.line_of("interaction") if "interaction" in config.raw else _kind_line(site)
    return [make("CK-6", config.file, line, "网站没有提供办事服务：没有办事指南（type: service），也没有链接政务服务平台",
                 "发布办事指南（docs/types-services.md），或在 site.yaml 的 interaction 中写 "
                 "service_url: 政务服务网的网址（例如 https://zwfw.example.gov.cn/）")]


# -- LK-3 links in reposts --------------------------------------------------------------------------
def _same_host(host: str, other: str) -> bool:
    """One host is the other or a subdomain of it, either way (www.gov.cn and gov.cn)."""
    return bool(host and other) and (host_matches(host, other) or host_matches(other, host))


def repost_links(site: Site, cfg: CheckConfig) -> list[Finding]:
    """LK-3: a repost keeps the original's text, and its links lead to the original (its host) or
    to this site; a link anywhere else was added on the way (or copied from an aggregator) and
    takes the visitor off the authoritative source. Line and column of each link."""
    domain = site.config.domain.lower()
    out = []
    for page in site.pages:
        if page.origin is not None or not page.is_repost or "http" not in page.body:
            continue
        reprint = page.info.get("reprint") or page.extra.get("reprint") or {}
        original = str(reprint.get("original_url") or "") if isinstance(reprint, dict) else ""
        original_host = host_of(original) if original else ""
        in_code = fenced(page.body)
        pos = Positions(page.body, page.body_line)
        for offset, link, _full in body_links(page.body):
            if link.startswith("//") or in_code(offset):   # written links to http(s) hosts only
                continue
            host = host_of(link)
            if not host or _same_host(host, domain) or _same_host(host, original_host):
                continue
            line, column = pos(offset)
            where = f"原文在「{original_host}」" if original_host else "未写明原文网址（reprint.original_url）"
            out.append(make("LK-3", page.file, line, f"转载的信息中有指向「{host}」的链接，不是原文网站（{where}）：{link}",
                            "转载时删除不必要的外部链接，只保留指向原文的链接（reprint.original_url）",
                            column=column, url=page.url))
    return out


# -- ID-1.valid identity values ---------------------------------------------------------------------
PLACEHOLDER_RE = re.compile(r"待填写|请填写|待补充|待定|[Xx×Ｘ]{3,}|○{2,}|(?i:\bTODO\b|\bTBD\b)")
_IDENTITY = (("name", "网站名称"), ("domain", "网站域名"), ("base_url", "base_url"), ("site_code", "政府网站标识码"),
             ("sponsor", "主办单位"), ("operator", "承办单位"), ("icp", "ICP备案编号"), ("psb", "公安机关备案号"),
             ("conac", "党政机关网站标识链接"))
_CONTACT = (("address", "地址"), ("phone", "电话"), ("email", "电子邮箱"), ("postcode", "邮政编码"))


def identity(site: Site, cfg: CheckConfig) -> list[Finding]:
    """ID-1.valid: identity values that are placeholders, not real (the footer and the meta tags
    show them to every visitor and every monitor)."""
    config = site.config
    out = []

    def bad(key_path: tuple, message: str, hint: str) -> None:
        out.append(make("ID-1.valid", config.file, config.line_of(*key_path), message, hint))

    values: list[tuple[tuple[str, ...], str, str]] = [((key,), label, str(getattr(config, key, "") or ""))
                                                     for key, label in _IDENTITY]
    values += [(("contact", key), label, str(config.contact.get(key, ""))) for key, label in _CONTACT]
    for path, label, value in values:
        found = PLACEHOLDER_RE.search(value)
        if found:
            bad(path, f"{label}「{value}」是占位内容（「{found.group(0)}」），不是实际信息",
                f"在 site.yaml 中填写真实的{label}")
    code = config.site_code or ""
    if code.lower().startswith("bm"):
        bad(("site_code",), f"政府网站标识码「{code}」以 bm 开头：bm 标识码只用于国务院部门网站，"
            f"{KIND_NAMES.get(config.kind, '本网站')}应使用 10 位数字标识码",
            "地方网站标识码 = 6位行政区划代码 + 4位序号，例如 1101020002；以网站普查时分配的标识码为准")
    conac = config.conac or ""
    if conac:
        ident = parse_qs(urlsplit(conac).query).get("id", [""])[0].strip()
        if ident in ("", "0") or set(ident) == {"0"}:
            bad(("conac",), f"党政机关网站标识链接中的 id 为「{ident or '空'}」，不是本网站的标识编号",
                "使用机构编制部门核发的标识链接，例如 https://bszs.conac.cn/sitename?method=show&id=（本网站的编号）")
    zero_codes: tuple[tuple[tuple[str, ...], str, str], ...] = (
        (("site_code",), "政府网站标识码", code),
        (("contact", "postcode"), "邮政编码", config.contact.get("postcode", "")),
        (("icp",), "ICP备案编号", "".join(re.findall(r"\d+", (config.icp or "").split("-")[0]))),
        (("psb",), "公安机关备案号", config.psb_code),
    )
    for path, label, digits in zero_codes:
        digits = str(digits or "")
        if len(digits) >= 6 and set(digits) == {"0"}:
            bad(path, f"{label}中的编号全为 0（{digits}），不是实际编号", f"在 site.yaml 中填写真实的{label}")
    return out


# -- CK-1.map 审图号 ----------------------------------------------------------------------------------
APPROVAL_RE = re.compile(r"^(GS|[\u4e00-\u9fff]{1,2}[A-Z]?S)[\u4e00-\u9fff]?[（(]\d{4}[）)]\d{1,6}号$")


def maps(site: Site, cfg: CheckConfig) -> list[Finding]:
    """CK-1.map: a page that shows a map (front matter ``map: true``) gives its 审图号
    (``map_approval_no``): a published map without one is a 问题地图 (地图管理条例 第十五条)."""
    out = []
    for page in site.pages:
        if page.origin is not None or page.extra.get("map") is not True:
            continue
        number = str(page.extra.get("map_approval_no") or "").strip()
        if not number:
            out.append(make("CK-1.map", page.file, page.line("map"), "页面标明含有地图（map: true），但没有写审图号",
                            "在 front matter 中写 map_approval_no: 审图号（例如 GS(2024)1234号、津S(2023)012号），"
                            "审图号由地图审核部门核发，页面在地图下方显示", url=page.url))
        elif not APPROVAL_RE.match(number):
            out.append(make("CK-1.map", page.file, page.line("map_approval_no"), f"审图号「{number}」格式不对",
                            "审图号形如 GS(2024)1234号、GS京(2023)0123号 或 津S(2023)012号", url=page.url))
    return out


ALL = (families, disclosure, services, repost_links, identity, maps)


def run(site: Site, cfg: CheckConfig) -> list[Finding]:
    out: list[Finding] = []
    for rule_set in ALL:
        out.extend(rule_set(site, cfg))
    return out
