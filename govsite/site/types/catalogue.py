"""政务公开事项标准目录 (S3, GK-2): a catalogue of disclosure items, one row per item.

A catalogue is a ``*.catalogue.yaml`` file in a column folder; it is published as a page with one
accessible table. Every row states the nine elements of the standard (GB 二(二)): 公开事项 (一级/
二级), 公开内容, 公开依据, 公开时限, 公开主体, 公开渠道和载体, 公开对象, 公开方式, 公开层级.
A row published through the website names its ``site_targets`` — the columns or pages where the
information is — and each row links them, so the catalogue reaches the actual documents (GK-1).
A target that does not exist, or a column with nothing published in it, is an error: the
catalogue would promise information the site does not have.
"""
from __future__ import annotations

from govsite.config.schema import DATE, RECORDS, TEXT, Field, Schema
from govsite.content.model import Column, Page
from govsite.site.types.fields import Fields

NAME = "catalogue"
LABEL = "标准目录"
RULE = "GK-2"
AUDIENCES = ("全社会", "特定群体")
MODES = ("主动公开", "依申请公开")
LEVELS = ("县级", "乡级", "村级")
CHANNELS = ("政府网站", "政府公报", "政务新媒体", "公示栏", "公开栏", "广播", "电视", "报纸", "新闻发布会",
            "政务服务中心", "便民服务窗口", "查阅点", "电子屏", "村(居)公示栏", "村（居）公示栏")
WEBSITE = "政府网站"
RULE_KINDS = ("working_days", "periodic", "after_event")


FIELDS = Schema(NAME, (
    Field("catalogue", TEXT, "目录名称", required=True, rule="GK-2"),
    Field("version", TEXT, "版本"),
    Field("adjusted", DATE, "最近动态调整日期", required=True, rule="GK-2"),
    Field("items", RECORDS, "目录事项", required=True, rule="GK-2", doc="rows: see content-types.md"),
))


def read(f: Fields, site) -> dict:
    info = {
        **f.values(FIELDS, "catalogue", "version", "adjusted"),
        "rows": [],
    }
    rows = f.value(FIELDS, "items")
    for n, row in enumerate(rows):
        info["rows"].append(_row(f, n, row))
    return info


def _time_limit(f: Fields, key: str, where: str, limit) -> str:
    """The text of a row's 公开时限 (``time_limit``: a text, or ``{text, rule}``); its rule is checked."""
    limit_text, rule = "", None
    if isinstance(limit, dict):
        limit_text = str(limit.get("text") or "").strip()
        rule = limit.get("rule")
    elif isinstance(limit, str):
        limit_text = limit.strip()
    if not limit_text:
        f.error(key, f"标准目录{where}缺少「公开时限」（time_limit.text）",
                "例如 time_limit:\n      text: 信息形成或变更之日起20个工作日内\n      rule: {kind: working_days, n: 20, from: created}", "GK-2")
    if rule is not None and not (isinstance(rule, dict) and rule.get("kind") in RULE_KINDS):
        f.error(key, f"标准目录{where}的 time_limit.rule 无法识别", "kind 可选：" + "、".join(RULE_KINDS), "GK-2")
    return limit_text


def _row(f: Fields, n: int, row: dict) -> dict:
    key = f"items[{n}]"
    seq = row.get("seq", n + 1)
    where = f"第 {seq} 项"

    def text(name, label, required=True):
        value = row.get(name)
        if value in (None, "", []):
            if required:
                f.error(key, f"标准目录{where}缺少「{label}」（{name}）", f"在该项下写 {name}: …", "GK-2")
            return ""
        if isinstance(value, (dict, list)):
            f.error(key, f"标准目录{where}的「{label}」（{name}）应是一段文字", f"写成 {name}: 文字", "GK-2")
            return ""
        return str(value).strip()

    def texts(name, label, required=True):
        value = row.get(name)
        if value in (None, "", []):
            if required:
                f.error(key, f"标准目录{where}缺少「{label}」（{name}）", f"在该项下写 {name}: [ … ]", "GK-2")
            return []
        items = value if isinstance(value, list) else [value]
        out = []
        for item in items:
            if isinstance(item, dict):  # basis: {law, article}
                out.append("".join(str(item.get(k) or "") for k in ("law", "article")).strip())
            elif item not in (None, ""):
                out.append(str(item).strip())
        return [o for o in out if o]

    def choice(name, label, choices):
        value = text(name, label)
        if value and value not in choices:
            f.error(key, f"标准目录{where}的「{label}」值「{value}」无效", "可选：" + "、".join(choices), "GK-2")
        return value

    limit_text = _time_limit(f, key, where, row.get("time_limit"))
    channels = texts("channels", "公开渠道和载体")
    unknown = [c for c in channels if c not in CHANNELS]
    if unknown:
        f.error(key, f"标准目录{where}的公开渠道「{'、'.join(unknown)}」无法识别", "可选：" + "、".join(CHANNELS[:-1]), "GK-2")
    out = {
        "seq": seq, "line": f.line(key),
        "level1": text("level1", "一级事项"), "level2": text("level2", "二级事项", required=False),
        "content": texts("content", "公开内容（要素）"), "basis": texts("basis", "公开依据"),
        "time_limit": limit_text, "subject": text("subject", "公开主体"), "channels": channels,
        "audience": choice("audience", "公开对象", AUDIENCES), "mode": choice("mode", "公开方式", MODES),
        "level": choice("level", "公开层级", LEVELS), "optional": row.get("optional") is True,
        "targets": [],
    }
    refs = row.get("site_targets") or []
    refs = refs if isinstance(refs, list) else [refs]
    if WEBSITE in channels and not refs:
        f.error(key, f"标准目录{where}通过政府网站公开，但没有写 site_targets（本站对应栏目或页面）",
                "例如 site_targets: [zwdt/tzgg]", "GK-1")
    for ref in refs:
        target = f.target(ref)
        if not isinstance(target, (Column, Page)):
            f.error(key, f"标准目录{where}的 site_targets「{ref}」不是本站的栏目或页面",
                    "写栏目目录路径（如 zwdt/tzgg）或页面 .md 源文件的相对路径", "GK-1")
        else:
            out["targets"].append(target)
    return out


def link(site, pages, report) -> None:
    """A target column with nothing published, or a target page not published, is an error."""
    visible = set(map(id, site.pages))
    for page in pages:
        if page.type != NAME or not page.info:
            continue
        for row in page.info["rows"]:
            for target in row["targets"]:
                empty = (not target.all_pages) if isinstance(target, Column) else id(target) not in visible
                if empty:
                    what = f"栏目「{target.name}」没有已发布的内容" if isinstance(target, Column) else f"页面「{target.title}」未发布"
                    report.error(page.file, row["line"], f"[GK-1] 标准目录第 {row['seq']} 项指向的{what}",
                                 "先在该栏目发布对应信息，或改正 site_targets", rule="GK-1")
