"""What 公示 (notice) and 意见征集 (consultation) share: a period, a feedback channel, a result.

Both run for a period that starts on ``start`` and lasts ``period`` working days (公示7个工作日,
H9) or until ``end``; the end of a working-day period is computed with the site's calendar
(:mod:`govsite.types.timing`, GK-3), so a 公示 that spans 国庆 ends after the holiday. The start
day counts as the first day when it is a working day (公示期为12月5日至12月11日（5个工作日）).
Writing both ``period`` and ``end`` is allowed when they agree, which catches a miscounted end.

The status is computed at the build time (``site.clock``), never written by the editor:

=============  =================================================================
未开始          before ``start``
公示中 / 征集中  from ``start`` to the end of the last day
已结束          after the period, while the result is not published
结果已公布      ``result.published`` (or the result page's date) has passed (IA-2, H3)
=============  =================================================================

``result`` is ``{published, page, summary, received, adopted, not_adopted: [{opinion, reason}]}``:
``page`` names a separate result page (反馈, 采纳情况说明) and ``summary``/numbers say it inline;
every opinion not adopted carries its reason (H8, C12).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from govsite.config.schema import DATE, INT, LIST, MAP, Field, Schema
from govsite.site.types.fields import Fields
from govsite.site.types.timing import site_calendar

RULE = "IA-2"
NOT_STARTED = "未开始"
ENDED = "已结束"
RESULT_PUBLISHED = "结果已公布"
# what each status means (govsite.site.types.MEANINGS); the running label is the type's own
STATUS_MEANINGS = {NOT_STARTED: "pending", ENDED: "ended", RESULT_PUBLISHED: "result"}


FIELDS = Schema("period", (
    Field("start", DATE, "开始日期", required=True, rule=RULE),
    Field("period", INT, "期限（工作日）", rule=RULE, minimum=1, doc="working days; or end"),
    Field("end", DATE, "结束日期", rule=RULE),
    Field("feedback", LIST, "反馈渠道", required=True, rule=RULE),
    Field("result", MAP, "结果", rule=RULE, doc="published, summary, received, adopted, page, not_adopted"),
))


def read(f: Fields, site, running: str, feedback_name: str) -> dict:
    """The period fields of a notice or consultation; ``running`` is 公示中 or 征集中."""
    start = f.value(FIELDS, "start")
    period = _working_days(f)
    end = f.value(FIELDS, "end")
    if period is None and end is None and "period" not in f.data and "end" not in f.data:
        f.error("start", f"{f.label}缺少期限：写 period（工作日数）或 end（结束日期）",
                "例如 period: 7（7个工作日），或 end: 2026-06-07", RULE)
    last_day = None
    if start and period:
        last_day = site_calendar(site).add(start.date() - dt.timedelta(days=1), period)
        if end and end.date() != last_day:
            f.error("end", f"结束日期 {end:%Y-%m-%d} 与 {period} 个工作日的期限不符（按工作日计算应为 {last_day:%Y-%m-%d}）",
                    "改正 end，或删去 end 由系统按工作日计算", RULE)
    elif end:
        last_day = end.date()
    if start and last_day and last_day < start.date():
        f.error("end", f"结束日期 {last_day:%Y-%m-%d} 早于开始日期 {start:%Y-%m-%d}", "检查 start 和 end", RULE)
        last_day = None
    info = {
        "start": start,
        "period": period,
        "end": last_day,
        "feedback": f.texts("feedback", feedback_name, required=True, rule=RULE),
        "result": _result(f),
        "running_label": running,
    }
    return info


def _working_days(f: Fields) -> int | None:
    value = f.data.get("period")
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        f.error("period", f"period（期限，工作日）应是不小于 1 的整数，现为「{value}」", "例如 period: 7（7个工作日）", RULE)
        return None
    return value


def _result(f: Fields) -> dict:
    data = f.value(FIELDS, "result")
    if not data:
        return {}
    out: dict[str, Any] = {   # the result as the templates read it
        "published": f.date("result.published", "结果公布日期", rule=RULE, data=data),
        "page": None,
        "summary": f.text("result.summary", "结果说明", rule=RULE, data=data),
        "received": _count(f, data, "received", "收到意见数"),
        "adopted": _count(f, data, "adopted", "采纳数"),
        "not_adopted": [],
    }
    if data.get("page") not in (None, ""):
        pages = f.refs("result.page", "结果页面", rule=RULE, data=data)
        out["page"] = pages[0] if pages else None
    for item in f.records("result.not_adopted", "未采纳的意见及理由", rule=RULE, data=data):
        opinion, reason = str(item.get("opinion") or "").strip(), str(item.get("reason") or "").strip()
        if not opinion or not reason:
            f.error("result", "result.not_adopted 的每一项应写明 opinion（意见）和 reason（未采纳理由）",
                    "例如 not_adopted:\n      - opinion: 建议缩短时限\n        reason: 与上位法规定不一致", RULE)
            continue
        out["not_adopted"].append({"opinion": opinion, "reason": reason})
    if not (out["page"] or out["summary"] or out["received"] is not None):
        f.error("result", "result（结果）应写明结果页面 page，或结果说明 summary 和意见数量",
                "例如 result:\n      published: 2026-06-30\n      page: 结果页面的 .md 路径", RULE)
    if out["published"] is None and out["page"] is None and "published" not in data:
        f.error("result", "result（结果）缺少公布日期 published", "例如 published: 2026-06-30", RULE)
    if out["received"] is not None and out["adopted"] is not None and out["adopted"] > out["received"]:
        f.error("result", f"采纳数 {out['adopted']} 大于收到的意见数 {out['received']}", "检查 result.received 和 result.adopted", RULE)
    return out


def _count(f: Fields, data: dict, key: str, name: str) -> int | None:
    value = data.get(key)
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        f.error("result", f"result.{key}（{name}）应是不小于 0 的整数，现为「{value}」", f"例如 {key}: 12", RULE)
        return None
    return value


def status(page, site) -> tuple[str, object]:
    """(status, since) at the build time; see the module docstring."""
    info, clock = page.info, site.clock
    start, end = info.get("start"), info.get("end")
    if start is None:
        return "", None
    result = info.get("result") or {}
    published = result.get("published") or (result["page"].date if result.get("page") else None)
    result_page = result.get("page")
    visible = result_page is None or any(p is result_page for p in site.pages)
    if published and visible and clock.reached(published):
        return RESULT_PUBLISHED, published
    if not clock.reached(start):
        return NOT_STARTED, start
    if end is None or not clock.past(end):
        return info["running_label"], start
    return ENDED, dt.datetime.combine(end + dt.timedelta(days=1), dt.time())


def link(name: str, site, pages) -> None:
    """Statuses of every page of type ``name``, and the link to a separate result page."""
    for page in pages:
        if page.type != name or not page.info:
            continue
        page.status, page.status_date = status(page, site)
        result_page = (page.info.get("result") or {}).get("page")
        if result_page is not None:
            page.links["result_page"] = [result_page]
            found = result_page.links.setdefault("result_of", [])
            if all(p is not page for p in found):
                found.append(page)
