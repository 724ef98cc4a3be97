"""Redirects (sites/<site>/redirects.yaml) and the published-URL manifest (research L4): moved
pages keep working as pages and as nginx 301s, and a URL that disappears is reported."""
from __future__ import annotations

import re

from helpers import NOW, run
from htmlcheck import local_targets, parse

REDIRECTS = """\
# 改版前的旧网址
/old/news/123.html: zwdt/gzdt/a.md
/fgw/: https://fgw.ceshi.gov.cn/
zwdt/old.html: zwdt/tzgg/
/old/file.pdf: xxgk/guide.html
"""


def _gone(output: str) -> list[str]:
    return re.findall(r"\[LK-1\.gone\] 上次发布的网址「([^」]+)」", output)


def test_redirect_pages_and_nginx_map(project):
    project.write("sites/t/redirects.yaml", REDIRECTS)
    result = project.build()
    assert result.exit_code == 0, result.output
    page = project.html("old/news/123.html")
    assert '<html lang="zh-CN">' in page
    assert '<meta http-equiv="refresh" content="0; url=../../zwdt/gzdt/a.html">' in page
    assert '<link rel="canonical" href="https://www.ceshi.gov.cn/zwdt/gzdt/a.html">' in page
    assert '<meta name="robots" content="noindex">' in page
    assert "本页面已迁移至" in page and '<a href="../../zwdt/gzdt/a.html">' in page
    assert "<script" not in page and "style" not in page  # holds under the site's CSP
    # every link of every redirect page reaches a file of the output (file:// and any static host)
    for rel in ["old/news/123.html", "zwdt/old.html"]:
        targets = list(local_targets(project.out(rel)))
        assert targets and all(t.is_file() for _, t in targets), (rel, targets)
    assert 'url=tzgg/index.html"' in project.html("zwdt/old.html")
    folder = project.html("fgw/index.html")  # a folder: its index.html, pointing to another site
    assert 'content="0; url=https://fgw.ceshi.gov.cn/"' in folder and 'canonical" href="https://fgw.ceshi.gov.cn/"' in folder
    assert not project.out("old/file.pdf").exists()  # not an HTML path: nginx map only
    lines = project.html("redirects.map").splitlines()
    entries = [line for line in lines if not line.startswith("#")]
    assert entries == sorted(entries)
    assert '"/old/news/123.html" "/zwdt/gzdt/a.html";' in entries
    assert '"/zwdt/old.html" "/zwdt/tzgg/";' in entries
    assert '"/old/file.pdf" "/xxgk/guide.html";' in entries
    for key in ("/fgw", "/fgw/", "/fgw/index.html"):
        assert f'"{key}" "https://fgw.ceshi.gov.cn/";' in entries
    assert len(entries) == 6
    # redirect pages are not content pages: the output check does not ask them for 网页标签
    assert "MT-" not in result.output


def test_redirect_pages_under_a_sub_path_and_sources_follow_slug_changes(project):
    project.configure(replace={"base_url: https://www.ceshi.gov.cn/": "base_url: https://www.ceshi.gov.cn/sub/"})
    project.write("sites/t/redirects.yaml", "/old.html: zwdt/gzdt/a.md\n")
    assert project.build().exit_code == 0
    assert '"/sub/old.html" "/sub/zwdt/gzdt/a.html";' in project.html("redirects.map")
    assert 'href="https://www.ceshi.gov.cn/sub/zwdt/gzdt/a.html"' in project.html("old.html")
    project.page("zwdt/gzdt/a.md", "第一篇工作动态", date="2026-05-01 09:00", slug="yshj")  # the page's URL changes
    result = project.build()
    assert result.exit_code == 0, result.output
    assert 'url=zwdt/gzdt/yshj.html"' in project.html("old.html")
    assert '"/sub/old.html" "/sub/zwdt/gzdt/yshj.html";' in project.html("redirects.map")


def test_redirect_page_works_from_file_url_in_chromium(project, browser):
    project.write("sites/t/redirects.yaml", "/old/news/123.html: zwdt/gzdt/a.md\n")
    assert project.build().exit_code == 0
    page = browser.new_page()
    page.goto(project.out("old/news/123.html").as_uri())
    page.wait_for_url("**/zwdt/gzdt/a.html", timeout=10000)
    assert "第一篇工作动态" in page.title()
    page.close()


def test_list_form_is_accepted(project):
    project.write("sites/t/redirects.yaml", "- from: /a-old.html\n  to: zwdt/gzdt/b.md\n- /b-old.html: xxgk/guide.md\n")
    assert project.build().exit_code == 0
    assert 'url=zwdt/gzdt/b.html"' in project.html("a-old.html")
    assert 'url=xxgk/guide.html"' in project.html("b-old.html")


def _fails(project, text, *expected: str) -> str:
    project.write("sites/t/redirects.yaml", text)
    result = project.build()
    assert result.exit_code != 0, result.output
    for needle in expected:
        assert needle in result.output, (needle, result.output)
    return result.output


