"""Redirects and the published-URL manifest (research L4: changed URLs are kept working and reported).

``sites/<site>/redirects.yaml`` maps old paths to new targets::

    /old/news/123.html: zwdt/gzdt/2026-01-05-x.md     # a content source: follows renames
    /fgw/: https://fgw.example.gov.cn/                # a folder (its index.html) to another site
    zwdt/old.html: zwdt/gzdt/index.html               # an output path

or, as a list, ``- {from: /old/a.html, to: zwdt/a.md}``. The build then writes

- a small zh-CN page at each old path (meta refresh, canonical link, ``noindex``, a visible link),
  so the redirect works on any static host and from ``file://``;
- ``redirects.map`` at the output root: nginx ``map`` entries (old URI → new address) that the
  shipped server block includes to answer ``301`` instead (docs/redirects.md);
- ``urls.txt`` at the output root: every URL this build publishes, sorted. The next build reads
  the previous output's ``urls.txt`` and warns (LK-1.gone) about each URL that is no longer
  published and that no redirect covers.

Problems in redirects.yaml are errors (LK-1.redirect, with the file line); a disappeared URL is a
warning: the editor adds a redirect or reports the change to the portal.
"""
from __future__ import annotations

import html
import os
import posixpath
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import yaml

from govsite.core.errors import Report
from govsite.core.links import absolute
from govsite.core.source import SourceError, load_yaml, read_text

REDIRECTS_FILE = "redirects.yaml"
MAP_FILE = "redirects.map"
MANIFEST_FILE = "urls.txt"
RULE = "LK-1.redirect"
GONE_RULE = "LK-1.gone"
PAGE_SUFFIXES = (".html", ".htm", ".shtml")   # old paths that get a redirect page (served as text/html)
MANIFEST_SUFFIXES = (".html", ".htm", ".shtml", ".xml")
UNLISTED = ("static", "search", "leave")      # theme files, search index, leaving notices: not links
_PAGINATED = re.compile(r"(^|/)index_\d+\.html$")
_BAD_CHARS = re.compile(r"[\s\"'\\$;{}<>`\x00-\x1f\x7f]")
_MANIFEST_HEADER = "# govsite: URLs this build published (docs/redirects.md)\n"


@dataclass(frozen=True)
class Redirect:
    old: str            # site-relative output path: "old/a.html", "fgw/index.html" for a folder
    folder: str         # "fgw/" when written as a folder, else ""
    raw_target: str     # as written
    line: int
    target: str = ""    # resolved: site-relative output path, or an absolute URL
    external: bool = False

    @property
    def page(self) -> bool:
        """Gets a redirect page (an HTML path); other old paths (.pdf, .jsp) only get a map entry."""
        return bool(self.folder) or self.old.lower().endswith(PAGE_SUFFIXES)


class _Entries:
    def __init__(self, path: Path, report: Report):
        self.path, self.report = path, report

    def error(self, line: int, message: str, hint: str) -> None:
        self.report.error(self.path, line, f"[{RULE}] {message}", hint, rule=RULE)


def _scalar(node) -> str | None:
    if isinstance(node, yaml.ScalarNode) and node.value.strip():
        return node.value.strip()
    return None


