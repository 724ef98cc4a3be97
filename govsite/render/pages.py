"""Stage 4 — render: the resolved site through the theme's Jinja2 templates into files.

Templates only present: every list, URL, inherited value and meta tag is computed here or in
earlier stages and handed over as plain data. All links are relative to the page being rendered
(the ``url`` function in every template), so one build works at a domain root, under a sub-path
and from ``file://``.
"""
from __future__ import annotations

import itertools
import math
import posixpath
import types
from functools import lru_cache
from pathlib import Path

import jinja2

from govsite.cache.digest import Deferred, digest, hash_parts, tree_fingerprint
from govsite.cache.reads import Dependencies, TrackingEnvironment
from govsite.cache.store import NULL_CACHE, Cache
from govsite.cache.tables import BodyEntry, FileRecord, MarkdownEntry, OutputEntry, PageRecord, StateKey
from govsite.config.messages import SOURCE_LANGUAGE, Messages, script_keys
from govsite.config.theme import Theme
from govsite.content.model import ENTITIES, Column, Page, Site, entity_key, foreign_url
from govsite.core.dates import format_datetime
from govsite.core.errors import Problem, display_path
from govsite.core.links import absolute_url, leave_path
from govsite.core.text import summarize
from govsite.core.writer import OutputDir, keep_recorded
from govsite.outputs import feeds, syndication
from govsite.render import home, meta
from govsite.render.document import mark_closing
from govsite.render.fold import MESSAGES, FoldMessages, KeyedByStrings
from govsite.render.markup import MarkdownRenderer, Rendered, plain_text
from govsite.render.pager import make_pager
from govsite.render.qr import qr_svg
from govsite.render.views import VIEWS, view_links, view_path
from govsite.search.fulltext import TEXT_CAP
from govsite.site import library
from govsite.site.languages import Translations
from govsite.site.types import status_meaning

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
    Reading ``target.url`` counts as a template read (see :mod:`govsite.cache.reads`)."""
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

    # records its own reads (see govsite.cache.reads.TrackingContext): a flag on the function object
    url.tracks_reads = True  # type: ignore[attr-defined]
    return url


def status_class(status: str) -> str:
    """CSS class of a status badge, by what the status means (状态的含义, each type's
    STATUS_MEANINGS): ``status-progress`` (办理中, 公示中), ``status-result`` (已答复, 结果已公布),
    ``status-ended``, ``status-valid``, ``status-amended``, ``status-repealed``, ``status-pending``.
    The theme colours each meaning (theme.yaml ``status-*``), whatever the words."""
    return "status-" + status_meaning(status)


def filesize(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB" if size >= 10 * 1024 else f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def template_data(env: jinja2.Environment) -> dict:
    """The data templates get as globals besides the site (theme strings, the 繁体 variant …):
    part of every output file's fingerprint. Plain functions and classes are code, not data."""
    return {name: value for name, value in sorted(env.globals.items())
            if name != "site" and not isinstance(value, (types.FunctionType, types.BuiltinFunctionType, type))}


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


def theme_of(site: Site) -> Theme:
    """The site's theme, which the loader sets before anything is rendered."""
    assert site.theme is not None, "a site is rendered only after its theme is loaded"
    return site.theme


def output_place(project: Path, target: Path) -> str:
    """Where the output goes, as the cache's keys name it: inside the project relative to it, so a
    checkout in another folder (CI runners give each job its own: GitLab's
    ``/builds/<runner>/<n>/…``) finds the cache it restored; elsewhere the absolute path."""
    target, root = target.resolve(), project.resolve()
    return target.relative_to(root).as_posix() if target.is_relative_to(root) else str(target)


