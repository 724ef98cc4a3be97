"""Shared fixtures: a small valid site written into a temporary project, and CLI helpers.

The build time is always pinned (``NOW``) so no test changes its verdict as the calendar moves.
"""
from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from govsite.commands.cli import main

REPO = Path(__file__).resolve().parent.parent
NOW = "2026-06-01 12:00"

SITE_YAML = """\
name: 测试区人民政府
domain: www.ceshi.gov.cn
base_url: https://www.ceshi.gov.cn/
site_code: "3399020001"
sponsor: 测试区人民政府办公室
contact:
  address: 测试区人民路1号
  phone: 0000-12345678
  email: ceshi@ceshi.gov.cn
  postcode: "000000"
icp: 津ICP备00000000号
psb: 津公网安备12019900000002号
conac: https://bszs.conac.cn/sitename?method=show&id=0
keywords: [测试区, 政务]
channels: [zwdt, xxgk]
"""


def page(title, date="2026-05-01 09:00", body="正文内容。", **fields):
    lines = [f"title: {title}", f"date: {date}"] + [f"{k}: {v}" for k, v in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body + "\n"


class Project:
    """A temporary govsite project: ``write`` files into it, ``build`` it through the CLI."""

    def __init__(self, root: Path):
        self.root = root
        self.content = root / "content" / "t"

    def write(self, rel: str, text: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text) if text.startswith("\n") else text, encoding="utf-8")
        return path

    def column(self, rel: str, name: str, **fields) -> Path:
        body = f"name: {name}\n" + "".join(f"{k}: {v}\n" for k, v in fields.items())
        return self.write(f"content/t/{rel}/_column.yaml", body)

    def configure(self, extra: str = "", replace: dict | None = None) -> None:
        """Change sites/t/site.yaml: replace text in it, then append ``extra`` YAML."""
        path = self.root / "sites/t/site.yaml"
        text = path.read_text(encoding="utf-8")
        for old, new in (replace or {}).items():
            assert old in text, old
            text = text.replace(old, new)
        path.write_text(text + extra, encoding="utf-8")

    def page(self, rel: str, title: str, **kw) -> Path:
        return self.write(f"content/t/{rel}", page(title, **kw))

    def build(self, *args, now=NOW):
        return run(["--project", str(self.root), "build", "t", "--now", now, "--jobs", "1", *args])

    def out(self, rel: str = "") -> Path:
        return self.root / "build" / "t" / rel

    def html(self, rel: str) -> str:
        return self.out(rel).read_text(encoding="utf-8")


def age(root: Path, seconds: int = 60) -> None:
    """Make every file under ``root`` look ``seconds`` old: a file saved within the file system's
    mtime resolution of a build is never trusted to be unchanged."""
    for path in root.rglob("*"):
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - seconds * 10**9))


def run(args):
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    return result


@pytest.fixture
def project(tmp_path) -> Project:
    """A valid site 't': two channels, three columns, a few pages."""
    p = Project(tmp_path)
    p.write("sites/t/site.yaml", SITE_YAML)
    p.column("zwdt", "政务动态", type="政务动态", keywords="[政务动态]", order=1)
    p.column("zwdt/gzdt", "工作动态", type="政务动态", keywords="[工作, 动态]", order=1)
    p.column("zwdt/tzgg", "通知公告", type="通知公告", order=2)
    p.column("xxgk", "信息公开", type="信息公开目录", order=2)
    p.page("zwdt/gzdt/a.md", "第一篇工作动态", date="2026-05-01 09:00", keywords="[营商环境]")
    p.page("zwdt/gzdt/b.md", "第二篇工作动态", date="2026-05-02 09:00", keywords="[营商环境]")
    p.page("zwdt/tzgg/n1.md", "关于开展检查的通知", date="2026-04-01 10:00", source="区应急管理局")
    p.page("xxgk/guide.md", "信息公开指南", date="2026-01-01 09:00")
    return p


DEMO_NOW = "2026-11-24 10:00"


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> Path:
    """The bundled demo site, built once per test session at a pinned time."""
    from govsite.pipeline.build import build_site

    out = tmp_path_factory.mktemp("demo")
    result = build_site(REPO, "demo", out, now=DEMO_NOW, jobs=2)
    assert not result.report.errors
    return out / "demo"


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session (Debian's, through Playwright)."""
    from playwright.sync_api import sync_playwright

    from browser import launch

    with sync_playwright() as p:
        chromium = launch(p)
        yield chromium
        chromium.close()
