"""Presence and validity checks (issue #24 items 6 and 7): CO-6, GK-1, CK-6, LK-3, ID-1.valid,
CK-1.map; the 栏目责任人 printed with findings; the sub-column-as-topic and interpreter bugs.

A missing part of the site's structure never stops publishing: each rule is an error in
``govsite check`` and a warning in ``govsite build`` (which exits 0).
"""
from __future__ import annotations

import json

import pytest

from govsite.commands.check import check_site
from govsite.rules.presence import PLACEHOLDER_RE

from checkfix import clean, found, rules
from helpers import NOW, REPO, run


def _check(project, now=NOW):
    return check_site(project.root, "t", now, jobs=1, output="none")


def _cli_check(project, *args, now=NOW):
    return run(["--project", str(project.root), "check", "t", "--now", now, "--jobs", "1", "--source-only", *args])


def _full(project):
    """The fixture with the presence rules on (``clean`` switches the structure ones off)."""
    clean(project)
    path = project.root / "sites/t/site.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.split("\n", 2)[2], encoding="utf-8")   # drop clean()'s check: severity
    return project


def _in_build(project, rule_id, now=NOW):
    result = project.build(now=now)
    assert result.exit_code == 0, result.output
    assert f"警告: [{rule_id}]" in result.output, result.output
    return result.output


# -- CO-6 -----------------------------------------------------------------------------------------
def test_co6_names_each_missing_family_error_in_check_warning_in_build(project):
    _full(project)
    result = _check(project)
    messages = [f.message for f in found(result, "CO-6")]
    assert any("「概况信息」" in m for m in messages) and any("「依申请公开」" in m for m in messages)
    assert not any("「政务动态」" in m or "「互动交流」" in m for m in messages)   # the fixture has these
    assert all(f.severity == "error" for f in found(result, "CO-6"))
    assert all("type:" in f.hint for f in found(result, "CO-6"))
    _in_build(project, "CO-6")


def test_co6_depends_on_the_kind_of_site(project):
    _full(project)
    portal = {f.message for f in found(_check(project), "CO-6")}
    assert any("国务院信息转载" in m for m in portal)
    project.configure("kind: town\n")
    town = {f.message for f in found(_check(project), "CO-6")}
    assert town and not any("国务院信息转载" in m or "数据开放" in m or "概况信息" in m for m in town)
    assert all(m.startswith("[CO-6] 街道（乡镇）网站") for m in town)


def test_co6_family_present_by_column_type_is_not_reported(project):
    _full(project)
    project.column("xxgk/gk", "区情概况", type="概况信息")
    project.page("xxgk/gk/a.md", "区情", date="2026-05-01 09:00", source="区政府办公室")
    assert not any("「概况信息」" in f.message for f in found(_check(project), "CO-6"))


def test_co6_lists_the_statutory_areas_a_disclosure_area_lacks(project):
    _full(project)
    project.column("xxgk/fdzdgk", "法定主动公开内容", type="法定主动公开内容")
    project.column("xxgk/fdzdgk/czyjs", "财政预决算", type="法定主动公开内容")
    project.page("xxgk/fdzdgk/czyjs/a.md", "2026年部门预算", date="2026-05-01 09:00", source="区财政局")
    [areas] = [f for f in found(_check(project), "CO-6") if "法定主动公开内容缺少" in f.message]
    assert areas.path.endswith("xxgk/fdzdgk/_column.yaml")
    assert "政府采购" in areas.message and "社会救助" in areas.message and "财政预决算" not in areas.message


# -- GK-1 -----------------------------------------------------------------------------------------
def _annual(project, year, date, kind_col="xxgk/nb"):
    project.column(kind_col, "信息公开年报", type="信息公开年报")
    project.page(f"{kind_col}/{year}.md", f"景澜区{year}年政府信息公开工作年度报告", date=date, source="区政府办公室")


