"""Theme strings in the page's language (LG-1): zh-CN, zh-TW and en are shipped.

Templates write their fixed text in simplified Chinese inside ``_("…")``; the Chinese text is the
key, so a template reads as the page it makes. ``themes/<theme>/i18n/<language>.yaml`` maps keys
to the language's text (a theme that extends another inherits its strings, a site can override
single strings in ``sites/<site>/i18n/<language>.yaml``). A key without a translation shows the
Chinese text, which is correct for zh-CN; :func:`missing` lists such keys for translators.
Values are filled in with ``{name}`` placeholders: ``_("共 {n} 条", n=12)``.

Scripts use the same keys (``_("…")`` in ``static/js``): pages in a language other than zh-CN
carry those keys' translations as a JSON block (``<script type="application/json">``, which is
not executed, so the Content-Security-Policy holds) that the scripts read.
"""
from __future__ import annotations

import re
from pathlib import Path

from govsite.core.errors import Report
from govsite.core.source import read_yaml_file

SOURCE_LANGUAGE = "zh-CN"
KEY_RE = re.compile(r"""_\(\s*(["'])((?:(?!\1).)+)\1""")


class Messages:
    """The strings of one language: ``messages(key, **values)``."""

    def __init__(self, language: str, strings: dict):
        self.language = language
        self.strings = strings

    def __call__(self, key: str, **values) -> str:
        text = self.strings.get(key) or key
        return text.format(**values) if values else text

    def subset(self, keys) -> dict:
        """The translations of ``keys`` (the strings the theme's scripts use), for a JSON block."""
        return {k: self.strings[k] for k in sorted(keys) if self.strings.get(k, k) != k}


def load_messages(dirs: list[Path], language: str, report: Report) -> Messages:
    """Strings for ``language`` from the i18n folders of ``dirs`` (most general first)."""
    strings: dict = {}
    found = language == SOURCE_LANGUAGE
    for folder in dirs:
        path = Path(folder) / "i18n" / f"{language}.yaml"
        if not path.is_file():
            continue
        found = True
        read = read_yaml_file(path, report)
        if read is None:
            continue
        data = read[1] or {}
        if not isinstance(data, dict):
            report.error(path, 1, "[LG-1] 翻译文件应是映射：中文原文: 译文", "例如 站点地图: Site map", rule="LG-1")
            continue
        strings.update({str(k): str(v) for k, v in data.items() if v not in (None, "")})
    if not found:
        report.error(dirs[-1] if dirs else "i18n", 0, f"[LG-1] 没有语言「{language}」的界面翻译文件（i18n/{language}.yaml）",
                     "在主题或站点目录的 i18n/ 下添加该语言的翻译文件，或改用 zh-CN、zh-TW、en", rule="LG-1")
    return Messages(language, strings)


def template_keys(folders) -> set[str]:
    """Every ``_("…")`` key used by the templates and scripts under ``folders``."""
    keys: set[str] = set()
    for folder in folders:
        for path in sorted(Path(folder).rglob("*")):
            if path.suffix in (".html", ".js") and path.is_file():
                keys.update(m.group(2) for m in KEY_RE.finditer(path.read_text(encoding="utf-8")))
    return keys


def script_keys(theme_dirs) -> frozenset:
    """Keys the theme's scripts use (``static/js``), cached per theme folder list."""
    key = tuple(str(d) for d in theme_dirs)
    if key not in _SCRIPT_KEYS:
        _SCRIPT_KEYS[key] = frozenset(template_keys([Path(d) / "static" / "js" for d in theme_dirs if (Path(d) / "static" / "js").is_dir()]))
    return _SCRIPT_KEYS[key]


_SCRIPT_KEYS: dict = {}


def missing(messages: Messages, keys: set[str]) -> list[str]:
    return sorted(k for k in keys if k not in messages.strings)
