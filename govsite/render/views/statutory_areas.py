"""法定主动公开内容一览: every statutory area of the site's kind, its 条例 basis and where it is.

The areas of 《政府信息公开条例》第二十条、第二十一条 are seldom in one place on a site: 规章和规范性
文件 are in 政策文件, 统计信息 under 数据发布, 财政预决算 in its own column. The 法定主动公开内容
column asks for this page (``views: [statutory_areas]``) so a visitor finds each area from one
table, and an area with no column shows as such instead of being silently absent. Areas and
their basis come from :mod:`govsite.site.statutory`, the same list the scaffold and the CO-6
check use.
"""
from __future__ import annotations

from dataclasses import dataclass

from govsite.core.vocab import VIEW_FILES, VIEWS as VIEW_TITLES
from govsite.site.statutory import Area, find_areas

NAME = "statutory_areas"
TITLE = VIEW_TITLES[NAME]
FILE = VIEW_FILES[NAME]
TEMPLATE = "views/statutory_areas.html"


@dataclass(frozen=True)
class AreaRow:
    """One line of the table: the area, the columns that publish it and their newest page."""

    area: Area
    columns: tuple
    newest: object          # datetime of the newest visible page in those columns, or None


def _unit_key(column) -> str:
    unit = getattr(column, "unit", None)
    return unit.key if unit is not None else ""


def build(site, column) -> dict:
    """The areas of the site's kind, each with the columns of the same publisher as ``column``
    (the site's own, or one unit's 专栏): a unit's 政策文件 is not the district's."""
    rows, unit = [], _unit_key(column)
    for place in find_areas(site):
        columns = tuple(c for c in place.columns if _unit_key(c) == unit)
        dates = [p.date for c in columns for p in c.all_pages if p.date is not None]
        rows.append(AreaRow(place.area, columns, max(dates) if dates else None))
    return {"rows": rows, "missing": sum(1 for r in rows if not r.columns)}