def test_gk1_guide_catalogue_and_annual_report_present(project):
    _full(project)
    result = _check(project)
    messages = " ".join(f.message for f in found(result, "GK-1.present"))
    assert "信息公开指南" in messages and "信息公开年报" in messages
    assert "信息公开目录" not in messages          # xxgk is a 信息公开目录 column
    _in_build(project, "GK-1.present")


def test_gk1_department_annual_report_due_31_january_says_nianbao(project):
    _full(project)
    project.configure("kind: department\n")
    _annual(project, 2024, "2025-01-20 09:00")
    hits = found(_check(project), "GK-1.annual")
    assert len(hits) == 1 and "2025 年" in hits[0].message and "年报" in hits[0].message
    assert "2026-01-31" in hits[0].message and hits[0].severity == "error"
    _in_build(project, "GK-1.annual")
    # before the deadline, the year before is the one that is due (and it is out)
    assert not found(_check(project, now="2026-01-20 09:00"), "GK-1.annual")
    _annual(project, 2025, "2026-01-30 10:00")
    assert not found(_check(project), "GK-1.annual")


def test_gk1_portal_deadline_is_31_march_and_configurable(project):
    _full(project)
    _annual(project, 2024, "2025-03-20 09:00")
    assert not found(_check(project, now="2026-03-20 09:00"), "GK-1.annual")     # 2025's due 2026-03-31
    assert found(_check(project, now="2026-04-01 09:00"), "GK-1.annual")
    project.configure("check:\n  annual_report: {government: 01-31}\n")
    assert found(_check(project, now="2026-03-20 09:00"), "GK-1.annual")


UNITS = """units:
  - {key: fgw, name: 测试区发展和改革委员会, code: "11339902402360025Q", kind: department}
"""


def test_gk1_each_unit_with_a_column_needs_its_own_annual_report_and_its_owner_is_named(project):
    _full(project)
    project.configure(UNITS)
    project.column("xxgk/fgw", "区发展改革委信息公开专栏", type="信息公开目录", unit="fgw", owner="区发展改革委 李娜")
    project.page("xxgk/fgw/a.md", "区发展改革委通知", date="2026-05-01 09:00", source="区发展改革委")
    _annual(project, 2025, "2026-01-20 09:00")            # the site's own report: not the unit's
    result = _check(project)
    unit = [f for f in found(result, "GK-1.present") + found(result, "GK-1.annual") if "发展和改革委员会" in f.message]
    assert {f.rule for f in unit} == {"GK-1.present", "GK-1.annual"}
    assert all(f.path.endswith("xxgk/fgw/_column.yaml") and f.owner == "区发展改革委 李娜" for f in unit)
    assert all("2026-01-31" in f.message for f in unit if f.rule == "GK-1.annual")
    project.column("xxgk/fgw/nb", "信息公开年报", type="信息公开年报")
    project.page("xxgk/fgw/nb/2025.md", "区发展改革委2025年政府信息公开工作年度报告", date="2026-01-25 09:00",
                 source="区发展改革委")
    result = _check(project)
    assert not [f for f in found(result, "GK-1.present") + found(result, "GK-1.annual") if "发展和改革委员会" in f.message]


def test_gk1_late_report_is_a_warning(project):
    _full(project)
    project.configure("kind: department\n")
    _annual(project, 2025, "2026-02-15 09:00")
    hits = found(_check(project), "GK-1.late")
    assert len(hits) == 1 and hits[0].severity == "warning" and "2026-01-31" in hits[0].message


# -- CK-6 -----------------------------------------------------------------------------------------
def test_ck6_no_services_and_no_platform(project):
    _full(project)
    hits = found(_check(project), "CK-6")
    assert len(hits) == 1 and hits[0].severity == "error" and "service_url" in hits[0].hint
    _in_build(project, "CK-6")
    project.configure("interaction:\n  service_url: https://zwfw.ceshi.gov.cn/\n")
    assert not found(_check(project), "CK-6")


