"""意见征集 (S8, H3, H8, IA-2): a draft or a question put to the public, and what came of it.

Besides the period fields of :mod:`govsite.types.period` (``start``, ``period``/``end``,
``feedback``, ``result``), a consultation says what kind it is:

- 征求意见 (网上征询, the default): a draft rule, 规范性文件 or decision. ``draft_files`` (the
  征求意见稿, files beside the page) and ``basis`` (起草依据和说明) are required (决策草案、决策依据).
- 建议征集 (网上征集): ideas for practical projects, e.g. 民生实事; no draft.
- 评议 (网上评议): the public's assessment of government work.

IA-2 asks for the result and the adoption of opinions to be published; ``result.not_adopted``
lists opinions that were not adopted with the reasons (H8).
"""
from __future__ import annotations

from govsite.config.schema import FILES, TEXT, Field, Schema
from govsite.site.types import period
from govsite.site.types.fields import Fields

NAME = "consultation"
LABEL = "意见征集"
RULE = period.RULE
RUNNING = "征集中"
STATUS_MEANINGS = {**period.STATUS_MEANINGS, RUNNING: "progress"}   # 征集中 reads as in progress
KINDS = ("征求意见", "建议征集", "评议")
DRAFTED = "征求意见"


FIELDS = Schema(NAME, period.FIELDS.fields + (
    Field("kind", TEXT, "征集类别", choices=KINDS, default=DRAFTED, rule=period.RULE),
    Field("draft_files", FILES, "征求意见稿", rule=period.RULE, doc="required for 征求意见"),
    Field("basis", TEXT, "起草依据和说明", rule=period.RULE, doc="required for 征求意见"),
))


def read(f: Fields, site) -> dict:
    info = period.read(f, site, RUNNING, "意见反馈渠道")
    info["kind"] = f.value(FIELDS, "kind")
    needs_draft = info["kind"] == DRAFTED
    info["draft"] = f.attachments("draft_files", "征求意见稿", required=needs_draft, rule=period.RULE)
    info["basis"] = f.text("basis", "起草依据和说明", required=needs_draft, rule=period.RULE)
    return info


def link(site, pages, report) -> None:
    period.link(NAME, site, pages)
