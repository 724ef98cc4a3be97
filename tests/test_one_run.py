"""Every finding in one run: an editor fixes a site once, not in rounds (issue: architecture step).

One site holds one error of each phase — a YAML error in one page (load), a missing date in
another (load), a four-level column and an empty column (site rules), a broken Markdown link in a
third page and an image without alt text (render), a hidden link (sanitizer and output rules) —
and both ``govsite build`` and ``govsite check`` report all of them in the same run, while the
previous output stays as it was.
"""
from __future__ import annotations

import json

import pytest

from helpers import fails_cleanly, run

# (what each finding is recognised by in the report, the file it names)
EXPECTED = {
    "yaml": ("zwdt/gzdt/bad-yaml.md", "YAML"),
    "date": ("zwdt/gzdt/no-date.md", "date"),
    "link": ("zwdt/gzdt/link.md", "LK-1"),
    "depth": ("zwdt/gzdt/l3/l4/_column.yaml", "CO-1"),
    "empty": ("zwdt/empty/_column.yaml", "CO-3"),
    "alt": ("zwdt/gzdt/image.md", "AX-1"),
    "hidden": ("zwdt/gzdt/hidden.md", "LK-2.hidden"),
}


def break_everything(project) -> None:
    """One error of each phase, each in a file of its own."""
    project.write("content/t/zwdt/gzdt/bad-yaml.md", "---\ntitle: [未闭合\ndate: 2026-05-03 09:00\n---\n\n正文。\n")
    project.write("content/t/zwdt/gzdt/no-date.md", "---\ntitle: 没有日期的文章\n---\n\n正文。\n")
    project.page("zwdt/gzdt/link.md", "链接文章", body="参见[不存在的通知](../tzgg/missing.md)。")
    project.column("zwdt/gzdt/l3", "三级栏目")
    project.column("zwdt/gzdt/l3/l4", "四级栏目")
    project.page("zwdt/gzdt/l3/l4/deep.md", "四级栏目中的文章")
    project.column("zwdt/empty", "空栏目", type="政务动态")
    project.write("content/t/zwdt/gzdt/pic.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    project.page("zwdt/gzdt/image.md", "图片文章", body="<img src=\"pic.png\">\n\n正文。")
    project.page("zwdt/gzdt/hidden.md", "暗链文章",
                 body='正文。<a href="https://casino.example.com" style="display:none">博彩</a>')


def assert_all_reported(text: str) -> None:
    for name, (path, marker) in EXPECTED.items():
        lines = [line for line in text.splitlines() if path in line]
        assert lines, f"{name}: nothing reported for {path} in:\n{text}"
        assert any(marker in line for line in lines), f"{name}: {marker} not reported at {path}:\n" + "\n".join(lines)


def test_build_reports_every_phase_at_once_and_keeps_the_previous_output(project):
    # the build runs the rules whose severity is error; this office makes alt text one (AX-1 is a
    # warning by default, which govsite check reports below)
    project.configure("check:\n  severity:\n    AX-1: error\n")
    assert project.build().exit_code == 0
    break_everything(project)
    output = fails_cleanly(project)
    assert_all_reported(output)
    problems = [line for line in output.splitlines() if ": 错误: " in line]
    assert len(problems) == len(set(problems)), "a finding reported twice"
    assert len([line for line in problems if "link.md" in line]) == 1, output


def test_check_reports_every_phase_at_once(project):
    break_everything(project)
    result = run(["--project", str(project.root), "check", "t", "--now", "2026-06-01 12:00", "--format", "json",
                  "--jobs", "1"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    findings = [f for site in report["sites"] for f in site["findings"]]
    text = "\n".join(f"{f['path']}:{f['line']}: [{f['rule']}] {f['message']}" for f in findings)
    assert_all_reported(text)
    assert not any("输出规则未运行" in note for site in report["sites"] for note in site.get("notes", [])), report


def test_a_stage_that_cannot_render_a_broken_site_adds_a_finding_not_a_traceback(project, monkeypatch):
    """A site with errors may hold what a later stage cannot render: that is one more finding, the
    others are still reported and the previous output stays. On a site without errors the same
    exception is a bug of govsite's and is not hidden."""
    from govsite.render.pages import SiteRenderer

    assert project.build().exit_code == 0

    def broken(self):
        raise RuntimeError("cannot render the home page")

    monkeypatch.setattr(SiteRenderer, "render_home", broken)
    project.write("content/t/zwdt/gzdt/no-date.md", "---\ntitle: 没有日期的文章\n---\n\n正文。\n")
    output = fails_cleanly(project, "no-date.md:1", "缺少必填字段 date", "部分页面无法生成", "cannot render the home page")
    assert "Traceback" not in output
    (project.content / "zwdt/gzdt/no-date.md").unlink()
    with pytest.raises(RuntimeError, match="cannot render the home page"):
        project.build()
