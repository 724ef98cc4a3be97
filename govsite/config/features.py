"""Site-wide features switched on in site.yaml that later stages read: site search's ``search:``
settings (热词, 同义词) and the traditional-Chinese version's ``traditional:`` (简繁体, LG-1).

They are read with the rest of the configuration, before the content is resolved, so that a
:class:`~govsite.content.model.Site` is complete when it is made.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from govsite.config.messages import Messages, load_messages
from govsite.config.site import SiteConfig
from govsite.config.theme import Theme, load_theme
from govsite.core.errors import Report

PROFILES = {"s2t": "zh-Hant", "s2tw": "zh-TW", "s2twp": "zh-TW", "s2hk": "zh-HK"}


@dataclass
class SearchSettings:
    """``search:`` in site.yaml: hot words shown under the search box, and synonyms (通俗说法 → 规范用语)."""

    hot_words: list[str] = field(default_factory=list)
    synonyms: dict[str, str] = field(default_factory=dict)


@dataclass
class Variant:
    """The traditional version's settings (``traditional:`` in site.yaml)."""

    prefix: str = "fanti"
    profile: str = "s2t"
    lang: str = "zh-Hant"
    label: str = "繁體"          # the switch in simplified pages
    back_label: str = "简体"     # the switch in traditional pages (kept in simplified characters)


def variant_settings(config, report: Report) -> Variant | None:
    raw = config.raw.get("traditional")
    if raw in (None, False):
        return None
    line = config.line_of("traditional")
    if raw is True:
        raw = {}
    if not isinstance(raw, dict):
        report.error(config.file, line, "[LG-1] traditional 应是映射（prefix、profile）或 true",
                     "例如 traditional:\n  prefix: fanti\n  profile: s2t", rule="LG-1")
        return None
    variant = Variant()
    profile = str(raw.get("profile") or variant.profile).strip()
    if profile not in PROFILES:
        report.error(config.file, line, f"[LG-1] 未知的简繁转换方案「{profile}」", "可选：" + "、".join(PROFILES), rule="LG-1")
        return None
    prefix = str(raw.get("prefix") or variant.prefix).strip().strip("/")
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", prefix):
        report.error(config.file, line, f"[LG-1] traditional.prefix「{prefix}」应是一个由小写字母、数字和连字符组成的目录名",
                     "例如 prefix: fanti", rule="LG-1")
        return None
    variant.prefix, variant.profile, variant.lang = prefix, profile, PROFILES[profile]
    return variant


def search_settings(config, report: Report) -> SearchSettings:
    """``search:`` in site.yaml: ``hot_words`` (list) and ``synonyms`` (query → what to search)."""
    raw = config.raw.get("search") or {}
    line = config.line_of("search")
    settings = SearchSettings()
    if not isinstance(raw, dict):
        report.error(config.file, line, "search 应是映射（hot_words、synonyms）", "参照 docs/search.md")
        return settings
    hot = raw.get("hot_words") or []
    if not isinstance(hot, list):
        report.error(config.file, line, "search.hot_words 应是词语列表", "例如 hot_words: [社保, 公积金]")
    else:
        settings.hot_words = [str(w).strip() for w in hot if str(w).strip()]
    synonyms = raw.get("synonyms") or {}
    if not isinstance(synonyms, dict):
        report.error(config.file, line, "search.synonyms 应是映射：通俗说法: 规范用语", "例如 身份证丢了: 居民身份证 补领")
    else:
        settings.synonyms = {str(k).strip().lower(): str(v).strip() for k, v in synonyms.items() if k and v}
    return settings


@dataclass
class SiteSettings:
    """Everything of a site's configuration besides site.yaml's own fields that rendering reads:
    its theme (主题), the theme strings in the site's language (界面文字), search settings and the
    traditional version. Loaded before the content is resolved (:func:`load_settings`)."""

    theme: Theme
    messages: Messages
    search: SearchSettings
    variant: Variant | None


def load_settings(project: Path, config: SiteConfig, report: Report) -> SiteSettings:
    theme = load_theme(project, config, report)
    return SiteSettings(theme=theme, messages=load_messages(list(reversed(theme.dirs)), config.language, report),
                        search=search_settings(config, report), variant=variant_settings(config, report))
