"""Rules on the resolved site: identity, freshness, dates, sources, disclosure, replies, data sets.

These read the :class:`~govsite.model.Site` that the build pipeline resolves (front matter of
every page, the column tree, the check time) and never the rendered output. Each function
returns findings with the rule's default severity; the runner applies the site's settings.
Deadlines count working days through :mod:`govsite.workdays`.
"""
from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections import defaultdict

from govsite.config.check import CheckConfig
from govsite.content.model import Column, Page, Site
from govsite.core.clock import Clock
from govsite.core.dates import DateError, format_datetime, parse_datetime
from govsite.rules import gazette, presence
from govsite.rules.findings import Finding, make

STATIC_TYPES = {"概况信息", "机构职能", "负责人信息", "信息公开指南", "专题专栏",
                "信息公开制度", "依申请公开"}   # rules and the request procedure change seldom (docs/disclosure.md)
INTERACTION_TYPE = "互动交流"
PROVINCES = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
             50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82}
ICP_RE = re.compile(r"^[\u4e00-\u9fff]ICP备\d{6,10}号(-\d{1,3})?$")
PSB_RE = re.compile(r"^[\u4e00-\u9fff]公网安备\d{14}号$")
ATTRIBUTES = ("主动公开", "依申请公开", "不予公开")
INACTIVE_POLICY = {"已废止", "已失效"}
NAMED_ORIGIN = ("issuer", "publisher", "interpreting_org")   # 发文机关 etc. also name where a page comes from
FREQUENCY_DAYS = {
    "实时": 1, "每日": 1, "日": 1, "每天": 1, "每周": 7, "周": 7, "每月": 31, "月": 31,
    "每季度": 92, "季度": 92, "季": 92, "每半年": 183, "半年": 183, "每年": 366, "年": 366,
}
PERIOD_DAYS = {"month": 31, "quarter": 92, "half_year": 183, "year": 366,
               "月": 31, "季": 92, "季度": 92, "半年": 183, "年": 366}


def _day(value) -> str:
    return value.strftime("%Y-%m-%d")


def _parse(value):
    """A front-matter date or ``None``; ``DateError`` for a value that is not a date."""
    if value in (None, ""):
        return None
    return parse_datetime(value)


def all_pages(site: Site) -> list[Page]:
    """Every loaded page in a stable order, including drafts and scheduled ones. Copies of other
    sites' pages (资源库) are left out: their sources are checked by the owner's build."""
    return sorted((o for o in site.by_src.values() if isinstance(o, Page) and o.origin is None), key=lambda p: p.src)


def is_visible(page: Page, site: Site) -> bool:
    return not page.scheduled and not (page.draft and not site.drafts) and bool(page.url)


# -- identity (ID-1) ----------------------------------------------------------------------------
def identity(site: Site) -> list[Finding]:
    cfg = site.config
    out = []
    path = cfg.file

    def warn(key, message, hint):
        out.append(make("ID-1.format", path, cfg.line_of(key), message, hint))

    domain = cfg.domain.lower()
    if domain and not (domain == "gov.cn" or domain.endswith(".gov.cn")):
        warn("domain", f"网站域名「{cfg.domain}」不在 gov.cn 下", "政府网站一般使用 .gov.cn 域名；确属例外的请在 check.severity 中关闭 ID-1.format")
    host = cfg.base_url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0].lower()
    if host and domain and host != domain:
        warn("base_url", f"base_url 的主机「{host}」与网站域名「{cfg.domain}」不一致", "两者应指向同一个网站域名")
    code = cfg.site_code
    if re.fullmatch(r"\d{10}", code or "") and int(code[:2]) not in PROVINCES:
        warn("site_code", f"政府网站标识码「{code}」的前两位不是省级行政区划代码",
             "地方网站标识码 = 6位行政区划代码 + 4位序号，请核对")
    if cfg.icp and not ICP_RE.match(cfg.icp):
        warn("icp", f"ICP备案编号「{cfg.icp}」格式不常见", "例如 icp: 津ICP备05004743号-1")
    if cfg.psb and not PSB_RE.match(cfg.psb):
        warn("psb", f"公安机关备案号「{cfg.psb}」格式不常见", "例如 psb: 津公网安备12010102000001号")
    if cfg.conac and "conac.cn" not in cfg.conac:
        warn("conac", "党政机关网站标识链接不是 conac.cn 的地址", "例如 https://bszs.conac.cn/sitename?method=show&id=…")
    for key, label in (("email", "电子邮箱"), ("postcode", "邮编")):
        if key not in cfg.contact:
            warn("contact", f"联系方式缺少 contact.{key}（{label}）", f"在 contact 下填写 {key}: …")
    return out


