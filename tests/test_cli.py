"""The command line: version, help with examples, and the scaffolds that must build at once."""
from __future__ import annotations

import importlib.metadata
import subprocess
import sys

from helpers import NOW, REPO, run


def test_version():
    """--version prints the version pip installed (pyproject.toml reads it from govsite.__version__)."""
    result = run(["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"govsite, version {importlib.metadata.version('govsite')}"


def test_every_command_has_help_with_example():
    for args in (["--help"], ["build", "--help"], ["serve", "--help"], ["new", "--help"], ["new", "site", "--help"], ["new", "page", "--help"]):
        result = run(args)
        assert result.exit_code == 0
        assert "Example" in result.output, args


def test_new_site_builds_at_once(tmp_path):
    result = run(["--project", str(tmp_path), "new", "site", "jiedao"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "sites/jiedao/site.yaml").is_file()
    result = run(["--project", str(tmp_path), "build", "jiedao", "--now", NOW, "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "build/jiedao/index.html").is_file()


def test_new_site_refuses_existing_and_bad_names(tmp_path):
    assert run(["--project", str(tmp_path), "new", "site", "a"]).exit_code == 0
    assert run(["--project", str(tmp_path), "new", "site", "a"]).exit_code != 0
    assert run(["--project", str(tmp_path), "new", "site", "../x"]).exit_code != 0


def test_new_page_has_front_matter_and_builds(project):
    result = run(["--project", str(project.root), "new", "page", "zwdt/gzdt", "区政府召开常务会议：部署重点工作",
                  "--now", "2026-05-20 15:30"])
    assert result.exit_code == 0, result.output
    created = sorted((project.content / "zwdt/gzdt").glob("2026-05-20-*.md"))
    assert len(created) == 1
    text = created[0].read_text(encoding="utf-8")
    assert "date: 2026-05-20 15:30" in text and "区政府召开常务会议" in text
    for key in ("source:", "keywords:", "description:", "# top:", "# draft:", "# publish:", "# archived:"):
        assert key in text
    build = project.build()
    assert build.exit_code == 0, build.output
    html = project.out(f"zwdt/gzdt/{created[0].stem}.html").read_text(encoding="utf-8")
    assert "区政府召开常务会议：部署重点工作" in html


def test_new_page_needs_existing_column(project):
    result = run(["--project", str(project.root), "new", "page", "nosuch", "标题"])
    assert result.exit_code != 0 and "not a column" in result.output


def test_thin_entry_runs_without_install(tmp_path):
    result = subprocess.run([sys.executable, str(REPO / "cli.py"), "--version"], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0 and "govsite" in result.stdout


def test_command_exit_codes_and_output_survive_the_fast_exit(project):
    """``entry`` ends the process with os._exit: the exit code and everything printed still arrive."""
    cmd = [sys.executable, str(REPO / "cli.py"), "--project", str(project.root), "build", "t", "--now", "2026-06-01 10:00"]
    ok = subprocess.run(cmd, capture_output=True, text=True)
    assert ok.returncode == 0 and "t: " in ok.stdout and "rendered" in ok.stdout
    assert project.out("index.html").is_file()
    missing = subprocess.run(cmd[:-3] + ["nosuch"], capture_output=True, text=True)
    assert missing.returncode == 1 and "站点「nosuch」不存在" in missing.stderr
    usage = subprocess.run(cmd[:4] + ["build", "--jobs", "0"], capture_output=True, text=True)
    assert usage.returncode == 2 and "--jobs" in usage.stderr
