"""Stage 1 — load: read a site's content tree into :class:`Column`, :class:`Page` and :class:`Asset`.

Each file is validated on its own here (syntax, encoding, required fields, value types) against
the declarations :data:`COLUMN` and :data:`PAGE` (govsite.config.schema); what depends on other
files (URLs, inheritance, emptiness) is left to :mod:`govsite.resolve`.
"""
from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from govsite.cache.digest import hash_parts
from govsite.cache.store import NULL_CACHE, Cache
from govsite.config.schema import ANY, BOOL, DATE, INT, LIST, TEXT, Field, Schema, closest, validate
from govsite.content.model import Asset, Column, Page
from govsite.core.dates import DateError, parse_datetime
from govsite.core.errors import Report
from govsite.core.slugs import check_explicit, slugify
from govsite.core.source import SourceError, as_list, parse_yaml, read_text, read_yaml, split_front_matter
from govsite.core.vocab import VIEWS

COLUMN_FILE = "_column.yaml"
CATALOGUE_SUFFIX = ".catalogue.yaml"   # 政务公开事项标准目录 (S3): a YAML table rendered as a page
_DATE_HINT = "写成 YYYY-MM-DD HH:MM，例如 {key}: 2026-03-18 09:30"
# front matter every page may have; the content types' own fields are in govsite.site.types
PAGE = Schema("front matter", (
    Field("title", TEXT, "标题", "在 front matter 中加入 title: 文章标题", required=True, doc="ArticleTitle"),
    Field("date", DATE, "发布时间", _DATE_HINT.format(key="date"), required=True, doc="PubDate"),
    Field("source", TEXT, "信息来源", "写成 source: 文字", doc="ContentSource (default: column → site sponsor)"),
    Field("author", TEXT, "作者", "写成 author: 文字", doc="Author (default: column → site sponsor)"),
    Field("editor", TEXT, "责任编辑", "写成 editor: 姓名，例如 editor: 王晓明",
          doc="责任编辑 shown under the article (default: column → site editor; none: not shown)"),
    Field("keywords", LIST, "关键词", "例如 keywords: [营商环境, 推进会]", doc="Keywords (default: column keywords)"),
    Field("description", TEXT, "摘要", "写成 description: 文字", doc="Description (default: first 120 characters of the body)"),
    Field("image", TEXT, "图片", "写成 image: photo.jpg", doc="Image (default: first image in the body, then site logo)"),
    Field("slug", TEXT, "网址片段", "slug 只写一个网址片段，例如 slug: yshj-tjh", doc="URL part (default: from the file name)"),
    Field("top", ANY, "置顶", "例如 top: 1", default=0, doc="true or a number: pinned first in lists, larger first"),
    Field("draft", BOOL, "草稿", "例如 draft: true", default=False, doc="not built unless govsite build --drafts"),
    Field("publish", DATE, "定时发布时间", _DATE_HINT.format(key="publish"), doc="built only from this time on"),
    Field("expire", DATE, "下线时间", _DATE_HINT.format(key="expire"), doc="not built from this time on"),
    Field("archived", ANY, "归档时间", "例如 archived: 2025-01-10 12:00", rule="AR-1", doc="a date: 已归档 from then (AR-1)"),
    Field("type", TEXT, "内容类型", "普通文章不写 type", default="news", doc="news or a government content type"),
))
COLUMN = Schema("_column.yaml", (
    Field("name", TEXT, "栏目名称", "在 _column.yaml 中写 name: 栏目名称", required=True, doc="ColumnName"),
    Field("description", TEXT, "栏目描述", doc="ColumnDescription (default: intro, then name)"),
    Field("keywords", LIST, "栏目关键词", "例如 keywords: [工作动态, 政务]", doc="ColumnKeywords (default: name)"),
    Field("type", TEXT, "栏目类别", "可选的栏目类别见 docs/formats.md；或在 site.yaml 的 column_types 中增加", rule="CO-7",
          doc="ColumnType from the vocabulary (default: parent's type, then 其他)"),
    Field("order", INT, "排列顺序", "例如 order: 10", default=100, doc="position among siblings, smaller first"),
    Field("intro", TEXT, "栏目简介", doc="one paragraph shown at the top of the column page"),
    Field("source", TEXT, "信息来源", doc="default 信息来源 of its pages (default: parent's, then site sponsor)"),
    Field("author", TEXT, "作者", doc="default 作者 of its pages (default: parent's, then site sponsor)"),
    Field("editor", TEXT, "责任编辑", "写成 editor: 姓名，例如 editor: 王晓明",
          doc="default 责任编辑 of its pages (default: parent's, then site editor)"),
    Field("image", TEXT, "栏目图片", "把图片放在 _column.yaml 同一目录，或改正文件名", doc="image beside _column.yaml (topic banner)"),
    Field("archived", ANY, "归档时间", "例如 archived: 2024-12-31 17:00", rule="AR-2",
          doc="a date: archive the column and everything under it (AR-2)"),
    Field("end", DATE, "结束时间", _DATE_HINT.format(key="end"), doc="a topic's end date"),
    Field("slug", TEXT, "网址片段", "slug 只写一个网址片段，例如 slug: gzdt", doc="URL segment (default: from the folder name)"),
    Field("views", LIST, "汇总页", "可选：" + "、".join(f"{k}（{title}）" for k, title in VIEWS.items()), choices=tuple(VIEWS)),
    Field("translation_key", TEXT, "对应页标识", doc="same key in another language version = counterpart"),
    Field("owner", TEXT, "栏目责任人", "写成 owner: 姓名或科室，例如 owner: 区政府办公室 王晓明",
          doc="who answers for the column; printed with every check finding about it"),
    Field("unit", TEXT, "所属单位", "写 site.yaml 中 units 的 key，例如 unit: fgw",
          doc="a unit's 信息公开专栏: the unit (site.yaml units) is the issuer of everything below"),
))
PAGE_FIELDS = set(PAGE.names)
# every front-matter key some schema declares; govsite.site.types adds the content types' fields
# when it is imported (a lower stage cannot import a higher one). A key close to one of these but
# not one is reported as a likely typo.
FRONT_MATTER_KEYS: set = set(PAGE.names)
COLUMN_FIELDS = set(COLUMN.names)


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


