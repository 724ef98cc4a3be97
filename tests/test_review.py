"""三审和保密审查 (review trail, CK-1.review): with ``review: {required: true}`` a page without its
full trail stops the build with file:line and is not published; the trail never reaches a public
page, the search data or a feed, and goes into the syndication export only with ``export: true``."""
from __future__ import annotations

from pathlib import Path

from govsite.pipeline.build import BuildOptions
from govsite.pipeline.load import load_and_check

from helpers import NOW, REPO, fails_cleanly, run

NAMES = ("柯拟稿", "柏审核", "桂签发", "檀保密")   # reviewers' names found nowhere else
TRAIL = ("{drafted_by: 柯拟稿, reviewed_by: 柏审核, approved_by: 桂签发, secrecy_reviewed_by: 檀保密, "
         "secrecy_reviewed: 2025-12-31}")


def with_trails(project):
    """Every page of the ``project`` fixture, and a repost, carry a full trail; the site requires it."""
    for path in sorted(project.content.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("\n---\n", f"\nreview: {TRAIL}\n---\n", 1), encoding="utf-8")
    project.page("zwdt/gzdt/zz.md", "国务院办公厅关于做好冬春季安全生产工作的通知", date="2026-04-03 09:00",
                 reprint="{original_site: 中国政府网, original_url: 'https://www.gov.cn/zhengce/a.htm', "
                         "original_published: 2026-04-02 10:00}", review=TRAIL)
    project.configure("review:\n  required: true\n")
    return project


def files_naming_reviewers(project) -> list[str]:
    out = project.out()
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*")
                  if p.is_file() and any(n.encode("utf-8") in p.read_bytes() for n in NAMES))


def line_of(path, key: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.startswith(f"{key}:"))


def test_trail_appears_in_no_output_file(project):
    result = with_trails(project).build()
    assert result.exit_code == 0, result.output
    assert project.out("export/feed.json").is_file() and project.out("zwdt/gzdt/zz.html").is_file()
    assert files_naming_reviewers(project) == []   # pages, search data, feeds, sitemap, export


def test_export_true_puts_the_trail_in_the_export_only(project):
    with_trails(project).configure("  export: true\n")
    result = project.build()
    assert result.exit_code == 0, result.output
    exported = files_naming_reviewers(project)   # the export's JSON documents (current and archives) only
    assert "export/feed.json" in exported and all(f.startswith("export/") and f.endswith(".json") for f in exported)
    feed = "".join(project.out(f).read_text(encoding="utf-8") for f in exported)
    assert ('"review": {"approved_by": "桂签发", "drafted_by": "柯拟稿", "reviewed_by": "柏审核", '
            '"secrecy_reviewed": "2025-12-31", "secrecy_reviewed_by": "檀保密"}') in feed


def test_missing_trail_is_a_build_error_naming_file_and_line(project):
    with_trails(project)
    assert project.build().exit_code == 0
    # a repost without its 保密审查, a page without any trail
    zz = project.page("zwdt/gzdt/zz.md", "国务院办公厅关于做好冬春季安全生产工作的通知", date="2026-04-03 09:00",
                      reprint="{original_site: 中国政府网, original_url: 'https://www.gov.cn/zhengce/a.htm', "
                              "original_published: 2026-04-02 10:00}",
                      review="{drafted_by: 柯拟稿, reviewed_by: 柏审核, approved_by: 桂签发}")
    project.page("zwdt/gzdt/new.md", "第三篇工作动态", date="2026-05-20 09:00")
    output = fails_cleanly(project, f"zwdt/gzdt/zz.md:{line_of(zz, 'review')}",
                           "[CK-1.review]", "保密审查人 secrecy_reviewed_by、保密审查日期 secrecy_reviewed；本页不予发布",
                           "zwdt/gzdt/new.md:2", "拟稿人（初审） drafted_by")
    assert "Traceback" not in output


def test_page_missing_its_trail_is_not_published(project):
    with_trails(project)
    project.page("zwdt/gzdt/new.md", "第三篇工作动态", date="2026-05-20 09:00")
    project.page("zwdt/gzdt/draft.md", "尚未审核的稿件", date="2026-05-21 09:00", draft="true")
    loaded = load_and_check(project.root, "t", BuildOptions(now=NOW))
    assert loaded.site is not None
    published = {p.src for p in loaded.site.pages}
    assert "zwdt/gzdt/new.md" not in published and "zwdt/gzdt/a.md" in published
    # one error, for the page that would be published; the draft is not asked (its trail is what
    # the review will add)
    assert [(Path(p.path).name, p.line) for p in loaded.report.errors] == [("new.md", 2)]


def test_trail_is_not_required_unless_the_site_says_so(project):
    assert project.build().exit_code == 0   # the fixture's pages have no trail at all


def test_malformed_secrecy_review_date_fails_on_any_site(project):
    assert project.build().exit_code == 0
    bad = project.page("zwdt/gzdt/c.md", "第三篇工作动态", date="2026-05-20 09:00",
                       review="{drafted_by: 柯拟稿, secrecy_reviewed: '2026-02-30'}")
    fails_cleanly(project, f"zwdt/gzdt/c.md:{line_of(bad, 'review')}", "[CK-1.review]",
                  "review.secrecy_reviewed（保密审查日期）无法识别")


def test_secrecy_review_after_publication_is_an_error(project):
    assert project.build().exit_code == 0
    project.page("zwdt/gzdt/c.md", "第三篇工作动态", date="2026-05-20 09:00",
                 review="{drafted_by: 柯拟稿, secrecy_reviewed: 2026-05-22}")
    fails_cleanly(project, "[CK-1.review] 保密审查日期 2026-05-22 晚于发布时间 2026-05-20")


def test_demo_street_site_requires_and_carries_the_trail(tmp_path):
    """sites/mhjd requires the trail: every page there has it, and none of it is published."""
    assert "required: true" in (REPO / "sites/mhjd/site.yaml").read_text(encoding="utf-8")
    result = run(["--project", str(REPO), "build", "mhjd", "--out", str(tmp_path), "--now", "2026-12-01 09:00",
                  "--jobs", "1", "--no-cache"])
    assert result.exit_code == 0, result.output
    names = {line.split(":", 1)[1].strip() for p in (REPO / "content/mhjd").rglob("*.md")
             for line in p.read_text(encoding="utf-8").splitlines() if line.strip().startswith("reviewed_by:")}
    assert names
    assert not [p for p in (tmp_path / "mhjd").rglob("*") if p.is_file()
                and any(n.encode("utf-8") in p.read_bytes() for n in names)]
