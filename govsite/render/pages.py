"""Stage 4 — render: the resolved site through the theme's Jinja2 templates into files.

Templates only present: every list, URL, inherited value and meta tag is computed here or in
earlier stages and handed over as plain data. All links are relative to the page being rendered
(the ``url`` function in every template), so one build works at a domain root, under a sub-path
and from ``file://``.
"""
from __future__ import annotations

import dataclasses
import itertools
import math
import posixpath
import types
from functools import lru_cache
from pathlib import Path

import jinja2

from govsite.outputs import feeds, syndication
from govsite.site import library
from govsite.render import meta
from govsite.cache.store import ENTITIES, Deferred, _hash, digest, entity_key, tree_fingerprint
from govsite.core.dates import format_datetime
from govsite.core.errors import Problem, display_path
from govsite.config.messages import SOURCE_LANGUAGE, Messages, script_keys
from govsite.render.qr import qr_svg
from govsite.search.fulltext import TEXT_CAP
from govsite.core.links import leave_path
from govsite.render.markup import MarkdownRenderer, Rendered, plain_text, summarize
from govsite.content.model import Column, Page, Site, foreign_url
from govsite.site.types import ACTIVE_STATUSES, PENDING_STATUSES
from govsite.render.views import VIEWS, view_links, view_path
from govsite.core.writer import OutputDir, keep_recorded

SPECIAL_PAGES = {  # output path → (template, title)
    "sitemap.html": ("sitemap.html", "站点地图"),
    "help.html": ("help.html", "使用帮助"),
    "search.html": ("search.html", "站内搜索"),
}


@lru_cache(maxsize=65536)
def relative(path: str, base: str) -> str:
    """The link from folder ``base`` to ``path``, both relative to the output root. Rooted at
    "/" first, so relpath need not ask the working directory (a system call) for every link."""
    return posixpath.relpath("/" + path, "/" + base)


def make_url(current: str, absolute_base: str | None = None, env=None):
    """``url(target)`` for templates: a link from ``current`` to a page, column or output path.
    Reading ``target.url`` counts as a template read (see :class:`TrackingEnvironment`)."""
    base = posixpath.dirname(current) or "."

    def url(target) -> str:
        if isinstance(target, str):
            path = target
        else:
            elsewhere = foreign_url(target)
            if elsewhere:  # another site's page or column (资源库)
                if env is not None and env.reads is not None:
                    env.reads[(entity_key(target), "origin")] = target.origin
                return elsewhere
            path = target.url
            if env is not None and env.reads is not None and isinstance(target, ENTITIES):
                env.reads[(entity_key(target), "url")] = path
        if absolute_base is not None:
            return absolute_base + ("" if path == "index.html" else path)
        return relative(path, base)

    url.tracks_reads = True   # records its own reads (see TrackingContext)
    return url


def status_class(status: str) -> str:
    """CSS class of a status badge: in force / running (each type's ACTIVE_STATUSES), not yet
    begun (PENDING_STATUSES: 未开始), or ended."""
    if status in ACTIVE_STATUSES:
        return "tag-valid"
    return "tag-pending" if status in PENDING_STATUSES else "tag-archived"


