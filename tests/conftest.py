"""Shared fixtures: a small valid site written into a temporary project, the demo built once,
and one headless Chromium. Plain helpers (paths, pinned times, ``Project``, ``run``) live in
helpers.py; test modules import those, never each other or this file.

Tests that need what only scripts/test.sh installs (Chromium through Playwright, nginx) are
marked ``browser`` here, by the fixtures they ask for, so the fast run
``python3 -m pytest -m "not browser and not slow" -n 2`` leaves them out (docs/testing.md).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from govsite.pipeline.build import BuildOptions, build_site

from helpers import DEMO_NOW, REPO, SITE_YAML, Project

# fixtures that need Chromium or nginx: a test asking for one is a browser test
BROWSER_FIXTURES = {"browser", "nginx"}


def pytest_collection_modifyitems(items):
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


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


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> Path:
    """The bundled demo site, built once per test session at a pinned time."""
    out = tmp_path_factory.mktemp("demo")
    result = build_site(REPO, "demo", out, BuildOptions(now=DEMO_NOW, jobs=2))
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
