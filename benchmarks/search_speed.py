#!/usr/bin/env python3
"""Search benchmark: index build cost, index size, first-query bytes and query time in Chromium.

    python benchmarks/search_speed.py              # 20,000-page corpus (targets of the search issue)
    python benchmarks/search_speed.py --pages 5000
    python benchmarks/search_speed.py --one 税,房,政   # the one-character queries measured (default below)

Targets: first query of 2–4 Chinese characters ≤ 300 KB transferred (gzip, scripts included), and
of one character (税, 房: the 1-gram postings) likewise;
query time after load ≤ 50 ms; index build ≤ 30 % of the whole build. The corpus comes from
../shared/bench/make_corpus.py (kept in bench-corpora/). Bytes are counted as a gzip-serving
host would send them: every response the search page receives, gzip-compressed (level 6).
"""
from __future__ import annotations

import argparse
import gzip
import os
import random
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from build_speed import corpus  # noqa: E402  (same folder)

NOW = "2026-11-24 10:00"
# one-character queries: a rare character, a common one, and characters on nearly every page (the
# longest 1-gram posting lists, so the largest shard a one-character query can need)
ONE_CHARACTER = "税,房,街,政,的"


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def pick_queries(site_dir: Path, count: int, seed: int = 7) -> list[str]:
    """2–4 character queries taken from titles of the corpus (so they have results)."""
    import re

    titles = []
    for md in sorted((site_dir / "content" / "bench").rglob("*.md"))[:3000]:
        for line in md.read_text(encoding="utf-8").splitlines():
            if line.startswith("title:"):
                titles.append(line[6:].strip())
                break
    rnd = random.Random(seed)
    queries: list[str] = []
    while len(queries) < count:
        runs = re.findall(r"[\u4e00-\u9fff]{4,}", rnd.choice(titles))
        if runs:
            run = rnd.choice(runs)
            size = rnd.choice([2, 3, 4])
            start = rnd.randrange(0, len(run) - size + 1)
            queries.append(run[start:start + size])
    return queries


def measure_queries(out: Path, queries: list[str]) -> list[dict]:
    from playwright.sync_api import sync_playwright

    from browser import NotFoundServer, launch

    server = NotFoundServer(out)
    rows = []
    with sync_playwright() as p:
        browser = launch(p)
        for q in queries:
            context = browser.new_context()       # fresh cache: the first query of a visitor
            page = context.new_page()
            sizes: list[tuple[str, int, int]] = []

            def on_response(response, sizes=sizes):
                try:
                    body = response.body()
                except Exception:
                    return
                sizes.append((response.url, len(body), len(gzip.compress(body, 6))))

            page.on("response", on_response)
            page.goto(f"{server.base}search.html?q={q}")
            page.wait_for_function("!document.getElementById('search-status').textContent.startsWith('请在')",
                                   timeout=60000)
            page.wait_for_load_state("networkidle")
            hits = page.evaluate("document.getElementById('search-status').textContent")
            ms = page.evaluate("""async (q) => {
                const tokens = GovsiteTokenize.queryTokens(q);
                const meta = GovsiteSearch.meta();
                const runs = [];
                for (let i = 0; i < 5; i++) {
                    const t0 = performance.now();
                    await GovsiteSearch.fullText(tokens, meta);
                    runs.push(performance.now() - t0);
                }
                runs.sort((a, b) => a - b);
                return runs[2];
            }""", q)
            rows.append({"query": q, "files": len(sizes), "raw": sum(s[1] for s in sizes),
                         "gzip": sum(s[2] for s in sizes), "ms": ms, "status": hits})
            context.close()
        browser.close()
    server.httpd.shutdown()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=20000)
    parser.add_argument("--queries", type=int, default=8)
    parser.add_argument("--work", type=Path, default=REPO / "bench-corpora")
    parser.add_argument("--one", default=ONE_CHARACTER, help="one-character queries, comma-separated")
    args = parser.parse_args()
    args.work.mkdir(exist_ok=True)
    site_dir = corpus(args.pages, args.work)

    from govsite.pipeline.build import BuildOptions, build_site

    out_root = args.work / "out-search"
    cpu0, wall0 = cpu_seconds(), time.perf_counter()
    result = build_site(site_dir, "bench", out_root, BuildOptions(now=NOW, jobs=os.cpu_count()))
    cpu, wall = cpu_seconds() - cpu0, time.perf_counter() - wall0
    out = out_root / "bench"
    stats = result.search
    assert stats is not None, "the build wrote the search index"
    disk = sum(f.stat().st_size for f in (out / "search").rglob("*") if f.is_file())
    files = sum(1 for f in (out / "search").rglob("*") if f.is_file())
    print(f"govsite search benchmark — {args.pages} pages, {os.cpu_count()} CPU(s)")
    print(f"build: {wall:.1f} s wall, {cpu:.1f} s CPU; search indexing {stats['seconds']:.1f} s CPU "
          f"= {100 * stats['seconds'] / cpu:.0f} % of build CPU (target ≤ 30 %)")
    print(f"index: {stats['tokens']} tokens, {stats['postings']} postings, {stats['shards']} shards, "
          f"{stats['terms']} suggest terms; {disk / 1e6:.1f} MB on disk in {files} files")
    one = [q for q in args.one.split(",") if q]
    rows = measure_queries(out, pick_queries(site_dir, args.queries) + one)
    print(f"{'query':<8}{'files':>6}{'raw KB':>9}{'gzip KB':>9}{'query ms':>10}  result")
    for r in rows:
        print(f"{r['query']:<8}{r['files']:>6}{r['raw'] / 1024:>9.0f}{r['gzip'] / 1024:>9.0f}{r['ms']:>10.1f}  {r['status']}")
    for label, group in (("2–4 characters", rows[:len(rows) - len(one)]), ("one character", rows[len(rows) - len(one):])):
        if group:
            print(f"first query, {label}, worst: {max(r['gzip'] for r in group) / 1024:.0f} KB gzip (target ≤ 300); "
                  f"query time, worst median: {max(r['ms'] for r in group):.1f} ms (target ≤ 50)")


if __name__ == "__main__":
    main()
