"""Government content types (政府信息类型): what a page is besides an article.

A district site is mostly structured government information. A page says ``type:`` in its front
matter; the type's module reads the fields of that type (research field sets S1–S8, English keys
and Chinese labels), reports bad metadata with ``file:line``, and links relations in both
directions (a policy and its interpretations, a document and what repeals it). Templates then
show the values; nothing here renders.

Every type module has ``NAME``, ``LABEL``, ``RULE`` (the SPEC rule its field errors cite unless
they name another), ``read(fields, site) -> dict`` and optionally ``link(site, pages, report)``, run after all pages are read so that references can be followed.
This stage runs inside :func:`govsite.resolve.resolve`, after URLs and lists are known.
"""
from __future__ import annotations

from govsite.config.schema import ANY, DATE, LIST, TEXT, Field, Schema
from govsite.content import loader
from govsite.core.errors import Report
from govsite.site.types import (
    annual_report,
    catalogue,
    common,
    consultation,
    dataset,
    fields,
    gazette,
    interpretation,
    leader,
    notice,
    policy,
    reply,
    service,
)
from govsite.site.types.fields import Fields

NEWS = "news"
TYPES = {m.NAME: m for m in (policy, interpretation, catalogue, service, leader, reply, dataset, notice, consultation)}
TYPES[annual_report.NAME] = annual_report   # after policy: its link() counts the policies' final status
TYPES[gazette.NAME] = gazette   # 政府公报 issues: link() lists the policies they carry
LABELS = {NEWS: "文章", **{name: m.LABEL for name, m in TYPES.items()}}
fields.TYPE_LABELS.update({name: m.LABEL for name, m in TYPES.items()})
SCHEMAS = {"common": common.FIELDS, **{name: m.FIELDS for name, m in TYPES.items()}}
# front matter the checker and the disclosure stage read on any page (govsite.rules.site_rules,
# govsite.site.types.disclosure): catalogue items, 公开属性, 索引号, the GK-3 clock
RULE_FIELDS = Schema("rules", (
    Field("disclosure", ANY, "公开属性", rule="GK-2.reason", doc="attribute: 主动公开 / 依申请公开 / 不予公开; reason"),
    Field("disclosure_reason", TEXT, "不公开的理由", rule="GK-2.reason"),
    Field("index_no", TEXT, "索引号", rule="GK-5"),
    Field("created", DATE, "形成日期", rule="GK-3"),
    Field("updated", DATE, "变更日期", rule="GK-3"),
    Field("content", TEXT, "公开内容", rule="GK-2"),
    Field("subject", TEXT, "公开主体", rule="GK-2"),
    Field("mode", TEXT, "公开方式", rule="GK-2"),
    Field("site_targets", LIST, "对应的栏目或页面", rule="GK-3"),
    Field("catalogue_items", LIST, "对应的目录事项", rule="GK-2"),
    Field("tags", LIST, "标签", doc="resource-library include filter (docs/multisite.md)"),
    Field("publisher", TEXT, "发布机构", rule="CP-1"),
    Field("review", ANY, "三审和保密审查记录", rule="CK-1.review", checked_by="govsite.site.review",
          doc="drafted_by, reviewed_by, approved_by, secrecy_reviewed_by, secrecy_reviewed; never on public pages"),
))
# every key some schema declares: a front-matter key close to one of these but not one is a typo
KNOWN_FIELDS = frozenset(loader.PAGE.names).union(RULE_FIELDS.names, *(s.names for s in SCHEMAS.values()))
loader.FRONT_MATTER_KEYS.update(KNOWN_FIELDS)
# 状态的含义: what a status badge means, whatever its words. Each type module maps its statuses
# (STATUS_MEANINGS) to one of these; the theme gives each meaning its colour (theme.yaml
# ``status-*``, contrast-checked), so a finished state (已答复, 已结束) does not look like an alarm
# and 办理中 and 公示中 look alike. A status no module names reads as ended.
MEANINGS = ("progress", "pending", "ended", "result", "valid", "amended", "repealed")


def _status_meanings() -> dict[str, str]:
    found: dict[str, str] = {}
    for module in TYPES.values():
        for status, meaning in getattr(module, "STATUS_MEANINGS", {}).items():
            assert meaning in MEANINGS and found.get(status, meaning) == meaning, (status, meaning)
            found[status] = meaning
    return found


STATUS_MEANINGS = _status_meanings()


def status_meaning(status: str) -> str:
    """The meaning (one of :data:`MEANINGS`) of a status badge's text."""
    return STATUS_MEANINGS.get(status, "ended")


def resolve_types(site, pages: list, report: Report) -> None:
    """Read every placed page's type fields, then link relations; ``pages`` includes hidden ones."""
    for page in pages:
        module = TYPES.get(page.type)
        if module is None and page.type != NEWS:
            report.error(page.file, page.line("type"), f"[CP-1] 未知的内容类型 type「{page.type}」",
                         "可选：" + "、".join(f"{k}（{v}）" for k, v in LABELS.items()) + "；普通文章不写 type")
            continue
        fields = Fields(page, site.by_src, report, LABELS.get(page.type, "页面"))
        info = common.read(fields, site)
        if module is not None:
            fields.rule = getattr(module, "RULE", "CP-1")
            info.update(module.read(fields, site))
        page.info = info
    common.link(site, pages, report)
    for module in TYPES.values():
        if hasattr(module, "link"):
            module.link(site, pages, report)
