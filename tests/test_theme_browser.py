"""The default theme in real headless Chromium (issue: default theme; SPEC LY, CP, AR, AX, LK-2).

Every page type of the demo is checked with axe-core (WCAG 2.0/2.1 A and AA) at desktop and
phone widths, in the large-font and high-contrast modes; keyboard use, the reading tools,
pages without JavaScript, narrow screens, file:// requests and page weight are checked too.
"""
from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from browser import MODES, PAGE_TYPES, NotFoundServer, axe_failures, new_page, page_types, page_url
from helpers import DEMO_NOW, REPO
from htmlcheck import parse

pytestmark = pytest.mark.browser   # the whole module is about the theme in Chromium



@pytest.fixture(scope="module")
def server(demo):
    srv = NotFoundServer(demo)
    yield srv
    srv.httpd.shutdown()


def url_of(demo: Path, rel: str | None, server=None) -> str:
    if rel == "404.html":
        assert server is not None, "the 404 page is checked as a server shows it"
        return server.base + "no/such/page.html"
    if rel is None:
        rel = "leave/" + sorted(p.name for p in (demo / "leave").glob("*.html"))[0]
    path, _, query = rel.partition("?")
    assert (demo / path).is_file(), rel
    return (demo / path).as_uri() + (f"?{query}" if query else "")


def open_page(browser, demo, rel, width=1280, storage=None, javascript=True, server=None):
    """A fresh browser context at ``width`` with reading-tool settings stored (file:// and the
    local server are separate origins, so both get them), showing ``rel``."""
    context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=javascript)
    page = context.new_page()
    if storage:
        for start in [url_of(demo, "index.html")] + ([server.base + "index.html"] if server else []):
            page.goto(start)
            for key, value in storage.items():
                page.evaluate("([k, v]) => localStorage.setItem(k, v)", [key, value])
    page.goto(url_of(demo, rel, server))
    return context, page


def visit(page, demo, rel, server=None):
    page.goto(url_of(demo, rel, server))


def axe_violations(page):
    """axe-core's violations and its undecided colour-contrast results (browser.axe_failures)."""
    return axe_failures(page)


@pytest.fixture(scope="module")
def kinds(demo):
    """The named page types and one page of every other structure in the demo (browser.page_types)."""
    return page_types(demo)


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("width", [1280, 375])
def test_axe_no_violations_on_every_page_type(browser, demo, server, kinds, width, mode):
    """axe-core, WCAG 2.0/2.1 A and AA: no violation, and no colour contrast it could not decide."""
    failures = {}
    context, page = open_page(browser, demo, "index.html", width, MODES[mode], server=server)
    for kind, rel in kinds.items():
        visit(page, demo, rel, server)
        if MODES[mode]:
            attr = "data-font" if "govsite-font" in MODES[mode] else "data-contrast"
            assert page.evaluate(f"document.documentElement.getAttribute('{attr}')"), f"{mode} not applied on {kind}"
        found = axe_violations(page)
        if found:
            failures[kind] = found
    context.close()
    assert not failures, failures


def test_keyboard_reaches_skip_link_search_navigation_and_content_with_visible_focus(browser, demo):
    context, page = open_page(browser, demo, "zwdt/gzdt/yshj-tjh.html")
    seen = []
    for _ in range(40):
        page.keyboard.press("Tab")
        info = page.evaluate("""() => {
            const el = document.activeElement, cs = getComputedStyle(el);
            const r = el.getBoundingClientRect();
            return {cls: el.className, tag: el.tagName, id: el.id, text: (el.innerText || el.value || '').trim().slice(0, 20),
                    inNav: !!el.closest('.channel-nav'), inMain: !!el.closest('main'),
                    outline: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2,
                    visible: r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0};
        }""")
        assert info["outline"] and info["visible"], f"focus not visible on {info}"
        seen.append(info)
        if info["inMain"]:
            break
    assert "skip-link" in seen[0]["cls"]
    order = [next(i for i, s in enumerate(seen) if cond(s)) for cond in (
        lambda s: s["id"] == "site-search", lambda s: s["inNav"], lambda s: s["inMain"])]
    assert order == sorted(order), seen
    # the skip link moves focus into the main content
    page.goto(url_of(demo, "zwdt/gzdt/yshj-tjh.html"))
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    context.close()


