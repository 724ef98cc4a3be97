"""``govsite check`` on the command line: report formats (JSON schema kept stable, JUnit, text),
exit codes, where the output comes from, ``--changed``, and the gate inside ``govsite build``."""
from __future__ import annotations

import os
import subprocess
import xml.etree.ElementTree as ET

from checkfix import ck1_bad_body, clean, cli_json
from helpers import NOW, REPO, run

# The documented JSON schema (docs/check.md). Changing it is a breaking change for tools that read
# the report: bump "schema" and update the docs together with this test.
TOP = {"schema": str, "govsite": str, "summary": dict, "sites": list}
SUMMARY = {"error": int, "warning": int, "info": int, "veto": int}
SITE = {"site": str, "now": str, "verdict": dict, "summary": dict, "output": dict, "notes": list, "findings": list}
VERDICT = {"veto": bool, "rules": list}
SITE_SUMMARY = {**SUMMARY, "pages": int, "outputs": int}
OUTPUT = {"mode": str, "dir": (str, type(None))}
FINDING = {"rule": str, "spec": str, "severity": str, "veto": bool, "path": str, "line": int, "column": int,
           "url": (str, type(None)), "message": str, "hint": str, "owner": (str, type(None))}


def _shape(data, shape, where):
    assert set(data) == set(shape), f"{where}: keys {sorted(data)} != {sorted(shape)}"
    for key, kind in shape.items():
        assert isinstance(data[key], kind), f"{where}.{key}: {type(data[key]).__name__}"


def test_json_schema_is_stable(project):
    clean(project)
    project.page("zwdt/gzdt/w.md", "工作进展", date="2026-05-29 09:00", body=ck1_bad_body)
    project.page("zwdt/gzdt/o.md", "外链", date="2026-05-29 09:00", body="[报道](https://news.example.com/a)")
    result, data = cli_json(project)
    assert result.exit_code == 1
    _shape(data, TOP, "report")
    assert data["schema"] == "govsite-check/1"
    _shape(data["summary"], SUMMARY, "summary")
    [site] = data["sites"]
    _shape(site, SITE, "site")
    _shape(site["verdict"], VERDICT, "verdict")
    _shape(site["summary"], SITE_SUMMARY, "site.summary")
    _shape(site["output"], OUTPUT, "output")
    assert site["output"]["mode"] in ("scanned", "rendered", "partial", "skipped")
    assert site["findings"]
    for finding in site["findings"]:
        _shape(finding, FINDING, "finding")
        assert finding["severity"] in ("error", "warning", "info")
    first = site["findings"][0]
    assert first == {
        "rule": "CK-1", "spec": "CK-1", "severity": "error", "veto": True,
        "path": first["path"], "line": 6, "column": 1, "url": "zwdt/gzdt/w.html",
        "message": "[CK-1] 表述错误「截止目前」，应为「截至目前」（「截至」表示到某时为止，「截止」表示停止）",
        "hint": "改为「截至目前」", "owner": None,
    }
    assert first["path"].endswith("content/t/zwdt/gzdt/w.md")
    assert site["verdict"] == {"veto": True, "rules": ["CK-1"]}
    assert data["summary"] == {"error": 1, "warning": 1, "info": 0, "veto": 1}
    # the same input gives the same bytes (no timings in JSON)
    again, _ = cli_json(project)
    assert again.stdout == result.stdout


