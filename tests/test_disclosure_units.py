"""Units' 信息公开专栏, organisation codes, 索引号 and 主题分类 (issue #24 items 2 and 3).

What an editor relies on: a mistyped organisation code or unit key stops the build at its line
(previous output intact); everything below a unit's column is published by the unit (发布机构,
索引号 prefix, its own catalogue); one 索引号 format per site; themes come from the vocabulary,
never from the column; the catalogue and the policy library read by year without JavaScript and
filter by unit.
"""
from __future__ import annotations

import re

import pytest

from govsite.core import orgcode
from govsite.core.themes import THEMES, VOCABULARY

from helpers import SITE_YAML, fails_cleanly

SITE_CODE = "402360017"           # tests/helpers.py SITE_YAML org_code 11339902402360017X, characters 9-17
UNITS = """\
units:
  - {key: fgw, name: 测试区发展和改革委员会, code: "11339902402360025Q", kind: department}
  - {key: hgjd, name: 测试区湖港街道办事处, code: "40236003-3", kind: town}
"""
FGW, HGJD = "402360025", "402360033"


def rows(html: str) -> list[dict]:
    """The catalogue's rows: data attributes, 索引号 and link."""
    found = re.findall(r'<tr data-theme="([^"]*)" data-issuer="([^"]*)" data-unit="([^"]*)" data-genre="([^"]*)" '
                       r'data-year="(\d{4})">\s*<td class="nowrap">([^<]+)</td>\s*<td><a href="([^"]+)"', html)
    return [dict(zip(("theme", "issuer", "unit", "genre", "year", "index_no", "href"), r, strict=True)) for r in found]


@pytest.fixture
def units(project):
    """A site with two units: a department's 专栏 with a policy and a notice, a 街道's with a notice."""
    project.configure(UNITS)
    project.column("xxgk", "信息公开", type="信息公开目录", order=2, views="[disclosure_catalogue, policy_library]")
    project.column("xxgk/fgw", "区发展改革委信息公开专栏", type="信息公开目录", unit="fgw",
                   views="[disclosure_catalogue, policy_library]")
    project.column("xxgk/fgw/zcwj", "政策文件", type="政策文件")
    project.column("xxgk/hgjd", "湖港街道信息公开专栏", type="通知公告", unit="hgjd")
    project.page("xxgk/fgw/zcwj/jg.md", "关于做好收费公示工作的通知", date="2025-08-06 09:00", type="policy",
                 doc_kind="其他政策性文件", signed='"2025-08-04"', status="有效",
                 category="国民经济管理、国有资产监管／价格", no_interpretation_reason="重申已有要求")
    project.page("xxgk/fgw/tl.md", "关于召开价格听证会的公告", date="2026-05-20 09:00",
                 category="国民经济管理、国有资产监管／价格")
    project.page("xxgk/hgjd/db.md", "低保审批情况公示", date="2026-03-25 09:00", category="民政、扶贫、救灾／社会救助")
    return project


# -- organisation codes ---------------------------------------------------------------------
@pytest.mark.parametrize("code", [
    "000014349", "00001434-9",          # 国务院 (组织机构代码, plain and in its written form)
    "11100000000013127D",               # a 机关's 统一社会信用代码
    "91330100716105852F",               # an enterprise's
    "11339901401352285C",               # the demo's 区发展改革委
])
def test_valid_codes_pass_and_one_wrong_character_fails(code):
    assert orgcode.problem(code) == "" and orgcode.is_valid(code)
    plain = orgcode.normalise(code)
    for position in range(len(plain)):   # every single-character change is caught
        wrong = "0" if plain[position] != "0" else "1"
        assert orgcode.problem(plain[:position] + wrong + plain[position + 1:]), (code, position)


def test_check_characters_and_normal_forms():
    assert orgcode.org_check("00001434") == "9" and orgcode.org_check("40135316") == "5"
    assert orgcode.uscc_check("11339901401352285") == "C"
    assert orgcode.normalise(" 40135316-5 ") == "401353165"
    assert orgcode.organisation_code("11339901401352285C") == "401352285"   # the 主体标识码
    assert "校验码应为「C」，写的是「D」（GB 32100-2015）" in orgcode.problem("11339901401352285D")
    assert "长度为 10 位" in orgcode.problem("3399010001")                   # a 网站标识码 is no organisation code
    assert "不使用的字符「O」" in orgcode.problem("11339901401352285O")
    # the 18-character code's 主体标识码 carries its own GB 11714 check character
    body = "1133990140135228" + "6"
    assert "主体标识码" in orgcode.problem(body + orgcode.uscc_check(body))


