"""Search in real headless Chromium, over HTTP and from file:// (issue: site search for Chinese).

Each case is what a visitor types: a Chinese word, a document number, pinyin in full and as
initials, traditional characters, a typo in pinyin, a plain-language phrase, a service, a query
with no result, and a filter.
"""
from __future__ import annotations

from urllib.parse import quote

import pytest

from browser import NotFoundServer

pytestmark = pytest.mark.browser   # the whole module drives Chromium


@pytest.fixture(scope="module")
def http_base(demo):
    server = NotFoundServer(demo)
    yield server.base
    server.httpd.shutdown()


@pytest.fixture(params=["http", "file"])
def search(request, browser, demo, http_base):
    base = http_base if request.param == "http" else demo.as_uri() + "/"
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    def run(query, extra=""):
        page.goto(f"{base}search.html?q={quote(query)}{extra}")
        if query:
            settled(page)
        return page

    yield run
    context.close()
    assert not errors, errors


def settled(page):
    """Wait until the search page has answered (its status no longer asks for a query)."""
    page.wait_for_function("!document.getElementById('search-status').textContent.startsWith('请在')")


def titles(page):
    return page.locator(".search-results .result-title a").all_inner_texts()


def test_chinese_word_ranks_title_matches_first(search):
    page = search("营商环境")
    found = titles(page)
    assert len(found) >= 5 and "营商环境" in found[0]
    assert page.locator(".search-results mark", has_text="营商环境").count() > 0


def test_one_character_query_finds_and_marks_pages(search):
    """税 and 房 are not refused: the pages with the character are found, best first, marked."""
    page = search("房")
    assert page.inner_text("#search-status").startswith("找到")
    assert "关于健身房预付卡退费纠纷投诉的答复" in titles(page)
    assert page.locator(".search-results mark", has_text="房").count() > 0
    page = search("税")
    assert titles(page) and page.locator(".search-results mark", has_text="税").count() > 0


def test_status_badges_in_results_are_coloured_by_meaning_as_on_the_pages(search):
    """A reply that has been answered (已答复) is a finished state, not an alarm: its badge in the
    results has the same meaning class as on its page (status-result), and a policy in force reads
    as valid."""
    page = search("健身房预付卡")
    badge = page.locator(".search-results .tag", has_text="已答复").first
    assert "status-result" in badge.get_attribute("class")
    page = search("养老服务体系建设三年行动方案")
    valid = page.locator(".search-results .tag", has_text="有效").first
    assert "status-valid" in valid.get_attribute("class")


def test_document_number(search):
    page = search("景政办发〔2025〕12号")
    assert "景政办发〔2025〕12号" in page.locator(".result-meta").first.inner_text()


@pytest.mark.parametrize("query", ["shebao", "sb", "she bao"])
def test_pinyin_full_and_initials(search, query):
    page = search(query)
    assert "社保" in page.inner_text("#search-suggest")
    assert "社保" in page.inner_text(".search-results")


def test_traditional_query_finds_simplified_pages(search):
    assert titles(search("營商環境")) == titles(search("营商环境"))


def test_one_letter_typo_in_pinyin(search):
    page = search("shebso")
    assert "社保" in page.inner_text("#search-suggest") and titles(page)


def test_plain_language_synonym(search):
    page = search("身份证丢了")
    assert "居民身份证 补领" in page.inner_text("#search-suggest")
    assert titles(page)[0] == "居民身份证补领办事指南"


def test_service_card_with_online_level(search):
    page = search("身份证补领")
    card = page.locator(".service-card").first
    assert "居民身份证补领办事指南" in card.inner_text()
    assert "在线预约" in card.inner_text()


def test_no_result_suggests_a_term(search):
    page = search("社宝")
    assert "没有找到" in page.inner_text("#search-status")
    suggestion = page.locator(".did-you-mean a").first
    assert suggestion.inner_text() == "社保"
    with page.expect_navigation():
        suggestion.click()
    settled(page)
    assert "社保" in page.inner_text("#search-status") and titles(page)


def test_filter_by_type_and_year(search):
    page = search("景澜区")
    everything = len(page.locator(".result").all())
    options = page.locator("#filter-type option").all_inner_texts()
    assert "标准目录" in options and "意见征集" in options   # Chinese type names, not ids
    assert not [o for o in options if o.isascii()]
    page = search("景澜区", "&type=policy")
    assert 0 < len(titles(page)) <= everything
    assert all("政策文件" in m for m in page.locator(".result-meta").all_inner_texts())
    page = search("景澜区", "&year=2025")
    assert all("2025-" in m for m in page.locator(".result-meta").all_inner_texts())
    assert page.locator("#filter-year").input_value() == "2025"


def test_archived_results_are_marked(search):
    page = search("燃气")
    assert page.locator(".result .tag-archived").count() > 0


def test_result_pages(search):
    page = search("景澜区")
    assert "第 1/" in page.inner_text("#search-status")
    with page.expect_navigation():
        page.locator("#search-pager a", has_text="2").click()
    settled(page)
    assert "第 2/" in page.inner_text("#search-status")


def test_hot_words_listed(search):
    page = search("")
    page.wait_for_selector("#hot-words a")
    assert "社保" in page.locator("#hot-words").inner_text()


def test_header_box_suggests_as_you_type(browser, demo):
    context = browser.new_context()
    page = context.new_page()
    page.goto((demo / "index.html").as_uri())
    page.click("#site-search")
    page.keyboard.type("shebao")
    # suggestions follow the typing (s, sh, she … each may list others first); once the whole
    # pinyin is typed, the term whose pinyin it is comes first
    page.wait_for_function("(document.querySelector('#search-suggestions option') || {}).value === '社保'",
                           timeout=10000)
    context.close()
