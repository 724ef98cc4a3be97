#!/usr/bin/env python3
"""Where a cold build's CPU goes, by part of the pipeline: a sampling profile of one build.

    python3 -m pip install py-spy                 # the sampler (not a govsite dependency)
    python3 benchmarks/profile_build.py PROJECT [SITE] [--raw FILE]

The build runs with ``--jobs 1 --no-cache`` (every page rendered in one process, so one sampled
process sees all the work) under ``py-spy record``, at 250 samples a second; each sample is
counted once for the first part of the table whose functions are on its stack, in the table's
order. The shares are of the whole run, Python start-up included. ``--raw FILE`` reads samples
written earlier (py-spy's ``raw`` format) instead of building.
"""
from __future__ import annotations

import argparse
import collections
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NOW = "2026-12-01 09:00"

# (part, substrings of frames that put a sample in it), first match wins: nested parts first
PARTS = [
    ("search index (render workers)", ["SearchWorker.index", "PartialIndex"]),
    ("Markdown → HTML", ["MarkdownRenderer.render"]),
    ("export items", ["SiteRenderer._export"]),
    ("closing paragraphs", ["mark_closing"]),        # 落款 and 成文日期 (render.document)
    ("templates (Jinja)", ["Template.render"]),
    ("output rules (scan)", ["scan_output", "check_output", "_html_task"]),
    ("search files (child)", ["write_search"]),
    ("export files (child)", ["write_export"]),
    ("load + resolve", ["load_and_check"]),
    ("file writes", ["OutputDir.write", "_write_new"]),
]


def record(project: Path, site: str, raw: Path) -> None:
    with tempfile.TemporaryDirectory() as out:
        cmd = ["py-spy", "record", "-r", "250", "-f", "raw", "-o", str(raw), "--",
               sys.executable, str(REPO / "cli.py"), "--project", str(project), "build", site,
               "--out", out, "--now", NOW, "--jobs", "1", "--no-cache"]
        subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def shares(raw: Path) -> tuple[int, collections.Counter]:
    counts: collections.Counter = collections.Counter()
    total = 0
    for line in raw.read_text(encoding="utf-8").splitlines():
        stack, _, n = line.rpartition(" ")
        if not n.isdigit():
            continue
        total += int(n)
        part = next((name for name, marks in PARTS if any(mark in stack for mark in marks)), "other")
        counts[part] += int(n)
    return total, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("project", type=Path, nargs="?")
    parser.add_argument("site", nargs="?", default="bench")
    parser.add_argument("--raw", type=Path, help="samples recorded before (py-spy raw format)")
    args = parser.parse_args()
    raw = args.raw
    if raw is None:
        if args.project is None or shutil.which("py-spy") is None:
            sys.exit("needs PROJECT and py-spy on PATH (python3 -m pip install py-spy), or --raw FILE")
        raw = Path(tempfile.mkstemp(suffix=".raw")[1])
        record(args.project, args.site, raw)
    total, counts = shares(raw)
    print(f"{total} samples ({total / 250:.1f} s of one core at 250 Hz)")
    for name, _ in PARTS + [("other", [])]:
        print(f"  {name:<32}{counts[name] / total * 100:6.1f} %{counts[name] / 250:8.2f} s")


if __name__ == "__main__":
    main()