# -- LK-3 -----------------------------------------------------------------------------------------
REPOST = """---
title: 国务院关于进一步优化营商环境的意见
date: 2026-05-20 10:00
source: 中国政府网
reprint: {original_site: 中国政府网, original_url: "https://www.gov.cn/zhengce/content/202605/content_1.htm", original_published: 2026-05-20 08:00}
---

原文见[中国政府网](https://www.gov.cn/zhengce/content/202605/content_1.htm)。
相关报道：[新闻](https://news.example.com/a.html)，本站专题见 https://www.ceshi.gov.cn/ztzl/
"""


def test_lk3_outbound_link_in_a_repost_with_line_and_column(project):
    _full(project)
    project.write("content/t/zwdt/gzdt/repost.md", REPOST)
    hits = found(_check(project), "LK-3")
    assert len(hits) == 1, [f.message for f in hits]
    assert hits[0].where().endswith("content/t/zwdt/gzdt/repost.md:9:11"), hits[0].where()
    assert "news.example.com" in hits[0].message and hits[0].severity == "error"
    result = _cli_check(project)
    assert result.exit_code == 1 and "repost.md:9:11: 错误: [LK-3]" in result.output
    _in_build(project, "LK-3")


# -- ID-1.valid -------------------------------------------------------------------------------------
@pytest.mark.parametrize("replace,needle", [
    (("conac: https://bszs.conac.cn/sitename?method=show&id=5D2C7B1A0E9F48C3", "conac: https://bszs.conac.cn/sitename?method=show&id=0"), "id 为「0」"),
    (('postcode: "339200"', 'postcode: "000000"'), "邮政编码"),
    (("sponsor: 测试区人民政府办公室", "sponsor: 待填写：主办单位"), "待填写"),
    (('site_code: "3399020001"', 'site_code: "bm33990201"'), "bm 标识码只用于国务院部门网站"),
])
def test_id1_valid_placeholders_and_codes(project, replace, needle):
    _full(project)
    assert not found(_check(project), "ID-1.valid")
    project.configure(replace=dict([replace]))
    hits = found(_check(project), "ID-1.valid")
    assert any(needle in f.message for f in hits), [f.message for f in hits]
    assert all(f.severity == "error" and f.line > 1 for f in hits)
    _in_build(project, "ID-1.valid")


def test_scaffold_builds_but_check_fails_on_placeholders(tmp_path):
    assert run(["--project", str(tmp_path), "new", "site", "jd"]).exit_code == 0
    built = run(["--project", str(tmp_path), "build", "jd", "--now", NOW, "--jobs", "1"])
    assert built.exit_code == 0, built.output
    assert "[ID-1.valid]" in built.output
    checked = run(["--project", str(tmp_path), "check", "jd", "--now", NOW, "--jobs", "1", "--source-only"])
    assert checked.exit_code == 1
    assert "错误: [ID-1.valid]" in checked.output and "待填写" in checked.output


def test_placeholder_pattern():
    for value in ("待填写：主办单位", "请填写地址", "XXX街道", "TODO"):
        assert PLACEHOLDER_RE.search(value), value
    for value in ("景澜区人民政府办公室", "0000-86120000", "Xinhua"):
        assert not PLACEHOLDER_RE.search(value), value


