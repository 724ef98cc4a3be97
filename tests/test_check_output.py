"""Output rules of ``govsite check`` on hand-written HTML: meta tags (MT-1…MT-4), links and anchors
(LK-1), hidden links (LK-2.hidden), images (AX-1) and advertising hosts (ID-4). Each rule has a
page that triggers it and one that passes."""
from __future__ import annotations

import dataclasses

import pytest

from govsite.config.rules import RULES
from govsite.pipeline.build import BuildOptions, load_and_check
from govsite.rules.html_scan import Raw, ScanContext, page_kind, scan_file
from govsite.rules.runner import OutputMapper, output_rules

from checkfix import check, clean
from helpers import NOW

ALL = output_rules(frozenset(RULES))
SITE = ('<meta name="SiteName" content="测试区人民政府">\n<meta name="SiteDomain" content="www.ceshi.gov.cn">\n'
        '<meta name="SiteIDCode" content="3399020001">\n')
COLUMN = ('<meta name="ColumnName" content="工作动态">\n<meta name="ColumnDescription" content="工作动态栏目">\n'
          '<meta name="ColumnKeywords" content="工作,动态">\n<meta name="ColumnType" content="政务动态">\n')
CONTENT = ('<meta name="ColumnName" content="工作动态">\n<meta name="ColumnType" content="政务动态">\n'
           '<meta name="ArticleTitle" content="标题">\n<meta name="PubDate" content="2026-05-01 09:00">\n'
           '<meta name="ContentSource" content="区政府办公室">\n<meta name="Keywords" content="工作">\n'
           '<meta name="Author" content="区政府办公室">\n<meta name="Description" content="摘要">\n'
           '<meta name="Image" content="https://www.ceshi.gov.cn/static/img/logo.svg">\n'
           '<meta name="Url" content="https://www.ceshi.gov.cn/zwdt/gzdt/a.html">\n')
FILES = frozenset({"index.html", "zwdt/gzdt/a.html", "zwdt/gzdt/b.html", "zwdt/gzdt/index.html", "zwdt/index.html",
                   "zwdt/gzdt/doc.pdf", "static/css/site.css"})


CONTEXT = ScanContext(root="/nonexistent", files=FILES, domain="www.ceshi.gov.cn", base_path="/",
                      column_types=("政务动态", "通知公告"), ad_hosts=("pos.baidu.com",), rules=ALL)


def ctx(**kw):
    return dataclasses.replace(CONTEXT, **kw)


def page(head=SITE + CONTENT, body="<p>正文</p>"):
    return (f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n{head}<title>t</title>\n</head>\n'
            f'<body>\n<a class="skip-link" href="#main">跳到主要内容</a>\n<main id="main">\n{body}\n</main>\n</body>\n</html>\n')


def scan(html, rel="zwdt/gzdt/a.html", **kw):
    return scan_file(ctx(**kw), rel, html)


def rules_of(result):
    return sorted({r.rule for r in result.raws})


def test_page_kinds_follow_the_url_scheme():
    assert page_kind("index.html") == "home"
    assert page_kind("sitemap.html") == "special"
    assert page_kind("zwdt/index.html") == page_kind("zwdt/gzdt/index_3.html") == "column"
    assert page_kind("zwdt/gzdt/a.html") == "content"


def test_complete_pages_pass():
    assert rules_of(scan(page())) == []
    assert rules_of(scan(page(SITE + COLUMN), rel="zwdt/gzdt/index.html")) == []
    assert rules_of(scan(page(SITE), rel="index.html")) == []


