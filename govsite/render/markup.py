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
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import InlineProcessor, Treeprocessor

from govsite.content.model import Asset, Column, Page, foreign_url
from govsite.core.links import is_outbound, leave_path
from govsite.render.imagesize import image_size
from govsite.render.sanitize import Sanitizer, is_local_media
from govsite.rules.text_rules import videos_without_captions

_CJK = "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
# a newline between two CJK characters, possibly with inline tags on either side of it
_SOFT_BREAK_RE = re.compile(rf"(?<=[{_CJK}])((?:<[^<>\n]+>)*)\n[ \t]*((?:<[^<>\n]+>)*)(?=[{_CJK}])")
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
    parts = _PRE_RE.split(text)
    for i in range(0, len(parts), 2):
        parts[i] = _SOFT_BREAK_RE.sub(r"\1\2", parts[i])
    return "".join(parts)


def wrap_tables(html: str) -> str:
    """Put each table in a labelled, focusable scroll box: wide tables scroll sideways on phones,
    and a keyboard user can reach and scroll them (WCAG 2.1.1; axe scrollable-region-focusable)."""
    if "<table" not in html:
        return html
    html = _TABLE_OPEN_RE.sub('<div class="table-scroll" tabindex="0" role="region" aria-label="表格（可左右滚动）"><table', html)
    return html.replace("</table>", "</table></div>")


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


class _QuickInline(InlineProcessor):
    """Python-Markdown's inline stage, which tries each of its ~15 patterns on every text of
    the tree — minus those tries for a text in which no pattern can match. Most text of a
    Chinese body is such plain text: this saves a fifth of Markdown's time. Used only when the
    renderer's inline patterns are the known ones (:data:`QUICK_INLINE_PATTERNS`)."""

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802,N803
        if _INLINE_MARKUP_RE.search(data) is None:
            return data      # what every pattern leaves unmatched
        # a private method of Python-Markdown's InlineProcessor: its stubs do not declare it
        return super()._InlineProcessor__handleInline(data, patternIndex)  # type: ignore[misc]


def _quicken_inline(md: markdown.Markdown) -> None:
    """Put :class:`_QuickInline` in place of the inline stage, if it applies to ``md``."""
    patterns = md.inlinePatterns
    known = [name for name in QUICK_INLINE_PATTERNS if name in patterns
             and type(patterns[name]).__name__ in QUICK_INLINE_PATTERNS[name]]
    if len(known) == len(patterns) and hasattr(InlineProcessor, "_InlineProcessor__handleInline"):
        md.treeprocessors.register(_QuickInline(md), "inline", 20)


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
                    href = posixpath.relpath(leave_path(href), posixpath.dirname(ctx.page.url) or ".")
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
    """One reusable Markdown instance per process (creating one per page is slow)."""

    def __init__(self, by_src: dict, site_domain: str = "", outbound_allow: tuple = (), alt_severity="warning",
                 embed_hosts: tuple = (), library: dict | None = None, site_key: str = ""):
        self.by_src = by_src
        self.library = library or {}                # other sites (资源库): key → resolved Site
        self.site_key = site_key
        self.sanitizer = Sanitizer(embed_hosts, tuple(sorted(site.config.base_url.rstrip("/") + "/"
                                                             for site in self.library.values())))
        self.site_domain = site_domain
        self.outbound_allow = outbound_allow
        self.alt_severity = alt_severity
        self.md = markdown.Markdown(
            extensions=["tables", "fenced_code", "attr_list", "def_list", "footnotes", "sane_lists", "toc", "abbr"],
            extension_configs={"toc": {"slugify": slugify_unicode, "permalink": False},
                               "tables": {"use_align_attribute": True}},
            output_format="html",
        )
        self.md.block_level_elements.append("audio")   # a <audio> block stays a block, like <video>
        self.md.treeprocessors.register(_LinkRewriter(self.md, self), "govsite-links", 1)
        _quicken_inline(self.md)
        self.current: _Context | None = None
        self.settings = b""                         # digest of the settings above (build cache key)
        self.looked_up: list = []                   # [(source path, target_state)] of the last render

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
            body = self.md.reset().convert(page.body)
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
        parts = urlsplit(href)
        page = ctx.page
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
        rel = posixpath.relpath(out, posixpath.dirname(page.url) or ".")
        if parts.fragment:
            rel += "#" + parts.fragment
        return rel, out
