"""The build cache as one layer (govsite/cache/): typed tables, the null cache, memo, damage.

tests/test_cache.py checks whole builds (a cached build equals a clean one after every kind of
edit); these check the layer's own promises, which every stage relies on.
"""
from __future__ import annotations

import pickle
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from govsite.cache.digest import digest
from govsite.cache.store import NULL_CACHE, BuildCache, open_cache
from govsite.cache.tables import BodyEntry, OutputEntry, StateKey
from govsite.content.model import Column, Page
from govsite.core import writer
from govsite.core.writer import FileSeen

FINGERPRINT = b"f" * 16


def open_at(root: Path) -> BuildCache:
    cache = BuildCache(root, "t", FINGERPRINT)
    assert cache.enabled
    return cache


def body_entry() -> BodyEntry:
    return BodyEntry([("zwdt/a.md", ("zwdt/a.html", "page"))], b"c" * 16, b"s" * 16, "摘要", "img/a.png",
                     [], ["https://example.org/"])


def test_the_null_cache_never_hits_and_keeps_nothing():
    key = NULL_CACHE.bodies.key(b"", "a.md", "a.html", 5, "正文", None)
    assert key is None, "no key is made without a cache (nothing is digested for nothing)"
    NULL_CACHE.bodies.put(key, body_entry())
    assert NULL_CACHE.bodies.get(key) is None
    assert NULL_CACHE.bodies.digests("<p>正文</p>", "正文", "正文") == (None, None)
    calls = []

    def ranks() -> list:
        calls.append(1)
        return [(1,)]

    assert NULL_CACHE.ranks.memo(NULL_CACHE.ranks.key(("a",)), ranks) == [(1,)]
    NULL_CACHE.ranks.memo(None, ranks)
    assert len(calls) == 2, "memo computes every time"
    assert not NULL_CACHE.take_pending() and NULL_CACHE.hit_counts() is None
    assert open_cache(Path("/nonexistent"), "t", use=False) is NULL_CACHE


def test_a_typed_table_round_trips_its_entry(tmp_path):
    cache = open_at(tmp_path)
    key = cache.bodies.key(b"settings", "zwdt/a.md", "zwdt/a.html", 5, "正文", None)
    entry = body_entry()
    cache.bodies.put(key, entry)
    cache.save_content()
    cache.close()

    again = open_at(tmp_path)
    assert again.bodies.get(key, lambda e: False) is None, "an entry its check rejects is a miss"
    assert again.hits["markdown"] == 0
    got = again.bodies.get(key, lambda e: True)
    assert got == entry and isinstance(got, BodyEntry)
    assert again.hits["markdown"] == 1, "the table counts its own hits"


def test_an_output_entry_is_given_only_for_its_state(tmp_path):
    cache = open_at(tmp_path)
    key = StateKey(b"k", b"state 1")
    cache.outputs.put(key, OutputEntry(key.state, [("P:a.md", ("title",), b"d" * 16)], (10, 20, 30)))
    cache.save_build()
    cache.close()
    again = open_at(tmp_path)
    assert again.outputs.get(key).identity == (10, 20, 30)
    assert again.outputs.get(StateKey(b"k", b"state 2")) is None, "a changed context: rendered again"


def test_memo_computes_once_and_the_next_build_reuses_it(tmp_path):
    calls = []

    def ranks():
        calls.append(1)
        return [(1, 2), (0,), ()]

    cache = open_at(tmp_path)
    key = cache.ranks.key((("营商环境",), ("营商环境", "政务公开"), ()))
    assert cache.ranks.memo(key, ranks) == [(1, 2), (0,), ()]
    cache.save_build()
    cache.close()
    again = open_at(tmp_path)
    assert again.ranks.memo(key, ranks) == [(1, 2), (0,), ()]
    assert len(calls) == 1


def test_a_damaged_or_misshapen_entry_is_a_miss(tmp_path):
    cache = open_at(tmp_path)
    damaged = cache.bodies.key(b"", "a.md", "a.html", 1, "甲", None)
    misshapen = cache.bodies.key(b"", "b.md", "b.html", 1, "乙", None)
    cache.bodies.put(damaged, body_entry())
    cache.save_content()
    cache.close()
    with sqlite3.connect(tmp_path / ".govsite-cache" / "t.sqlite") as db:
        db.execute("UPDATE bodies SET v = x'00'")
        db.execute("INSERT INTO bodies VALUES (?, ?)", (misshapen, pickle.dumps(("only", "two"))))
    again = open_at(tmp_path)
    assert again.bodies.get(damaged, lambda e: True) is None
    assert again.bodies.get(misshapen, lambda e: True) is None
    assert again.hits["markdown"] == 0


def test_a_worker_hands_over_its_entries_and_hits(tmp_path):
    """What a forked worker staged, used and counted reaches the main process's cache once."""
    main = open_at(tmp_path)
    key = main.bodies.key(b"", "a.md", "a.html", 1, "正文", None)
    main.bodies.put(key, body_entry())
    main.save_content()
    worker = open_at(tmp_path)   # stands for the forked copy
    assert worker.bodies.get(key, lambda e: True) is not None
    worker.exports.put(b"ex1", (b"{}", b"<item/>"))
    staged = worker.take_pending()
    assert staged.hits["markdown"] == 1 and worker.hits["markdown"] == 0, "handed over, not counted twice"
    assert not worker.take_pending()
    main.merge(staged)
    assert main.hits["markdown"] == 1
    main.save_content()
    main.close()
    assert open_at(tmp_path).exports.has(b"ex1")


