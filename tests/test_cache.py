"""The build cache (.govsite-cache/): an unchanged rebuild renders nothing, an edit renders what
depends on it, unchanged files keep their mtime, and the output is always byte-identical to a
clean build (--no-cache) of the same sources."""
from __future__ import annotations

import datetime as dt
import os
import sqlite3
import time
from pathlib import Path

import pytest

from govsite.cache.tables import JoinedIndex, Postings
from govsite.pipeline import build as pipeline_build
from govsite.pipeline.build import BuildOptions, build_site

from helpers import DEMO_NOW, NOW, REPO, add_template_global, age, assert_same_files, run, tree_files as files


def build(project, out=None, cache=True):
    """Build through the API (the result carries the counts the CLI prints)."""
    return build_site(project.root, "t", out or project.root / "build", BuildOptions(now=NOW, jobs=1, cache=cache))


def assert_same_as_clean(project, tmp_path, label: str):
    """The cached build's output equals a clean build of the same sources, file for file."""
    cached = build(project)
    clean_root = tmp_path / f"clean-{label}"
    build(project, clean_root, cache=False)
    assert_same_files(project.out(), clean_root / "t", label)
    return cached


def test_unchanged_rebuild_renders_nothing_and_keeps_mtimes(project):
    first = build(project)
    assert first.rendered > 0 and first.skipped == 0
    before = {rel: os.stat(project.out(rel)).st_mtime_ns for rel in files(project.out())}
    second = build(project)
    assert second.rendered == 0
    assert second.skipped == first.rendered
    assert second.written == 0, "no file's bytes changed, so none is written"
    after = {rel: os.stat(project.out(rel)).st_mtime_ns for rel in files(project.out())}
    assert after == before


def test_govsite_check_rendering_a_stale_site_leaves_the_build_cache_alone(project):
    """``govsite check --build`` renders into a scratch folder with its own cache: the next
    ``govsite build`` after a body edit still renders only that page, and the check after it
    takes the unchanged bodies from the build's cache (its sibling)."""
    build(project)
    assert run(["--project", str(project.root), "check", "t", "--build", "--now", NOW, "--jobs", "1"]).exit_code in (0, 1)
    project.page("zwdt/gzdt/a.md", "第一篇工作动态", date="2026-05-01 09:00", keywords="[营商环境]",
                 body="改过的正文，写了新的内容。")
    age(project.root / "content")
    result = build(project)
    assert result.rendered == 1, result
    assert (project.root / ".govsite-cache" / "t.check.sqlite").is_file()


def test_body_edit_renders_the_page_and_keeps_other_files(project):
    build(project)
    before = {rel: os.stat(project.out(rel)).st_mtime_ns for rel in files(project.out())}
    project.page("zwdt/gzdt/a.md", "第一篇工作动态", date="2026-05-01 09:00", keywords="[营商环境]",
                 body="改过的正文，写了新的内容。")
    result = build(project)
    assert result.rendered == 1, "only the edited page is rendered again"
    assert "改过的正文" in project.html("zwdt/gzdt/a.html")
    after = {rel: os.stat(project.out(rel)).st_mtime_ns for rel in files(project.out())}
    changed = {rel for rel in before if after.get(rel) != before[rel]}
    assert "zwdt/gzdt/a.html" in changed
    for rel in ("zwdt/gzdt/b.html", "zwdt/gzdt/index.html", "index.html", "xxgk/guide.html",
                "static/css/site.css"):
        assert rel not in changed, rel


def test_title_edit_reaches_lists_neighbours_and_related(project, tmp_path):
    build(project)
    project.page("zwdt/gzdt/a.md", "改名后的第一篇", date="2026-05-01 09:00", keywords="[营商环境]")
    result = assert_same_as_clean(project, tmp_path, "title")
    assert "改名后的第一篇" in project.html("zwdt/gzdt/b.html")       # 上一篇/下一篇 and 相关文章
    assert "改名后的第一篇" in project.html("zwdt/gzdt/index.html")   # the column list
    assert result.skipped > 0, "pages that do not show the title are not rendered again"


