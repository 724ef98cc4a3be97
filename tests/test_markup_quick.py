"""The quick paths of page-body rendering (govsite.render.markup): a body renders to the same
HTML, with the same findings, as with Python-Markdown's own code and every extension."""
from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree
from pathlib import Path

import markdown
import pytest
from hypothesis import example, given, settings, strategies as st
from markdown.blockparser import BlockParser
from markdown.extensions.toc import TocTreeprocessor

from govsite.content.model import Page
from govsite.render import markup
from govsite.render.markup import _CJK, MarkdownRenderer, _QuickBlockParser, _quicken_blocks, join_cjk_lines, relpath
from govsite.render.sanitize import Sanitizer

_QUICK = MarkdownRenderer({})                # Markdowns without the extensions a body does not use, quick blocks
_PLAIN = MarkdownRenderer({}, quick=False)   # Python-Markdown's code, every extension

# pieces of Chinese text and of every extension's syntax, as editors write them
_TEXT = ["中文", "政务公开", "，", "。", "（一）", "abc", "2026", " ", "  ", "\t", "\n", "\n\n", "\n\n", "    "]
_SYNTAX = [
    "# 标题", "## 标题 ##", "###### 六", "\n标题\n===\n", "\n标题\n---\n", "---", "* * *", "___", "- 项目", "* 项目",
    "+ 项目", "1. 第一", "2026. 年", "> 引用", ">> 嵌套", "    代码", "\t代码",
    "| a | b |\n|---|:-:|\n| 中 | 文 |", "a | b\n--|--\n1 | 2", "|单列|\n|---|\n|值|",                   # tables
    "```\n代码\n```", "~~~ python\nx = 1\n~~~", "```{.py #c}\nx\n```", "````\n```\n````",       # fenced_code
    "{: .note}", "{#id}", " {: #x .y }", "{.c}",                                                      # attr_list
    "术语\n: 定义", ":   定义", "术语\n:\t定义", "\n: 定义\n",                                       # def_list
    "[^1]", "[^注]", "\n\n[^1]: 注释\n", "[^1]: 注释\n    续行",                                       # footnotes
    "*[HTML]: 超文本", "*[政务]: 政务公开", "HTML", "政务",                                               # abbr
    "[TOC]", "\n\n[TOC]\n\n",                                                                           # toc
    "[链接](a.html)", "![图](b.png)", "[ref]: http://www.gov.cn\n", "[ref]", "<div>块</div>", "<b>粗</b>",
    '<audio controls src="a.mp3"></audio>', "<p>段</p>", "<section>节</section>",
    "<http://www.gov.cn>", "<HTTPS://WWW.GOV.CN/a>", "<a@b.cn>", "[文][ref]", "![图][ref]", "\\*", "\\[",
    "&amp;", "&copy", "&#35;", "&#35", "&#x41 ", "\\#", "\\|", "\r\n", "\r", "\x02", "\x03", "**重点**", "_x_", "`代码`", "  \n",
]


def _render(renderer: MarkdownRenderer, body: str) -> tuple:
    rendered = renderer.render(Page(file=Path("a.md"), src="a.md", body=body, title="标题"))
    return (rendered.html, [vars(issue) for issue in rendered.issues], rendered.outbound, rendered.first_image,
            renderer.looked_up)   # (what the build cache re-checks)


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["", "", "\n", "\n\n"]), st.sampled_from(_TEXT + _SYNTAX)).map("".join),
                max_size=12))
# each extension's syntax, also where only Python-Markdown's preprocessing makes it so
@example(["| a | b |\n|---|---|\n| 1 | 2 |"]).via("tables")
@example(["```\n", "代码", "\n```"]).via("fenced code")
@example(["~~~\n代码\n~~~"]).via("fenced code with tildes")
@example(["`\x02``\n代码\n``\x03`"]).via("a fence once STX and ETX are removed")
@example(["# 标题 ", "{: .x}"]).via("attr_list")
@example(["术语\n: 定义"]).via("def_list")
@example(["术语\n:\t定义"]).via("a definition after a tab")
@example(["正文[^1]\n\n[^1]: 注释"]).via("footnotes")
@example(["*[HTML]: 超文本\n\nHTML 文件"]).via("abbr")
@example(["## 标题"]).via("toc")
@example(["标题\n---"]).via("toc: a setext heading")
@example(["标题\r==="]).via("toc: a setext heading after a CR")
@example(["- 项目\n\n    标题\n    ---"]).via("toc: a setext heading in a list")
@example(["> 标题\n> ==="]).via("toc: a setext heading in a quote")
@example(["[TOC]"]).via("toc's marker without headings")
@example(["[TOC]\n\n# 标题"]).via("toc's marker")
@example(["[TO\x02C]\n\n# 标题"]).via("toc's marker once STX is removed")
@example(["    代码\n\n\n\n    代码"]).via("an empty block between code blocks")
@example(["第&#35 号"]).via("raw HTML: a character reference without its semicolon")
def test_quick_paths_render_what_python_markdown_renders(pieces):
    """A body is rendered by a Markdown without the extensions whose syntax it lacks
    (MarkdownRenderer.markdown_for), with the quick block parser and inline stage: the same
    HTML and findings as Python-Markdown's own code with every extension."""
    body = "".join(pieces)
    assert _render(_QUICK, body) == _render(_PLAIN, body)


def _toc(md: markdown.Markdown) -> TocTreeprocessor:
    toc = md.treeprocessors["toc"]
    assert isinstance(toc, TocTreeprocessor)
    return toc


