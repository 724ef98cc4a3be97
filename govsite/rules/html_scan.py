"""Rules on the rendered output: meta tags (MT-1…MT-4), broken links and anchors (LK-1), hidden
links (暗链, LK-2.hidden), images without alt (AX-1) and advertising hosts (ID-4).

Inspectors see the published pages, so these rules read the HTML files themselves. Pages are
read with a few targeted regular expressions rather than a full parser: the generator writes
regular HTML, and a site of 10,000 pages must be scanned in seconds. Each file is scanned on its
own (worker processes); links to anchors in *other* files are returned to the caller, which
checks them once all files are known.

A scan returns :class:`Raw` records that still name the output file; the runner maps them to the
source file and line an editor has to change.
"""
from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from govsite.core.links import host_matches, host_of, leave_path

# outbound links in page bodies go through a leaving-notice page (LK-2); hiding one is a 暗链 too
LEAVE_PREFIX = leave_path("x").rsplit("/", 1)[0] + "/"

SITE_TAGS = ("SiteName", "SiteDomain", "SiteIDCode")
COLUMN_PAGE_TAGS = ("ColumnName", "ColumnDescription", "ColumnKeywords", "ColumnType")
CONTENT_COLUMN_TAGS = ("ColumnName", "ColumnType")
CONTENT_TAGS = ("ArticleTitle", "PubDate", "ContentSource", "Keywords", "Author", "Description", "Image", "Url")
_REDIRECT_MARK = '<meta http-equiv="refresh"'
SPECIAL = {"sitemap.html", "help.html", "search.html", "404.html"}

_HEAD_END = re.compile(r"</head\s*>", re.I)
_META_RE = re.compile(r"<meta\s[^>]*>", re.I)
_META_FAST = re.compile(r'<meta name="([^"]*)" content="([^"]*)"\s*/?>$')
_TAG_RE = re.compile(r"<(a|img|link|script|iframe|source|embed|area|video|audio|track|form|frame)\b([^>]*)>", re.I)
_ATTR_RES = {name: re.compile(rf"""(?:^|\s){name}\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
             for name in ("href", "src", "action", "alt", "style", "name", "content", "id", "rel")}
_HIDDEN_ATTR = re.compile(r"""(?:^|\s)hidden(?:\s|=|/|$)""", re.I)
_ID_RE = re.compile(r"""\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_HIDING_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?![.\d]*[1-9])|opacity\s*:\s*0(?![.\d]*[1-9])"
    r"|(?:left|top|text-indent|margin-left|margin-top)\s*:\s*-\s*\d{3,}|(?:height|width)\s*:\s*0(?:px)?\s*(?:;|$|!)"
    r"|clip\s*:\s*rect\(\s*0", re.I)
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_TAGS_IN = re.compile(r"<[^>]+>")
_PUBDATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")
_CODE_RE = re.compile(r"^(bm\d{8}|\d{10})$")
_SKIP_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "sms:", "ftp:")
_URL_ATTR = {"a": "href", "link": "href", "area": "href", "form": "action"}


@dataclass
class Raw:
    """One output finding before it is mapped to a source file."""

    rule: str
    rel: str               # output path of the page, e.g. "zwdt/gzdt/a.html"
    line: int              # line in the HTML file
    message: str
    hint: str = ""
    needle: str = ""       # text to look for in the page's source (a link as written)
    tag: str = ""          # meta tag name for MT findings
    kind: str = ""         # "empty" (a value the content can set) or "" (the template's)


@dataclass
class ScanContext:
    """What every worker needs; shared with forked workers without pickling."""

    root: str                               # output folder
    files: frozenset                        # every file under it (posix, relative)
    expected: frozenset = frozenset()       # outputs the site will have (partial renders)
    domain: str = ""
    base_path: str = "/"
    column_types: tuple = ()
    ad_hosts: tuple = ()
    rules: frozenset = frozenset()
    partial: bool = False                   # only some pages rendered: theme files are not all there
    # folders another process is still writing (the build's search index): a link into one that
    # is not there yet is decided when that process is done (FileScan.pending)
    pending: tuple = ()