@pytest.mark.parametrize("edit", ["body", "column", "site", "template", "delete", "new", "keywords", "date",
                                  "draft", "link-target", "static"])
def test_cached_build_equals_clean_build(project, tmp_path, edit):
    project.page("zwdt/tzgg/n2.md", "链接到第一篇", date="2026-04-02 10:00", body="见[第一篇](../gzdt/a.md)。")
    build(project)
    if edit == "body":
        project.page("zwdt/gzdt/b.md", "第二篇工作动态", date="2026-05-02 09:00", keywords="[营商环境]",
                     body="第二篇的正文改了。\n\n## 新的小标题\n\n更多内容。")
    elif edit == "column":
        project.column("zwdt/gzdt", "工作动态（新）", type="政务动态", keywords="[工作]", order=3)
    elif edit == "site":
        project.configure(replace={"name: 测试区人民政府": "name: 测试区人民政府（新）"})
    elif edit == "template":
        footer = (REPO / "themes/default/templates/partials/footer.html").read_text(encoding="utf-8")
        project.write("sites/t/templates/partials/footer.html", footer.replace("</footer>", "<p>新页脚</p></footer>"))
    elif edit == "delete":
        (project.content / "zwdt/gzdt/b.md").unlink()
    elif edit == "new":
        project.page("zwdt/gzdt/c.md", "新来的一篇", date="2026-05-03 09:00", keywords="[营商环境]")
    elif edit == "keywords":
        project.page("xxgk/guide.md", "信息公开指南", date="2026-01-01 09:00", keywords="[营商环境]")
    elif edit == "date":
        project.page("zwdt/gzdt/a.md", "第一篇工作动态", date="2026-05-09 09:00", keywords="[营商环境]")
    elif edit == "draft":
        project.page("zwdt/gzdt/a.md", "第一篇工作动态", date="2026-05-01 09:00", draft="true")
    elif edit == "link-target":
        project.page("zwdt/gzdt/a.md", "第一篇工作动态", date="2026-05-01 09:00", slug="renamed")
    elif edit == "static":
        project.write("sites/t/static/css/site.css", "body { color: #000; }\n")
    assert_same_as_clean(project, tmp_path, edit)


def test_several_edits_in_a_row_stay_identical(project, tmp_path):
    build(project)
    for n in range(4):
        project.page(f"zwdt/gzdt/x{n}.md", f"第{n}篇新文章", date=f"2026-05-1{n} 09:00", keywords="[营商环境]")
        project.page("zwdt/gzdt/a.md", f"第一篇（第{n}次修改）", date="2026-05-01 09:00", keywords="[营商环境]")
        assert_same_as_clean(project, tmp_path, f"round-{n}")


def test_export_items_of_unchanged_pages_come_from_the_cache(project, tmp_path):
    first = build(project)
    items = sum(p.read_text(encoding="utf-8").count('"content_html":') for p in project.out("export").rglob("*.json"))
    assert items > 2 and first.cache["exports"] == 0
    project.page("zwdt/gzdt/b.md", "第二篇工作动态", date="2026-05-02 09:00", keywords="[营商环境]",
                 body="第二篇的正文改了，报送的条目也要跟着改。")
    edited = assert_same_as_clean(project, tmp_path, "export")
    assert edited.cache["exports"] == items - 1, "only the edited page's items are made again"
    assert "报送的条目也要跟着改" in project.out("export/rss.xml").read_text(encoding="utf-8")


def test_damaged_export_entries_are_made_again(project, tmp_path):
    build(project)
    with sqlite3.connect(project.root / ".govsite-cache/t.sqlite") as db:
        db.execute("UPDATE exports SET v = x'00'")   # the keys are there, the items are not readable
    project.page("zwdt/gzdt/b.md", "第二篇工作动态", date="2026-05-02 09:00", body="改过。")
    assert_same_as_clean(project, tmp_path, "damaged")