# -- freshness (CK-3, CO-4, CK-4) -------------------------------------------------------------
def _date(page: Page) -> dt.datetime:
    """The date of a page these rules look at: a published page (``_newest``, ``is_visible``) has one."""
    assert page.date is not None, f"{page.src} has no date"
    return page.date


def _stale(page: Page, days: int, clock: Clock) -> bool:
    """More than ``days`` whole calendar days from a page's date to the build time's. Verdicts that
    count days count dates, so they flip at a midnight, and the findings name the day a page went
    overdue, not how many days ago that was: a rebuild on a later day where nothing flips gives
    the same findings (the whole-build shortcut's window, :mod:`govsite.core.clock`)."""
    return clock.more_days_than(_date(page), days)


def _overdue_from(page: Page, days: int) -> dt.date:
    """The first day on which :func:`_stale` holds."""
    return _date(page).date() + dt.timedelta(days=days + 1)


def _newest(pages, clock: Clock) -> Page | None:
    """The newest page that is not archived and not dated in the future."""
    best = None
    for page in pages:
        if page.date is None or page.archived_at is not None or not clock.reached(page.date):
            continue
        if best is None or page.date > best.date:
            best = page
    return best


def _should_update(col: Column) -> bool:
    return col.archived_at is None and col.column_type not in STATIC_TYPES


def freshness(site: Site, cfg: CheckConfig) -> list[Finding]:
    clock = site.clock
    out = []
    stale, long_stale, empty = [], [], []
    for col in site.columns:
        if col.archived_at is not None or col.is_topic or col.column_type == "专题专栏":
            continue
        leaf = not col.children
        newest = _newest(col.all_pages, clock)
        if not col.all_pages and leaf:
            empty.append(col)
        limit = cfg.freshness.get(col.column_type)
        if limit is not None:
            if newest is None or _stale(newest, limit, clock):
                last = (f"最新一条为 {_day(newest.date)}「{newest.title}」，{_day(_overdue_from(newest, limit))} 起超期"
                        if newest else "没有已发布的信息")
                out.append(make("CO-4", col.file, col.line("type") if "type" in col.lines else 1,
                                f"栏目「{col.name}」（{col.column_type}）超过 {limit} 天未更新：{last}",
                                "发布新内容；不再更新的栏目请归档（archived）。期限可在 site.yaml 的 check.freshness 中按栏目类别调整",
                                url=col.url))
                if leaf:
                    stale.append(col)
        if leaf and _should_update(col) and newest is not None and _stale(newest, cfg.long_stale_days, clock):
            long_stale.append(col)
    veto = cfg.veto
    config = site.config
    reasons = []
    if len(stale) >= veto["stale_columns"]:
        reasons.append(f"{len(stale)} 个动态类栏目未按期更新（不少于 {veto['stale_columns']} 个）：" + "、".join(c.name for c in stale[:10]))
    if len(empty) >= veto["empty_columns"]:
        reasons.append(f"{len(empty)} 个空白栏目（不少于 {veto['empty_columns']} 个）：" + "、".join(c.name for c in empty[:10]))
    if len(long_stale) >= veto["long_stale_columns"]:
        reasons.append(f"{len(long_stale)} 个栏目超过 {cfg.long_stale_days} 天未更新（不少于 {veto['long_stale_columns']} 个）："
                       + "、".join(c.name for c in long_stale[:10]))
    for reason in reasons:
        out.append(make("CK-4", config.file, 1, f"栏目不更新，达到单项否决标准：{reason}",
                        "逐个更新、合并或归档这些栏目"))
    out.extend(home_freshness(site, cfg))
    return out