def test_a_body_without_an_extensions_syntax_is_rendered_without_it():
    """What the quick path saves: a plain Chinese body is rendered without any optional
    extension, a body with headings with toc but without its marker search."""
    plain = _QUICK.markdown_for("政务公开\n\n[链接](a.md)")
    assert "toc" not in plain.treeprocessors and "table" not in plain.parser.blockprocessors
    assert type(plain.parser) is _QuickBlockParser
    headed = _QUICK.markdown_for("## 标题\n\n正文")
    assert _toc(headed).marker == "" and "footnote" not in headed.treeprocessors
    assert _toc(_QUICK.markdown_for("[TOC]\n\n## 标题")).marker == "[TOC]"
    assert _PLAIN.markdown_for("政务公开") is _PLAIN.md


def test_fewer_extensions_only_with_the_processors_they_are_known_for(monkeypatch):
    """The triggers hold for the processors Python-Markdown registers today: with any other
    (another release), every body is rendered with every extension."""
    known = dict(markup.KNOWN_PROCESSORS)
    known["abbr"] = {("treeprocessors", "abbr", "SomeOtherAbbrTreeprocessor")}
    monkeypatch.setattr(markup, "KNOWN_PROCESSORS", known)
    renderer = MarkdownRenderer({})
    assert renderer.markdown_for("政务公开") is renderer.md


class _Aside(markdown.blockprocessors.BlockProcessor):
    def test(self, parent, block):
        return block.startswith("!!! ")

    def run(self, parent, blocks):
        xml.etree.ElementTree.SubElement(parent, "aside").text = blocks.pop(0)[4:]


class _AsideExtension(markdown.Extension):
    """``!!! text`` as <aside>: a block processor the quick block parser does not know."""

    def __init__(self, name):
        super().__init__()
        self.name = name

    def extendMarkdown(self, md):  # noqa: N802
        md.parser.blockprocessors.register(_Aside(md.parser), self.name, 65)


@pytest.mark.parametrize("name", ["aside", "hr"])   # a new processor, or one put in place of a known one
def test_quick_block_parser_only_with_the_block_processors_it_knows(name):
    md = markdown.Markdown(extensions=["toc", _AsideExtension(name)])
    _quicken_blocks(md)
    assert type(md.parser) is BlockParser
    assert md.convert("!!! 注意事项") == "<aside>注意事项</aside>"


# the rule of join_cjk_lines, as one expression: a newline between two CJK characters, possibly
# with inline tags on either side of it (and blanks after it), outside <pre>
_SOFT_BREAK_RE = re.compile(rf"(?<=[{_CJK}])((?:<[^<>\n]+>)*)\n[ \t]*((?:<[^<>\n]+>)*)(?=[{_CJK}])")
_PRE_RE = re.compile(r"(<pre\b.*?</pre>)", re.S)


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(["中", "文", "。", "\u3000", "a", " ", "\t", "\n", "\n", "\n", "\r", "<", ">", "<b>", "</b>",
                                 "<p>", "</p>", '<a title="中">', "<br />", "<pre>", "</pre>", "<pre class=x>"]), max_size=20))
def test_join_cjk_lines_joins_what_the_rule_joins(pieces):
    text = "".join(pieces)
    parts = _PRE_RE.split(text)
    expected = "".join(_SOFT_BREAK_RE.sub(r"\1\2", part) if i % 2 == 0 else part for i, part in enumerate(parts))
    assert join_cjk_lines(text) == expected


_SEGMENT = st.sampled_from(["a", "b", "栏目", ".", "..", "", "x.html", "a..b"])


@settings(max_examples=500, deadline=None)
@given(st.lists(_SEGMENT, max_size=5).map("/".join), st.lists(_SEGMENT, max_size=5).map("/".join),
       st.sampled_from(["", "/"]), st.sampled_from(["", "/"]))
def test_relpath_is_posixpaths(path, start, root, start_root):
    """Links are written relative to the page with markup.relpath: what posixpath.relpath gives."""
    path, start = root + path, start_root + start
    try:
        expected = posixpath.relpath(path, start or ".")
    except ValueError as error:   # no path
        expected = str(error)
    try:
        found = relpath(path, start or ".")
    except ValueError as error:
        found = str(error)
    assert found == expected


_HTML_TAGS = ["p", "a", "img", "iframe", "IFRAME", "video", "Video", "audio", "source", "track", "span", "iframex"]
_HTML_ATTRIBUTES = ['src="a.mp4"', 'src="https://v.video.gov.cn/1"', 'src="https://evil.example.com/x.mp4"',
                    'poster="p.png"', 'poster="//cdn.example.com/p.png"', 'href="../a.html"', 'title="说明"',
                    'src="https://www.jyj.gov.cn/a.mp4"', "controls", "autoplay", 'kind="captions"', 'style="x"']


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(
    st.tuples(st.sampled_from(_HTML_TAGS), st.lists(st.sampled_from(_HTML_ATTRIBUTES), max_size=3), st.booleans()),
    st.sampled_from(["中文", "<", "&lt;", "\n", "<!-- <iframe> -->", "</p>"])), max_size=6),
    st.booleans(), st.booleans())
def test_sanitizer_cleans_as_with_its_filter(pieces, embeds, sisters):
    """A body without frames and players is cleaned without the attribute filter: the same HTML."""
    sanitizer = Sanitizer(("v.video.gov.cn",) if embeds else (), ("https://www.jyj.gov.cn/",) if sisters else ())
    html = "".join(piece if isinstance(piece, str) else
                   f"<{piece[0]}{''.join(' ' + a for a in piece[1])}>文字" + (f"</{piece[0]}>" if piece[2] else "")
                   for piece in pieces)
    assert sanitizer.clean(html) == sanitizer._clean(html)
