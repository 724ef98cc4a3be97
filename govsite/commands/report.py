"""``govsite report annual``: the content figures of the 政府网站工作年度报表 (SPEC RP-1).

Every site publishes a yearly website work report before 31 January (国办 《政府网站发展指引》,
TJ 第十五条(六)). Part of it — platform, dissemination, mechanisms — is known only to the office
that runs the site, but the publishing figures can be counted from the site itself, and counting
them from the files is the only way to make them 「数据准确」 (research I2, I6):

- items published in the year, per 栏目类别 (ColumnType) and per channel (频道) and content type;
- policy documents (S1) by 文件类别 and current 效力状态, and documents repealed or expired in the year;
- interpretations (S2), by form, with the share of non-text forms (图解, 视频 … ; the provincial
  targets are ≥70% / ≥90%);
- replies (S6): received, answered, and average / longest working days to answer, on the site's
  own working-day calendar (``check: workdays:`` in site.yaml, :mod:`govsite.workdays`);
- open data sets (S7) and topics (专题).

"Published in year Y" means: shown on the site (not a draft, not withheld by its 公开属性, its
``publish`` time reached) with a 发布时间 in Y — a page that has expired since still counts,
because it was published that year. The figures are written as an HTML page through the site's
theme and as JSON, both byte-identical for the same sources and ``--now``; the build clock appears
only as the 统计截止 time when the year is not over yet.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from govsite.config.check import load_check_config
from govsite.content.model import Page
from govsite.core.dates import DateError, format_datetime, parse_datetime
from govsite.core.errors import Report
from govsite.core.vocab import COLUMN_TYPES
from govsite.core.writer import OutputDir
from govsite.pipeline.build import BuildOptions, load_and_check
from govsite.render import meta
from govsite.render.pages import SiteRenderer
from govsite.site.types import LABELS
from govsite.site.types.interpretation import FORMS
from govsite.site.types.policy import DOC_KINDS, STATUSES as POLICY_STATUSES

FIRST_YEAR = 1990
JSON_FILE = "report.json"
HTML_FILE = "index.html"
TEXT_FORM = "文字"
NOT_HANDLED = ("不予受理", "无法办理")


class ReportFailed(Exception):
    """The report cannot be made; carries the problems (in Chinese, with file:line where known)."""

    def __init__(self, report: Report):
        super().__init__(f"{len(report.errors)} error(s)")
        self.report = report


@dataclass
class ReportResult:
    out: Path
    figures: dict


# -- which pages ---------------------------------------------------------------------------------
def published_pages(site) -> list[Page]:
    """Every page that has been on the site by ``site.now``: visible now, or expired since.

    Drafts and pages withheld by their 公开属性 never were; a page whose ``publish`` time is still
    ahead is not yet. Copies of other sites' pages (资源库 ``include:``) count for their owner.
    """
    out = []
    visible = set(map(id, site.pages))
    for page in (o for o in site.by_src.values() if isinstance(o, Page) and o.origin is None):
        if not page.url or page.draft:
            continue
        if id(page) in visible:
            out.append(page)
        elif page.scheduled and page.expire and page.expire <= site.now and (page.publish is None or page.publish <= site.now):
            out.append(page)
    return sorted(out, key=lambda p: (p.date, p.src))


def _in_year(value, year: int) -> bool:
    return value is not None and value.year == year


# -- figures -------------------------------------------------------------------------------------
def figures(site, year: int) -> dict:
    """The report's figures for ``year`` as plain, JSON-ready data (sorted, no floats beyond 1 decimal)."""
    config = site.config
    end = dt.datetime(year, 12, 31, 23, 59, tzinfo=site.now.tzinfo)
    pages = published_pages(site)
    in_year = [p for p in pages if _in_year(p.date, year) and p.date <= site.now]
    calendar = load_check_config(config)[0].calendar
    out = {
        "site": config.key,
        "site_name": config.name,
        "site_code": config.site_code,
        "sponsor": config.sponsor,
        "year": year,
        "period": {"from": f"{year}-01-01", "to": f"{year}-12-31"},
        "as_of": format_datetime(min(site.now, end)),
        "complete_year": site.now > end,
        "published": _published(site, in_year),
        "policies": _policies(pages, in_year, year),
        "interpretations": _interpretations(in_year),
        "replies": _replies(pages, year, site.now, calendar),
        "datasets": _datasets(site, pages, in_year, year),
        "topics": _topics(site, in_year, year),
    }
    # years whose holidays the calendar did not know while counting (Monday–Friday was used)
    out["replies"]["calendar_fallback_years"] = sorted(calendar.fallback_years)
    out["form"] = _form(out, site, pages, in_year, year)
    return out