@dataclass
class FileScan:
    rel: str
    raws: list = field(default_factory=list)
    fragments: list = field(default_factory=list)  # (target rel, fragment, needle, line) to check later
    pending: list = field(default_factory=list)    # (target rel, Raw): a finding if the target is missing at the end


def page_kind(rel: str) -> str:
    """home | column | content | special, from the URL scheme (docs/formats.md)."""
    if rel == "index.html":
        return "home"
    if "/" not in rel and rel in SPECIAL:
        return "special"
    base = posixpath.basename(rel)
    if base == "index.html" or (base.startswith("index_") and base[6:-5].isdigit()):
        return "column"
    return "content"


def _attr(attrs: str, name: str):
    m = _ATTR_RES[name].search(attrs)
    if not m:
        return None
    value = m.group(1) if m.group(1) is not None else m.group(2) if m.group(2) is not None else m.group(3)
    return _unescape(value)


def _unescape(value: str) -> str:
    if "&" not in value:
        return value
    return (value.replace("&amp;", "&").replace("&quot;", '"').replace("&#39;", "'")
            .replace("&#x27;", "'").replace("&lt;", "<").replace("&gt;", ">"))


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


@lru_cache(maxsize=200_000)
def _resolve(base_dir: str, path: str, base_path: str):
    """Output-relative target of a local link path, or ``None`` when it leaves the site."""
    if path.startswith("/"):
        if not path.startswith(base_path):
            return None
        target = path[len(base_path):]
    else:
        target = posixpath.join(base_dir, path) if base_dir else path
    directory = target.endswith("/") or target in ("", ".")
    target = posixpath.normpath(target) if target else "."
    if target.startswith("../") or target == "..":
        return None
    if target == ".":
        return "index.html"
    return target + "/index.html" if directory else target


def _exists(ctx: ScanContext, target: str) -> bool:
    if target in ctx.files or target in ctx.expected:
        return True
    if ctx.partial and target.startswith("static/"):
        return True  # generated theme files (colours, search index) are written by a full build only
    # a link to a folder without a trailing slash ("zwdt") works when the folder has an index
    return (target + "/index.html") in ctx.files or (target + "/index.html") in ctx.expected


_MARKER_RE = re.compile(r"\shidden\b|\sstyle\s*=", re.I)


def _hidden_spans(text: str, start: int) -> list[tuple[int, int]]:
    """Spans of elements hidden by the ``hidden`` attribute or an inline style.

    Looks for the two markers and reads the tag around each one, which is much cheaper than
    matching every tag of the page.
    """
    spans = []
    seen = set()
    for m in _MARKER_RE.finditer(text, start):
        lt = text.rfind("<", 0, m.start())
        if lt < 0 or lt in seen or text.find(">", lt, m.start()) >= 0:
            continue  # inside text, not a tag
        seen.add(lt)
        gt = text.find(">", m.start())
        if gt < 0:
            break
        tag_m = _TAG_NAME.match(text, lt)
        if not tag_m:
            continue
        tag = tag_m.group(1).lower()
        if tag in _VOID or tag == "a":
            continue
        attrs = text[tag_m.end():gt]
        style = _attr(attrs, "style") or ""
        if not (_HIDDEN_ATTR.search(attrs) or _HIDING_STYLE.search(style)):
            continue
        spans.append((lt, _element_end(text, tag, gt + 1)))
    return spans


_TAG_NAME = re.compile(r"<([a-zA-Z][\w-]*)")


@lru_cache(maxsize=64)
def _end_pattern(tag: str):
    return re.compile(rf"<(/?){re.escape(tag)}\b[^>]*>", re.I)


