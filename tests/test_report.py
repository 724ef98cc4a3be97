"""``govsite report annual`` (RP-1): the figures a site can give about one year, counted from a
small project whose content is known, written deterministically beside (never into) the build."""
from __future__ import annotations

import json

from helpers import DEMO_NOW, NOW, REPO, run

YEAR = "2026"
ASKED = {"replying_dept": "区城管委", "question": "路灯不亮，请尽快维修。"}
ANSWERED = {**ASKED, "answer": "已安排维修。"}


def known_content(p):
    """The fixture's 4 pages of 2026 plus: 1 policy, 2 interpretations, 3 replies, 1 data set,
    1 topic page and 1 page that has expired since — 13 items in 2026; and pages that must not count."""
    p.column("zcwj", "政策文件", type="政策文件", source="区政府办公室")
    p.page("zcwj/old.md", "旧办法", date="2025-06-01 09:00", type="policy", doc_kind="其他政策性文件",
           issuer="测试区人民政府", signed='"2025-05-30"', status="有效")
    p.page("zcwj/new.md", "新办法", date="2026-03-01 09:00", type="policy", doc_kind="行政规范性文件",
           doc_no="测政发〔2026〕1号", issuer="测试区人民政府", signed='"2026-02-27"', status="有效",
           repeals="[old.md]")
    p.column("zcjd", "政策解读", type="政策解读", source="区政府办公室")
    p.page("zcjd/i1.md", "解读一", date="2026-03-02 09:00", type="interpretation", interprets="[../zcwj/new.md]",
           interpreting_org="区司法局", form="文字")
    p.page("zcjd/i2.md", "一图读懂", date="2026-03-03 09:00", type="interpretation", interprets="[../zcwj/new.md]",
           interpreting_org="区司法局", form="图解", interpreter="王区长", interpreter_role="主要负责人")
    p.column("hdjl", "互动交流", type="互动交流", source="区政府办公室")
    p.page("hdjl/r1.md", "答复一", date="2026-05-15 10:00", type="reply", kind="咨询", status="已答复", **ANSWERED,
           received='"2026-05-11"', replied='"2026-05-15"')                     # 4 working days
    p.page("hdjl/r2.md", "答复二", date="2026-05-29 10:00", type="reply", kind="投诉", status="已答复", **ANSWERED,
           received='"2026-05-18"', replied='"2026-05-29"')                     # 9 working days
    p.page("hdjl/r3.md", "留言三", date="2026-05-25 10:00", type="reply", kind="咨询", status="办理中", **ASKED,
           received='"2026-05-25"')
    p.page("hdjl/r0.md", "去年的答复", date="2025-12-20 10:00", type="reply", kind="咨询", status="已答复", **ANSWERED,
           received='"2025-12-01"', replied='"2025-12-05"')
    p.column("sjkf", "数据开放", type="数据开放", source="区大数据中心")
    p.write("content/t/sjkf/d.csv", "名称\n甲\n")
    p.page("sjkf/d.md", "企业名录", date="2026-05-20 09:00", type="dataset", dataset_id="T-1", publisher="区市场监管局",
           topic="市场监管", open_level="无条件开放", category="企业", files="[{path: d.csv}]", update_frequency="月",
           last_updated="2026-05-20", expires="2026-05-30", status="有效", schema="[名称]")
    p.column("ztzl", "专题专栏", type="专题专栏", source="区政府办公室")
    p.column("ztzl/t1", "营商环境专题")
    p.page("ztzl/t1/x.md", "专题信息", date="2026-02-01 09:00")
    p.page("zwdt/gzdt/gone.md", "已下线的动态", date="2026-05-10 09:00", expire="2026-05-15 00:00")
    # not counted: a draft, a page scheduled after NOW, a page of 2025, a page withheld (公开属性)
    p.page("zwdt/gzdt/draft.md", "草稿", date="2026-05-05 09:00", draft="true")
    p.page("zwdt/gzdt/later.md", "定时发布", date="2026-05-06 09:00", publish="2026-07-01 09:00")
    p.page("xxgk/old.md", "去年的信息", date="2025-12-31 23:00")
    p.page("xxgk/withheld.md", "依申请公开的信息", date="2026-04-01 09:00",
           disclosure="{attribute: 依申请公开, reason: 涉及第三方商业秘密}")
    return p


def report(project, *args, year=YEAR, now=NOW):
    return run(["--project", str(project.root), "report", "annual", "t", "--year", year, "--now", now, *args])


