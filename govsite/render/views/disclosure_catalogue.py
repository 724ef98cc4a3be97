"""政府信息公开目录 (GK-1): the catalogue generated from the documents' own metadata.

Every visible page with a 索引号 is an entry (see :mod:`govsite.types.disclosure` for which pages
get one), classified four ways — 主题分类 (theme), 发布机构 (issuing body), 体裁 (genre) and year —
and linked to the document itself, so the catalogue and the document library can never disagree
(功能规范 一(七)). The table is complete HTML; the same offline filter as the policy library
narrows it by each classification.
"""
from __future__ import annotations

from dataclasses import dataclass

from govsite.content.model import Page
from govsite.core.vocab import VIEW_FILES, VIEWS as VIEW_TITLES
from govsite.site.types import LABELS

NAME = "disclosure_catalogue"
TITLE = VIEW_TITLES[NAME]
FILE = VIEW_FILES[NAME]
TEMPLATE = "views/disclosure_catalogue.html"


@dataclass
class Entry:
    page: Page
    index_no: str
    theme: str
    issuer: str
    genre: str
    year: str


def entry(page) -> Entry:
    info = page.info
    category = info.get("category") or page.extra.get("category")
    theme = str(category).split("／")[0] if isinstance(category, str) and category else page.column.column_type
    issuer = info.get("issuer") or info.get("publisher") or page.info_source
    genre = info.get("doc_kind") or (LABELS[page.type] if page.type != "news" else page.column.column_type)
    return Entry(page, page.index_no, theme, issuer, genre, str(page.date.year))


def _newest_first(e: Entry) -> tuple[float, str]:
    assert e.page.date is not None, "a page with an index number is a published page, with a date"
    return -e.page.date.timestamp(), e.page.src


def build(site, column) -> dict:
    entries = sorted((entry(p) for p in site.pages if p.index_no), key=_newest_first)
    facets = {key: sorted({getattr(e, key) for e in entries}, reverse=(key == "year"))
              for key in ("theme", "issuer", "genre", "year")}
    return {"entries": entries, "facets": facets}