def filesize(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB" if size >= 10 * 1024 else f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


class _Missing:
    """What a template read of an attribute that does not exist gives (a value like any other)."""

    def __repr__(self) -> str:
        return "<missing>"


_MISSING = _Missing()


class TrackingEnvironment(jinja2.Environment):
    """A Jinja2 environment that records what templates read from the site's objects.

    Templates reach pages, columns, assets and the site through ``environment.getattr`` and
    ``environment.getitem`` (that is how Jinja2 compiles ``page.title`` and ``page['title']``);
    while ``reads`` is a dict, each ``(entity key, attribute) → value`` read is kept there. The
    build cache re-reads exactly these next time to decide whether a file must be rendered again,
    so new fields and content types need no registration anywhere.
    """

    reads: dict | None = None

    def getattr(self, obj, attribute):
        value = super().getattr(obj, attribute)
        if self.reads is not None and isinstance(obj, ENTITIES) and not _own_method(value, obj):
            self.reads[(entity_key(obj), attribute)] = _MISSING if isinstance(value, jinja2.Undefined) else value
        return value

    def getitem(self, obj, argument):
        value = super().getitem(obj, argument)
        if self.reads is not None and isinstance(obj, ENTITIES) and isinstance(argument, str):
            self.reads[(entity_key(obj), argument)] = _MISSING if isinstance(value, jinja2.Undefined) else value
        return value


FIELDS = "__fields__"    # a pseudo-attribute: all of an object's own fields


class TrackingContext(jinja2.runtime.Context):
    """Calls from templates into Python (``view_links(column)``, filters given a page …) may read
    any field of a page or column they are given: such a call counts as reading all of the
    object's own fields. ``url()`` records exactly what it reads, macros are template code
    (tracked as such), and a call of a page's or column's own method (``page.linked('x')``) is
    recorded with its arguments and result, and made again next time to compare."""

    def call(__self, __obj, *args, **kwargs):  # noqa: N805 - Jinja2's signature
        reads = __self.environment.reads
        if reads is None or isinstance(__obj, jinja2.runtime.Macro) or getattr(__obj, "tracks_reads", False):
            return super().call(__obj, *args, **kwargs)
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, ENTITIES) and _own_method(__obj, owner):
            # page.linked('interprets'): the call and its result are the read (methods are pure)
            value = super().call(__obj, *args, **kwargs)
            named = tuple(sorted((k, v) for k, v in kwargs.items() if k not in ("_loop_vars", "_block_vars")))
            call = ("()", __obj.__name__, args, named)
            try:
                reads[(entity_key(owner), call)] = value
            except TypeError:  # arguments that cannot be a key: count all of the object's fields
                reads[(entity_key(owner), FIELDS)] = read_attribute(owner, FIELDS)
            return value
        for arg in (*args, *kwargs.values()):
            if isinstance(arg, ENTITIES):
                reads[(entity_key(arg), FIELDS)] = read_attribute(arg, FIELDS)
        return super().call(__obj, *args, **kwargs)


def _own_method(value, obj) -> bool:
    return isinstance(value, types.MethodType) and value.__self__ is obj


TrackingEnvironment.context_class = TrackingContext


def template_data(env: jinja2.Environment) -> dict:
    """The data templates get as globals besides the site (theme strings, the 繁体 variant …):
    part of every output file's fingerprint. Plain functions and classes are code, not data."""
    return {name: value for name, value in sorted(env.globals.items())
            if name != "site" and not isinstance(value, (types.FunctionType, types.BuiltinFunctionType, type))}


def read_attribute(obj, attribute):
    """What a template gets for ``obj.attribute`` (a missing one is a value of its own)."""
    if attribute == FIELDS:
        return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}
    try:
        if isinstance(attribute, tuple):  # a method call: ("()", name, args, kwargs)
            _, name, args, kwargs = attribute
            return getattr(obj, name)(*args, **dict(kwargs))
        return getattr(obj, attribute)
    except Exception:  # noqa: BLE001 - what the template would not get either
        return _MISSING


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in memory for the life of the process, so a process that builds
    again and again (``govsite serve``) compiles each template once. Jinja checks every entry
    against the template's source checksum, so an edited template is compiled afresh."""

    def __init__(self):
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = CompiledTemplates()


def make_environment(project: Path, site: Site) -> jinja2.Environment:
    searchpath = [str(d / "templates") for d in site.theme.dirs if (d / "templates").is_dir()]
    env = TrackingEnvironment(
        loader=jinja2.FileSystemLoader(searchpath),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        bytecode_cache=COMPILED_TEMPLATES,
        auto_reload=False,   # one Environment per build: no template changes under it
    )
    env.filters["datetime"] = lambda d: format_datetime(d) if d else ""
    env.filters["day"] = lambda d: d.strftime("%Y-%m-%d") if d else ""
    env.filters["status_class"] = status_class
    env.filters["filesize"] = filesize
    env.globals["site"] = site
    env.globals["view_links"] = view_links
    env.globals["variant"] = site.variant
    messages = site.messages or Messages(SOURCE_LANGUAGE, {})
    env.globals["_"] = messages
    env.globals["js_texts"] = messages.subset(script_keys(site.theme.dirs))
    env.globals["qr_svg"] = qr_svg
    env.globals["config"] = site.config
    return env


