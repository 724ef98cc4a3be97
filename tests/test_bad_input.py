"""Bad input never crashes and never half-writes (issue: core pipeline, item 8).

Every case: the message names file and line and says what to do, all errors of a run are
reported together, the exit code is 1, there is no traceback, and the previous good output
in build/<site>/ is left exactly as it was.
"""
from __future__ import annotations

import pytest

from helpers import fails_cleanly, page


@pytest.fixture
def built(project):
    result = project.build()
    assert result.exit_code == 0, result.output
    return project


def test_yaml_syntax_error_in_front_matter(built):
    built.write("content/t/zwdt/gzdt/bad.md", "---\ntitle: 标题\ndate: 2026-05-01 09:00\nkeywords: [a, b\n---\n正文\n")
    out = fails_cleanly(built, "bad.md:", "YAML 语法错误", "提示")
    assert "bad.md:5" in out or "bad.md:4" in out


def test_missing_title(built):
    built.write("content/t/zwdt/gzdt/notitle.md", "---\ndate: 2026-05-01 09:00\n---\n正文\n")
    fails_cleanly(built, "notitle.md:1", "缺少必填字段 title", "title: 文章标题")


def test_missing_date(built):
    built.write("content/t/zwdt/gzdt/nodate.md", "---\ntitle: 没有日期\n---\n正文\n")
    fails_cleanly(built, "nodate.md:1", "缺少必填字段 date")


def test_unparsable_date_names_its_line(built):
    built.write("content/t/zwdt/gzdt/baddate.md", "---\ntitle: 日期错误\nsource: 区政府\ndate: 2026年5月1日\n---\n正文\n")
    fails_cleanly(built, "baddate.md:4", "无法识别", "YYYY-MM-DD HH:MM")


def test_impossible_date(built):
    built.write("content/t/zwdt/gzdt/feb30.md", page("二月三十日", date="2026-02-30 09:00"))
    fails_cleanly(built, "feb30.md:3", "不存在")


def test_unknown_column_type(built):
    built.column("zwdt/bmdt", "部门动态", type="新闻中心")
    built.page("zwdt/bmdt/x.md", "部门动态一则")
    fails_cleanly(built, "bmdt/_column.yaml:2", "[CO-7]", "未知的栏目类别", "column_types")


def test_two_pages_on_one_url(built):
    built.page("zwdt/gzdt/c.md", "与 a 同一网址", slug="a")
    out = fails_cleanly(built, "多个文件生成同一网址", "zwdt/gzdt/a.html")
    assert "a.md" in out and "c.md" in out


def test_page_outside_any_column(built):
    built.write("content/t/stray.md", page("游离页面"))
    fails_cleanly(built, "stray.md:1", "页面不在任何栏目中")


def test_page_in_folder_without_column_file(built):
    built.write("content/t/zwdt/gzdt/sub/lost.md", page("没有栏目的目录"))
    fails_cleanly(built, "lost.md:1", "缺少 _column.yaml")


def test_non_utf8_file(built):
    text = page("编码错误", body="第一行\n第二行是GBK：" )
    built.write("content/t/zwdt/gzdt/gbk.md", text.encode("utf-8") + "国标码".encode("gbk") + b"\n")
    fails_cleanly(built, "gbk.md:8", "不是 UTF-8 编码", "UTF-8")


def test_broken_column_yaml(built):
    built.write("content/t/zwdt/tzgg/_column.yaml", "name: 通知公告\ntype: [通知公告\n")
    fails_cleanly(built, "tzgg/_column.yaml:", "YAML 语法错误")


def test_column_yaml_without_name(built):
    built.write("content/t/zwdt/tzgg/_column.yaml", "type: 通知公告\n")
    fails_cleanly(built, "tzgg/_column.yaml:1", "缺少必填字段 name")


@pytest.mark.parametrize("slug", ["../../../escape", "..", "a/b", "/etc/passwd"])
def test_slug_leaving_output_folder(built, slug):
    built.write("content/t/zwdt/gzdt/evil.md", page("越界", slug=f'"{slug}"'))
    fails_cleanly(built, "evil.md:4", "slug")
    assert not (built.root / "escape.html").exists()


def test_all_errors_reported_together(built):
    built.write("content/t/zwdt/gzdt/e1.md", "---\ndate: 2026-05-01 09:00\n---\n")
    built.write("content/t/zwdt/gzdt/e2.md", "---\ntitle: 无日期\n---\n")
    built.write("content/t/zwdt/tzgg/_column.yaml", "name: 通知公告\ntype: 新闻\n")
    out = fails_cleanly(built, "e1.md", "e2.md", "tzgg/_column.yaml")
    assert "3 error(s)" in out


def test_missing_front_matter(built):
    built.write("content/t/zwdt/gzdt/plain.md", "# 只有正文\n")
    fails_cleanly(built, "plain.md:1", "缺少 front matter")


def test_unclosed_front_matter(built):
    built.write("content/t/zwdt/gzdt/open.md", "---\ntitle: 没有结束\ndate: 2026-05-01 09:00\n正文\n")
    fails_cleanly(built, "open.md:1", "没有结束的 --- 行")


def test_broken_internal_link(built):
    built.page("zwdt/gzdt/link.md", "坏链接", body="第一段。\n\n详见[通知](../tzgg/missing.md)。")
    fails_cleanly(built, "link.md:8", "[LK-1]", "missing.md")


def test_empty_column(built):
    built.column("zwdt/kong", "建设中栏目", type="政务动态")
    fails_cleanly(built, "kong/_column.yaml:1", "[CO-3]", "空栏目")


def test_too_deep(built):
    built.column("zwdt/gzdt/l3", "三级", type="政务动态")
    built.column("zwdt/gzdt/l3/l4", "四级", type="政务动态")
    built.page("zwdt/gzdt/l3/l4/p.md", "第四层页面")
    fails_cleanly(built, "l4/_column.yaml:1", "[CO-1]")


def test_too_many_channels(built):
    names = [f"c{i}" for i in range(9)]
    for n in names:
        built.column(n, f"频道{n}", type="其他")
        built.page(f"{n}/p.md", f"{n} 的页面")
    built.configure(replace={"channels: [zwdt, xxgk]": "channels: [" + ", ".join(names) + "]"})
    fails_cleanly(built, "site.yaml:", "[CO-2]", "9 个")


def test_site_identity_missing_and_bad_code(built):
    built.configure(replace={'site_code: "3399020001"': 'site_code: "12345"', "sponsor: 测试区人民政府办公室\n": ""})
    fails_cleanly(built, "[ID-1]", "政府网站标识码「12345」", "sponsor")


def test_template_error_in_site_override(built):
    built.write("sites/t/templates/page.html", "{% extends 'base.html' %}{% block main %}{{ page.title \n{% endblock %}")
    fails_cleanly(built, "page.html", "模板错误")
