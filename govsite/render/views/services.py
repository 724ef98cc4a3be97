"""办事服务目录 (SV-1): every published service guide, by theme (主题) and by user (个人 / 法人).

One catalogue for the whole site, whichever column a guide is filed in, built from the guides'
own ``theme`` and ``audience`` fields, so it cannot list a guide that is gone or miss a new one.
Each entry shows how far the service can be done online (SV-3). The page is plain HTML with
in-page navigation — it works without JavaScript; ``services.json`` beside it gives the same
catalogue to other channels (APP, 政务服务网, the 办事一本通 handbook).
"""
from __future__ import annotations

import json

from govsite.core.vocab import VIEW_FILES, VIEWS as VIEW_TITLES
from govsite.site.types.service import AUDIENCES, NAME as SERVICE, ONLINE_LEVELS

NAME = "services"
TITLE = VIEW_TITLES[NAME]
FILE = VIEW_FILES[NAME]
TEMPLATE = "views/services.html"
JSON_FILE = "services.json"


def _key(text: str):
    """Chinese catalogue order: by pinyin, then by the text itself so ties stay stable."""
    from pypinyin import lazy_pinyin  # slow to import: only sites with 办事指南 need it

    return ("".join(lazy_pinyin(text)), text)


def services(site) -> list:
    return sorted((p for p in site.pages if p.type == SERVICE and p.info),
                  key=lambda p: (*_key(p.info["item_name"]), p.src))


def _themes(pages) -> list[dict]:
    groups: dict[str, list] = {}
    for page in pages:
        for theme in page.info["theme"]:
            groups.setdefault(theme, []).append(page)
    return [{"name": name, "pages": groups[name]} for name in sorted(groups, key=_key)]


def build(site, column) -> dict:
    pages = services(site)
    by_theme = _themes(pages)
    for n, group in enumerate(by_theme, 1):
        group["id"] = f"zt-{n}"
    by_audience = []
    for n, audience in enumerate(AUDIENCES, 1):
        members = [p for p in pages if audience in p.info["audience"]]
        themes = _themes(members)
        for m, group in enumerate(themes, 1):
            group["id"] = f"dx-{n}-{m}"
        by_audience.append({"name": audience, "id": f"dx-{n}", "count": len(members), "themes": themes})
    levels = [(level, sum(1 for p in pages if p.info["online_level"] == level)) for level in ONLINE_LEVELS]
    return {"services": pages, "by_theme": by_theme, "by_audience": by_audience,
            "levels": [(level, count) for level, count in levels if count],
            "json_file": f"{column.dir}/{JSON_FILE}"}


def files(site, column, path) -> dict:
    """services.json: the catalogue for machines; URLs are relative to the site root."""
    rows = [{"title": p.title, "url": p.url, "item_name": p.info["item_name"], "item_type": p.info["item_type"],
             "audience": p.info["audience"], "theme": p.info["theme"], "online_level": p.info["online_level"],
             "handling_org": p.info["handling_org"], "online": p.info["online"]} for p in services(site)]
    data = {"title": TITLE, "site": site.config.name, "count": len(rows), "services": rows}
    return {f"{column.dir}/{JSON_FILE}": json.dumps(data, ensure_ascii=False, indent=1) + "\n"}
