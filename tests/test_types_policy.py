"""Policy documents (S1), interpretations (S2), disclosure (GK), standard catalogues (S3), topics,
reposts: what editors write in front matter, what readers see, and the errors for bad metadata."""
from __future__ import annotations

import re

import pytest

POLICY = dict(type="policy", doc_kind="行政规范性文件", issuer="测试区人民政府", signed='"2026-03-01"',
              status="有效", category="综合政务／政务公开")


def policy(project, rel, title, date="2026-03-05 09:00", **fields):
    project.page(rel, title, date=date, **{**POLICY, "doc_no": f"测政发〔2026〕{len(rel)}号", **fields})


def interpretation(project, rel, title, interprets, date="2026-03-06 09:00", **fields):
    project.page(rel, title, date=date, type="interpretation", interprets=interprets,
                 interpreting_org="测试区人民政府办公室", form="文字", **fields)


@pytest.fixture
def policies(project):
    project.column("zcwj", "政策文件", type="政策文件", views="[policy_library]")
    project.column("zcjd", "政策解读", type="政策解读")
    policy(project, "zcwj/old.md", "关于旧办法的通知", date="2025-01-10 09:00", signed='"2025-01-05"')
    policy(project, "zcwj/new.md", "关于新办法的通知", repeals="[old.md]")
    policy(project, "zcwj/base.md", "关于基础办法的通知", date="2025-06-01 09:00", signed='"2025-05-20"')
    policy(project, "zcwj/fix.md", "关于修改基础办法的决定", date="2026-04-01 09:00", signed='"2026-03-28"',
           amends="[base.md]", effective='"2026-04-15"')
    policy(project, "zcwj/temp.md", "关于临时措施的通知", date="2025-02-01 09:00", signed='"2025-01-25"',
           expires='"2026-01-31"')
    interpretation(project, "zcjd/new-jd.md", "《新办法》解读", "[../zcwj/new.md]")
    return project


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_policy_page_shows_metadata_table_and_interpretation(policies):
    assert policies.build().exit_code == 0
    html = policies.html("xxgk/../zcwj/new.html")
    table = text(html[html.index('class="meta-table"'):html.index("</table>")])
    for label, value in [("发布单位", "测试区人民政府"), ("文件类别", "行政规范性文件"), ("成文日期", "2026-03-01"),
                         ("发布日期", "2026-03-05"), ("效力状态", "有效"), ("主题分类", "综合政务／政务公开")]:
        assert f"{label} {value}" in table, (label, table)
    assert re.search(r"索引号 402360017/2026-\d{5}", table)
    assert '<a href="../zcjd/new-jd.html">《新办法》解读</a>' in html
    jd = policies.html("zcjd/new-jd.html")
    assert "所解读文件" in jd and '<a href="../zcwj/new.html">关于新办法的通知</a>' in jd


def test_repealed_amended_and_expired_policies_are_marked_with_links(policies):
    assert policies.build().exit_code == 0
    old = policies.html("zcwj/old.html")
    banner = text(old[old.index('class="status-banner"'):old.index("<h1")])
    assert "本文件已废止" in banner and "关于新办法的通知" in banner and "2026-03-05" in banner
    base = policies.html("zcwj/base.html")
    assert "本文件已修改" in base and "2026-04-15" in text(base[base.index("status-banner"):base.index("<h1")])
    assert "本文件已失效" in policies.html("zcwj/temp.html")
    new = policies.html("zcwj/new.html")
    assert "status-banner" not in new and "本文件废止" in new  # the newer document names what it repeals
    # lists: a status badge on every policy, a 解读 link after the interpreted one
    listing = policies.html("zcwj/index.html")
    assert re.search(r'关于旧办法的通知</a>\s*<span class="tag status-repealed">已废止</span>', listing)
    assert re.search(r'关于新办法的通知</a>\s*<span class="tag status-valid">有效</span>\s*<a class="item-interpretation" href="../zcjd/new-jd.html"', listing)


