"""政府信息公开's statutory structure: scaffolds by kind of site, the 年报 in the uniform format with
its computed and checked figures, the 依申请公开 application form, 法定主动公开内容's areas."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from govsite.site.statutory import default_areas, own_areas

from helpers import NOW, SITE_YAML, Project, fails_cleanly, run

# -- govsite new site --kind ----------------------------------------------------------------------
FAMILIES = {"机构职能", "负责人信息", "政策文件", "政务动态", "信息公开指南", "信息公开目录", "信息公开年报",
            "信息公开制度", "法定主动公开内容", "依申请公开", "办事服务", "互动交流"}
BY_KIND = {"portal": {"概况信息", "国务院信息转载", "政策解读", "回应关切", "数据发布", "数据开放"},
           "department": {"政策解读", "回应关切"}, "town": set()}


def _columns(root: Path) -> dict[str, dict]:
    return {p.parent.relative_to(root).as_posix(): yaml.safe_load(p.read_text(encoding="utf-8"))
            for p in root.rglob("_column.yaml")}


@pytest.mark.parametrize("kind", ["portal", "department", "town"])
def test_new_site_of_each_kind_builds_with_its_standard_columns(tmp_path, kind):
    result = run(["--project", str(tmp_path), "new", "site", "s", "--kind", kind])
    assert result.exit_code == 0, result.output
    assert yaml.safe_load((tmp_path / "sites/s/site.yaml").read_text(encoding="utf-8"))["kind"] == kind
    columns = _columns(tmp_path / "content/s")
    types = {c["type"] for c in columns.values()}
    assert FAMILIES | BY_KIND[kind] <= types
    assert not ({"概况信息", "国务院信息转载", "数据开放"} - BY_KIND[kind]) & types   # only the portal has these
    # 法定主动公开内容 has the kind's areas (条例 第二十一条 differs for 乡镇/街道), within 3 levels (CO-1)
    areas = {c["name"] for path, c in columns.items() if path.startswith("xxgk/fdzdgk/")}
    assert areas == {a.name for a in own_areas(kind)}
    assert ("宅基地审核" in areas) == (kind == "town") and ("市政建设" in areas) == (kind != "town")
    assert max(path.count("/") for path in columns) == 2
    assert sum("/" not in path for path in columns) <= 8                                 # CO-2
    build = run(["--project", str(tmp_path), "build", "s", "--now", NOW, "--jobs", "1"])
    assert build.exit_code == 0, build.output
    assert "[CO-6]" not in build.output and "[CO-3]" not in build.output
    out = tmp_path / "build/s"
    assert (out / "xxgk/ysqgk/apply.html").is_file() and (out / "xxgk/fdzdgk/areas.html").is_file()
    report = (out / "xxgk/xxgknb/annual-report.html").read_text(encoding="utf-8")
    assert "三、收到和处理政府信息公开申请情况" in report


def test_new_site_placeholders_fail_check_and_a_bad_kind_is_refused(tmp_path):
    assert run(["--project", str(tmp_path), "new", "site", "s", "--kind", "town"]).exit_code == 0
    check = run(["--project", str(tmp_path), "check", "s", "--now", NOW])
    assert check.exit_code == 1 and "待填写" in check.output
    bad = run(["--project", str(tmp_path), "new", "site", "t", "--kind", "city"])
    assert bad.exit_code != 0 and "city" in bad.output and not (tmp_path / "sites/t").exists()


# -- 年报 (type: annual_report) -------------------------------------------------------------------
REPORT = """\
---
title: 测试区2025年政府信息公开工作年度报告
date: 2026-01-20 09:00
type: annual_report
year: 2025
active:
  licensing: 120
  penalty: 30
  enforcement: 2
  fees: 12.5
requests:
  received: [10, 2, 0, 0, 1, 0]
  carried_over: [1, 0, 0, 0, 0, 0]
  results:
    public: [5, 1, 0, 0, 1, 0]
    partial: [2, 0, 0, 0, 0, 0]
    unable:
      not_held: [3, 1, 0, 0, 0, 0]
    total: [10, 2, 0, 0, 1, 0]
  carried_forward: [1, 0, 0, 0, 0, 0]
appeals:
  review: [1, 0, 0, 0]
  direct_suit: [0, 1, 0, 0, 1]
problems: 政策解读形式较为单一。
---

