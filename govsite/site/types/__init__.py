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

from govsite.core.errors import Report
from govsite.site.types import (catalogue, common, consultation, dataset, interpretation, leader, notice, policy, reply, service)
from govsite.site.types import fields
from govsite.site.types.fields import Fields

NEWS = "news"
TYPES = {m.NAME: m for m in (policy, interpretation, catalogue, service, leader, reply, dataset, notice, consultation)}
LABELS = {NEWS: "文章", **{name: m.LABEL for name, m in TYPES.items()}}
fields.TYPE_LABELS.update({name: m.LABEL for name, m in TYPES.items()})
# statuses shown as "in force / running" badges, as "not yet" badges; every other one reads as ended
ACTIVE_STATUSES = frozenset().union(*(getattr(m, "ACTIVE_STATUSES", ()) for m in TYPES.values()))
PENDING_STATUSES = frozenset().union(*(getattr(m, "PENDING_STATUSES", ()) for m in TYPES.values()))


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