def load_redirects(site_dir: Path, report: Report) -> list[Redirect]:
    """Read ``sites/<site>/redirects.yaml`` (absent: no redirects). Old paths are normalised and
    checked here; targets are resolved after rendering by :func:`resolve_redirects`."""
    path = Path(site_dir) / REDIRECTS_FILE
    if not path.is_file():
        return []
    log = _Entries(path, report)
    try:
        text = read_text(path)
        load_yaml(text)                       # syntax, size and depth limits, with the line
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except SourceError as exc:
        report.error(path, exc.line, exc.message, exc.hint, rule=RULE)
        return []
    except yaml.YAMLError as exc:  # pragma: no cover - load_yaml reports these first
        report.error(path, 1, f"YAML 无法解析：{exc}", "检查 redirects.yaml 的语法", rule=RULE)
        return []
    except OSError as exc:
        report.error(path, 0, f"无法读取 redirects.yaml：{exc.strerror or exc}", "检查文件权限", rule=RULE)
        return []
    pairs: list[tuple[object, object, int]] = []
    hint = "写成「旧地址: 新地址」的映射，例如 /old/news/123.html: zwdt/gzdt/2026-01-05-x.md"
    if root is None:
        return []
    if isinstance(root, yaml.MappingNode):
        pairs = [(k, v, k.start_mark.line + 1) for k, v in root.value]
    elif isinstance(root, yaml.SequenceNode):
        for item in root.value:
            line = item.start_mark.line + 1
            if not isinstance(item, yaml.MappingNode):
                log.error(line, "重定向条目应是映射", "例如 - {from: /old/a.html, to: zwdt/gzdt/a.md}")
                continue
            fields = {k.value: v for k, v in item.value if isinstance(k, yaml.ScalarNode)}
            if set(fields) == {"from", "to"}:
                pairs.append((fields["from"], fields["to"], fields["from"].start_mark.line + 1))
            elif len(item.value) == 1:
                key, value = item.value[0]
                pairs.append((key, value, key.start_mark.line + 1))
            else:
                log.error(line, "重定向条目应有 from 和 to 两项（或只写一对「旧地址: 新地址」）",
                          "例如 - {from: /old/a.html, to: zwdt/gzdt/a.md}")
    else:
        log.error(root.start_mark.line + 1, "redirects.yaml 应是「旧地址: 新地址」的映射（或 from/to 列表）", hint)
        return []
    found: list[Redirect] = []
    seen: dict[str, int] = {}
    for key, value, line in pairs:
        old_raw, new_raw = _scalar(key), _scalar(value)
        if old_raw is None or new_raw is None:
            log.error(line, "重定向的旧地址和新地址都应是非空的文字", hint)
            continue
        old = _old_path(old_raw, line, log)
        if old is None:
            continue
        rel, folder = old
        if rel in seen:
            log.error(line, f"旧地址「{old_raw}」重复（第 {seen[rel]} 行已写过）", "每个旧地址只写一条重定向")
            continue
        seen[rel] = line
        found.append(Redirect(rel, folder, new_raw, line))
    return found


def _old_path(raw: str, line: int, log: _Entries) -> tuple[str, str] | None:
    """``/old/a.html`` → ``("old/a.html", "")``; ``/fgw/`` or ``/fgw`` → ``("fgw/index.html", "fgw/")``."""
    if "://" in raw or raw.startswith("//"):
        log.error(line, f"旧地址「{raw}」应是本站的路径，不是完整网址", "去掉 https://域名，只写路径，例如 /old/news/123.html")
        return None
    if "?" in raw or "#" in raw:
        log.error(line, f"旧地址「{raw}」不能带 ? 查询参数或 # 锚点", "只写路径部分；带参数的旧地址请在服务器配置中处理")
        return None
    path = unicodedata.normalize("NFC", unquote(raw))
    if _BAD_CHARS.search(path):
        log.error(line, f"旧地址「{raw}」含有空白、引号或 $ ; {{ }} < > \\ 等字符", "网址路径中不要使用这些字符")
        return None
    parts = [p for p in path.split("/") if p]
    if any(p in (".", "..") for p in parts):
        log.error(line, f"旧地址「{raw}」含有 . 或 .. 路径段，会超出网站输出目录", "写从网站根目录开始的完整路径")
        return None
    if not parts:
        log.error(line, "旧地址不能是网站首页 /", "首页始终存在；要整站迁移请用 site.yaml 的 migration 迁移公告")
        return None
    rel = "/".join(parts)
    if path.endswith("/") or "." not in parts[-1]:
        return rel + "/index.html", rel + "/"
    if parts[-1] == "index.html" and len(parts) > 1:  # reachable as its folder too
        return rel, rel[: -len("index.html")]
    return rel, ""