全年主动公开政府信息120条。
"""


def _policy(p: Project, name: str, kind: str, signed: str, status: str = "有效", extra: str = "") -> None:
    p.write(f"content/t/zcwj/{name}.md",
            f"---\ntitle: 文件{name}\ndate: {signed} 10:00\ntype: policy\ndoc_kind: {kind}\nissuer: 测试区人民政府\n"
            f"doc_no: 测政规〔{signed[:4]}〕{name[1:]}号\nsigned: {signed}\nstatus: {status}\n"
            f"no_interpretation_reason: 内部管理事项\n{extra}---\n\n正文。\n")


@pytest.fixture
def annual(tmp_path) -> Project:
    """A site with policies of several years and statuses, and a 2025 年报."""
    p = Project(tmp_path)
    p.write("sites/t/site.yaml", SITE_YAML.replace("channels: [zwdt, xxgk]", "channels: [zwdt, xxgk, zcwj]"))
    p.column("zwdt", "政务动态", type="政务动态")
    p.page("zwdt/a.md", "工作动态")
    p.column("xxgk", "信息公开", type="信息公开目录")
    p.column("xxgk/xxgknb", "信息公开年报", type="信息公开年报")
    p.column("zcwj", "政策文件", type="政策文件")
    _policy(p, "p1", "行政规范性文件", "2024-03-01")                      # valid, earlier year
    _policy(p, "p2", "行政规范性文件", "2025-04-01")                      # issued in 2025
    _policy(p, "p3", "行政规范性文件", "2025-06-01")                      # issued in 2025
    _policy(p, "p4", "行政规范性文件", "2023-06-01", "已废止", "status_date: 2025-06-01\nstatus_basis: 被文件p3废止\n")
    _policy(p, "p5", "政府令", "2025-02-01")                              # a 规章, issued in 2025
    _policy(p, "p6", "行政规范性文件", "2022-06-01", "已废止", "status_date: 2026-03-01\nstatus_basis: 到期\n")
    _policy(p, "p7", "其他政策性文件", "2025-05-01")                      # not counted
    _policy(p, "p8", "行政规范性文件", "2026-02-01")                      # after the year
    p.write("content/t/xxgk/xxgknb/nb.md", REPORT)
    return p


def _cells(html: str, label: str) -> list[str]:
    row = re.search(r"<tr><th scope=\"row\">" + re.escape(label) + r"</th>(.*?)</tr>", html)
    assert row, label
    return re.findall(r"<td>([^<]*)</td>", row.group(1))


def test_annual_report_counts_rules_and_normative_documents_from_the_policies(annual):
    result = annual.build()
    assert result.exit_code == 0, result.output
    html = annual.html("xxgk/xxgknb/nb.html")
    # 本年制发 / 本年废止 / 现行有效 at the end of 2025: p4 repealed in 2025, p6 only in 2026
    assert _cells(html, "规章") == ["1", "0", "1"]
    assert _cells(html, "行政规范性文件") == ["2", "1", "4"]
    assert _cells(html, "行政许可") == ["120"] and _cells(html, "行政事业性收费") == ["12.5"]
    assert '<a href="../../zcwj/p2.html">文件p2</a>' in html and "文件p8" not in html
    # the six parts in the format's order, part 一 being the body
    article = html[html.index("<article"):]
    parts = [article.index(h) for h in ("一、总体情况", "全年主动公开政府信息120条", "二、主动公开政府信息情况",
                                     "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况",
                                     "五、存在的主要问题及改进情况", "六、其他需要报告的事项")]
    assert parts == sorted(parts)
    assert "<td>2025年</td>" in html and "测试区人民政府办公室" in html   # year, reporter (the sponsor)


def test_annual_report_tables_keep_the_uniform_structure_with_headers_for_every_figure(annual):
    assert annual.build().exit_code == 0
    html = annual.html("xxgk/xxgknb/nb.html")
    requests = html[html.index('class="view-table annual-table annual-requests"'):]
    requests = requests[:requests.index("</table>")]
    # two header rows under 申请人情况: 自然人 | 法人或其他组织 (5) | 总计
    assert 'id="ar3-legal"' in requests and 'colspan="5"' in requests
    heads = re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', requests)
    assert heads == ["自然人", "总计", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", requests[requests.index("<tbody>"):], re.S)
    assert len(rows) == 25                      # 一, 二, （一）（二）, 8 + 3 + 5 + 3 sub-rows, （七）, 四
    assert 'rowspan="22"' in requests and 'rowspan="8"' in requests
    # every figure names its row and column headers, and each id it names exists
    ids = set(re.findall(r'id="(ar3-[^"]+)"', requests))
    for headers in re.findall(r'<td headers="([^"]+)"', requests):
        assert set(headers.split()) <= ids and "ar3-applicants" in headers
    found = re.search(r'<tr class="annual-total">(.*?)</tr>', requests, re.S)
    assert found
    total = found.group(1)
    assert re.findall(r"<td[^>]*>(\d+)</td>", total) == ["10", "2", "0", "0", "1", "0", "13"]
    appeals = html[html.index("annual-appeals"):]
    appeals = appeals[:appeals.index("</table>")]
    assert re.findall(r"<td[^>]*>(\d+)</td>", appeals)[:10] == ["1", "0", "0", "0", "1", "0", "1", "0", "0", "1"]
    # on a phone the wide tables scroll inside their own box
    assert html.count('<div class="table-scroll" tabindex="0" role="region"') >= 6


@pytest.mark.parametrize(("old", "new", "line", "words"), [
    ("carried_forward: [1, 0, 0, 0, 0, 0]", "carried_forward: [2, 0, 0, 0, 0, 0]", 11, "不平衡：「自然人」一列"),
    ("    total: [10, 2, 0, 0, 1, 0]", "    total: [9, 2, 0, 0, 1, 0]", 19, "「（七）总计」「自然人」一列为 9"),
    ("  direct_suit: [0, 1, 0, 0, 1]", "  direct_suit: [0, 1, 0, 0, 2]", 23, "总计为 2，但四项之和为 1"),
    ("      not_held: [3, 1, 0, 0, 0, 0]", "      not_held: [3, 1, 0]", 18, "应写 6 个数"),
    ("  penalty: 30", "  penalty: 三十", 8, "应是不小于 0 的整数"),
    ("    partial: [2, 0, 0, 0, 0, 0]", "    partly: [2, 0, 0, 0, 0, 0]", 16, "未知的项「partly」"),
])
def test_annual_report_figures_that_do_not_add_up_stop_the_build(annual, old, new, line, words):
    assert annual.build().exit_code == 0
    path = annual.content / "xxgk/xxgknb/nb.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    output = fails_cleanly(annual, f"nb.md:{line}: ", "[GK-1.report]", words)
    assert "提示" in output


def test_annual_report_in_a_units_column_counts_only_that_units_documents(annual):
    annual.configure('units:\n  - {key: fgw, name: 测试区发展和改革委员会, code: "11339901401352285C", kind: department}\n')
    annual.column("xxgk/fgw", "区发展改革委信息公开专栏", type="信息公开目录", unit="fgw")
    annual.column("xxgk/fgw/zcwj", "政策文件", type="政策文件")
    annual.column("xxgk/fgw/xxgknb", "信息公开年报", type="信息公开年报")
    annual.write("content/t/xxgk/fgw/zcwj/f1.md",
                 "---\ntitle: 发改文件\ndate: 2025-05-01 10:00\ntype: policy\ndoc_kind: 行政规范性文件\n"
                 "issuer: 测试区发展和改革委员会\ndoc_no: 测发改规〔2025〕1号\nsigned: 2025-05-01\nstatus: 有效\n"
                 "no_interpretation_reason: 内部管理事项\n---\n\n正文。\n")
    annual.write("content/t/xxgk/fgw/xxgknb/nb.md", REPORT)
    result = annual.build()
    assert result.exit_code == 0, result.output
    unit = annual.html("xxgk/fgw/xxgknb/nb.html")
    assert _cells(unit, "行政规范性文件") == ["1", "0", "1"] and "测试区发展和改革委员会" in unit
    assert _cells(annual.html("xxgk/xxgknb/nb.html"), "行政规范性文件") == ["2", "1", "4"]   # the site's own


# -- 依申请公开: the application form ------------------------------------------------------------
def test_application_form_prints_without_script_and_ties_every_label_to_its_input(project):
    project.configure("interaction:\n  apply_url: https://ysqgk.ceshi.gov.cn/\n")
    project.column("xxgk/ysqgk", "依申请公开", type="依申请公开", views="[application_form]")
    project.page("xxgk/ysqgk/lc.md", "政府信息公开申请办理流程")
    result = project.build()
    assert result.exit_code == 0, result.output
    html = project.html("xxgk/ysqgk/apply.html")
    assert 'href="https://ysqgk.ceshi.gov.cn/"' in html                        # the online platform
    assert "20个工作日内答复" in html and "受理机关：测试区人民政府办公室" in html
    assert 'href="apply.html"' in project.html("xxgk/ysqgk/index.html")        # the column links it
    main = html[html.index("<main"):html.index("</main>")]
    assert "<script" not in main and "<form" not in main                       # nothing to submit, no script
    # the fields of 条例 第二十九条, each input with its label
    for label in ("姓名", "证件号码", "名称", "统一社会信用代码", "联系电话", "通信地址",
                  "所需政府信息的名称、文号或者便于行政机关查询的其他特征性描述", "申请人签名或者盖章"):
        assert f">{label}</label>" in main, label
    inputs = re.findall(r'<(?:input|textarea) id="([^"]+)"', main)
    labels = re.findall(r'<label for="([^"]+)"', main)
    assert inputs and sorted(inputs) == sorted(labels)
    assert main.count("<fieldset") == main.count("<legend>") + main.count("<legend ") and "<legend>联系方式" in main
    # printing: a print link that works without a script (CSS :target), chrome hidden on paper
    assert 'class="print-link" href="#print-view"' in main and 'id="print-view"' in main
    css = project.out("static/css/site.css").read_text(encoding="utf-8")
    assert "@page { size: A4" in css
    assert re.search(r"@media print \{[^}]*\.channel-nav[^}]*display: none", css)
    assert re.search(r"@media print \{[^}]*\.apply-notes, \.apply-help, \.page-application-form \.site-footer "
                     r"\{ display: none", css)


# -- 法定主动公开内容 ------------------------------------------------------------------------------
def test_statutory_areas_by_kind_follow_articles_20_and_21():
    portal, town = {a.name for a in default_areas("portal")}, {a.name for a in default_areas("town")}
    common = {"规章和规范性文件", "财政预决算", "政府采购", "重大建设项目", "社会救助", "土地征收"}
    assert common <= portal and common <= town
    assert {"市政建设", "治安管理"} <= portal - town and {"宅基地审核", "筹资筹劳"} <= town - portal
    assert all(a.basis.startswith("《条例》第二十") for a in default_areas("department"))


def test_statutory_areas_page_finds_areas_by_name_anywhere_and_names_the_missing(project):
    project.column("xxgk/fdzdgk", "法定主动公开内容", type="法定主动公开内容", views="[statutory_areas]")
    project.column("xxgk/fdzdgk/zfcg", "政府采购", type="法定主动公开内容")
    project.page("xxgk/fdzdgk/zfcg/a.md", "采购结果公告", date="2026-05-10 09:00")
    project.column("xxgk/czyj", "财政预决算", type="信息公开目录")         # an area outside 法定主动公开内容
    project.page("xxgk/czyj/b.md", "2026年预算", date="2026-02-10 09:00")
    result = project.build()
    assert result.exit_code == 0, result.output
    html = project.html("xxgk/fdzdgk/areas.html")
    found = re.search(r"<th scope=\"row\">财政预决算</th>(.*?)</tr>", html, re.S)
    assert found
    row = found.group(1)
    assert '<a href="../czyj/index.html">财政预决算</a>' in row and "2026-02-10" in row
    assert '<a href="zfcg/index.html">政府采购</a>' in html
    assert re.search(r"<th scope=\"row\">重大建设项目</th><td>《条例》第二十条第（十）项</td>\s*<td>暂未设立栏目", html)


def test_annual_report_follows_a_policy_changed_since_the_last_build(annual):
    """The counts come from other pages: a rebuild (with the build cache) after a document is
    repealed shows the new figures, not the cached page."""
    assert annual.build().exit_code == 0
    assert _cells(annual.html("xxgk/xxgknb/nb.html"), "行政规范性文件") == ["2", "1", "4"]
    path = annual.content / "zcwj/p1.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "status: 有效\n", "status: 已废止\nstatus_date: 2025-09-01\nstatus_basis: 清理\n"), encoding="utf-8")
    assert annual.build().exit_code == 0
    assert _cells(annual.html("xxgk/xxgknb/nb.html"), "行政规范性文件") == ["2", "2", "3"]