# -- the national form (政府网站工作年度报表) ----------------------------------------------------------
OVERVIEW_TYPES = ("概况信息", "机构职能", "负责人信息")
NEWS_TYPES = ("政务动态", "通知公告")
RESPONSE_TYPE = "回应关切"
MATERIAL_FORMS = ("文字",)
COMMENT_FORMS = ("媒体评论",)


def _form(out: dict, site, pages, in_year, year) -> list[dict]:
    """The content rows of the national form, each with the rule it was counted by (``basis``),
    so the office can see — and, where its practice differs, correct — what each number means."""
    def rows(section, *items):
        return [{"section": section, "item": item, "value": value, "unit": unit, "basis": basis}
                for item, value, unit, basis in items]

    by_type = counts_by(p.column.column_type for p in in_year)
    forms = counts_by(p.info.get("form") or "" for p in in_year if p.type == "interpretation")
    products = sum(n for f, n in forms.items() if f and f not in MATERIAL_FORMS + COMMENT_FORMS)
    replies = out["replies"]
    consultations = [p for p in in_year if p.type == "consultation"]
    results = [_value(p, "result") for p in consultations]
    received = [r.get("received") for r in results if isinstance(r, dict)]
    maintained, opened = _topic_years(site, pages, year)
    return (
        rows("信息发布",
             ("总数", out["published"]["total"], "条", "发布时间在本年度的全部信息"),
             ("概况类信息更新量", sum(by_type.get(t, 0) for t in OVERVIEW_TYPES), "条",
              "栏目类别为" + "、".join(OVERVIEW_TYPES) + "的信息"),
             ("政务动态信息更新量", sum(by_type.get(t, 0) for t in NEWS_TYPES), "条",
              "栏目类别为" + "、".join(NEWS_TYPES) + "的信息"),
             ("信息公开目录信息更新量", sum(1 for p in in_year if p.index_no), "条", "有索引号（纳入政府信息公开目录）的信息"))
        + rows("专栏专题",
               ("维护数量", maintained, "个", "本年度未归档或本年度内归档的专题"),
               ("新开设数量", opened, "个", "最早一条信息发布于本年度的专题"))
        + rows("解读回应",
               ("解读信息发布总数", out["interpretations"]["total"], "条", "政策解读（type: interpretation）"),
               ("其中：解读材料数量", sum(forms.get(f, 0) for f in MATERIAL_FORMS), "条", "解读形式为文字"),
               ("其中：解读产品数量", products, "个", "解读形式为图解、图表、问答、音频、视频、动漫、新闻发布会、在线访谈"),
               ("其中：媒体评论文章数量", sum(forms.get(f, 0) for f in COMMENT_FORMS), "篇", "解读形式为媒体评论"),
               ("回应公众关注热点或重大舆情数量", by_type.get(RESPONSE_TYPE, 0), "次", "栏目类别为回应关切的信息"))
        + rows("互动交流",
               ("收到留言数量", replies["total"], "条", "受理日期在本年度的留言答复"),
               ("办结留言数量", replies["replied"] + replies["not_handled"], "条", "已答复，或不予受理、无法办理的留言"),
               ("平均办理时间", replies["average_working_days"], "个工作日", "受理日期至答复日期的工作日数的平均值"),
               ("公开答复数量", sum(1 for p in in_year if p.type == "reply"), "条", "发布时间在本年度的留言答复页面"),
               ("征集调查期数", len(consultations), "期", "发布时间在本年度的意见征集（type: consultation）"),
               ("收到意见数量", sum(n for n in received if isinstance(n, int) and not isinstance(n, bool))
                if received else None, "条", "意见征集 result.received 之和"),
               ("公布调查结果期数", sum(1 for r in results if r), "期", "写明 result（征集结果）的意见征集"))
    )


def counts_by(values) -> dict:
    found: dict = {}
    for value in values:
        found[value] = found.get(value, 0) + 1
    return found


def _topic_years(site, pages, year) -> tuple[int, int]:
    start = dt.datetime(year, 1, 1)
    maintained = opened = 0
    for topic in site.topics:
        if topic.archived_at is None or topic.archived_at >= start:
            maintained += 1
        dates = [p.date for p in pages if topic in p.topics or p.column is topic or topic in p.column.ancestors]
        if dates and min(dates).year == year:
            opened += 1
    return maintained, opened


