#!/usr/bin/env python3
"""Build-speed benchmark: cold, warm and one-file-change builds, pages/s and peak memory,
side by side with Hugo, Pelican and MkDocs on the same corpus when they are installed.

    python benchmarks/build_speed.py                          # 1k, 5k and 20k pages
    python benchmarks/build_speed.py --pages 5000 --repeat 3  # medians of three runs
    python benchmarks/build_speed.py --pages 5000 --tools /work/bench-venvs

Corpora come from ../shared/bench/make_corpus.py (deterministic, real government prose), in the
govsite layout and, for the other generators, in theirs (``--flavor``); they are kept under
bench-corpora/ (git-ignored) between runs. Every build runs as its own process; peak memory is
the largest sum over that process and its workers of resident memory (RSS, sampled every 20 ms,
which counts memory that forked workers share with the parent once per process) and of
proportional memory (PSS, which counts shared pages once: what the machine really needs; sampled
less often, as reading it costs the kernel ~10 ms per GiB: at most ~2 % of a core); "1 proc" is
the peak RSS of the largest single process (what ``/usr/bin/time`` reports).

- **cold**: no build cache and no previous output (``.govsite-cache/`` and the output removed);
- **warm**: the same build again, nothing changed;
- **warm, next day** / **warm, a week on**: the same at a build time a day and a week later
  (``--now``): the whole-build shortcut holds until some output would change;
- **one file**: one page's body edited (a sentence appended), then built.

Each round builds govsite cold and then every other generator cold, so each ratio compares builds
made minutes apart (this machine's speed drifts); the output's and the build cache's sizes are
printed against the HTML pages.

Hugo, Pelican and MkDocs are looked up on PATH and as ``TOOLS/<name>/bin/<name>`` (one venv per
tool, see docs/benchmarks.md); each builds the same pages cold, once per round. MkDocs renders the
whole navigation into every page and needs minutes for 5,000 pages, so it runs only up to
``--mkdocs-max`` pages.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS_TOOL = REPO.parent / "shared" / "bench" / "make_corpus.py"
NOW = "2026-11-24 10:00"
EDIT = "\n\n本段为基准测试追加的一句话，用于测量只改动一个文件时的构建时间。\n"


def _proc_kib(pid: int, name: str, field: str) -> int | None:
    """A ``field: N kB`` line of ``/proc/<pid>/<name>``; None when the process or line is gone."""
    try:
        with open(f"/proc/{pid}/{name}", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(field):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _rss_kib(pid: int) -> int:
    return _proc_kib(pid, "status", "VmRSS:") or 0


def _pss_kib(pid: int) -> int:
    """Proportional set size: shared pages count once over the processes sharing them (forked
    workers share the parent's memory; their RSS counts it again)."""
    found = _proc_kib(pid, "smaps_rollup", "Pss:")
    return _rss_kib(pid) if found is None else found


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


def timed(cmd: list[str], cwd: Path) -> tuple[float, float, float, float]:
    """Run ``cmd``; return (seconds, peak MiB summed over the process tree as RSS and as PSS, and
    the peak RSS of its largest process, as ``/usr/bin/time`` reports it). Exits on failure."""
    env = dict(os.environ, CI="true")
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=cwd)
    peak = peak_pss = peak_one = 0
    stop = threading.Event()

    def sample():
        # RSS (/proc/PID/status) costs microseconds: every 20 ms. PSS (smaps_rollup) makes the
        # kernel walk the page tables, ~10 ms per GiB and process: sampled so that it takes at
        # most ~2 % of a core, else the sampler itself slows the build it measures — the more,
        # the larger the build (it did: 20,000 pages took 89 s measured, 66 s unobserved)
        nonlocal peak, peak_pss, peak_one
        next_pss = 0.0
        while not stop.is_set():
            pids = _tree(proc.pid)
            sizes = [_rss_kib(p) for p in pids]
            peak = max(peak, sum(sizes))
            peak_one = max(peak_one, *sizes, 0)
            if time.perf_counter() >= next_pss:
                began = time.perf_counter()
                peak_pss = max(peak_pss, sum(_pss_kib(p) for p in pids))
                next_pss = time.perf_counter() + 50 * (time.perf_counter() - began)
            stop.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = proc.communicate()
    seconds = time.perf_counter() - start
    stop.set()
    sampler.join()
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{output.decode('utf-8', 'replace')[-4000:]}")
    return seconds, peak / 1024, peak_pss / 1024, peak_one / 1024


def corpus(pages: int, root: Path, flavor: str = "govsite") -> Path:
    target = root / (f"corpus-{pages}" if flavor == "govsite" else f"{flavor}-{pages}")
    marker = target / ".complete"
    if not marker.exists():
        if not CORPUS_TOOL.is_file():
            sys.exit(f"corpus tool not found: {CORPUS_TOOL}")
        shutil.rmtree(target, ignore_errors=True)
        subprocess.run([sys.executable, str(CORPUS_TOOL), "--pages", str(pages), "--out", str(target),
                        "--flavor", flavor], check=True, stdout=subprocess.DEVNULL)
        marker.write_text("ok")
    return target


def govsite_cmd(project: Path, out: Path, jobs: int | None, now: str = NOW) -> list[str]:
    cmd = [sys.executable, str(REPO / "cli.py"), "--project", str(project), "build", "bench",
           "--out", str(out), "--now", now]
    return cmd + (["--jobs", str(jobs)] if jobs else [])


# rebuilds with nothing changed at later build times: the whole-build shortcut holds until the
# next moment at which some output would change, not only within the minute or the day
LATER = {"warm, next day": "2026-11-25 10:00", "warm, a week on": "2026-12-01 10:00"}
GOVSITE_KINDS = ("cold", "warm", *LATER, "one file")