def test_status_follows_the_build_time(policies):
    """Before the amending decision is published, the base document is still in force."""
    assert policies.build(now="2026-03-20 12:00").exit_code == 0
    assert "status-banner" not in policies.html("zcwj/base.html")
    assert "本文件已修改" not in policies.html("zcwj/base.html")


def test_policy_library_lists_every_policy_with_filter_facets(policies):
    assert policies.build().exit_code == 0
    html = policies.html("zcwj/library.html")
    rows = re.findall(r'<tr data-year="(\d+)" data-issuer="([^"]+)" data-unit="[^"]*" data-status="([^"]+)"', html)
    assert len(rows) == 5 and {r[2] for r in rows} == {"有效", "已废止", "已修改", "已失效"}
    assert '<option value="2025">2025</option>' in html and "facet-filter.js" in html
    assert '<a href="library.html">政策文件库</a>' in policies.html("zcwj/index.html")
    assert "zcwj/library.html" in (policies.out("sitemap.xml")).read_text(encoding="utf-8")


def test_attachments_are_listed_with_format_and_size(policies):
    policies.write("content/t/zcwj/fgb.csv", "序号,任务\n1,测试\n")
    policy(policies, "zcwj/att.md", "带附件的通知", attachments="[{title: 任务分工表, file: fgb.csv}]")
    assert policies.build().exit_code == 0
    html = policies.html("zcwj/att.html")
    assert '<a href="fgb.csv" download>任务分工表</a> <span class="file-info">（CSV，' in html
    assert policies.out("zcwj/fgb.csv").is_file()


@pytest.mark.parametrize("fields, line_key, message", [
    ({"status": "作废"}, "status", "效力状态）的值「作废」无效"),
    ({"issuer": ""}, "issuer", "缺少必填字段 issuer"),
    ({"doc_no": ""}, "doc_no", "缺少文号 doc_no"),
    ({"status": "已废止"}, "status", "没有写明依据"),
    ({"attachments": "[nope.pdf]"}, "attachments", "文件「nope.pdf」不存在"),
    ({"repeals": "[missing.md]"}, "repeals", "「missing.md」不是本站的页面"),
    ({"signed": '"2026-02-30"'}, "signed", "成文日期）无法识别"),
])
def test_bad_policy_metadata_is_reported_at_its_line(policies, fields, line_key, message):
    path = policies.write("content/t/zcwj/bad.md", "")
    policy(policies, "zcwj/bad.md", "有问题的文件", **fields)
    result = policies.build()
    assert result.exit_code == 1
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next((n for n, l in enumerate(lines, 1) if l.startswith(line_key + ":")), 1)
    if line_key == "title":
        line = next(n for n, l in enumerate(lines, 1) if l.startswith("type:"))
    assert re.search(rf"zcwj/bad.md:{line}: 错误: \[[A-Z]{{2}}-\d\] .*{re.escape(message)}", result.output), result.output


def test_interpretation_of_a_missing_policy_is_an_error(policies):
    interpretation(policies, "zcjd/lost.md", "找不到文件的解读", "[../zcwj/nope.md]")
    result = policies.build()
    assert result.exit_code == 1
    assert re.search(r"zcjd/lost.md:5: 错误: \[GK-4\] interprets（所解读的政策文件）中的「../zcwj/nope.md」不是本站的页面", result.output), result.output


def test_interpretation_must_name_a_policy_not_an_article(policies):
    interpretation(policies, "zcjd/wrong.md", "解读一篇新闻", "[../zwdt/gzdt/a.md]")
    result = policies.build()
    assert result.exit_code == 1 and "是 news 类型，不是政策文件" in result.output


def test_unknown_type_is_reported(project):
    project.page("zwdt/gzdt/x.md", "未知类型", type="polcy")
    result = project.build()
    assert result.exit_code == 1 and "x.md:4: 错误: [CP-1] 未知的内容类型 type「polcy」" in result.output