def test_bodies_whose_html_the_cache_lost_are_rendered_again(project, tmp_path):
    """Each body is cached twice: a small entry (summary, findings, links) checked for every page,
    and its HTML and text, read only when a file is made from them. A template edit makes every
    page again; when the HTML entries cannot be read, the bodies are rendered again."""
    build(project)
    with sqlite3.connect(project.root / ".govsite-cache/t.sqlite") as db:
        assert db.execute("SELECT count(*) FROM bodies").fetchone()[0] > 2
        db.execute("UPDATE markdown SET v = x'00'")   # the small entries stay valid, the HTML is gone
    footer = (REPO / "themes/default/templates/partials/footer.html").read_text(encoding="utf-8")
    project.write("sites/t/templates/partials/footer.html", footer.replace("</footer>", "<p>新页脚</p></footer>"))
    result = assert_same_as_clean(project, tmp_path, "lost-html")
    assert result.skipped == 0 and "新页脚" in project.html("zwdt/gzdt/a.html")


def test_search_postings_the_cache_lost_are_made_again(project, tmp_path, monkeypatch):
    """Postings go from the workers to the cache, not to the main process; if the cache cannot
    give them back when the index is joined, the run is indexed again instead of failing."""
    build(project)
    project.page("zwdt/gzdt/b.md", "第二篇工作动态", date="2026-05-02 09:00", body="改过的正文。")
    monkeypatch.setattr(Postings, "get", lambda self, key: None)   # a run's postings (not their count)
    assert_same_as_clean(project, tmp_path, "lost")
    assert any("改过的正文" in f.read_text(encoding="utf-8") for f in project.out("search/doc").glob("*.js"))


@pytest.mark.slow
def test_search_files_written_by_a_child_process_are_known_to_the_next_build(project, tmp_path):
    """With several jobs the search index is written by a forked child while the parent writes
    the rest; what the child records in the cache must reach the parent's cache all the same."""
    for i in range(220):  # enough pages for the parallel path
        project.page(f"zwdt/gzdt/g{i:03d}.md", f"工作动态{i}", date="2026-03-01 09:00", body=f"第{i}篇。")
    first = build_site(project.root, "t", project.root / "build", BuildOptions(now=NOW, jobs=2))
    assert first.search is not None and first.search.get("reused") is None
    project.page("zwdt/gzdt/g001.md", "工作动态1", date="2026-03-01 09:00", body="第1篇。", source="区财政局")
    second = build_site(project.root, "t", project.root / "build", BuildOptions(now=NOW, jobs=2))
    assert second.search is not None and second.search.get("reused") is True, "nothing searched changed: the search files are taken as they are"
    assert second.rendered >= 1 and "区财政局" in project.html("zwdt/gzdt/g001.html")
    clean = tmp_path / "clean"
    build_site(project.root, "t", clean, BuildOptions(now=NOW, jobs=1, cache=False))
    assert files(project.out()) == files(clean / "t")


WORDS = ["营商环境", "政务公开", "民生实事", "乡村振兴", "安全生产", "生态保护", "就业创业", "社区治理",
         "教育医疗", "养老服务", "交通出行", "住房保障", "文化旅游", "科技创新", "财政预算", "人才引进"]


def many_body(i: int, first: str | None = None) -> str:
    """Page ``i``'s body: six of WORDS, shared with other pages (``first`` in place of the first)."""
    return (f"第{i}篇，关于{first or WORDS[i % 16]}、{WORDS[i * 3 % 16]}和{WORDS[i * 7 % 16]}的工作情况，"
            f"会议研究了{WORDS[i * 5 % 16]}与{WORDS[(i + 9) % 16]}，部署下一步{WORDS[i * 11 % 16]}工作。")