def test_reading_tools_persist_across_pages_and_work_by_keyboard(browser, demo):
    context, page = open_page(browser, demo, "index.html")
    page.focus("button[data-font=large]")
    page.keyboard.press("Enter")
    assert page.get_attribute("button[data-font=large]", "aria-pressed") == "true"
    page.focus("button[data-contrast]")
    page.keyboard.press("Space")
    page.goto(url_of(demo, "zwdt/gzdt/yshj-tjh.html"))
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "20px"
    assert page.evaluate("document.documentElement.dataset.contrast") == "high"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    assert page.get_attribute("button[data-contrast]", "aria-pressed") == "true"
    page.click("button[data-font=normal]")
    page.click("button[data-contrast]")
    page.reload()
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "16px"
    assert page.evaluate("document.documentElement.dataset.contrast") is None
    context.close()


@pytest.mark.parametrize("width", [320, 375, 768, 1280, 1920])
def test_no_horizontal_scrolling(browser, demo, server, kinds, width):
    for storage in ({}, {"govsite-font": "xlarge"}):
        context, page = open_page(browser, demo, "index.html", width, storage, server=server)
        for kind, rel in kinds.items():
            visit(page, demo, rel, server)
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{kind} at {width}px {storage}: {overflow}px horizontal scroll"
        context.close()


def test_phone_navigation_collapses_and_opens_by_keyboard(browser, demo):
    context, page = open_page(browser, demo, "index.html", width=375)
    assert not page.is_visible(".channel-nav")
    page.focus(".nav-toggle")
    page.keyboard.press("Enter")
    assert page.get_attribute(".nav-toggle", "aria-expanded") == "true"
    assert page.is_visible(".channel-nav a >> text=政策文件")
    context.close()


def test_everything_readable_and_navigable_without_javascript(browser, demo, server, kinds):
    for width in (1280, 375):
        context, page = open_page(browser, demo, "index.html", width, javascript=False, server=server)
        for kind, rel in kinds.items():
            visit(page, demo, rel, server)
            assert page.is_visible(".channel-nav"), kind   # navigation stays open
            assert not page.is_visible(".reading-tools"), kind  # tools that need a script stay hidden
            assert page.is_visible("h1") or kind == "home", kind
        context.close()
    context, page = open_page(browser, demo, "search.html", javascript=False)
    assert page.is_visible("noscript >> text=站点地图") or "站点地图" in page.inner_text("main")
    context.close()


def test_outbound_link_goes_through_leaving_notice(browser, demo):
    context, page = open_page(browser, demo, "zwdt/gzdt/yshj-tjh.html", javascript=False)
    link = page.locator("main a", has_text="景澜日报")
    assert link.is_visible()
    link.click()
    assert "/leave/" in page.url
    assert "您即将离开本网站" in page.inner_text("h1")
    assert page.get_attribute(".leave-actions a >> nth=0", "href") == "https://www.jinglandaily.example.com/2026/0319/01.html"
    context.close()


def test_archived_and_policy_status_shown_prominently(browser, demo):
    context, page = open_page(browser, demo, "zwdt/gzdt/2023-05-16-cwdy.html")
    banner = page.locator(".archive-banner")
    assert banner.is_visible() and "已归档" in banner.inner_text() and re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", banner.inner_text())
    page.goto(url_of(demo, "zcwj/qzfwj/2023-04-12-xxgk-zxgd.html"))
    assert "已废止" in page.inner_text(".status-banner")
    context.close()


def test_file_url_every_page_type_without_outside_requests(browser, demo, server, kinds):
    outside, failed = [], []
    context = browser.new_context()
    page = context.new_page()
    local = ("file://", "data:", server.base)
    page.on("request", lambda r: None if r.url.startswith(local) else outside.append(r.url))
    # Chromium never loads a caption track (.vtt) from file:// ("file: URLs are treated as unique security
    # origins"): captions need the site served over HTTP, where test_media checks them; nothing else may fail
    def on_failed(r):
        file_track = r.url.startswith("file:") and r.url.endswith(".vtt") and r.failure == "origin"
        if "ABORTED" not in (r.failure or "") and not file_track:
            failed.append(r.url)
    page.on("requestfailed", on_failed)
    for kind, rel in kinds.items():
        page.goto(url_of(demo, rel, server))
        page.wait_for_load_state("load")
        assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor") != "rgba(0, 0, 0, 0)", kind
    context.close()
    assert not outside and not failed, (outside, failed)


