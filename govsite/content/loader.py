"""Stage 1 — load: read a site's content tree into :class:`Column`, :class:`Page` and :class:`Asset`.

Each file is validated on its own here (syntax, encoding, required fields, value types); what
depends on other files (URLs, inheritance, emptiness) is left to :mod:`govsite.resolve`.
"""
from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from govsite.cache.store import _hash, stamp
from govsite.core.dates import DateError, parse_datetime
from govsite.core.errors import Report
from govsite.core.vocab import VIEWS
from govsite.content.model import Asset, Column, Page
from govsite.core.slugs import check_explicit, slugify
from govsite.core.source import (SourceError, as_list, key_line, load_yaml, read_text, read_yaml_file, split_front_matter)

COLUMN_FILE = "_column.yaml"
CATALOGUE_SUFFIX = ".catalogue.yaml"   # 政务公开事项标准目录 (S3): a YAML table rendered as a page
PAGE_FIELDS = {"title", "date", "source", "author", "keywords", "description", "image", "slug",
               "top", "draft", "publish", "expire", "archived", "type"}
COLUMN_FIELDS = {"name", "description", "keywords", "type", "order", "intro", "source", "author",
                 "image", "archived", "slug", "end", "views", "translation_key"}


@dataclass
class ContentTree:
    columns: list = field(default_factory=list)
    pages: list = field(default_factory=list)
    assets: list = field(default_factory=list)
    broken: set = field(default_factory=set)   # column folders whose _column.yaml could not be read


def is_ignored(name: str) -> bool:
    """Hidden files and editors' temporary files are never content."""
    return (name.startswith((".", "#")) or name.endswith(("~", ".swp", ".swx", ".tmp", ".vsctmp", "#"))
            or name in {"4913", "Thumbs.db", "desktop.ini"})


def load_content(root: Path, column_types, report: Report, cache=None) -> ContentTree:
    """Walk ``root`` in sorted order; every problem goes to ``report``.

    ``cache`` (a :class:`~govsite.cache.BuildCache`): pages read without problems are kept by
    path, size, mtime and inode, so an unchanged file is not parsed again."""
    tree = ContentTree()
    root = Path(root)
    real_root = root.resolve()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        rel_dir = here.relative_to(root).as_posix()
        rel_dir = "" if rel_dir == "." else unicodedata.normalize("NFC", rel_dir)
        dirnames[:] = sorted(d for d in dirnames if not is_ignored(d) and not d.startswith("_"))
        for d in list(dirnames):
            if (here / d).is_symlink() and not _inside(here / d, real_root):
                report.error(here / d, 0, "目录链接指向内容目录之外，已忽略", "把内容复制进内容目录，不要用链接")
                dirnames.remove(d)
        files = sorted(f for f in filenames if not is_ignored(f))
        has_column = COLUMN_FILE in files
        if rel_dir and has_column:
            column = _load_column(here / COLUMN_FILE, rel_dir, column_types, report)
            if column:
                tree.columns.append(column)
            else:
                tree.broken.add(rel_dir)
        for name in files:
            path = here / name
            # sources are named in NFC, so a link typed on one system finds a file saved on another
            rel = unicodedata.normalize("NFC", f"{rel_dir}/{name}" if rel_dir else name)
            if name == COLUMN_FILE:
                if not rel_dir:
                    report.error(path, 1, "内容根目录不是栏目，不能有 _column.yaml",
                                 "把栏目建成内容根目录下的子目录")
                continue
            if os.path.islink(os.path.join(dirpath, name)) and not _inside(path, real_root):
                report.error(path, 0, "文件链接指向内容目录之外，已忽略", "把文件复制进内容目录，不要用链接")
                continue
            if name.startswith("_"):
                continue
            if name.endswith(CATALOGUE_SUFFIX) and rel_dir:
                page = _load_catalogue(path, rel, report)
                if page:
                    tree.pages.append(page)
            elif name.endswith(".md"):
                if not rel_dir:
                    report.error(path, 1, "页面不在任何栏目中（内容根目录下不能直接放页面）",
                                 "把文件移到某个栏目目录中，例如 zwdt/gzdt/")
                    continue
                page = _cached_page(path, rel, report, cache) if cache is not None else _load_page(path, rel, report)
                if page:
                    tree.pages.append(page)
            elif rel_dir:
                tree.assets.append(Asset(file=path, src=rel))
    return tree


