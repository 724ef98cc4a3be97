"""网页标签 (SPEC MT-1…MT-5): present on every page type, inherited, never empty."""
from __future__ import annotations

import re

from htmlcheck import parse

SITE = ["SiteName", "SiteDomain", "SiteIDCode"]
COLUMN = ["ColumnName", "ColumnDescription", "ColumnKeywords", "ColumnType"]
CONTENT = ["ColumnName", "ColumnType", "ArticleTitle", "PubDate", "ContentSource", "Keywords", "Author",
           "Description", "Image", "Url"]


def tags(project, rel):
    return parse(project.out(rel)).meta


def test_site_column_and_content_tags_present(project):
    assert project.build().exit_code == 0
    home = tags(project, "index.html")
    assert [home[n] for n in SITE] == ["测试区人民政府", "www.ceshi.gov.cn", "3399020001"]  # MT-1
    column = tags(project, "zwdt/gzdt/index.html")
    assert all(column[n] for n in SITE + COLUMN)  # MT-2
    assert column["ColumnName"] == "工作动态" and column["ColumnType"] == "政务动态"
    content = tags(project, "zwdt/gzdt/a.html")
    assert all(content[n] for n in SITE + CONTENT)  # MT-3
    assert "ColumnDescription" not in content


def test_no_meta_value_empty_anywhere(project):
    assert project.build().exit_code == 0
    for html in project.out().rglob("*.html"):
        for name, value in parse(html).meta_list:
            assert value.strip(), f"{html}: empty meta {name}"


def test_pubdate_format_and_absolute_url(project):
    assert project.build().exit_code == 0
    content = tags(project, "zwdt/tzgg/n1.html")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", content["PubDate"])  # MT-4
    assert content["PubDate"] == "2026-04-01 10:00"
    assert content["Url"] == "https://www.ceshi.gov.cn/zwdt/tzgg/n1.html"


def test_inheritance_chain(project):
    project.column("zwdt/bmdt", "部门动态", type="政务动态", source="区发展改革委")
    project.write("content/t/zwdt/bmdt/photo.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    project.page("zwdt/bmdt/p.md", "没有可选字段的文章", body="这是正文的第一句话，用作摘要。\n\n![照片](photo.svg)")
    project.page("zwdt/bmdt/q.md", "填写了全部字段", keywords="[自定义]", source="区财政局", author="张三",
                 description="自定义摘要", image="photo.svg")
    assert project.build().exit_code == 0
    p = tags(project, "zwdt/bmdt/p.html")
    assert p["Keywords"] == "政务动态"                     # column keywords (bmdt has none → parent's)
    assert p["ContentSource"] == "区发展改革委"             # column default source
    assert p["Author"] == "测试区人民政府办公室"            # → site sponsor
    assert p["Description"].startswith("这是正文的第一句话")  # summary of the body
    assert p["Image"] == "https://www.ceshi.gov.cn/zwdt/bmdt/photo.svg"  # first body image
    q = tags(project, "zwdt/bmdt/q.html")
    assert (q["Keywords"], q["ContentSource"], q["Author"], q["Description"]) == ("自定义", "区财政局", "张三", "自定义摘要")
    column = tags(project, "zwdt/bmdt/index.html")
    assert column["ColumnDescription"] == "部门动态" and column["ColumnKeywords"] == "政务动态"


def test_page_without_image_falls_back_to_logo(project):
    assert project.build().exit_code == 0
    assert tags(project, "zwdt/gzdt/a.html")["Image"] == "https://www.ceshi.gov.cn/static/img/logo.svg"


def test_standard_tags_alongside(project):
    assert project.build().exit_code == 0
    html = project.html("zwdt/gzdt/a.html")
    assert '<link rel="canonical" href="https://www.ceshi.gov.cn/zwdt/gzdt/a.html">' in html
    assert '<meta property="og:title" content="第一篇工作动态">' in html
    assert "<title>第一篇工作动态 - 测试区人民政府</title>" in html
    names = [n.lower() for n, _ in parse(project.out("zwdt/gzdt/a.html")).meta_list]
    assert names.count("keywords") == 1 and names.count("description") == 1  # MT-5: each name once
    column_names = [n.lower() for n, _ in parse(project.out("zwdt/index.html")).meta_list]
    assert "keywords" in column_names and "description" in column_names


def test_strict_meta_reports_inherited_values(project):
    project.configure("strict_meta: true\n")
    result = project.build()
    assert result.exit_code == 0
    assert "[MT-4]" in result.output and "Keywords" in result.output