def many_pages(project, count: int) -> None:
    """Pages enough for several runs of search postings (build.page_runs), each with words of
    its own besides shared ones, so a body edit changes some tokens and not others."""
    for i in range(count):
        project.page(f"zwdt/gzdt/m{i:03d}.md", f"工作动态{i}", date="2026-03-01 09:00", body=many_body(i))


@pytest.mark.slow
@pytest.mark.parametrize("way", ["cut", "join"])
def test_a_body_edit_is_spliced_into_the_last_search_index(project, tmp_path, monkeypatch, way):
    """A one-page edit changes one run of postings; the build joins again only the tokens whose
    postings that run changed — cutting the run out of their earlier postings, or joining them
    from every run, whichever is less work —, writes only the shards holding them, and equals a
    clean build."""
    monkeypatch.setattr("govsite.search.fulltext.TARGET_SHARD_POSTINGS", 1000)   # many small shards
    monkeypatch.setattr("govsite.search.fulltext.SPLICE_CHARS_PER_RUN", 10**9 if way == "cut" else 0)
    many_pages(project, 420)   # nine runs of postings (build.page_runs)
    body = "第7篇，关于{}、城市更新和营商环境的工作情况，会议研究了政务公开与民生实事，部署下一步乡村振兴工作。"
    project.page("zwdt/gzdt/m007.md", "工作动态7", date="2026-03-01 09:00", body=body.format("桃花源记"))
    first = build(project)
    assert first.search["joined_again"] is None, "nothing to splice into: joined from every run"
    shards = sorted(project.out("search/idx").glob("*.js"))
    before = {p.name: p.stat().st_mtime_ns for p in shards}
    # words that only this page had go, new ones come; as long as it was, so the average stays
    project.page("zwdt/gzdt/m007.md", "工作动态7", date="2026-03-01 09:00", body=body.format("防汛抗旱"))
    second = assert_same_as_clean(project, tmp_path, "splice")
    assert 0 < second.search["joined_again"] < second.search["tokens"] // 4
    rewritten = [p.name for p in shards if p.stat().st_mtime_ns != before[p.name]]
    assert 0 < len(rewritten) < len(shards), "only the shards of the changed tokens are written"
    # a word many pages have leaves the last document of a run in the middle and another comes:
    # the runs before and after keep their postings, the next run's first entry counts from the
    # run's new last document
    doc = project.out("search/doc/99.js").read_text(encoding="utf-8")
    i = int(doc.split('"u":"zwdt/gzdt/m', 1)[1][:3])
    other = next(w for w in WORDS if w not in many_body(i))
    project.page(f"zwdt/gzdt/m{i:03d}.md", f"工作动态{i}", date="2026-03-01 09:00", body=many_body(i, other))
    assert assert_same_as_clean(project, tmp_path, "splice-middle").search["joined_again"] > 0
    project.page("zwdt/gzdt/m007.md", "工作动态7", date="2026-03-01 09:00", body=body.format("城乡建设"))
    assert build(project).search["joined_again"] > 0
    with sqlite3.connect(project.root / ".govsite-cache/t.sqlite") as db:
        joined = [k for (k,) in db.execute("SELECT k FROM search") if k.endswith(b"\x00joined")]
    assert len(joined) == 1, "one joined index (~10 MB at 5,000 pages) is kept, not one per edit"


@pytest.mark.slow
def test_a_lost_joined_index_is_joined_again(project, tmp_path, monkeypatch):
    """Without the last build's joined index in the cache, the index is joined from every run."""
    many_pages(project, 420)
    build(project)
    project.page("zwdt/gzdt/m300.md", "工作动态300", date="2026-03-01 09:00",
                 body="第300篇，关于防汛抗旱、城市更新和营商环境的工作情况，会议研究了政务公开与民生实事，部署下一步乡村振兴工作。")
    monkeypatch.setattr(JoinedIndex, "get", lambda self, key: None)
    assert assert_same_as_clean(project, tmp_path, "lost-joined").search["joined_again"] is None