# -- bad input in site.yaml and _column.yaml -------------------------------------------------
@pytest.fixture
def built(project):
    assert project.build().exit_code == 0
    return project


@pytest.mark.parametrize("units, fragments", [
    ('  - {key: fgw, name: 区发展改革委, code: "11339902402360025N", kind: department}\n',
     ["site.yaml:{first}: 错误: [GK-5] 单位「区发展改革委」的代码「11339902402360025N」不是有效的统一社会信用代码或组织机构代码：校验码应为「Q」",
      "提示：写该单位的统一社会信用代码（18位"]),
    ('  - {key: fgw, name: 区发展改革委, code: "4023600", kind: department}\n', ["site.yaml:{first}:", "长度为 7 位"]),
    ('  - {key: fgw, name: 区发展改革委, kind: department}\n', ["site.yaml:{first}: 错误: [GK-5] 缺少必填项 units[0].code（统一社会信用代码或组织机构代码）"]),
    ('  - {key: fgw, name: 区发展改革委, code: "402360025", kind: bureau}\n', ["site.yaml:{first}: 错误: [GK-5] units[0].kind 的值「bureau」无效", "可选：department、town"]),
    ('  - {key: fgw, name: 区发展改革委, code: "402360025", kind: department}\n'
     '  - {key: fgw, name: 湖港街道, code: "402360033", kind: town}\n',
     ["site.yaml:{second}: 错误: [GK-5] 单位标识 key「fgw」重复"]),
    ('  - {key: fgw, name: 区发展改革委, code: "11339902402360025Q", kind: department}\n'
     '  - {key: hgjd, name: 湖港街道, code: "40236002-5", kind: town}\n',
     ["site.yaml:{second}: 错误: [GK-5] 单位「湖港街道」与「区发展改革委」的代码相同（402360025）"]),
])
def test_bad_units_stop_the_build_at_their_line(built, units, fragments):
    built.configure("units:\n" + units)
    first = len(SITE_YAML.splitlines()) + 2         # the line of the first unit
    fails_cleanly(built, *(f.format(first=first, second=first + 1) for f in fragments))


def test_bad_site_org_code_is_an_error(built):
    built.configure(replace={'org_code: "11339902402360017X"': 'org_code: "3399020001"'})
    fails_cleanly(built, "site.yaml:6: 错误: [GK-5] 本站机关的代码「3399020001」不是有效的统一社会信用代码或组织机构代码")


def test_unknown_unit_key_is_an_error_at_the_column_line(built):
    built.configure(UNITS)
    built.column("xxgk/sw", "商务局专栏", type="通知公告", unit="swj")
    built.page("xxgk/sw/a.md", "某公告")
    fails_cleanly(built, "xxgk/sw/_column.yaml:3: 错误: [GK-5] 所属单位 unit「swj」不在 site.yaml 的 units 中",
                  "可选：fgw、hgjd")


def test_without_org_code_the_site_code_stands_in_with_a_warning(project):
    project.configure(replace={'org_code: "11339902402360017X"\n': ""})
    result = project.build()
    assert result.exit_code == 0
    assert "site.yaml:1: 警告: [GK-5] site.yaml 缺少 org_code" in result.output


# -- a unit's 专栏 ------------------------------------------------------------------------------
def test_everything_below_a_unit_column_is_published_by_the_unit(units):
    result = units.build()
    assert result.exit_code == 0, result.output
    policy = units.html("xxgk/fgw/zcwj/jg.html")
    table = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", policy[policy.index('class="meta-table"'):]))
    assert "发布单位 测试区发展和改革委员会" in table     # issuer left out: the unit's name
    assert re.search(rf"索引号 {FGW}/2025-\d{{5}}", table)
    notice = units.html("xxgk/fgw/tl.html")
    assert "测试区发展和改革委员会" in notice          # 信息来源 of the unit's pages
    by_href = {r["href"]: r for r in rows(units.html("xxgk/catalogue.html"))}
    assert by_href["fgw/zcwj/jg.html"]["issuer"] == "测试区发展和改革委员会"
    assert by_href["fgw/tl.html"]["index_no"].startswith(f"{FGW}/2026-")
    assert by_href["hgjd/db.html"]["index_no"].startswith(f"{HGJD}/2026-")   # 40236003-3: written with a hyphen
    assert by_href["guide.html"]["index_no"].startswith(f"{SITE_CODE}/2026-")  # the site's own pages
    assert by_href["hgjd/db.html"]["unit"] == "测试区湖港街道办事处" and by_href["guide.html"]["unit"] == "测试区人民政府"