class PageBody:
    """A page's rendered body, as the rest of the page's rendering needs it.

    The small part — summary, first image, findings, outbound links — is always at hand. The
    HTML and plain text (``full()``) are read from the build cache, or rendered again, only when
    something is really made from them: for an unchanged page nothing is, and its ~11 KB entry
    is not read at all. In cache keys and digests the HTML and text stand as ``content_key`` (a
    digest of both) and the part of the text the search index reads as ``search_key``; both are
    None without a build cache.
    """

    __slots__ = ("content_key", "search_key", "summary", "first_image", "issues", "outbound", "_full", "_read")

    def __init__(self, summary: str, rendered: Rendered | None = None, text: str | None = None, *,
                 keys: tuple = (None, None), read=None, first_image: str = "", issues=(), outbound=()):
        self.content_key, self.search_key = keys
        self.summary = summary
        if rendered is not None:
            first_image, issues, outbound = rendered.first_image, rendered.issues, rendered.outbound
        self.first_image, self.issues, self.outbound = first_image, issues, outbound
        self._full = (rendered, text) if rendered is not None else None
        self._read = read

    def full(self) -> tuple[Rendered, str]:
        """The rendered body and its plain text."""
        if self._full is None:
            self._full = self._read()
        return self._full

    @property
    def html(self) -> str:
        return self.full()[0].html

    @property
    def text(self) -> str:
        return self.full()[1]


