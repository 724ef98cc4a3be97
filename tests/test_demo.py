"""The bundled demo site: it builds, it is big and varied enough, and every link works —
checked on the files and in real headless Chromium from file://."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from helpers import REPO
from htmlcheck import local_targets, parse


def test_demo_size_and_standard_columns(demo):
    sources = list((REPO / "content" / "demo").rglob("*.md"))
    assert len(sources) >= 80
    html = {p.relative_to(demo).as_posix() for p in demo.rglob("*.html")}
    names = " ".join(parse(demo / "sitemap.html").meta.values()) + (demo / "sitemap.html").read_text(encoding="utf-8")
    for column in ["政务动态", "通知公告", "政策文件", "政策解读", "信息公开指南", "信息公开目录", "信息公开年报",
                   "机构职能", "领导信息", "办事服务", "互动交流", "数据发布", "专题"]:
        assert column in names, column
    assert len(html) > 100


def test_demo_every_local_link_resolves(demo):
    broken = []
    for page in demo.rglob("*.html"):
        if page.name == "404.html":
            continue
        for href, target in local_targets(page):
            if not target.is_file():
                broken.append(f"{page.relative_to(demo)} → {href}")
    assert not broken, broken[:20]


def test_demo_meta_never_empty(demo):
    for page in demo.rglob("*.html"):
        for name, value in parse(page).meta_list:
            assert value.strip(), f"{page}: {name}"


def test_demo_navigates_in_chromium_from_file_url(demo, browser):
    outside, failed = [], []
    page = browser.new_page()
    try:
        page.on("request", lambda r: None if r.url.startswith(("file://", "data:")) else outside.append(r.url))
        # a favicon request cut short by the next navigation is "aborted", not missing
        page.on("requestfailed", lambda r: None if "ABORTED" in (r.failure or "") else failed.append(r.url))
        page.goto((demo / "index.html").as_uri())
        assert "景澜区" in page.title()
        # channel → column → article → breadcrumbs back, all by clicking links
        page.locator(".channel-nav a", has_text="政务动态").click()
        assert page.url.endswith("/zwdt/index.html")
        page.locator(".column-nav a", has_text="通知公告").first.click()
        assert page.url.endswith("/zwdt/tzgg/index.html")
        page.locator(".item-list a").first.click()
        assert re.search(r"/zwdt/tzgg/[^/]+\.html$", page.url)
        assert page.locator("h1").inner_text()
        assert page.locator('meta[name="ArticleTitle"]').get_attribute("content") == page.locator("h1").inner_text()
        page.locator(".breadcrumbs a", has_text="首页").click()
        assert page.url.endswith("/index.html")
        for link in ("站点地图", "使用帮助"):
            page.locator(".footer-links a", has_text=link).click()
            assert link in page.title()
        # every link of the home page opens a page that loads its stylesheet
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        local = sorted({h.split("#")[0] for h in hrefs if h.startswith("file://")})
        for href in local:
            response = page.goto(href)
            assert response is None or response.ok, href
            if href.endswith(".html"):
                assert page.evaluate("getComputedStyle(document.body).marginTop") == "0px", f"no stylesheet on {href}"
    finally:
        page.close()
    assert not outside, outside[:10]
    assert not failed, failed[:10]


def test_demo_search_page_finds_titles_from_file_url(demo, browser):
    page = browser.new_page()
    try:
        page.goto((demo / "index.html").as_uri())
        page.fill("#site-search", "通知")
        page.press("#site-search", "Enter")
        page.wait_for_selector("#search-results li")
        assert urlsplit(page.url).path.endswith("/search.html")
        first = page.locator("#search-results li a").first
        assert "通知" in first.inner_text()
        first.click()
        assert "通知" in page.locator("h1").inner_text()
    finally:
        page.close()
