"""LY-5 (色彩与对比度): every text/background pair the theme draws is readable in the site's colours.

The theme declares its colour roles and the pairs it draws (theme.yaml ``pairs``); the site picks
its main and auxiliary colours (site.yaml ``colors:``). Loading both is the theme's business
(:func:`govsite.config.theme.load_theme`); judging the result is this rule: WCAG 2.1 AA, success
criterion 1.4.3, asks 4.5:1 for normal text. A site that picks a light main colour fails the build
at the ``colors:`` line that chose it, before any page shows white text on it. A pair of the
theme's own colours (the status colours 状态标签 among them) that fails is reported at the
theme.yaml line that declared the colour, since that is where it is fixed.
"""
from __future__ import annotations

import re
from pathlib import Path

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
            message = (f"[LY-5] 颜色对比度不足：{where}（文字 {theme.colors[text]}，背景 {theme.colors[background]}）"
                       f"为 {ratio:.2f}:1，低于 {MIN_CONTRAST}:1")
            declared = theme_origin(theme, text, background)
            if declared is not None:
                role, (path, line) = declared
                report.error(path, line, message, f"在主题的 theme.yaml 中调整 {role} 的颜色，使对比度不低于 4.5:1",
                             rule="LY-5")
            else:
                report.error(config.file, color_line(config, (text, background, "main" if "main" in text + background else "")),
                             message, "把主色调深或把浅色背景调浅，使对比度不低于 4.5:1", rule="LY-5")


def theme_origin(theme: Theme, text: str, background: str) -> tuple[str, tuple[Path, int]] | None:
    """The colour of a failing pair to blame, and its theme.yaml line, when neither colour is the
    site's choice: the one declared in the nearest theme (a child theme's change rather than the
    parent's value it was paired with), the text colour if both come from the same theme."""
    if text not in theme.origins or background not in theme.origins:
        return None
    order = {Path(folder).resolve(): rank for rank, folder in enumerate(theme.dirs)}

    def nearness(role: str) -> int:
        return order.get(Path(theme.origins[role][0]).parent.resolve(), len(order))

    role = background if nearness(background) < nearness(text) else text
    return role, theme.origins[role]


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
