"""Syndication (信息报送): the export every build writes for the portal, ``govsite import`` of
another site's export as reposts (转载), and the repost lag check (CP-4.lag, research L6).

Times are pinned: builds use ``--now``, imports ``--now``, the lag check a fixed check time.
2026-05-29 is a Friday; 国庆 2026 is 10-01..10-07 (off), 10-08 the next working day.
"""
from __future__ import annotations

import json
import socket
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from govsite.outputs import syndication

from checkfix import check, clean, found
from helpers import SITE_YAML, run


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):   # noqa: A002 - the stdlib's name
        pass   # no access log on the test's output


IMPORT_NOW = "2026-06-02 10:00"


def _current(project, site="t") -> Path:
    return project.out("export/feed.json") if site == "t" else project.root / "build" / site / "export/feed.json"


def _feed(project, site="t"):
    """The whole export as one feed: the current document's frame, and the items of the current
    document and of every archive it leads to (RFC 5005), newest first."""
    source = _current(project, site)
    feed = json.loads(source.read_text(encoding="utf-8"))
    for older, _where in syndication.archives(feed, str(source)):
        feed["items"] += older["items"]
    return feed


def _second_site(project):
    """Site 'u' in the same project, with an empty reprint column xxgk/zz."""
    text = SITE_YAML.replace("测试区人民政府", "另一区人民政府").replace("ceshi.gov.cn", "lingyi.gov.cn")
    project.write("sites/u/site.yaml", text.replace('"3399020001"', '"3399020002"'))
    project.write("content/u/zwdt/_column.yaml", "name: 政务动态\ntype: 政务动态\nkeywords: [动态]\n")
    project.write("content/u/zwdt/a.md", "---\ntitle: 另一区的动态\ndate: 2026-05-20 09:00\n---\n\n正文。\n")
    project.write("content/u/xxgk/_column.yaml", "name: 信息公开\ntype: 信息公开目录\n")
    project.write("content/u/xxgk/zz/_column.yaml", "name: 转载信息\ntype: 国务院信息转载\n")
    return project.root / "content/u/xxgk/zz"


def _import(project, source, *args, site="u", column="xxgk/zz", now=IMPORT_NOW):
    return run(["--project", str(project.root), "import", str(source), "--site", site, "--column", column,
                "--now", now, *args])


