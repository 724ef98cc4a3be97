"""政策文件库: every visible policy document of the site in one table, filterable offline.

The table is complete HTML (readable without JavaScript and by screen readers); a small script
filters its rows by year, issuing body, status and category from data attributes, so the library
works on plain static hosting and from ``file://`` without a search server (AR-4, GK-5).
"""
from __future__ import annotations

from govsite.core.vocab import VIEW_FILES, VIEWS as VIEW_TITLES

NAME = "policy_library"
TITLE = VIEW_TITLES[NAME]
FILE = VIEW_FILES[NAME]
TEMPLATE = "views/policy_library.html"
STATUS_ORDER = ("有效", "已修改", "已废止", "已失效")


def build(site, column) -> dict:
    policies = [p for p in site.pages if p.type == "policy" and p.info]
    facets = {
        "year": sorted({str(p.date.year) for p in policies}, reverse=True),
        "issuer": sorted({p.info["issuer"] for p in policies}),
        "status": [s for s in STATUS_ORDER if any(p.status == s for p in policies)],
        "category": sorted({p.info["category"] for p in policies if p.info["category"]}),
    }
    return {"policies": policies, "facets": facets}