def home_columns(site: Site) -> list[Column]:
    """The columns whose latest items the home page shows (as the renderer chooses them)."""
    config = site.config
    by_src = {c.src: c for c in site.columns}
    home = config.home if isinstance(config.home, dict) else {}
    if config.home_blocks:   # 首页区块 (govsite.render.home): the columns every block names
        names = [src for block in config.home_blocks for src in block.columns]
    else:
        names = home.get("blocks") or [c.src for c in site.channels]
    if not isinstance(names, list):
        names = [names]
    cols = [by_src[str(n).strip("/")] for n in names if str(n).strip("/") in by_src]
    reprint = by_src.get(str(home.get("reprint_column", "")).strip("/"))
    if reprint is not None:
        cols.append(reprint)
    cols.extend(t for t in site.topics if t.archived_at is None)
    return cols


def home_freshness(site: Site, cfg: CheckConfig) -> list[Finding]:
    """CK-3: 监测2周，首页无信息更新 — the newest item linked from the home page."""
    config = site.config
    cols = home_columns(site)
    newest = _newest((p for c in cols for p in c.all_pages), site.clock)
    line = config.line_of("home") if "home" in config.raw else 1
    if newest is None:
        return [make("CK-3", config.file, line, "首页没有显示任何已发布的信息",
                     "在首页栏目（home.blocks 或频道）中发布内容", url="index.html")]
    if _stale(newest, cfg.home_days, site.clock):
        return [make("CK-3", config.file, line,
                     f"首页超过 {cfg.home_days} 天未更新（{_day(_overdue_from(newest, cfg.home_days))} 起）："
                     f"最新一条为 {_day(newest.date)}「{newest.title}」",
                     "在首页显示的栏目中发布新信息（监测2周首页无更新即单项否决）", url="index.html")]
    return []


# -- dates and sources (CK-1.date, CP-1, CP-4, CP-1.dup) ---------------------------------------
def dates_and_sources(site: Site, cfg: CheckConfig) -> list[Finding]:
    out = []
    sponsor = site.config.sponsor
    for page in (p for p in site.pages if p.origin is None):
        if page.date and page.publish is None and not site.clock.reached(page.date):
            out.append(make("CK-1.date", page.file, page.line("date"),
                            f"发布时间 {format_datetime(page.date)} 晚于本次生成的时间，页面却已公开",
                            "改正 date；要定时发布，请加 publish: 发布时间（到时才生成页面）", url=page.url))
        col = page.column
        if page.is_repost:
            reprint = page.extra.get("reprint")
            info = reprint if isinstance(reprint, dict) else {}
            missing = []
            if not (page.source or info.get("original_site")):
                missing.append("来源（source 或 reprint.original_site）")
            if not info.get("original_url") and not re.search(r"https?://", page.body):
                missing.append("原文链接（reprint.original_url）")
            if missing:
                out.append(make("CP-4", page.file, page.line("reprint") if "reprint" in page.lines else page.line("title"),
                                f"转载的信息缺少{'和'.join(missing)}",
                                "写明 reprint: {original_site: 中国政府网, original_url: https://…, original_published: …}",
                                url=page.url))
        elif (not page.source and (col is None or col.default_source == sponsor) and page.type != "leader"
              and not any(str(page.extra.get(k) or "").strip() for k in NAMED_ORIGIN)):
            out.append(make("CP-1", page.file, page.line("title"),
                            f"页面没有写明信息来源，显示为网站主办单位「{sponsor}」",
                            "在 front matter 中写 source: 信息来源，或在栏目 _column.yaml 中写默认的 source",
                            url=page.url))
    out.extend(duplicates(site, cfg))
    return out