# -- disclosure: 公开属性 and 索引号 ---------------------------------------------------------------
def test_only_actively_disclosed_items_are_published(project):
    project.page("xxgk/req.md", "依申请公开的信息", disclosure="{attribute: 依申请公开, reason: 涉及第三方商业秘密}")
    project.page("xxgk/pub.md", "主动公开的信息", disclosure="{attribute: 主动公开}")
    assert project.build().exit_code == 0
    assert project.out("xxgk/pub.html").is_file() and not project.out("xxgk/req.html").exists()
    assert "依申请公开的信息" not in project.html("xxgk/index.html")


@pytest.mark.parametrize("value, message", [
    ("{attribute: 不予公开}", "公开属性为「不予公开」，但没有写明依据和理由"),
    ("{attribute: 内部}", "公开属性「内部」无效"),
])
def test_withheld_items_need_a_valid_attribute_and_reason(project, value, message):
    project.page("xxgk/x.md", "某信息", disclosure=value)
    result = project.build()
    assert result.exit_code == 1 and f"xxgk/x.md:4: 错误: [GK-2] {message}" in result.output, result.output


def test_site_can_require_the_attribute_on_every_item(project):
    project.configure("disclosure:\n  require_attribute: true\n")
    result = project.build()
    assert result.exit_code == 1 and "[GK-2] 缺少公开属性 disclosure.attribute" in result.output


def index_numbers(project) -> dict:
    html = project.html("xxgk/catalogue.html")
    return {href: number for number, href in re.findall(r'<td class="nowrap">([^<]+)</td>\s*<td><a href="([^"]+)"', html)}


def test_index_numbers_are_generated_stably_and_written_ones_kept(project):
    project.column("xxgk", "信息公开", type="信息公开目录", order=2, views="[disclosure_catalogue]")
    project.page("xxgk/a.md", "甲信息", date="2026-02-01 09:00")
    project.page("xxgk/b.md", "乙信息", date="2026-03-01 09:00", index_no="402360017/2026-00007")
    assert project.build().exit_code == 0
    first = index_numbers(project)
    assert first["b.html"] == "402360017/2026-00007"
    assert re.fullmatch(r"402360017/2026-\d{5}", first["a.html"]) and "guide.html" in first
    assert "../zwdt/tzgg/n1.html" in first  # 通知公告 is a disclosure column type …
    assert not any("gzdt" in href for href in first)  # … 政务动态 is not, by default
    for n in range(5):  # new items, also older ones, never renumber existing ones
        project.page(f"xxgk/n{n}.md", f"新信息{n}", date=f"2026-01-0{n + 1} 09:00")
    assert project.build().exit_code == 0
    second = index_numbers(project)
    assert all(second[k] == v for k, v in first.items()) and len(set(second.values())) == len(second)


def test_duplicate_written_index_numbers_are_an_error(project):
    project.page("xxgk/a.md", "甲信息", index_no="402360017/2026-00001")
    project.page("xxgk/b.md", "乙信息", index_no="402360017/2026-00001", date="2026-05-02 09:00")
    result = project.build()
    assert result.exit_code == 1 and "xxgk/b.md:4: 错误: [GK-5] 索引号「402360017/2026-00001」与 xxgk/a.md 重复" in result.output


def test_disclosure_catalogue_links_every_entry_with_its_classification(demo):
    html = (demo / "xxgk/xxgkml/catalogue.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr data-theme="([^"]*)" data-issuer="([^"]*)" data-unit="[^"]*" data-genre="([^"]*)" '
                      r'data-year="(\d{4})">\s*<td class="nowrap">([^<]+)</td>\s*<td><a href="([^"]+)"', html)
    assert len(rows) > 40
    for *_, _number, href in rows:
        assert (demo / "xxgk/xxgkml" / href).resolve().is_file(), href
    policy_row = next(r for r in rows if r[5].endswith("2025-11-14-xxgk-gd.html"))
    assert policy_row[:4] == ("综合政务", "景澜区人民政府", "行政规范性文件", "2025")
    assert policy_row[4] == "401352015/2025-00041"   # the district government's 组织机构代码 (site.yaml org_code)


