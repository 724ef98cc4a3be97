"""Regenerate the key tables of the docs from the YAML schemas (govsite.config.schema).

Each table sits between ``<!-- schema:NAME -->`` and ``<!-- /schema -->`` in a Markdown file;
NAME is a schema's name (``site.yaml``, ``check``, ``_column.yaml``, ``front matter``, ``type:policy``
…). Run ``python3 scripts/docs_formats.py`` after changing a schema; ``--check`` exits 1 when a doc
differs from what the schema says (tests/test_schema.py runs it), so the tables cannot drift.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from govsite.config.check import CHECK  # noqa: E402
from govsite.config.schema import doc_table  # noqa: E402
from govsite.config.site import SITE  # noqa: E402
from govsite.config.units import UNIT  # noqa: E402
from govsite.content.loader import COLUMN, PAGE  # noqa: E402
from govsite.core.themes import doc_table as themes_table  # noqa: E402
from govsite.site.types import SCHEMAS as TYPE_SCHEMAS  # noqa: E402

DOCS = ("docs/formats.md", "docs/check.md", "docs/units.md", "docs/disclosure.md")
_REGION = re.compile(r"(<!-- schema:(?P<name>[^>]+?) -->\n)(?P<body>.*?)(<!-- /schema -->)", re.S)


def schemas() -> dict:
    found = {s.name: s for s in (SITE, CHECK, COLUMN, PAGE, UNIT)}
    found.update({f"type:{name}": schema for name, schema in TYPE_SCHEMAS.items()})
    return found


def render(text: str, known: dict | None = None) -> str:
    """``text`` with every marked region replaced by its schema's table."""
    known = schemas() if known is None else known

    def table(match) -> str:
        name = match.group("name").strip()
        if name == "themes":   # not a schema: the 主题分类 vocabulary (govsite.core.themes)
            return match.group(1) + themes_table() + "\n" + match.group(4)
        if name not in known:
            raise SystemExit(f"unknown schema {name!r} in a <!-- schema: --> marker; known: {', '.join(known)}")
        return match.group(1) + doc_table(known[name]) + "\n" + match.group(4)

    return _REGION.sub(table, text)


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else argv
    check = "--check" in args
    stale = []
    for name in DOCS:
        path = ROOT / name
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        new = render(text)
        if new != text:
            stale.append(name)
            if not check:
                path.write_text(new, encoding="utf-8")
    if check and stale:
        print("out of date (run python3 scripts/docs_formats.py): " + ", ".join(stale), file=sys.stderr)
        return 1
    for name in stale:
        print(f"rewrote {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