def test_redirect_errors_name_the_line_and_rule(project):
    assert project.build().exit_code == 0
    before = project.html("zwdt/gzdt/a.html")
    output = _fails(project, "/ok.html: zwdt/gzdt/a.md\n/x.html: zwdt/gzdt/nope.md\n",
                    "redirects.yaml:2: 错误: [LK-1.redirect]", "新地址「zwdt/gzdt/nope.md」不存在（内容源文件）")
    assert "redirects.yaml:1" not in output
    _fails(project, "/y.html: no/such/page.html\n", "redirects.yaml:1", "不存在")
    _fails(project, "\n/zwdt/gzdt/a.html: zwdt/gzdt/b.md\n", "redirects.yaml:2", "是本次生成的现有页面")
    _fails(project, "/zwdt/gzdt/: xxgk/\n", "redirects.yaml:1", "「/zwdt/gzdt/」是本次生成的现有页面")
    _fails(project, "/../../etc/passwd.html: zwdt/gzdt/a.md\n", "redirects.yaml:1", "超出网站输出目录")
    _fails(project, "/a.html?id=3: zwdt/gzdt/a.md\n", "不能带 ? 查询参数")
    _fails(project, "/a.html: ../../outside.html\n", "超出网站输出目录")
    _fails(project, "/a.html: javascript:alert(1)\n", "不是可用的网址")
    _fails(project, "/a.html: \n", "redirects.yaml:1", "都应是非空的文字")
    _fails(project, "/a.html: zwdt/gzdt/a.md\n/a.html: zwdt/gzdt/b.md\n", "redirects.yaml:2", "重复（第 1 行已写过）")
    _fails(project, "- 3\n", "redirects.yaml:1", "重定向条目应是映射")
    _fails(project, "just text\n", "redirects.yaml:1", "应是「旧地址: 新地址」的映射")
    _fails(project, "/a.html: [x\n", "redirects.yaml:", "YAML 语法错误")
    _fails(project, "/: zwdt/gzdt/a.md\n", "不能是网站首页")
    _fails(project, "/a.html: {to: zwdt/gzdt/a.md}\n", "redirects.yaml:1", "都应是非空的文字")
    _fails(project, "/ZWDT/GZDT/A.html: zwdt/gzdt/b.md\n", "是本次生成的现有页面")       # case only
    _fails(project, "/zwdt/gzdt/a.html/x.html: zwdt/gzdt/b.md\n", "「/zwdt/gzdt/a.html」已是本站的一个文件")
    _fails(project, "/p.html: zwdt/gzdt/a.md\n/p.html/q.html: zwdt/gzdt/b.md\n", "redirects.yaml:2", "「/p.html」已是")
    _fails(project, b"/a.html: \xff\xfe\n", "redirects.yaml:1", "不是 UTF-8 编码")
    # chains and loops
    _fails(project, "/a.html: /b.html\n/b.html: zwdt/gzdt/a.md\n", "redirects.yaml:1",
           "重定向链：/a.html → /b.html → /zwdt/gzdt/a.html", "直接指向最终的地址")
    _fails(project, "/a.html: /b.html\n/b.html: /a.html\n", "redirects.yaml:1", "redirects.yaml:2",
           "重定向形成循环：/a.html → /b.html → /a.html")
    _fails(project, "/a.html: a.html\n", "重定向形成循环：/a.html → /a.html")
    # a target that is not published now (draft)
    project.page("zwdt/gzdt/d.md", "草稿", draft="true")
    _fails(project, "/a.html: zwdt/gzdt/d.md\n", "本次不发布")
    # nothing was half-written: the previous output is untouched, no redirect file leaked into it
    assert project.html("zwdt/gzdt/a.html") == before
    assert not project.out("ok.html").exists() and not project.out("a.html").exists()


def test_manifest_warns_about_disappeared_urls_until_redirected(project):
    first = project.build()
    assert first.exit_code == 0 and not _gone(first.output)  # no manifest yet: nothing to compare
    urls = project.html("urls.txt").splitlines()
    assert urls[0].startswith("#") and urls[1:] == sorted(urls[1:])
    assert {"index.html", "zwdt/gzdt/a.html", "zwdt/gzdt/index.html", "rss.xml", "sitemap.xml"} <= set(urls)
    assert not any(u.startswith(("static/", "search/", "leave/")) for u in urls)
    again = project.build()
    assert again.exit_code == 0 and not _gone(again.output)
    (project.content / "zwdt/gzdt/a.md").unlink()
    project.content.joinpath("zwdt/tzgg/n1.md").unlink()
    project.page("zwdt/tzgg/n2.md", "新通知", date="2026-04-02 10:00")
    result = project.build()
    assert result.exit_code == 0, result.output  # a warning, not an error
    assert _gone(result.output) == ["https://www.ceshi.gov.cn/zwdt/gzdt/a.html",
                                    "https://www.ceshi.gov.cn/zwdt/tzgg/n1.html"]
    assert "在 sites/t/redirects.yaml 中加一条重定向，或报告门户网站" in result.output
    assert "警告: [LK-1.gone]" in result.output
    # the manifest is now the new build's: the same removal is reported once
    assert "zwdt/gzdt/a.html" not in project.html("urls.txt").splitlines()


