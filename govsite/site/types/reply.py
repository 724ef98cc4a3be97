"""互动答复 (S6): a published letter or question and the department's reply (IA-1, H1, H5).

IA-1 asks every published reply to show 受理日期, 答复日期, 答复部门 and 答复内容, and replies are
due within 15 working days (SPEC IA-1; the limit is ``check.reply.working_days`` in site.yaml,
counted with the site's working-day calendar, :mod:`govsite.types.timing`). Messages that cannot
be handled are explained, not dropped (事事有回音): 不予受理 and 无法办理 need a reason.

The letter and the answer are the page body, as two sections headed ``## 来信内容`` and
``## 答复内容`` — answers are long and formatted (lists, bold, phone numbers), which front matter
is bad at. A short question or answer may instead be written as ``question:`` / ``answer:`` in
front matter (便民问答); the page then shows them as sections itself.

A record with ``public: false`` (and the reason, e.g. 涉及个人隐私) is never rendered but still
counts in the reply statistics, which report every message received, not only the published ones.
"""
from __future__ import annotations

import re

from govsite.config.schema import ANY, BOOL, DATE, MAP, PAGES, TEXT, Field, Schema
from govsite.core.clock import Clock
from govsite.site.types.fields import Fields
from govsite.site.types.timing import reply_working_days, site_calendar

NAME = "reply"
LABEL = "留言答复"
RULE = "IA-1"
KINDS = ("领导信箱", "咨询", "投诉", "建议", "便民问答", "征集意见", "访谈问答", "热线转办")
REPLIED = "已答复"
IN_PROGRESS = "办理中"
REFUSED = ("不予受理", "无法办理")        # closed without an answer: the reason is the reply (H5)
STATUSES = (REPLIED, IN_PROGRESS, *REFUSED)
# 已答复 is a result (a reply was given); 不予受理/无法办理 close the case with a reason: ended
STATUS_MEANINGS = {REPLIED: "result", IN_PROGRESS: "progress", **{s: "ended" for s in REFUSED}}
QUESTION_HEADINGS = ("来信内容", "留言内容", "咨询内容", "问题")
ANSWER_HEADINGS = ("答复内容", "答复意见", "回复内容")
_HEADING = re.compile(r"^#{1,4}\s*(.+?)\s*#*\s*$", re.M)
# a display name ending like this describes the asker instead of naming them
_POLITE = ("先生", "女士", "网友", "市民", "居民", "村民", "群众", "家长", "业主", "职工", "同志", "老师", "学生", "匿名")


FIELDS = Schema(NAME, (
    Field("kind", TEXT, "留言类别", choices=KINDS, required=True, rule=RULE),
    Field("question", TEXT, "来信内容", rule=RULE),
    Field("asker", TEXT, "来信人", rule=RULE),
    Field("received", DATE, "受理日期", required=True, rule=RULE),
    Field("replied", DATE, "答复日期", rule=RULE),
    Field("replying_dept", TEXT, "答复部门", required=True, rule=RULE),
    Field("answer", TEXT, "答复内容", rule=RULE),
    Field("status", TEXT, "办理状态", choices=STATUSES, required=True, rule=RULE),
    Field("status_reason", TEXT, "不予受理或无法办理的理由", rule=RULE),
    Field("public", BOOL, "是否公开", default=True),
    Field("public_reason", TEXT, "不公开的理由", rule=RULE),
    Field("typical_case", BOOL, "典型案例"),
    Field("topic", TEXT, "主题分类", rule=RULE),
    Field("related", PAGES, "相关政策或办事指南"),
    Field("transferred_to", ANY, "转办单位", rule=RULE),
    Field("deadline", MAP, "答复时限延期", rule=RULE, doc="extended_to (working days), reason"),
))


def read(f: Fields, site) -> dict:
    if "department" in f.data and "replying_dept" not in f.data:
        f.error("department", "department 已改名为 replying_dept（答复部门）", "把 department: 改为 replying_dept:", RULE)
    info = {
        **f.values(FIELDS, "kind", "question"),
        "asker": mask_name(f.value(FIELDS, "asker")),
        **f.values(FIELDS, "received", "replied", "replying_dept", "answer"),
        "transferred_to": _transferred(f),
        **f.values(FIELDS, "status", "status_reason", "public", "public_reason", "typical_case", "topic", "related"),
    }
    info.update(_deadline(f, site))
    _check(f, info)
    received, replied = info["received"], info["replied"]
    cal = site_calendar(site)
    info["due"] = cal.add(received, info["working_days"]) if received else None
    info["days_taken"] = cal.between(received, replied) if received and replied else None
    info["overdue"] = _overdue(info, site.clock)
    return info


def _transferred(f: Fields) -> str:
    """转办: ``transferred_to: 区城管委`` or ``{unit: 区城管委, division: 市政科, contact: 电话}``."""
    value = f.data.get("transferred_to")
    if isinstance(value, dict):
        parts = [f.text(f"transferred_to.{k}", name, rule=RULE, data=value)
                 for k, name in (("unit", "转办单位"), ("division", "承办处室"), ("contact", "联系方式"))]
        return "，".join(p for p in parts if p)
    return f.text("transferred_to", "转办单位", rule=RULE)


