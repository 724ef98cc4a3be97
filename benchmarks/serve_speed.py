#!/usr/bin/env python3
"""Live-preview speed: how soon an editor sees a change in `govsite serve`.

    python benchmarks/serve_speed.py                  # 5,000-page corpus
    python benchmarks/serve_speed.py --pages 1000 --no-check

Targets (issues #7, #25), on the 5,000-page corpus from ../shared/bench/make_corpus.py:
  * one article edited → page rebuilt and reload sent   ≤ 1 s
  * edits 1.5 s apart (a confirming build runs when the next comes): each shown ≤ 1 s,
    median below `hugo server`'s on the same corpus, same edits, same run (--apart)
  * one _column.yaml edited → rebuilt and reload sent    ≤ 3 s
  * server ready                                         ≤ the full `govsite build` time

The corpus is copied to a temporary project (it is edited), then: a full `govsite build` as
the yardstick; `govsite serve` started cold with no cache at all, then cold after that build
(no earlier preview output, but the build's cache, whose content-keyed entries serve takes:
the common case of an editor who built the site before) and warm (restarted with the previous
preview's output); an article and a column file edited several times each. A
change counts as seen when the server's event stream announces the new build (that is when open
pages reload) and the page served over HTTP shows the new text. Each run is a real process.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_speed import NOW, REPO, corpus, find_tool  # noqa: E402  (the same corpora, build time and tools)

SITE = "bench"


class Process:
    """A preview server process this benchmark started: read its pages over HTTP, stop it."""

    host: str
    port: int
    proc: subprocess.Popen

    def get(self, path: str) -> tuple[int, str]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            return response.status, response.read().decode("utf-8", "replace")
        finally:
            conn.close()

    def stop(self):
        if self in RUNNING:
            RUNNING.remove(self)
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


RUNNING: list[Process] = []


class Server(Process):
    def __init__(self, project: Path, extra: list[str]):
        RUNNING.append(self)
        self.started = time.perf_counter()
        cmd = [sys.executable, str(REPO / "cli.py"), "--project", str(project), "serve", SITE, "--port", "0",
               "--no-open", "--now", NOW, *extra]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=project,
                                     env=dict(os.environ, CI="true"))
        self.lines: list[str] = []
        self.listening = threading.Event()
        self.builds: list[tuple[float, dict]] = []   # (time the event arrived, build state)
        self.event = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        if not self.listening.wait(120):
            sys.exit("govsite serve did not start:\n" + "".join(self.lines))
        self.listen_seconds = time.perf_counter() - self.started
        threading.Thread(target=self._events, daemon=True).start()

    def _read(self):
        assert self.proc.stdout is not None   # stdout=PIPE
        for line in self.proc.stdout:
            self.lines.append(line)
            if " at http://" in line:
                parts = urlsplit(line.split(" at ", 1)[1].split()[0])
                assert parts.hostname, line
                self.host, self.port = parts.hostname, parts.port
                self.listening.set()

    def _events(self):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=600)
        conn.request("GET", "/__govsite/events")
        response = conn.getresponse()
        for raw in response.fp:
            line = raw.decode().rstrip("\n")
            if line.startswith("data: "):
                with self.event:
                    self.builds.append((time.perf_counter(), json.loads(line[6:])))
                    self.event.notify_all()

    def wait_build(self, after_number: int, timeout=600.0) -> tuple[float, dict]:
        with self.event:
            ok = self.event.wait_for(lambda: any(s["number"] > after_number for _, s in self.builds), timeout)
        if not ok:
            sys.exit("no build announced:\n" + "".join(self.lines[-20:]))
        return next((t, s) for t, s in self.builds if s["number"] > after_number)

    def number(self) -> int:
        with self.event:
            self.event.wait_for(lambda: self.builds, 60)
            return self.builds[-1][1]["number"]

class HugoServer(Process):
    """`hugo server` on the Hugo layout of the same corpus, as a Hugo user previews (fast render on)."""

    def __init__(self, exe: str, project: Path):
        RUNNING.append(self)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.host = "127.0.0.1"
        self.proc = subprocess.Popen([exe, "server", "--bind", self.host, "--port", str(self.port), "--quiet"],
                                     cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.perf_counter() + 300
        while True:
            try:
                if self.get("/")[0] == 200:
                    break
            except OSError:
                pass
            if time.perf_counter() > deadline or self.proc.poll() is not None:
                sys.exit("hugo server did not start")
            time.sleep(0.1)


def edit_series(get, path: Path, url: str, label: str, count: int, apart: float) -> list[float]:
    """Append a marker to ``path`` ``count`` times, ``apart`` seconds apart (or as soon as the last
    one showed, if later); return each edit's seconds until ``url`` served it."""
    seconds = []
    original = path.read_text(encoding="utf-8")
    try:
        due = time.perf_counter()
        for n in range(count):
            time.sleep(max(0.0, due - time.perf_counter()))
            marker = f"连续修改{label}{n}号"
            started = time.perf_counter()
            path.write_text(original.rstrip("\n") + f"\n\n{marker}。\n", encoding="utf-8")
            while marker not in get(url)[1]:
                if time.perf_counter() - started > 120:
                    sys.exit(f"{url} never showed {marker!r}")
                time.sleep(0.01)
            seconds.append(time.perf_counter() - started)
            due = started + apart
    finally:
        path.write_text(original, encoding="utf-8")
    return seconds