def test_a_policy_outside_any_unit_still_needs_its_issuer(project):
    project.column("zcwj", "政策文件", type="政策文件")
    project.page("zcwj/a.md", "某文件", type="policy", doc_kind="其他政策性文件", signed='"2026-04-01"', status="有效",
                 category="综合政务")
    result = project.build()
    assert result.exit_code == 1 and "zcwj/a.md:4: 错误: [GK-5] 政策文件缺少必填字段 issuer（发布单位）" in result.output


def test_a_units_catalogue_and_library_list_its_documents_only(units):
    assert units.build().exit_code == 0
    own = rows(units.html("xxgk/fgw/catalogue.html"))
    assert sorted(r["href"] for r in own) == ["tl.html", "zcwj/jg.html"]
    assert {r["index_no"].split("/")[0] for r in own} == {FGW}
    library = units.html("xxgk/fgw/library.html")
    assert "关于做好收费公示工作的通知" in library and '<select name="unit">' not in library   # one unit: no unit filter
    everything = rows(units.html("xxgk/catalogue.html"))
    assert {"fgw/tl.html", "hgjd/db.html", "guide.html"} <= {r["href"] for r in everything}


# -- 索引号 ------------------------------------------------------------------------------------
def test_a_written_index_number_must_follow_the_sites_format(built):
    built.configure(UNITS)
    built.column("xxgk/fgw", "区发展改革委信息公开专栏", type="通知公告", unit="fgw")
    built.page("xxgk/fgw/a.md", "某公告", date="2026-05-02 09:00", index_no=f"{SITE_CODE}/2026-00001")
    built.page("xxgk/b.md", "某信息", date="2026-05-02 09:00", index_no="33990200-0001/2026-00012")
    fails_cleanly(built, f"xxgk/fgw/a.md:4: 错误: [GK-5] 索引号「{SITE_CODE}/2026-00001」不符合本站格式「{FGW}/年份-5位序号」",
                  f"xxgk/b.md:4: 错误: [GK-5] 索引号「33990200-0001/2026-00012」不符合本站格式「{SITE_CODE}/年份-5位序号」",
                  f"写成 {FGW}/2026-00001 的形式")


def test_the_demo_catalogue_has_one_index_format_and_its_units(demo):
    entries = rows((demo / "xxgk/xxgkml/catalogue.html").read_text(encoding="utf-8"))
    assert len(entries) > 50
    assert all(re.fullmatch(r"[0-9A-Z]{9}/\d{4}-\d{5}", r["index_no"]) for r in entries), entries
    by_unit = {r["unit"]: r["index_no"].split("/")[0] for r in entries if r["href"].startswith(("../fgw/", "../lgjd/"))}
    assert by_unit == {"景澜区发展和改革委员会": "401352285", "景澜区澜港街道办事处": "401353165"}
    assert {r["index_no"].split("/")[0] for r in entries} == {"401352015", "401352285", "401353165"}
    assert {r["issuer"] for r in entries if r["href"].startswith("../fgw/")} == {"景澜区发展和改革委员会"}


# -- 主题分类 ---------------------------------------------------------------------------------
def test_the_vocabulary_has_the_22_themes_and_sub_themes():
    assert len(THEMES) == 22 and list(THEMES)[:2] == ["国务院组织机构", "综合政务"] and list(THEMES)[-1] == "其他"
    assert VOCABULARY.problem("综合政务／政务公开") == "" and VOCABULARY.problem("城乡建设、环境保护") == ""
    assert VOCABULARY.problem("综合政务／其他") == ""
    assert "不属于「工业、交通」" in VOCABULARY.problem("工业、交通／市场监管")
    assert "半角斜杠" in VOCABULARY.problem("综合政务/政务公开")
    extended = VOCABULARY.extended(["综合政务／营商环境", "党建工作"])
    assert extended.problem("综合政务／营商环境") == "" and extended.problem("党建工作") == ""


