"""政策解读 (S2): an interpretation names the policies it explains; both pages link each other.

GK-4 asks that a policy page and its interpretation link to each other (功能规范 二(三)) and that
lists show a 「解读」 link after each interpreted policy. The 3-working-day deadline is judged by
``govsite check`` (it depends on the calendar, which must never break a build).
"""
from __future__ import annotations

from govsite.config.schema import PAGES, TEXT, Field, Schema
from govsite.site.types.fields import Fields

NAME = "interpretation"
LABEL = "政策解读"
RULE = "GK-4"
FORMS = ("文字", "图解", "图表", "问答", "音频", "视频", "动漫", "新闻发布会", "在线访谈", "媒体评论")
ROLES = ("起草部门", "牵头部门", "主要负责人", "专家", "媒体")
STAGES = ("发布前吹风", "同步发布", "执行中")


FIELDS = Schema(NAME, (
    Field("interprets", PAGES, "所解读的政策文件", required=True, rule="GK-4", choices=("policy",)),
    Field("interpreting_org", TEXT, "解读机关", required=True, rule="GK-4"),
    Field("interpreter", TEXT, "解读人"),
    Field("interpreter_role", TEXT, "解读人身份", choices=ROLES),
    Field("form", TEXT, "解读形式", choices=FORMS, required=True, rule="GK-4"),
    Field("stage", TEXT, "解读时机", choices=STAGES),
))


def read(f: Fields, site) -> dict:
    info = f.values(FIELDS, "interprets", "interpreting_org", "interpreter", "interpreter_role", "form", "stage")
    # 解读人 as shown (page, annual report): a name written as text, or — for a path to a leader's
    # page (``../../xxgk/ldxx/chenlihua.md``) — the leader's name, filled in by the leader type's link
    interpreter = str(info.get("interpreter") or "").strip()
    info["interpreter_name"] = "" if interpreter.endswith(".md") else interpreter
    return info


def link(site, pages, report) -> None:
    visible = set(map(id, site.pages))
    for page in pages:
        if page.type != NAME or not page.info:
            continue
        for policy in page.info["interprets"]:
            page.links.setdefault("interprets", []).append(policy)
            if id(page) in visible:  # a draft interpretation is not linked from the published policy
                found = policy.links.setdefault("interpreted_by", [])
                found.append(page)
                found.sort(key=lambda p: (p.date, p.src))
