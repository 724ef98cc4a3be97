"""Screenshots of every page type of the demo, for a person to look at before calling a change done.

Builds the demo (at the tests' pinned time) into build/screenshots/site/, serves it on loopback and writes
build/screenshots/<page type>-<width>[-large|-contrast].png: every named page type (tests/browser.py
PAGE_TYPES) at 1280 and 375 px, in the default look, 超大 (extra-large font) and 高对比度 (high contrast).

    python3 scripts/screenshots.py                  # all of them (about two minutes)
    python3 scripts/screenshots.py home article     # only these page types
    python3 scripts/screenshots.py --all-structures # also one page of every other page structure

Needs what scripts/test.sh installs (Debian's Chromium through Playwright). See docs/testing.md.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from govsite.pipeline.build import BuildOptions, build_site  # noqa: E402

from browser import MODES, PAGE_TYPES, NotFoundServer, launch, new_page, page_types, page_url  # noqa: E402
from helpers import DEMO_NOW as NOW  # noqa: E402  (the demo's pinned build time, as in the tests)

SUFFIX = {"default": "", "large font": "-large", "high contrast": "-contrast"}


def file_name(kind: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", kind.lower()).strip("-") or "page"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kinds", nargs="*", help="page types (default: all named ones)")
    parser.add_argument("--all-structures", action="store_true", help="also one page of every other structure")
    parser.add_argument("--out", type=Path, default=REPO / "build" / "screenshots")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    result = build_site(REPO, "demo", args.out / "site", BuildOptions(now=NOW, jobs=2))
    if result.report.errors:
        print("the demo does not build", file=sys.stderr)
        return 1
    demo = args.out / "site" / "demo"
    kinds = page_types(demo)
    if not args.all_structures:
        kinds = {k: v for k, v in kinds.items() if k in PAGE_TYPES}
    if args.kinds:
        unknown = set(args.kinds) - set(kinds)
        if unknown:
            print(f"unknown page types: {', '.join(sorted(unknown))}; known: {', '.join(kinds)}", file=sys.stderr)
            return 2
        kinds = {k: kinds[k] for k in args.kinds}
    server = NotFoundServer(demo)
    from playwright.sync_api import sync_playwright

    written = 0
    with sync_playwright() as p:
        chromium = launch(p)
        for mode, storage in MODES.items():
            for width in (1280, 375):
                context, page = new_page(chromium, server, width, storage)
                for kind, rel in kinds.items():
                    page.goto(page_url(server, rel))
                    page.wait_for_load_state("networkidle")
                    path = args.out / f"{file_name(kind)}-{width}{SUFFIX[mode]}.png"
                    page.screenshot(path=str(path), full_page=True)
                    written += 1
                context.close()
        chromium.close()
    server.httpd.shutdown()
    print(f"{written} screenshots in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
