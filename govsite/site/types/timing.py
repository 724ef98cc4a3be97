"""The working-day calendar of a build, shared by the types that count 工作日 (replies, 公示, 征集).

Deadlines in working days (GK-3, IA-1) must count exactly as ``govsite check`` does, so the build
reads the same settings: ``check: workdays:`` (local days off and 调休 days) and ``check: reply:
working_days`` in site.yaml, through :func:`govsite.check.settings.load_check_config`. A malformed
setting is the checker's to report (with its site.yaml line); here the defaults are used instead,
so the calendar never breaks a build.
"""
from __future__ import annotations

from govsite.config.check import load_check_config
from govsite.core.workdays import Calendar

_CACHE_ATTR = "_types_check_config"


def _check_config(site):
    cfg = getattr(site, _CACHE_ATTR, None)
    if cfg is None:
        cfg, _problems = load_check_config(site.config)
        setattr(site, _CACHE_ATTR, cfg)
    return cfg


def site_calendar(site) -> Calendar:
    """The official calendar plus the site's ``check.workdays`` overrides (one per build)."""
    return _check_config(site).calendar


def reply_working_days(site) -> int:
    """The default reply time limit in working days: ``check.reply.working_days`` (15, IA-1)."""
    return _check_config(site).reply["working_days"]
