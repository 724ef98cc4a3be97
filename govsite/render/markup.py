"""Markdown → HTML for page bodies, with Chinese-aware line joining and checked internal links.

Python-Markdown is the engine because it handles CJK emphasis such as ``这是**重点。**然后``,
where CommonMark parsers leave the asterisks. Editors link pages by their source path
(``../tzgg/a.md``); links are rewritten here to the target's output path, relative to the page,
and a link to nothing is reported with its line (SPEC LK-1).
"""
from __future__ import annotations

import html
import posixpath
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

import markdown
from markdown.blockparser import BlockParser
from markdown.extensions.toc import TocExtension, slugify_unicode
from markdown.treeprocessors import InlineProcessor, Treeprocessor

from govsite.content.model import Asset, Column, Page, foreign_url
from govsite.core.links import is_outbound, leave_path
from govsite.render.imagesize import image_size
from govsite.render.sanitize import Sanitizer, is_local_media
from govsite.rules.text_rules import videos_without_captions

TOC_MARKER = TocExtension().getConfig("marker")   # where a body asks for its table of contents
_CJK = "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
# a newline between two CJK characters, possibly with inline tags on either side of it: a line
# that ends in a CJK character and tags, and a next line that starts with blanks, tags and one
_CJK_RE = re.compile(f"[{_CJK}]")
_TAGS_AT_END_RE = re.compile(r"(?:<[^<>\n]+>)*\Z")
_CJK_AT_START_RE = re.compile(rf"[ \t]*(?:<[^<>\n]+>)*[{_CJK}]")
_PRE_RE = re.compile(r"(<pre\b.*?</pre>)", re.S)
_TAG_RE = re.compile(r"<[^>]+>")
_TABLE_OPEN_RE = re.compile(r"<table(?=[\s>])")
_SPACE_RE = re.compile(r"\s+")
_PLAYER_RE = re.compile(r"<(video|audio)\b.*?</\1\s*>", re.S)
_MEDIA_START_RE = re.compile(r"<(?:video|audio)\b", re.I)
_MEDIA_TAG_RE = re.compile(r"<(?:video|audio|source|track)\b[^>]*>", re.I)
_MEDIA_URL_RE = re.compile(r"""(\s(?:src|poster)\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.I)


def join_cjk_lines(text: str) -> str:
    """Remove soft line breaks between Chinese characters (outside ``<pre>``).

    A browser shows a newline as a space, which is right between Latin words and wrong inside a
    Chinese sentence that an editor wrapped over two lines.
    """
    if "<pre" not in text:
        return _join_lines(text)
    parts = _PRE_RE.split(text)
    for i in range(0, len(parts), 2):
        parts[i] = _join_lines(parts[i])
    return "".join(parts)


def _join_lines(text: str) -> str:
    """Line by line (what a regular expression with a look-behind does at every character costs
    twice as much): each line break between a line that ends in a CJK character (and tags) and
    one that starts with one (after blanks and tags) goes, with the blanks."""
    lines = text.split("\n")
    joined = [lines[0]]
    for before, line in zip(lines, lines[1:], strict=False):
        if before and _CJK_AT_START_RE.match(line) is not None and _ends_in_cjk(before):
            joined[-1] += line.lstrip(" \t")
        else:
            joined.append(line)
    return "\n".join(joined)


def _ends_in_cjk(line: str) -> bool:
    end = len(line) if line[-1] != ">" else _TAGS_AT_END_RE.search(line).start()  # type: ignore[union-attr]
    return end > 0 and _CJK_RE.match(line, end - 1) is not None


def wrap_tables(html: str) -> str:
    """Put each table in a labelled, focusable scroll box: wide tables scroll sideways on phones,
    and a keyboard user can reach and scroll them (WCAG 2.1.1; axe scrollable-region-focusable)."""
    if "<table" not in html:
        return html
    html = _TABLE_OPEN_RE.sub('<div class="table-scroll" tabindex="0" role="region" aria-label="表格（可左右滚动）"><table', html)
    return html.replace("</table>", "</table></div>")


def relpath(path: str, start: str) -> str:
    """``posixpath.relpath(path, start)`` without its detour through the absolute paths (two
    ``os.getcwd()`` calls, a tenth of resolving a link) for two relative paths without ``..``,
    as output paths are: the same parts of the working directory lead both."""
    if not path or path[0] == "/" or start[:1] == "/" or ".." in path or ".." in start:
        return posixpath.relpath(path, start)
    to = [part for part in path.split("/") if part and part != "."]
    here = [part for part in start.split("/") if part and part != "."]
    common = 0
    for a, b in zip(to, here, strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(here) - common) + to[common:]) or "."


def plain_text(fragment: str) -> str:
    if "<video" in fragment or "<audio" in fragment:   # a player's fallback text is not the page's text
        fragment = _PLAYER_RE.sub(" ", fragment)
    return _SPACE_RE.sub(" ", html.unescape(_TAG_RE.sub(" ", fragment))).strip()


@dataclass
class BodyIssue:
    """A problem found while rendering a page body (a link, an image, unsafe HTML)."""

    line: int
    message: str
    hint: str
    severity: str = "error"
    rule: str = "LK-1"


@dataclass
class Rendered:
    html: str
    first_image: str = ""               # output path of the first local image, or an absolute URL
    issues: list = field(default_factory=list)
    outbound: list = field(default_factory=list)   # outbound URLs linked through a leaving notice


# Every match of Python-Markdown's inline patterns holds one of these characters (code, escapes,
# links and images, footnote references, autolinks, raw HTML, entities, emphasis) or is the
# two-space line break; placeholders (STX … ETX) count too. The patterns are named with their
# classes (the older releases' emphasis patterns included); the tests render random text both ways.
_INLINE_MARKUP_RE = re.compile(r"[\\`\[\]!<>&*_\x02\x03]|  \n")
QUICK_INLINE_PATTERNS = {   # name → the classes it may have
    "backtick": ("BacktickInlineProcessor",), "escape": ("EscapeInlineProcessor",),
    "reference": ("ReferenceInlineProcessor",), "link": ("LinkInlineProcessor",),
    "image_link": ("ImageInlineProcessor",), "image_reference": ("ImageReferenceInlineProcessor",),
    "short_reference": ("ShortReferenceInlineProcessor",), "short_image_ref": ("ShortImageReferenceInlineProcessor",),
    "autolink": ("AutolinkInlineProcessor",), "automail": ("AutomailInlineProcessor",),
    "linebreak": ("SubstituteTagInlineProcessor",), "html": ("HtmlInlineProcessor",),
    "entity": ("HtmlInlineProcessor",), "em_strong": ("DelimiterProcessor", "AsteriskProcessor"),
    "em_strong2": ("UnderscoreProcessor",), "not_strong": ("SimpleTextInlineProcessor",),
    "footnote": ("FootnoteInlineProcessor",),
}

QUICK_INLINE_NEEDS = {   # name → what every match of the pattern holds
    "backtick": "`", "escape": "\\", "reference": "[", "link": "[", "image_link": "![", "image_reference": "![",
    "short_reference": "[", "short_image_ref": "![", "autolink": "<", "automail": "<", "linebreak": "  \n",
    "html": "<", "entity": "&", "footnote": "[^",
}


class _QuickInline(InlineProcessor):
    """Python-Markdown's inline stage, which tries each of its ~15 patterns on every text of
    the tree — minus those tries for a text in which no pattern can match. Most text of a
    Chinese body is such plain text: this saves a fifth of Markdown's time. Used only when the
    renderer's inline patterns are the known ones (:data:`QUICK_INLINE_PATTERNS`)."""

    def __init__(self, md: markdown.Markdown):
        super().__init__(md)
        # pattern → what every match of it holds (the stateless patterns only: em_strong keeps
        # state between its calls)
        self.needs = {md.inlinePatterns[name]: needs for name, needs in QUICK_INLINE_NEEDS.items()
                      if name in md.inlinePatterns}

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802,N803
        if _INLINE_MARKUP_RE.search(data) is None:
            return data      # what every pattern leaves unmatched
        # a private method of Python-Markdown's InlineProcessor: its stubs do not declare it
        return super()._InlineProcessor__handleInline(data, patternIndex)  # type: ignore[misc]

    def _InlineProcessor__applyPattern(self, pattern, data: str, patternIndex: int,  # noqa: N802,N803
                                       startIndex: int = 0) -> tuple[str, bool, int]:  # noqa: N803
        """One pattern on a text with markup: not tried where what its matches hold is missing
        (a text with a link tries 4 of the 15 patterns)."""
        needs = self.needs.get(pattern)
        if needs is not None and needs not in data:
            return data, False, 0      # what Python-Markdown returns for no match
        return super()._InlineProcessor__applyPattern(pattern, data, patternIndex, startIndex)  # type: ignore[misc]


def _quicken_inline(md: markdown.Markdown) -> None:
    """Put :class:`_QuickInline` in place of the inline stage, if it applies to ``md``."""
    patterns = md.inlinePatterns
    known = [name for name in QUICK_INLINE_PATTERNS if name in patterns
             and type(patterns[name]).__name__ in QUICK_INLINE_PATTERNS[name]]
    if len(known) == len(patterns) and hasattr(InlineProcessor, "_InlineProcessor__handleInline") \
            and hasattr(InlineProcessor, "_InlineProcessor__applyPattern"):
        md.treeprocessors.register(_QuickInline(md), "inline", 20)


# A block that none of Python-Markdown's block processors but the paragraph takes: no table
# (``|``), no ``#`` heading, and no line that starts with the mark of a list, quote, setext
# underline, rule, definition, footnote, abbreviation or reference, or with indentation (code,
# list continuation), and not empty. Most blocks of a Chinese body are such paragraphs.
_BLOCK_MARKUP_RE = re.compile(r"[|#]|(?:^|\n)(?:[ \t\n=\-*+_:>\[\d]|$)")
QUICK_BLOCK_PROCESSORS = {   # name → the classes it may have
    "empty": ("EmptyBlockProcessor",), "indent": ("ListIndentProcessor",), "code": ("CodeBlockProcessor",),
    "hashheader": ("HashHeaderProcessor",), "setextheader": ("SetextHeaderProcessor",), "hr": ("HRProcessor",),
    "olist": ("SaneOListProcessor", "OListProcessor"), "ulist": ("SaneUListProcessor", "UListProcessor"),
    "quote": ("BlockQuoteProcessor",), "reference": ("ReferenceProcessor",), "paragraph": ("ParagraphProcessor",),
    "table": ("TableProcessor",), "defindent": ("DefListIndentProcessor",), "deflist": ("DefListProcessor",),
    "footnote": ("FootnoteBlockProcessor",), "abbr": ("AbbrBlockprocessor",),
}


class _QuickBlockParser(BlockParser):
    """Python-Markdown's block parser, which tries each of its ~16 block processors on every
    block — minus those tries for a block that only the paragraph processor takes
    (:data:`_BLOCK_MARKUP_RE`). Used only when the block processors are the known ones
    (:data:`QUICK_BLOCK_PROCESSORS`)."""

    def parseBlocks(self, parent, blocks: list[str]) -> None:  # noqa: N802
        processors = list(self.blockprocessors)   # (the registry is listed once, not for every block)
        paragraph = self.blockprocessors["paragraph"]
        while blocks:
            if _BLOCK_MARKUP_RE.search(blocks[0]) is None:
                paragraph.run(parent, blocks)
                continue
            for processor in processors:
                if processor.test(parent, blocks[0]) and processor.run(parent, blocks) is not False:
                    break


def _all_known(registry: markdown.util.Registry, table: dict) -> bool:
    """Whether every item of ``registry`` is named in ``table`` (name → the classes it may have)."""
    known = [name for name in table if name in registry and type(registry[name]).__name__ in table[name]]
    return len(known) == len(registry)


def _quicken_blocks(md: markdown.Markdown) -> None:
    """Put :class:`_QuickBlockParser` in place of the block parser, if it applies to ``md``."""
    processors = md.parser.blockprocessors
    if _all_known(processors, QUICK_BLOCK_PROCESSORS) and "paragraph" in processors and type(md.parser) is BlockParser:
        md.parser.__class__ = _QuickBlockParser   # the processors hold the parser: it stays the same object


class _BlockLevel(tuple):
    """Python-Markdown's list of block-level tags, fixed once the Markdown is set up, with a set
    for ``in``: ``Markdown.is_block_level`` asks it for every element of every body (prettify),
    and a list is searched from its start. A tuple: a tag appended later fails loudly rather
    than being left out of the set."""

    def __init__(self, tags):
        super().__init__()
        self.tags = frozenset(tags)

    def __contains__(self, tag) -> bool:
        return tag in self.tags


# The extensions of page bodies, and for each what a body must contain for it to change the
# output (after Python-Markdown's NormalizeWhitespace: see _scanned). A body without any of them
# is rendered by a Markdown without the extension, which skips its processors' work (tables'
# test on every block, the tree walks of attr_list, footnotes and toc ...). toc's marker is
# searched for only where the body has one, and raw HTML only where it has a "<" or "&".
EXTENSIONS = ("tables", "fenced_code", "attr_list", "def_list", "footnotes", "sane_lists", "toc", "abbr")
_SETEXT_RE = re.compile(r"^[ \t>]*(?:=+|-+)[ \t]*$", re.M)   # an underline, also in a list or quote
_DEFINITION_RE = re.compile(r":[ \t]")
TRIGGERS = {   # extension → does the (normalised) body give it anything to do
    "tables": lambda text: "|" in text,
    "fenced_code": lambda text: "```" in text or "~~~" in text,
    "attr_list": lambda text: "{" in text,
    "def_list": lambda text: _DEFINITION_RE.search(text) is not None,
    "footnotes": lambda text: "[^" in text,
    "abbr": lambda text: "*[" in text,
    "toc": lambda text: "#" in text or TOC_MARKER in text or _SETEXT_RE.search(text) is not None,
}
# what each extension registers (registry, name, class): the triggers above are true of these
KNOWN_PROCESSORS = {
    None: {("preprocessors", "normalize_whitespace", "NormalizeWhitespace"),   # Python-Markdown's own, and govsite's
           ("preprocessors", "html_block", "HtmlBlockPreprocessor"),
           ("treeprocessors", "inline", "InlineProcessor"),
           ("treeprocessors", "prettify", "PrettifyTreeprocessor"),
           ("treeprocessors", "unescape", "UnescapeTreeprocessor"),
           ("treeprocessors", "govsite-links", "_LinkRewriter"),
           ("postprocessors", "raw_html", "RawHtmlPostprocessor"),
           ("postprocessors", "amp_substitute", "AndSubstitutePostprocessor")},
    "fenced_code": {("preprocessors", "fenced_code_block", "FencedBlockPreprocessor")},
    "attr_list": {("treeprocessors", "attr_list", "AttrListTreeprocessor")},
    "footnotes": {("treeprocessors", "footnote", "FootnoteTreeprocessor"),
                  ("treeprocessors", "footnote-duplicate", "FootnotePostTreeprocessor"),
                  ("postprocessors", "footnote", "FootnotePostprocessor")},
    "toc": {("treeprocessors", "toc", "TocTreeprocessor")},
    "abbr": {("treeprocessors", "abbr", "AbbrTreeprocessor")},
}


def _processors_known(md: markdown.Markdown) -> bool:
    """Whether the pre-, tree- and postprocessors of ``md`` are exactly those of :data:`KNOWN_PROCESSORS`."""
    registries = ("preprocessors", "treeprocessors", "postprocessors")
    table: dict[tuple, tuple] = {}   # (registry, name) → classes
    for registry, name, cls in set().union(*KNOWN_PROCESSORS.values()):
        table[registry, name] = table.get((registry, name), ()) + (cls,)
    table["treeprocessors", "inline"] += ("_QuickInline",)   # (Python-Markdown's, quicker)
    return all(_all_known(getattr(md, registry), {name: classes for (where, name), classes in table.items()
                                                  if where == registry}) for registry in registries) \
        and sum(len(getattr(md, registry)) for registry in registries) == len(table)


def _scanned(body: str) -> str:
    """The body as Python-Markdown's first preprocessor leaves it, for the triggers: STX and ETX
    removed, CR and CRLF as LF (tabs are spaces there: the triggers take a tab for a space)."""
    if "\x02" in body or "\x03" in body:
        body = body.replace("\x02", "").replace("\x03", "")
    if "\r" in body:
        body = body.replace("\r\n", "\n").replace("\r", "\n")
    return body


class _LinkRewriter(Treeprocessor):
    """Rewrites ``href``/``src`` of source-relative links, records broken ones, and keeps the
    page title the only ``<h1>``."""

    def __init__(self, md, renderer):
        super().__init__(md)
        self.renderer = renderer

    def run(self, root):
        ctx = self.renderer.current
        if any(True for _ in root.iter("h1")):
            # the page title is the only <h1>; a body written with "#" headings moves down a level
            for el in root.iter():
                if el.tag in ("h1", "h2", "h3", "h4", "h5"):
                    el.tag = f"h{int(el.tag[1]) + 1}"
        for el in root.iter():
            if el.tag == "a" and el.get("href"):
                href = self.renderer.resolve_link(ctx, el.get("href"))[0]
                if self.renderer.is_outbound(href):
                    # LK-2: the visitor passes a notice that they are leaving the government site
                    ctx.outbound.add(href)
                    href = relpath(leave_path(href), posixpath.dirname(ctx.page.url) or ".")
                el.set("href", href)
            elif el.tag == "img" and el.get("src"):
                ctx.asset = None
                src, site_path = self.renderer.resolve_link(ctx, el.get("src"))
                el.set("src", src)
                # the picture's size in the HTML: its room is kept from the first paint (no layout shift)
                size = image_size(ctx.asset.file) if ctx.asset is not None and not el.get("width") else None
                if size and not el.get("height"):
                    el.set("width", str(size[0]))
                    el.set("height", str(size[1]))
                if not ctx.first_image and (site_path or src.startswith(("http://", "https://"))):
                    ctx.first_image = site_path or src
                if not (el.get("alt") or "").strip():
                    el.set("alt", "")
                    ctx.issues.append(BodyIssue(
                        self.renderer._line_of(ctx.page, el.get("src") if src == el.get("src") else src),
                        f"[AX-1] 图片「{el.get('src')}」缺少替代文本（alt）",
                        "写成 ![图片内容的简要说明](文件名)，让读屏软件用户也能了解图片内容",
                        severity=self.renderer.alt_severity, rule="AX-1"))
        return None


@dataclass
class _Context:
    page: Page
    first_image: str = ""
    issues: list = field(default_factory=list)
    outbound: set = field(default_factory=set)
    asset: Asset | None = None   # the file the last link resolved to (a picture's size is read from it)




class MarkdownRenderer:
    """Reusable Markdown instances per process (creating one per page is slow): one for each set
    of extensions the bodies need (:meth:`markdown_for`). ``quick=False``: every body is
    rendered with every extension and Python-Markdown's own code (what the tests compare with)."""

    def __init__(self, by_src: dict, site_domain: str = "", outbound_allow: tuple = (), alt_severity="warning",
                 embed_hosts: tuple = (), library: dict | None = None, site_key: str = "", quick: bool = True):
        self.by_src = by_src
        self.library = library or {}                # other sites (资源库): key → resolved Site
        self.site_key = site_key
        self.sanitizer = Sanitizer(embed_hosts, tuple(sorted(site.config.base_url.rstrip("/") + "/"
                                                             for site in self.library.values())))
        self.site_domain = site_domain
        self.outbound_allow = outbound_allow
        self.alt_severity = alt_severity
        self.quick = quick
        self.md = self._markdown(EXTENSIONS, marker=True)   # every extension: the reference for the others
        # Markdowns without the extensions a body gives nothing to do, made when a body needs one:
        # (extensions, toc marker, raw HTML) → Markdown; a handful for a real site. Only with the
        # processors the triggers are known for (_known), else every body gets self.md.
        self._fewer: dict[tuple, markdown.Markdown] = {}
        self._pick = quick and self._known(self.md)
        self.current: _Context | None = None
        self.settings = b""                         # digest of the settings above (build cache key)
        self.looked_up: list = []                   # [(source path, target_state)] of the last render

    def _markdown(self, extensions: tuple, marker: bool, html: bool = True) -> markdown.Markdown:
        md = markdown.Markdown(
            extensions=list(extensions),
            extension_configs={"toc": {"slugify": slugify_unicode, "permalink": False, **({} if marker else {"marker": ""})},
                               "tables": {"use_align_attribute": True}},
            output_format="html",
        )
        md.block_level_elements.append("audio")   # a <audio> block stays a block, like <video>
        if self.quick:
            md.block_level_elements = _BlockLevel(md.block_level_elements)  # type: ignore[assignment]
        md.treeprocessors.register(_LinkRewriter(md, self), "govsite-links", 1)
        if not html:   # a body without "<" and "&" is all character data: HtmlBlockPreprocessor returns it as it is
            md.preprocessors.deregister("html_block")
        if self.quick:
            _quicken_inline(md)
            _quicken_blocks(md)
        return md

    @staticmethod
    def _known(md: markdown.Markdown) -> bool:
        """Whether ``md`` (every extension) has exactly the processors :data:`KNOWN_PROCESSORS`
        names, the block processors :data:`QUICK_BLOCK_PROCESSORS` names and the inline patterns
        :data:`QUICK_INLINE_PATTERNS` names: what the triggers were worked out for."""
        return (_processors_known(md) and _all_known(md.inlinePatterns, QUICK_INLINE_PATTERNS)
                and _all_known(md.parser.blockprocessors, QUICK_BLOCK_PROCESSORS))

    def markdown_for(self, body: str) -> markdown.Markdown:
        """The Markdown to render ``body`` with: one without the extensions it gives nothing to do."""
        if not self._pick:
            return self.md
        text = _scanned(body)
        extensions = tuple(name for name in EXTENSIONS if name not in TRIGGERS or TRIGGERS[name](text))
        key = (extensions, TOC_MARKER in text, "<" in text or "&" in text)
        md = self._fewer.get(key)
        if md is None:
            md = self._fewer[key] = self.md if key == (EXTENSIONS, True, True) else self._markdown(*key)
        return md

    def _get(self, src: str):
        """This site's object at ``src``; ``@key/path`` is another site's (see :mod:`govsite.library`)."""
        if src.startswith("@"):
            key, _, path = src[1:].partition("/")
            owner = self.library.get(key)
            return owner.by_src.get(path) if owner is not None else None
        return self.by_src.get(src)

    def target_state(self, src: str):
        """What a body's rendering takes from a link target: the build cache re-checks this."""
        obj = self._get(src)
        if obj is None:
            return None
        return (type(obj).__name__, getattr(obj, "url", None), getattr(obj, "out", None),
                getattr(obj, "draft", None), getattr(obj, "scheduled", None), getattr(obj, "title", None),
                getattr(obj, "origin", None), image_size(obj.file) if isinstance(obj, Asset) else None)

    def _lookup(self, src: str):
        self.looked_up.append((src, self.target_state(src)))
        return self._get(src)

    def is_outbound(self, href: str) -> bool:
        return is_outbound(href, self.site_domain, self.outbound_allow)

    def render(self, page: Page) -> Rendered:
        self.current = _Context(page)
        self.looked_up = []
        try:
            body = self.markdown_for(page.body).reset().convert(page.body)
        finally:
            ctx, self.current = self.current, None
        if _MEDIA_START_RE.search(body):
            body = self._media(ctx, body)
        body, removals = self.sanitizer.sanitize(body)
        for removal in removals:
            ctx.issues.append(BodyIssue(self._line_of(page, removal.needle), removal.message, removal.hint,
                                        removal.severity, removal.rule))
        body = wrap_tables(body)
        return Rendered(join_cjk_lines(body), ctx.first_image, ctx.issues, sorted(ctx.outbound))

    def _media(self, ctx: _Context, body: str) -> str:
        """Video and audio written as HTML (在线访谈, 图解 videos): their local files are linked
        like images — resolved from the page's source folder, reported when missing (LK-1), the
        output path put in — and a video without captions is reported (AX-1: deaf visitors need
        them). Other addresses are left for the sanitizer, which removes and reports them (LY-6)."""
        def address(m: re.Match) -> str:
            value = html.unescape(next(g for g in m.groups()[1:] if g is not None)).strip()
            if not value or not is_local_media(value):
                return m.group(0)
            return f'{m.group(1)}"{html.escape(self.resolve_link(ctx, value)[0])}"'

        page = ctx.page
        for offset in videos_without_captions(page.body):
            ctx.issues.append(BodyIssue(
                page.body_line + page.body.count("\n", 0, offset), "[AX-1] 视频没有字幕（缺少 <track kind=\"captions\">）",
                "制作 WebVTT 字幕文件（.vtt）放在视频旁边，在 <video> 中加上 "
                "<track kind=\"captions\" src=\"字幕.vtt\" srclang=\"zh\" label=\"中文字幕\">",
                severity="warning", rule="AX-1"))
        return _MEDIA_TAG_RE.sub(lambda tag: _MEDIA_URL_RE.sub(address, tag.group(0)), body)

    def _line_of(self, page: Page, needle: str) -> int:
        index = page.body.find(needle)
        return page.body_line + page.body.count("\n", 0, index) if index >= 0 else page.body_line

    def resolve_link(self, ctx: _Context, href: str) -> tuple[str, str]:
        """Return the link as written in the output and the target's output path ("" if none)."""
        page = ctx.page
        try:
            parts = urlsplit(href)
        except ValueError:   # brackets that are not an IPv6 host: no browser can follow it either
            ctx.issues.append(BodyIssue(self._line_of(page, href), f"[LK-1] 链接「{href}」无法解析",
                                        "检查链接地址：方括号等字符只能出现在 IPv6 地址中，其余请删去或写成 %5B、%5D"))
            return href, ""
        owner = ""  # the site whose tree the link names: "" for this one
        if parts.scheme == "site":  # site:<key>/<path>: a page, column or file of another site
            owner, _, path = unquote(parts.path).partition("/")
            if owner == self.site_key:
                owner = ""
            elif owner not in self.library:
                ctx.issues.append(BodyIssue(self._line_of(page, href), f"[LK-1] 链接「{href}」中的网站「{owner}」不存在",
                                            "写成 site:网站目录名/源文件路径，网站目录名是 sites/ 下的文件夹"))
                return href, ""
            target = unicodedata.normalize("NFC", posixpath.normpath(path or "."))
        elif parts.scheme or parts.netloc or href.startswith(("#", "/", "mailto:", "tel:")) or not parts.path:
            return href, ""
        else:
            copied = page.origin if page.origin is not None and page.origin.copy else None
            if copied is not None:  # a copy of another site's page: its links mean what they mean there
                owner = copied.site
            here = posixpath.dirname(copied.src if copied is not None else page.src)
            target = unicodedata.normalize("NFC", posixpath.normpath(posixpath.join(here, unquote(parts.path))))
        if target.startswith("../") or target == "..":
            ctx.issues.append(BodyIssue(self._line_of(page, href), f"[LK-1] 链接「{href}」指向内容目录之外",
                                        "只链接本站内容目录中的文件"))
            return href, ""
        prefix = f"@{owner}/" if owner else ""
        target = target.rstrip("/")
        obj = self._lookup(prefix + target) or self._lookup(prefix + target.removesuffix("/_column.yaml"))
        if obj is None:
            ctx.issues.append(BodyIssue(self._line_of(page, href), f"[LK-1] 链接「{href}」指向的文件不存在",
                                        "检查相对路径和文件名；链接其他页面时写它的 .md 源文件路径"))
            return href, ""
        if isinstance(obj, Page):
            out = obj.url
            if not out:
                return href, ""
            if obj.draft or obj.scheduled:
                ctx.issues.append(BodyIssue(self._line_of(page, href),
                                            f"[LK-1] 链接的页面「{obj.title}」在本次构建中不发布（草稿或未到发布时间/已过期）",
                                            "等目标页面发布后再加链接，或去掉该链接", severity="warning"))
        elif isinstance(obj, Column):
            out = obj.url
        elif isinstance(obj, Asset):
            out = obj.out
            ctx.asset = obj
        else:  # pragma: no cover - by_src holds only the three kinds
            return href, ""
        elsewhere = foreign_url(obj)
        if elsewhere:  # another site's: its absolute URL
            return elsewhere + ("#" + parts.fragment if parts.fragment else ""), elsewhere
        rel = relpath(out, posixpath.dirname(page.url) or ".")
        if parts.fragment:
            rel += "#" + parts.fragment
        return rel, out