def make_environment(project: Path, site: Site) -> TrackingEnvironment:
    searchpath = [str(d / "templates") for d in theme_of(site).dirs if (d / "templates").is_dir()]
    env = TrackingEnvironment(
        loader=jinja2.FileSystemLoader(searchpath),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        bytecode_cache=KeyedByStrings(COMPILED_TEMPLATES),   # (keys name the strings folded in)
        auto_reload=False,   # one Environment per build: no template changes under it
        extensions=[FoldMessages],   # _("…") put into the compiled templates (govsite.render.fold)
    )
    env.filters["datetime"] = lambda d: format_datetime(d) if d else ""
    env.filters["day"] = lambda d: d.strftime("%Y-%m-%d") if d else ""
    env.filters["status_class"] = status_class
    env.filters["filesize"] = filesize
    env.globals["site"] = site
    env.globals["view_links"] = view_links
    env.globals["variant"] = site.variant
    messages = site.messages or Messages(SOURCE_LANGUAGE, {})
    env.globals[MESSAGES] = messages
    env.globals["js_texts"] = messages.subset(script_keys(theme_of(site).dirs))
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

    __slots__ = ("content_key", "search_key", "summary", "first_image", "issues", "outbound", "_full", "_read",
                 "key", "looked_up")

    def __init__(self, summary: str, rendered: Rendered | None = None, text: str = "", *,
                 keys: tuple = (None, None), read=None, first_image: str = "", issues=(), outbound=(),
                 key: bytes | None = None, looked_up=()):
        self.content_key, self.search_key = keys
        self.key, self.looked_up = key, looked_up   # its entry's key (None: no cache), its link targets then
        self.summary = summary
        if rendered is not None:
            first_image, issues, outbound = rendered.first_image, rendered.issues, rendered.outbound
        self.first_image, self.issues, self.outbound = first_image, issues, outbound
        self._full: tuple[Rendered, str] | None = (rendered, text) if rendered is not None else None
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

    With a build cache (:mod:`govsite.cache`), a file whose inputs are unchanged is taken from
    the previous output instead of rendered (:meth:`_write`), and Markdown bodies come from the
    cache when the body and the link targets it looked up are unchanged. With the null cache
    (:data:`govsite.cache.store.NULL_CACHE`) everything is rendered.
    """

    def __init__(self, project: Path, site: Site, out: OutputDir, cache: Cache = NULL_CACHE):
        self.project = project
        self.site = site
        self.out = out
        self.cache = cache
        self.rendered = 0       # template renders (per process)
        self.skipped = 0        # files taken unchanged from the previous output (per process)
        # what templates read, and whether it is still so (the cache's output entries)
        self.dependencies = Dependencies(lambda: itertools.chain(
            site.by_src.values(), library.foreign_entities(site.library), [site]), cache.pages.body_key)
        # export entries (govsite.syndication) of the pages this process renders: src → (html, summary)
        self.exports: dict | None = {} if syndication.enabled(site) else None
        self.env = make_environment(project, site)
        messages = self.env.globals["_"]
        assert isinstance(messages, Messages)   # make_environment put it there
        self._ = messages
        # compiled templates, keyed by Jinja2 on their source text: beside the cache, if any
        self.env.bytecode_cache = KeyedByStrings(cache.compiled_templates(COMPILED_TEMPLATES))
        config = site.config
        sister_hosts = tuple(other.config.domain for other in site.library.values())  # 资源库 sites are not outbound
        self.markdown = MarkdownRenderer(site.by_src, config.domain, config.outbound_allow + sister_hosts,
                                         "error" if config.strict_alt else "warning", config.embed_hosts,
                                         site.library, config.key)
        self.logo = meta.logo_path(site.config)
        self.conac_image = meta.conac_image_path(site.config)
        for name in ("page.html", "column.html", "home.html"):  # compile before worker processes fork
            self.env.get_template(name)
        # what the cache keys this renderer's entries by (b"" without a cache: nothing is keyed)
        templates = [d / "templates" for d in theme_of(site).dirs]
        self.fingerprint = cache.derive(lambda: hash_parts(
            tree_fingerprint(templates), digest(site.config), self.logo, self.conac_image,
            output_place(project, out.target), str(getattr(out, "prefix", "")), digest(template_data(self.env))))
        self.markdown.settings = cache.derive(lambda: digest((config.domain, config.outbound_allow, config.strict_alt,
                                                              config.embed_hosts, self.markdown.sanitizer.sisters)))
        self.export_fingerprint = cache.derive(lambda: digest(config))
        # what every page record is made of besides the page's own (PageRecord.state)
        self.record_fingerprint = cache.derive(lambda: hash_parts(
            self.fingerprint, self.markdown.settings, self.export_fingerprint, self.exports is not None))

    def _write(self, template: str, path: str, absolute_links=False, **context) -> tuple[StateKey | None, OutputEntry | None]:
        """Render ``template`` into ``path``, or keep the previous output's file if the cache says
        it would be the same; returns the file's cache key and entry (None, None without a cache)."""
        config = self.site.config
        languages, alternates = self._alternates(path, absolute_links)
        outputs = self.cache.outputs
        key = outputs.key(self.fingerprint, template, path, absolute_links, context, (languages, alternates))
        entry = outputs.get(key)
        if entry is not None and self.dependencies.still_true(entry.reads) \
                and self.out.previous_is(path, entry.identity) and self.out.keep(path):
            self.skipped += 1
            return key, entry
        self.env.reads = outputs.reads(key)
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
        return key, outputs.record(key, reads, self.dependencies, self.out, path)

    def _alternates(self, path: str, absolute_links: bool):
        """The language switch and the hreflang alternates of a page, 繁体 counterpart included."""
        languages, alternates = self._languages(path, absolute_links)
        if self.site.variant is not None:
            alternates = [a for a in alternates if a[0] != self.site.config.language] + self._variant_alternates(path)
        return languages, alternates

    def _languages(self, path: str, absolute_links: bool):
        """The language switch (code, label, href) and the hreflang alternates (code, URL) of a page."""
        table = self.site.translations
        if table is None:
            return [], []
        assert isinstance(table, Translations)   # typed object in the model: content/ is below site/
        config, prefix = self.site.config, self.site.out_prefix
        full = prefix + path
        root = config.base_url[: len(config.base_url) - len(prefix)]        # the main site's
        root_path = config.base_path[: len(config.base_path) - len(prefix)]
        switch, alternates = [], []
        for code, label, target, real in table.links(full, config.language):
            href = root_path + target if absolute_links else relative(target, posixpath.dirname(full) or ".")
            switch.append((code, label, href))
            if real:
                alternates.append((code, absolute_url(root, target)))
        if alternates:
            alternates.insert(0, (config.language, absolute_url(root, full)))
        return switch, alternates

    def _variant_alternates(self, path: str) -> list[tuple[str, str]]:
        """hreflang links between the simplified page and its 繁体 counterpart."""
        variant, base = self.site.variant, self.site.config.base_url
        assert variant is not None, "asked only of a site with a 繁体 version"
        return [("zh-Hans", absolute_url(base, path)), (variant.lang, absolute_url(base, f"{variant.prefix}/{path}"))]

    # -- content pages ------------------------------------------------------------------
    def render_page(self, page: Page) -> tuple[list[Problem], list[str], PageBody]:
        """Render one content page; returns the problems found in its body, its outbound URLs and
        the body (its text is what the search index takes).

        With a build cache, a page none of whose inputs changed since its last render is taken
        whole from its record (:meth:`_as_recorded`): its file from the previous output, its
        problems, body and export from the record, without making its template context, its
        export item's key or its body's key — most of what checking an unchanged page cost."""
        # what every record of this page is keyed by (b"": no records kept), worked out once
        state = self._page_state(page) if self.cache.page_records.enabled else b""
        known = self._as_recorded(page, state) if state else None
        if known is not None:
            return known
        body = self._body(page)
        export = None
        if self.exports is not None:
            export = self.exports[page.src] = self._export(page, body)
        problems = [Problem(display_path(page.file), issue.line, issue.message, issue.hint, issue.severity, issue.rule)
                    for issue in body.issues]
        head = meta.page_head(page, self.site.config, body.summary, body.first_image)
        if self.site.config.strict_meta and head.inherited:
            problems.append(Problem(display_path(page.file), 1,
                                    "[MT-4] 以下网页标签取自上级或默认值：" + "、".join(head.inherited),
                                    "如需自定义，在 front matter 中填写对应字段", "warning", "MT-4"))
        # 公文 layout: a body ending with 落款 and 成文日期 has them set right (govsite.render.document)
        organs = (page.info.get("issuer") or "", *(page.info.get("co_issuers") or ()), page.info_source)
        html: str | Deferred
        if body.content_key is None:
            html = mark_closing(body.html, organs)
        else:
            html = Deferred(hash_parts(body.content_key, "closing", *organs), lambda: mark_closing(body.html, organs))
        column = page.column
        assert column is not None, "the loader puts every page in a column"
        key, entry = self._write("page.html", page.url, page=page, column=column, body=html, head=head,
                                 trail=column.ancestors + [column], preview=self.preview_note(page))
        if key is not None and entry is not None:
            self._record(page, state, key.key, entry, problems, body, export)
        return problems, body.outbound, body

    # -- page records: a page taken whole when nothing it was made of changed ---------------
    def _page_state(self, page: Page) -> bytes:
        """What a page's render takes besides the objects it reads: the renderer's settings
        (templates, site.yaml, Markdown and export settings), the language switch and the
        preview note (the clock, in ``govsite serve``)."""
        return self._path_state(page.url, self.preview_note(page))

    def _path_state(self, path: str, note: str = "") -> bytes:
        """The renderer's settings, and the language switch of ``path`` (:meth:`_page_state`)."""
        languages, alternates = self._alternates(path, False)
        if not (languages or alternates or note):
            return self.record_fingerprint
        return hash_parts(self.record_fingerprint, digest((languages, alternates, note)))

    def _depends(self, made_of: Page | Column, reads: list) -> tuple[list[str], list]:
        """The entities a file's render depends on, and what its templates read from the site.

        Entities: the page or column the file is made of (``made_of``) and every page, column or
        asset its templates read from (``reads``:
        the output entry's), with the column of each page and the columns above each column —
        what the render's Python code reads (the head's inherited keywords, the trail, the export
        fields) and what properties compute from (``column.ancestors``, ``page.is_repost``). The
        site's reads are kept as reads (:meth:`Dependencies.still_true`): the site holds the
        clock and every list, and its templates read little of it."""
        deps = self.dependencies
        keys: dict[str, None] = {}
        site_reads = []

        def add(obj) -> None:
            while obj is not None:
                ekey = entity_key(obj)
                if ekey in keys:
                    return
                keys[ekey] = None
                obj = obj.column if isinstance(obj, Page) else obj.parent if isinstance(obj, Column) else None

        add(made_of)
        for group in reads:
            obj = deps.entity(group[0])
            if isinstance(obj, Site):
                site_reads.append(group)
            elif obj is None:
                keys[group[0]] = None     # another tree's: never in the same state (see states_hold)
            else:
                add(obj)
        return list(keys), site_reads

    def _record(self, page: Page, state: bytes, output: bytes, entry: OutputEntry, problems: list[Problem],
                body: PageBody, export) -> None:
        """Keep what the page's render gave, and what it was made of (:class:`PageRecord`);
        ``state``: :meth:`_page_state`."""
        if not state or body.key is None or (self.exports is not None and not isinstance(export, bytes)):
            return
        records = self.cache.page_records
        ekeys, site_reads = self._depends(page, entry.reads)
        records.put(records.key(self.fingerprint, page.src, state), PageRecord(
            state, self.dependencies.states(ekeys), site_reads, list(body.looked_up), entry.identity, problems,
            list(body.outbound),
            (body.key, body.content_key, body.search_key, body.summary, body.first_image, list(body.issues)),
            export if self.exports is not None else None, output))

    def _as_recorded(self, page: Page, state: bytes) -> tuple[list[Problem], list[str], PageBody] | None:
        """The page as its record says, when none of its inputs changed — its own state and that
        of every page, column and asset its render read, the site's reads, its body's link
        targets, the renderer's settings — and its output file is still the one recorded (kept
        as it is); else None (the page is rendered, or checked, as any)."""
        records = self.cache.page_records
        record = records.get(records.key(self.fingerprint, page.src, state))
        if record is None:
            return None
        deps = self.dependencies
        if not (deps.states_hold(record.entities) and deps.still_true(record.site_reads)
                and self._links_as_they_were(record) and self.out.previous_is(page.url, record.identity)
                and self.out.keep(page.url)):
            return None
        body_key, content_key, search_key, summary, first_image, issues = record.body
        if self.exports is not None:
            self.exports[page.src] = record.export
        self.cache.replay_page(body_key, record.output, record.export)
        self.skipped += 1
        body = PageBody(summary, keys=(content_key, search_key), read=lambda: self._full(page, body_key),
                        first_image=first_image, issues=issues, outbound=record.outbound, key=body_key,
                        looked_up=record.looked_up)
        return list(record.problems), list(record.outbound), body

    def _markdown(self, page: Page) -> tuple[Rendered, str]:
        """The page body as HTML and its plain text."""
        return self._body(page).full()

    def _body(self, page: Page) -> PageBody:
        """The page's body (:class:`PageBody`). With a build cache, its small entry (table
        ``bodies``) is taken when neither the body nor the link targets it looked up changed; the
        HTML and text (table ``markdown``, under the same key) are read only if asked for."""
        cache = self.cache
        key = cache.bodies.key(self.markdown.settings, page.src, page.url, page.body_line, page.body, page.origin)
        entry = cache.bodies.get(key, self._links_as_they_were)
        if entry is not None:
            return PageBody(entry.summary, keys=(entry.content_key, entry.search_key),
                            read=lambda: self._full(page, key), first_image=entry.first_image,
                            issues=entry.issues, outbound=entry.outbound, key=key, looked_up=entry.looked_up)
        rendered = self.markdown.render(page)
        text = plain_text(rendered.html)
        content_key, search_key = cache.bodies.digests(rendered.html, text, text[:TEXT_CAP])
        body = PageBody(summarize(text), rendered, text, keys=(content_key, search_key), key=key,
                        looked_up=self.markdown.looked_up)
        cache.bodies.put(key, BodyEntry(self.markdown.looked_up, content_key, search_key, body.summary,
                                        body.first_image, body.issues, body.outbound))
        cache.markdown.put(key, MarkdownEntry(rendered, text))
        return body

    def _links_as_they_were(self, entry: BodyEntry) -> bool:
        """Does every link target a cached body looked up give what it gave then?"""
        return all(self.markdown.target_state(src) == seen for src, seen in entry.looked_up)

    def _full(self, page: Page, key: bytes) -> tuple[Rendered, str]:
        """The HTML and text of a body whose small entry was valid: from the cache, or rendered
        again (the same, since the body and its link targets are as they were)."""
        def again() -> MarkdownEntry:
            rendered = self.markdown.render(page)
            return MarkdownEntry(rendered, plain_text(rendered.html))

        entry = self.cache.markdown.memo(key, again)
        return entry.rendered, entry.text

    def _export(self, page: Page, body: PageBody):
        """The page's syndication items (:func:`govsite.syndication.item_bytes`): with a build
        cache, the key under which they are in it (made now if they are not); else the items."""
        fields = syndication.item_fields(self.site, page)
        exports = self.cache.exports
        key = exports.key(self.export_fingerprint, body.content_key,
                          (sorted(body.outbound), page.url, page.description, fields))
        if key is None:   # no cache to keep them in: the items themselves
            return syndication.item_bytes(self.site, page, body, body.text, fields)
        if not exports.has(key):
            exports.put(key, syndication.item_bytes(self.site, page, body, body.text, fields))
        return key

    def preview_note(self, page: Page) -> str:
        """Why a page shows only in ``govsite serve`` (「预览」 flag beside the title), else ``""``."""
        if not self.site.preview:
            return ""
        if page.draft:
            return "草稿：正式生成时不发布"
        if page.scheduled and page.publish and not self.site.clock.reached(page.publish):
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
        """One list page of a column. Its context is made from the column alone (its pages, its
        children and theirs, the columns above it: all in their states) and the site's settings,
        so a record of what it read tells whether it is still as it was (:meth:`_list_as_recorded`)."""
        records = self.cache.file_records
        record_key = records.key(self.fingerprint, path, self._path_state(path))
        if self._list_as_recorded(records.get(record_key), path):
            return
        head = meta.column_head(col, self.site.config, path)
        pager = make_pager(number, count, len(col.pages), col.list_url)
        key, entry = self._write("column.html", path, column=col, items=items, number=number, count=count,
                                 pager=pager, blocks=blocks, head=head, trail=col.ancestors)
        if record_key is not None and key is not None and entry is not None:
            ekeys, site_reads = self._depends(col, entry.reads)
            records.put(record_key, FileRecord(record_key.state, self.dependencies.states(ekeys), site_reads,
                                               entry.identity, key.key))

    def _list_as_recorded(self, record: FileRecord | None, path: str) -> bool:
        """Keep a list page as it is when its record holds (as :meth:`_as_recorded`)."""
        if record is None:
            return False
        deps = self.dependencies
        if not (deps.states_hold(record.entities) and deps.still_true(record.site_reads)
                and self.out.previous_is(path, record.identity) and self.out.keep(path)):
            return False
        self.cache.replay_file(record.output)
        self.skipped += 1
        return True

    # -- home and site pages --------------------------------------------------------------
    def render_home(self) -> None:
        """The home page (its blocks: :mod:`govsite.render.home`) and, with ``interaction:``, the
        「我要写信」 page its entries lead to."""
        site, config = self.site, self.site.config
        migration = config.migration
        if migration and not ((migration["start"] is None or site.clock.reached(migration["start"]))
                              and (migration["end"] is None or not site.clock.reached(migration["end"]))):
            migration = None
        topics = [t for t in site.topics if t.archived_at is None and t.all_pages]
        self._write("home.html", "index.html", home=home.compose(site), topics=topics,
                    migration=migration, head=meta.home_head(config), trail=[])
        letter = home.letter_page(site)
        if letter is not None:
            title = self._("我要写信")
            self._write("letter.html", home.LETTER_PAGE, letter=letter, title=title,
                        head=meta.special_head(config, title, home.LETTER_PAGE), trail=[])

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
        items: dict = {}   # each page's feed item, made once for the feeds it is in
        for col in [None] + [c for c in site.columns if c.all_pages]:
            inputs, path = feeds.feed_inputs(site, col, items), feeds.feed_path(col)
            self._write_files(path, inputs, lambda path=path, inputs=inputs: {path: feeds.rss_document(inputs)})
        if not site.out_prefix:  # robots.txt only at the root; it names every version's sitemap
            self.out.write("robots.txt", feeds.robots(site))

    def _write_files(self, name: str, inputs, make) -> None:
        """Files that ``make()`` gives (``{path: bytes}``) from ``inputs`` (plain data) alone.
        With a build cache they are taken from the previous output while their inputs are
        unchanged: digesting a feed's or the sitemap's inputs costs a fraction of building the
        XML, which would only give the same bytes."""
        made = self.cache.files
        key = made.key(self.fingerprint, name, inputs)
        entry = made.get(key)
        if entry is not None and keep_recorded(self.out, entry.files):
            return   # (not counted: rendered/skipped count template renders)
        files = make()
        for path, data in files.items():
            self.out.write(path, data)
        made.record(key, self.out, files)

    # -- files ----------------------------------------------------------------------------
    def copy_static(self) -> None:
        """Theme static files, then the site's own static files over them."""
        for folder in reversed(theme_of(self.site).dirs):
            static = folder / "static"
            if not static.is_dir():
                continue
            for path in sorted(static.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    self.out.copy(path, "static/" + path.relative_to(static).as_posix())
        self.out.write("static/css/colors.css", theme_of(self.site).css())

    def copy_assets(self) -> None:
        for asset in self.site.assets:
            self.out.copy(asset.file, asset.out)