# -- standard catalogue (S3) ------------------------------------------------------------------
CATALOGUE = """\
title: 测试区社会救助领域标准目录
date: 2026-02-16 09:00
catalogue: 社会救助领域基层政务公开标准目录
adjusted: 2026-02-10
items:
  - seq: 1
    level1: 最低生活保障
    level2: 低保标准
    content: [低保标准]
    basis: [{law: 《社会救助暂行办法》, article: 第十条}]
    time_limit: {text: 信息形成或变更之日起20个工作日内}
    subject: 区民政局
    channels: [政府网站, 公开栏]
    audience: 全社会
    mode: 主动公开
    level: 县级
    site_targets: [zwdt/tzgg]
"""


def test_standard_catalogue_renders_all_nine_elements_and_links_targets(project):
    project.write("content/t/xxgk/shjz.catalogue.yaml", CATALOGUE)
    assert project.build().exit_code == 0
    html = project.html("xxgk/shjz.html")
    for header in ("一级事项", "二级事项", "公开内容（要素）", "公开依据", "公开时限", "公开主体", "公开渠道和载体",
                   "公开对象", "公开方式", "公开层级"):
        assert f">{header}</th>" in html
    row = text(html[html.index("<tbody>"):html.index("</tbody>")])
    assert "最低生活保障 低保标准 低保标准 《社会救助暂行办法》第十条 信息形成或变更之日起20个工作日内 区民政局 政府网站、公开栏 全社会 主动公开 县级" in row
    assert '<a href="../zwdt/tzgg/index.html">通知公告</a>' in html


@pytest.mark.parametrize("change, message", [
    ("    time_limit: {text: 信息形成或变更之日起20个工作日内}\n", "缺少「公开时限」"),
    ("    site_targets: [zwdt/tzgg]\n", "通过政府网站公开，但没有写 site_targets"),
    ("    mode: 主动公开\n", "缺少「公开方式」"),
])
def test_catalogue_row_errors_name_the_row_line(project, change, message):
    project.write("content/t/xxgk/shjz.catalogue.yaml", CATALOGUE.replace(change, ""))
    result = project.build()
    assert result.exit_code == 1
    assert re.search(rf"xxgk/shjz.catalogue.yaml:6: 错误: \[GK-[12]\] 标准目录第 1 项.*{message}", result.output), result.output


def test_catalogue_target_column_missing_or_empty_is_an_error(project):
    project.column("zwdt/kong", "空栏目", type="政务动态")
    project.page("zwdt/kong/d.md", "草稿", draft="true")
    project.write("content/t/xxgk/shjz.catalogue.yaml", CATALOGUE.replace("[zwdt/tzgg]", "[zwdt/kong, zwdt/nope]"))
    result = project.build()
    assert result.exit_code == 1
    assert "shjz.catalogue.yaml:6: 错误: [GK-1] 标准目录第 1 项的 site_targets「zwdt/nope」不是本站的栏目或页面" in result.output
    assert "shjz.catalogue.yaml:6: 错误: [GK-1] 标准目录第 1 项指向的栏目「空栏目」没有已发布的内容" in result.output


# -- topics (专题), reposts ---------------------------------------------------------------------
@pytest.fixture
def topics(project):
    project.column("ztzl", "专题专栏", type="专题专栏", order=3)
    project.column("ztzl/done", "已结束的专题", type="专题专栏", end='"2026-05-01 00:00"')
    project.column("ztzl/live", "进行中的专题", type="专题专栏")
    project.configure("channels: [zwdt, xxgk, ztzl]\n", replace={"channels: [zwdt, xxgk]\n": ""})
    project.page("ztzl/done/d1.md", "专题工作总结", date="2026-04-20 09:00")
    project.page("ztzl/live/l1.md", "专题工作启动", date="2026-05-20 09:00")
    project.page("zwdt/gzdt/m.md", "加入专题的工作动态", date="2026-05-21 09:00", topics="[ztzl/live]")
    return project