@pytest.mark.parametrize("where, fields, fragment", [
    ("zwdt/tzgg/x.md", dict(category="通知公告"), "主题分类「通知公告」的主题「通知公告」不在主题分类表中"),
    ("zwdt/tzgg/x.md", dict(category="安全生产监管／安全生产"), "主题分类「安全生产监管／安全生产」的主题「安全生产监管」不在主题分类表中"),
    ("xxgk/x.md", dict(type="policy", doc_kind="其他政策性文件", issuer="测试区人民政府", signed='"2026-04-01"',
                       status="有效", category="综合政务／经济管理"), "主题分类「综合政务／经济管理」的子主题「经济管理」不属于「综合政务」"),
])
def test_an_unknown_theme_is_an_error_at_its_line(built, where, fields, fragment):
    built.page(where, "某信息", **fields)
    line = 4 + list(fields).index("category")       # ---, title, date, then the fields
    fails_cleanly(built, f"{where}:{line}: 错误: [GK-5] {fragment}", "完整列表见 docs/units.md")


def test_a_site_can_extend_the_vocabulary(project):
    project.configure("categories: [综合政务／营商环境]\n")
    project.page("zwdt/tzgg/x.md", "某信息", category="综合政务／营商环境")
    assert project.build().exit_code == 0


def test_the_theme_is_never_the_column_type(project):
    project.column("xxgk", "信息公开", type="信息公开目录", order=2, views="[disclosure_catalogue]")
    project.page("zwdt/tzgg/y.md", "有主题的通知", category="城乡建设、环境保护／住房保障")
    assert project.build().exit_code == 0
    by_href = {r["href"]: r for r in rows(project.html("xxgk/catalogue.html"))}
    assert by_href["../zwdt/tzgg/n1.html"]["theme"] == "未分类"      # not 「通知公告」, the column's type
    assert by_href["../zwdt/tzgg/y.html"]["theme"] == "城乡建设、环境保护"
    html = project.html("xxgk/catalogue.html")
    assert "<td>城乡建设、环境保护／住房保障</td>" in html and '<option value="未分类">未分类</option>' in html
    assert '<option value="通知公告">' not in html.split('name="theme"')[1].split("</select>")[0]


def test_a_policy_without_a_theme_is_a_warning(project):
    project.column("zcwj", "政策文件", type="政策文件")
    project.page("zcwj/a.md", "某文件", type="policy", doc_kind="其他政策性文件", issuer="测试区人民政府",
                 signed='"2026-04-01"', status="有效")
    result = project.build()
    assert result.exit_code == 0 and "zcwj/a.md:2: 警告: [GK-5] 政策文件没有主题分类 category" in result.output


# -- by year, readable without JavaScript, filter by unit ---------------------------------------
@pytest.mark.parametrize("path", ["xxgk/catalogue.html", "xxgk/library.html"])
def test_catalogue_and_library_read_by_year_without_javascript(units, path):
    units.page("xxgk/old.md", "旧信息", date="2024-03-01 09:00", index_no=f"{SITE_CODE}/2024-00001")
    units.page("xxgk/fgw/zcwj/old.md", "旧文件", date="2024-06-01 09:00", type="policy", doc_kind="其他政策性文件",
               signed='"2024-05-30"', status="有效", category="综合政务", no_interpretation_reason="内部部署")
    assert units.build().exit_code == 0
    html = units.html(path)
    found = re.search(r'<nav class="year-index"[^>]*>(.*?)</nav>', html, re.S)
    assert found
    index = found.group(1)
    years = re.findall(r'<a href="#y(\d{4})">', index)
    assert years == sorted(set(years), reverse=True) and {"2026", "2025", "2024"} >= set(years) and "2024" in years
    sections = re.findall(r'<section class="year-group" id="y(\d{4})".*?</section>', html, re.S)
    assert sections == years                                    # every index link has its section
    for year, body in re.findall(r'<section class="year-group" id="y(\d{4})"(.*?)</section>', html, re.S):
        assert set(re.findall(r'data-year="(\d{4})"', body)) == {year}   # a year's table holds that year only
    assert "<script>" not in html and 'class="facet-filter js-only"' in html   # the form needs the script; the tables do not


