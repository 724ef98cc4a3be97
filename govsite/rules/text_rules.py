"""Rules on the text of one source file: wording (CK-1), commercial content (ID-4), outbound links
(LK-2), images without alt text and videos without captions (AX-1), each with line and column.

They need nothing but the file itself, so they run in worker processes while the main process
loads and resolves the site; the same functions serve ``govsite build``.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from govsite.core.links import host_of, is_outbound
from govsite.rules import html_scan
from govsite.rules.findings import Finding, make
from govsite.rules.wording import Lists

_URL_RE = re.compile(r"(?:https?:)?//[A-Za-z0-9.-]+[^\s)\]\"'<>（）]*")
_MD_IMAGE_RE = re.compile(r"!\[([^\]\n]*)\]\(")
_HTML_IMG_RE = re.compile(r"<img\b([^>]*)>", re.I)
_ALT_RE = re.compile(r"""\balt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_FENCE_RE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.M | re.S)
_A_RE = re.compile(r"<a\b([^>]*)>", re.I)
_MD_ATTR_LINK_RE = re.compile(r"\]\(((?:https?:)?//[^)\s]+)\)\{([^}]*)\}")
_VIDEO_RE = re.compile(r"<video\b.*?(?:</video\s*>|\Z)", re.I | re.S)
_CAPTIONS_RE = re.compile(r"""<track\b[^>]*\bkind\s*=\s*["']?captions\b""", re.I)


@dataclass
class TextContext:
    lists: Lists
    domain: str
    allow: tuple
    rules: frozenset           # rule ids that are switched on


class Positions:
    """Offset → (line, column), both 1-based; ``first_line`` is the file line of offset 0."""

    def __init__(self, text: str, first_line: int = 1):
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.first_line = first_line

    def __call__(self, offset: int) -> tuple[int, int]:
        i = bisect_right(self.starts, offset) - 1
        return self.first_line + i, offset - self.starts[i] + 1


def body_offset(text: str) -> int:
    """Where the Markdown body starts (after the closing ``---`` of the front matter); 0 if none."""
    if not text.startswith("---"):
        return 0
    match = re.search(r"^(---|\.\.\.)[ \t]*$", text[3:], re.M)
    if not match:
        return 0
    end = 3 + match.end()
    return end + 1 if text[end:end + 1] == "\n" else end


def _quote(text: str, start: int, end: int) -> str:
    return text[start:end].replace("\n", " ")


def fenced(body: str):
    """``in_code(offset)``: is the offset inside a fenced code block of ``body``? An example of a
    link, an image or a video in a code block is an example, not the thing."""
    blocks = [(m.start(), m.end()) for m in _FENCE_RE.finditer(body)]
    return lambda offset: any(a <= offset < b for a, b in blocks)


def body_links(body: str) -> Iterator[tuple[int, str, str]]:
    """Every web link written in a page body: ``(offset, the link as written, its full URL)``;
    a protocol-relative ``//host`` counts only after a quote, ``=`` or ``(`` (else it is a comment
    marker or a path). Trailing punctuation of the sentence is not part of the link."""
    for m in _URL_RE.finditer(body):
        url_text = m.group(0).rstrip(".,;:!?。，；：！？")
        if url_text.startswith("//"):
            if m.start() > 0 and body[m.start() - 1] not in "\"'=(":
                continue
            yield m.start(), url_text, "http:" + url_text
        else:
            yield m.start(), url_text, url_text