class SiteRenderer:
    """Renders every output file of one site into an :class:`OutputDir`.

    With a :class:`~govsite.cache.BuildCache`, a file whose inputs are unchanged is taken from
    the previous output instead of rendered (:meth:`_write`), and Markdown bodies come from the
    cache when the body and the link targets it looked up are unchanged.
    """

    def __init__(self, project: Path, site: Site, out: OutputDir, cache=None):
        self.project = project
        self.site = site
        self.out = out
        self.cache = cache if cache is not None and cache.enabled else None
        self.rendered = 0       # template renders (per process)
        self.skipped = 0        # files taken unchanged from the previous output (per process)
        self._memo: dict = {}   # (entity key, attributes) → digest of their values, for this build
        self._entities: dict | None = None
        # export entries (govsite.syndication) of the pages this process renders: src → (html, summary)
        self.exports: dict | None = {} if syndication.enabled(site) else None
        self._export_keys: set | None = None   # keys of the cache's "exports" table, read once per process
        self.env = make_environment(project, site)
        self._ = self.env.globals["_"]
        if self.cache is not None:  # compiled templates, keyed by Jinja2 on their source text
            folder = self.cache.path.parent / "jinja"
            folder.mkdir(exist_ok=True)
            self.env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
        config = site.config
        sister_hosts = tuple(other.config.domain for other in site.library.values())  # 资源库 sites are not outbound
        self.markdown = MarkdownRenderer(site.by_src, config.domain, config.outbound_allow + sister_hosts,
                                         "error" if config.strict_alt else "warning", config.embed_hosts,
                                         site.library, config.key)
        self.logo = meta.logo_path(site.config)
        self.conac_image = meta.conac_image_path(site.config)
        for name in ("page.html", "column.html", "home.html"):  # compile before worker processes fork
            self.env.get_template(name)
        if self.cache is not None:
            templates = [d / "templates" for d in site.theme.dirs]
            self.fingerprint = _hash(tree_fingerprint(templates), digest(site.config), self.logo,
                                     self.conac_image, str(out.target.resolve()), str(getattr(out, "prefix", "")),
                                     digest(template_data(self.env)))
            self.markdown.settings = digest((config.domain, config.outbound_allow, config.strict_alt,
                                             config.embed_hosts))
            self.export_fingerprint = digest(config)

    def _write(self, template: str, path: str, absolute_links=False, **context) -> None:
        config = self.site.config
        languages, alternates = self._languages(path, absolute_links)
        if self.site.variant is not None:
            alternates = [a for a in alternates if a[0] != self.site.config.language] + self._variant_alternates(path)
        cache = self.cache
        if cache is not None:
            key = self.fingerprint + path.encode("utf-8", "surrogatepass")
            state = _hash(self.fingerprint, template, path, absolute_links, digest(context),
                          digest((languages, alternates)))
            entry = cache.get("outputs", key)
            if entry is not None and entry[0] == state and self._still_true(entry[1]) \
                    and self.out.previous_is(path, entry[2]) and self.out.keep(path):
                self.skipped += 1
                return
            self.env.reads = {}
            context = {name: value.get() if type(value) is Deferred else value for name, value in context.items()}
        url = make_url(path, config.base_path if absolute_links else None, self.env)
        try:
            html = self.env.get_template(template).render(url=url, current=path, logo=self.logo,
                                                           conac_image=self.conac_image, languages=languages,
                                                           alternates=alternates, **context)
        finally:
            reads, self.env.reads = self.env.reads, None
        self.out.write(path, html)
        self.rendered += 1
        if cache is not None:
            cache.put("outputs", key, (state, self._recorded(reads), self.out.identity(path)))

    def _recorded(self, reads: dict) -> list:
        """What a render read, as ``(entity key, attributes, digest of their values)`` per page,
        column, asset or site it read from. One digest per object rather than per attribute: a
        page reads ~90 values from ~15 objects, and checking them is most of a skipped file's cost."""
        groups: dict[str, tuple[list, list]] = {}
        for (ekey, attribute), value in reads.items():
            group = groups.get(ekey)
            if group is None:
                group = groups[ekey] = ([], [])
            group[0].append(attribute)
            group[1].append(value)
        memo = self._memo
        checked = []
        for ekey, (attributes, values) in groups.items():
            attributes = tuple(attributes)
            known = memo.get((ekey, attributes))
            if known is None:
                known = memo[(ekey, attributes)] = digest(tuple(values))
            checked.append((ekey, attributes, known))
        return checked

    def _entity(self, ekey: str):
        """This tree's page, column, asset or site under ``ekey`` (None: gone, or another tree's)."""
        if self._entities is None:
            objects = itertools.chain(self.site.by_src.values(), library.foreign_entities(self.site.library))
            self._entities = {entity_key(o): o for o in objects}
            self._entities[entity_key(self.site)] = self.site
        return self._entities.get(ekey)

    def _still_true(self, checked) -> bool:
        """Does every read recorded last time (:meth:`_recorded`) give the same values now?"""
        memo = self._memo
        for ekey, attributes, seen in checked:
            now = memo.get((ekey, attributes))
            if now is None:
                obj = self._entity(ekey)
                if obj is None:
                    return False
                now = memo[(ekey, attributes)] = digest(tuple(read_attribute(obj, a) for a in attributes))
            if now != seen:
                return False
        return True

    def _languages(self, path: str, absolute_links: bool):
        """The language switch (code, label, href) and the hreflang alternates (code, URL) of a page."""
        table = self.site.translations
        if table is None:
            return [], []
        config, prefix = self.site.config, self.site.out_prefix
        full = prefix + path
        root = config.base_url[: len(config.base_url) - len(prefix)]        # the main site's
        root_path = config.base_path[: len(config.base_path) - len(prefix)]
        switch, alternates = [], []
        for code, label, target, real in table.links(full, config.language):
            href = root_path + target if absolute_links else relative(target, posixpath.dirname(full) or ".")
            switch.append((code, label, href))
            if real:
                alternates.append((code, meta.absolute_url(root, target)))
        if alternates:
            alternates.insert(0, (config.language, meta.absolute_url(root, full)))
        return switch, alternates

    def _variant_alternates(self, path: str) -> list[tuple[str, str]]:
        """hreflang links between the simplified page and its 繁体 counterpart."""
        variant, base = self.site.variant, self.site.config.base_url
        return [("zh-Hans", meta.absolute_url(base, path)), (variant.lang, meta.absolute_url(base, f"{variant.prefix}/{path}"))]

    # -- content pages ------------------------------------------------------------------
    def render_page(self, page: Page) -> tuple[list[Problem], list[str], PageBody]:
        """Render one content page; returns the problems found in its body, its outbound URLs and
        the body (its text is what the search index takes)."""
        body = self._body(page)
        if self.exports is not None:
            self.exports[page.src] = self._export(page, body)
        problems = [Problem(display_path(page.file), issue.line, issue.message, issue.hint, issue.severity, issue.rule)
                    for issue in body.issues]
        head = meta.page_head(page, self.site.config, body.summary, body.first_image)
        if self.site.config.strict_meta and head.inherited:
            problems.append(Problem(display_path(page.file), 1,
                                    "[MT-4] 以下网页标签取自上级或默认值：" + "、".join(head.inherited),
                                    "如需自定义，在 front matter 中填写对应字段", "warning", "MT-4"))
        html = body.html if body.content_key is None else Deferred(body.content_key, lambda: body.html)
        self._write("page.html", page.url, page=page, column=page.column, body=html, head=head,
                    trail=page.column.ancestors + [page.column], preview=self.preview_note(page))
        return problems, body.outbound, body

    def _markdown(self, page: Page) -> tuple[Rendered, str]:
        """The page body as HTML and its plain text."""
        return self._body(page).full()

    def _body(self, page: Page) -> PageBody:
        """The page's body (:class:`PageBody`). With a build cache, its small entry (table
        ``bodies``) is taken when neither the body nor the link targets it looked up changed; the
        HTML and text (table ``markdown``, under the same key) are read only if asked for."""
        cache = self.cache
        if cache is None:
            rendered = self.markdown.render(page)
            text = plain_text(rendered.html)
            return PageBody(summarize(text), rendered, text)
        key = b"md" + _hash(self.markdown.settings, page.src, page.url, page.body_line, page.body, page.origin)
        entry = cache.get("bodies", key)
        if entry is not None and all(self.markdown.target_state(src) == seen for src, seen in entry[0]):
            cache.hits["markdown"] += 1
            cache.used["markdown"].add(key)   # read or not, the HTML stays in the cache
            _, keys, summary, first_image, issues, outbound = entry
            return PageBody(summary, keys=keys, read=lambda: self._full(page, key), first_image=first_image,
                            issues=issues, outbound=outbound)
        rendered = self.markdown.render(page)
        text = plain_text(rendered.html)
        keys = (_hash(rendered.html, text), _hash(text[:TEXT_CAP]))
        body = PageBody(summarize(text), rendered, text, keys=keys)
        cache.put("bodies", key, (self.markdown.looked_up, keys, body.summary, body.first_image, body.issues,
                                  body.outbound))
        cache.put("markdown", key, (rendered, text))
        return body

    def _full(self, page: Page, key: bytes) -> tuple[Rendered, str]:
        """The HTML and text of a body whose small entry was valid: from the cache, or rendered
        again (the same, since the body and its link targets are as they were)."""
        entry = self.cache.get("markdown", key)
        if entry is None:
            rendered = self.markdown.render(page)
            entry = (rendered, plain_text(rendered.html))
            self.cache.put("markdown", key, entry)
        return entry

    def _export(self, page: Page, body: PageBody):
        """The page's syndication items (:func:`govsite.syndication.item_bytes`): with a build
        cache, the key under which they are in it (made now if they are not); else the items."""
        fields = syndication.item_fields(self.site, page)
        cache = self.cache
        if cache is None:
            return syndication.item_bytes(self.site, page, body, body.text, fields)
        key = b"ex" + _hash(self.export_fingerprint, body.content_key,
                            digest((sorted(body.outbound), page.url, page.description, fields)))
        if self._export_keys is None:
            self._export_keys = cache.keys("exports")
        parts = (key + b"j", key + b"r")
        if parts[0] in self._export_keys and parts[1] in self._export_keys:
            cache.used["exports"].update(parts)
            cache.hits["exports"] += 1
        else:
            for part, data in zip(parts, syndication.item_bytes(self.site, page, body, body.text, fields)):
                cache.put("exports", part, data)
        return key

    def preview_note(self, page: Page) -> str:
        """Why a page shows only in ``govsite serve`` (「预览」 flag beside the title), else ``""``."""
        if not self.site.preview:
            return ""
        if page.draft:
            return "草稿：正式生成时不发布"
        if page.scheduled and page.publish and page.publish > self.site.now:
            return f"定时发布：{format_datetime(page.publish)} 起公开"
        if page.scheduled:
            return f"已过期：{format_datetime(page.expire)} 起不再公开" if page.expire else "正式生成时不发布"
        return ""

    def render_leave_pages(self, urls) -> None:
        """One static 「您即将离开本网站」 page per outbound URL (LK-2); works without JavaScript."""
        config = self.site.config
        for target in sorted(set(urls)):
            path = leave_path(target)
            self._write("leave.html", path, target=target, trail=[],
                        head=meta.special_head(config, self._("您即将离开本网站"), path))

    # -- column pages ---------------------------------------------------------------------
    def render_column(self, col: Column) -> None:
        size = self.site.config.page_size
        if col.pages:
            count = max(1, math.ceil(len(col.pages) / size))
            for number in range(1, count + 1):
                path = col.list_url(number)
                items = col.pages[(number - 1) * size: number * size]
                self._column_file(col, path, items, number, count, [])
        else:
            block_size = int(self.site.config.home.get("block_size", 7))
            blocks = [(child, child.all_pages[:block_size]) for child in col.children if child.all_pages]
            self._column_file(col, col.url, [], 1, 1, blocks)

    def _column_file(self, col, path, items, number, count, blocks):
        head = meta.column_head(col, self.site.config, path)
        pager = [(n, col.list_url(n)) for n in range(1, count + 1)]
        self._write("column.html", path, column=col, items=items, number=number, count=count,
                    pager=pager, blocks=blocks, head=head, trail=col.ancestors)

    # -- home and site pages --------------------------------------------------------------
    def render_home(self) -> None:
        site, config = self.site, self.site.config
        block_size = int(config.home.get("block_size", 7))
        by_src = {c.src: c for c in site.columns}
        names = config.home.get("blocks") or [c.src for c in site.channels]
        blocks = []
        for name in names:
            col = by_src.get(str(name).strip("/"))
            if col is not None:
                items = [p for p in col.all_pages if p.archived_at is None][:block_size]
                blocks.append((col, items))
        reprint = by_src.get(str(config.home.get("reprint_column", "")).strip("/"))
        reprints = (reprint, reprint.all_pages[:block_size]) if reprint else None
        migration = config.migration
        if migration and not ((migration["start"] is None or migration["start"] <= site.now)
                              and (migration["end"] is None or site.now < migration["end"])):
            migration = None
        topics = [t for t in site.topics if t.archived_at is None and t.all_pages]
        self._write("home.html", "index.html", blocks=blocks, reprints=reprints, topics=topics,
                    migration=migration, head=meta.home_head(config), trail=[])

    def render_specials(self) -> None:
        config = self.site.config
        for path, (template, title) in SPECIAL_PAGES.items():
            title = self._(title)
            self._write(template, path, title=title, head=meta.special_head(config, title, path), trail=[])
        title = self._("页面未找到")
        self._write("404.html", "404.html", absolute_links=True, title=title,
                    head=meta.special_head(config, title, "404.html"), trail=[])

    def render_views(self) -> None:
        """Generated pages (汇总页) the columns ask for, with their machine-readable companions."""
        config = self.site.config
        for col in self.site.columns:
            for name in col.views:
                view = VIEWS[name]
                path = view_path(col, name)
                context = view.build(self.site, col)
                head = meta.column_head(col, config, path)
                title = self._(view.TITLE)
                head.title = f"{title} - {config.name}"
                self._write(view.TEMPLATE, path, column=col, title=title, head=head,
                            trail=col.ancestors + [col], **context)
                if hasattr(view, "files"):
                    for out, data in view.files(self.site, col, path).items():
                        self.out.write(out, data)

    def render_feeds(self) -> None:
        """sitemap.xml (or an index above 50,000 URLs), robots.txt and the RSS feeds."""
        site = self.site
        entries = feeds.sitemap_entries(site)
        self._write_files("sitemap", entries, lambda: feeds.sitemaps(site, entries=entries))
        for col in [None] + [c for c in site.columns if c.all_pages]:
            inputs = feeds.feed_inputs(site, col)
            self._write_files(feeds.feed_path(col), inputs,
                              lambda path=feeds.feed_path(col), inputs=inputs: {path: feeds.rss_document(inputs)})
        if not site.out_prefix:  # robots.txt only at the root; it names every version's sitemap
            self.out.write("robots.txt", feeds.robots(site))

    def _write_files(self, name: str, inputs, make) -> None:
        """Files that ``make()`` gives (``{path: bytes}``) from ``inputs`` (plain data) alone.
        With a build cache they are taken from the previous output while their inputs are
        unchanged: digesting a feed's or the sitemap's inputs costs a fraction of building the
        XML, which would only give the same bytes."""
        cache = self.cache
        if cache is not None:
            key = self.fingerprint + b"files\x00" + name.encode("utf-8", "surrogatepass")
            state = _hash(self.fingerprint, name, digest(inputs))
            entry = cache.get("outputs", key)
            if entry is not None and entry[0] == state and keep_recorded(self.out, entry[1]):
                return   # (not counted: rendered/skipped count template renders)
        files = make()
        for path, data in files.items():
            self.out.write(path, data)
        if cache is not None:
            cache.put("outputs", key, (state, [(path, self.out.identity(path)) for path in files]))

    # -- files ----------------------------------------------------------------------------
    def copy_static(self) -> None:
        """Theme static files, then the site's own static files over them."""
        for folder in reversed(self.site.theme.dirs):
            static = folder / "static"
            if not static.is_dir():
                continue
            for path in sorted(static.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    self.out.copy(path, "static/" + path.relative_to(static).as_posix())
        self.out.write("static/css/colors.css", self.site.theme.css())

    def copy_assets(self) -> None:
        for asset in self.site.assets:
            self.out.copy(asset.file, asset.out)