def test_a_file_of_keyed_parts_copies_its_unchanged_start_and_end(tmp_path):
    """OutputDir.write_parts (the syndication export, ~130 MB a file at 20,000 pages): the parts
    at the start and the end whose keys are as last time are copied from the previous file, only
    those between are made, and the bytes are those of every part written. A previous file
    changed since it was recorded is not used."""
    from govsite.core.writer import OutputDir

    made = []

    def make(text):
        made.append(text)
        return text.encode()

    def write(texts, recorded=None):
        out = OutputDir(tmp_path / "site")
        parts = [(None if t.startswith("?") else t.encode(), lambda t=t: make(t)) for t in texts]
        record = out.write_parts("export/feed.json", parts, recorded)
        out.commit()
        assert (tmp_path / "site/export/feed.json").read_text() == "".join(texts)
        return record

    first = write(["<head>", "item1,", "item2,", "item3,", "item4", "</foot>"])
    inode = (tmp_path / "site/export/feed.json").stat().st_ino
    assert write(["<head>", "item1,", "item2,", "item3,", "item4", "</foot>"]).identity == first.identity, \
        "without a record (a deleted cache), the same bytes still keep the previous file"
    assert (tmp_path / "site/export/feed.json").stat().st_ino == inode
    made.clear()
    second = write(["<head>", "item1,", "ITEM-2,", "item3,", "item4", "</foot>"], first)
    assert made == ["ITEM-2,"]
    made.clear()
    inode = (tmp_path / "site/export/feed.json").stat().st_ino
    third = write(["<head>", "item1,", "ITEM-2,", "item3,", "item4", "</foot>"], second)
    assert made == [] and (tmp_path / "site/export/feed.json").stat().st_ino == inode
    made.clear()
    fourth = write(["<head>", "item0,", "item1,", "ITEM-2,", "?unkeyed,", "item3,", "item4", "</foot>"], third)
    assert made == ["item0,", "item1,", "ITEM-2,", "?unkeyed,"], "an unkeyed part is always made"
    made.clear()
    (tmp_path / "site/export/feed.json").write_text("changed by hand, after the build")
    fifth = write(["<head>", "item0,", "item1,", "ITEM-2,", "item3,", "item4", "</foot>"], fourth)
    assert len(made) == 7, "the recorded file is gone: every part is made"
    write(["<head>", "item0,", "item1,"], fifth)    # the start of the last file, not all of it


def test_a_library_upgrade_starts_the_cache_over(project, monkeypatch):
    """Markdown HTML made by an older Python-Markdown (or pinyin, sanitizing, templates by older
    libraries) is not what a clean build makes now: their versions are part of the cache's key."""
    import importlib.metadata

    from govsite.cache import digest as cache

    first = build(project)
    version = importlib.metadata.version
    monkeypatch.setattr(importlib.metadata, "version",
                        lambda name: "99.0" if name == "markdown" else version(name))
    cache.code_fingerprint.cache_clear()
    try:
        again = build(project)
    finally:
        monkeypatch.undo()
        cache.code_fingerprint.cache_clear()
    assert again.rendered == first.rendered and again.skipped == 0


def test_corrupt_or_deleted_cache_is_harmless(project, tmp_path):
    build(project)
    cache = project.root / ".govsite-cache" / "t.sqlite"
    assert cache.is_file()
    for suffix in ("-wal", "-shm"):
        Path(str(cache) + suffix).unlink(missing_ok=True)
    cache.write_bytes(b"this is not a database" * 100)
    assert_same_as_clean(project, tmp_path, "corrupt")
    assert build(project).rendered == 0, "the corrupt file was replaced by a working cache"
    import shutil

    shutil.rmtree(project.root / ".govsite-cache")
    result = assert_same_as_clean(project, tmp_path, "deleted")
    assert result.skipped == 0


