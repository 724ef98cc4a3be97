"""Lighthouse report of the demo: the home page and an article, as a phone sees them.

Builds the demo (at the tests' pinned time) into build/lighthouse/site/, serves it over HTTP on loopback and runs
Lighthouse (npm ``lighthouse``, pinned below; installed on first use into build/.tools/, not a test
dependency) with Debian's Chromium (CHROME_PATH, default /usr/bin/chromium) in Lighthouse's default
mobile emulation (Moto G Power screen, slow 4G and 4x CPU slowdown simulated). Prints the scores of
accessibility, best practices, SEO and performance and the cumulative layout shift (CLS) of each page;
the JSON reports stay in build/lighthouse/.

    python3 scripts/lighthouse.py            # print the scores
    python3 scripts/lighthouse.py --check    # and exit 1 under the targets (a11y/BP/SEO 100, perf ≥ 95, CLS ≤ 0.05)

See docs/testing.md.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from govsite.pipeline.build import BuildOptions, build_site  # noqa: E402

from browser import NotFoundServer  # noqa: E402
from helpers import DEMO_NOW as NOW  # noqa: E402  (the demo's pinned build time, as in the tests)

LIGHTHOUSE = "12.2.3"   # 13 needs Node 22; the machines have Node 20
TOOLS = REPO / "build" / ".tools"
PAGES = {"home": "index.html", "article": "zwdt/gzdt/yshj-tjh.html"}
CATEGORIES = ("accessibility", "best-practices", "seo", "performance")
TARGETS = {"accessibility": 100, "best-practices": 100, "seo": 100, "performance": 95}
CLS_TARGET = 0.05


def lighthouse_bin() -> Path:
    """build/.tools/node_modules/.bin/lighthouse, installed (pinned) the first time."""
    binary = TOOLS / "node_modules" / ".bin" / "lighthouse"
    version_file = TOOLS / "node_modules" / "lighthouse" / "package.json"
    if not binary.exists() or json.loads(version_file.read_text())["version"] != LIGHTHOUSE:
        TOOLS.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(TOOLS), "--no-audit", "--no-fund", "--no-save",
                        f"lighthouse@{LIGHTHOUSE}"], check=True)
    return binary


def run(binary: Path, url: str, report: Path, chrome: str) -> dict:
    flags = "--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking " \
            "--disable-component-update --disable-sync --disable-default-apps"
    subprocess.run([str(binary), url, "--quiet", "--output=json", f"--output-path={report}",
                    f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={flags}"],
                   check=True, env={**os.environ, "CHROME_PATH": chrome})
    data = json.loads(report.read_text(encoding="utf-8"))
    scores = {c: round(data["categories"][c]["score"] * 100) for c in CATEGORIES}
    scores["cls"] = round(data["audits"]["cumulative-layout-shift"]["numericValue"], 3)
    scores["failed"] = sorted(a["id"] for a in data["audits"].values()
                              if a.get("score") is not None and a["score"] < 1 and a.get("scoreDisplayMode") == "binary")
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a page is under the targets")
    parser.add_argument("--out", type=Path, default=REPO / "build" / "lighthouse")
    args = parser.parse_args(argv)
    chrome = os.environ.get("CHROME_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    binary = lighthouse_bin()
    args.out.mkdir(parents=True, exist_ok=True)
    result = build_site(REPO, "demo", args.out / "site", BuildOptions(now=NOW, jobs=2))
    if result.report.errors:
        print("the demo does not build", file=sys.stderr)
        return 1
    server = NotFoundServer(args.out / "site" / "demo")
    below = []
    print(f"Lighthouse {LIGHTHOUSE}, mobile emulation, {chrome}")
    print(f"{'page':10} {'a11y':>5} {'BP':>5} {'SEO':>5} {'perf':>5} {'CLS':>6}  binary audits not passed")
    try:
        for name, rel in PAGES.items():
            s = run(binary, server.base + rel, args.out / f"{name}.json", chrome)
            print(f"{name:10} {s['accessibility']:>5} {s['best-practices']:>5} {s['seo']:>5} {s['performance']:>5}"
                  f" {s['cls']:>6}  {', '.join(s['failed']) or '—'}")
            below += [f"{name}: {c} {s[c]} < {t}" for c, t in TARGETS.items() if s[c] < t]
            below += [f"{name}: CLS {s['cls']} > {CLS_TARGET}"] if s["cls"] > CLS_TARGET else []
    finally:
        server.httpd.shutdown()
    if below:
        print("under the targets: " + "; ".join(below))
    return 1 if below and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