def reprint_lag(site: Site, cfg: CheckConfig) -> list[Finding]:
    """CP-4.lag (research L6): superior and portal information is reposted quickly — never later
    than 1 working day, 12 hours in Tianjin (TJ 第十六条(二)). ``N wd`` ends with the N-th working
    day after the original's publication (a Friday-evening original may wait until Monday night);
    ``N h`` counts clock hours. Both times are in the page, so the verdict never depends on today."""
    amount, unit = cfg.reprint_limit
    label = f"{amount} 小时" if unit == "h" else f"{amount} 个工作日"
    out = []
    for page in site.pages:
        original = (page.info.get("reprint") or {}).get("original_published")
        if original is None or page.date is None:
            continue
        if unit == "h":
            deadline = original + dt.timedelta(hours=amount)
        else:
            deadline = dt.datetime.combine(cfg.calendar.add(original, amount), dt.time(23, 59, 59))
        if page.date > deadline:
            out.append(make("CP-4.lag", page.file, page.line("reprint"),
                            f"转载晚于时限：原文发布于 {format_datetime(original)}，本站发布于 {format_datetime(page.date)}，"
                            f"超过 {label}（期限 {format_datetime(deadline)}）",
                            "上级和门户网站的政策信息应及时转载（目标1小时内，最迟1个工作日）；"
                            "时限可在 site.yaml 的 check.reprint_limit 中设置，例如 12h 或 1wd", url=page.url))
    return out


def _norm_title(title: str) -> str:
    return re.sub(r"[\s\u3000]+", "", title)


def duplicates(site: Site, cfg: CheckConfig) -> list[Finding]:
    if cfg.duplicate_days <= 0:
        return []
    out = []
    window = dt.timedelta(days=cfg.duplicate_days)
    for col in site.columns:
        groups = defaultdict(list)
        for page in col.pages:
            groups[_norm_title(page.title)].append(page)
        for pages in groups.values():
            if len(pages) < 2:
                continue
            pages.sort(key=lambda p: (p.date, p.src))
            for before, after in zip(pages, pages[1:], strict=False):
                if after.date - before.date <= window:
                    out.append(make("CP-1.dup", after.file, after.line("title"),
                                    f"栏目「{col.name}」中 {cfg.duplicate_days} 天内有同名信息「{after.title}」"
                                    f"（另见 {before.src}，{_day(before.date)}）",
                                    "删除重复发布的一条，或修改标题加以区分", url=after.url))
    return out


# -- references between pages -------------------------------------------------------------------
def _target(site: Site, page: Page, ref) -> object | None:
    """A page/column named by ``ref``: relative to the page's file, else to the content root."""
    ref = str(ref).strip()
    if not ref:
        return None
    here = posixpath.dirname(page.src)
    for base in (here, ""):
        key = posixpath.normpath(posixpath.join(base, ref)).rstrip("/")
        if key.endswith("/_column.yaml"):
            key = key[: -len("/_column.yaml")]
        found = site.by_src.get(key)
        if found is not None:
            return found
    return None


def _refs(value) -> list:
    if value in (None, ""):
        return []
    return value if isinstance(value, list) else [value]


# -- disclosure (GK-2, GK-3, GK-4) -------------------------------------------------------------
def interpretations(site: Site, cfg: CheckConfig) -> list[Finding]:
    """GK-4: a policy is interpreted within N working days, or says why it needs none."""
    out = []
    cal = cfg.calendar
    settings = cfg.interpretation
    by_policy: dict[str, list[Page]] = defaultdict(list)
    pages = all_pages(site)
    for page in pages:
        if page.type != "interpretation":
            continue
        refs = _refs(page.extra.get("interprets"))
        if not refs:
            out.append(make("GK-4", page.file, page.line("type"), "解读没有写明所解读的政策文件（interprets）",
                            "写 interprets: [政策文件的 .md 相对路径]", url=page.url))
        for ref in refs:
            target = _target(site, page, ref)
            if not isinstance(target, Page):
                out.append(make("LK-1", page.file, page.line("interprets"), f"interprets 中的「{ref}」不是本站的页面",
                                "写政策文件 .md 源文件的相对路径，例如 ../../zcwj/qzfwj/a.md", url=page.url))
            elif is_visible(page, site):
                by_policy[target.src].append(page)
    for page in pages:
        if page.type != "policy" or not is_visible(page, site):
            continue
        extra = page.extra
        if str(extra.get("status", "")).strip() in INACTIVE_POLICY:
            continue
        if settings.get("since") and _date(page).date() < settings["since"]:
            continue
        reason = str(extra.get("no_interpretation_reason") or "").strip()
        needs = extra.get("needs_interpretation")
        kind = str(extra.get("doc_kind") or "").strip()
        if reason or (needs is not True and kind and kind not in settings["doc_kinds"]):
            continue
        n = settings["working_days"]
        deadline = cal.add(page.date, n)
        interps = sorted(by_policy.get(page.src, []), key=_date)
        line = page.line("needs_interpretation") if "needs_interpretation" in page.lines else page.line("type")
        if not interps:
            if site.clock.past(deadline):
                why = "（needs_interpretation: false 但没有写 no_interpretation_reason）" if needs is False else ""
                out.append(make("GK-4", page.file, line,
                                f"政策文件发布已超过 {n} 个工作日（期限 {_day(deadline)}），没有解读，也没有说明不解读的理由{why}",
                                "发布解读（type: interpretation，interprets: [本文件的相对路径]），"
                                "或写明 no_interpretation_reason: 不需解读的理由", url=page.url))
        elif _date(interps[0]).date() > deadline:
            first = interps[0]
            out.append(make("GK-4.late", page.file, line,
                            f"解读「{first.title}」发布于 {_day(first.date)}，晚于政策发布后 {n} 个工作日（期限 {_day(deadline)}）",
                            "解读应与政策文件同步或在3个工作日内发布", url=page.url))
    return out


