"""留言答复统计 (IA-1, H1, H5, H15): counts and reply times made from the reply records themselves.

Which records count: every ``type: reply`` page of the site that is not a draft and not scheduled
for later publication — including replies marked ``public: false``, whose content is not published
but whose handling is (the statistics are of messages received, not of pages). Time to reply is
counted in working days from 受理日期 to 答复日期 with the site's calendar (official holidays and
调休 plus ``check.workdays``), the same count ``govsite check`` uses for IA-1.

A record is overdue (超期) when it was replied after its due date, or is still 办理中 past its due
date at the build time (``site.clock``). 不予受理 and 无法办理 records are counted but have no reply
time. The page has tables per month (by 受理日期), per department and per kind, the overdue list
and the typical cases (典型案例); ``stats.json`` beside it holds the same numbers.

It prints the build's day (「统计截至」) and the working days open records have taken: it reads
the time itself (``site.now``), so the whole-build shortcut's window keeps to that day.
"""
from __future__ import annotations

import json
from collections import defaultdict

from govsite.content.model import Page
from govsite.core.vocab import VIEW_FILES, VIEWS as VIEW_TITLES
from govsite.site.types import reply
from govsite.site.types.timing import reply_working_days, site_calendar

NAME = "reply_stats"
TITLE = VIEW_TITLES[NAME]
FILE = VIEW_FILES[NAME]
JSON_FILE = "stats.json"
TEMPLATE = "views/reply_stats.html"


def records(site) -> list[Page]:
    """Reply pages that count: read without errors, not drafts, not scheduled, received by now."""
    out = []
    for page in site.by_src.values():
        if not isinstance(page, Page) or page.type != reply.NAME or not page.info.get("received"):
            continue
        if (page.draft and not site.drafts) or (page.publish and not site.clock.reached(page.publish)):
            continue
        if not site.clock.reached(page.info["received"]):
            continue
        out.append(page)
    return sorted(out, key=lambda p: (p.info["received"], p.src))


def _summary(pages: list[Page]) -> dict:
    taken = [p.info["days_taken"] for p in pages if p.info["days_taken"] is not None]
    return {
        "received": len(pages),
        "replied": sum(p.info["status"] == reply.REPLIED for p in pages),
        "in_progress": sum(p.info["status"] == reply.IN_PROGRESS for p in pages),
        "closed_without_reply": sum(p.info["status"] in reply.REFUSED for p in pages),
        "average_working_days": round(sum(taken) / len(taken), 1) if taken else None,
        "max_working_days": max(taken) if taken else None,
        "overdue": sum(p.info["overdue"] for p in pages),
    }


def _groups(pages: list[Page], key) -> list[dict]:
    groups = defaultdict(list)
    for page in pages:
        groups[key(page)].append(page)
    return [{"name": name, **_summary(groups[name])} for name in sorted(groups)]


def _item(page: Page, site, public_urls: set) -> dict:
    info = page.info
    shown = id(page) in public_urls
    replied = info["replied"]
    taken = info["days_taken"]
    if taken is None and info["status"] == reply.IN_PROGRESS:
        taken = site_calendar(site).between(info["received"], site.now)
    return {
        "title": page.title if shown else None,
        "url": page.url if shown else None,
        "page": page if shown else None,
        "kind": info["kind"],
        "department": info["replying_dept"],
        "status": info["status"],
        "received": info["received"].strftime("%Y-%m-%d"),
        "due": info["due"].strftime("%Y-%m-%d") if info["due"] else None,
        "replied": replied.strftime("%Y-%m-%d") if replied else None,
        "working_days_limit": info["working_days"],
        "working_days_taken": taken,
    }


def build(site, column) -> dict:
    pages = records(site)
    public_urls = {id(p) for p in site.pages if p.type == reply.NAME}
    overdue = [_item(p, site, public_urls) for p in pages if p.info["overdue"]]
    typical = [_item(p, site, public_urls) for p in reversed(pages)
               if p.info["typical_case"] and id(p) in public_urls]
    return {
        "stats": {
            "now": site.now.strftime("%Y-%m-%d"),   # the day: the figures change with the date, not the minute
            "working_days_limit": reply_working_days(site),
            "total": _summary(pages),
            "months": _groups(pages, lambda p: p.info["received"].strftime("%Y-%m")),
            "departments": _groups(pages, lambda p: p.info["replying_dept"]),
            "kinds": _groups(pages, lambda p: p.info["kind"]),
            "overdue": overdue,
            "typical_cases": typical,
        },
        "json_file": f"{column.dir}/{JSON_FILE}",
    }


def files(site, column, path) -> dict:
    """``stats.json`` beside the page: the same numbers for machines (sorted, stable bytes)."""
    stats = build(site, column)["stats"]
    data = {**stats, "overdue": [_plain(i) for i in stats["overdue"]],
            "typical_cases": [_plain(i) for i in stats["typical_cases"]]}
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return {f"{column.dir}/{JSON_FILE}": text}


def _plain(item: dict) -> dict:
    return {k: v for k, v in item.items() if k != "page"}