def load_content(root: Path, column_types, report: Report, cache: Cache = NULL_CACHE) -> ContentTree:
    """Walk ``root`` in sorted order; every problem goes to ``report``.

    ``cache`` (:mod:`govsite.cache`): pages read without problems are kept by path, size, mtime
    and inode, so an unchanged file is not parsed again."""
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
                page = _cached_page(path, rel, report, cache)
                if page:
                    tree.pages.append(page)
            elif rel_dir:
                tree.assets.append(Asset(file=path, src=rel))
    return tree


def _cached_page(path: Path, rel: str, report: Report, cache: Cache) -> Page | None:
    """A page from the cache, or parsed (and then cached, if it has no problems)."""
    key = cache.pages.key(path, rel)
    page = cache.pages.get(key)
    if page is not None:
        return page
    problems = len(report.problems)
    page = _load_page(path, rel, report)
    if page is not None and len(report.problems) == problems:
        cache.pages.put(key, page)
    return page


def _inside(path: Path, real_root: Path) -> bool:
    try:
        path.resolve().relative_to(real_root)
        return True
    except (ValueError, OSError):
        return False


def _archived(value, path, line, report, example: str, rule: str):
    """``archived:`` holds the 归档时间; ``true`` is the common mistake (AR-1, AR-2)."""
    if value is True:
        report.error(path, line, f"[{rule}] archived 需要写归档时间，而不是 true", f"例如 archived: {example}", rule=rule)
        return None, False
    if value in (None, False, ""):
        return None, True
    try:
        return parse_datetime(value), True
    except DateError as exc:
        report.error(path, line, f"archived（归档时间）无法识别：{exc}", _DATE_HINT.format(key="archived"))
        return None, False


def head_digest(front_matter: str) -> bytes:
    """What a body-only edit leaves unchanged: the front matter text (see :mod:`govsite.quick`)."""
    return hash_parts(front_matter)


def _load_page(path: Path, rel: str, report: Report) -> Page | None:
    try:
        text = read_text(path)
        fm_text, body, body_line = split_front_matter(text)
        parsed = parse_yaml(fm_text, first_line=2)
    except SourceError as exc:
        report.error(path, exc.line, exc.message, exc.hint)
        return None
    data = {} if parsed.data is None else parsed.data
    if not isinstance(data, dict):
        report.error(path, 2, "front matter 应是键值映射（key: value）", "每行写一个 键: 值，例如 title: 标题")
        return None
    lines = parsed.lines.top()
    page = Page(file=path, src=rel, body=body, body_line=body_line, lines=lines, head_digest=head_digest(fm_text))
    checked = validate(data, PAGE, parsed.lines, path, report, unknown=False)
    _typos(data, lines, path, report)
    values, ok = checked.values, checked.errors == 0
    for key in ("title", "date", "source", "author", "editor", "description", "image", "type", "publish", "expire"):
        if values[key] is not None:
            setattr(page, key, values[key])
    page.keywords = values["keywords"] or []
    page.draft = values["draft"]
    if values["slug"] is not None:
        reason = check_explicit(values["slug"])
        if reason:
            report.error(path, lines["slug"], reason, PAGE["slug"].hint)
            ok = False
        else:
            page.slug = values["slug"]
    top = data.get("top", 0)
    if isinstance(top, (bool, int)):
        page.top = int(top)
    else:
        report.error(path, lines.get("top", 1), f"top（置顶）应是 true 或整数，现为「{top}」", "例如 top: 1")
        ok = False
    if "archived" in data:
        page.archived, fine = _archived(data["archived"], path, lines["archived"], report, "2025-01-10 12:00", "AR-1")
        ok = ok and fine
    page.extra = {k: v for k, v in data.items() if k not in PAGE_FIELDS}
    return page if ok else None


