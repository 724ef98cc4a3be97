"""The slug rule: how file and folder names become URL segments (SPEC ID-3).

URLs must be readable and stable, so they come from names the editor chose (file and folder
names, or an explicit ``slug``), never from titles. Chinese names are written in toneless pinyin,
one syllable per hyphen-separated part, so ``春季植树活动.md`` becomes
``chun-ji-zhi-shu-huo-dong.html``: readable, ASCII, and the same on every machine.
"""
from __future__ import annotations

import re
import unicodedata

_EXPLICIT_RE = re.compile(r"^[a-z0-9_-][a-z0-9._-]*$")
_HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_TOKEN_RE = re.compile(r"[a-z0-9_]+|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def slugify(name: str) -> str:
    """Derive a slug from a file or folder name (without extension). May return ``""``."""
    name = unicodedata.normalize("NFC", name).lower()
    parts: list[str] = []
    for match in _TOKEN_RE.finditer(name):
        token = match.group(0)
        if _HAN_RE.match(token):
            # a whole run at once, so pypinyin can pick readings by phrase (重庆 → chong-qing); imported
            # here because loading its dictionaries takes ~0.3 s, which a build of ASCII names never needs
            from pypinyin import Style, lazy_pinyin

            parts.extend(lazy_pinyin(token, style=Style.NORMAL, errors="ignore"))
        else:
            parts.append(token)
    slug = "-".join(p for p in parts if p)
    return slug.strip("-_")


def check_explicit(slug: str) -> str | None:
    """Validate a ``slug`` front-matter value; return a Chinese reason when it is unusable."""
    if not _EXPLICIT_RE.match(slug):
        if "/" in slug or "\\" in slug or ".." in slug:
            return f"slug「{slug}」含有路径字符，会把页面写到输出目录之外"
        return f"slug「{slug}」只能使用小写字母、数字、-、_ 和 .，且不能以 . 开头"
    return None