def _count(values, order=()) -> list[dict]:
    """``[{name, count}]``: names in ``order`` first (those with a count), then the rest sorted."""
    counts = counts_by(values)
    names = [n for n in order if n in counts] + sorted(n for n in counts if n not in order)
    return [{"name": n, "count": counts[n]} for n in names]


def _published(site, in_year) -> dict:
    channels = {c.src: c for c in site.channels}
    by_channel = []
    order = [c.src for c in site.channels] + sorted(c.src for c in site.roots if c.src not in channels)
    tops = {c.src: c for c in site.roots}
    counts: dict = {}
    for page in in_year:
        top = page.column.channel.src
        counts[top] = counts.get(top, 0) + 1
    for src in order:
        if counts.get(src):
            by_channel.append({"name": tops[src].name, "column": src, "count": counts[src],
                               "in_navigation": src in channels})
    return {
        "total": len(in_year),
        "by_column_type": _count((p.column.column_type for p in in_year), COLUMN_TYPES),
        "by_channel": by_channel,
        "by_content_type": _count((LABELS.get(p.type, p.type) for p in in_year), tuple(LABELS.values())),
    }


def _policies(pages, in_year, year) -> dict:
    policies = [p for p in in_year if p.type == "policy"]
    changed = [p for p in pages if p.type == "policy" and p.status not in ("", "有效") and _in_year(p.status_date, year)]
    return {
        "total": len(policies),
        "by_doc_kind": _count((p.info.get("doc_kind") or "未注明" for p in policies), DOC_KINDS),
        "by_status": _count((p.status or "未注明" for p in policies), POLICY_STATUSES),
        "status_changed_in_year": _count((p.status for p in changed), POLICY_STATUSES),
        "interpreted": sum(1 for p in policies if p.linked("interpreted_by")),
    }


def _interpretations(in_year) -> dict:
    items = [p for p in in_year if p.type == "interpretation"]
    forms = [p.info.get("form") or "未注明" for p in items]
    non_text = sum(1 for f in forms if f not in (TEXT_FORM, "未注明"))
    return {
        "total": len(items),
        "by_form": _count(forms, FORMS),
        "non_text": non_text,
        "non_text_share": _percent(non_text, len(items)),
        # S2: each principal leader (主要负责人) interprets at least one policy a year
        "by_principal_leader": _count(p.info.get("interpreter_name") or "未注明" for p in items
                                      if p.info.get("interpreter_role") == "主要负责人"),
    }


def _value(page, key):
    """A reply field: the reply type's checked value when it has one, else the raw front matter."""
    if key in page.info:
        return page.info[key]
    return page.extra.get(key)


def _date(value):
    if value in (None, ""):
        return None
    try:
        return parse_datetime(value)
    except (DateError, TypeError, ValueError):
        return None


def _replies(pages, year, now, calendar) -> dict:
    """Messages received in the year (受理日期; the page date when none is written)."""
    received = []
    for page in pages:
        if page.type != "reply":
            continue
        when = _date(_value(page, "received")) or page.date
        if _in_year(when, year) and when <= now:
            received.append((page, when))
    days, pending, not_handled = [], 0, 0
    for page, when in received:
        replied = _date(_value(page, "replied") or _value(page, "answered"))
        status = str(_value(page, "status") or "").strip()
        if replied is not None and replied <= now:
            days.append(calendar.between(when, replied))
        elif status in NOT_HANDLED:
            not_handled += 1
        else:
            pending += 1
    return {
        "total": len(received),
        "replied": len(days),
        "not_handled": not_handled,
        "pending": pending,
        "by_kind": _count(str(_value(p, "kind") or "未注明").strip() for p, _ in received),
        "average_working_days": round(sum(days) / len(days), 1) if days else None,
        "max_working_days": max(days) if days else None,
    }


def _datasets(site, pages, in_year, year) -> dict:
    all_sets = [p for p in pages if p.type == "dataset"]
    current = [p for p in site.pages if p.type == "dataset"]
    new = [p for p in in_year if p.type == "dataset"]
    formats = sorted({d["format"] for p in current for d in p.info.get("files", [])})
    return {
        "published": len(new),
        "updated": sum(1 for p in all_sets if _in_year(p.info.get("last_updated"), year)),
        "current": len(current),
        "expired": sum(1 for p in current if p.status == "过期失效"),
        "files": sum(len(p.info.get("files", [])) for p in current),
        "formats": [f.upper() for f in formats],
        "by_topic": _count(p.info.get("topic") or "未注明" for p in new),
    }