def _element_end(text: str, tag: str, pos: int) -> int:
    depth = 1
    for m in _end_pattern(tag).finditer(text, pos):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return m.end()
    return len(text)


def _hidden_reason(text: str, m, attrs: str, spans) -> str:
    if _HIDDEN_ATTR.search(attrs):
        return "hidden 属性"
    style = _attr(attrs, "style") or ""
    hit = _HIDING_STYLE.search(style)
    if hit:
        return f"样式 {hit.group(0)}"
    for a, b in spans:
        if a < m.start() < b:
            return "所在的元素被隐藏"
    close = text.find("</a", m.end())
    inner = text[m.end():close if close >= 0 else m.end()]
    if "<img" not in inner.lower() and not _TAGS_IN.sub("", inner).strip():
        return "链接没有可见文字"
    return ""


# what a link is, computed once per (folder, link) in each worker: most links of a page (navigation,
# breadcrumbs, footer) are the same on every page of a folder
_VERDICTS: dict = {}
_VERDICTS_FOR: list = [None]      # the ScanContext the cache belongs to (a new scan starts afresh)
SKIP, SELF, EXTERNAL, OK, MISSING, OUTSIDE, BAD, PENDING = range(8)


def _verdict(ctx: ScanContext, base_dir: str, url: str) -> tuple:
    if not url or url.startswith(_SKIP_SCHEMES) or url[:11].lower().startswith(_SKIP_SCHEMES):
        return (SKIP,)
    if url.startswith("#"):
        return (SELF, unquote(url[1:]))
    if url.startswith(("http://", "https://", "//")):
        host = host_of(url if not url.startswith("//") else "http:" + url)
        if not host or host != ctx.domain:
            is_ad = bool(host) and any(host_matches(host, h) for h in ctx.ad_hosts)
            return (EXTERNAL, host, is_ad)
        parts = urlsplit(url)
        path = parts.path or "/"
        if not path.startswith(ctx.base_path):
            return (SKIP,)
        url_path, fragment = path, parts.fragment
    else:
        try:
            parts = urlsplit(url)
        except ValueError:
            return (BAD,)
        if parts.scheme or parts.netloc:
            return (SKIP,)
        url_path, fragment = parts.path, parts.fragment
    target = _resolve(base_dir, unquote(url_path), ctx.base_path) if url_path else None
    if url_path and target is None:
        return (OUTSIDE,)
    if target is not None and not _exists(ctx, target):
        return (PENDING, target) if target.startswith(ctx.pending) and ctx.pending else (MISSING, target)
    if LEAVE_PREFIX and target and target.startswith(LEAVE_PREFIX):
        return (EXTERNAL, "", False, target)  # a leaving notice: the link goes off the site
    return (OK, target, unquote(fragment) if fragment else "")


def _url_of(attrs: str, name: str):
    """The value of attribute ``name``: a fast path for ``name="…"``, else the general parser."""
    key = name + '="'
    i = attrs.find(key)
    if i >= 0 and (i == 0 or attrs[i - 1] in " \t\n"):
        j = attrs.find('"', i + len(key))
        if j >= 0:
            return _unescape(attrs[i + len(key):j])
    return _attr(attrs, name)


def _has_id(text: str, fragment: str, ids_holder: list) -> bool:
    if f'id="{fragment}"' in text or f'name="{fragment}"' in text:
        return True
    if ids_holder[0] is None:
        ids_holder[0] = collect_ids(text)
    return fragment in ids_holder[0]