def test_redirect_silences_the_disappeared_url_warning(project):
    assert project.build().exit_code == 0
    (project.content / "zwdt/gzdt/a.md").rename(project.content / "zwdt/gzdt/a2.md")
    project.write("sites/t/redirects.yaml", "zwdt/gzdt/a.html: zwdt/gzdt/a2.md\n")
    result = project.build()
    assert result.exit_code == 0, result.output
    assert not _gone(result.output)
    assert "zwdt/gzdt/a.html" in project.html("urls.txt").splitlines()  # the old URL is still answered
    project.write("sites/t/redirects.yaml", "")  # dropping the redirect later kills the URL: reported
    result = project.build()
    assert _gone(result.output) == ["https://www.ceshi.gov.cn/zwdt/gzdt/a.html"]


def test_expired_pages_warn_archived_pages_keep_their_url(project):
    project.page("zwdt/gzdt/e.md", "限时公告", date="2026-05-03 09:00", expire="2026-07-01 00:00")
    project.page("zwdt/gzdt/old.md", "旧动态", date="2026-05-04 09:00")
    assert project.build().exit_code == 0
    project.page("zwdt/gzdt/old.md", "旧动态", date="2026-05-04 09:00", archived="2026-06-02")
    result = project.build(now="2026-07-02 12:00")
    assert result.exit_code == 0, result.output
    assert _gone(result.output) == ["https://www.ceshi.gov.cn/zwdt/gzdt/e.html"]


def test_scheduled_pages_and_pagination_make_no_noise(project):
    project.configure("page_size: 1\n")
    project.page("zwdt/gzdt/later.md", "定时发布", date="2026-05-03 09:00", publish="2026-07-01 00:00")
    assert project.build().exit_code == 0
    assert "zwdt/gzdt/index_2.html" not in project.html("urls.txt")  # list pages shift: not listed
    assert project.out("zwdt/gzdt/index_2.html").is_file()
    (project.content / "zwdt/gzdt/b.md").unlink()   # one list page fewer
    result = project.build()
    assert _gone(result.output) == ["https://www.ceshi.gov.cn/zwdt/gzdt/b.html"]


def test_drafts_and_preview_builds_do_not_compare_or_replace_the_manifest(project, tmp_path):
    from govsite.pipeline.build import BuildOptions, build_site

    assert project.build().exit_code == 0
    published = project.html("urls.txt")
    project.page("zwdt/gzdt/d.md", "草稿", draft="true")
    (project.content / "zwdt/gzdt/a.md").unlink()
    result = project.build("--drafts")
    assert result.exit_code == 0 and not _gone(result.output)
    assert project.html("urls.txt") == published  # the last published manifest, carried over
    assert project.out("zwdt/gzdt/d.html").is_file()
    preview = build_site(project.root, "t", tmp_path / "serve", BuildOptions(now="2026-06-01 12:00", jobs=1, preview=True))
    assert not [p for p in preview.report.warnings if p.rule == "LK-1.gone"]
    assert not (tmp_path / "serve/t/urls.txt").exists()
    result = project.build()  # the next published build compares with the last published one
    assert _gone(result.output) == ["https://www.ceshi.gov.cn/zwdt/gzdt/a.html"]


def test_outputs_are_deterministic_and_cached_builds_equal_clean_ones(project):
    project.write("sites/t/redirects.yaml", REDIRECTS)

    def files():
        root = project.out()
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}

    assert project.build("--no-cache").exit_code == 0
    clean = files()
    assert project.build().exit_code == 0
    assert project.build().exit_code == 0  # the second cached build takes everything from the cache
    assert files() == clean
    inode = project.out("old/news/123.html").stat().st_ino
    assert project.build().exit_code == 0
    assert project.out("old/news/123.html").stat().st_ino == inode  # unchanged: hard-linked, mtime kept
    assert parse(project.out("old/news/123.html")).meta["robots"] == "noindex"


def test_govsite_check_reports_redirect_errors(project):
    project.write("sites/t/redirects.yaml", "/old.html: zwdt/gzdt/a.md\n/x.html: zwdt/gzdt/nope.md\n")
    result = run(["--project", str(project.root), "check", "t", "--now", NOW])
    assert result.exit_code == 1
    assert "redirects.yaml:2: 错误: [LK-1.redirect] 新地址「zwdt/gzdt/nope.md」不存在" in result.output
    assert "redirects.yaml:1" not in result.output