def test_article_page_weight_budget(demo):
    """HTML + CSS + JS of an article page ≤ 60 KB (images excluded); scripts never block rendering, but for
    the one that applies the reading preferences before the first paint (prefs.js, under 1 KB)."""
    article = demo / PAGE_TYPES["article"]
    html = article.read_text(encoding="utf-8")
    parts = [article]
    for _, value in parse(article).links:
        if value.endswith((".css", ".js")):
            parts.append((article.parent / value).resolve())
    raw = sum(p.stat().st_size for p in parts)
    zipped = sum(len(gzip.compress(p.read_bytes(), 9)) for p in parts)
    print(f"article page: {raw / 1024:.1f} KB raw, {zipped / 1024:.1f} KB gzip, {len(parts)} files")
    assert raw <= 60 * 1024
    head = html.split("</head>")[0]
    blocking = [tag for tag in re.findall(r"<script\b[^>]*>", head)
                if " defer" not in tag and " async" not in tag and 'type="application/json"' not in tag]
    assert [re.sub(r'.*src="[^"]*/([^/"]+)".*', r"\1", tag) for tag in blocking] == ["prefs.js"], blocking
    assert (demo / "static/js/prefs.js").stat().st_size < 1024
    assert "<iframe" not in html


def test_screenshots_for_review(browser, demo, server):
    """The home page and an article at both widths, in the default look, 超大 and 高对比度, for a person to
    look at (scripts/screenshots.py takes every page type)."""
    target = REPO / "build" / "screenshots"
    target.mkdir(parents=True, exist_ok=True)
    for name, rel in (("home", "index.html"), ("article", "zwdt/gzdt/yshj-tjh.html")):
        for mode, suffix in (("default", ""), ("large font", "-large"), ("high contrast", "-contrast")):
            for width in (1280, 375):
                context, page = new_page(browser, server, width, MODES[mode])
                page.goto(page_url(server, rel))
                page.wait_for_load_state("networkidle")
                path = target / f"{name}-{width}{suffix}.png"
                page.screenshot(path=str(path), full_page=True)
                assert path.stat().st_size > 10_000
                context.close()


def test_axe_harness_reports_a_real_violation(browser, demo):
    """Guards the checks above: the same harness must see a contrast failure and a missing label."""
    context, page = open_page(browser, demo, "index.html")
    page.evaluate("""() => {
        const p = document.createElement('p'); p.textContent = '浅灰文字'; p.style.color = '#ddd';
        const i = document.createElement('input');
        document.querySelector('main').append(p, i);
    }""")
    ids = {v[0] for v in axe_violations(page)}
    assert {"color-contrast", "label"} <= ids
    context.close()


CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; frame-src 'none'; base-uri 'self'; form-action 'self'; "
       "frame-ancestors 'self'")


def test_theme_satisfies_strict_content_security_policy(browser, demo, kinds):
    """The CSP of docs/security.md (no 'unsafe-inline') holds on every page type, tools in use."""
    server = NotFoundServer(demo, {"Content-Security-Policy": CSP})
    context = browser.new_context()
    context.add_init_script("window.__csp = []; document.addEventListener('securitypolicyviolation',"
                            " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")
    page = context.new_page()
    console, seen = [], None
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    violations = {}
    try:
        for kind, rel in kinds.items():
            local = url_of(demo, rel, server)
            page.goto(server.base + local[len(demo.as_uri()) + 1:] if local.startswith("file:") else local)
            assert page.url.startswith(server.base)
            page.wait_for_load_state("load")
            if kind == "article":
                page.click("button[data-font=large]")
                page.click("button[data-contrast]")
                page.click("#site-search")
                page.keyboard.type("shebao")
                page.wait_for_selector("#search-suggestions option", state="attached")
            if kind == "search":
                page.wait_for_selector(".search-results .result")
            found = page.evaluate("window.__csp")
            if found:
                violations[kind] = found
        seen = list(console)
        # the listener does see a violation: a third-party image is blocked and reported
        page.evaluate("() => { const i = new Image(); i.src = 'https://example.com/x.png'; document.body.append(i); }")
        for _ in range(50):  # (wait_for_function evaluates strings, which this very CSP forbids)
            if page.evaluate("window.__csp.length"):
                break
            page.wait_for_timeout(100)
        assert page.evaluate("window.__csp") == ["img-src https://example.com/x.png"]
    finally:
        context.close()
        server.httpd.shutdown()
    assert not violations and not seen, (violations, seen)


@pytest.mark.parametrize("width", [1280, 375])
def test_annual_report_page_is_accessible_and_fits(browser, tmp_path, width):

    from govsite.commands.report import annual_report

    out = annual_report(REPO, "demo", "2026", tmp_path / "report", DEMO_NOW).out
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto((out / "index.html").as_uri())
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()
