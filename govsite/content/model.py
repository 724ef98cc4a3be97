"""The plain data the pipeline passes along: columns (栏目), pages and the resolved site.

The loader fills in what the files say; the resolver fills in what follows from the tree (URLs,
inherited values, order, neighbours, relations). Templates read these objects and never compute
site structure themselves.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from govsite.cache.digest import register_entities
from govsite.config.features import SearchSettings, Variant
from govsite.config.messages import Messages
from govsite.config.site import SiteConfig
from govsite.config.theme import Theme
from govsite.config.units import Unit
from govsite.core.clock import Clock
from govsite.core.vocab import REPRINT_TYPE, TOPIC_TYPE, VIEW_FILES, VIEWS


@dataclass(frozen=True)
class Origin:
    """Where an object of another site lives (资源库, :mod:`govsite.library`): the owner site and
    the object's absolute URL there. ``copy``: this site renders its own copy of the page (with
    ``rel=canonical`` to ``url``); otherwise links to the object lead to ``url``."""

    site: str                     # the owner's key (folder under sites/)
    name: str                     # the owner's name, shown as the source
    base_url: str
    url: str                      # absolute URL of the original
    copy: bool = False
    src: str = ""                 # a copy: the original's source path in the owner's tree


def foreign_url(obj) -> str:
    """The absolute URL of another site's page, column or file (资源库) — links to it lead there;
    "" for this site's own objects, copies of other sites' pages included."""
    origin = getattr(obj, "origin", None)
    return origin.url if origin is not None and not origin.copy else ""


@dataclass(eq=False)
class Column:
    """A 栏目: a folder under the content root described by ``_column.yaml``."""

    src: str                      # folder relative to the content root, e.g. "zwdt/gzdt"
    file: Path                    # its _column.yaml
    name: str = ""
    description: str = ""
    keywords: list = field(default_factory=list)
    type: str = ""
    order: int = 100
    intro: str = ""
    source: str = ""
    author: str = ""
    editor: str = ""              # 责任编辑 of its pages
    image: str = ""
    archived: dt.datetime | None = None
    end: dt.datetime | None = None  # 专题: when the work ends the topic archives itself (AR-2)
    slug: str = ""
    translation_key: str = ""                       # the same column in other language versions
    views: list = field(default_factory=list)       # generated pages: policy_library, … (govsite.views)
    owner: str = ""                                 # 栏目责任人, printed with check findings about it
    unit_key: str = ""                              # unit: as written (site.yaml units key)
    lines: dict = field(default_factory=dict)
    # filled in by resolve
    parent: Column | None = None
    children: list = field(default_factory=list)
    pages: list = field(default_factory=list)       # direct pages, visible, in list order
    dir: str = ""                                   # output folder, e.g. "zwdt/gzdt"
    depth: int = 0
    column_type: str = ""                           # ColumnType after inheritance
    archived_at: dt.datetime | None = None          # own or inherited archive time
    default_source: str = ""
    default_author: str = ""
    default_editor: str = ""                        # 责任编辑 after inheritance ("" = none)
    all_pages: list = field(default_factory=list)   # visible pages of the whole subtree, list order
    members: list = field(default_factory=list)     # 专题: pages elsewhere that joined by front matter;
                                                    # 资源库: other sites' pages listed here (include:)
    origin: Origin | None = None                    # set when the column belongs to another site
    unit: Unit | None = None                        # own or inherited unit (单位信息公开专栏), by resolve

    @property
    def url(self) -> str:
        return f"{self.dir}/index.html"

    def list_url(self, number: int) -> str:
        """Output path of list page ``number`` (1-based): index.html, index_2.html, …"""
        return self.url if number == 1 else f"{self.dir}/index_{number}.html"

    @property
    def ancestors(self) -> list[Column]:
        chain, col = [], self.parent
        while col is not None:
            chain.append(col)
            col = col.parent
        return chain[::-1]

    @property
    def channel(self) -> Column:
        return self.ancestors[0] if self.parent else self

    @property
    def is_topic(self) -> bool:
        """A 专题: a column of type 专题专栏 below the topic area — not the area itself (a channel),
        and not a sub-column of a topic (典型案例 inside 优化营商环境 inherits the type, but is a
        part of that topic: its pages count for it, it is never a topic of its own)."""
        parent = self.parent
        return self.column_type == TOPIC_TYPE and parent is not None and not parent.is_topic

    def line(self, key: str) -> int:
        return self.lines.get(key, 1)


@dataclass(eq=False)
class Page:
    """A content page (内容页): one Markdown file with front matter."""

    file: Path
    src: str                      # path relative to the content root, e.g. "zwdt/gzdt/a.md"
    title: str = ""
    date: dt.datetime | None = None
    source: str = ""
    author: str = ""
    editor: str = ""               # 责任编辑 as written
    keywords: list = field(default_factory=list)
    description: str = ""
    image: str = ""
    slug: str = ""
    top: int = 0
    draft: bool = False
    publish: dt.datetime | None = None
    expire: dt.datetime | None = None
    archived: dt.datetime | None = None
    type: str = "news"
    extra: dict = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    lines: dict = field(default_factory=dict)
    head_digest: bytes = b""       # digest of the front matter text: a body-only edit keeps it (govsite.quick)
    # filled in by resolve
    column: Column | None = None
    url: str = ""
    info_source: str = ""          # 信息来源 after inheritance
    author_name: str = ""          # 作者 after inheritance
    editor_name: str = ""          # 责任编辑 after inheritance ("" = none: not shown)
    archived_at: dt.datetime | None = None
    image_out: str = ""            # output path (or absolute URL) of ``image``
    prev: Page | None = None
    next: Page | None = None
    related: list = field(default_factory=list)
    scheduled: bool = False        # hidden now by publish/expire, not by the editor
    withheld: bool = False         # 公开属性 is 依申请公开 or 不予公开: never published
    # filled in by govsite.types (government content types)
    info: dict = field(default_factory=dict)       # the type's fields, checked and normalised
    links: dict = field(default_factory=dict)      # relation name → pages, both directions
    status: str = ""                               # badge text: 有效, 已废止, 公示中, 过期失效 …
    status_date: object = None                     # when that status began, where known
    index_no: str = ""                             # 索引号, written or generated (GK-5)
    topics: list = field(default_factory=list)     # 专题 columns this page also belongs to (CO-5)
    origin: Origin | None = None                   # another site's page, or this site's copy of one

    def linked(self, name: str) -> list:
        return self.links.get(name, [])

    def line(self, key: str) -> int:
        return self.lines.get(key, 1)

    @property
    def is_repost(self) -> bool:
        """A 转载: it says ``reprint:``, or it is in a 国务院信息转载 column (CP-4, LK-3)."""
        column = self.column
        return self.extra.get("reprint") is not None or (column is not None and column.column_type == REPRINT_TYPE)


@dataclass
class Asset:
    """A file beside the pages (image, attachment) copied to the output unchanged."""

    file: Path
    src: str                      # relative to the content root
    out: str = ""                 # output path, filled in by resolve
    origin: Origin | None = None  # set when the file belongs to another site

    @property
    def url(self) -> str:
        return self.out


@dataclass
class Site:
    """A resolved site: everything render needs, and nothing it has to work out."""

    config: SiteConfig
    clock: Clock                                    # the build time, shared by every tree of the build
    columns: list = field(default_factory=list)     # every column, tree order
    roots: list = field(default_factory=list)       # top-level columns, in order
    channels: list = field(default_factory=list)    # 频道: top-level columns in the navigation
    pages: list = field(default_factory=list)       # visible pages, newest first
    assets: list = field(default_factory=list)
    by_src: dict = field(default_factory=dict)      # source path → Page / Column / Asset, for links
    topics: list = field(default_factory=list)      # 专题 columns (current ones first)
    drafts: bool = False
    preview: bool = False                           # govsite serve: scheduled pages shown, marked 「预览」
    # from the site's settings (govsite.config.features.SiteSettings), loaded before resolve; None only
    # for another site's tree resolved for links (资源库), which is never rendered
    theme: Theme | None = None
    search: SearchSettings = field(default_factory=SearchSettings)  # hot words, synonyms
    messages: Messages | None = None                # theme strings in the site's language
    variant: Variant | None = None                  # the 繁体 version, if any
    library: dict = field(default_factory=dict)     # other sites this one includes or links (资源库): key → Site
    # set by the load stage once every tree of the site is resolved
    versions: list = field(default_factory=list)    # language versions (govsite.site.languages.LanguageVersion)
    translations: object = None                     # govsite.site.languages.Translations, with language versions
    out_prefix: str = ""                            # where this tree sits in the output ("en/" for a version)

    @property
    def now(self) -> dt.datetime:
        """The build time read as it is: the whole-build shortcut's window then keeps to its day. Ask
        ``clock`` instead where the answer changes at a known moment (:mod:`govsite.core.clock`)."""
        return self.clock.now


def view_path(column, name: str) -> str:
    return f"{column.dir}/{VIEW_FILES[name]}"


def view_links(column) -> list[tuple[str, str]]:
    """(title, output path) of the generated pages a column has, for its page and the site map."""
    return [(VIEWS[name], view_path(column, name)) for name in column.views if name in VIEWS]


def entity_key(obj) -> str:
    """What a page, column, asset or the site stands for in the build cache's digests and
    template reads (:mod:`govsite.cache.reads`): pages, columns and assets by their source file
    (unique across a site's language versions, whose trees share relative paths); a site by where
    its tree sits in the output.

    Asked ~100 times per output file, so a page's, column's or asset's key is kept on the object
    (``_entity_key``, beside its fields, with the origin it was made from: a page's key changes
    only with its file and its origin, and a new origin object means "work it out again")."""
    memo = getattr(obj, "__dict__", {}).get("_entity_key")
    origin = getattr(obj, "origin", None)
    if memo is not None and memo[0] is origin:
        return memo[1]
    if isinstance(obj, Page):  # a copy of another site's page (资源库) shares the owner's file
        key = "P:" + str(obj.file) + ("#copy" if origin is not None and origin.copy else "")
    elif isinstance(obj, Column):
        key = "C:" + str(obj.file)
    elif isinstance(obj, Asset):
        key = "A:" + str(obj.file)
    else:  # the site: its prefix is set after it is made, and there are few reads of it
        return "S:" + str(getattr(obj, "out_prefix", ""))
    obj.__dict__["_entity_key"] = (origin, key)
    return key


ENTITIES = (Page, Column, Asset, Site)
register_entities(ENTITIES, entity_key)