def govsite_runs(project: Path, out: Path, jobs: int | None, repeat: int, others=()) -> dict:
    """Median figures over ``repeat`` rounds: govsite cold, warm (the same minute, a day and a
    week later) and one file changed; ``others`` — (name, command, folder, output) of other
    generators — build cold right after govsite's cold build in every round, so that each pair is
    measured side by side on this noisy machine."""
    cmd = govsite_cmd(project, out, jobs)
    pages = sorted((project / "content" / "bench").rglob("*.md"))
    victim = pages[len(pages) // 2]
    original = victim.read_bytes()
    runs: dict[str, list] = {"cold": [], "warm": [], **{k: [] for k in LATER}, "one file": []}
    runs.update({f"{name} cold": [] for name, *_ in others})
    try:
        for _ in range(repeat):
            shutil.rmtree(project / ".govsite-cache", ignore_errors=True)
            shutil.rmtree(out, ignore_errors=True)
            runs["cold"].append(timed(cmd, REPO))
            for name, other, root, target in others:
                shutil.rmtree(target, ignore_errors=True)
                runs[f"{name} cold"].append(timed(other, root))
            runs["warm"].append(timed(cmd, REPO))
            for kind, later in LATER.items():
                runs[kind].append(timed(govsite_cmd(project, out, jobs, later), REPO))
            victim.write_bytes(original + EDIT.encode("utf-8"))
            time.sleep(0.01)
            runs["one file"].append(timed(cmd, REPO))
            victim.write_bytes(original)
            timed(cmd, REPO)  # back to the original text (not measured)
    finally:
        victim.write_bytes(original)
    return {kind: (statistics.median(v[0] for v in values), *(max(v[i] for v in values) for i in (1, 2, 3)))
            for kind, values in runs.items()}


def folder_bytes(folder: Path, skip: tuple[str, ...] = ()) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.name.endswith(skip))


def weights(project: Path, out: Path) -> str:
    """The output against its HTML pages (attachments aside), and the build cache against the
    output (issue #25: at most 2× each)."""
    site = out / "bench"
    total = folder_bytes(site)
    html = sum(p.stat().st_size for p in site.rglob("*.html"))
    cache = folder_bytes(project / ".govsite-cache")
    return (f"output {total / 2**20:.1f} MiB = {total / html:.2f}× its HTML pages ({html / 2**20:.1f} MiB); "
            f"build cache {cache / 2**20:.1f} MiB = {cache / total:.2f}× the output")


def find_tool(name: str, tools: Path | None) -> str | None:
    if tools is not None:
        candidate = tools / name / "bin" / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which(name)


def other_build(name: str, exe: str, root: Path, out: Path) -> list[str]:
    if name == "hugo":
        return [exe, "--quiet", "--destination", str(out)]
    if name == "pelican":
        return [exe, "content", "-s", "pelicanconf.py", "-o", str(out), "-q"]
    return [exe, "build", "-q", "-d", str(out)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, action="append", help="corpus size (repeatable); default 1000, 5000, 20000")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes; default: CPUs")
    parser.add_argument("--repeat", type=int, default=1, help="rounds per size; medians are printed")
    parser.add_argument("--work", type=Path, default=REPO / "bench-corpora")
    parser.add_argument("--tools", type=Path, default=os.environ.get("GOVSITE_BENCH_TOOLS"),
                        help="folder with one venv per tool: TOOLS/hugo, TOOLS/pelican, TOOLS/mkdocs")
    parser.add_argument("--others", default="hugo,pelican,mkdocs", help="comma-separated; '' for none")
    parser.add_argument("--mkdocs-max", type=int, default=5000, help="largest corpus MkDocs builds")
    args = parser.parse_args()
    sizes = args.pages or [1000, 5000, 20000]
    args.work.mkdir(exist_ok=True)
    out = args.work / "out"
    tools = [(n, find_tool(n, args.tools)) for n in filter(None, args.others.split(","))]

    print(f"govsite build speed — {os.cpu_count()} CPU(s), Python {sys.version.split()[0]}, "
          f"jobs {args.jobs or os.cpu_count()}, --now '{NOW}', median of {args.repeat}")
    print("other generators: " + ", ".join(f"{n} {'(' + p + ')' if p else 'not installed'}" for n, p in tools))
    header = (f"{'pages':>7}  {'build':<24}{'seconds':>9}{'pages/s':>9}{'RSS MiB':>9}{'PSS MiB':>9}"
              f"{'1 proc':>8}{'÷ govsite cold':>17}")
    print(header)
    summary = {}
    for size in sizes:
        project = corpus(size, args.work)
        others = []
        for name, exe in tools:
            if exe is None or (name == "mkdocs" and size > args.mkdocs_max):
                continue
            root = corpus(size, args.work, name)
            others.append((name, other_build(name, exe, root, out / name), root, out / name))
        figures = govsite_runs(project, out / "govsite", args.jobs, args.repeat, others)
        summary[size] = figures
        cold = figures["cold"][0]
        for kind, (seconds, peak, pss, one) in figures.items():
            own = kind in GOVSITE_KINDS
            label, ratio = ("govsite " + kind, "") if own else (kind, f"{seconds / cold:>16.2f}×")
            print(f"{size:>7}  {label:<24}{seconds:>9.2f}{size / seconds:>9.0f}{peak:>9.0f}{pss:>9.0f}"
                  f"{one:>8.0f}{ratio}")
        print(f"{size:>7}  {weights(project, out / 'govsite')}")
    if len(summary) > 1:
        small, large = min(summary), max(summary)
        ratio = summary[large]["cold"][0] / summary[small]["cold"][0]
        print(f"cold-time ratio {large}/{small} pages: {ratio:.2f} (pages ratio {large / small:.1f})")


if __name__ == "__main__":
    main()