def _topics(site, in_year, year) -> dict:
    rows = []
    for topic in site.topics:
        count = sum(1 for p in in_year if topic in p.topics or p.column is topic or topic in p.column.ancestors)
        archived = topic.archived_at
        if count or _in_year(archived, year):
            rows.append({"name": topic.name, "column": topic.src, "count": count,
                         "archived": archived.strftime("%Y-%m-%d") if archived else None})
    rows.sort(key=lambda r: (-r["count"], r["column"]))
    return {
        "total": len(site.topics),
        "active": sum(1 for r in rows if r["count"]),
        "archived_in_year": sum(1 for t in site.topics if _in_year(t.archived_at, year)),
        "pages": sum(r["count"] for r in rows),
        "columns": rows,
    }


def _percent(part: int, whole: int):
    return round(100 * part / whole, 1) if whole else None


# -- writing -------------------------------------------------------------------------------------
def default_out(project: Path, key: str, year: int) -> Path:
    return Path(project) / "build" / f"{key}-report-{year}"


def parse_year(value) -> int | None:
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return year


def annual_report(project: Path, key: str, year, out: Path | None = None, now=None) -> ReportResult:
    """Count the figures for ``year`` and write ``index.html`` and ``report.json`` into ``out``.

    Raises :class:`ReportFailed` (nothing written) for an unknown site, a bad year, content
    errors, or an output folder that is the site's build or holds something else.
    """
    project = Path(project)
    problems = Report()
    site_file = project / "sites" / key / "site.yaml"
    if not site_file.is_file():
        problems.error(f"sites/{key}/site.yaml", 0, f"站点「{key}」不存在", "检查站点名称；站点在 sites/<名称>/site.yaml 中定义")
        raise ReportFailed(problems)
    number = parse_year(year)
    if number is None:
        problems.error("--year", 0, f"年份「{year}」无效：应是四位数年份", "例如 --year 2025")
        raise ReportFailed(problems)
    loaded = load_and_check(project, key, BuildOptions(now=now))
    site, report = loaded.site, loaded.report
    if site is None or report.errors:
        if not report.errors:
            report.error(site_file, 0, "站点无法读取", "先运行 govsite build 查看错误")
        raise ReportFailed(report)
    if not FIRST_YEAR <= number <= site.now.year:
        problems.error("--year", 0, f"年份「{year}」无效：应是 {FIRST_YEAR} 至 {site.now.year} 之间的四位数年份",
                       f"例如 --year {site.now.year - 1}；统计的年份不能晚于 --now 所在的年份")
        raise ReportFailed(problems)
    target = Path(out) if out is not None else default_out(project, key, number)
    _check_target(project, key, target, problems)
    data = figures(site, number)
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    _write(project, site, target, data, text)
    return ReportResult(target, data)


def _check_target(project: Path, key: str, target: Path, problems: Report) -> None:
    build = (project / "build" / key).resolve()
    resolved = target.resolve()
    if resolved == build or build in resolved.parents or resolved in build.parents:
        problems.error("--out", 0, f"输出目录「{target}」与站点的生成目录 build/{key} 重叠",
                       f"年度报表不能写入网站生成目录；不写 --out（默认 build/{key}-report-年份），或换一个目录")
        raise ReportFailed(problems)
    if target.exists() and (not target.is_dir() or (any(target.iterdir()) and not (target / JSON_FILE).is_file())):
        problems.error("--out", 0, f"输出目录「{target}」已存在且不是年度报表目录，为免覆盖其中的文件，未写入",
                       "换一个新的目录，或先移走其中的文件")
        raise ReportFailed(problems)


def _write(project: Path, site, target: Path, data: dict, text: str) -> None:
    out = OutputDir(target)
    try:
        renderer = SiteRenderer(project, site, out)
        renderer.copy_static()
        config = site.config
        title = renderer._("{year}年度政府网站工作报表（内容统计）", year=data["year"])
        head = meta.special_head(config, title, HTML_FILE, f"{config.name}{title}")
        head.canonical = config.base_url  # the report is not a page of the site: point at the site

        def url(target_) -> str:
            path = target_ if isinstance(target_, str) else target_.url
            if path.startswith("static/") or path == JSON_FILE:
                return path  # shipped in the report folder
            return meta.absolute(config, path)  # the live site

        html = renderer.env.get_template("report.html").render(
            url=url, current="report", logo=renderer.logo, conac_image=renderer.conac_image, head=head,
            trail=[], title=title, report=data, json_file=JSON_FILE,
            # the report is not a page of the site: no 繁体 or foreign-language counterpart
            variant=None, languages=[], alternates=[])
        out.write(HTML_FILE, html)
        out.write(JSON_FILE, text)
    except BaseException:
        out.discard()
        raise
    out.commit()
