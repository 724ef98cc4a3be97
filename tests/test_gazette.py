"""政府公报 (type: gazette): an issue lists the documents it carries with their 文号 and links its
PDF; each document links back to the issue; 应登尽登 (GK-5.gazette) finds a 规章 / 行政规范性文件
that no issue of its year carries; a bad issue stops the build with file:line."""
from __future__ import annotations

import re

import pytest

from govsite.commands.check import check_site

from checkfix import check, found
from helpers import REPO, fails_cleanly

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
POLICY = dict(type="policy", issuer="测试区人民政府", status="有效", category="综合政务／政务公开")


def policy(project, rel, title, signed, doc_kind="行政规范性文件", **fields):
    project.page(rel, title, date=f"{signed} 10:00", signed=f'"{signed}"', doc_kind=doc_kind,
                 doc_no=f"测政发〔{signed[:4]}〕{len(title)}号", **POLICY, **fields)


def issue(project, rel, year, number, documents, issue_date, **fields):
    project.write(f"content/t/{rel[:-3]}.pdf", PDF)
    project.page(rel, f"测试区人民政府公报 {year}年第{number}期", date=f"{issue_date} 09:00", type="gazette",
                 year=year, number=number, issue_date=issue_date, pdf=f"{rel.split('/')[-1][:-3]}.pdf",
                 documents="[" + ", ".join(documents) + "]", source="测试区人民政府办公室", **fields)


@pytest.fixture
def gazette(project):
    project.column("zcwj", "政策文件", type="政策文件", order=3)
    project.column("zcwj/gb", "政府公报", type="政府公报")
    project.configure(replace={"channels: [zwdt, xxgk]": "channels: [zwdt, xxgk, zcwj]"})
    policy(project, "zcwj/a2025.md", "关于印发测试区河道管理办法的通知", "2025-03-01")
    policy(project, "zcwj/b2026.md", "关于印发测试区停车管理办法的通知", "2026-02-10")
    policy(project, "zcwj/c2026.md", "关于做好春季防火工作的通知", "2026-02-20", doc_kind="其他政策性文件")
    issue(project, "zcwj/gb/2025-1.md", 2025, 1, ["../a2025.md"], "2025-04-01", total_number=11)
    issue(project, "zcwj/gb/2026-1.md", 2026, 1, ["../c2026.md", "../b2026.md"], "2026-04-01", total_number=12)
    return project


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def line_of(project, rel: str, key: str) -> int:
    lines = (project.content / rel).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.startswith(f"{key}:"))


def test_issue_page_lists_its_documents_with_doc_numbers_grouped_and_links_the_pdf(gazette):
    assert gazette.build().exit_code == 0
    html = gazette.html("zcwj/gb/2026-1.html")
    contents = html[html.index('class="gazette-contents"'):]
    contents = contents[:contents.index("</section>")]
    # 行政规范性文件 before 其他文件, whatever order the issue names them in; each with its 文号
    assert text(contents).index("【行政规范性文件】") < text(contents).index("【其他文件】")
    assert re.search(r'<a href="../b2026.html">关于印发测试区停车管理办法的通知</a> '
                     r'<span class="gazette-doc-no">（测政发〔2026〕\d+号）</span>', contents)
    assert '<a href="../c2026.html">关于做好春季防火工作的通知</a>' in contents
    facts = text(html[html.index('class="meta-table gazette-facts"'):])
    assert "期号 2026年第1期（总第12期）" in facts and "出版日期 2026-04-01" in facts
    assert re.search(r'<a href="2026-1.pdf" download>下载本期公报（PDF版）</a>', html)
    assert gazette.out("zcwj/gb/2026-1.pdf").read_bytes() == PDF


def test_documents_link_back_to_the_issue_that_carries_them(gazette):
    assert gazette.build().exit_code == 0
    html = gazette.html("zcwj/b2026.html")
    assert ('<p class="gazette-source">刊登于<a href="gb/2026-1.html">《测试区人民政府公报》2026年第1期</a></p>'
            in html)
    assert "《测试区人民政府公报》2025年第1期" in gazette.html("zcwj/a2025.html")


def test_a_draft_issue_is_not_named_on_the_documents(gazette):
    gazette.page("zcwj/gb/2026-2.md", "测试区人民政府公报 2026年第2期", date="2026-05-20 09:00", type="gazette",
                 year=2026, number=2, pdf="2026-1.pdf", documents="[../b2026.md]", draft="true")
    assert gazette.build().exit_code == 0
    assert "2026年第2期" not in gazette.html("zcwj/b2026.html")