def _files(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.md"))}


def _front(path):
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


# -- export -------------------------------------------------------------------------------------
def test_export_holds_every_published_item_with_metadata_and_no_drafts(project):
    for n in range(60):  # more than the 50 of the ordinary site feed
        project.page(f"zwdt/gzdt/p{n:02d}.md", f"动态第{n}篇", date=f"2026-04-{n % 28 + 1:02d} 08:00")
    project.page("zwdt/gzdt/draft.md", "草稿不报送", draft="true")
    project.page("zwdt/gzdt/later.md", "定时发布不报送", publish='"2026-07-01 09:00"')
    project.page("zwdt/tzgg/link.md", "带链接的通知", date="2026-05-03 10:00", source="区财政局",
                 keywords="[预算, 公开]",
                 body="见[第一篇](../gzdt/a.md)，外部参考[资料](https://www.example.com/ref)。")
    project.page("zwdt/tzgg/zz.md", "转载的通知", date="2026-05-04 10:00", source="中国政府网",
                 reprint="{original_site: 中国政府网, original_url: 'https://www.gov.cn/a.htm', original_published: 2026-05-04 08:00}")
    result = project.build()
    assert result.exit_code == 0, result.output
    feed = _feed(project)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["_govsite"] == {"site": "t", "name": "测试区人民政府", "base_url": "https://www.ceshi.gov.cn/",
                                "site_code": "3399020001", "archive": False, "month": "2026-05",
                                "current": "https://www.ceshi.gov.cn/export/feed.json", "next_archive": None,
                                "prev_archive": "https://www.ceshi.gov.cn/export/archive/2026-04.json"}
    items = feed["items"]
    titles = [i["title"] for i in items]
    assert len(items) == 60 + 4 + 2 and "草稿不报送" not in titles and "定时发布不报送" not in titles
    dates = [(i["date_published"], i["id"]) for i in items]
    assert [d for d, _ in dates] == sorted((d for d, _ in dates), reverse=True)   # newest first
    link = next(i for i in items if i["title"] == "带链接的通知")
    assert link["id"] == link["url"] == "https://www.ceshi.gov.cn/zwdt/tzgg/link.html"
    assert link["date_published"] == "2026-05-03T10:00:00+08:00" and link["tags"] == ["预算", "公开"]
    assert link["authors"] == [{"name": "区财政局"}]
    assert link["_govsite"]["column"] == {"path": "zwdt/tzgg", "name": "通知公告"}
    assert link["_govsite"]["site"] == "t" and link["_govsite"]["source"] == "区财政局"
    # links work on the harvester's side: absolute, and the outbound one without the leaving notice
    assert 'href="https://www.ceshi.gov.cn/zwdt/gzdt/a.html"' in link["content_html"]
    assert 'href="https://www.example.com/ref"' in link["content_html"] and "leave/" not in link["content_html"]
    reprint = next(i for i in items if i["title"] == "转载的通知")["_govsite"]["reprint"]
    assert reprint == {"original_site": "中国政府网", "original_url": "https://www.gov.cn/a.htm",
                       "original_published": "2026-05-04T08:00:00+08:00"}
    # RFC 5005: the current document holds the newest month, the archive the month before, and the
    # archive links back to the current document
    current = json.loads(_current(project).read_text(encoding="utf-8"))
    assert {i["date_published"][:7] for i in current["items"]} == {"2026-05"}
    assert current["next_url"] == "https://www.ceshi.gov.cn/export/archive/2026-04.json"
    april = json.loads(project.out("export/archive/2026-04.json").read_text(encoding="utf-8"))
    assert {i["date_published"][:7] for i in april["items"]} == {"2026-04"}
    assert april["_govsite"]["archive"] is True and april["_govsite"]["current"] == current["feed_url"]
    assert april["_govsite"]["next_archive"] is None and april["feed_url"].endswith("/export/archive/2026-04.json")
    older = [i for i in items if i["date_published"] < "2026-04"]   # the fixture's own page of an earlier month
    assert len(current["items"]) + len(april["items"]) + len(older) == len(items)
    assert (april["next_url"] if older else None) == april["_govsite"]["prev_archive"]
    rss = project.out("export/rss.xml").read_text(encoding="utf-8")   # RSS: the current document's items
    assert rss.count("<item>") == len(current["items"]) and rss.count("<content:encoded>") == len(current["items"])
    assert '<guid isPermaLink="true">https://www.ceshi.gov.cn/zwdt/tzgg/link.html</guid>' in rss
    assert '<source url="https://www.gov.cn/a.htm">中国政府网</source>' in rss
    assert "草稿不报送" not in rss
    # the ordinary feeds keep their size
    assert project.html("rss.xml").count("<item>") == 50


def test_rss_items_follow_the_current_document_through_cached_builds(project):
    """Only the current document's pages are in ``export/rss.xml``, so only they get an RSS item;
    when the newest month's page goes, the month before is current again and its pages' RSS
    items are made then — the cached build equals a clean one byte for byte."""
    later = "2026-08-01 09:00"
    project.page("zwdt/tzgg/june.md", "六月通知", date="2026-06-20 10:00", body="六月的正文。")
    project.page("zwdt/tzgg/july.md", "七月通知", date="2026-07-20 10:00", body="七月的正文。")
    assert project.build(now=later).exit_code == 0
    rss = project.out("export/rss.xml").read_text(encoding="utf-8")
    assert "七月通知" in rss and "六月通知" not in rss
    (project.root / "content/t/zwdt/tzgg/july.md").unlink()
    assert project.build(now=later).exit_code == 0
    cached = {n: project.out(f"export/{n}").read_bytes() for n in ("feed.json", "rss.xml")}
    assert "六月的正文" in cached["rss.xml"].decode("utf-8") and "七月通知" not in cached["rss.xml"].decode("utf-8")
    assert project.build("--no-cache", now=later).exit_code == 0
    assert {n: project.out(f"export/{n}").read_bytes() for n in cached} == cached


@pytest.mark.slow
def test_export_is_byte_identical_across_builds_and_can_be_switched_off(project):
    project.page("zwdt/tzgg/t.md", "表格通知", date="2026-05-05 10:00", body="| 项目 | 金额 |\n|---|---|\n| 甲 | 1 |")
    for n in range(200):  # enough pages for worker processes (build.PARALLEL_MIN_PAGES) with --jobs 2
        project.page(f"zwdt/gzdt/m{n:03d}.md", f"动态{n}", date="2026-05-10 09:00", body=f"第{n}篇，见[通知](../tzgg/t.md)。")
    assert project.build().exit_code == 0
    first = {n: project.out(f"export/{n}").read_bytes() for n in ("feed.json", "rss.xml")}
    mtime = project.out("export/feed.json").stat().st_mtime_ns
    assert project.build().exit_code == 0                      # warm cache
    assert {n: project.out(f"export/{n}").read_bytes() for n in first} == first
    assert project.out("export/feed.json").stat().st_mtime_ns == mtime
    assert project.build("--no-cache", "--jobs", "2").exit_code == 0        # bodies from worker processes
    assert {n: project.out(f"export/{n}").read_bytes() for n in first} == first
    assert b'https://www.ceshi.gov.cn/zwdt/tzgg/t.html' in first["feed.json"]
    assert len(_feed(project)["items"]) == 205 and first["feed.json"].count(b'"id":') < 205   # the rest: archives
    project.configure("syndication: false\n")
    assert project.build().exit_code == 0
    assert not project.out("export").exists() and project.out("rss.xml").is_file()


def test_serve_preview_writes_no_export(project, tmp_path):
    from govsite.pipeline.build import BuildOptions, build_site

    build_site(project.root, "t", tmp_path, BuildOptions(now="2026-06-01 12:00", jobs=1, preview=True))
    assert (tmp_path / "t/index.html").is_file() and not (tmp_path / "t/export").exists()


def test_bad_syndication_setting_is_an_error_with_its_line(project):
    project.configure("syndication: 不要\n")
    result = project.build()
    line = SITE_YAML.count("\n") + 1
    assert result.exit_code == 1 and f"site.yaml:{line}:" in result.output and "syndication 应是 true 或 false" in result.output


# -- import -------------------------------------------------------------------------------------
def test_import_from_an_export_folder_writes_reposts_that_build(project):
    project.page("zwdt/tzgg/n2.md", "关于防汛工作的通知", date="2026-05-30 18:05", source="区应急管理局",
                 keywords="[防汛]", body="请各单位做好防汛准备。\n\n| 项目 | 人数 |\n|---|---|\n| 值班 | 3 |")
    assert project.build().exit_code == 0
    column = _second_site(project)
    result = _import(project, project.out("export"))
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("imported 5, skipped 0")
    path = column / "2026-06-02-n2.md"
    front = _front(path)
    assert front["title"] == "关于防汛工作的通知" and front["date"] == "2026-06-02 10:00"
    assert front["source"] == "测试区人民政府" and front["keywords"] == ["防汛"]
    assert front["reprint"] == {"original_site": "测试区人民政府",
                                "original_url": "https://www.ceshi.gov.cn/zwdt/tzgg/n2.html",
                                "original_published": "2026-05-30 18:05"}
    built = run(["--project", str(project.root), "build", "u", "--now", "2026-06-02 12:00", "--jobs", "1"])
    assert built.exit_code == 0, built.output
    html = (project.root / "build/u/xxgk/zz/2026-06-02-n2.html").read_text(encoding="utf-8")
    assert "来源：测试区人民政府" in html
    assert '转载自<a href="https://www.ceshi.gov.cn/zwdt/tzgg/n2.html">测试区人民政府</a>' in html
    assert "2026-05-30 18:05" in html and "请各单位做好防汛准备。" in html
    assert html.count('class="table-scroll"') == 1 and "<td>值班</td>" in html
    # the repost is syndicated onward with its reprint data
    [item] = [i for i in _feed(project, "u")["items"] if i["title"] == "关于防汛工作的通知"]
    assert item["_govsite"]["reprint"]["original_published"] == "2026-05-30T18:05:00+08:00"


def test_import_from_an_http_url_and_since(project):
    assert project.build().exit_code == 0
    column = _second_site(project)
    handler = partial(QuietHandler, directory=str(project.out("export")))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/feed.json"
        result = _import(project, url, "--since", "2026-04-15")
    finally:
        server.shutdown()
        server.server_close()
    assert result.exit_code == 0, result.output
    assert sorted(_files(column)) == ["2026-06-02-a.md", "2026-06-02-b.md"]   # n1 (04-01) and guide are older
    assert _front(column / "2026-06-02-b.md")["reprint"]["original_published"] == "2026-05-02 09:00"


def test_reimport_is_idempotent_and_never_overwrites(project):
    assert project.build().exit_code == 0
    column = _second_site(project)
    editor = column / "2026-06-02-a.md"   # an editor's own file under the name the import would choose
    editor.write_text("---\ntitle: 编辑自己的稿件\ndate: 2026-06-01 09:00\n---\n\n不要覆盖。\n", encoding="utf-8")
    first = _import(project, project.out("export"))
    assert first.exit_code == 0 and "imported 4, skipped 0" in first.output
    assert editor.read_text(encoding="utf-8").endswith("不要覆盖。\n")
    assert _front(column / "2026-06-02-a-2.md")["reprint"]["original_url"] == "https://www.ceshi.gov.cn/zwdt/gzdt/a.html"
    before = _files(column)
    again = _import(project, project.out("export/feed.json"), now="2026-06-03 10:00")
    assert again.exit_code == 0 and again.output.strip().endswith("imported 0, skipped 4")
    assert "skipped https://www.ceshi.gov.cn/zwdt/gzdt/a.html: already in" in again.output
    assert _files(column) == before
    dry = _import(project, project.out(), "--dry-run")          # the build folder of the site works too
    assert "would import 0, skipped 4" in dry.output and _files(column) == before


def _closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("case", ["not-json", "not-a-feed", "bad-item", "missing", "unreachable", "site", "column"])
def test_bad_sources_fail_with_exit_1_and_write_nothing(project, tmp_path, case):
    assert project.build().exit_code == 0
    column = _second_site(project)
    bad = tmp_path / "bad.json"
    source, site, col = str(bad), "u", "xxgk/zz"
    if case == "not-json":
        bad.write_text("<html>not json</html>", encoding="utf-8")
    elif case == "not-a-feed":
        bad.write_text('{"items": []}', encoding="utf-8")
    elif case == "bad-item":
        feed = _feed(project)
        feed["items"].append({"url": "https://www.ceshi.gov.cn/x.html", "title": "缺日期"})
        bad.write_text(json.dumps(feed), encoding="utf-8")
    elif case == "missing":
        source = str(tmp_path / "nowhere")
    elif case == "unreachable":
        source = f"http://127.0.0.1:{_closed_port()}/feed.json"
    elif case == "site":
        source, site = str(project.out("export")), "nosuch"
    else:
        source, col = str(project.out("export")), "xxgk/nosuch"
    result = _import(project, source, site=site, column=col)
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "Traceback" not in result.output
    named = {"site": "nosuch", "column": "xxgk/nosuch"}.get(case, source)
    assert named in result.output
    assert _files(column) == {}


# -- lag check (CP-4.lag) -----------------------------------------------------------------------
def _repost(project, name, original, published):
    project.page(f"zwdt/gzdt/{name}.md", f"转载{name}", date=published, source="中国政府网",
                 reprint=f"{{original_site: 中国政府网, original_url: 'https://www.gov.cn/{name}.htm', "
                         f"original_published: {original}}}")


def _lags(project, now="2026-10-12 12:00"):
    return {f.path.rsplit("/", 1)[-1]: f for f in found(check(project, now=now, output="none"), "CP-4.lag")}


def test_repost_lag_default_one_working_day_across_weekend_and_holiday(project):
    clean(project)
    _repost(project, "fri", "2026-05-29 18:00", "2026-06-01 20:00")    # Friday → Monday night: in time
    _repost(project, "tue", "2026-05-29 18:00", "2026-06-02 08:00")    # Tuesday: too late
    _repost(project, "hol", "2026-09-30 17:00", "2026-10-08 21:00")    # 国庆 off: Oct 8 is the next working day
    _repost(project, "fast", "2026-09-30 17:00", "2026-09-30 18:00")
    lags = _lags(project)
    assert set(lags) == {"tue.md"}
    hit = lags["tue.md"]
    assert hit.severity == "warning" and hit.line == 5                  # the reprint: line
    assert hit.message == ("[CP-4.lag] 转载晚于时限：原文发布于 2026-05-29 18:00，本站发布于 2026-06-02 08:00，"
                           "超过 1 个工作日（期限 2026-06-01 23:59）")
    assert "reprint_limit" in hit.hint


def test_repost_lag_with_a_12_hour_limit(project):
    clean(project)
    _repost(project, "fri", "2026-05-29 18:00", "2026-06-01 20:00")
    _repost(project, "hol", "2026-09-30 17:00", "2026-10-08 21:00")
    _repost(project, "near", "2026-09-30 17:00", "2026-10-01 05:00")   # exactly 12 hours
    project.configure("check:\n  reprint_limit: 12h\n")
    lags = _lags(project)
    assert set(lags) == {"fri.md", "hol.md"}
    assert "超过 12 小时（期限 2026-05-30 06:00）" in lags["fri.md"].message


@pytest.mark.parametrize("value", ["12小时", "0h", "1d", "true", "[1]"])
def test_bad_reprint_limit_is_reported_at_its_line(project, value):
    clean(project)
    before = (project.root / "sites/t/site.yaml").read_text(encoding="utf-8").count("\n")
    project.configure(f"check:\n  reprint_limit: {value}\n")
    result = check(project, output="none")
    [problem] = found(result, "CFG")
    assert problem.path.endswith("sites/t/site.yaml") and problem.line == before + 2
    assert "check.reprint_limit" in problem.message and "无法识别" in problem.message
    assert "12h" in problem.hint and "1wd" in problem.hint
    built = project.build()
    assert built.exit_code == 1 and "reprint_limit" in built.output


def test_demo_exports_its_main_tree_only(demo):
    feed = json.loads((demo / "export/feed.json").read_text(encoding="utf-8"))
    for older, _where in syndication.archives(feed, str(demo / "export/feed.json")):
        feed["items"] += older["items"]
    urls = [i["url"] for i in feed["items"]]
    assert urls and all(u.startswith("https://www.jinglan.gov.cn/") and "/en/" not in u for u in urls)
    assert not (demo / "en/export").exists()
    reposts = [i["_govsite"]["reprint"]["original_url"] for i in feed["items"] if i["_govsite"]["reprint"]]
    assert "https://www.gov.cn/zhengce/content/202610/content_0000001.htm" in reposts