def _target_of(entry: Redirect, site, outputs: set, log: _Entries) -> tuple[str, bool] | None:
    raw = entry.raw_target
    config = site.config
    base = config.base_url
    if base and raw.startswith(base):
        raw = raw[len(base):] or "index.html"
    elif re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", raw) or raw.startswith("//"):
        parts = urlsplit(raw)
        if parts.scheme not in ("http", "https") or not parts.netloc or _BAD_CHARS.search(raw):
            log.error(entry.line, f"新地址「{raw}」不是可用的网址",
                      "其他网站写完整的 https:// 网址；本站写输出路径或内容源文件路径（如 zwdt/gzdt/a.md）")
            return None
        return raw, True
    if "?" in raw or "#" in raw:
        log.error(entry.line, f"新地址「{raw}」不能带 ? 查询参数或 # 锚点", "写页面本身的路径")
        return None
    path = unicodedata.normalize("NFC", unquote(raw)).lstrip("/")
    norm = posixpath.normpath(path) if path else "."
    if norm == ".." or norm.startswith("../") or _BAD_CHARS.search(path):
        log.error(entry.line, f"新地址「{raw}」超出网站输出目录或含有不允许的字符", "写从网站根目录开始的路径")
        return None
    obj = site.by_src.get(norm.rstrip("/")) if norm != "." else None
    if obj is not None:  # a content source (page .md, column folder, attachment): its output path
        out = getattr(obj, "url", None) or getattr(obj, "out", "")
        if not out or out not in outputs:
            log.error(entry.line, f"新地址「{raw}」指向的页面本次不发布（草稿、未到发布时间或已过期）",
                      "指向已发布的页面，或等该页面发布后再加这条重定向")
            return None
        return out, False
    if norm == "." or path.endswith("/") or "." not in norm.rsplit("/", 1)[-1]:
        norm = "index.html" if norm == "." else norm + "/index.html"
    return norm, False


def resolve_redirects(entries: list[Redirect], site, outputs: set, path: Path, report: Report) -> list[Redirect]:
    """Resolve each target against the files this build wrote (``outputs``: site-relative paths);
    report targets that do not exist, old paths that are real pages, chains and loops."""
    if not entries:
        return []
    log = _Entries(path, report)
    olds = {e.old: e for e in entries}
    lowered = {o.lower() for o in outputs} | {MAP_FILE, MANIFEST_FILE}
    files = lowered | {e.old.lower() for e in entries if e.page}
    folders = {o[:i] for o in lowered for i in range(len(o)) if o[i] == "/"}
    resolved: list[Redirect] = []
    for entry in entries:
        old = entry.old.lower()  # URLs that differ only in case are one file on some hosts
        if old in lowered:
            log.error(entry.line, f"旧地址「/{entry.folder or entry.old}」是本次生成的现有页面或文件，不能重定向",
                      "删除这条重定向；或者该页面确实已迁移，就把原来的内容文件删掉或改名")
            continue
        parents = [old[:i] for i in range(len(old)) if old[i] == "/"]
        blocked = next((p for p in parents if p in files), None) or (old if old in folders else None)
        if blocked:
            log.error(entry.line, f"旧地址「/{entry.old}」无法写出：「/{blocked}」已是本站的一个文件或目录",
                      "检查旧地址的写法；一个路径不能既是文件又是目录")
            continue
        found = _target_of(entry, site, outputs, log)
        if found is None:
            continue
        target, external = found
        if not external and target in olds:
            chain, step = [entry.old], olds[target]
            while True:
                chain.append(step.old)
                if step.old == entry.old or step.old in chain[:-1]:
                    break
                nxt = _target_of(step, site, outputs, _Entries(path, Report()))
                if nxt is None or nxt[1] or nxt[0] not in olds:
                    if nxt is not None:
                        chain.append(nxt[0])
                    break
                step = olds[nxt[0]]
            loop = chain[-1] in chain[:-1]
            shown = " → ".join("/" + c.removesuffix("index.html") for c in chain)
            if loop:
                log.error(entry.line, f"重定向形成循环：{shown}", "删除其中一条，让旧地址指向真正存在的页面")
            else:
                log.error(entry.line, f"重定向链：{shown}（新地址本身又被重定向）", "让旧地址直接指向最终的地址")
            continue
        if not external and target not in outputs:
            what = "内容源文件" if target.endswith(".md") else f"本次构建没有生成 {target}"
            log.error(entry.line, f"新地址「{entry.raw_target}」不存在（{what}）",
                      "检查路径；链接本站页面时可以写它的 .md 源文件路径（如 zwdt/gzdt/a.md），改名后仍然正确")
            continue
        resolved.append(Redirect(entry.old, entry.folder, entry.raw_target, entry.line, target, external))
    return resolved


