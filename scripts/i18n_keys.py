#!/usr/bin/env python3
"""List the theme's interface strings and which translations lack them.

    python scripts/i18n_keys.py            # missing keys per shipped language
    python scripts/i18n_keys.py --write    # add missing keys to zh-CN.yaml (the catalogue for translators)

Keys are the simplified-Chinese texts inside ``_("…")`` in templates and scripts, plus the titles
of special and generated pages that Python code passes through the same function.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from govsite.config.messages import load_messages, missing, template_keys
from govsite.core.errors import Report
from govsite.render.pages import SPECIAL_PAGES
from govsite.render.views import VIEWS

THEME = REPO / "themes" / "default"
LANGUAGES = ("zh-CN", "zh-TW", "en")


def all_keys() -> set[str]:
    keys = template_keys([THEME / "templates", THEME / "static" / "js"])
    keys.update(("您即将离开本网站", "页面未找到"))  # titles render.py passes through the same function
    keys.update(title for _template, title in SPECIAL_PAGES.values())
    keys.update(view.TITLE for view in VIEWS.values())
    return keys


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="append missing keys to zh-CN.yaml")
    args = parser.parse_args()
    keys = all_keys()
    status = 0
    for language in LANGUAGES:
        messages = load_messages([THEME], language, Report())
        gaps = missing(messages, keys)
        print(f"{language}: {len(keys) - len(gaps)}/{len(keys)} translated")
        for key in gaps:
            print(f"  {key}")
        if gaps and language == "zh-CN" and args.write:
            with open(THEME / "i18n" / "zh-CN.yaml", "a", encoding="utf-8") as fh:
                for key in gaps:
                    fh.write(f'"{key}": "{key}"\n')
        status = status or (1 if gaps else 0)
    return status


if __name__ == "__main__":
    sys.exit(main())
