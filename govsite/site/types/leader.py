"""负责人信息 (S5): a leader's photo, position, division of work (分工) and résumé (the body).

The column of leaders is read in rank order, not by date: a column whose pages are leaders lists
them by ``order`` (current leaders first, then those who left office), and 上一篇/下一篇 follow that
order. A leader whose ``term.to`` has passed is marked 离任 and archived from that day (AR), so the
page stays for reference without editing it.

Back-links are computed: interpretations whose ``interpreter`` names this leader's page, and news
or speeches that list the leader under ``leaders:``. One check follows 「确定一位负责同志分管政务公开
工作，列入工作分工，并对外公布」 (research P1): among the current leaders of one column, exactly one
has 政务公开 in ``in_charge_of`` — a warning otherwise, since the division of work is decided
elsewhere and the site only reports what it publishes.
"""
from __future__ import annotations

import posixpath

from govsite.config.schema import ANY, BOOL, INT, LIST, MAP, PAGES, TEXT, Field, Schema
from govsite.content.model import Page
from govsite.core.clock import Clock
from govsite.site.types.fields import Fields, resolve_ref

NAME = "leader"
LABEL = "负责人信息"
RULE = "CO-6.leader"   # plain CO-6 is the standard column families (govsite.rules.presence)
COLUMN_TYPE = "负责人信息"
FORMER = "离任"
STATUS_MEANINGS = {FORMER: "ended"}
DISCLOSURE_WORK = "政务公开"
IMAGE_TYPES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg")
DISCLOSURE_RULE = "P1"  # research/seeds-requirements.md §P1: one responsible official for 政务公开


FIELDS = Schema(NAME, (
    Field("name", TEXT, "姓名", required=True),
    Field("position", TEXT, "职务", required=True),
    Field("principal", BOOL, "是否主要负责人"),
    Field("responsibilities", LIST, "分管工作", required=True),
    Field("in_charge_of", LIST, "分管领域"),
    Field("departments", LIST, "分管部门"),
    Field("order", INT, "排列顺序", required=True),
    Field("appointment", PAGES, "任免信息"),
    Field("photo", ANY, "照片", doc="a file name, or file and alt"),
    Field("term", MAP, "任职时间", doc="from, to"),
))


def read(f: Fields, site) -> dict:
    info = {
        **f.values(FIELDS, "name", "position", "principal", "responsibilities", "in_charge_of", "departments", "order"),
        "term": _term(f),
        "appointment": f.value(FIELDS, "appointment"),
    }
    info["photo"] = _photo(f, info["name"])
    if not f.page.body.strip():
        f.error("title", "负责人信息缺少简历：正文应写简历", "在 front matter 之后写「## 简历」和简历内容")
    return info


def _photo(f: Fields, name: str) -> dict:
    raw = f.data.get("photo")
    if isinstance(raw, dict):
        ref, alt = str(raw.get("file") or "").strip(), str(raw.get("alt") or "").strip()
    elif isinstance(raw, str):
        ref, alt = raw.strip(), ""
    else:
        ref, alt = "", ""
    if not ref:
        if raw in (None, ""):
            f.missing("photo", "照片", "例如 photo:\n      file: linxiangdong.jpg\n      alt: 林向东同志标准照")
        else:
            f.error("photo", "photo（照片）应写文件名，或 file 和 alt", "例如 photo:\n      file: linxiangdong.jpg\n      alt: 林向东同志标准照")
        return {}
    if posixpath.splitext(ref)[1].lower() not in IMAGE_TYPES:
        f.error("photo", f"photo（照片）「{ref}」不是图片文件", "可用 " + "、".join(IMAGE_TYPES))
        return {}
    found = f.attachments("photo", "照片", data={"photo": [{"file": ref}]})
    if not found:
        return {}
    return {"out": found[0]["out"], "asset": found[0]["asset"], "alt": alt or f"{name}同志照片"}


def _term(f: Fields) -> dict:
    data = f.value(FIELDS, "term")
    if not data:
        return {}
    out = {"from": f.date("term.from", "任职开始日期", data=data), "to": f.date("term.to", "离任日期", data=data)}
    if out["from"] and out["to"] and out["to"] < out["from"]:
        f.error("term", "离任日期早于任职开始日期", "检查 term.from 和 term.to")
    return out


def is_current(page, clock: Clock) -> bool:
    to = page.info.get("term", {}).get("to")
    return not (to and clock.reached(to))


