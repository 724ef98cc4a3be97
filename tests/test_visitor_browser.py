"""What a visitor sees, tested as a visitor sees it (issue #23, item 6; SPEC AX, LY).

Every page type of the demo (browser.page_types: the named ones and one page of every other
structure the demo has) is loaded in Chromium and checked the way a person meets it:

- nothing moves after the first paint (CLS ≤ 0.05 at 375 px, in every reading mode, on a slow
  network where scripts and images arrive late);
- every visible text, header and footer included, has the contrast WCAG 2.1 AA asks of it against
  what is really behind it (4.5:1, 3:1 for large text), at 1280 and 375 px, in every mode;
- a second engine, HTML_CodeSniffer (WCAG2AA), finds no error.

Each check is first shown to catch the fault it is about (the *_sees_* tests), so a check that
cannot fail is noticed.
"""
from __future__ import annotations

import re

import pytest
import yaml

from browser import (
    CLS_OBSERVER,
    MODES,
    NotFoundServer,
    htmlcs_errors,
    layout_shift,
    low_contrast,
    new_page,
    page_types,
    page_url,
    text_contrast,
)
from helpers import REPO

pytestmark = pytest.mark.browser

CLS_LIMIT = 0.05
# a slow network for the layout-shift check: scripts, data and pictures arrive after the first paint
LATE = (".js", ".json", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg")


@pytest.fixture(scope="module")
def server(demo):
    srv = NotFoundServer(demo)
    yield srv
    srv.httpd.shutdown()


@pytest.fixture(scope="module")
def slow_server(demo):
    srv = NotFoundServer(demo, slow=LATE, delay=0.3)
    yield srv
    srv.httpd.shutdown()


@pytest.fixture(scope="module")
def kinds(demo):
    return page_types(demo)


def test_page_types_cover_every_structure_of_the_demo(demo, kinds):
    """The named page types, and every other page structure found in the demo, are checked."""
    assert {"home", "article", "policy", "search", "404", "leaving notice"} <= set(kinds)
    assert all((demo / rel.partition("?")[0]).is_file() for rel in kinds.values())
    assert len(kinds) >= 35, sorted(kinds)


# ---- layout shift -----------------------------------------------------------------------------------

@pytest.mark.parametrize("mode", list(MODES))
def test_nothing_moves_after_the_first_paint_at_375px(browser, slow_server, kinds, mode):
    """CLS ≤ 0.05 on every page type on a phone, with the reading tools' settings stored: they are
    applied before the first paint, and nothing a script or a late image adds pushes the page."""
    moved = {}
    context, page = new_page(browser, slow_server, 375, MODES[mode], height=800, init_script=CLS_OBSERVER)
    for kind, rel in kinds.items():
        page.goto(page_url(slow_server, rel))
        page.wait_for_load_state("networkidle")
        score, shifts = layout_shift(page)
        if score > CLS_LIMIT:
            moved[kind] = (round(score, 3), shifts[:3])
        if MODES[mode]:
            attr = "data-font" if "govsite-font" in MODES[mode] else "data-contrast"
            assert page.evaluate(f"document.documentElement.getAttribute('{attr}')"), f"{mode} not applied on {kind}"
    context.close()
    assert not moved, moved


def test_layout_shift_check_sees_content_pushed_down(browser, slow_server):
    """Guards the check above: a block inserted above the text after load is measured."""
    context, page = new_page(browser, slow_server, 375, height=800, init_script=CLS_OBSERVER)
    page.goto(page_url(slow_server, "zwdt/gzdt/yshj-tjh.html"))
    page.wait_for_load_state("networkidle")
    assert layout_shift(page)[0] == 0
    page.evaluate("""() => { const d = document.createElement('div'); d.style.height = '200px';
                              document.querySelector('main').prepend(d); }""")
    page.wait_for_timeout(300)
    assert layout_shift(page)[0] > CLS_LIMIT
    context.close()


def test_preferences_are_in_place_before_the_page_is_parsed(browser, server):
    """超大 and 高对比度 are set on <html> before <body> exists (by a script in <head>, no inline
    script), so the first paint is already in the visitor's size and colours."""
    seen = "window.__early = []; new MutationObserver((m, o) => { if (document.body) { window.__early.push(" \
           "[document.documentElement.getAttribute('data-font'), document.documentElement.getAttribute(" \
           "'data-contrast'), document.documentElement.classList.contains('js')]); o.disconnect(); } })" \
           ".observe(document, {childList: true, subtree: true});"
    context, page = new_page(browser, server, 375, {"govsite-font": "xlarge", "govsite-contrast": "high"},
                             init_script=seen)
    page.goto(page_url(server, "zwdt/gzdt/yshj-tjh.html"))
    assert page.evaluate("window.__early")[0] == ["xlarge", "high", True]
    # the tools and the phone menu button are in the page from the start, not inserted or un-hidden later
    html = page.content()
    assert 'class="reading-tools js-only"' in html and 'class="nav-toggle js-only"' in html
    context.close()


# ---- contrast of every visible text -------------------------------------------------------------------

def on_every_page(browser, server, kinds, check, width, mode=None) -> dict:
    """``check(page)``'s first findings on every page type (those with any), at ``width`` in ``mode``."""
    found = {}
    context, page = new_page(browser, server, width, mode)
    for kind, rel in kinds.items():
        page.goto(page_url(server, rel))
        page.wait_for_load_state("load")
        if kind == "search":
            page.wait_for_selector(".search-results .result")
        problems = check(page)
        if problems:
            found[kind] = problems[:5]
    context.close()
    return found


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("width", [1280, 375])
def test_every_visible_text_has_enough_contrast(browser, server, kinds, width, mode):
    """Every element with visible text — header, navigation, footer and content — against the colour
    really behind it (its own and its ancestors' backgrounds and opacity, or the pixels of a picture):
    ≥ 4.5:1, ≥ 3:1 for large text (24px, or 18.66px bold)."""
    failures = on_every_page(browser, server, kinds, low_contrast, width, MODES[mode])
    assert not failures, failures


def test_contrast_check_sees_invisible_and_faint_text(browser, server):
    """Guards the check above: the header link of the same colour as the header (the old 「English」),
    grey on white, white on a light picture fail; white on a dark picture and the page itself pass."""
    context, page = new_page(browser, server, 1280)
    page.goto(page_url(server, "index.html"))
    assert low_contrast(page) == []
    page.evaluate("""() => {
        const a = document.createElement('a'); a.href = '#'; a.textContent = '隐形链接'; a.style.color = '#0b4ea2';
        document.querySelector('.tools-row').prepend(a);
        const p = document.createElement('p'); p.textContent = '浅灰文字'; p.style.color = '#aaa';
        const light = document.createElement('p'); light.textContent = '浅色图上的白字';
        light.style.cssText = 'color:#fff;padding:1rem;background:linear-gradient(#f4f4f4,#ddd)';
        const dark = document.createElement('p'); dark.textContent = '深色图上的白字';
        dark.style.cssText = 'color:#fff;padding:1rem;background:linear-gradient(#102040,#203060)';
        document.querySelector('main').prepend(p, light, dark);
    }""")
    found = "\n".join(low_contrast(page))
    assert "「隐形链接」 (11, 78, 162) on (11, 78, 162): 1:1 < 4.5:1" in found, found
    assert "浅灰文字" in found and "浅色图上的白字" in found
    assert "深色图上的白字" not in found
    context.close()


def test_header_links_are_readable_in_every_mode(browser, server):
    """「English」 and 「繁體」 sit on the header colour: they use the header's text colour."""
    for storage in MODES.values():
        context, page = new_page(browser, server, 1280, storage)
        page.goto(page_url(server, "index.html"))
        colours = page.evaluate("""() => Array.from(document.querySelectorAll('.language-switch, .variant-switch'))
            .map(a => [a.textContent, getComputedStyle(a).color, getComputedStyle(document.querySelector('.site-header')).color])""")
        assert {c[0] for c in colours} >= {"English", "繁體"}, colours
        assert all(link == header for _, link, header in colours), colours
        context.close()


def test_theme_contrast_pairs_cover_what_is_rendered(browser, server, demo, kinds):
    """Every text/background combination of two theme colours that a page really shows is declared in
    theme.yaml ``pairs``: the build checks those pairs with each site's own colours (a site choosing a
    pale main colour is told at build time, not by a visitor)."""
    roles: dict[tuple[int, ...], set[str]] = {}
    for name, value in re.findall(r"--([\w-]+):\s*#([0-9a-fA-F]{6})", (demo / "static/css/colors.css").read_text()):
        roles.setdefault(tuple(int(value[i:i + 2], 16) for i in (0, 2, 4)), set()).add(name)
    declared = {(text, background) for text, background, _ in yaml.safe_load(
        (REPO / "themes/default/theme.yaml").read_text(encoding="utf-8"))["pairs"]}
    missing: dict[tuple[str, str], str] = {}
    context, page = new_page(browser, server, 1280)
    for kind, rel in kinds.items():
        page.goto(page_url(server, rel))
        page.wait_for_load_state("load")
        for item in text_contrast(page):
            if "bg" not in item:
                continue
            fg = roles.get(tuple(round(v) for v in item["fg"][:3]), set())
            bg = roles.get(tuple(round(v) for v in item["bg"][:3]), set())
            if fg and bg and not any((f, b) in declared for f in fg for b in bg):
                missing.setdefault((min(fg), min(bg)), f"{kind}: {item['element']} 「{item['text']}」")
    context.close()
    assert not missing, missing


# ---- HTML_CodeSniffer ----------------------------------------------------------------------------------

def test_html_codesniffer_finds_no_wcag2aa_error_on_any_page_type(browser, server, kinds):
    """A second engine beside axe-core: HTML_CodeSniffer's WCAG2AA errors (notices and warnings ask
    for a person's judgement and are not counted)."""
    errors = on_every_page(browser, server, kinds, htmlcs_errors, 1280)
    assert not errors, errors


def test_html_codesniffer_sees_a_data_cell_with_two_row_headers(browser, server):
    """Guards the check above with the fault the 文件信息 tables had: two key/value pairs in one row."""
    context, page = new_page(browser, server, 1280)
    page.goto(page_url(server, "index.html"))
    assert htmlcs_errors(page) == []
    page.evaluate("""() => document.querySelector('main').insertAdjacentHTML('afterbegin',
        '<table><caption>文件信息</caption><tr><th scope="row">索引号</th><td>1</td><th scope="row">文号</th><td>2</td></tr>' +
        '<tr><th scope="row">发布日期</th><td>3</td><th scope="row">效力状态</th><td>4</td></tr></table>')""")
    assert any("H43" in code for code, _, _ in htmlcs_errors(page))
    context.close()


def test_key_value_tables_give_each_value_one_header(browser, server, kinds):
    """文件信息 and the other key/value tables: each data cell has exactly one header cell (its row's)."""
    context, page = new_page(browser, server, 1280)
    counted = 0
    for kind in ("policy", "interpretation", "reply", "consultation", "data set", "traditional version"):
        page.goto(page_url(server, kinds[kind]))
        rows = page.evaluate("""() => Array.from(document.querySelectorAll('table.meta-table tr')).map(tr =>
            [tr.querySelectorAll('th').length, tr.querySelectorAll('td').length])""")
        assert rows and all(r == [1, 1] for r in rows), (kind, rows)
        counted += len(rows)
    assert counted >= 30
    context.close()
