#!/usr/bin/env python3
"""CI with a restored cache: what a push that edits one page costs a CI job that restores the last
run's ``build/`` and ``.govsite-cache/`` (new inodes and mtimes, as a CI cache restore gives),
beside Hugo's cold build of the same corpus, in the same run, alternating.

    python benchmarks/ci_cache.py                  # 5,000 pages, 3 rounds
    python benchmarks/ci_cache.py --pages 1000 --rounds 5

Each round: Hugo builds its corpus cold; the govsite project is replaced by a copy of itself as the
last CI run left it (copied file by file: every inode and mtime new), 2.5 s pass (the job installs
govsite between checkout and build: files younger than 2 s are never trusted unchanged), one
article is edited and ``govsite build`` runs; then the same folder is built again after a second
edit (the job's next build on a machine that keeps its checkout). Medians are printed with the
ratio to Hugo's cold build. Corpora come from ../shared/bench/make_corpus.py; Hugo is looked up as
``TOOLS/hugo/bin/hugo`` and on PATH (docs/benchmarks.md).
"""
from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS_TOOL = REPO.parent / "shared" / "bench" / "make_corpus.py"
NOW = "2026-11-24 10:00"


def corpus(out: Path, pages: int, flavor: str) -> Path:
    if not out.is_dir():
        subprocess.run([sys.executable, str(CORPUS_TOOL), "--pages", str(pages), "--out", str(out), "--flavor", flavor],
                       check=True, stdout=subprocess.DEVNULL)
    return out


STAGE = re.compile(r"^  (\S.*?)\s+([0-9.]+) s\s", re.M)   # a line of --timings


def govsite(project: Path, stages: dict[str, list[float]] | None = None) -> tuple[float, str]:
    """One ``govsite build`` of ``project``: wall seconds and the counts it prints; with ``stages``,
    run with ``--timings`` and each stage's seconds appended there."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "govsite", "--project", str(project), "build", "bench", "--now", NOW,
                           *(["--timings"] if stages is not None else [])], capture_output=True, text=True, cwd=REPO)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(done.stderr[-2000:])
    line = [line for line in done.stdout.splitlines() if "pages in" in line][-1]
    if stages is not None:
        for name, value in STAGE.findall(done.stdout + done.stderr):
            stages.setdefault(name, []).append(float(value))
    return seconds, line[line.index("("):line.index(")") + 1]


def hugo_cold(hugo: str, site: Path) -> float:
    for folder in ("public", "resources"):
        shutil.rmtree(site / folder, ignore_errors=True)
    started = time.perf_counter()
    subprocess.run([hugo, "--quiet"], cwd=site, check=True, capture_output=True)
    return time.perf_counter() - started


def edit(project: Path, n: int, text: str) -> None:
    page = sorted(project.glob("content/bench/zwdt/gzdt/*.md"))[n]
    page.write_text(page.read_text(encoding="utf-8") + f"\n\n{text}{n}。\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--work", type=Path, default=REPO / "bench-corpora")
    parser.add_argument("--tools", type=Path, default=Path("/work/bench-venvs"))
    args = parser.parse_args()
    hugo = next((str(p) for p in (args.tools / "hugo/bin/hugo",) if p.exists()), shutil.which("hugo"))
    if hugo is None:
        sys.exit("needs Hugo (see docs/benchmarks.md)")
    work = args.work.resolve()
    project = work / f"ci-govsite-{args.pages}"
    snapshot = work / f"ci-govsite-{args.pages}.last-run"
    site = corpus(work / f"hugo-{args.pages}", args.pages, "hugo")
    shutil.rmtree(project, ignore_errors=True)
    shutil.copytree(corpus(work / f"govsite-{args.pages}", args.pages, "govsite"), project,
                    ignore=shutil.ignore_patterns("build", ".govsite-cache"))
    seconds, counts = govsite(project)
    print(f"govsite cold, filling the cache: {seconds:.2f} s {counts}", flush=True)
    shutil.rmtree(snapshot, ignore_errors=True)
    shutil.copytree(project, snapshot)
    hugos, restored, kept = [], [], []
    stages: dict[str, list[float]] = {}   # the restored builds' --timings
    for n in range(args.rounds):
        hugos.append(hugo_cold(hugo, site))
        shutil.rmtree(project)
        shutil.copytree(snapshot, project, copy_function=shutil.copyfile)   # new inodes and mtimes
        time.sleep(2.5)
        edit(project, n, "追加的一句话")
        seconds, counts = govsite(project, stages)
        restored.append(seconds)
        edit(project, n, "再追加一句")
        kept.append(govsite(project)[0])
        print(f"round {n + 1}: Hugo cold {hugos[-1]:.2f} s | govsite restored cache + 1 edit {seconds:.2f} s "
              f"{counts} | same folder + 1 edit {kept[-1]:.2f} s", flush=True)
    h, r, k = statistics.median(hugos), statistics.median(restored), statistics.median(kept)
    print(f"medians: Hugo cold {h:.2f} s; govsite restored cache + 1 edit {r:.2f} s = {r / h:.2f}x Hugo cold; "
          f"same folder + 1 edit {k:.2f} s")
    print("restored cache + 1 edit, median seconds per stage (--timings):")
    for name, values in stages.items():
        print(f"  {name:20s} {statistics.median(values):6.3f}")


if __name__ == "__main__":
    main()