def scan_file(ctx: ScanContext, rel: str, text: str | None = None) -> FileScan:
    """Scan one output HTML file (read from ``ctx.root`` unless ``text`` is given)."""
    result = FileScan(rel)
    raws = result.raws
    if text is None:
        try:
            with open(os.path.join(ctx.root, rel), encoding="utf-8", errors="replace") as fh:
                text = fh.read()
        except OSError as exc:
            raws.append(Raw("LK-1", rel, 0, f"输出文件无法读取：{exc}"))
            return result
    rules = ctx.rules
    kind = page_kind(rel)
    head_match = _HEAD_END.search(text)
    head_end = head_match.start() if head_match else min(len(text), 4096)
    if rules & {"MT-1", "MT-2", "MT-3", "MT-4"} and _REDIRECT_MARK not in text[:head_end]:
        _check_meta(ctx, rel, kind, text, head_end, raws)  # redirect pages (govsite.redirects) carry no 网页标签
    base_dir = posixpath.dirname(rel)
    links_on = "LK-1" in rules
    hidden_on = "LK-2.hidden" in rules
    ads_on = "ID-4" in rules
    alt_on = "AX-1" in rules
    ids = [None]
    spans = None
    cache = _VERDICTS
    if _VERDICTS_FOR[0] is not ctx or len(cache) > 500_000:
        cache.clear()
        _VERDICTS_FOR[0] = ctx
    for m in _TAG_RE.finditer(text):
        tag = m.group(1).lower()
        attrs = m.group(2)
        if tag == "img" and alt_on and m.start() > head_end and _attr(attrs, "alt") is None:
            src = _url_of(attrs, "src") or ""
            raws.append(Raw("AX-1", rel, _line(text, m.start()), f"图片 {src or '(无地址)'} 没有 alt 属性",
                            "为图片加上替代文字", needle=src))
        if tag == "link" and ("canonical" in attrs or "alternate" in attrs):
            continue
        url = _url_of(attrs, _URL_ATTR.get(tag, "src"))
        if url is None:
            continue
        url = url.strip()
        key = (base_dir, url)
        verdict = cache.get(key)
        if verdict is None:
            verdict = cache[key] = _verdict(ctx, base_dir, url)
        what = verdict[0]
        if what == SKIP or (what == OK and not verdict[2]):
            continue
        if what == EXTERNAL:
            host, is_ad = verdict[1], verdict[2]
            if is_ad and ads_on and tag != "a":  # links are found in the sources (text rules)
                raws.append(Raw("ID-4", rel, _line(text, m.start()), f"页面引用了广告服务「{host}」",
                                "删除广告代码和广告链接", needle=url))
            if len(verdict) > 3:
                host = "离站提示页 " + verdict[3]
            if tag == "a" and hidden_on and host:
                if spans is None:
                    spans = _hidden_spans(text, head_end)
                reason = _hidden_reason(text, m, attrs, spans)
                if reason:
                    raws.append(Raw("LK-2.hidden", rel, _line(text, m.start()),
                                    f"暗链：指向「{host}」的链接对访问者不可见（{reason}）",
                                    "删除该链接；如系页面被篡改，立即按网络安全事件处置", needle=url))
            continue
        if links_on:
            _internal_link(result, text, m.start(), tag, url, verdict, ids)
    return result


def _internal_link(result: FileScan, text: str, start: int, tag: str, url: str, verdict: tuple, ids: list) -> None:
    """LK-1 for a link within the site at ``start`` of the page (``verdict``: :func:`_verdict`'s,
    neither SKIP, EXTERNAL nor OK without a fragment). An anchor in another page is left in
    ``result.fragments`` for the caller, who has every page's ids."""
    what, rel, raws = verdict[0], result.rel, result.raws
    if what == SELF:
        fragment = verdict[1]
        if fragment and fragment.lower() != "top" and tag in ("a", "area") and not _has_id(text, fragment, ids):
            raws.append(Raw("LK-1", rel, _line(text, start), f"页内锚点「{url}」不存在",
                            "检查锚点名称（标题的锚点由标题文字生成）", needle=url))
    elif what == BAD:
        raws.append(Raw("LK-1", rel, _line(text, start), f"链接「{url}」无法解析", "改正链接地址", needle=url))
    elif what == OUTSIDE:
        raws.append(Raw("LK-1", rel, _line(text, start), f"链接「{url}」指向网站目录之外",
                        "只链接本站内容", needle=url))
    elif what in (MISSING, PENDING):
        raw = Raw("LK-1", rel, _line(text, start), f"链接「{url}」指向的文件不存在（{verdict[1]}）",
                  "检查链接地址；链接其他页面时写它的 .md 源文件路径", needle=url)
        if what == MISSING:
            raws.append(raw)
        else:
            result.pending.append((verdict[1], raw))
    else:  # OK with a fragment
        target, fragment = verdict[1], verdict[2]
        if fragment.lower() == "top" or tag not in ("a", "area") or not (target or rel).endswith(".html"):
            return
        if target is None or target == rel:
            if not _has_id(text, fragment, ids):
                raws.append(Raw("LK-1", rel, _line(text, start), f"页内锚点「#{fragment}」不存在",
                                "检查锚点名称", needle="#" + fragment))
        else:
            result.fragments.append((target, fragment, url, _line(text, start)))


