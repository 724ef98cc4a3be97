"""Fields every content item may carry (S0): reposts, topic membership, corrections.

- ``reprint`` (CP-4): a repost names the original site, its URL and the original publication
  time, which the page shows and keeps; the checker judges how late the repost was.
- ``topics`` (CO-5): a page joins a 专题 from wherever it lives, so the topic page lists work that
  belongs to other columns without copying files.
- ``corrections``: the 更正 log shown under the article.
"""
from __future__ import annotations

from typing import Any

from govsite.config.schema import LIST, MAP, RECORDS, TEXT, Field, Schema
from govsite.content.model import Column
from govsite.site.types.fields import Fields

FIELDS = Schema("common", (
    Field("reprint", MAP, "转载信息", rule="CP-4", doc="original_site, original_url, original_published (all required)"),
    Field("topics", LIST, "所属专题", rule="CO-5", doc="paths of 专题 columns the page also belongs to"),
    Field("corrections", RECORDS, "更正记录", doc="date, note"),
    Field("translation_key", TEXT, "对应页标识", doc="same key in another language version = counterpart"),
))


def read(f: Fields, site) -> dict:
    info: dict[str, Any] = {"reprint": _reprint(f), "corrections": _corrections(f), "topics": []}
    for ref in f.value(FIELDS, "topics"):
        col = f.target(ref) or site.by_src.get(ref.strip("/"))
        if not isinstance(col, Column) or not col.is_topic:
            f.error("topics", f"topics（所属专题）中的「{ref}」不是专题栏目", "写专题栏目的目录路径，例如 ztzl/yshj", "CO-5")
        elif col not in info["topics"]:
            info["topics"].append(col)
    return info


def _reprint(f: Fields) -> dict:
    data = f.value(FIELDS, "reprint")
    if not data:
        return {}
    out: dict[str, Any] = {
        "original_site": f.text("reprint.original_site", "原发布网站", required=True, rule="CP-4", data=data),
        "original_url": f.text("reprint.original_url", "原文网址", required=True, rule="CP-4", data=data),
        "original_published": f.date("reprint.original_published", "原文发布时间", required=True, rule="CP-4", data=data),
    }
    url = out["original_url"]
    if url and not url.startswith(("http://", "https://")):
        f.error("reprint", f"reprint.original_url「{url}」不是完整网址", "写 https:// 开头的原文地址", "CP-4")
    return out


def _corrections(f: Fields) -> list[dict]:
    out = []
    for item in f.value(FIELDS, "corrections"):
        when = f.date("corrections", "更正日期", required=True, data={"corrections": item.get("date")})
        note = str(item.get("note") or "").strip()
        if not note:
            f.error("corrections", "corrections（更正记录）的每一项需要写 note（更正说明）", "例如 - date: 2026-03-20\n    note: 更正了联系电话")
        if when and note:
            out.append({"date": when, "note": note})
    return sorted(out, key=lambda c: c["date"])


def link(site, pages, report) -> None:
    """Topic membership: a page that names a topic is listed there (and marked archived with it)."""
    visible = set(map(id, site.pages))
    for page in pages:
        for topic in page.info.get("topics", []):
            page.topics.append(topic)
            if id(page) in visible and page.column is not topic and page not in topic.all_pages:
                topic.members.append(page)
