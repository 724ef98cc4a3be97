"""Helpers for the tests of ``govsite check``: a project that passes every rule, and shortcuts to
run the checker on it at the pinned time."""
from __future__ import annotations

import json
import shutil

from govsite.commands.check import check_site

from helpers import NOW, Project, run

REPLY_BODY = "## 来信内容\n\n路灯不亮。\n\n## 答复内容\n\n已修复。"


def clean(project):
    """Make the ``project`` fixture pass every rule at ``NOW`` (2026-06-01 12:00)."""
    project.column("zwdt", "政务动态", type="政务动态", keywords="[政务动态]", order=1, source="区政府办公室")
    project.column("xxgk", "信息公开", type="信息公开目录", order=2, source="区政府办公室")
    project.page("zwdt/gzdt/fresh.md", "区政府召开专题会议", date="2026-05-28 09:00", source="区政府办公室")
    project.column("hdjl", "互动交流", type="互动交流", order=3, source="区政府办公室")
    project.page("hdjl/r1.md", "关于路灯维修的答复", date="2026-05-21 10:00", type="reply", kind="咨询",
                 status="已答复", received='"2026-05-06"', replied='"2026-05-20"', replying_dept="区城管委",
                 body=REPLY_BODY)
    # the fixture is a deliberately tiny site: the structure a real site must have (标准栏目, 指南、
    # 目录、年报, services) is checked on fixtures of its own (tests/test_presence.py)
    path = project.root / "sites/t/site.yaml"
    path.write_text(PRESENCE_OFF + path.read_text(encoding="utf-8"), encoding="utf-8")
    return project


PRESENCE_OFF = "check:\n  severity: {CO-6: off, GK-1.present: off, GK-1.annual: off, CK-6: off}\n"


def check(project, now=NOW, **kw):
    """``check_site`` on site 't'; returns the SiteResult."""
    kw.setdefault("jobs", 1)
    return check_site(project.root, "t", now, **kw)


def rules(result) -> set:
    return {f.rule for f in result.findings}


def found(result, rule_id):
    return [f for f in result.findings if f.rule == rule_id]


def cli_json(project, *args, now=NOW):
    result = run(["--project", str(project.root), "check", "t", "--now", now, "--format", "json", "--jobs", "1", *args])
    return result, json.loads(result.stdout)


def copy_project(project, name: str):
    """An independent copy of ``project`` beside it (for a second variant in one test)."""
    target = project.root.parent / f"{project.root.name}-{name}"
    shutil.copytree(project.root, target)
    return Project(target)


ck1_bad_body = "截止目前，全区已完成改造。"