def scan_text(path, text: str, ctx: TextContext, url: str = "", markdown: bool = True) -> list[Finding]:
    """All text findings of one file. ``markdown``: the file is a page (front matter + body)."""
    out: list[Finding] = []
    pos = None

    def at(offset):
        nonlocal pos
        if pos is None:
            pos = Positions(text)
        return pos(offset)

    rules = ctx.rules
    if "CK-1" in rules and ctx.lists.wording:
        for m in ctx.lists.wording.find(text):
            line, col = at(m.start)
            entry = m.entry
            right = f"，应为「{entry.right}」" if entry.right else ""
            note = f"（{entry.note}）" if entry.note else ""
            out.append(make("CK-1", path, line, f"表述错误「{_quote(text, m.start, m.end)}」{right}{note}",
                            f"改为「{entry.right}」" if entry.right else "改正或删除该表述；确属正确用法的，加入 check.wording.allow",
                            column=col, url=url, severity=entry.level))
    if "ID-4" in rules and ctx.lists.commercial:
        for m in ctx.lists.commercial.find(text):
            line, col = at(m.start)
            out.append(make("ID-4", path, line, f"疑似商业广告内容「{_quote(text, m.start, m.end)}」",
                            "政府网站不得发布商业广告；确属正常内容的，加入 check.wording.allow",
                            column=col, url=url, severity=m.entry.level))
    if not markdown:
        return out
    start = body_offset(text)
    body = text[start:]
    want_links = "LK-2" in rules or ("ID-4" in rules and ctx.lists.ad_hosts)
    if want_links and "//" in body:
        for offset, url_text, full in body_links(body):
            host = host_of(full)
            if not host:
                continue
            line, col = at(start + offset)
            if "ID-4" in rules and ctx.lists.is_ad_host(host):
                out.append(make("ID-4", path, line, f"链接或引用了广告服务「{host}」",
                                "删除广告代码和广告链接", column=col, url=url))
            elif "LK-2" in rules and is_outbound(full, ctx.domain, ctx.allow):
                out.append(make("LK-2", path, line, f"链接到非政府网站「{host}」：{url_text}",
                                "确认该外部链接经过审核；常用的可信站点加入 site.yaml 的 outbound_allow",
                                column=col, url=url))
    if "LK-2.hidden" in rules and "//" in body:
        out.extend(_hidden_links(path, body, start, at, ctx, url))
    if "AX-1" in rules and ("![" in body or "<img" in body.lower()):
        out.extend(_images_without_alt(path, body, start, at, url))
    if "AX-1" in rules:
        for offset in videos_without_captions(body):
            line, col = at(start + offset)
            out.append(make("AX-1", path, line, "视频没有字幕（缺少 <track kind=\"captions\">）",
                            "制作 WebVTT 字幕文件（.vtt）放在视频旁边，在 <video> 中加上 "
                            "<track kind=\"captions\" src=\"字幕.vtt\" srclang=\"zh\" label=\"中文字幕\">",
                            column=col, url=url))
    return out


def videos_without_captions(body: str) -> list[int]:
    """Where a page body has a ``<video>`` without a ``<track kind="captions">`` (AX-1: a deaf
    visitor gets nothing of 在线访谈 without captions), as offsets into ``body``; a video in a
    fenced code block is an example, not a video. The renderer reports the same places."""
    if "<video" not in body.lower():
        return []
    in_code = fenced(body)
    return [m.start() for m in _VIDEO_RE.finditer(body) if not _CAPTIONS_RE.search(m.group(0)) and not in_code(m.start())]


def _images_without_alt(path, body: str, start: int, at, url: str) -> list[Finding]:
    """AX-1 in a page body: Markdown images with empty brackets, <img> without alt text (code
    blocks excepted: an example of bad markup is not bad markup)."""
    out: list[Finding] = []
    in_code = fenced(body)
    for m in _MD_IMAGE_RE.finditer(body):
        if not m.group(1).strip() and not in_code(m.start()):
            line, col = at(start + m.start())
            out.append(make("AX-1", path, line, "图片没有替代文字（![](…) 的方括号中为空）",
                            "在方括号中写图片内容的简要说明，例如 ![区政府召开常务会议](photo.jpg)",
                            column=col, url=url))
    for m in _HTML_IMG_RE.finditer(body):
        alt = _ALT_RE.search(m.group(1))
        value = next((g for g in alt.groups() if g is not None), "") if alt else None
        if (value is None or not value.strip()) and not in_code(m.start()):
            line, col = at(start + m.start())
            out.append(make("AX-1", path, line, "图片没有替代文字（<img> 缺少 alt）",
                            "为 <img> 加上 alt=\"图片内容的简要说明\"", column=col, url=url))
    return out


def _hidden_links(path, body: str, start: int, at, ctx: TextContext, url: str) -> list[Finding]:
    """暗链 written into a page body: raw HTML links (or Markdown links with attributes) to other
    hosts that are hidden by an attribute, a style, a hidden parent or empty text."""
    out = []

    def external(href: str) -> str:
        if not href.startswith(("http://", "https://", "//")):
            return ""
        host = host_of(href if not href.startswith("//") else "http:" + href)
        return host if host and host != ctx.domain else ""

    spans = None
    for m in _A_RE.finditer(body):
        href = (html_scan._attr(m.group(1), "href") or "").strip()
        host = external(href)
        if not host:
            continue
        if spans is None:
            spans = html_scan._hidden_spans(body, 0)
        reason = html_scan._hidden_reason(body, m, m.group(1), spans)
        if reason:
            line, col = at(start + m.start())
            out.append(make("LK-2.hidden", path, line, f"暗链：指向「{host}」的链接对访问者不可见（{reason}）",
                            "删除该链接；如系页面被篡改，立即按网络安全事件处置", column=col, url=url))
    for m in _MD_ATTR_LINK_RE.finditer(body):
        host = external(m.group(1))
        attrs = " " + m.group(2)
        hidden = html_scan._HIDDEN_ATTR.search(attrs) or html_scan._HIDING_STYLE.search(attrs)
        if host and hidden:
            line, col = at(start + m.start())
            out.append(make("LK-2.hidden", path, line, f"暗链：指向「{host}」的链接对访问者不可见（{hidden.group(0).strip()}）",
                            "删除该链接；如系页面被篡改，立即按网络安全事件处置", column=col, url=url))
    return out
