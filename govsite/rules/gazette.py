"""应登尽登 (GK-5.gazette): every 规章 and 行政规范性文件 of a year appears in the 政府公报.

Asked only of a site that has a 政府公报 column (a department's or a 街道's site without one
publishes no 公报), and only from the year of its first published issue: a site that starts its
公报 online is not told about the years before it. A document is counted in the year it was
signed (成文日期); it is covered by a published issue of that year, or by a later issue out
within ``gazette.grace_days`` of signing (a document signed in late December goes into next
year's 第1期). The verdict depends on the date — a document signed last week is not in an issue
yet, and need not be: one signed fewer than ``grace_days`` days ago (site.yaml, default 30) is
not due. So, like every date rule, it is an error in ``govsite check`` and a warning in a build.
"""
from __future__ import annotations

import datetime as dt

from govsite.config.check import CheckConfig
from govsite.content.model import Page, Site
from govsite.rules.findings import Finding, make
from govsite.site.types import gazette, policy

RULE = "GK-5.gazette"
DUE_KINDS = ("规章", "行政规范性文件")


def _published(page: Page) -> bool:
    return not page.draft and not page.scheduled and page.origin is None and bool(page.info)


def coverage(site: Site, cfg: CheckConfig) -> list[Finding]:
    if not any(c.column_type == gazette.COLUMN_TYPE for c in site.columns):
        return []
    issues = [p for p in site.pages if p.type == gazette.NAME and _published(p) and p.info.get("year")]
    if not issues:
        return []   # an empty 公报 column is CO-3's finding
    first = min(p.info["year"] for p in issues)
    grace = site.config.gazette_grace_days
    out = []
    for doc in site.pages:
        if doc.type != policy.NAME or not _published(doc) or doc.info.get("doc_kind") not in DUE_KINDS:
            continue
        signed: dt.datetime | None = doc.info.get("signed")
        if signed is None or signed.year < first or not site.clock.more_days_than(signed, grace):
            continue
        carriers = [i for i in doc.linked(gazette.IN_GAZETTE) if _published(i)]
        if any(i.info["year"] == signed.year or (i.info["issue_date"].date() - signed.date()).days <= grace
               for i in carriers):
            continue
        number = f"（{doc.info['doc_no']}）" if doc.info.get("doc_no") else ""
        elsewhere = "；已刊登于" + "、".join(f"{i.info['year']}年第{i.info['number']}期" for i in carriers) if carriers else ""
        out.append(make(RULE, doc.file, doc.line("doc_kind"),
                        f"{doc.info['doc_kind']}「{doc.title}」{number}成文于 {signed:%Y-%m-%d}，"
                        f"没有刊登在{signed.year}年的政府公报上（应登尽登）{elsewhere}",
                        f"在{signed.year}年一期公报（type: gazette）的 documents 中列出本文件的路径；"
                        f"成文不足 {grace} 天的文件暂不要求（site.yaml gazette.grace_days）",
                        url=doc.url))
    return out
