"""LY-5 (色彩与对比度): every text/background pair the theme draws is readable in the site's colours.

The theme declares its colour roles and the pairs it draws (theme.yaml ``pairs``); the site picks
its main and auxiliary colours (site.yaml ``colors:``). Loading both is the theme's business
(:func:`govsite.config.theme.load_theme`); judging the result is this rule: WCAG 2.1 AA, success
criterion 1.4.3, asks 4.5:1 for normal text. A site that picks a light main colour fails the build
at the ``colors:`` line that chose it, before any page shows white text on it.
"""
from __future__ import annotations

import re

from govsite.config.site import SiteConfig
from govsite.config.theme import MIN_CONTRAST, Theme, contrast
from govsite.core.errors import Report


def check_contrast(theme: Theme, config: SiteConfig, report: Report) -> None:
    """LY-5 / WCAG 1.4.3: every text/background pair the theme draws must reach 4.5:1."""
    for text, background, where in theme.pairs:
        if text not in theme.colors or background not in theme.colors:
            continue
        ratio = contrast(theme.colors[text], theme.colors[background])
        if ratio < MIN_CONTRAST:
            report.error(config.file, color_line(config, (text, background, "main" if "main" in text + background else "")),
                         f"[LY-5] 颜色对比度不足：{where}（文字 {theme.colors[text]}，背景 {theme.colors[background]}）"
                         f"为 {ratio:.2f}:1，低于 {MIN_CONTRAST}:1",
                         "把主色调深或把浅色背景调浅，使对比度不低于 4.5:1", rule="LY-5")


def color_line(config: SiteConfig, roles) -> int:
    """The line of the first of ``roles`` set under ``colors:`` in site.yaml (else ``colors:``)."""
    start = config.line_of("colors")
    lines = config.text.split("\n")
    for number in range(start, len(lines)):
        line = lines[number]
        if line and not line[0].isspace():
            break
        match = re.match(r"\s+([\w-]+)\s*:", line)
        if match and match.group(1) in roles:
            return number + 1
    return start