def test_what_a_build_saw_of_its_files_is_one_value_that_workers_add_to(tmp_path):
    """The stat and digest of every file (the ``seen`` tables) are kept as one value per table,
    not a row per file: a worker's entries reach it through the main process (a worker writing
    the value itself would drop the others'), an entry no build asks for leaves it once such
    entries are more than a few, and the value holds what the rows would."""
    main = open_at(tmp_path)
    for n in range(300):
        main.seen.put(f"old/{n}.html", FileSeen(n, 1, 2, b"d" * 16))
    main.seen.put("index.html", FileSeen(1, 1, 1, b"i" * 16))
    main.save_build()
    main.close()

    main = open_at(tmp_path)
    assert main.seen.get("index.html") == FileSeen(1, 1, 1, b"i" * 16)
    worker = open_at(tmp_path)   # stands for the forked copy: writes what it may itself, hands the rest over
    worker.seen.put("a.html", FileSeen(5, 6, 7, b"a" * 16))
    worker.stamps.put("content/a.md", FileSeen(8, 9, 10, b"m" * 16))
    worker.file.save_here(("outputs", "sources"))
    main.merge(worker.take_pending())
    main.save_build()
    main.close()

    with sqlite3.connect(tmp_path / ".govsite-cache" / "t.sqlite") as db:
        keys = {k for (k,) in db.execute("SELECT k FROM outputs")} | {k for (k,) in db.execute("SELECT k FROM sources")}
    assert keys == {b"seen\x00", b"sd\x00"}, "one value per table, no row per file"
    again = open_at(tmp_path)
    assert again.seen.get("a.html") == FileSeen(5, 6, 7, b"a" * 16)
    assert again.seen.get("index.html") == FileSeen(1, 1, 1, b"i" * 16)
    assert again.stamps.get("content/a.md") == FileSeen(8, 9, 10, b"m" * 16)
    assert again.seen.get("old/0.html") is None, "300 entries no build asked for are dropped"


def test_a_file_has_the_digest_of_its_bytes_however_it_is_read(tmp_path, monkeypatch):
    """An output file is known by the digest of the bytes written (``data_digest``) and, when a
    restored cache gives it a new inode, by reading it (``file_digest``): whole for a page, in
    pieces for a large attachment. The two must agree, or no restored file is ever known."""
    data = bytes(range(256)) * 5000
    path = tmp_path / "a.bin"
    path.write_bytes(data)
    assert writer.file_digest(path) == writer.data_digest(data)
    monkeypatch.setattr(writer, "WHOLE_READ", 1000)   # read as an attachment is
    assert writer.file_digest(path) == writer.data_digest(data)
    assert writer.file_digest(path) != writer.data_digest(data[:-1])


def test_pages_and_columns_stand_for_their_key_in_digests():
    """A template's context digests the pages in it by key: what it reads from them is checked
    apart, so a list of pages digests the same after a title edit."""
    page = Page(file=Path("/c/zwdt/a.md"), src="zwdt/a.md", title="旧标题")
    column = Column(file=Path("/c/zwdt/_column.yaml"), src="zwdt", name="政务动态")
    before = digest({"items": [page], "column": column})
    page.title = "新标题"
    assert digest({"items": [page], "column": column}) == before
    other = Page(file=Path("/c/zwdt/b.md"), src="zwdt/b.md", title="新标题")
    assert digest({"items": [other], "column": column}) != before


def test_the_cache_package_imports_nothing_of_the_content_model():
    """cache sits just above core: the content model registers its entities with the cache, which
    imports nothing of content (nor of any stage above it)."""
    code = ("import sys, govsite.cache.store, govsite.cache.reads, govsite.cache.stamp; "
            "print([m for m in sys.modules if m.startswith('govsite.') "
            "and not m.startswith(('govsite.cache', 'govsite.core'))])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1])
    assert out.stdout.strip() == "[]"


@pytest.mark.slow
def test_hits_of_a_parallel_build_are_counted_once(project):
    """Forked render workers start with nothing staged or counted: the hits a build reports are
    its own, whatever the number of workers (what the parent counted before forking is not
    handed back by each worker as well)."""
    from govsite.pipeline.build import BuildOptions, build_site

    from helpers import NOW, age

    for i in range(220):  # enough pages for the parallel page loop
        project.page(f"zwdt/gzdt/g{i:03d}.md", f"工作动态{i}", date="2026-03-01 09:00", body=f"第{i}篇。")
    age(project.root)

    def build(jobs: int):
        return build_site(project.root, "t", project.root / "build", BuildOptions(now=NOW, jobs=jobs))

    first = build(2)
    project.page("zwdt/gzdt/g007.md", "工作动态7", date="2026-03-01 09:00", body="第7篇，改过。")
    second = build(2)
    assert second.cache["sources"] == first.pages - 1, "every page but the edited one is parsed from the cache"
    assert second.cache["markdown"] == first.pages - 1