# -- CK-1.map ---------------------------------------------------------------------------------------
def test_map_needs_an_approval_number_shown_under_it(project):
    _full(project)
    project.write("content/t/zwdt/gzdt/map.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')
    project.page("zwdt/gzdt/m.md", "行政区划图", date="2026-05-20 09:00", source="区政府办公室",
                 image="map.svg", map="true", body="![行政区划图](map.svg)")
    hits = found(_check(project), "CK-1.map")
    assert len(hits) == 1 and hits[0].line == 6 and hits[0].severity == "error"
    _in_build(project, "CK-1.map")
    project.page("zwdt/gzdt/m.md", "行政区划图", date="2026-05-20 09:00", source="区政府办公室",
                 image="map.svg", map="true", map_approval_no="GS2024-1", body="![行政区划图](map.svg)")
    assert "格式不对" in found(_check(project), "CK-1.map")[0].message
    project.page("zwdt/gzdt/m.md", "行政区划图", date="2026-05-20 09:00", source="区政府办公室",
                 image="map.svg", map="true", map_approval_no='"津S(2023)012号"', body="![行政区划图](map.svg)")
    assert not found(_check(project), "CK-1.map")
    assert project.build().exit_code == 0
    assert '<p class="map-approval">审图号：津S(2023)012号</p>' in project.html("zwdt/gzdt/m.html")


# -- 栏目责任人 ---------------------------------------------------------------------------------------
def test_owner_printed_with_findings_about_its_column_in_text_and_json(project):
    clean(project)
    project.column("zwdt/gzdt", "工作动态", type="政务动态", owner="区政府办公室 王晓明")
    project.page("zwdt/gzdt/w.md", "工作进展", date="2026-05-29 09:00", body="截止目前，全区已完成改造。")
    text = _cli_check(project)
    assert "[CK-1]" in text.output and "栏目责任人：区政府办公室 王晓明" in text.output
    result = _cli_check(project, "--format", "json")
    data = json.loads(result.stdout)
    hits = [f for f in data["sites"][0]["findings"] if f["rule"] == "CK-1"]
    assert hits and all(f["owner"] == "区政府办公室 王晓明" for f in hits)
    others = [f for f in data["sites"][0]["findings"] if "gzdt" not in f["path"]]
    assert all(f["owner"] is None for f in others)
    junit = _cli_check(project, "--format", "junit")
    assert "栏目责任人：区政府办公室 王晓明" in junit.stdout


# -- the demo ---------------------------------------------------------------------------------------
@pytest.mark.slow
def test_demo_has_its_structure_identity_services_maps_and_reposts_right():
    result = check_site(REPO, "demo", "2026-12-01 09:00", jobs=1, output="none")
    mine = {"CO-6", "GK-1.present", "GK-1.annual", "GK-1.late", "CK-6", "LK-3", "ID-1.valid", "CK-1.map"}
    assert not mine & rules(result), [f.message for f in result.findings if f.rule in mine]
    owners = {f.owner for f in result.findings if "zwdt/bmdt" in f.path}
    assert owners <= {"区政府办公室信息科 刘明远"}


# -- bugs -------------------------------------------------------------------------------------------
def test_sub_column_of_a_topic_is_no_topic(project):
    project.column("ztzl", "专题专栏", type="专题专栏", order=3)
    project.column("ztzl/yshj", "优化营商环境", type="专题专栏")
    project.column("ztzl/yshj/dxal", "典型案例", type="专题专栏")
    project.page("ztzl/yshj/a.md", "营商环境推进会", date="2026-05-10 09:00")
    project.page("ztzl/yshj/dxal/b.md", "典型案例一", date="2026-05-11 09:00")
    project.configure(replace={"channels: [zwdt, xxgk]": "channels: [zwdt, xxgk, ztzl]"})
    assert project.build().exit_code == 0
    home = project.html("index.html")
    assert "<span>优化营商环境</span>" in home and "<span>典型案例</span>" not in home   # the topics block
    out = project.root / "report"
    result = run(["--project", str(project.root), "report", "annual", "t", "--year", "2026", "--now", NOW,
                  "--out", str(out)])
    assert result.exit_code == 0, result.output
    topics = json.loads((out / "report.json").read_text(encoding="utf-8"))["topics"]
    assert topics["total"] == 1 and [r["name"] for r in topics["columns"]] == ["优化营商环境"]
    assert topics["pages"] == 2   # the sub-column's page counts for its topic


@pytest.mark.slow
def test_annual_report_names_the_leader_an_interpretation_refers_to(tmp_path):
    out = tmp_path / "report"
    result = run(["--project", str(REPO), "report", "annual", "demo", "--year", "2025",
                  "--now", "2026-12-01 09:00", "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = (out / "report.json").read_text(encoding="utf-8")
    html = (out / "index.html").read_text(encoding="utf-8")
    assert ".md" not in json.dumps(json.loads(data)["interpretations"], ensure_ascii=False)
    assert "陈立华" in data and "chenlihua.md" not in html
