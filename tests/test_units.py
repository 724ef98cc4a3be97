"""Small pieces with rules of their own: the slug rule, dates, Chinese line joining, Markdown."""
from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree
from collections import defaultdict
from pathlib import Path

import markdown
import pytest
from hypothesis import example, given, settings, strategies as st
from markdown.treeprocessors import InlineProcessor

from govsite.content.model import Page
from govsite.core.dates import DateError, build_now, parse_datetime, site_zone
from govsite.core.slugs import check_explicit, slugify
from govsite.render.markup import MarkdownRenderer, _quicken_inline, _QuickInline, join_cjk_lines
from govsite.site.resolve import RELATED_COUNT, related_ranks


@pytest.mark.parametrize("name, slug", [
    ("春季植树活动", "chun-ji-zhi-shu-huo-dong"),
    ("2026-03-18-yshj", "2026-03-18-yshj"),
    ("重庆市 会议（一）", "chong-qing-shi-hui-yi-yi"),
    ("Notice_A B", "notice_a-b"),
    ("（）", ""),
])
def test_slug_rule(name, slug):
    assert slugify(name) == slug


@pytest.mark.parametrize("bad", ["../x", "a/b", "..", ".hidden", "中文", "A"])
def test_explicit_slug_rejects_paths_and_other_characters(bad):
    assert check_explicit(bad)


def test_explicit_slug_accepts_plain_segments():
    assert check_explicit("yshj-2026.v2") is None


def test_dates():
    assert parse_datetime("2026-03-18 09:30") == dt.datetime(2026, 3, 18, 9, 30)
    assert parse_datetime("2026-03-18") == dt.datetime(2026, 3, 18)
    assert parse_datetime("2026-03-18 09:30:15") == dt.datetime(2026, 3, 18, 9, 30, 15)
    assert parse_datetime(dt.date(2026, 3, 18)) == dt.datetime(2026, 3, 18)
    for bad in ("2026/03/18", "明天", "2026-13-01 00:00", 20260318):
        with pytest.raises(DateError):
            parse_datetime(bad)


def test_build_now_precedence(monkeypatch):
    zone = site_zone("Asia/Shanghai")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert build_now("2026-01-02 03:04", zone) == dt.datetime(2026, 1, 2, 3, 4)
    assert build_now(None, zone) == dt.datetime(1970, 1, 1, 8, 0)


def test_join_cjk_lines_only_between_chinese_and_not_in_pre():
    assert join_cjk_lines("<p>第一行\n第二行</p>") == "<p>第一行第二行</p>"
    assert join_cjk_lines("<p>重点<strong>内容</strong>\n然后</p>") == "<p>重点<strong>内容</strong>然后</p>"
    assert join_cjk_lines("<p>word\nword</p>") == "<p>word\nword</p>"
    assert join_cjk_lines("<pre>代码\n代码</pre>") == "<pre>代码\n代码</pre>"
    assert join_cjk_lines("<p>中文，\n继续</p>") == "<p>中文，继续</p>"


_PLAIN_PIECES = ["中文", "政务公开", "，", "。", "abc", "2026", " ", "  ", "\n", "\n\n", "(", ")", "#", "- ", "1. ", "|",
                 "~", "^", ":", "@", "'", '"', "=", "{", "}", "."]
_MARKUP_PIECES = [
    "  \n", "*", "**", "_", "__", "`", "``", "`代码`", "*重点*", "**重点**", "_x_", "\\", "\\*", "[", "]",
    "[链接](a.html)", "![图](b.png)", "[^1]", "\n\n[^1]: 注释\n", "<", ">", "<b>", "</b>", "<http://www.gov.cn>",
    "<a@b.cn>", "&", "&amp;", "&#20013;", "&copy", "!", "\n| a | b |\n|---|---|\n| 中 | 文 |\n", "{: .note}", "*[HTML]: 超文本",
]


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_quick_inline_stage_renders_what_python_markdown_renders(data):
    """The inline stage skips texts in which no inline pattern can match (markup._QuickInline):
    a body renders to the same HTML as with Python-Markdown's own inline stage. Bodies are
    mostly plain text with a piece or two of markup, as editors write them."""
    plain = data.draw(st.lists(st.sampled_from(_PLAIN_PIECES), max_size=15))
    markup = data.draw(st.lists(st.sampled_from(_MARKUP_PIECES), max_size=2))
    body = "".join(data.draw(st.permutations(plain + markup)))
    quick, original = MarkdownRenderer({}), MarkdownRenderer({}, quick=False)
    assert type(quick.md.treeprocessors["inline"]) is _QuickInline
    assert type(original.md.treeprocessors["inline"]) is InlineProcessor
    page = Page(file=Path("a.md"), src="a.md", body=body, title="标题")
    assert quick.render(page).html == original.render(page).html


class _Mark(markdown.inlinepatterns.InlineProcessor):
    # InlineProcessor's handleMatch takes (m, data) where Pattern's takes (m): Python-Markdown's
    # own stubs ignore the override there, and every subclass inherits the complaint
    def handleMatch(self, m: re.Match[str], data: str) -> tuple[xml.etree.ElementTree.Element, int, int]:  # type: ignore[override]  # noqa: N802
        el = xml.etree.ElementTree.Element("mark")
        el.text = m.group(1)
        return el, m.start(0), m.end(0)


class _MarkExtension(markdown.Extension):
    """==text== as <mark>: a pattern that matches none of the characters the quick stage knows."""

    def __init__(self, name):
        super().__init__()
        self.name = name

    def extendMarkdown(self, md):  # noqa: N802
        md.inlinePatterns.register(_Mark(r"==(.+?)==", md), self.name, 5)


@pytest.mark.parametrize("name", ["mark", "entity"])
def test_quick_inline_stage_only_with_the_inline_patterns_it_knows(name):
    md = markdown.Markdown(extensions=["toc", _MarkExtension(name)])   # a new pattern, or one put in place of a known one
    _quicken_inline(md)
    assert type(md.treeprocessors["inline"]) is InlineProcessor
    assert md.convert("一段==重点==文字") == "<p>一段<mark>重点</mark>文字</p>"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from("甲乙丙丁戊己"), max_size=4), min_size=1, max_size=450))
@example([["甲"]] * 199 + [["甲", "乙"]] + [["丙"]] * 100 + [["甲", "乙"]])   # the 200th page of 甲 shares most
def test_related_pages_share_the_most_keywords_newest_first(keywords):
    """相关文章: by rank (newest first), the pages sharing most keywords with a page, the newer
    first among equals, from the newest 200 pages of each of its keywords."""
    keywords = tuple(tuple(words) for words in keywords)
    having = defaultdict(list)
    for rank, words in enumerate(keywords):
        for word in set(words):
            having[word].append(rank)
    expected = []
    for rank, words in enumerate(keywords):
        shared: defaultdict[int, int] = defaultdict(int)   # rank → shared keywords
        for word in set(words):
            for other in having[word][:200]:
                if other != rank:
                    shared[other] += 1
        expected.append(tuple(sorted(shared, key=lambda other: (-shared[other], other))[:RELATED_COUNT]))
    related_ranks.cache_clear()
    assert related_ranks(keywords) == expected