def _href(path: str) -> str:
    return quote(path, safe="/%~-._!*()+,=:@&")


def redirect_page(entry: Redirect, config) -> str:
    """The page at an old path: works without JavaScript, from file:// and on any static host."""
    if entry.external:
        href = absolute_href = entry.target
    else:
        href = _href(posixpath.relpath(entry.target, posixpath.dirname(entry.old) or "."))
        full = absolute(config, entry.target)
        absolute_href = config.base_url + _href(full[len(config.base_url):])
    h = html.escape
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>页面已迁移 - {h(config.name)}</title>\n"
        '<meta name="robots" content="noindex">\n'
        f'<meta http-equiv="refresh" content="0; url={h(href)}">\n'
        f'<link rel="canonical" href="{h(absolute_href)}">\n'
        "</head>\n<body>\n"
        f'<p>本页面已迁移至 <a href="{h(href)}">{h(unquote(absolute_href))}</a>。</p>\n'
        "</body>\n</html>\n"
    )


def nginx_map(entries: list[Redirect], config, source: str) -> str:
    """``map $uri $govsite_redirect { include …/redirects.map; }`` entries: old URI → new address."""
    base = config.base_path or "/"
    lines = {}
    for e in entries:
        value = e.target if e.external else base + _href(e.target.removesuffix("index.html"))
        keys = [e.old] if not e.folder else [e.folder, e.folder.rstrip("/"), e.old]
        for key in keys:
            lines[base + key] = value
    body = "".join(f'"{k}" "{v}";\n' for k, v in sorted(lines.items()))
    return (f"# generated by govsite from {source}: old URI → new address (301); see docs/redirects.md\n"
            f"# {len(entries)} redirect(s)\n" + body)


def output_files(root: Path) -> set[str]:
    """Every file under the temporary output folder, as site-relative posix paths."""
    found: set[str] = set()
    base = str(root)
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames.sort()
        rel_dir = os.path.relpath(dirpath, base).replace(os.sep, "/")
        prefix = "" if rel_dir == "." else rel_dir + "/"
        found.update(prefix + name for name in filenames)
    return found


def manifest(outputs: set, entries: list[Redirect], prefixes) -> list[str]:
    """The URLs users and the portal link: HTML pages and feeds (.xml), plus every redirected old
    path; not theme files, the search index, leaving notices or list pages after the first."""
    urls = set()
    for rel in outputs:
        if not rel.lower().endswith(MANIFEST_SUFFIXES) or _PAGINATED.search(rel):
            continue
        rest = rel
        for prefix in prefixes:
            if prefix and rel.startswith(prefix):
                rest = rel[len(prefix):]
                break
        if rest.split("/", 1)[0] in UNLISTED:
            continue
        urls.add(rel)
    urls.update(e.old for e in entries)
    return sorted(urls)


def read_manifest(folder: Path) -> set | None:
    """The URLs of the previous output's ``urls.txt``; None when there is none (first build)."""
    try:
        text = (Path(folder) / MANIFEST_FILE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return {line.strip() for line in text.split("\n") if line.strip() and not line.startswith("#")}


def manifest_text(urls: list[str]) -> str:
    return _MANIFEST_HEADER + "".join(u + "\n" for u in urls)


def report_gone(previous: set, urls: list[str], site, path: Path, report: Report) -> None:
    """LK-1.gone: one warning per URL the previous build published and this one does not."""
    gone = sorted(previous - set(urls))
    rel = f"sites/{site.config.key}/{REDIRECTS_FILE}"
    for url in gone:
        report.warning(path, 0, f"[{GONE_RULE}] 上次发布的网址「{absolute(site.config, url)}」本次不再发布",
                       f"在 {rel} 中加一条重定向，或报告门户网站", rule=GONE_RULE)
