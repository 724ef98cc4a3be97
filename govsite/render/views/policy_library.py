"""政策文件库: every visible policy document of the site, by year, filterable offline.

The tables are complete HTML (readable without JavaScript and by screen readers): one per year,
newest first, under a year index. A small script (``static/js/facet-filter.js``) filters their rows
by year, issuing body, unit, status and category from data attributes, so the library works on
plain static hosting and from ``file://`` without a search server (AR-4, GK-5).

单位 (unit) is the unit whose 信息公开专栏 holds the document, else the site; a library asked for
by a column inside a unit's 专栏 lists that unit's documents only
(:func:`govsite.render.views.disclosure_catalogue.in_scope`).
"""
from __future__ import annotations

from dataclasses import dataclass

from govsite.content.model import Page
from govsite.core.themes import theme_of
from govsite.core.vocab import VIEW_FILES, VIEWS as VIEW_TITLES
from govsite.render.views.disclosure_catalogue import by_year, in_scope

NAME = "policy_library"
TITLE = VIEW_TITLES[NAME]
FILE = VIEW_FILES[NAME]
TEMPLATE = "views/policy_library.html"
STATUS_ORDER = ("有效", "已修改", "已废止", "已失效")


@dataclass
class Row:
    """One document of the library: the page, the unit that publishes it and its first-level theme."""

    page: Page
    unit: str
    theme: str


def unit_name(page, site) -> str:
    """The unit a page is published by: its 专栏's unit, else the site."""
    unit = page.column.unit
    return unit.name if unit is not None else site.config.name


def build(site, column) -> dict:
    policies = [p for p in site.pages if p.type == "policy" and p.info and in_scope(p, column)]
    facets = {
        "year": sorted({str(p.date.year) for p in policies}, reverse=True),
        "issuer": sorted({p.info["issuer"] for p in policies}),
        "unit": sorted({unit_name(p, site) for p in policies}),
        "status": [s for s in STATUS_ORDER if any(p.status == s for p in policies)],
        "category": sorted({theme_of(p.info["category"]) for p in policies}),
    }
    rows = [Row(p, unit_name(p, site), theme_of(p.info["category"])) for p in policies]
    return {"policies": policies, "years": by_year(rows, lambda r: r.page.date.year), "facets": facets,
            "unit": column.unit, "by_unit": column.unit is None and bool(site.config.units)}
