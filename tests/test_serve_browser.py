"""govsite serve in real headless Chromium: the page reloads itself after an edit, shows build
errors over the last good page, and keeps working across a server restart — all under the same
Content-Security-Policy as production (no inline script or style)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from serving import A_PAGE, Served

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser")]


@pytest.fixture
def tab(browser):
    context = browser.new_context()
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" and "Content Security" in m.text else None)
    yield page
    context.close()
    assert not problems, problems


def test_page_reloads_itself_shows_errors_and_survives_a_restart(tab, project):
    server = Served(project)
    try:
        tab.goto(server.url + A_PAGE.lstrip("/"))
        assert tab.text_content("h1") == "第一篇工作动态"
        # no wait for the event stream: a page that connects late still sees a newer build id
        project.page("zwdt/gzdt/a.md", "浏览器里自动刷新", keywords="[营商环境]")
        expect(tab.locator("h1")).to_have_text("浏览器里自动刷新", timeout=30_000)

        project.write("content/t/zwdt/gzdt/_column.yaml", "name: 工作动态\nkeywords: [工作, 动态\n")
        overlay = tab.locator("#govsite-overlay")
        overlay.wait_for(state="visible", timeout=30_000)
        assert "_column.yaml:" in overlay.text_content() and "提示：" in overlay.text_content()
        assert tab.text_content("h1") == "浏览器里自动刷新"          # the last good page underneath
        tab.click("[data-govsite-close]")
        overlay.wait_for(state="hidden")

        project.column("zwdt/gzdt", "工作动态", type="政务动态", keywords="[工作, 动态]", order=1)
        expect(tab.locator("#govsite-overlay")).to_have_count(0, timeout=30_000)
        # the reloaded page has run its scripts (reload.js is deferred): stopping the server while
        # the page still fetches them would leave a page that never listens, which no editor does
        tab.wait_for_load_state("load")

        port = server.port
        server.stop()
        project.page("zwdt/gzdt/a.md", "重启之后的标题", keywords="[营商环境]")
        server = Served(project, "--port", str(port))
        expect(tab.locator("h1")).to_have_text("重启之后的标题", timeout=30_000)
    finally:
        server.stop()