def test_in_gazette_reports_a_document_no_issue_of_its_year_carries(gazette):
    assert "GK-5.gazette" not in {f.rule for f in check(gazette, output="none").findings}   # all covered
    issue(gazette, "zcwj/gb/2026-1.md", 2026, 1, ["../c2026.md"], "2026-04-01")   # b2026 left out
    hits = found(check(gazette, output="none"), "GK-5.gazette")
    assert [(f.severity, f.path.endswith("zcwj/b2026.md"), f.line) for f in hits] == [
        ("error", True, line_of(gazette, "zcwj/b2026.md", "doc_kind"))]
    assert "成文于 2026-02-10，没有刊登在2026年的政府公报上（应登尽登）" in hits[0].message
    assert "grace_days" in hits[0].hint
    # a date verdict: a warning in a build, which still publishes
    result = gazette.build()
    assert result.exit_code == 0, result.output
    assert "警告: [GK-5.gazette]" in result.output and "b2026.md" in result.output


def test_in_gazette_is_fair_to_recent_documents_and_to_sites_without_a_gazette(gazette):
    # signed 20 days before the check: not due yet (grace_days 30), then due with grace_days 10
    policy(gazette, "zcwj/d2026.md", "关于印发测试区夜市管理办法的通知", "2026-05-12")
    assert not found(check(gazette, output="none"), "GK-5.gazette")
    gazette.configure("gazette:\n  grace_days: 10\n")
    assert [f.path.endswith("d2026.md") for f in found(check(gazette, output="none"), "GK-5.gazette")] == [True]
    # a December document in the next year's first issue, within the grace days, is covered
    policy(gazette, "zcwj/e2025.md", "关于印发测试区冬季供热保障办法的通知", "2025-12-28")
    issue(gazette, "zcwj/gb/2026-1.md", 2026, 1, ["../b2026.md", "../e2025.md"], "2026-01-05")
    assert [f.path.endswith("d2026.md") for f in found(check(gazette, output="none"), "GK-5.gazette")] == [True]
    # years before the first issue are not asked; a site with no 公报 column is not asked at all
    policy(gazette, "zcwj/f2024.md", "关于印发测试区旧办法的通知", "2024-05-01")
    assert not any(f.path.endswith("f2024.md") for f in found(check(gazette, output="none"), "GK-5.gazette"))
    for rel in ("2025-1.md", "2026-1.md", "2025-1.pdf", "2026-1.pdf", "_column.yaml"):
        (gazette.content / "zcwj/gb" / rel).unlink()
    assert not found(check(gazette, output="none"), "GK-5.gazette")


@pytest.mark.parametrize("ref,expected", [
    ("../nope.md", "documents（本期刊登的文件）中的「../nope.md」不是本站的页面"),
    ("../../zwdt/gzdt/a.md", "是 news 类型，不是政策文件"),
])
def test_issue_naming_a_missing_or_non_policy_page_fails_with_file_and_line(gazette, ref, expected):
    assert gazette.build().exit_code == 0
    issue(gazette, "zcwj/gb/2026-1.md", 2026, 1, ["../b2026.md", ref], "2026-04-01")
    line = line_of(gazette, "zcwj/gb/2026-1.md", "documents")
    fails_cleanly(gazette, f"zcwj/gb/2026-1.md:{line}", "[GK-5.issue]", expected)


def test_bad_issue_fields_fail_the_build(gazette):
    assert gazette.build().exit_code == 0
    gazette.page("zcwj/gb/2026-2.md", "测试区人民政府公报 2026年第1期（重复）", date="2026-05-20 09:00",
                 type="gazette", year=2026, number=1, pdf="missing.pdf", documents="[../b2026.md]")
    fails_cleanly(gazette, "[GK-5.issue] 公报2026年第1期与 zcwj/gb/2026-1.md 重复",
                  "pdf（公报PDF版）中的文件「missing.pdf」不存在")


def test_an_issue_cannot_carry_a_document_signed_after_it(gazette):
    assert gazette.build().exit_code == 0
    issue(gazette, "zcwj/gb/2025-1.md", 2025, 1, ["../a2025.md", "../b2026.md"], "2025-04-01")
    fails_cleanly(gazette, "[GK-5.issue] 本期公报出版于 2025-04-01，却刊登了成文于 2026-02-10")


def test_demo_gazette_covers_every_normative_document():
    """The demo's 公报 column: issues of 2025 and 2026 with PDFs, and 应登尽登 holds."""
    result = check_site(REPO, "demo", "2026-12-01 09:00", jobs=1, output="none")
    assert not [f.message for f in result.findings if f.rule.startswith("GK-5.gazette")]
    issues = sorted((REPO / "content/demo/zcwj/zfgb").glob("20*.md"))
    years = {year for p in issues for year in re.findall(r"^year: (\d+)", p.read_text(encoding="utf-8"), re.M)}
    assert {"2025", "2026"} <= years
    for pdf in (REPO / "content/demo/zcwj/zfgb").glob("*.pdf"):
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF-1.") and data.rstrip().endswith(b"%%EOF")
