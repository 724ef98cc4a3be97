"""政府信息公开目录 (GK-1): the catalogue generated from the documents' own metadata.

Every visible page of this site with a 索引号 is an entry (see :mod:`govsite.site.types.disclosure`
for which pages get one), classified five ways — 主题分类 (theme: the first level of the page's
``category``, :data:`govsite.core.themes.UNCLASSIFIED` without one, never the column's type),
发布机构 (the unit whose 专栏 holds it, else what the document names), 单位 (the unit, else the
site), 体裁 (genre) and year — and linked to the document itself, so the catalogue and the
document library can never disagree (功能规范 一(七)).

Entries are grouped by year, newest first, each year a table of its own under a heading, with a
year index at the top: the page reads without JavaScript, and the offline filter script
(``static/js/facet-filter.js``) narrows every year's table at once by each classification.

A catalogue asked for by a column inside a unit's 专栏 (``views: [disclosure_catalogue]`` below
a column with ``unit:``) lists that unit's documents only: the unit's own 信息公开目录. Pages of
other sites (资源库 ``include:``) carry their owner's 索引号 and are in the owner's catalogue, not here.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from govsite.content.model import Page
from govsite.core.themes import theme_of
from govsite.core.vocab import VIEW_FILES, VIEWS as VIEW_TITLES
from govsite.site.types import LABELS
from govsite.site.types.disclosure import theme_value

NAME = "disclosure_catalogue"
TITLE = VIEW_TITLES[NAME]
FILE = VIEW_FILES[NAME]
TEMPLATE = "views/disclosure_catalogue.html"
FACETS = ("theme", "issuer", "unit", "genre", "year")


@dataclass
class Entry:
    page: Page
    index_no: str
    theme: str                  # first-level 主题分类, or 未分类
    category: str               # the category as written (主题／子主题), "" when none
    issuer: str                 # 发布机构
    unit: str                   # the unit's name, or the site's
    genre: str
    year: str


@dataclass
class YearGroup:
    """One year of a generated table: its heading, its anchor and its rows, newest first."""

    year: str
    anchor: str
    rows: list = field(default_factory=list)


def entry(page, site) -> Entry:
    info = page.info
    category = theme_value(page)
    unit = page.column.unit
    issuer = unit.name if unit is not None else (info.get("issuer") or info.get("publisher") or page.info_source)
    genre = info.get("doc_kind") or (LABELS[page.type] if page.type != "news" else page.column.column_type)
    return Entry(page, page.index_no, theme_of(category), category, issuer,
                 unit.name if unit is not None else site.config.name, genre, str(page.date.year))


def _newest_first(e) -> tuple[float, str]:
    assert e.page.date is not None, "a page with an index number is a published page, with a date"
    return -e.page.date.timestamp(), e.page.src


def by_year(rows: list, year_of) -> list[YearGroup]:
    """Rows (newest first) in one group per year, newest year first."""
    groups: dict[str, YearGroup] = {}
    for row in rows:
        year = str(year_of(row))
        groups.setdefault(year, YearGroup(year, f"y{year}")).rows.append(row)
    return list(groups.values())


def in_scope(page, column) -> bool:
    """Whether a page belongs in the view of ``column``: all of this site's pages, or, in a
    unit's 专栏, that unit's pages only."""
    return page.origin is None and (column.unit is None or page.column.unit == column.unit)


def build(site, column) -> dict:
    entries = sorted((entry(p, site) for p in site.pages if p.index_no and in_scope(p, column)), key=_newest_first)
    facets = {key: sorted({getattr(e, key) for e in entries}, reverse=(key == "year")) for key in FACETS}
    return {"entries": entries, "years": by_year(entries, lambda e: e.year), "facets": facets,
            "unit": column.unit, "by_unit": column.unit is None and bool(site.config.units)}