def test_clean_site_exits_zero_and_text_report(project):
    clean(project)
    result = run(["--project", str(project.root), "check", "t", "--now", NOW, "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "t：单项否决 — 未发现否决项"
    assert "错误 0，警告 0，提示 0" in result.output


def test_text_report_puts_the_veto_first_then_errors_then_warnings(project):
    clean(project)
    (project.content / "zwdt/gzdt/fresh.md").unlink()  # home page 30 days old: CK-3 (veto)
    project.page("qt/x.md", "没有来源的信息", date="2026-04-29 09:00")
    project.column("qt", "其他信息", type="其他")
    result = run(["--project", str(project.root), "check", "t", "--now", NOW, "--jobs", "1"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("t：单项否决 — 不合格（1 项，CK-3）")
    assert "sites/t/site.yaml:" in lines[1] and "[CK-3] 首页超过 14 天未更新（2026-05-17 起）" in lines[1]
    errors, warnings = lines.index("错误（3）"), lines.index("警告（1）")
    assert errors < warnings
    assert any("[CP-1]" in line for line in lines[warnings:])


def test_junit_report(project, tmp_path):
    clean(project)
    project.page("zwdt/gzdt/w.md", "工作进展", date="2026-05-29 09:00", body=ck1_bad_body)
    target = tmp_path / "check.xml"
    result = run(["--project", str(project.root), "check", "t", "--now", NOW, "--jobs", "1", "--format", "junit",
                  "--report-file", str(target)])
    assert result.exit_code == 1
    root = ET.fromstring(target.read_text(encoding="utf-8"))
    assert root.tag == "testsuites" and root.get("failures") == "1"
    [suite] = root
    cases = {case.attrib["name"].split()[0]: case for case in suite}
    assert "CK-1" in cases and "GK-4" in cases
    failure = cases["CK-1"].find("failure")
    assert failure is not None and "w.md:6:1" in (failure.text or "")
    assert cases["GK-4"].find("failure") is None


def test_list_rules_and_unknown_site(project):
    result = run(["--project", str(project.root), "check", "--list-rules"])
    assert result.exit_code == 0 and "LK-2.hidden" in result.output and "单项否决" in result.output
    result = run(["--project", str(project.root), "check", "nosuch", "--now", NOW])
    assert result.exit_code == 1 and "站点「nosuch」不存在" in result.output


def test_output_scanned_when_build_is_fresh_else_rendered(project):
    clean(project)
    assert project.build().exit_code == 0
    _, data = cli_json(project)
    assert data["sites"][0]["output"]["mode"] == "scanned"
    # a build made at another time shows other pages: the check renders its own
    project.page("zwdt/gzdt/later.md", "定时发布", date="2026-05-30 09:00", publish="2026-05-30 09:00")
    assert project.build(now="2026-05-29 12:00").exit_code == 0
    _, data = cli_json(project)
    assert data["sites"][0]["output"]["mode"] == "rendered"
    assert any("不一致" in note for note in data["sites"][0]["notes"])
    _, data = cli_json(project, "--source-only")
    assert data["sites"][0]["output"]["mode"] == "skipped"


def test_build_runs_error_rules_and_fails(project):
    clean(project)
    project.page("zwdt/gzdt/w.md", "工作进展", date="2026-05-29 09:00", body=ck1_bad_body)
    result = project.build()
    assert result.exit_code == 1
    assert "content/t/zwdt/gzdt/w.md:6: 错误: [CK-1] 表述错误「截止目前」" in result.output
    assert not project.out("index.html").exists()
    assert project.build("--no-check").exit_code == 0


def test_build_reports_date_rules_as_warnings(project):
    # the fixture site is stale at NOW (home page 30 days old) and has a policy without
    # interpretation: govsite check fails, govsite build only warns
    project.column("zcwj", "政策文件", type="政策文件")
    project.page("zcwj/zc.md", "关于某事项的实施意见", date="2026-05-18 09:00", type="policy", status="有效",
                 doc_kind="其他政策性文件", issuer="测试区人民政府", signed='"2026-05-15"')
    result = project.build()
    assert result.exit_code == 0, result.output
    assert "警告: [CK-3]" in result.output and "警告: [GK-4]" in result.output
    assert "[CP-1]" not in result.output  # warning-level rules do not run in a build
    result, data = cli_json(project)
    assert result.exit_code == 1
    assert {"CK-3", "GK-4", "CO-4"} <= {f["rule"] for f in data["sites"][0]["findings"] if f["severity"] == "error"}


def test_build_fails_on_bad_check_settings_with_their_line(project):
    text = (project.root / "sites/t/site.yaml").read_text(encoding="utf-8")
    project.write("sites/t/site.yaml", text + "check:\n  severity:\n    LK-9: error\n")
    result = project.build()
    assert result.exit_code == 1
    line = len(text.splitlines()) + 3
    assert f"sites/t/site.yaml:{line}: 错误: [CFG] site.yaml 的 check.severity.LK-9：未知的规则编号「LK-9」" in result.output


def _git(root, *args):
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@t"})


def test_changed_checks_only_what_differs_from_head(project):
    clean(project)
    project.page("zwdt/gzdt/old.md", "旧稿件", date="2026-05-27 09:00", body=ck1_bad_body)
    _git(project.root, "init", "-q")
    _git(project.root, "add", "-A")
    _git(project.root, "commit", "-q", "-m", "site")
    result, data = cli_json(project, "--changed")
    assert result.exit_code == 0 and data["sites"][0]["findings"] == []
    assert data["sites"][0]["notes"] == ["该站点没有改动的文件"]
    project.page("zwdt/gzdt/new.md", "新稿件", date="2026-05-29 09:00",
                 body="正文。\n\n![](x.png)\n\n见[通知](../tzgg/n1.md#nope)。")
    result, data = cli_json(project, "--changed")
    found = {(f["rule"], f["path"].rsplit("/", 1)[-1]) for f in data["sites"][0]["findings"]}
    assert found == {("AX-1", "new.md"), ("LK-1", "new.md")}, found  # old.md's CK-1 is not reported
    assert data["sites"][0]["output"]["mode"] == "partial"
    assert result.exit_code == 1


def test_pre_commit_hook_definition():
    import yaml

    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    [hook] = [h for h in hooks if h["id"] == "govsite-check"]
    assert hook["entry"].startswith("govsite check") and "--changed" in hook["entry"]
    assert hook["pass_filenames"] is False and hook["language"] == "python"