def _cached_page(path: Path, rel: str, report: Report, cache) -> Page | None:
    """A page from the cache, or parsed (and then cached). The cached page is kept without its
    ``file``, which its key names already: unpickling a ``Path`` costs more than the rest of the
    page (0.05 s of every build at 5,000 pages), and the walk has just made one."""
    st = stamp(path)
    key = b"pg" + _hash(path, rel, *st) if st is not None else None
    if key is not None:
        page = cache.get("sources", key)
        if page is not None:
            cache.hits["sources"] += 1
            page.file = path
            return page
    problems = len(report.problems)
    page = _load_page(path, rel, report)
    if key is not None and page is not None and len(report.problems) == problems:
        page.file = None
        cache.put("sources", key, page)
        page.file = path
    return page


def _inside(path: Path, real_root: Path) -> bool:
    try:
        path.resolve().relative_to(real_root)
        return True
    except (ValueError, OSError):
        return False


def _date(data, key, text, first_line, path, report):
    value = data.get(key)
    line = key_line(text, key, first_line)
    if value is None or value == "":
        return None
    try:
        return parse_datetime(value)
    except DateError as exc:
        report.error(path, line, f"{key} 的值无法识别：{exc}", f"写成 YYYY-MM-DD HH:MM，例如 {key}: 2026-03-18 09:30")
        return None


def _text(data, key) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return ""
    return str(value).strip()


def head_digest(front_matter: str) -> bytes:
    """What a body-only edit leaves unchanged: the front matter text (see :mod:`govsite.quick`)."""
    return _hash(front_matter)


def _load_page(path: Path, rel: str, report: Report) -> Page | None:
    try:
        text = read_text(path)
        fm_text, body, body_line = split_front_matter(text)
        data = load_yaml(fm_text, first_line=2)
    except SourceError as exc:
        report.error(path, exc.line, exc.message, exc.hint)
        return None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        report.error(path, 2, "front matter 应是键值映射（key: value）", "每行写一个 键: 值，例如 title: 标题")
        return None
    lines = {str(k): key_line(fm_text, str(k), 2) for k in data}
    page = Page(file=path, src=rel, body=body, body_line=body_line, lines=lines, head_digest=head_digest(fm_text))
    ok = True
    title = data.get("title")
    if title is None or str(title).strip() == "" or isinstance(title, (dict, list)):
        report.error(path, lines.get("title", 1), "缺少必填字段 title（标题）", "在 front matter 中加入 title: 文章标题")
        ok = False
    else:
        page.title = str(title).strip()
    if data.get("date") in (None, ""):
        report.error(path, lines.get("date", 1), "缺少必填字段 date（发布时间）",
                     "在 front matter 中加入，例如 date: 2026-03-18 09:30")
        ok = False
    else:
        page.date = _date(data, "date", fm_text, 2, path, report)
        ok = ok and page.date is not None
    for key in ("source", "author", "description", "image", "type"):
        value = data.get(key)
        if isinstance(value, (dict, list)):
            report.error(path, lines.get(key, 1), f"{key} 应是一段文字", f"写成 {key}: 文字")
            ok = False
        elif value is not None:
            setattr(page, key, str(value).strip())
    page.type = page.type or "news"
    page.keywords = as_list(data.get("keywords"))
    if "slug" in data:
        slug = str(data["slug"]).strip()
        reason = check_explicit(slug)
        if reason:
            report.error(path, lines["slug"], reason, "slug 只写一个网址片段，例如 slug: yshj-tjh")
            ok = False
        else:
            page.slug = slug
    top = data.get("top", 0)
    if isinstance(top, bool):
        page.top = int(top)
    elif isinstance(top, int):
        page.top = top
    else:
        report.error(path, lines.get("top", 1), f"top（置顶）应是 true 或整数，现为「{top}」", "例如 top: 1")
        ok = False
    draft = data.get("draft", False)
    if not isinstance(draft, bool):
        report.error(path, lines.get("draft", 1), f"draft 应是 true 或 false，现为「{draft}」", "例如 draft: true")
        ok = False
    page.draft = draft is True
    for key in ("publish", "expire"):
        if key in data:
            setattr(page, key, _date(data, key, fm_text, 2, path, report))
    if "archived" in data:
        if data["archived"] is True:
            report.error(path, lines["archived"], "[AR-1] archived 需要写归档时间，而不是 true",
                         "例如 archived: 2025-01-10 12:00", rule="AR-1")
            ok = False
        elif data["archived"] not in (False, None):
            page.archived = _date(data, "archived", fm_text, 2, path, report)
    page.extra = {k: v for k, v in data.items() if k not in PAGE_FIELDS}
    return page if ok else None