def test_a_damaged_cache_file_is_noticed_while_reading_and_replaced(project, tmp_path):
    """A cache whose pages are damaged (a crash, a full disk) is found out by the reads that fail;
    the build's output equals a clean build, and the build leaves a sound cache behind."""
    build(project)
    cache = project.root / ".govsite-cache" / "t.sqlite"
    with sqlite3.connect(cache) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        roots = [n for (n,) in db.execute("SELECT rootpage FROM sqlite_master WHERE tbl_name IN ('outputs', 'markdown')")]
    assert len(roots) == 4   # the tables and their key indexes; the file opens as before
    with open(cache, "r+b") as fh:
        for n in roots:
            fh.seek((n - 1) * page_size)
            fh.write(bytes([0xA5]) * page_size)
    project.page("zwdt/gzdt/b.md", "第二篇工作动态", date="2026-05-02 09:00", body="改过。")
    assert_same_as_clean(project, tmp_path, "damaged")
    with sqlite3.connect(cache) as db:
        assert db.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        assert db.execute("SELECT count(*) FROM outputs").fetchone()[0] > 0
    assert build(project).rendered == 0, "the new cache knows the output"


def test_entries_no_build_uses_any_more_are_pruned_once_they_add_up(project):
    """The cache holds about one site's working set: entries of deleted or edited pages are
    dropped once there are more than a few (a handful after a one-file edit are kept a while)."""
    for i in range(150):
        project.page(f"zwdt/gzdt/d{i:03d}.md", f"要删除的动态{i}", date="2026-03-01 09:00", body=f"第{i}篇正文。")
    build(project)
    db_path = project.root / ".govsite-cache" / "t.sqlite"

    def entries(table):
        with sqlite3.connect(db_path) as db:
            return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    full = entries("markdown")
    project.page("zwdt/gzdt/d000.md", "要删除的动态0", date="2026-03-01 09:00", body="改过一次。")
    build(project)
    assert entries("markdown") == full + 1, "one stale entry is kept for now"
    for i in range(150):
        (project.content / f"zwdt/gzdt/d{i:03d}.md").unlink()
    build(project)
    assert entries("markdown") <= full - 150, "the deleted pages' entries are gone"


def test_hand_edited_output_is_rendered_again(project):
    build(project)
    target = project.out("zwdt/gzdt/a.html")
    target.write_text("broken by hand", encoding="utf-8")
    build(project)
    assert "第一篇工作动态" in project.html("zwdt/gzdt/a.html")


def test_no_cache_flag_leaves_no_cache(project):

    result = run(["--project", str(project.root), "build", "t", "--now", NOW, "--jobs", "1", "--no-cache"])
    assert result.exit_code == 0, result.output
    assert not (project.root / ".govsite-cache").exists()
    assert "rendered" in result.output


def test_python_helpers_called_from_templates_count_as_reads(project, tmp_path, monkeypatch):
    """A template function given a column (here a site template calling a filter-like global)
    may read any of its fields: changing one re-renders the pages that called it."""
    add_template_global(monkeypatch, "column_intro", lambda site: lambda col: col.intro)  # reads a field templates never read
    page_html = (REPO / "themes/default/templates/page.html").read_text(encoding="utf-8")
    project.write("sites/t/templates/page.html",
                  page_html.replace("{% block main %}", "{% block main %}<p class=intro>{{ column_intro(column) }}</p>", 1))
    project.column("zwdt/gzdt", "工作动态", type="政务动态", keywords="[工作, 动态]", order=1, intro="旧的介绍")
    build(project)
    project.column("zwdt/gzdt", "工作动态", type="政务动态", keywords="[工作, 动态]", order=1, intro="新的介绍")
    assert_same_as_clean(project, tmp_path, "helper")
    assert "新的介绍" in project.html("zwdt/gzdt/a.html")