def test_topic_past_its_end_archives_itself_and_leaves_the_home_page(topics):
    assert topics.build().exit_code == 0
    home = topics.html("index.html")
    assert "进行中的专题" in home and "已结束的专题" not in home
    assert "已归档" in topics.html("ztzl/done/index.html") and "已归档" in topics.html("ztzl/done/d1.html")
    area = topics.html("ztzl/index.html")
    assert re.search(r'已结束的专题</a> <span class="tag tag-archived">已归档</span>', area)
    assert topics.build(now="2026-04-25 12:00").exit_code == 0  # before the end: a current topic
    assert "已结束的专题" in topics.html("index.html")


def test_pages_join_a_topic_by_front_matter(topics):
    assert topics.build().exit_code == 0
    listing = topics.html("ztzl/live/index.html")
    assert '<a href="../../zwdt/gzdt/m.html">加入专题的工作动态</a>' in listing
    assert '所属专题：<a href="../../ztzl/live/index.html">进行中的专题</a>' in topics.html("zwdt/gzdt/m.html")


def test_joining_something_that_is_not_a_topic_is_an_error(topics):
    topics.page("zwdt/gzdt/w.md", "错误的专题", topics="[zwdt/tzgg]")
    result = topics.build()
    assert result.exit_code == 1 and "w.md:4: 错误: [CO-5] topics（所属专题）中的「zwdt/tzgg」不是专题栏目" in result.output


def test_repost_shows_its_source_and_original_time(project):
    project.page("zwdt/gzdt/r.md", "国务院常务会议部署有关工作", reprint=(
        "{original_site: 中国政府网, original_url: 'https://www.gov.cn/a.htm', original_published: 2026-05-01 08:00}"))
    assert project.build().exit_code == 0
    html = project.html("zwdt/gzdt/r.html")
    assert '转载自<a href="https://www.gov.cn/a.htm">中国政府网</a>，原文发布时间：<time datetime="2026-05-01T08:00">2026-05-01 08:00</time>' in html


def test_repost_without_its_source_address_is_an_error(project):
    project.page("zwdt/gzdt/r.md", "转载的文章", reprint="{original_site: 中国政府网, original_published: 2026-05-01}")
    result = project.build()
    assert result.exit_code == 1 and "r.md:4: 错误: [CP-4] 转载的文章缺少必填字段" not in result.output
    assert "[CP-4]" in result.output and "original_url" in result.output


def test_policy_library_filters_in_the_browser(browser, demo):
    page = browser.new_page()
    page.goto((demo / "zcwj/library.html").as_uri())
    form = page.locator("form.facet-filter")
    assert form.is_visible()
    total = page.locator("#library-years tbody tr").count()
    page.select_option("select[name=status]", "已废止")
    visible = page.locator("#library-years tbody tr:visible")
    assert 0 < visible.count() < total and all("已废止" in t for t in visible.all_inner_texts())
    assert f"共 {total} 条，显示 {visible.count()} 条" in page.inner_text(".facet-count")
    page.click("button[type=reset]")
    page.wait_for_function(f"document.querySelectorAll('#library-years tbody tr:not([hidden])').length === {total}")
    page.close()


def test_migration_notice_shows_on_the_home_page_within_its_dates(project):
    project.configure("migration:\n  notice: 原网站已迁移至本网站。\n  new_url: https://www.ceshi.gov.cn/\n"
                      "  start: 2026-05-01\n  end: 2026-06-30\n")
    assert project.build().exit_code == 0
    home = text(project.html("index.html"))
    assert "迁移公告 原网站已迁移至本网站。 公告时间： 2026-05-01 至 2026-06-30" in home
    assert project.build(now="2026-07-01 09:00").exit_code == 0
    assert "迁移公告" not in project.html("index.html")


def test_migration_notice_must_stay_thirty_days(project):
    project.configure("migration:\n  notice: 原网站已迁移。\n  start: 2026-05-01\n  end: 2026-05-20\n")
    result = project.build()
    assert result.exit_code == 1 and "[AR-3] 迁移公告至少保留30天" in result.output