def _load_catalogue(path: Path, rel: str, report: Report) -> Page | None:
    """A standard catalogue (S3) is a page whose source is YAML: title, date and ``items`` rows.

    Each row's line is kept (``lines["items[N]"]``) so a bad row is reported where it is.
    """
    read = read_yaml_file(path, report)
    if read is None:
        return None
    text, data = read
    if not isinstance(data, dict):
        report.error(path, 1, "[GK-2] 标准目录文件应是键值映射：title、date、catalogue、items",
                     "参照 docs/content-types.md 中的标准目录示例", rule="GK-2")
        return None
    lines = {str(k): key_line(text, str(k)) for k in data}
    lines.update(_row_lines(text, data.get("items")))
    page = Page(file=path, src=rel, body=str(data.get("intro") or ""), body_line=lines.get("intro", 1),
                lines=lines, type="catalogue")
    page.slug = slugify(path.name[: -len(CATALOGUE_SUFFIX)]) or "catalogue"
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        report.error(path, lines.get("title", 1), "缺少必填字段 title（目录名称）", "例如 title: 景澜区社会救助领域基层政务公开标准目录")
        return None
    page.title = title.strip()
    if data.get("date") in (None, ""):
        report.error(path, 1, "缺少必填字段 date（发布时间）", "例如 date: 2026-02-15 10:00")
        return None
    page.date = _date(data, "date", text, 1, path, report)
    if page.date is None:
        return None
    for key in ("source", "author", "description"):
        if isinstance(data.get(key), str):
            setattr(page, key, data[key].strip())
    page.keywords = as_list(data.get("keywords"))
    page.extra = {k: v for k, v in data.items() if k not in PAGE_FIELDS and k != "intro"}
    return page


def _row_lines(text: str, items) -> dict:
    """The line of each row of a top-level ``items:`` list (for errors that name a row)."""
    import yaml

    if not isinstance(items, list):
        return {}
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    for key, value in getattr(node, "value", []):
        if getattr(key, "value", None) == "items" and isinstance(value, yaml.SequenceNode):
            return {f"items[{n}]": item.start_mark.line + 1 for n, item in enumerate(value.value)}
    return {}


def _load_column(path: Path, rel_dir: str, column_types, report: Report) -> Column | None:
    read = read_yaml_file(path, report)
    if read is None:
        return None
    text, data = read
    if not isinstance(data, dict):
        report.error(path, 1, "_column.yaml 应是键值映射，至少包含 name（栏目名称）", "例如 name: 工作动态")
        return None
    lines = {str(k): key_line(text, str(k)) for k in data}
    col = Column(src=rel_dir, file=path, lines=lines)
    ok = True
    name = data.get("name")
    if name is None or str(name).strip() == "" or isinstance(name, (dict, list)):
        report.error(path, 1, "缺少必填字段 name（栏目名称）", "在 _column.yaml 中写 name: 栏目名称")
        ok = False
    else:
        col.name = str(name).strip()
    for key in ("description", "intro", "source", "author", "image", "translation_key"):
        col.__dict__[key] = _text(data, key)
    col.keywords = as_list(data.get("keywords"))
    ctype = _text(data, "type")
    if ctype and ctype not in column_types:
        report.error(path, lines.get("type", 1), f"[CO-7] 未知的栏目类别 type「{ctype}」",
                     "可选：" + "、".join(column_types) + "；或在 site.yaml 的 column_types 中增加", rule="CO-7")
        ok = False
    col.type = ctype
    order = data.get("order", 100)
    if isinstance(order, bool) or not isinstance(order, int):
        report.error(path, lines.get("order", 1), f"order 应是整数，现为「{order}」", "例如 order: 10")
        ok = False
    else:
        col.order = order
    if "slug" in data:
        slug = str(data["slug"]).strip()
        reason = check_explicit(slug)
        if reason:
            report.error(path, lines["slug"], reason, "slug 只写一个网址片段，例如 slug: gzdt")
            ok = False
        col.slug = slug
    if data.get("archived") is True:
        report.error(path, lines["archived"], "[AR-2] archived 需要写归档时间，而不是 true",
                     "例如 archived: 2024-12-31 17:00", rule="AR-2")
        ok = False
    elif data.get("archived") not in (None, False):
        col.archived = _date(data, "archived", text, 1, path, report)
    if "end" in data:
        col.end = _date(data, "end", text, 1, path, report)
    if "views" in data:
        names = as_list(data.get("views"))
        unknown = [n for n in names if n not in VIEWS]
        if unknown:
            report.error(path, lines["views"], f"views 中有未知的汇总页「{'、'.join(unknown)}」",
                         "可选：" + "、".join(f"{k}（{title}）" for k, title in VIEWS.items()))
        col.views = [n for n in names if n in VIEWS]
    if col.image and not (path.parent / col.image).is_file():
        report.error(path, lines.get("image", 1), f"image 指向的文件「{col.image}」不存在",
                     "把图片放在 _column.yaml 同一目录，或改正文件名")
        col.image = ""
    if not ok and not col.name:
        col.name = rel_dir.rsplit("/", 1)[-1]
    return col  # field errors are reported; keeping the column avoids follow-on errors for its pages
