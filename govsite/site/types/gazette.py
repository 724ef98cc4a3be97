"""政府公报 (gazette): one page per issue (期), listing the documents it carries, with the printed
issue as a PDF.

A 公报 is the authoritative text of a government's 规章 and 行政规范性文件 (条例 and the Tianjin
measures: 应登尽登, every one of them appears in the 公报), so an issue names the documents by
their pages (``documents:``, the policy pages of this site, in the issue's order) rather than
retyping titles: the issue's table of contents then shows each document's 文号 and title as the
document states them, grouped the way a 公报 目录 groups them (规章, 行政规范性文件, 其他文件), and
each document links back to the issue that carries it (刊登于《…公报》2026年第3期) — relations in
both directions, like a policy and what amends it. Whether every document of a year is in some
issue is judged by ``govsite check`` (:mod:`govsite.rules.gazette`, GK-5.gazette): it depends
on the date, so it never stops a build.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from govsite.config.schema import DATE, FILES, INT, PAGES, TEXT, Field, Schema
from govsite.content.model import Page
from govsite.site.types import policy
from govsite.site.types.fields import Fields

NAME = "gazette"
LABEL = "政府公报"
RULE = "GK-5.issue"
COLUMN_TYPE = "政府公报"
# 公报目录 sections: a document's 文件类别 (policy doc_kind) → the section it is listed in, in this order
SECTIONS = ("规章", "行政规范性文件", "其他文件")
SECTION_OF = {**{kind: "规章" for kind in policy.REGULATIONS}, policy.NORMATIVE: policy.NORMATIVE}
OTHER = "其他文件"
DOCUMENTS, IN_GAZETTE = "gazette_documents", "in_gazette"   # relation names, both directions


FIELDS = Schema(NAME, (
    Field("year", INT, "年份", required=True, rule=RULE),
    Field("number", INT, "期号（当年第几期）", required=True, rule=RULE),
    Field("total_number", INT, "总期号（总第几期）", rule=RULE),
    Field("issue_date", DATE, "出版日期", rule=RULE, doc="default: the page's date; in the issue's year"),
    Field("gazette_name", TEXT, "公报名称", doc="default: the site's name + 公报 (景澜区人民政府公报)"),
    Field("pdf", FILES, "公报PDF版", required=True, rule=RULE, doc="the printed issue, a .pdf beside the page"),
    Field("documents", PAGES, "本期刊登的文件", required=True, rule=RULE, choices=(policy.NAME,),
          doc="paths of the policy pages (type: policy) the issue carries, in its order"),
))


@dataclass(frozen=True)
class GazetteEntry:
    """One line of an issue's 目录: a document with its 文号; ``published``: its page is on the site
    now (a document not yet or no longer published is listed without a link)."""

    page: Page
    title: str
    doc_no: str
    published: bool


@dataclass(frozen=True)
class GazetteSection:
    """A heading of the 目录 (规章, 行政规范性文件, 其他文件) and its documents in the issue's order."""

    label: str
    entries: tuple[GazetteEntry, ...]


def read(f: Fields, site) -> dict:
    info = f.values(FIELDS, "year", "number", "total_number", "issue_date", "gazette_name")
    year, number = info["year"], info["number"]
    if year is not None and not 1949 <= year <= 2100:
        f.error("year", f"year（年份）「{year}」不是公报的出版年份", "写四位年份，例如 year: 2026")
    if number is not None and number < 1:
        f.error("number", "number（期号）应从 1 开始", "例如 number: 3 表示当年第3期")
    if info["total_number"] is not None and info["total_number"] < 1:
        f.error("total_number", "total_number（总期号）应从 1 开始", "例如 total_number: 215，不写则不显示")
    issue_date = info["issue_date"] or f.page.date
    if year is not None and issue_date is not None and issue_date.year != year:
        f.error("issue_date" if f.has("issue_date") else "year",
                f"公报为{year}年的一期，出版日期却是 {issue_date:%Y-%m-%d}", "核对 year 和 issue_date（或页面 date）")
    pdf = f.value(FIELDS, "pdf")
    for item in pdf:
        if item["format"] != "PDF":
            f.error("pdf", f"pdf（公报PDF版）中的「{item['title']}」不是 PDF 文件", "写本期公报的 .pdf 文件名，例如 pdf: 2026-03.pdf")
    documents = f.value(FIELDS, "documents")
    info.update(issue_date=issue_date, gazette_name=info["gazette_name"] or f"{site.config.name}公报",
                attachments=pdf, documents=documents)
    return info


def link(site, pages, report) -> None:
    """The 目录 of each issue, the back link of each document to the published issues that carry
    it, and issue numbers that two issues claim."""
    visible = set(map(id, site.pages))
    issues = sorted((p for p in pages if p.type == NAME and p.info), key=lambda p: (p.date, p.src))
    _unique(issues, report)
    for issue in issues:
        documents: list[Page] = issue.info.pop("documents")
        issue.links[DOCUMENTS] = documents
        issue.info["documents"] = [{"title": d.title, "doc_no": d.info.get("doc_no", ""),
                                    "doc_kind": d.info.get("doc_kind", "")} for d in documents]
        issue.info["sections"] = sections(documents, visible)
        for doc in documents:
            signed = doc.info.get("signed")
            if signed is not None and signed.date() > issue.info["issue_date"].date():
                report.error(issue.file, issue.line("documents"),
                             f"[{RULE}] 本期公报出版于 {issue.info['issue_date']:%Y-%m-%d}，"
                             f"却刊登了成文于 {signed:%Y-%m-%d} 的「{doc.title}」",
                             "核对 documents 中的路径和本期的 issue_date", rule=RULE)
        if id(issue) not in visible:
            continue    # a draft or scheduled issue is not named on the documents' pages
        for doc in documents:
            found = doc.links.setdefault(IN_GAZETTE, [])
            if issue not in found:
                found.append(issue)
                found.sort(key=lambda p: (p.info["issue_date"], p.src))


def sections(documents: list[Page], visible: set) -> tuple[GazetteSection, ...]:
    grouped: dict[str, list[GazetteEntry]] = defaultdict(list)
    for doc in documents:
        kind = doc.info.get("doc_kind", "")
        grouped[SECTION_OF.get(kind, OTHER)].append(
            GazetteEntry(doc, doc.title, doc.info.get("doc_no", ""), id(doc) in visible))
    return tuple(GazetteSection(label, tuple(grouped[label])) for label in SECTIONS if grouped[label])


def _unique(issues: list[Page], report) -> None:
    """Two issues of one 公报 cannot share 年份+期号, or 总期号 (the later page is reported)."""
    seen: dict[tuple, Page] = {}
    for issue in issues:
        info = issue.info
        keys: list[tuple] = [(info["gazette_name"], "number", info["year"], info["number"])]
        if info["total_number"] is not None:
            keys.append((info["gazette_name"], "total_number", info["total_number"]))
        for key in keys:
            if None in key:
                continue
            other = seen.setdefault(key, issue)
            if other is not issue:
                what = f"{info['year']}年第{info['number']}期" if key[1] == "number" else f"总第{info['total_number']}期"
                report.error(issue.file, issue.line(key[1]), f"[{RULE}] 公报{what}与 {other.src} 重复",
                             "每一期公报的期号唯一：核对 year、number 和 total_number", rule=RULE)