def withheld(page, report) -> bool:
    """True for a reply marked ``public: false``: it is read and counted, never rendered.

    Runs while pages are placed (before types are read), so it looks at the raw value; a
    malformed flag is reported later by :func:`read`.
    """
    if page.type != NAME or page.extra.get("public") is not False:
        return False
    if not str(page.extra.get("public_reason") or "").strip():
        report.error(page.file, page.line("public"), f"[{RULE}] 留言答复标为不公开（public: false），但没有写明理由",
                     "写 public_reason: 不公开的理由，例如 涉及个人隐私", rule=RULE)
    return True


def mask_name(name: str) -> str:
    """The asker as shown (personal data kept to the minimum, B9).

    张先生, 网友, 港湾小区居民 stay as written; a bare name of two to four characters keeps its
    first character (张三丰 → 张**); digits (a phone or ID number) are never shown.
    """
    name = name.strip()
    if re.search(r"\d{5,}", name):
        return "网友"
    if not name or "*" in name or "＊" in name or name.endswith(_POLITE) or len(name) > 4:
        return name
    return name[0] + "*" * (len(name) - 1)


def _deadline(f: Fields, site) -> dict:
    """``deadline: 7`` or ``deadline: {working_days: 15, extended_to: 30, reason: …}``.

    ``extended_to`` is the whole time limit after an extension, in working days; an extension
    needs its reason. Without ``deadline`` the site's limit applies (check.reply.working_days).
    """
    default = reply_working_days(site)
    value = f.data.get("deadline")
    days = extended = None
    reason = ""
    if isinstance(value, dict):
        days = _days(f, value.get("working_days"), "deadline.working_days", "答复时限（工作日）")
        extended = _days(f, value.get("extended_to"), "deadline.extended_to", "延期后的时限（工作日）")
        reason = f.text("deadline.reason", "延期理由", rule=RULE, data=value)
        if extended is not None and not reason:
            f.error("deadline", "答复时限延期（deadline.extended_to）需要写明延期理由 deadline.reason",
                    "例如 deadline:\n      extended_to: 30\n      reason: 涉及多个部门，需现场核查", RULE)
    elif value not in (None, ""):
        days = _days(f, value, "deadline", "答复时限（工作日）")
    base = days or default
    if extended is not None and extended < base:
        f.error("deadline", f"延期后的时限 {extended} 个工作日短于原时限 {base} 个工作日", "extended_to 写延期后的总工作日数", RULE)
        extended = None
    return {"working_days": extended or base, "base_working_days": base, "extended": extended is not None,
            "extension_reason": reason}


def _days(f: Fields, value, key: str, name: str) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        f.error(key, f"{key}（{name}）应是不小于 1 的整数，现为「{value}」", f"例如 {key}: 15", RULE)
        return None
    return value


def _check(f: Fields, info: dict) -> None:
    status, received, replied = info["status"], info["received"], info["replied"]
    if status == REPLIED and not replied and "replied" not in f.data:
        f.error("status", "状态为已答复，但缺少答复日期 replied", "写 replied: YYYY-MM-DD（答复日期）", RULE)
    if status == IN_PROGRESS and replied:
        f.error("replied", "状态为办理中，却写了答复日期 replied", "已答复的把 status 改为 已答复；未答复的删去 replied", RULE)
    if status in REFUSED and not info["status_reason"]:
        f.error("status", f"状态为{status}，但没有写明理由（事事有回音）", "写 status_reason: 向来信人说明的理由", RULE)
    if received and replied and replied.date() < received.date():
        f.error("replied", f"答复日期 {replied:%Y-%m-%d} 早于受理日期 {received:%Y-%m-%d}", "检查 received 和 replied", RULE)
        info["replied"] = None
    if not info["question"] and not _has_heading(f.page.body, QUESTION_HEADINGS):
        f.error("type", "留言答复缺少来信内容", "在正文写「## 来信内容」一节，或在 front matter 写 question: 来信内容", RULE)
    if status == REPLIED and not info["answer"] and not _has_heading(f.page.body, ANSWER_HEADINGS):
        f.error("status", "状态为已答复，但缺少答复内容", "在正文写「## 答复内容」一节，或在 front matter 写 answer: 答复内容", RULE)


def _has_heading(body: str, names) -> bool:
    return any(m.group(1).strip("：: ") in names for m in _HEADING.finditer(body or ""))


def _overdue(info: dict, clock: Clock) -> bool:
    """Replied after the due date, or still open past it at the build time (H5)."""
    due = info["due"]
    if due is None:
        return False
    if info["replied"] is not None:
        return info["replied"].date() > due
    return info["status"] == IN_PROGRESS and clock.past(due)


def link(site, pages, report) -> None:
    for page in pages:
        if page.type == NAME and page.info:
            page.status = page.info["status"]
            page.status_date = page.info["replied"]
            page.links["reply_related"] = list(page.info["related"])