def collect_ids(text: str) -> set:
    return {a if a is not None else b for a, b in _ID_RE.findall(text)}


def _check_meta(ctx: ScanContext, rel: str, kind: str, text: str, head_end: int, raws: list) -> None:
    metas: dict[str, tuple[str, int]] = {}
    for m in _META_RE.finditer(text, 0, head_end):
        attrs = m.group(0)
        fast = _META_FAST.match(attrs)
        if fast:
            name, content = fast.group(1), _unescape(fast.group(2))
        else:
            name = _attr(attrs, "name")
            if name is None:
                continue
            content = _attr(attrs, "content")
        metas.setdefault(name, (content if content is not None else "", m.start()))
    required: list[tuple[str, tuple[str, ...]]] = [("MT-1", SITE_TAGS)]
    if kind == "column":
        required.append(("MT-2", COLUMN_PAGE_TAGS))
    elif kind == "content":
        required += [("MT-2", CONTENT_COLUMN_TAGS), ("MT-3", CONTENT_TAGS)]
    head_line = 1
    for rule, names in required:
        if rule not in ctx.rules:
            continue
        for name in names:
            if name not in metas:
                raws.append(Raw(rule, rel, head_line, f"缺少网页标签 <meta name=\"{name}\">",
                                "网页标签由主题模板输出：检查模板（themes/…/templates）是否输出了该标签", tag=name))
            elif not metas[name][0].strip():
                raws.append(Raw(rule, rel, _line(text, metas[name][1]), f"网页标签 {name} 的值为空",
                                "标签值不能为空：填写对应的内容字段", tag=name, kind="empty"))
    if "MT-4" not in ctx.rules:
        return

    def bad(name, message, hint):
        raws.append(Raw("MT-4", rel, _line(text, metas[name][1]), message, hint, tag=name))

    if "PubDate" in metas and metas["PubDate"][0].strip() and not _PUBDATE_RE.match(metas["PubDate"][0]):
        bad("PubDate", f"PubDate「{metas['PubDate'][0]}」格式不对，应为 YYYY-MM-DD HH:MM", "发布时间精确到分钟，不带秒")
    if "SiteIDCode" in metas and metas["SiteIDCode"][0].strip() and not _CODE_RE.match(metas["SiteIDCode"][0]):
        bad("SiteIDCode", f"SiteIDCode「{metas['SiteIDCode'][0]}」格式不对", "10位数字，或 bm 加8位数字")
    if "Url" in metas and metas["Url"][0].strip() and not metas["Url"][0].startswith(("http://", "https://")):
        bad("Url", f"Url「{metas['Url'][0]}」不是绝对网址", "Url 应为页面的完整网址")
    if ctx.column_types and "ColumnType" in metas:
        value = metas["ColumnType"][0].strip()
        if value and value not in ctx.column_types:
            bad("ColumnType", f"ColumnType「{value}」不在栏目类别词表中", "使用规定的栏目类别，或在 site.yaml 的 column_types 中增加")