# -- the whole-build shortcut (govsite/stamp.py) ------------------------------------------------
def test_nothing_changed_takes_the_previous_output_as_it_is(project):
    age(project.root)
    build(project)
    before = {rel: os.stat(project.out(rel)).st_mtime_ns for rel in files(project.out())}
    again = build(project)
    assert again.cache == {"build": 1}, "nothing changed: nothing loaded, nothing rendered"
    assert again.rendered == 0 and again.pages == 4
    assert {rel: os.stat(project.out(rel)).st_mtime_ns for rel in files(project.out())} == before


def test_any_input_output_or_time_change_builds_again(project, tmp_path):
    age(project.root)
    build(project)
    project.page("zwdt/gzdt/a.md", "第一篇工作动态（更正）", date="2026-05-01 09:00", keywords="[营商环境]")
    age(project.content)
    edited = build(project)
    assert edited.cache != {"build": 1} and "第一篇工作动态（更正）" in project.html("zwdt/gzdt/a.html")
    (project.out("zwdt/gzdt/b.html")).unlink()           # someone removed a published file
    assert build(project).cache != {"build": 1}
    assert project.out("zwdt/gzdt/b.html").is_file()
    # (a time outside the window: 通知公告 goes stale on 2 October)
    other_time = build_site(project.root, "t", project.root / "build", BuildOptions(now="2026-10-02 12:00", jobs=1))
    assert other_time.cache != {"build": 1}
    assert_same_as_clean(project, tmp_path, "after the shortcut")


def test_a_later_build_time_takes_the_shortcut_until_a_verdict_could_change(project):
    """The build time matters only where output depends on it: the window runs from the last
    moment an answer changed (工作动态 went stale on 17 May: days are counted by date) to the next
    (通知公告 goes stale on 2 October), so a rebuild at 17:30 or weeks later is the noon build's
    output, and one outside the window builds again (govsite/core/clock.py, tests/test_clock.py)."""
    age(project.root)
    first = build(project)
    assert (first.window.start.isoformat(), first.window.end.isoformat()) == ("2026-05-17T00:00:00", "2026-10-02T00:00:00")

    def at(now):
        return build_site(project.root, "t", project.root / "build", BuildOptions(now=now, jobs=1))

    assert at("2026-06-01 17:30").cache == {"build": 1}
    assert at("2026-05-17 00:00").cache == {"build": 1}
    assert at("2026-07-15 08:00").cache == {"build": 1}
    assert at("2026-10-02 00:00").cache != {"build": 1}
    assert at("2026-05-16 23:59").cache != {"build": 1}


def test_a_scheduled_page_going_live_ends_the_window(project):
    project.page("zwdt/gzdt/s.md", "定时发布的通知", date="2026-06-01 15:25", publish="2026-06-01 15:25")
    age(project.root)
    noon = build(project)
    assert noon.window.end.isoformat() == "2026-06-01T15:25:00"
    assert not project.out("zwdt/gzdt/s.html").exists()
    later = build_site(project.root, "t", project.root / "build", BuildOptions(now="2026-06-01 15:25", jobs=1))
    assert later.cache != {"build": 1} and project.out("zwdt/gzdt/s.html").is_file()