def _catalogue_rule(page: Page):
    limit = page.extra.get("time_limit")
    if isinstance(limit, dict) and isinstance(limit.get("rule"), dict):
        return limit["rule"]
    return None


def catalogue(site: Site, cfg: CheckConfig) -> list[Finding]:
    """GK-2 required elements of catalogue items; GK-3 periodic items overdue; GK-2.reason."""
    out = []
    clock = site.clock
    required = {"content": "公开内容", "basis": "公开依据", "time_limit": "公开时限", "subject": "公开主体",
                "mode": "公开方式"}
    for page in all_pages(site):
        extra = page.extra
        # GK-2.reason: 依申请公开 / 不予公开 need their reason
        disclosure = extra.get("disclosure")
        attribute, reason = None, extra.get("disclosure_reason")
        if isinstance(disclosure, dict):
            attribute, reason = disclosure.get("attribute"), disclosure.get("reason") or reason
        elif disclosure not in (None, ""):
            attribute = disclosure
        if attribute not in (None, ""):
            line = page.line("disclosure")
            attribute = str(attribute).strip()
            if attribute not in ATTRIBUTES:
                out.append(make("GK-2.reason", page.file, line, f"公开属性「{attribute}」无效",
                                "可选：主动公开、依申请公开、不予公开", url=page.url))
            elif attribute != "主动公开" and not str(reason or "").strip():
                out.append(make("GK-2.reason", page.file, line, f"公开属性为「{attribute}」，但没有写明依据和理由",
                                "写 disclosure: {attribute: " + attribute + ", reason: 依据和理由}", url=page.url))
        if page.type != "catalogue_item":
            continue
        missing = [f"{k}（{v}）" for k, v in required.items() if extra.get(k) in (None, "", [], {})]
        if missing:
            out.append(make("GK-2", page.file, page.line("type"), "目录事项缺少要素：" + "、".join(missing),
                            "标准目录每一项至少写明公开内容、依据、时限、主体和方式（见 docs/check.md）", url=page.url))
        mode = extra.get("mode")
        if mode not in (None, "") and str(mode).strip() not in ("主动公开", "依申请公开"):
            out.append(make("GK-2", page.file, page.line("mode"), f"公开方式「{mode}」无效", "可选：主动公开、依申请公开",
                            url=page.url))
        targets = []
        for ref in _refs(extra.get("site_targets")):
            target = _target(site, page, ref)
            if target is None or not isinstance(target, (Page, Column)):
                out.append(make("LK-1", page.file, page.line("site_targets"), f"site_targets 中的「{ref}」不是本站的栏目或页面",
                                "写栏目目录（如 xxgk/czyjs）或页面 .md 的路径", url=page.url))
            else:
                targets.append(target)
        rule = _catalogue_rule(page)
        if rule and str(rule.get("kind", "")) == "periodic" and targets:
            every = str(rule.get("every", ""))
            days = PERIOD_DAYS.get(every)
            if days is None:
                out.append(make("GK-2", page.file, page.line("time_limit"), f"time_limit.rule.every「{every}」无法识别",
                                "可选：month、quarter、half_year、year", url=page.url))
                continue
            grace = rule.get("grace_days", 0) if isinstance(rule.get("grace_days", 0), int) else 0
            pages = [p for t in targets for p in (t.all_pages if isinstance(t, Column) else [t])
                     if is_visible(p, site)]
            newest = _newest(pages, clock)
            if newest is None or _stale(newest, days + grace, clock):
                last = f"最新一条为 {_day(newest.date)}「{newest.title}」" if newest else "对应栏目中没有已发布的信息"
                out.append(make("GK-3", page.file, page.line("time_limit"),
                                f"目录事项「{page.title}」应按{every}公开，已超期：{last}",
                                "发布本期信息，或核对 time_limit 与 site_targets", url=page.url))
    return out


