"""公示 (S8, H9): a list, plan or decision shown to the public for a period, with an objection channel.

``start`` and ``period`` (working days, e.g. 7) or ``end``; ``feedback`` names where objections go
(异议反馈渠道); ``result`` says how the 公示 ended (公示期满无异议, or the objections and how they
were handled). The status badge — 未开始, 公示中, 已结束, 结果已公布 — is computed at the build
time, see :mod:`govsite.types.period`.
"""
from __future__ import annotations

from govsite.config.schema import Schema
from govsite.site.types import period
from govsite.site.types.fields import Fields

NAME = "notice"
LABEL = "公示公告"
RULE = period.RULE
RUNNING = "公示中"
STATUS_MEANINGS = {**period.STATUS_MEANINGS, RUNNING: "progress"}   # 公示中 reads as in progress


FIELDS = Schema(NAME, period.FIELDS.fields)


def read(f: Fields, site) -> dict:
    return period.read(f, site, RUNNING, "异议反馈渠道")


def link(site, pages, report) -> None:
    period.link(NAME, site, pages)
