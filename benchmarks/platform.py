#!/usr/bin/env python3
"""Platform benchmark (集约化平台): M sites built whole on one machine and as N shards, each shard in
a process of its own as a CI matrix job would run it, and what that projects to for 300 sites.

    python benchmarks/platform.py                        # 60 sites, ~200 pages each, 4 shards
    python benchmarks/platform.py --sites 20 --pages 100 --shards 2
    python benchmarks/platform.py --project-sites 300 --project-pages 2000

The platform is generated with ../shared/bench/make_corpus.py (deterministic, real government
prose): site ``s000`` is the portal, the others departments and towns of 40–160 % of ``--pages``
pages; the portal copies the 部门动态 of the first ten (``include: … mode: copy``), and every
other site lists the portal's 通知公告 (``mode: link``), so shards build sites whose includes
live in other shards. Builds are cold (no cache, no previous output).

- **whole**: ``govsite build`` of every site at once (sites side by side on this machine's cores);
- **shard K/N**: ``govsite build --shard K/N``, one after the other here; on a matrix they run at
  the same time on N runners, so the **projected matrix time** is the slowest shard's;
- the shard outputs are compared with the whole build's, byte for byte.

The projection for ``--project-sites`` sites of ``--project-pages`` pages scales the measured time
a page: one machine builds them all at the whole build's rate; each of N runners builds 1/N of
them at the shard jobs' rate (their start-up spread over their pages).
"""
from __future__ import annotations

import argparse
import filecmp
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS_TOOL = REPO.parent / "shared" / "bench" / "make_corpus.py"
NOW = "2026-11-24 10:00"


def site_pages(index: int, pages: int) -> int:
    """Pages of site ``index``: 40–160 % of ``pages``, varied deterministically."""
    return max(20, int(pages * (0.4 + ((index * 37) % 61) / 50)))


def make_platform(root: Path, sites: int, pages: int) -> int:
    """Write the platform into ``root`` (sites/ and content/, the repository's theme); returns
    the pages written."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    shutil.copytree(REPO / "themes", root / "themes")
    total = 0
    for i in range(sites):
        key = f"s{i:03d}"
        n = site_pages(i, pages)
        subprocess.run([sys.executable, str(CORPUS_TOOL), "--pages", str(n), "--out", str(root), "--site", key,
                        "--seed", str(i + 1)], check=True, stdout=subprocess.DEVNULL)
        total += n
        config = root / "sites" / key / "site.yaml"
        text = config.read_text(encoding="utf-8")
        text = text.replace("www.bench.gov.cn", f"{key}.bench.gov.cn").replace('"1201990001"', f'"12019{i:05d}"')
        if i == 0:
            rules = "".join(f"  - {{from: s{j:03d}, columns: [zwdt/bmdt], into: zwdt/bmdt, mode: copy, limit: 20}}\n"
                            for j in range(1, min(sites, 11)))
        else:
            rules = "  - {from: s000, columns: [zwdt/tzgg], into: zwdt/tzgg, mode: link, limit: 10}\n"
        config.write_text(text.rstrip("\n") + "\ninclude:\n" + rules, encoding="utf-8")
    return total


def timed(args: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "govsite", *args], cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"govsite {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return seconds


def clean(root: Path) -> None:
    for name in ("build", ".govsite-cache"):
        shutil.rmtree(root / name, ignore_errors=True)


def same_tree(a: Path, b: Path) -> bool:
    cmp = filecmp.dircmp(a, b)
    if cmp.left_only or cmp.right_only or cmp.funny_files:
        return False
    _, mismatch, errors = filecmp.cmpfiles(a, b, cmp.common_files, shallow=False)
    return not mismatch and not errors and all(same_tree(a / d, b / d) for d in cmp.common_dirs)


def per_page(points: list[tuple[int, float]]) -> float:
    """Seconds a page on one runner: the shards' time over their pages (each shard's start-up
    and per-site work spread over its pages; shards of equal work give no spread to fit a line to)."""
    return sum(seconds for _, seconds in points) / max(1, sum(pages for pages, _ in points))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sites", type=int, default=60)
    parser.add_argument("--pages", type=int, default=200, help="mean pages per site")
    parser.add_argument("--shards", type=int, default=4)
    parser.add_argument("--out", type=Path, default=REPO / "bench-corpora" / "platform")
    parser.add_argument("--project-sites", type=int, default=300)
    parser.add_argument("--project-pages", type=int, default=2000)
    args = parser.parse_args()
    if not CORPUS_TOOL.is_file():
        sys.exit(f"needs {CORPUS_TOOL} (the team's corpus generator)")
    root = args.out.resolve()
    total = make_platform(root, args.sites, args.pages)
    print(f"platform: {args.sites} sites, {total} pages in {root}; {os.cpu_count()} CPUs", flush=True)
    common = ["--now", NOW, "--no-cache"]

    clean(root)
    whole = timed(["build", "--out", "whole", *common], root)
    print(f"whole     {whole:8.1f} s   {total / whole:6.0f} pages/s", flush=True)
    plan = subprocess.run([sys.executable, "-m", "govsite", "plan", "--shards", str(args.shards)], cwd=root,
                          capture_output=True, text=True, check=True).stdout

    shards = json.loads(plan)["shards"]
    times = []
    for shard in shards:
        seconds = timed(["build", "--shard", shard["shard"], "--out", "sharded", *common], root) if shard["sites"] else 0.0
        times.append((shard["pages"], seconds))
        print(f"shard {shard['shard']:>5} {seconds:8.1f} s   {len(shard['sites']):3d} sites {shard['pages']:7d} pages",
              flush=True)
    identical = same_tree(root / "whole", root / "sharded")
    slowest = max(seconds for _, seconds in times)
    print(f"projected matrix time (slowest of {args.shards} shards): {slowest:.1f} s "
          f"= {whole / slowest:.2f}x faster than one machine; outputs identical: {identical}")
    shard_page = per_page([t for t in times if t[1] > 0])
    pages = args.project_sites * args.project_pages
    one = pages * whole / total
    print(f"\nprojection for {args.project_sites} sites x {args.project_pages} pages = {pages} pages, cold "
          f"(whole build here: {1000 * whole / total:.2f} ms a page; a shard job: {1000 * shard_page:.2f} ms a page)")
    print(f"  one machine ({os.cpu_count()} CPUs): {one / 60:6.1f} min")
    for runners in (4, 10, 20, 50, 100):
        print(f"  {runners:3d} runners ({os.cpu_count()} CPUs each): {shard_page * pages / runners / 60:6.1f} min "
              f"(+ each job's checkout, install and cache restore)")
    if not identical:
        sys.exit("the sharded outputs differ from the whole build's")


if __name__ == "__main__":
    main()
