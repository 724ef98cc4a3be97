#!/usr/bin/env python3
"""Build-speed benchmark: the demo site and generated corpora, with pages/s and peak memory.

    python benchmarks/build_speed.py                 # demo + 5,000-page corpus
    python benchmarks/build_speed.py --pages 1000 --pages 5000 --jobs 1 --jobs 2

Corpora come from ../shared/bench/make_corpus.py (deterministic, real government prose) and are
kept under bench-corpora/ (git-ignored) between runs. Each build runs as its own process
(`python cli.py build`); peak memory is the largest sum of resident memory over that process and
its worker processes, sampled every 20 ms.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS_TOOL = REPO.parent / "shared" / "bench" / "make_corpus.py"
NOW = "2026-11-24 10:00"


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children", encoding="ascii") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except OSError:
            continue
    return pids


def timed_build(project: Path, site: str, out: Path, jobs: int | None) -> tuple[float, float]:
    """Run one build; return (seconds, peak MiB over the process tree)."""
    cmd = [sys.executable, str(REPO / "cli.py"), "--project", str(project), "build", site,
           "--out", str(out), "--now", NOW]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    env = dict(os.environ, CI="true")
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=REPO)
    peak = 0
    stop = threading.Event()

    def sample():
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, sum(_rss_kib(p) for p in _tree(proc.pid)))
            stop.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = proc.communicate()
    seconds = time.perf_counter() - start
    stop.set()
    sampler.join()
    if proc.returncode != 0:
        sys.exit(f"build of {project}/{site} failed:\n{output.decode('utf-8', 'replace')[-4000:]}")
    return seconds, peak / 1024


def corpus(pages: int, root: Path) -> Path:
    target = root / f"corpus-{pages}"
    marker = target / ".complete"
    if not marker.exists():
        if not CORPUS_TOOL.is_file():
            sys.exit(f"corpus tool not found: {CORPUS_TOOL}")
        subprocess.run([sys.executable, str(CORPUS_TOOL), "--pages", str(pages), "--out", str(target)],
                       check=True, stdout=subprocess.DEVNULL)
        marker.write_text("ok")
    return target


def count_pages(project: Path, site: str) -> int:
    return sum(1 for _ in (project / "content" / site).rglob("*.md"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, action="append", help="corpus size (repeatable); default 5000")
    parser.add_argument("--jobs", type=int, action="append", help="worker processes (repeatable); default: CPUs")
    parser.add_argument("--work", type=Path, default=REPO / "bench-corpora")
    parser.add_argument("--no-demo", action="store_true")
    args = parser.parse_args()
    sizes = args.pages or [5000]
    jobs_list = args.jobs or [None]
    args.work.mkdir(exist_ok=True)
    out = args.work / "out"

    targets = []
    if not args.no_demo:
        targets.append(("demo", REPO, "demo"))
    for size in sizes:
        targets.append((f"corpus {size}", corpus(size, args.work), "bench"))

    print(f"govsite build speed — {os.cpu_count()} CPU(s), Python {sys.version.split()[0]}, --now '{NOW}'")
    print(f"{'site':<14}{'jobs':>5}{'pages':>8}{'seconds':>10}{'pages/s':>10}{'peak MiB':>10}")
    for label, project, site in targets:
        pages = count_pages(project, site)
        for jobs in jobs_list:
            seconds, peak = timed_build(project, site, out, jobs)
            print(f"{label:<14}{jobs or os.cpu_count():>5}{pages:>8}{seconds:>10.2f}{pages / seconds:>10.0f}{peak:>10.0f}")


if __name__ == "__main__":
    main()
