"""Foreign-language versions (外文版, LG-1): a content tree per language under a path prefix.

A language version is a small site of its own — its content folder, channels and name — sharing
the main site's identity (标识码, 备案号, theme, colours) and published under a prefix of the main
site (``en/``). Pages in different versions that are the same document say so with the same
``translation_key`` in their front matter; every page then links its counterparts in the header
(the language switch) and in ``<link rel="alternate" hreflang>``. A page without a counterpart
links the other version's home page, so the switch never leads nowhere. Home pages are
counterparts of each other without a key.

```yaml
# site.yaml
language_label: 中文
languages:
  en:
    label: English
    name: Jinglan District People's Government
    content: content/demo-en
    channels: [about, news, services]
    description: …
```
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path

from govsite.config.site import SiteConfig
from govsite.content.model import Site
from govsite.core.errors import Report
from govsite.core.source import as_list

OVERRIDABLE = ("name", "description", "sponsor", "operator", "editor", "contact", "page_size", "home")
HOME_KEY = "@home"


@dataclass
class LanguageVersion:
    code: str                 # BCP 47 tag, also the html lang: en, zh-TW …
    prefix: str               # output folder under the main site: en
    label: str                # the switch's text, in the language itself: English
    config: SiteConfig        # the derived site.yaml settings
    site: Site | None = None  # the resolved Site, once loaded


@dataclass
class Translations:
    """Which output pages are the same document in other versions."""

    labels: dict = field(default_factory=dict)        # code → label
    homes: dict = field(default_factory=dict)         # code → full output path of its home
    by_path: dict = field(default_factory=dict)       # full output path → {code: full output path}

    def links(self, full_path: str, own: str) -> list[tuple[str, str, str, bool]]:
        """(code, label, full target path, is a real counterpart) for every other version."""
        found = self.by_path.get(full_path, {})
        return [(code, label, found.get(code) or self.homes[code], code in found)
                for code, label in self.labels.items() if code != own]


def language_versions(project: Path, config, report: Report) -> list[LanguageVersion]:
    raw = config.raw.get("languages")
    if raw in (None, {}):
        return []
    line = config.line_of("languages")
    if not isinstance(raw, dict):
        report.error(config.file, line, "[LG-1] languages 应是映射：语言代码: {label, name, content}",
                     "参照 docs/languages.md", rule="LG-1")
        return []
    versions = []
    for code, block in raw.items():
        code = str(code)
        if not isinstance(block, dict):
            report.error(config.file, line, f"[LG-1] languages.{code} 应是映射（label、name、content …）", "参照 docs/languages.md", rule="LG-1")
            continue
        if not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", code) or code == config.language:
            report.error(config.file, line, f"[LG-1] 语言代码「{code}」无效或与主站语言相同", "写 BCP 47 语言代码，例如 en、ru、zh-TW", rule="LG-1")
            continue
        content = block.get("content")
        if not content or not (project / str(content)).is_dir():
            report.error(config.file, line, f"[LG-1] languages.{code}.content 目录「{content}」不存在",
                         f"写该语言内容目录的路径，例如 content: content/{config.key}-{code}", rule="LG-1")
            continue
        prefix = str(block.get("prefix") or code.lower()).strip("/")
        overrides = {key: block[key] for key in OVERRIDABLE if key in block}
        derived = dataclasses.replace(
            config, language=code, content=project / str(content),
            base_url=config.base_url.rstrip("/") + f"/{prefix}/",
            channels=[str(c) for c in as_list(block["channels"])] if "channels" in block else None,
            keywords=as_list(block["keywords"]) if "keywords" in block else config.keywords,
            migration=None,
            home_blocks=() if "home" in block else config.home_blocks,   # its own home: read from home.blocks
            links=(), newmedia=(),   # 相关链接 and 政务新媒体 name Chinese sites and accounts: the main site's only
            raw={**{k: v for k, v in config.raw.items() if k not in ("languages", "traditional", "migration", "search")},
                 **{k: v for k, v in block.items() if k in ("search", "disclosure")}},
            **overrides)
        versions.append(LanguageVersion(code, prefix, str(block.get("label") or code), derived))
    return versions


def translations(main_site, versions: list[LanguageVersion], main_label: str) -> Translations:
    """Counterparts by ``translation_key`` across the main site and its language versions."""
    result = Translations()
    trees = [(main_site.config.language, main_label, "", main_site)] + \
            [(v.code, v.label, v.prefix + "/", v.site) for v in versions if v.site is not None]
    keyed: dict[str, dict[str, str]] = {}
    for code, label, prefix, site in trees:
        result.labels[code] = label
        result.homes[code] = prefix + "index.html"
        keyed.setdefault(HOME_KEY, {})[code] = prefix + "index.html"
        for page in site.pages:
            key = page.extra.get("translation_key")
            if isinstance(key, (str, int)) and str(key).strip():
                keyed.setdefault(str(key).strip(), {})[code] = prefix + page.url
        for col in site.columns:
            if col.translation_key:
                keyed.setdefault("@column:" + col.translation_key, {})[code] = prefix + col.url
    for group in keyed.values():
        for path in group.values():
            result.by_path[path] = group
    return result
