"""三审和保密审查 (review trail): who drafted, reviewed and approved a page, and who checked it for
state secrets, before it went on the site.

The Tianjin measures (第十五条(三)) ask that everything published or reposted passes 三审 (初审,
复审, 终审) and a 保密审查 first; a monitor's 单项否决 item CK-1 (serious errors, leaked secrets)
is what that protects against. The trail is an internal record: front matter ``review:`` keeps it
beside the page in the repository, where the site's history keeps it too. It never reaches a
public page, the search data or a feed; the syndication export (read by the portal and superior
platforms, not by visitors) carries it only when site.yaml says ``review: {export: true}``.

With ``review: {required: true}`` a page that would be published without a complete trail is a
build error naming its file and line, and the page is left out of the site, like a 依申请公开
item (:func:`govsite.site.types.disclosure.withheld`). A draft is not asked: its trail is what
the review will add. Copies of another site's pages (资源库) carry their owner's trail, which the
owner's build checks. A trail that is written is always checked (a date that is not one, a
保密审查 after publication), whether or not the site requires it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from govsite.config.schema import DATE, TEXT, Field, Schema
from govsite.config.site import ReviewSettings
from govsite.content.model import Page
from govsite.core.errors import Report
from govsite.site.types.fields import Fields

RULE = "CK-1.review"
KEY = "review"
TRAIL = Schema(KEY, (
    Field("drafted_by", TEXT, "拟稿人（初审）", required=True, rule=RULE),
    Field("reviewed_by", TEXT, "审核人（复审）", required=True, rule=RULE),
    Field("approved_by", TEXT, "签发人（终审）", required=True, rule=RULE),
    Field("secrecy_reviewed_by", TEXT, "保密审查人", required=True, rule=RULE),
    Field("secrecy_reviewed", DATE, "保密审查日期", required=True, rule=RULE, doc="on or before the publication date"),
))
EXAMPLE = ("review:\n      drafted_by: 拟稿人姓名\n      reviewed_by: 审核人姓名\n      approved_by: 签发人姓名\n"
           "      secrecy_reviewed_by: 保密审查人姓名\n      secrecy_reviewed: 保密审查日期（YYYY-MM-DD，不晚于发布日期）")


@dataclass(frozen=True)
class ReviewTrail:
    """One page's trail as written; empty strings (and ``None``) for what is missing."""

    drafted_by: str = ""
    reviewed_by: str = ""
    approved_by: str = ""
    secrecy_reviewed_by: str = ""
    secrecy_reviewed: dt.datetime | None = None

    @property
    def missing(self) -> tuple[Field, ...]:
        return tuple(f for f in TRAIL.fields if getattr(self, f.name) in ("", None))

    def as_export(self) -> dict:
        """The trail as the syndication export writes it (``review: {export: true}``)."""
        return {"drafted_by": self.drafted_by, "reviewed_by": self.reviewed_by, "approved_by": self.approved_by,
                "secrecy_reviewed_by": self.secrecy_reviewed_by,
                "secrecy_reviewed": self.secrecy_reviewed.strftime("%Y-%m-%d") if self.secrecy_reviewed else ""}


def read(page: Page, report: Report) -> ReviewTrail:
    """The page's ``review:`` mapping, each bad value reported with the line of ``review:``."""
    raw = page.extra.get(KEY)
    if raw in (None, "", {}):
        return ReviewTrail()
    f = Fields(page, {}, report, "页面", RULE)
    if not isinstance(raw, dict):
        f.error(KEY, "review（三审和保密审查记录）应是映射", "例如 " + EXAMPLE)
        return ReviewTrail()
    for key in raw:
        if key not in TRAIL:
            f.error(KEY, f"review 中的「{key}」不是审查记录的字段",
                    "可写：" + "、".join(f"{x.name}（{x.label}）" for x in TRAIL.fields))
    def text(key: str) -> str:
        return f.text(f"{KEY}.{key}", TRAIL[key].label, False, RULE, data=raw)

    trail = ReviewTrail(text("drafted_by"), text("reviewed_by"), text("approved_by"), text("secrecy_reviewed_by"),
                        f.date(f"{KEY}.secrecy_reviewed", TRAIL["secrecy_reviewed"].label, False, RULE, data=raw))
    reviewed = trail.secrecy_reviewed
    if reviewed is not None and page.date is not None and reviewed.date() > page.date.date():
        f.error(KEY, f"保密审查日期 {reviewed:%Y-%m-%d} 晚于发布时间 {page.date:%Y-%m-%d}：应先审查后发布",
                "核对 review.secrecy_reviewed 和 date；确实未经审查就发布的，先撤下页面补做保密审查")
    return trail


def withheld(page: Page, settings: ReviewSettings, report: Report) -> bool:
    """True when the site requires the trail and this page, which would be published, lacks part
    of it (reported once, naming what is missing); a written trail is checked on any site."""
    if page.origin is not None:
        return False    # another site's page: its owner's build checks its trail
    trail = read(page, report)
    if not settings.required or page.draft:
        return False
    missing = trail.missing
    if not missing:
        return False
    line = page.line(KEY) if KEY in page.lines else page.line("title")
    names = "、".join(f"{f.label} {f.name}" for f in missing)
    report.error(page.file, line, f"[{RULE}] 本站要求发布前完成三审和保密审查（site.yaml review.required），"
                 f"本页缺少：{names}；本页不予发布", "在 front matter 中补写 " + EXAMPLE, rule=RULE)
    return True


def export_value(page: Page, settings: ReviewSettings) -> dict | None:
    """What the syndication export carries of the trail: nothing unless ``review.export``."""
    if not settings.export or page.extra.get(KEY) in (None, "", {}):
        return None
    return read(page, Report()).as_export()