def test_the_site_wide_views_filter_by_unit(units):
    assert units.build().exit_code == 0
    for path in ("xxgk/catalogue.html", "xxgk/library.html"):
        html = units.html(path)
        select = html.split('<select name="unit">')[1].split("</select>")[0]
        assert '<option value="测试区发展和改革委员会">' in select, path
    catalogue = rows(units.html("xxgk/catalogue.html"))
    assert {r["unit"] for r in catalogue} == {"测试区人民政府", "测试区发展和改革委员会", "测试区湖港街道办事处"}
    library = units.html("xxgk/library.html")
    assert 'data-unit="测试区发展和改革委员会"' in library


def test_the_filter_hides_other_units_and_emptied_years_in_the_browser(browser, demo):
    page = browser.new_page()
    page.goto((demo / "xxgk/xxgkml/catalogue.html").as_uri())
    total = page.locator("#catalogue-years tbody tr").count()
    page.select_option("select[name=unit]", "景澜区澜港街道办事处")
    visible = page.locator("#catalogue-years tbody tr:visible")
    assert 0 < visible.count() < total
    assert all(t == "景澜区澜港街道办事处" for t in visible.evaluate_all("rows => rows.map(r => r.dataset.unit)"))
    assert not page.locator("#y2023").is_visible() and page.locator("#y2026").is_visible()
    assert not page.locator('.year-index li[data-group-link="y2023"]').is_visible()
    page.click("button[type=reset]")
    page.wait_for_function(f"document.querySelectorAll('#catalogue-years tbody tr:not([hidden])').length === {total}")
    assert page.locator("#y2023").is_visible()
    page.close()


def test_disclosure_index_prefix_is_read_as_org_code_and_checked(project):
    project.column("xxgk", "信息公开", type="信息公开目录", order=2, views="[disclosure_catalogue]")
    project.configure("disclosure:\n  index_prefix: 40236001-7\n", replace={'org_code: "11339902402360017X"\n': ""})
    result = project.build()
    assert result.exit_code == 0 and "缺少 org_code" not in result.output
    assert {r["index_no"].split("/")[0] for r in rows(project.html("xxgk/catalogue.html"))} == {SITE_CODE}
    project.configure(replace={"index_prefix: 40236001-7": "index_prefix: 33990100-0000"})
    fails_cleanly(project, "[GK-5] disclosure.index_prefix（索引号前缀，即本站机关）的代码「33990100-0000」不是有效的")


def test_other_sites_pages_keep_their_numbers_out_of_this_catalogue(project):
    dept = (SITE_YAML.replace("测试区人民政府办公室", "测试区教育局").replace("测试区人民政府", "测试区教育局")
            .replace("www.ceshi.gov.cn", "jyj.ceshi.gov.cn").replace("3399020001", "3399020002")
            .replace("11339902402360017X", "402360041").replace("channels: [zwdt, xxgk]", "channels: [tzgg]")
            ) + "content: content/bm\n"
    project.write("sites/bm/site.yaml", dept)
    project.write("content/bm/tzgg/_column.yaml", "name: 通知公告\ntype: 通知公告\n")
    project.write("content/bm/tzgg/zs.md", "---\ntitle: 义务教育招生通知\ndate: 2026-05-10 09:00\n---\n\n正文。\n")
    project.column("xxgk", "信息公开", type="信息公开目录", order=2, views="[disclosure_catalogue]")
    project.column("zwdt/bmtz", "部门通知", type="通知公告", order=3)
    project.configure("include:\n  - {from: bm, columns: [tzgg], into: zwdt/bmtz, mode: copy}\n")
    result = project.build()
    assert result.exit_code == 0, result.output
    assert "义务教育招生通知" in project.html("zwdt/bmtz/index.html")       # the copy is listed in the portal …
    catalogue = rows(project.html("xxgk/catalogue.html"))
    assert "义务教育招生通知" not in project.html("xxgk/catalogue.html")    # … but it is the 教育局's document
    assert {r["index_no"].split("/")[0] for r in catalogue} == {SITE_CODE} and len(catalogue) >= 2
