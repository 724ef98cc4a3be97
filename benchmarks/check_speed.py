#!/usr/bin/env python3
"""Check-speed benchmark: ``govsite check`` on the demo and a generated 10,000-page corpus.

    python benchmarks/check_speed.py                     # demo + 10,000-page corpus (target: ≤ 10 s on 2 cores)
    python benchmarks/check_speed.py --pages 5000 --build-cost   # also: what the check gate adds to a build
    python benchmarks/check_speed.py --jobs 1 --jobs 2

Corpora come from ../shared/bench/make_corpus.py (as in build_speed.py) and are kept under
bench-corpora/ (git-ignored). Each site is built first, so the check scans build/<site>/ (the normal
case after `govsite build`); every timing is the wall time of one `python cli.py check` process,
interpreter start-up included, best of --repeat runs. "--source-only" skips the rules that read
rendered pages; "--build" renders into a temporary folder instead of scanning (the slow path when
the build output is missing or older than the sources).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_speed import NOW, REPO, corpus  # noqa: E402


def count_pages(project: Path, site: str) -> int:
    return sum(1 for _ in (project / "content" / site).rglob("*.md"))


def run(cmd: list[str], ok=(0, 1)) -> tuple[float, str]:
    env = dict(os.environ, CI="true")
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode not in ok:
        sys.exit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-4000:]}")
    return seconds, done.stdout + done.stderr


def build(project: Path, site: str, check: bool = True) -> float:
    cmd = [sys.executable, str(REPO / "cli.py"), "--project", str(project), "build", site, "--now", NOW]
    return run(cmd + ([] if check else ["--no-check"]), ok=(0,))[0]


def timed_check(project: Path, site: str, extra: list[str], repeat: int) -> tuple[float, dict]:
    best, report = float("inf"), {}
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "check.json"
        for _ in range(repeat):
            cmd = [sys.executable, str(REPO / "cli.py"), "--project", str(project), "check", site, "--now", NOW,
                   "--format", "json", "--report-file", str(target), *extra]
            seconds, _ = run(cmd)
            best = min(best, seconds)
            report = json.loads(target.read_text(encoding="utf-8"))
    return best, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, action="append", help="corpus size (repeatable); default 10000")
    parser.add_argument("--jobs", type=int, action="append", help="worker processes (repeatable); default: CPUs")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best is shown")
    parser.add_argument("--work", type=Path, default=REPO / "bench-corpora")
    parser.add_argument("--no-demo", action="store_true")
    parser.add_argument("--slow-path", action="store_true", help="also time --build (render to a temporary folder)")
    parser.add_argument("--build-cost", action="store_true",
                        help="also time `govsite build` with and without the check gate (--no-check)")
    args = parser.parse_args()
    args.work.mkdir(exist_ok=True)
    targets = [] if args.no_demo else [("demo", REPO, "demo")]
    targets += [(f"corpus {n}", corpus(n, args.work), "bench") for n in (args.pages or [10000])]
    jobs_list = args.jobs or [None]

    print(f"govsite check speed — {os.cpu_count()} CPU(s), Python {sys.version.split()[0]}, --now '{NOW}', "
          f"best of {args.repeat}")
    print(f"{'site':<14}{'jobs':>5}{'pages':>8}  {'variant':<14}{'output':<10}{'seconds':>9}{'findings':>10}")
    for label, project, site in targets:
        pages = count_pages(project, site)
        for jobs in jobs_list:
            variants = [("scan build/", []), ("--source-only", ["--source-only"])]
            if args.slow_path:
                variants.append(("--build", ["--build"]))
            for name, extra in variants:
                extra = extra + (["--jobs", str(jobs)] if jobs else [])
                build(project, site, check=False)      # fresh output for the scan
                seconds, report = timed_check(project, site, extra, args.repeat)
                info = report["sites"][0]
                if name == "scan build/" and info["output"]["mode"] != "scanned":
                    print(f"  (note: {label} output was {info['output']['mode']}, sources changed during the run)")
                findings = sum(info["summary"][k] for k in ("error", "warning", "info"))
                print(f"{label:<14}{jobs or os.cpu_count():>5}{pages:>8}  {name:<14}{info['output']['mode']:<10}"
                      f"{seconds:>9.2f}{findings:>10}")
        if args.build_cost:
            plain = min(build(project, site, check=False) for _ in range(args.repeat))
            gated = min(build(project, site, check=True) for _ in range(args.repeat))
            print(f"{label:<14}{'':>5}{pages:>8}  build: {plain:.2f} s with --no-check, {gated:.2f} s with the check gate "
                  f"(+{gated - plain:.2f} s, {100 * (gated - plain) / plain:.0f} %)")


if __name__ == "__main__":
    main()