# -- relations, order, checks --------------------------------------------------------------------
def link(site, pages, report) -> None:
    visible = set(map(id, site.pages))
    for page in pages:
        if page.type == NAME and page.info:
            to = page.info["term"].get("to") if page.info["term"] else None
            if to and site.clock.reached(to):
                page.status, page.status_date = FORMER, to
                page.archived_at = page.archived_at or to
            if page.info.get("photo") and not page.image_out:
                page.image_out = page.info["photo"]["out"]  # the portrait is the page's share image
            page.links["appointment"] = list(page.info["appointment"])
    _link_interpreters(site, pages, visible, report)
    _link_mentions(site, pages, visible, report)
    _order_columns(site)
    _check_disclosure_lead(site, report)


def _add(page, name, other) -> None:
    found = page.links.setdefault(name, [])
    if other not in found:
        found.append(other)
        found.sort(key=lambda p: (-p.date.timestamp(), p.src))


def _link_interpreters(site, pages, visible, report) -> None:
    """An interpretation whose 解读人 is a path to a leader page links to it, and back."""
    for page in pages:
        if page.type != "interpretation" or not page.info:
            continue
        ref = str(page.info.get("interpreter") or "").strip()
        if not ref.endswith(".md"):
            continue  # a name written as text
        leader = resolve_ref(page.src, ref, site.by_src)
        if not isinstance(leader, Page) or leader.type != NAME:
            report.error(page.file, page.line("interpreter"), f"[LK-1] interpreter（解读人）「{ref}」不是本站的负责人信息页面",
                         "写负责人信息页面 .md 文件的相对路径，例如 ../../xxgk/ldxx/chenlihua.md，或直接写解读人姓名", rule="LK-1")
            continue
        page.links["interpreter"] = [leader]
        page.info["interpreter_name"] = str(leader.info.get("name") or leader.title)
        if id(page) in visible:
            _add(leader, "interpretations", page)


def _link_mentions(site, pages, visible, report) -> None:
    """News, speeches and interviews list the leaders they concern with ``leaders: [path]``."""
    for page in pages:
        refs = page.extra.get("leaders")
        if refs in (None, "", []):
            continue
        for ref in refs if isinstance(refs, list) else [refs]:
            leader = resolve_ref(page.src, ref, site.by_src) if isinstance(ref, str) else None
            if not isinstance(leader, Page) or leader.type != NAME:
                report.error(page.file, page.line("leaders"), f"[LK-1] leaders（相关负责人）中的「{ref}」不是本站的负责人信息页面",
                             "写负责人信息页面 .md 文件的相对路径，例如 ../../xxgk/ldxx/linxiangdong.md", rule="LK-1")
                continue
            _add(page, "leaders", leader)
            if id(page) in visible:
                _add(leader, "mentioned_in", page)


def leader_order(page, clock: Clock):
    """Current leaders by ``order``, then former ones (most recently left first)."""
    current = is_current(page, clock)
    to = page.info["term"].get("to") if page.info.get("term") else None
    order = page.info["order"] if page.info["order"] is not None else float("inf")  # reported already
    if current:
        return (False, order, page.src)
    assert to is not None   # not current: the term ended (is_current)
    return (True, -to.timestamp(), page.src)


def _order_columns(site) -> None:
    """A leaders' column lists by rank: leaders first in :func:`leader_order`, other items after."""
    for col in site.columns:
        leaders = [p for p in col.pages if p.type == NAME and p.info]
        if not leaders or not (col.column_type == COLUMN_TYPE or len(leaders) == len(col.pages)):
            continue
        others = [p for p in col.pages if p not in leaders]
        col.pages = sorted(leaders, key=lambda p: leader_order(p, site.clock)) + others
        for page in col.pages:
            page.prev = page.next = None
        for before, after in zip(col.pages, col.pages[1:], strict=False):
            after.prev, before.next = before, after


def _check_disclosure_lead(site, report) -> None:
    for col in site.columns:
        current = [p for p in col.pages if p.type == NAME and p.info and is_current(p, site.clock)]
        if not current:
            continue
        leads = [p for p in current if DISCLOSURE_WORK in p.info["in_charge_of"]]
        if len(leads) == 1:
            continue
        if leads:
            names = "、".join(p.info["name"] for p in leads)
            for page in leads:
                report.warning(page.file, page.line("in_charge_of"),
                               f"[{DISCLOSURE_RULE}] 栏目「{col.name}」有 {len(leads)} 位现任负责人分管政务公开（{names}），应确定一位",
                               "只在一位负责人的 in_charge_of 中写 政务公开", rule=DISCLOSURE_RULE)
        else:
            report.warning(col.file, col.line("name"),
                           f"[{DISCLOSURE_RULE}] 栏目「{col.name}」的现任负责人中没有分管政务公开的负责人",
                           "在分管政务公开工作的负责人页面的 in_charge_of 中写 政务公开（应确定一位负责同志分管政务公开工作并对外公布）",
                           rule=DISCLOSURE_RULE)