@pytest.mark.parametrize("rule_id,rel,head,expect", [
    ("MT-1", "index.html", SITE.replace('<meta name="SiteIDCode" content="3399020001">\n', ""), "SiteIDCode"),
    ("MT-1", "zwdt/gzdt/a.html", SITE.replace('content="测试区人民政府"', 'content=" "') + CONTENT, "SiteName"),
    ("MT-2", "zwdt/gzdt/index.html", SITE + COLUMN.replace("ColumnKeywords", "X"), "ColumnKeywords"),
    ("MT-2", "zwdt/gzdt/a.html", SITE + CONTENT.replace("ColumnType", "Y", 1), "ColumnType"),
    ("MT-3", "zwdt/gzdt/a.html", SITE + CONTENT.replace('name="Author" content="区政府办公室"', 'name="Author" content=""'), "Author"),
    ("MT-3", "zwdt/gzdt/a.html", SITE + CONTENT.replace("ArticleTitle", "Title"), "ArticleTitle"),
    ("MT-4", "zwdt/gzdt/a.html", SITE + CONTENT.replace("2026-05-01 09:00", "2026-05-01 09:00:00"), "PubDate"),
    ("MT-4", "zwdt/gzdt/a.html", SITE.replace("3399020001", "33990200") + CONTENT, "SiteIDCode"),
    ("MT-4", "zwdt/gzdt/a.html", SITE + CONTENT.replace("https://www.ceshi.gov.cn/zwdt/gzdt/a.html", "/zwdt/gzdt/a.html"), "Url"),
    ("MT-4", "zwdt/gzdt/index.html", SITE + COLUMN.replace('content="政务动态"', 'content="新闻"'), "ColumnType"),
])
def test_meta_rules(rule_id, rel, head, expect):
    raws = [r for r in scan(page(head), rel=rel).raws if r.rule == rule_id]
    assert raws and expect in raws[0].message, raws
    assert all(r.rule == rule_id for r in scan(page(head), rel=rel).raws)


def test_meta_rules_can_be_switched_off():
    head = SITE.replace('<meta name="SiteIDCode" content="3399020001">\n', "")
    assert rules_of(scan(page(head), rel="index.html", rules=ALL - {"MT-1"})) == []


@pytest.mark.parametrize("body,ok", [
    ('<a href="b.html">b</a> <a href="../index.html">栏目</a> <a href="doc.pdf">附件</a>', True),
    ('<a href="/zwdt/gzdt/b.html">根路径</a> <a href="https://www.ceshi.gov.cn/zwdt/index.html">本站绝对地址</a>', True),
    ('<a href="#main">锚点</a> <a href="#top">顶部</a> <a href="b.html?x=1">查询</a>', True),
    ('<a href="mailto:a@b.cn">信</a> <a href="tel:12345">电话</a> <a href="javascript:void(0)">js</a>', True),
    ('<a href="c.html">不存在</a>', False),
    ('<img src="pic.png" alt="图">', False),
    ('<a href="#nowhere">锚点</a>', False),
    ('<a href="../../../x.html">站外</a>', False),
    ('<a href="https://www.ceshi.gov.cn/zwdt/none.html">本站绝对地址</a>', False),
])
def test_links(body, ok):
    found = [r for r in scan(page(body=body)).raws if r.rule == "LK-1"]
    assert (not found) == ok, found


def test_anchor_in_another_page_is_returned_for_the_caller():
    html = page(body='<a href="b.html#sec-2">第二节</a>')
    line = next(i for i, text in enumerate(html.splitlines(), 1) if "sec-2" in text)
    assert scan(html).fragments == [("zwdt/gzdt/b.html", "sec-2", "b.html#sec-2", line)]


@pytest.mark.parametrize("body,reason", [
    ('<div style="display: none"><a href="https://spam.example.com/">x</a></div>', "所在的元素被隐藏"),
    ('<section hidden><p><a href="https://spam.example.com/">x</a></p></section>', "所在的元素被隐藏"),
    ('<a href="https://spam.example.com/" hidden>x</a>', "hidden 属性"),
    ('<a href="https://spam.example.com/" style="position:absolute;left:-9999px">x</a>', "样式"),
    ('<a href="https://spam.example.com/" style="font-size:0">x</a>', "样式"),
    ('<a href="https://spam.example.com/"> </a>', "没有可见文字"),
])
def test_hidden_links(body, reason):
    [raw] = [r for r in scan(page(body=body)).raws if r.rule == "LK-2.hidden"]
    assert reason in raw.message and "spam.example.com" in raw.message


@pytest.mark.parametrize("body", [
    '<p><a href="https://www.example.com/">示例网站</a></p>',
    '<a href="https://www.example.com/"><img src="../../static/css/site.css" alt="标识"></a>',
    '<div class="visually-hidden">说明</div><p style="font-size:14px"><a href="https://www.example.com/">x</a></p>',
    '<div hidden><button>只有按钮</button></div><a href="https://www.example.com/">可见</a>',
    '<div style="display:none"><a href="b.html">本站链接</a></div>',
])
def test_visible_links_pass(body):
    assert not [r for r in scan(page(body=body)).raws if r.rule == "LK-2.hidden"]