def full_build(project: Path, out: Path, extra: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, str(REPO / "cli.py"), "--project", str(project), "build", SITE, "--out", str(out),
                    "--now", NOW, *extra], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=dict(os.environ, CI="true"))
    return time.perf_counter() - started


def edit_and_time(server: Server, path: Path, change, url: str, expect: str) -> tuple[float, float, bool]:
    """Change ``path``; return (seconds until the reload event, until the page shows it, build ok)."""
    before = server.number()
    started = time.perf_counter()
    change(path)
    announced, state = server.wait_build(before)
    while expect not in server.get(url)[1]:
        if time.perf_counter() - started > 600:
            sys.exit(f"{url} never showed {expect!r}")
        time.sleep(0.01)
    return announced - started, time.perf_counter() - started, state["ok"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3, help="edits of each kind")
    parser.add_argument("--no-check", action="store_true", help="serve and build with --no-check")
    parser.add_argument("--work", type=Path, default=REPO / "bench-corpora")
    parser.add_argument("--log", action="store_true", help="print the server's own log of the edits at the end")
    parser.add_argument("--apart", type=float, default=1.5, help="seconds between the edits of a series")
    parser.add_argument("--series", type=int, default=5, help="edits in a series (0: none)")
    parser.add_argument("--tools", type=Path, default=os.environ.get("GOVSITE_BENCH_TOOLS"),
                        help="folder with one venv per tool: TOOLS/hugo (for `hugo server`)")
    args = parser.parse_args()
    args.work.mkdir(exist_ok=True)
    extra = ["--no-check"] if args.no_check else []
    source = corpus(args.pages, args.work)

    with tempfile.TemporaryDirectory(prefix="serve-bench-") as tmp:
        project = Path(tmp) / "project"
        shutil.copytree(source, project, ignore=shutil.ignore_patterns(".complete", "build", ".govsite-cache"))
        content = project / "content" / SITE
        article = sorted((content / "zwdt" / "gzdt").glob("*.md"))[-1]
        article_url = f"/zwdt/gzdt/{article.stem}.html"
        column_file = content / "zwdt" / "tzgg" / "_column.yaml"

        print(f"govsite serve speed — {args.pages} pages, {os.cpu_count()} CPU(s), Python {sys.version.split()[0]}"
              f"{', --no-check' if args.no_check else ''}")
        build_seconds = full_build(project, Path(tmp) / "out", extra)
        print(f"full `govsite build`:                        {build_seconds:7.2f} s", flush=True)

        caches = project / ".govsite-cache"
        caches.rename(project / "cache-aside")   # the build's cache, put back after this start
        server = Server(project, extra)
        _, first = server.wait_build(0)
        bare_ready = time.perf_counter() - server.started
        print(f"serve, no cache at all: first complete preview after {bare_ready:7.2f} s  (ok={first['ok']})")
        server.stop()
        shutil.rmtree(caches)
        shutil.rmtree(project / "build" / ".serve")
        (project / "cache-aside").rename(caches)

        server = Server(project, extra)
        _, first = server.wait_build(0)
        cold_ready = time.perf_counter() - server.started
        cold_listen = server.listen_seconds
        print(f"serve, cold: listening after                 {cold_listen:7.2f} s")
        print(f"serve, cold after the build: first complete preview after {cold_ready:7.2f} s  (ok={first['ok']})")
        server.stop()

        server = Server(project, extra)
        status, _ = server.get("/")
        warm_page = time.perf_counter() - server.started
        print(f"serve, warm restart: first page served after {warm_page:7.2f} s  (HTTP {status}, last preview's output)")
        server.wait_build(0)

        if server.get(article_url)[0] != 200:
            sys.exit(f"{article_url} is not served")
        results: dict[str, list] = {"article": [], "column": []}
        for n in range(args.rounds):
            marker = f"基准修改标记{n}号"

            def edit_article(path, marker=marker):
                text = path.read_text(encoding="utf-8")
                path.write_text(text.rstrip("\n") + f"\n\n{marker}。\n", encoding="utf-8")

            results["article"].append(edit_and_time(server, article, edit_article, article_url, marker))
            print(f"  article edit {n + 1}: reload sent {results['article'][-1][0]:.2f} s, "
                  f"page shown {results['article'][-1][1]:.2f} s", flush=True)

            def edit_column(path, marker=marker):
                text = path.read_text(encoding="utf-8")
                lines = [f"name: 通知公告{marker}" if line.startswith("name:") else line for line in text.splitlines()]
                path.write_text("\n".join(lines) + "\n", encoding="utf-8")

            results["column"].append(edit_and_time(server, column_file, edit_column, "/zwdt/tzgg/index.html",
                                                   f"通知公告{marker}"))
            print(f"  _column.yaml edit {n + 1}: reload sent {results['column'][-1][0]:.2f} s, "
                  f"page shown {results['column'][-1][1]:.2f} s", flush=True)
        series: dict[str, list[float]] = {"govsite serve": [], "hugo server": []}
        hugo = find_tool("hugo", args.tools)
        if args.series:
            hugo_project = Path(tmp) / "hugo"
            if hugo:
                shutil.copytree(corpus(args.pages, args.work, "hugo"), hugo_project,
                                ignore=shutil.ignore_patterns(".complete", "public", "resources"))
            hugo_article = hugo_project / "content" / article.relative_to(content)
            hugo_url = "/" + article.relative_to(content).with_suffix("").as_posix() + "/"
            for round_ in range(2):          # alternate: govsite, hugo, govsite, hugo (a noisy machine)
                series["govsite serve"] += edit_series(server.get, article, article_url, f"甲{round_}", args.series,
                                                       args.apart)
                if hugo:
                    other = HugoServer(hugo, hugo_project)
                    series["hugo server"] += edit_series(other.get, hugo_article, hugo_url, f"乙{round_}", args.series,
                                                         args.apart)
                    other.stop()
        server.stop()
        if args.log:
            print("server log:\n  " + "  ".join(line for line in server.lines if "CO-4" not in line and "提示" not in line))

        def line(label, rows, target):
            reload = statistics.median(r[0] for r in rows)
            shown = statistics.median(r[1] for r in rows)
            verdict = "meets" if shown <= target else "MISSES"
            print(f"{label:<45}reload sent {reload:6.2f} s, page shown {shown:6.2f} s (median of {len(rows)}; "
                  f"target ≤ {target:g} s: {verdict})")

        print(f"(edited page {article_url})")
        line("one article edited:", results["article"], 1.0)
        line("one _column.yaml edited:", results["column"], 3.0)
        if series["govsite serve"]:
            ours = statistics.median(series["govsite serve"])
            print(f"edits {args.apart:g} s apart, each until shown (govsite serve): "
                  + ", ".join(f"{x:.2f}" for x in series["govsite serve"])
                  + f" s; median {ours:.2f} s, slowest {max(series['govsite serve']):.2f} s "
                  f"(target each ≤ 1 s: {'meets' if max(series['govsite serve']) <= 1.0 else 'MISSES'})")
            if series["hugo server"]:
                theirs = statistics.median(series["hugo server"])
                print("the same edits in `hugo server`:             " + ", ".join(f"{x:.2f}" for x in series["hugo server"])
                      + f" s; median {theirs:.2f} s → govsite/hugo {ours / theirs:.2f}× "
                      f"(target: median below hugo's: {'meets' if ours < theirs else 'MISSES'})")
            else:
                print("hugo not found (--tools or PATH): no `hugo server` comparison")
        verdict = "meets" if cold_ready <= build_seconds else "MISSES"
        print(f"server ready: listening after {cold_listen:.2f} s, first complete preview after {cold_ready:.2f} s "
              f"vs full build {build_seconds:.2f} s (target: ready ≤ full build: {verdict})")
        print(f"  with no cache at all the first preview does a full build's work: {bare_ready:.2f} s "
              f"({bare_ready / build_seconds:.2f}× the full build)")


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))   # stop the servers on the way out
    try:
        main()
    finally:
        for running in list(RUNNING):
            running.stop()