@pytest.mark.slow
@pytest.mark.parametrize("key", ["demo", "jyj", "mhjd"])
def test_every_build_time_in_the_window_gives_the_same_demo(tmp_path, key):
    """The window is sound on the demo sites (scheduled pages, consultations, replies, leaders'
    terms, data sets, a migration notice; jyj's and mhjd's windows span days): builds at its first
    and last minute equal the one inside it, byte for byte, with the same findings."""
    def demo_at(now, name):
        result = build_site(REPO, key, tmp_path / name, BuildOptions(now=now, jobs=2, cache=False))
        return result, files(tmp_path / name / key), sorted(p.format() for p in result.report.problems)

    middle, built, found = demo_at(DEMO_NOW, "middle")
    window = middle.window
    assert window.start <= dt.datetime.fromisoformat(DEMO_NOW) < window.end
    last = (window.end - dt.timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M")
    for now, name in ((window.start.strftime("%Y-%m-%d %H:%M"), "first"), (last, "last")):
        result, other, other_found = demo_at(now, name)
        assert other == built, f"{key} built at {now} differs from the one at {DEMO_NOW}"
        assert other_found == found
        assert result.window == window


def test_a_file_saved_as_the_build_starts_is_not_trusted(project):
    age(project.root)
    page = project.content / "zwdt/gzdt/a.md"
    later = time.time_ns() + 5 * 10**9          # saved while (or after) the build read it
    os.utime(page, ns=(later, later))
    build(project)
    assert build(project).cache != {"build": 1}, "no stamp: the page may have changed unseen"
    age(project.root, 3600)
    build(project)
    assert build(project).cache == {"build": 1}


def test_a_file_replaced_with_an_old_mtime_while_the_build_runs_is_built_next_time(project, monkeypatch):
    """A file may change after the build read it and still carry an old mtime (``rsync -t``,
    ``tar x`` and ``cp -p`` keep the original's). The stamp holds the files as they were before
    the build read any, so the next build sees the change instead of taking this one's output."""
    age(project.root)
    build(project)
    project.page("zwdt/gzdt/b.md", "第二篇工作动态（改）", date="2026-05-02 09:00")
    age(project.content, 3600)
    loaded_by = pipeline_build.load_and_check

    def load_then_replace(*args, **named):
        loaded = loaded_by(*args, **named)
        project.page("zwdt/gzdt/a.md", "第一篇工作动态（更正）", date="2026-05-01 09:00", keywords="[营商环境]")
        age(project.content / "zwdt/gzdt", 7200)
        return loaded

    monkeypatch.setattr(pipeline_build, "load_and_check", load_then_replace)
    build(project)
    monkeypatch.undo()
    assert "（更正）" not in project.html("zwdt/gzdt/a.html"), "built from the file as it was read"
    again = build(project)
    assert again.cache != {"build": 1}
    assert "第一篇工作动态（更正）" in project.html("zwdt/gzdt/a.html")


def test_preview_after_a_build_takes_its_markdown_and_equals_a_clean_preview(project, tmp_path):
    """``govsite build`` and ``govsite serve`` keep caches of their own, but what is keyed by content
    alone (parsed sources, bodies as HTML, search postings) is taken from the other's: the first
    preview after a build renders only the Markdown the build did not (a draft here)."""
    project.page("zwdt/gzdt/d.md", "只在预览中出现的草稿", date="2026-05-05 09:00", draft="true",
                 body="草稿的正文，链接到[第一篇](a.md)。")
    built = build(project)

    def preview(out, cache=True):
        return build_site(project.root, "t", out, BuildOptions(now=NOW, jobs=1, cache=cache, preview=True))

    first = preview(tmp_path / "serve")
    assert first.pages == built.pages + 1
    assert first.cache["markdown"] == built.pages, "every body the build rendered is taken from its cache"
    clean = preview(tmp_path / "clean", cache=False)
    got, want = files(tmp_path / "serve" / "t"), files(clean.out)
    assert got == want, "the preview equals one built without any cache"

    (project.root / ".govsite-cache" / "t.sqlite").unlink()   # the preview's cache now holds them itself
    project.page("zwdt/gzdt/a.md", "第一篇工作动态", date="2026-05-01 09:00", keywords="[营商环境]",
                 body="改过的正文。")
    again = preview(tmp_path / "serve")
    assert again.cache["markdown"] == first.pages - 1
    assert "改过的正文" in (tmp_path / "serve" / "t" / "zwdt/gzdt/a.html").read_text(encoding="utf-8")
