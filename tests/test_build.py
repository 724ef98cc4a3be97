"""The core pipeline as editors and admins rely on it: URLs, lists, scheduling, archive stamps,
Markdown for Chinese, and relative links that work from file://."""
from __future__ import annotations

import posixpath
import re

import pytest

from helpers import NOW, SITE_YAML, run
from htmlcheck import local_targets, parse


def test_build_writes_every_page_type(project):
    result = project.build()
    assert result.exit_code == 0, result.output
    for rel in ["index.html", "zwdt/index.html", "zwdt/gzdt/index.html", "zwdt/gzdt/a.html",
                "sitemap.html", "help.html", "search.html", "404.html", "static/css/site.css"]:
        assert project.out(rel).is_file(), rel


def test_all_links_relative_and_resolvable_from_file_url(project):
    project.write("content/t/zwdt/gzdt/pic.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    project.page("zwdt/gzdt/c.md", "带图片和链接", body="![示意图](pic.svg)\n\n见[通知](../tzgg/n1.md#top)和[栏目](../tzgg/)。")
    assert project.build().exit_code == 0
    out = project.out()
    for html in out.rglob("*.html"):
        if html.name == "404.html":
            continue
        for href, target in local_targets(html):
            assert not href.startswith("/"), f"{html}: root-relative link {href}"
            assert target.is_file(), f"{html.relative_to(out)} → {href}"
            assert href.endswith(".html") or "." in href.rsplit("/", 1)[-1], f"directory link without index.html: {href}"
    c = project.html("zwdt/gzdt/c.html")
    assert 'href="../tzgg/n1.html#top"' in c
    assert 'href="../tzgg/index.html"' in c
    assert 'src="pic.svg"' in c


def test_404_links_by_base_path(project):
    project.configure(replace={"base_url: https://www.ceshi.gov.cn/": "base_url: https://www.ceshi.gov.cn/sub"})
    assert project.build().exit_code == 0
    links = [v for _, v in parse(project.out("404.html")).links if not v.startswith(("http", "mailto", "#"))]
    assert links and all(v.startswith("/sub/") for v in links), links


def test_urls_stable_and_slug_rule(project):
    project.page("zwdt/gzdt/春季植树活动.md", "春季植树")
    project.page("zwdt/gzdt/x.md", "自定义网址", slug="my-page")
    assert project.build().exit_code == 0
    assert project.out("zwdt/gzdt/chun-ji-zhi-shu-huo-dong.html").is_file()
    assert project.out("zwdt/gzdt/my-page.html").is_file()
    project.page("zwdt/gzdt/春季植树活动.md", "春季植树活动（标题已修改）")
    assert project.build().exit_code == 0
    assert "标题已修改" in project.html("zwdt/gzdt/chun-ji-zhi-shu-huo-dong.html")


def test_list_order_pinned_then_newest_and_pagination(project):
    for i in range(45):
        project.page(f"zwdt/tzgg/p{i:02d}.md", f"通知第{i:02d}号", date=f"2026-03-{1 + i % 28:02d} {8 + i // 28:02d}:00")
    project.page("zwdt/tzgg/old-top.md", "置顶的旧通知", date="2020-01-01 09:00", top=1)
    assert project.build().exit_code == 0
    first = project.html("zwdt/tzgg/index.html")
    listing = first.split('class="item-list"')[1].split("</ul>")[0]
    titles = re.findall(r'<a href="[^"]+\.html">(?:<span class="tag tag-top">置顶</span>)?([^<]+)</a>', listing)
    assert titles[0] == "置顶的旧通知"
    assert titles[1] == "关于开展检查的通知" or titles[1].startswith("通知第")
    dates = re.findall(r'<time datetime="([^"]+)"', listing)[1:]
    assert dates == sorted(dates, reverse=True)
    assert len(titles) == 20
    assert project.out("zwdt/tzgg/index_2.html").is_file()
    assert project.out("zwdt/tzgg/index_3.html").is_file()
    assert not project.out("zwdt/tzgg/index_4.html").exists()
    assert "共 3 页，47 条" in first


def test_scheduled_expired_and_draft_pages(project):
    project.page("zwdt/gzdt/future.md", "定时发布", publish="2026-07-01 08:00")
    project.page("zwdt/gzdt/gone.md", "已到期", expire="2026-05-31 23:59")
    project.page("zwdt/gzdt/draft.md", "草稿", draft="true")
    assert project.build().exit_code == 0
    assert not project.out("zwdt/gzdt/future.html").exists()
    assert not project.out("zwdt/gzdt/gone.html").exists()
    assert not project.out("zwdt/gzdt/draft.html").exists()
    assert project.build(now="2026-07-01 08:00").exit_code == 0
    assert project.out("zwdt/gzdt/future.html").is_file()
    assert project.build("--drafts").exit_code == 0
    assert project.out("zwdt/gzdt/draft.html").is_file()


def test_source_date_epoch_pins_the_clock(project, monkeypatch):
    project.page("zwdt/gzdt/future.md", "定时发布", publish="2026-07-01 08:00")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1782864000")  # 2026-07-01 08:00 in Asia/Shanghai
    result = run(["--project", str(project.root), "build", "t", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert project.out("zwdt/gzdt/future.html").is_file()


def test_column_empty_only_by_schedule_is_a_warning(project):
    project.column("zwdt/jh", "计划栏目", type="政务动态")
    project.page("zwdt/jh/later.md", "以后发布", publish="2030-01-01 00:00")
    result = project.build()
    assert result.exit_code == 0, result.output
    assert "[CO-3]" in result.output and "警告" in result.output


def test_archive_stamp_on_page_and_column(project):
    project.page("zwdt/gzdt/old.md", "旧闻", archived="2025-01-10 12:00")
    project.column("xxgk/zt", "过去的专题", type="专题专栏", archived="2024-12-31 17:00")
    project.page("xxgk/zt/t1.md", "专题文章")
    assert project.build().exit_code == 0
    old = project.html("zwdt/gzdt/old.html")
    assert "已归档" in old and "2025-01-10 12:00" in old
    t1 = project.html("xxgk/zt/t1.html")
    assert "已归档" in t1 and "2024-12-31 17:00" in t1
    assert "已归档" in project.html("zwdt/gzdt/index.html")
    home = project.html("index.html")
    assert "旧闻" not in home
    assert "过去的专题" not in home


def test_current_topic_on_home_page(project):
    project.column("xxgk/yshj", "优化营商环境", type="专题专栏")
    project.page("xxgk/yshj/a.md", "营商环境专题文章")
    assert project.build().exit_code == 0
    home = project.html("index.html")
    assert "专题专栏" in home and 'href="xxgk/yshj/index.html"' in home


def test_column_with_only_subcolumns_shows_their_latest(project):
    assert project.build().exit_code == 0
    channel = project.html("zwdt/index.html")
    assert "工作动态" in channel and "通知公告" in channel
    assert 'href="gzdt/b.html"' in channel and 'href="tzgg/n1.html"' in channel


def test_chinese_markdown(project):
    body = "这是**重点。**然后继续。\n\n第一行中文\n接着第二行。\n\nEnglish words\nstay apart."
    project.page("zwdt/gzdt/md.md", "中文排版", body=body)
    assert project.build().exit_code == 0
    html = project.html("zwdt/gzdt/md.html")
    assert "这是<strong>重点。</strong>然后继续。" in html
    assert "第一行中文接着第二行。" in html
    assert "English words\nstay apart." in html


def test_prev_next_and_related(project):
    assert project.build().exit_code == 0
    b = project.html("zwdt/gzdt/b.html")
    a = project.html("zwdt/gzdt/a.html")
    assert 'href="a.html">第一篇工作动态' in b  # 下一篇 of the newer page
    assert 'href="b.html">第二篇工作动态' in a
    assert "相关文章" in a and "第二篇工作动态" in a.split("相关文章")[1]


def test_assets_copied_beside_page(project):
    project.write("content/t/zwdt/tzgg/附件1.txt", "附件内容")
    project.page("zwdt/tzgg/n2.md", "带附件的通知", body="[附件1](附件1.txt)")
    assert project.build().exit_code == 0
    assert project.out("zwdt/tzgg/附件1.txt").read_text(encoding="utf-8") == "附件内容"


def test_header_and_footer_identical_on_every_page_type(project):
    assert project.build().exit_code == 0

    def chrome(rel):
        html = project.html(rel)
        header = html[html.index("<header"):html.index("</header>")]
        footer = html[html.index("<footer"):html.index("</footer>")]

        def site_path(match):  # relative links differ by depth; compare what they point to
            value = match.group(2)
            if not value.startswith(("http", "mailto", "#")):
                value = posixpath.normpath(posixpath.join(posixpath.dirname(rel), value))
            return f'{match.group(1)}="{value}"'

        normal = re.sub(r'(href|src|action)="([^"]*)"', site_path, header + footer)
        return re.sub(r' aria-current="[a-z]+"', "", normal)

    pages = ["index.html", "zwdt/index.html", "zwdt/gzdt/index.html", "zwdt/gzdt/a.html", "sitemap.html", "help.html"]
    assert len({chrome(p) for p in pages}) == 1
    footer = project.html("zwdt/gzdt/a.html").split("<footer")[1]
    for needed in ["党政机关网站标识", "我为政府网站找错", "site_code=3399020001", "网站标识码：3399020001",
                   "测试区人民政府办公室", "0000-12345678", "https://beian.miit.gov.cn/", "津ICP备17005512号",
                   "recordcode=12019900000002", "版权所有", "站点地图", "使用帮助"]:
        assert needed in footer, needed


@pytest.mark.slow
def test_deterministic_output_across_runs_and_jobs(project, tmp_path):
    from govsite.pipeline.build import BuildOptions, build_site

    for i in range(250):  # enough pages for the parallel path
        project.page(f"zwdt/gzdt/g{i:03d}.md", f"工作动态{i}", date=f"2025-{1 + i % 12:02d}-{1 + i % 28:02d} 09:{i % 60:02d}",
                     keywords=f"[关键词{i % 7}]")
    build_site(project.root, "t", tmp_path / "one", BuildOptions(now=NOW, jobs=1))
    build_site(project.root, "t", tmp_path / "two", BuildOptions(now=NOW, jobs=2))

    def tree(root):
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}

    one, two = tree(tmp_path / "one" / "t"), tree(tmp_path / "two" / "t")
    assert len(one) > 250
    assert one == two


def test_progress_quiet_in_ci_and_summary_printed(project, monkeypatch):
    monkeypatch.setenv("CI", "true")
    result = project.build()
    assert result.exit_code == 0
    assert re.search(r"t: \d+ pages in [\d.]+ s", result.output)
    assert "rendering" not in result.output


def test_build_all_sites_by_default(project):
    result = run(["--project", str(project.root), "build", "--now", NOW, "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert project.out("index.html").is_file()


def test_out_option(project, tmp_path):
    target = tmp_path / "elsewhere"
    result = project.build("--out", str(target))
    assert result.exit_code == 0, result.output
    assert (target / "t" / "index.html").is_file()


def test_unknown_site_is_reported(project):
    result = run(["--project", str(project.root), "build", "nosuch", "--now", NOW])
    assert result.exit_code == 1
    assert "nosuch" in result.output and "Traceback" not in result.output


def test_optional_identity_fields_may_be_left_out(project):
    project.configure(replace={"  email: ceshi@ceshi.gov.cn\n": "", '  postcode: "339200"\n': "",
                               "keywords: [测试区, 政务]\n": "", "channels: [zwdt, xxgk]\n": ""})
    result = project.build()
    assert result.exit_code == 0, result.output
    footer = project.html("index.html").split("<footer")[1]
    assert "邮箱" not in footer and "邮编" not in footer
    assert "政务动态" in project.html("index.html")  # channels default to every top-level column


def test_body_headings_never_compete_with_the_title(project):
    project.page("zwdt/gzdt/h.md", "标题", body="# 一级\n\n正文\n\n## 二级\n\n正文")
    project.page("zwdt/gzdt/h2.md", "标题二", body="## 小节\n\n正文")
    assert project.build().exit_code == 0
    h = project.html("zwdt/gzdt/h.html")
    assert h.count("<h1") == 1 and '<h2 id="一级">一级</h2>' in h and '<h3 id="二级">二级</h3>' in h
    assert '<h2 id="小节">小节</h2>' in project.html("zwdt/gzdt/h2.html")


def test_site_colours_are_used_and_contrast_checked(project):
    project.configure('colors:\n  main: "#8a1c1c"\n  accent: "#1d5e2e"\n')
    assert project.build().exit_code == 0
    css = project.html("static/css/colors.css")
    assert "--main: #8a1c1c;" in css and "--accent: #1d5e2e;" in css and "--main-dark:" in css
    assert 'href="static/css/colors.css"' in project.html("index.html")


def test_low_contrast_colours_fail_the_build(project):
    assert project.build().exit_code == 0
    project.configure('colors:\n  main: "#7fb2ff"\n  soft: "#eef3fa"\n')
    result = project.build()
    assert result.exit_code == 1
    assert "[LY-5]" in result.output and "对比度不足" in result.output and "4.5:1" in result.output
    assert f"site.yaml:{SITE_YAML.count(chr(10)) + 2}" in result.output   # the line of colors.main


def test_colours_beyond_one_main_and_two_auxiliary_are_refused(project):
    project.configure('colors:\n  main: "#0b4ea2"\n  purple: "#7a1fa2"\n')
    result = project.build()
    assert result.exit_code == 1 and "purple" in result.output and "[LY-5]" in result.output


def test_image_without_alt_text_is_a_warning_or_error(project):
    project.write("content/t/zwdt/gzdt/p.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    project.page("zwdt/gzdt/img.md", "图片", body="第一段。\n\n![](p.svg)")
    result = project.build()
    assert result.exit_code == 0
    assert "img.md:8" in result.output and "[AX-1]" in result.output and "警告" in result.output
    project.configure("strict_alt: true\n")
    result = project.build()
    assert result.exit_code == 1 and "img.md:8" in result.output


def test_outbound_links_lead_through_a_leaving_notice(project):
    project.configure("outbound_allow: [partner.org.cn]\n")
    body = ("[商业网站](https://shop.example.com/a?b=1) [国务院](https://www.gov.cn/zhengce/) "
            "[伙伴](https://www.partner.org.cn/x) [本站](https://www.ceshi.gov.cn/zwdt/)")
    project.page("zwdt/gzdt/out.md", "外链", body=body)
    assert project.build().exit_code == 0
    html = project.html("zwdt/gzdt/out.html")
    leave = re.search(r'href="(\.\./\.\./leave/[0-9a-f]{12}\.html)">商业网站</a>', html)
    assert leave, html
    notice = (project.out("zwdt/gzdt") / leave.group(1)).resolve().read_text(encoding="utf-8")
    assert "您即将离开本网站" in notice and 'href="https://shop.example.com/a?b=1"' in notice
    assert 'href="https://www.gov.cn/zhengce/"' in html
    assert 'href="https://www.partner.org.cn/x"' in html
    assert 'href="https://www.ceshi.gov.cn/zwdt/"' in html


def test_tables_scroll_in_a_focusable_labelled_box(project):
    project.page("zwdt/gzdt/t.md", "表格", body="| 单位 | 时限 |\n|---|---|\n| 区财政局 | 5个工作日 |\n")
    assert project.build().exit_code == 0
    html = project.html("zwdt/gzdt/t.html")
    assert '<div class="table-scroll" tabindex="0" role="region" aria-label="表格（可左右滚动）"><table>' in html
    assert "<th>单位</th>" in html and "</table></div>" in html


@pytest.mark.slow
def test_build_leaves_the_garbage_collector_as_it_found_it(project, tmp_path):
    """Builds pause Python's cyclic collector and fork workers with the parent's objects frozen
    (govsite/workers.py); a long-lived process (govsite serve) must get both back, or each
    rebuild's old site would never be freed."""
    import gc

    from govsite.pipeline.build import BuildOptions, build_site

    for i in range(210):  # enough pages for the forked workers
        project.page(f"zwdt/gzdt/g{i:03d}.md", f"工作动态{i}", date=f"2025-{1 + i % 12:02d}-{1 + i % 28:02d} 09:00")
    assert gc.isenabled()
    build_site(project.root, "t", tmp_path / "out", BuildOptions(now=NOW, jobs=2))
    assert gc.isenabled() and gc.get_freeze_count() == 0
    gc.disable()
    try:
        build_site(project.root, "t", tmp_path / "out", BuildOptions(now=NOW, jobs=2, cache=False))
        assert not gc.isenabled(), "a caller that turned collection off keeps it off"
    finally:
        gc.enable()


def test_build_timings_name_every_stage_in_pipeline_order(project):
    """``govsite build --timings``: one line per stage, in the order the pipeline runs them."""
    result = project.build("--timings", "--no-cache")
    assert result.exit_code == 0, result.output
    lines = result.output.split("t: time per stage\n", 1)[1].splitlines()
    names = [line.rsplit(None, 3)[0].strip() for line in lines if line.startswith("  ")]
    order = ["config", "load", "resolve", "rules: site", "rules: source", "render: pages", "render: site pages",
             "redirects", "rules: output", "write"]
    assert [n for n in names if n in order] == order, names
    assert all(float(line.split()[-3]) >= 0 for line in lines if line.startswith("  "))