def disclosure_deadlines(site: Site, cfg: CheckConfig) -> list[Finding]:
    """GK-3: information is published within N working days of being formed or changed."""
    out = []
    cal = cfg.calendar
    clock = site.clock
    for page in all_pages(site):
        extra = page.extra
        if page.type == "catalogue_item":
            continue
        disclosure = extra.get("disclosure")
        attribute = disclosure.get("attribute") if isinstance(disclosure, dict) else disclosure
        if attribute in ("依申请公开", "不予公开"):
            continue
        # the clock starts when the information is formed (created; 成文 signed for policies) and
        # restarts when it changes (updated)
        formed, key = None, ""
        for name in ("updated", "created") + (("signed",) if page.type == "policy" else ()):
            try:
                value = _parse(extra.get(name))
            except (DateError, TypeError) as exc:
                out.append(make("GK-3", page.file, page.line(name), f"{name} 日期无法识别：{exc}", "写成 YYYY-MM-DD",
                                url=page.url))
                value = None
            if value is not None:
                formed, key = value, name
                break
        if formed is None:
            continue
        n = cfg.disclosure_days
        for ref in _refs(extra.get("catalogue_items")):
            item = _target(site, page, ref)
            rule = _catalogue_rule(item) if isinstance(item, Page) else None
            if rule and str(rule.get("kind")) == "working_days" and isinstance(rule.get("n"), int):
                n = min(n, rule["n"]) if n != cfg.disclosure_days else rule["n"]
        deadline = cal.add(formed, n)
        label = {"updated": "变更", "created": "形成", "signed": "成文"}[key]
        if is_visible(page, site):
            if _date(page).date() > deadline:
                out.append(make("GK-3.late", page.file, page.line("date"),
                                f"{label}日期 {_day(formed)} 后 {n} 个工作日内应公开（期限 {_day(deadline)}），实际 {_day(page.date)} 才发布",
                                "按时限公开；如时限不同，在对应目录事项的 time_limit 中写明", url=page.url))
        else:
            planned = page.publish if page.publish and not page.draft else None
            overdue = clock.past(deadline)
            if overdue or (planned is not None and planned.date() > deadline):
                state = f"定于 {_day(planned)} 发布" if planned is not None and not overdue else "尚未发布"
                out.append(make("GK-3", page.file, page.line(key),
                                f"{label}日期 {_day(formed)} 后 {n} 个工作日内应公开（期限 {_day(deadline)}），该信息{state}",
                                "尽快审核发布（去掉 draft，或提前 publish 时间）"))
    return out


