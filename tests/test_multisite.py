"""Several sites in one repository (集约化): the shared resource library (include:), cross-site
links (site:…) and building every site at once (issue #10)."""
from __future__ import annotations

import re

import pytest

from helpers import NOW, REPO, SITE_YAML, age, page, run

DEPT_YAML = (SITE_YAML.replace("测试区人民政府办公室", "测试区教育局").replace("测试区人民政府", "测试区教育局")
             .replace("www.ceshi.gov.cn", "jyj.ceshi.gov.cn").replace("3399020001", "bm33990201")) + "content: content/bm\n"


@pytest.fixture
def two(project):
    """The portal 't' and a department site 'bm' (测试区教育局) with news, a draft and a notice."""
    p = project
    p.write("sites/bm/site.yaml", DEPT_YAML)
    p.write("content/bm/zwdt/_column.yaml", "name: 工作动态\ntype: 政务动态\n")
    p.write("content/bm/zwdt/jydt/_column.yaml", "name: 教育动态\ntype: 政务动态\n")
    p.write("content/bm/zwdt/tzgg/_column.yaml", "name: 通知公告\ntype: 通知公告\n")
    p.write("content/bm/xxgk/_column.yaml", "name: 信息公开\ntype: 信息公开目录\n")
    p.write("content/bm/zwdt/jydt/kx.md", page("全区中小学秋季开学", date="2026-05-20 09:00", keywords="[开学, 教育]",
                                               body="见[招生通知](../tzgg/zs.md)。\n\n![校园一角](xy.png)"))
    p.write("content/bm/zwdt/jydt/xy.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    p.write("content/bm/zwdt/jydt/px.md", page("新教师岗前培训结业", date="2026-04-10 09:00", keywords="[教师]"))
    p.write("content/bm/zwdt/jydt/old.md", page("去年的教育动态", date="2025-03-01 09:00", keywords="[教育]"))
    p.write("content/bm/zwdt/jydt/draft.md", page("尚未发布的草稿", date="2026-05-25 09:00", draft="true"))
    p.write("content/bm/zwdt/tzgg/zs.md", page("义务教育招生通知", date="2026-05-10 09:00", type="notice",
                                               keywords="[招生, 教育]", source="测试区教育局",
                                               end="2026-07-01", start="2026-05-10", feedback="电话 0000-1234"))
    p.write("content/bm/xxgk/zn.md", page("教育局信息公开指南", date="2026-01-01 09:00"))
    return p


def build_all(p, *args):
    return run(["--project", str(p.root), "build", "--now", NOW, "--jobs", "1", *args])


def include(p, rules: str) -> None:
    """Add ``include:`` rules to the portal, and its 部门动态 column that they fill."""
    p.column("zwdt/bmdt", "部门动态", type="政务动态", order=3)
    p.configure("include:\n" + rules)


def canonical(html: str) -> str:
    found = re.search(r'<link rel="canonical" href="([^"]+)"', html)
    assert found, "no canonical link"
    return found.group(1)


def test_copy_renders_the_owners_page_in_the_portal_with_canonical_and_source(two):
    include(two, "  - {from: bm, columns: [zwdt/jydt], into: zwdt/bmdt, mode: copy}\n")
    result = build_all(two)
    assert result.exit_code == 0, result.output
    listing = two.html("zwdt/bmdt/index.html")
    assert "全区中小学秋季开学" in listing and "新教师岗前培训结业" in listing
    assert "尚未发布的草稿" not in listing          # the owner's draft is not the library's
    copy = two.html("zwdt/bmdt/bm-kx.html")
    assert canonical(copy) == "https://jyj.ceshi.gov.cn/zwdt/jydt/kx.html"
    assert canonical((two.root / "build/bm/zwdt/jydt/kx.html").read_text()) == "https://jyj.ceshi.gov.cn/zwdt/jydt/kx.html"
    assert 'class="library-source">本文由测试区教育局发布' in copy
    # the body's links mean what they mean on the owner's site
    assert 'href="https://jyj.ceshi.gov.cn/zwdt/tzgg/zs.html"' in copy
    assert 'src="https://jyj.ceshi.gov.cn/zwdt/jydt/xy.png"' in copy
    sitemap = two.html("sitemap.xml")
    assert "bmdt/bm-kx.html" not in sitemap and "jyj.ceshi.gov.cn" not in sitemap  # canonical elsewhere
    assert "zwdt/bmdt/index.html" in sitemap or "zwdt/bmdt/" in sitemap


def test_link_lists_the_owners_pages_and_leads_to_them(two):
    include(two, "  - {from: bm, into: zwdt/bmdt, mode: link, types: [notice]}\n")
    result = build_all(two)
    assert result.exit_code == 0, result.output
    listing = two.html("zwdt/bmdt/index.html")
    assert '<a href="https://jyj.ceshi.gov.cn/zwdt/tzgg/zs.html">' in listing
    assert 'class="item-site">测试区教育局' in listing
    assert "全区中小学秋季开学" not in listing   # types: [notice] only
    assert not (two.out("zwdt/bmdt") / "zs.html").exists()
    feed = two.html("zwdt/bmdt/rss.xml")
    assert "<link>https://jyj.ceshi.gov.cn/zwdt/tzgg/zs.html</link>" in feed


def test_rules_filter_by_column_tags_dates_and_limit(two):
    include(two, "  - {from: bm, tags: [教育], since: 2026-01-01, until: 2026-05-15, into: zwdt/bmdt, mode: link}\n"
                 "  - {from: bm, columns: [zwdt/jydt], limit: 1, into: zwdt/gzdt, mode: link}\n")
    result = build_all(two)
    assert result.exit_code == 0, result.output
    bmdt = two.html("zwdt/bmdt/index.html")
    assert "义务教育招生通知" in bmdt                      # 教育, 2026-05-10
    assert "全区中小学秋季开学" not in bmdt               # after until
    assert "去年的教育动态" not in bmdt                   # before since
    gzdt = two.html("zwdt/gzdt/index.html")
    assert "全区中小学秋季开学" in gzdt and "新教师岗前培训结业" not in gzdt  # newest 1


def test_bad_include_rules_name_site_yaml_and_line(two):
    include(two, "  - {from: nosuch, into: zwdt/bmdt}\n"
                 "  - {from: bm, into: zwdt/nosuch}\n"
                 "  - {from: bm, into: zwdt/bmdt, mode: mirror}\n"
                 "  - {from: bm, columns: [zwdt/nosuch], into: zwdt/bmdt}\n")
    result = two.build()
    assert result.exit_code == 1
    line = next(i for i, text in enumerate((two.root / "sites/t/site.yaml").read_text().split("\n"), 1)
                if text.startswith("include:"))
    for message in ("来源网站「nosuch」不存在", "into「zwdt/nosuch」不是本站栏目", "mode「mirror」无效",
                    "没有栏目「zwdt/nosuch」"):
        assert f"sites/t/site.yaml:{line}" in result.output and message in result.output, message
    assert not two.out().exists()


def test_site_links_resolve_to_the_owners_url_and_are_checked(two):
    two.page("zwdt/gzdt/c.md", "引用教育局通知", body="详见[招生通知](site:bm/zwdt/tzgg/zs.md#fj)和[教育动态](site:bm/zwdt/jydt/)。")
    result = two.build()
    assert result.exit_code == 0, result.output
    html = two.html("zwdt/gzdt/c.html")
    assert 'href="https://jyj.ceshi.gov.cn/zwdt/tzgg/zs.html#fj"' in html
    assert 'href="https://jyj.ceshi.gov.cn/zwdt/jydt/"' in html
    two.page("zwdt/gzdt/c.md", "引用教育局通知", body="第一行\n\n详见[通知](site:bm/zwdt/tzgg/gone.md)和[别站](site:nosuch/a.md)。")
    result = two.build()
    assert result.exit_code == 1
    assert "content/t/zwdt/gzdt/c.md:8" in result.output, result.output
    assert "[LK-1] 链接「site:bm/zwdt/tzgg/gone.md」指向的文件不存在" in result.output
    assert "网站「nosuch」不存在" in result.output


def test_build_without_names_builds_every_site_and_a_failure_spares_the_others(two):
    result = build_all(two)
    assert result.exit_code == 0, result.output
    assert "t: " in result.output and "bm: " in result.output
    assert (two.root / "build/t/index.html").is_file() and (two.root / "build/bm/index.html").is_file()
    two.write("content/bm/zwdt/jydt/bad.md", "---\ntitle: [unclosed\n---\n")
    result = run(["--project", str(two.root), "build", "--now", NOW, "--jobs", "2"])  # side by side
    assert result.exit_code == 1
    assert "bm: build failed" in result.output
    assert re.search(r"^t: \d+ pages in", result.output, re.M)  # the portal was built all the same


def test_cached_portal_follows_an_edit_on_the_owner_site(two):
    include(two, "  - {from: bm, columns: [zwdt/jydt], into: zwdt/bmdt, mode: copy}\n"
                 "  - {from: bm, columns: [zwdt/tzgg], into: zwdt/tzgg, mode: link}\n")
    age(two.root)  # old enough to be trusted unchanged: the whole-build shortcut is armed
    assert two.build().exit_code == 0
    two.write("content/bm/zwdt/jydt/kx.md", page("全区中小学秋季开学平稳有序", date="2026-05-20 09:00", keywords="[开学]"))
    two.write("content/bm/zwdt/tzgg/zs.md", page("义务教育招生入学通知（修订）", date="2026-05-10 09:00", source="测试区教育局"))
    age(two.root / "content/bm")
    assert two.build().exit_code == 0
    cached = {p.relative_to(two.out()): p.read_bytes() for p in two.out().rglob("*") if p.is_file()}
    assert "全区中小学秋季开学平稳有序" in two.html("zwdt/bmdt/bm-kx.html")
    assert "义务教育招生入学通知（修订）" in two.html("zwdt/tzgg/index.html")
    assert two.build("--no-cache").exit_code == 0
    clean = {p.relative_to(two.out()): p.read_bytes() for p in two.out().rglob("*") if p.is_file()}
    assert cached == clean


def test_demo_portal_aggregates_department_and_town_sites(demo):
    bmdt = (demo / "zwdt/bmdt/index.html").read_text()
    assert "全区中小学开展“书香校园”课外阅读月活动" in bmdt               # copied from jyj
    copy = (demo / "zwdt/bmdt/jyj-2026-11-12-kyhd.html").read_text()
    assert canonical(copy) == "https://jyj.jinglan.gov.cn/zwdt/gzdt/2026-11-12-kyhd.html"
    xzdt = (demo / "zwdt/xzdt/index.html").read_text()
    assert 'href="https://mhjd.jinglan.gov.cn/zwdt/jddt/2026-11-18-zzst.html"' in xzdt  # linked to mhjd


def test_demo_department_and_town_sites_build(tmp_path):
    result = run(["--project", str(REPO), "build", "jyj", "mhjd", "--out", str(tmp_path), "--now", "2026-11-24 10:00"])
    assert result.exit_code == 0, result.output
    notices = (tmp_path / "jyj/zwdt/qzxx/index.html").read_text()
    assert "关于做好2026年义务教育阶段学校招生入学工作的通知" in notices   # the portal's notice, re-published
    upper = (tmp_path / "mhjd/xxgk/sjwj/index.html").read_text()
    assert 'href="https://www.jinglan.gov.cn/zcwj/qzfwj/' in upper


def test_copies_from_two_sites_with_the_same_file_name_do_not_collide(two):
    two.write("sites/zj/site.yaml", DEPT_YAML.replace("jyj.ceshi.gov.cn", "zj.ceshi.gov.cn").replace("bm33990201", "bm33990202")
              .replace("测试区教育局", "测试区住建局").replace("content/bm", "content/zj"))
    two.write("content/zj/zwdt/_column.yaml", "name: 工作动态\ntype: 政务动态\n")
    two.write("content/zj/zwdt/kx.md", page("住建局同名文件", date="2026-05-21 09:00"))
    two.write("content/zj/xxgk/_column.yaml", "name: 信息公开\ntype: 信息公开目录\n")
    two.write("content/zj/xxgk/zn.md", page("住建局信息公开指南", date="2026-01-01 09:00"))
    include(two, "  - {from: bm, columns: [zwdt/jydt], into: zwdt/bmdt, mode: copy}\n"
                 "  - {from: zj, columns: [zwdt], into: zwdt/bmdt, mode: copy}\n"
                 "  - {from: bm, columns: [zwdt/jydt], tags: [教育], into: zwdt/bmdt, mode: copy}\n")  # overlaps the first
    result = two.build()
    assert result.exit_code == 0, result.output
    assert "全区中小学秋季开学" in two.html("zwdt/bmdt/bm-kx.html")
    assert "住建局同名文件" in two.html("zwdt/bmdt/zj-kx.html")
    assert two.html("zwdt/bmdt/index.html").count("全区中小学秋季开学") == 1


def test_two_files_of_one_site_with_the_same_name_in_one_column_are_an_error(two):
    two.write("content/bm/zwdt/tzgg/kx.md", page("同名的通知", date="2026-05-22 09:00"))
    include(two, "  - {from: bm, columns: [zwdt], into: zwdt/bmdt, mode: copy}\n")
    result = two.build()
    assert result.exit_code == 1
    assert "「bm」网站的 zwdt/jydt/kx.md 和 zwdt/tzgg/kx.md 复制到「zwdt/bmdt」，文件名相同" in result.output or \
           "「bm」网站的 zwdt/tzgg/kx.md 和 zwdt/jydt/kx.md 复制到「zwdt/bmdt」，文件名相同" in result.output


def test_annual_report_counts_copies_for_their_owner_only(two):
    include(two, "  - {from: bm, columns: [zwdt/jydt], into: zwdt/bmdt, mode: copy}\n")
    result = run(["--project", str(two.root), "report", "annual", "t", "--year", "2026", "--now", NOW])
    assert result.exit_code == 0, result.output
    data = next((two.root / "build").glob("t-report-2026/*.json")).read_text(encoding="utf-8")
    assert "全区中小学秋季开学" not in data
    assert '"total": 4' in data or '"total":4' in data