def test_images_without_alt_and_ad_hosts():
    result = scan(page(body='<img src="b.html"> <img src="b.html" alt="">'
                            '<script src="https://pos.baidu.com/s.js"></script>'))
    assert [r.rule for r in result.raws].count("AX-1") == 1  # alt="" is a decorative image
    assert [r.rule for r in result.raws].count("ID-4") == 1
    # links to an advertising host are reported from the page source, not again from the output
    assert not [r for r in scan(page(body='<a href="https://pos.baidu.com/x">x</a>')).raws if r.rule == "ID-4"]
    assert not scan(page(body='<img src="b.html" alt="图">')).raws


def test_empty_tag_value_points_at_the_source_field(project):
    site = load_and_check(project.root, "t", BuildOptions(now=NOW)).site
    assert site is not None
    mapper = OutputMapper(site, lambda rel: "out/" + rel)
    finding = mapper.map(Raw("MT-3", "zwdt/gzdt/a.html", 9, "网页标签 Keywords 的值为空", tag="Keywords", kind="empty"))
    assert finding is not None and finding.path.endswith("content/t/zwdt/gzdt/a.md") and finding.line == 4  # keywords: line
    finding = mapper.map(Raw("MT-1", "index.html", 3, "缺少网页标签 <meta name=\"SiteName\">", tag="SiteName"))
    assert finding is not None and finding.path == "out/index.html" and finding.line == 3 and finding.file == ""
    # a page of the theme's own (leaving notice) needs the site tags only
    assert mapper.map(Raw("MT-3", "leave/abc.html", 1, "缺少网页标签", tag="ArticleTitle")) is None


def test_built_site_passes_the_output_rules(project):
    clean(project)
    assert project.build().exit_code == 0
    result = check(project)
    assert result.output_mode == "scanned" and result.outputs > 5
    assert not [f for f in result.findings if f.rule in ALL], result.findings


def test_a_link_into_a_folder_still_being_written_is_decided_when_it_is_done(tmp_path):
    """In a build the output rules scan the pages while a child process still writes the search
    index (``search/``): a link into it is neither passed nor failed by that race, but kept
    (``FileScan.pending``) and judged on the finished folder."""
    body = '<a href="../../search/meta.js">索引</a><a href="../../search/gone.js">没有</a><a href="c.html">缺</a>'
    result = scan(page(body=body), pending=("search/",))
    assert [r.message for r in result.raws] == ["链接「c.html」指向的文件不存在（zwdt/gzdt/c.html）"]
    assert [target for target, _ in result.pending] == ["search/meta.js", "search/gone.js"]
    # the same page with the folder complete: only the missing file is a finding
    done = scan(page(body=body), files=FILES | {"search/meta.js"})
    assert sorted(r.message for r in done.raws) == ["链接「../../search/gone.js」指向的文件不存在（search/gone.js）",
                                                    "链接「c.html」指向的文件不存在（zwdt/gzdt/c.html）"]


@pytest.mark.slow
def test_the_build_judges_pending_links_on_the_finished_output(project):
    """A page that links a search file that exists, and one that does not: a build whose search
    index is written by a child beside the scan (200+ pages, two jobs) reports only the second,
    as a build without children does."""
    clean(project)
    for n in range(200):  # enough pages for the children (core.workers.PARALLEL_MIN_PAGES)
        project.page(f"zwdt/gzdt/p{n:03}.md", f"工作动态第{n}期", date="2026-05-20 09:00", source="区政府办公室")
    project.page("zwdt/gzdt/links.md", "检索文件链接", date="2026-05-20 09:00", source="区政府办公室",
                 body="[元数据](/search/meta.js) 与 [缺失](/search/nothing.js)")
    outputs = []
    for jobs in ("2", "1"):
        built = project.build("--jobs", jobs, "--no-cache")
        assert built.exit_code == 1
        found = [line for line in built.output.splitlines() if "[LK-1]" in line]
        assert len(found) == 1 and "search/nothing.js" in found[0], built.output
        outputs.append(found)
    assert outputs[0] == outputs[1]