# -- interaction (IA-1, CK-5) -------------------------------------------------------------------
def replies(site: Site, cfg: CheckConfig) -> list[Finding]:
    out = []
    clock = site.clock
    cal = cfg.calendar
    settings = cfg.reply
    channel = site.config.interaction
    if not any(c.column_type == INTERACTION_TYPE for c in site.columns) \
            and not (channel.consult_url or channel.letter_url):   # the platform's 我要咨询 / 我要写信 count
        out.append(make("CK-5.channel", site.config.file, 1,
                        "网站没有互动交流类栏目（网上咨询建言渠道）；没有有效咨询渠道属于单项否决",
                        "建立 type: 互动交流 的栏目，公开留言答复；或在 site.yaml 的 interaction: 中写明"
                        "统一互动交流平台的 consult_url（我要咨询）或 letter_url（我要写信）"))
    for page in all_pages(site):
        if page.type != "reply":
            continue
        info = page.info
        received = info.get("received")
        if received is None:
            continue  # a missing or unreadable 受理日期 stops the build; it is reported there (IA-1)
        replied = info.get("replied")
        status = info.get("status", "")
        # the type resolved deadline / deadline.extended_to against the same check.reply setting
        n = info.get("working_days") if page.extra.get("deadline") is not None else settings["working_days"]
        n = n or settings["working_days"]
        deadline = cal.add(received, n)
        recent = not clock.more_days_than(received, settings["window_days"])   # in days (see _stale)
        if replied is None:
            if status not in ("不予受理", "无法办理") and clock.past(deadline):
                out.append(make("IA-1", page.file, page.line("received"),
                                f"留言 {_day(received)} 受理，已超过 {n} 个工作日（期限 {_day(deadline)}）仍未答复",
                                "尽快答复并写 replied: 答复日期", url=page.url))
        elif replied.date() > deadline and recent:
            out.append(make("IA-1.late", page.file, page.line("replied") if "replied" in page.lines else page.line("received"),
                            f"留言 {_day(received)} 受理，{_day(replied)} 才答复，超过 {n} 个工作日（期限 {_day(deadline)}）",
                            "答复应在15个工作日内作出；情况复杂的写明 deadline: {extended_to: 工作日数, reason: …}",
                            url=page.url))
        limit = received.date() + dt.timedelta(days=settings["veto_days"])
        late = replied.date() > limit if replied else clock.past(limit)
        if recent and late and status not in ("不予受理", "无法办理"):
            state = f"{_day(replied)} 才答复" if replied else "至今未答复"
            out.append(make("CK-5", page.file, page.line("received"),
                            f"留言 {_day(received)} 受理，{state}，超过 {settings['veto_days']} 天（近一年内超过3个月未回应留言属于单项否决）",
                            "立即答复并公开", url=page.url))
    return out


# -- data sets (DA-2) -----------------------------------------------------------------------------
def datasets(site: Site, cfg: CheckConfig) -> list[Finding]:
    out = []
    for page in all_pages(site):
        if page.type != "dataset" or not is_visible(page, site):
            continue
        extra = page.extra
        if page.status == "过期失效" or str(extra.get("status") or "").strip() in ("过期失效", "已失效"):
            continue  # expired data (written, or past its expires date) is marked, not stale
        freq = str(page.info.get("update_frequency") or extra.get("update_frequency") or "").strip()
        if not freq or freq == "不定期":
            continue
        days = FREQUENCY_DAYS.get(freq)
        if days is None:
            out.append(make("DA-2", page.file, page.line("update_frequency"), f"无法识别的更新频率「{freq}」",
                            "可选：实时、日、周、月、季度、半年、年、不定期", url=page.url))
            continue
        try:
            last = page.info.get("last_updated") or _parse(extra.get("last_updated")) or _date(page)
        except (DateError, TypeError) as exc:
            out.append(make("DA-2", page.file, page.line("last_updated"), f"last_updated 无法识别：{exc}", "写成 YYYY-MM-DD",
                            url=page.url))
            continue
        due = last + dt.timedelta(days=days + cfg.dataset_grace_days)
        if site.clock.past(due):   # in days (see _stale)
            out.append(make("DA-2", page.file, page.line("last_updated") if "last_updated" in page.lines else page.line("date"),
                            f"数据集按「{freq}」更新，最近一次更新为 {_day(last)}，已于 {_day(due)} 到期",
                            "更新数据和 last_updated；已停止更新的数据集写 status: 过期失效", url=page.url))
    return out


ALL = (freshness, dates_and_sources, reprint_lag, interpretations, catalogue, disclosure_deadlines, replies, datasets,
       gazette.coverage, *presence.ALL)


def run(site: Site, cfg: CheckConfig) -> list[Finding]:
    out = identity(site)
    for rule_set in ALL:
        out.extend(rule_set(site, cfg))
    return out