def _typos(data: dict, lines: dict, path: Path, report: Report) -> None:
    """Warn about a front-matter key that no schema declares but looks like a typo of one that
    does (``souce`` → ``source``, ``issuser`` → ``issuer``). Keys unlike any known one are left
    alone: templates may read further keys (``page.extra``, documented as allowed), so the bar for
    "looks like a typo" is higher than in site.yaml (``interview_time`` is not ``interpreter``)."""
    for key in data:
        key = str(key)
        if key not in FRONT_MATTER_KEYS:
            near = closest(key, FRONT_MATTER_KEYS, cutoff=0.8)
            if near:
                report.warning(path, lines.get(key, 2), f"未知的字段「{key}」，是否应为 {near}？",
                               f"把 {key}: 改为 {near}:；确是模板要用的自定义字段，可忽略本提示")


def _load_catalogue(path: Path, rel: str, report: Report) -> Page | None:
    """A standard catalogue (S3) is a page whose source is YAML: title, date and ``items`` rows.

    Each row's line is kept (``lines["items[N]"]``) so a bad row is reported where it is.
    """
    parsed = read_yaml(path, report)
    if parsed is None:
        return None
    data = parsed.data
    if not isinstance(data, dict):
        report.error(path, 1, "[GK-2] 标准目录文件应是键值映射：title、date、catalogue、items",
                     "参照 docs/content-types.md 中的标准目录示例", rule="GK-2")
        return None
    lines = {**parsed.lines.top(), **parsed.lines.rows("items")}
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
    try:
        page.date = parse_datetime(data["date"])
    except DateError as exc:
        report.error(path, lines["date"], f"date 的值无法识别：{exc}", _DATE_HINT.format(key="date"))
        return None
    for key in ("source", "author", "editor", "description"):
        if isinstance(data.get(key), str):
            setattr(page, key, data[key].strip())
    page.keywords = as_list(data.get("keywords"))
    page.extra = {k: v for k, v in data.items() if k not in PAGE_FIELDS and k != "intro"}
    return page


def _load_column(path: Path, rel_dir: str, column_types, report: Report) -> Column | None:
    parsed = read_yaml(path, report)
    if parsed is None:
        return None
    data = parsed.data
    if not isinstance(data, dict):
        report.error(path, 1, "_column.yaml 应是键值映射，至少包含 name（栏目名称）", "例如 name: 工作动态")
        return None
    lines = parsed.lines.top()
    col = Column(src=rel_dir, file=path, lines=lines)
    values = validate(data, COLUMN, parsed.lines, path, report).values
    col.name = values["name"] or ""
    for key in ("description", "intro", "source", "author", "editor", "image", "translation_key", "owner"):
        col.__dict__[key] = values[key] or ""
    col.unit_key = values["unit"] or ""
    col.keywords = values["keywords"] or []
    ctype = values["type"] or ""
    if ctype and ctype not in column_types:
        report.error(path, lines.get("type", 1), f"[CO-7] 未知的栏目类别 type「{ctype}」",
                     "可选：" + "、".join(column_types) + "；或在 site.yaml 的 column_types 中增加", rule="CO-7")
    col.type = ctype
    col.order = values["order"]
    if values["slug"] is not None:
        reason = check_explicit(values["slug"])
        if reason:
            report.error(path, lines["slug"], reason, COLUMN["slug"].hint)
        col.slug = values["slug"]
    if "archived" in data:
        col.archived, _fine = _archived(data["archived"], path, lines["archived"], report, "2024-12-31 17:00", "AR-2")
    col.end = values["end"]
    if values["views"] is not None:
        col.views = values["views"]
    if col.image and not (path.parent / col.image).is_file():
        report.error(path, lines.get("image", 1), f"image 指向的文件「{col.image}」不存在", COLUMN["image"].hint)
        col.image = ""
    if not col.name:
        col.name = rel_dir.rsplit("/", 1)[-1]
    return col  # field errors are reported; keeping the column avoids follow-on errors for its pages