def figures(project, out=None):
    folder = out or project.root / "build" / f"t-report-{YEAR}"
    return json.loads((folder / "report.json").read_text(encoding="utf-8"))


def counts(rows):
    return {r["name"]: r["count"] for r in rows}


def test_figures_of_a_known_year(project):
    known_content(project)
    result = report(project)
    assert result.exit_code == 0, result.output
    data = figures(project)
    assert data["year"] == 2026 and data["as_of"] == NOW and data["complete_year"] is False
    published = data["published"]
    assert published["total"] == 13
    assert counts(published["by_column_type"]) == {"政务动态": 3, "通知公告": 1, "信息公开目录": 1, "政策文件": 1,
                                                   "政策解读": 2, "互动交流": 3, "数据开放": 1, "专题专栏": 1}
    # navigation channels first (zwdt, xxgk), then the other top-level columns by folder
    assert [(c["column"], c["count"]) for c in published["by_channel"]] == [
        ("zwdt", 4), ("xxgk", 1), ("hdjl", 3), ("sjkf", 1), ("zcjd", 2), ("zcwj", 1), ("ztzl", 1)]
    assert counts(published["by_content_type"]) == {"文章": 6, "政策文件": 1, "政策解读": 2, "留言答复": 3, "开放数据集": 1}

    policies = data["policies"]
    assert policies["total"] == 1 and counts(policies["by_doc_kind"]) == {"行政规范性文件": 1}
    assert counts(policies["by_status"]) == {"有效": 1} and policies["interpreted"] == 1
    assert counts(policies["status_changed_in_year"]) == {"已废止": 1}   # the 2025 document, repealed in 2026

    interpretations = data["interpretations"]
    assert interpretations["total"] == 2 and interpretations["non_text"] == 1
    assert interpretations["non_text_share"] == 50.0
    assert counts(interpretations["by_form"]) == {"文字": 1, "图解": 1}
    assert counts(interpretations["by_principal_leader"]) == {"王区长": 1}

    replies = data["replies"]
    assert (replies["total"], replies["replied"], replies["pending"], replies["not_handled"]) == (3, 2, 1, 0)
    assert replies["average_working_days"] == 6.5 and replies["max_working_days"] == 9
    assert counts(replies["by_kind"]) == {"咨询": 2, "投诉": 1}

    datasets = data["datasets"]
    assert (datasets["published"], datasets["updated"], datasets["current"], datasets["expired"]) == (1, 1, 1, 1)
    assert datasets["formats"] == ["CSV"]

    form = {row["item"]: row["value"] for row in data["form"]}
    assert all(row["basis"] and row["unit"] for row in data["form"])
    assert form["总数"] == 13 and form["政务动态信息更新量"] == 4 and form["概况类信息更新量"] == 0
    assert (form["维护数量"], form["新开设数量"]) == (1, 1)
    assert (form["解读信息发布总数"], form["其中：解读材料数量"], form["其中：解读产品数量"], form["其中：媒体评论文章数量"]) \
        == (2, 1, 1, 0)
    assert (form["收到留言数量"], form["办结留言数量"], form["平均办理时间"], form["公开答复数量"]) == (3, 2, 6.5, 3)
    assert form["征集调查期数"] == 0 and form["收到意见数量"] is None

    topics = data["topics"]
    assert topics["total"] == 1 and topics["active"] == 1 and topics["pages"] == 1
    assert topics["columns"][0]["column"] == "ztzl/t1"


def test_replies_use_the_site_working_day_calendar(project):
    known_content(project)
    project.configure("check:\n  workdays:\n    holidays: [2026-05-13]\n")
    assert report(project).exit_code == 0
    replies = figures(project)["replies"]
    assert replies["average_working_days"] == 6.0 and replies["max_working_days"] == 9


def test_html_page_uses_the_theme_and_links_the_json(project):
    known_content(project)
    assert report(project).exit_code == 0
    folder = project.root / "build" / f"t-report-{YEAR}"
    html = (folder / "index.html").read_text(encoding="utf-8")
    assert "测试区人民政府2026年度政府网站工作报表（内容统计）" in html
    assert 'href="static/css/site.css"' in html and (folder / "static/css/site.css").is_file()
    assert '<a href="report.json" type="application/json">' in html
    assert "本年度尚未结束" in html
    assert '<caption>按栏目类别统计</caption>' in html and '<th scope="row">政务动态</th><td class="num">3</td>' in html
    assert "6.5 个工作日" in html and "50.0%" in html and "built-in method" not in html
    assert '<th scope="row">政务动态信息更新量</th><td class="num">4 条</td>' in html
    # links to the site go to the live site, not into the report folder
    assert 'href="https://www.ceshi.gov.cn/"' in html


