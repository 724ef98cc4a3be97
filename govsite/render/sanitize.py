"""HTML in content is semi-trusted: what a page body may contain, and what is removed.

Editors may write HTML inside Markdown, and an editor's account can be taken over. Every page
body therefore goes through nh3 (the Rust ammonia sanitizer) with an allow-list that covers what
Markdown produces plus ordinary formatting. Before that, :func:`find_unsafe` names every piece
that will be removed, so each removal is reported with ``path:line``: scripts, event handlers,
``javascript:`` URLs, frames and objects, and links hidden by style or attributes (暗链, SPEC
LK-2). A site may allow trusted embeds (``<iframe>`` from listed hosts) in site.yaml.

Video and audio (视频、音频: 在线访谈, 图解 videos) may be written as ``<video>``/``<audio>`` with
``<source>`` and ``<track>`` (captions), from the site's own files only (SPEC LY-6): a file from
another host is a request to that host on every visit, can change or vanish after review, and is
not covered by the Content-Security-Policy; so any other address is removed and reported as an
error. Players always get ``controls`` (keyboard-operable), and ``autoplay`` is removed — sound
that starts by itself drowns a screen reader (WCAG 1.4.2).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import nh3

from govsite.core.links import host_matches, host_of

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del", "details",
    "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var",
}
GENERIC_ATTRIBUTES = {"id", "class", "title", "lang", "dir"}
TAG_ATTRIBUTES = {
    "a": {"href", "rel"}, "img": {"src", "alt", "width", "height"}, "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"}, "time": {"datetime"}, "abbr": {"title"},
    "ol": {"start", "type"}, "col": {"span"}, "colgroup": {"span"},
}
# video and audio (LY-6): from local files, always with controls, never autoplay
MEDIA_ATTRIBUTES = {
    "video": {"src", "poster", "controls", "width", "height", "preload", "muted", "loop", "playsinline"},
    "audio": {"src", "controls", "preload", "loop", "muted"},
    "source": {"src", "type"},
    "track": {"src", "kind", "srclang", "label", "default"},
}
MEDIA_TAGS = frozenset(MEDIA_ATTRIBUTES)
MEDIA_URL_ATTRIBUTES = frozenset({"src", "poster"})
MEDIA_NAMES = {"video": "视频", "audio": "音频", "source": "视频或音频文件", "track": "字幕"}
ALLOWED_TAGS |= MEDIA_TAGS
TAG_ATTRIBUTES.update(MEDIA_ATTRIBUTES)
EMBED_ATTRIBUTES = {"src", "title", "width", "height", "allowfullscreen"}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
_HIDING_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0|opacity\s*:\s*0(?![.\d]*[1-9])"
                           r"|(left|top|text-indent)\s*:\s*-\d{3,}|height\s*:\s*0|width\s*:\s*0", re.I)
_DANGEROUS_URL = re.compile(r"^\s*(javascript|vbscript|data|file)\s*:", re.I)
# the tags whose attributes Sanitizer._filter may change: html5ever names a tag by the letters
# after "<", lower-cased, so no such element is in a body without one of these
_FILTERED_TAG_RE = re.compile(r"<(?:iframe|video|audio|source|track)", re.I)


def is_local_media(url: str, sisters: tuple = ()) -> bool:
    """A media address the site itself serves: a path relative to the page's source, which the
    renderer resolves like an image (the file beside the page is copied to the output), or an
    address under ``sisters`` — the base URLs of the sites of the same repository (资源库), where a
    copied page's files are published by their owner. Other hosts (``https://``, ``//``),
    ``data:`` and root paths, which no build can check, are not."""
    url = url.strip()
    if not url:
        return True
    if sisters and url.startswith(sisters):
        return True
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return not parts.scheme and not parts.netloc and not url.startswith(("/", "\\"))


@dataclass
class Removal:
    needle: str          # text to look for in the source, to name the line
    message: str
    hint: str
    severity: str = "error"
    rule: str = ""


class Sanitizer:
    """Sanitizes page bodies for one site; ``embed_hosts`` may be framed with <iframe>."""

    def __init__(self, embed_hosts: tuple = (), sisters: tuple = ()):
        self.embed_hosts = tuple(embed_hosts)
        self.sisters = tuple(sisters)   # base URLs of the sites a copied page's media may come from
        tags = set(ALLOWED_TAGS) | ({"iframe"} if self.embed_hosts else set())
        attributes = {"*": GENERIC_ATTRIBUTES, **TAG_ATTRIBUTES}
        if self.embed_hosts:
            attributes["iframe"] = EMBED_ATTRIBUTES
        self._options: dict[str, Any] = dict(tags=tags, attributes=attributes, url_schemes=URL_SCHEMES, link_rel=None,
                             strip_comments=True, attribute_filter=self._filter,
                             set_tag_attribute_values={"video": {"controls": ""}, "audio": {"controls": ""}})
        # one cleaner made once (nh3 ≥ 0.3) rather than the options converted again for every body
        cleaner = getattr(nh3, "Cleaner", None)
        self._clean: Callable[[str], str] = (cleaner(**self._options).clean if cleaner is not None
                                             else partial(nh3.clean, **self._options))
        # and one without the attribute filter, a call into Python for every attribute, which
        # leaves all but the attributes of frames and players as they are
        unfiltered = {name: value for name, value in self._options.items() if name != "attribute_filter"}
        self._clean_unfiltered: Callable[[str], str] = (cleaner(**unfiltered).clean if cleaner is not None
                                                        else partial(nh3.clean, **unfiltered))

    def embed_allowed(self, src: str) -> bool:
        return src.startswith("https://") and any(host_matches(host_of(src), h) for h in self.embed_hosts)

    def _filter(self, tag, attribute, value):
        if tag == "iframe" and attribute == "src" and not self.embed_allowed(value):
            return None
        if attribute in MEDIA_URL_ATTRIBUTES and tag in MEDIA_TAGS and not is_local_media(value, self.sisters):
            return None
        return value

    def clean(self, html: str) -> str:
        return (self._clean if _FILTERED_TAG_RE.search(html) else self._clean_unfiltered)(html)

    def sanitize(self, html: str) -> tuple[str, list[Removal]]:
        """``(clean(html), find_unsafe(html))``, naming removals only when there are some.

        Every removal :meth:`find_unsafe` names is a tag, an attribute or a URL that nh3 takes
        out, so a body nh3 returns unchanged has none, and the Python pass over it (~0.16 ms, a
        tenth of rendering a body) is skipped. The one exception is an ``<iframe>``
        without ``src`` where embeds are allowed: nh3 keeps it, find_unsafe names it, so a body
        with a frame is always looked at."""
        cleaned = self.clean(html)
        if cleaned == html and "<iframe" not in html:
            return cleaned, []
        return cleaned, self.find_unsafe(html)

    def find_unsafe(self, html: str) -> list[Removal]:
        finder = _Finder(self)
        finder.feed(html)
        finder.close()
        return finder.found


class _Finder(HTMLParser):
    def __init__(self, sanitizer: Sanitizer):
        super().__init__(convert_charrefs=True)
        self.sanitizer = sanitizer
        self.found: list[Removal] = []

    def handle_starttag(self, tag, attrs):
        attrs = [(k, v or "") for k, v in attrs]
        values = dict(attrs)
        if tag == "iframe" and self.sanitizer.embed_allowed(values.get("src", "")):
            pass
        elif tag not in ALLOWED_TAGS:
            kind = "脚本" if tag == "script" else ("嵌入内容" if tag in {"iframe", "object", "embed", "frame", "frameset"}
                                                  else "不允许的标签")
            hint = ("正文不能含有脚本" if tag == "script" else
                    "如需嵌入可信网站的视频，请在 site.yaml 的 html.embed_hosts 中列出其域名" if tag == "iframe" else
                    "删除该标签，改用 Markdown 写法")
            self.found.append(Removal(f"<{tag}", f"已移除{kind} <{tag}>（内容安全）", hint))
            return
        allowed = GENERIC_ATTRIBUTES | TAG_ATTRIBUTES.get(tag, set()) | (EMBED_ATTRIBUTES if tag == "iframe" else set())
        for name, value in attrs:
            if tag in MEDIA_TAGS and (name in MEDIA_URL_ATTRIBUTES or name == "autoplay"):
                self._media(tag, name, value, allowed)
            elif name.startswith("on"):
                self.found.append(Removal(name, f"已移除 <{tag}> 的事件属性 {name}（内容安全）", "正文不能含有脚本"))
            elif name in ("href", "src") and _DANGEROUS_URL.match(value):
                self.found.append(Removal(value.strip()[:30], f"已移除 <{tag}> 中的危险链接「{value.strip()[:40]}」（内容安全）",
                                          "链接只能使用 http、https、mailto、tel 或站内相对路径"))
            elif name == "style" and _HIDING_STYLE.search(value):
                self.found.append(Removal("style", f"[LK-2.hidden] 已移除隐藏内容的样式「{value.strip()[:40]}」（疑似暗链）",
                                          "正文不能隐藏链接或文字；请删除该样式，并检查网站是否被篡改", rule="LK-2.hidden"))
            elif name == "hidden" or (name == "aria-hidden" and tag == "a"):
                self.found.append(Removal(name, f"[LK-2.hidden] 已移除 <{tag}> 的 {name} 属性（疑似暗链）",
                                          "正文不能隐藏链接或文字；请检查网站是否被篡改", rule="LK-2.hidden"))
            elif name not in allowed:
                self.found.append(Removal(name, f"已移除 <{tag}> 的 {name} 属性", "正文的格式请用 Markdown 写法",
                                          severity="warning"))

    def _media(self, tag: str, name: str, value: str, allowed: set) -> None:
        """LY-6: a video, audio or captions file from elsewhere than the site, and autoplay."""
        what = "封面图" if name == "poster" else MEDIA_NAMES[tag]
        if name == "autoplay":
            self.found.append(Removal(f"<{tag}", f"[LY-6] 已移除 <{tag}> 的 autoplay 属性：视频和音频不自动播放",
                                      "删除 autoplay，由访问者点击播放（自动播放的声音会盖过读屏软件）",
                                      severity="warning", rule="LY-6"))
        elif name in allowed and not is_local_media(value, self.sanitizer.sisters):
            shown = value.strip()[:60]
            self.found.append(Removal(shown or name, f"[LY-6] 已移除{what}的地址「{shown}」（<{tag} {name}>）："
                                      "视频、音频和字幕只能使用与页面一起发布的本站文件",
                                      "把文件放在页面所在的栏目目录中，用相对路径引用，例如 <source src=\"fangtan.mp4\" "
                                      "type=\"video/mp4\">；视频平台上的节目可在 site.yaml 的 html.embed_hosts 中列出其域名后用 "
                                      "<iframe> 嵌入", rule="LY-6"))