def test_output_is_deterministic_and_leaves_the_build_alone(project):
    known_content(project)
    assert project.build().exit_code == 0
    before = sorted((p.relative_to(project.out()).as_posix(), p.stat().st_mtime_ns)
                    for p in project.out().rglob("*"))
    one, two = project.root / "r1", project.root / "r2"
    assert report(project, "--out", str(one)).exit_code == 0
    assert report(project, "--out", str(two)).exit_code == 0
    for name in ("index.html", "report.json"):
        assert (one / name).read_bytes() == (two / name).read_bytes()
    # running again into the same folder replaces it
    assert report(project, "--out", str(one)).exit_code == 0
    assert (one / "report.json").read_bytes() == (two / "report.json").read_bytes()
    after = sorted((p.relative_to(project.out()).as_posix(), p.stat().st_mtime_ns)
                   for p in project.out().rglob("*"))
    assert before == after


def test_complete_year_has_no_clock_in_it(project):
    known_content(project)
    assert report(project, year="2025", now="2026-06-01 12:00").exit_code == 0
    first = (project.root / "build/t-report-2025/report.json").read_bytes()
    assert report(project, year="2025", now="2026-09-01 08:00").exit_code == 0
    assert (project.root / "build/t-report-2025/report.json").read_bytes() == first
    data = json.loads(first)
    assert data["complete_year"] is True and data["as_of"] == "2025-12-31 23:59"
    assert data["published"]["total"] == 3   # 旧办法, 去年的答复, 去年的信息
    assert data["replies"]["total"] == 1 and data["replies"]["average_working_days"] == 4.0


def test_unknown_site_is_an_error_in_chinese(project):
    result = run(["--project", str(project.root), "report", "annual", "nosuch", "--year", YEAR, "--now", NOW])
    assert result.exit_code == 1
    assert "站点「nosuch」不存在" in result.output and "Traceback" not in result.output


def test_bad_year_is_an_error_in_chinese(project):
    for year in ("abc", "2027", "1900"):
        result = report(project, year=year)
        assert result.exit_code == 1, year
        assert f"年份「{year}」无效" in result.output
    assert not (project.root / "build").exists()


def test_content_errors_stop_the_report_with_file_and_line(project):
    project.column("sjkf", "数据开放", type="数据开放")
    project.page("sjkf/d.md", "坏数据集", type="dataset")
    result = report(project)
    assert result.exit_code == 1
    assert "content/t/sjkf/d.md:" in result.output and "年度报表未生成" in result.output
    assert not (project.root / "build" / f"t-report-{YEAR}").exists()


def test_refuses_to_write_into_the_site_build_or_a_foreign_folder(project):
    result = report(project, "--out", str(project.root / "build" / "t"))
    assert result.exit_code == 1 and "重叠" in result.output
    foreign = project.root / "docs"
    project.write("docs/keep.txt", "mine")
    result = report(project, "--out", str(foreign))
    assert result.exit_code == 1 and "不是年度报表目录" in result.output
    assert (foreign / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_site_may_be_left_out_when_there_is_one(project):
    result = run(["--project", str(project.root), "report", "annual", "--year", YEAR, "--now", NOW])
    assert result.exit_code == 0, result.output
    assert (project.root / "build" / f"t-report-{YEAR}" / "report.json").is_file()


def test_report_folder_is_self_contained(project):
    from htmlcheck import local_targets

    known_content(project)
    assert report(project).exit_code == 0
    page = project.root / "build" / f"t-report-{YEAR}" / "index.html"
    targets = list(local_targets(page))
    assert targets and all(target.is_file() for _, target in targets), [h for h, t in targets if not t.is_file()]


def test_demo_report(tmp_path):

    from govsite.commands.report import annual_report

    result = annual_report(REPO, "demo", "2026", tmp_path / "r", DEMO_NOW)
    data = result.figures
    assert data["datasets"]["current"] == 3 and data["datasets"]["expired"] == 1
    assert data["replies"]["total"] >= 1 and data["replies"]["average_working_days"] is not None
    assert data["published"]["total"] == sum(c["count"] for c in data["published"]["by_column_type"])
    assert data["published"]["total"] == sum(c["count"] for c in data["published"]["by_channel"])
    assert sorted(p.name for p in (tmp_path / "r").iterdir()) == ["index.html", "report.json", "static"]
    assert "variant-switch" not in (tmp_path / "r" / "index.html").read_text(encoding="utf-8")
