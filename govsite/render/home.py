"""首页 as a composition: the blocks of ``home.blocks`` (site.yaml) worked out from the resolved site.

A district portal's home page is not a row of identical lists: 要闻 leads with a photo, 办事
entrances put 全程网办 first, 领导之窗, 互动交流 with 「我要写信」 and the hotline, 专题 banners,
相关链接 to 中国政府网 / the city / departments, 政务新媒体 QR codes, and 国务院信息转载 placed
prominently (the municipal rules want it above the fold). Each block kind is one dataclass here;
the templates under ``partials/home/`` only present it.

:func:`compose` is asked twice with the same site: once after resolve with a report (the load
stage, so ``govsite build`` and ``govsite check`` report a block naming a missing column or a
headline picture that is not there — LY-4, LK-1 — before anything is written), and once by the
renderer without one. A site without ``home:`` gets the blocks it always had: one list per channel.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from govsite.config.schema import BOOL, TEXT, Field, Schema
from govsite.config.site import BLOCK_NAMES, BlockConfig, Interaction, LinkGroup, ServiceEntry
from govsite.content import loader
from govsite.content.model import Column, Page, Site
from govsite.core.errors import Report
from govsite.site.types.leader import is_current

# front matter the headline block reads (page.extra): declared so the loader does not take them for typos
HEADLINE_FIELDS = Schema("front matter", (
    Field("headline", BOOL, "要闻", "写 headline: true", doc="listed first in the headline block; with image: a focus picture"),
    Field("image_alt", TEXT, "图片替代文字", "例如 image_alt: 推进会会场，主席台上方悬挂会标",
          doc="alt text of image: where it is shown as a picture (default: the title)"),
))
loader.FRONT_MATTER_KEYS.update(HEADLINE_FIELDS.names)
HEADLINE_PICTURES = 4      # pictures in the 要闻 set: more would only be scrolled past
ONLINE = "全程网办"


@dataclass(frozen=True)
class Slide:
    """A 要闻 picture: the page, its image (output path) and the image's alt text."""

    page: Page
    image: str
    alt: str


@dataclass
class ListBlock:
    """A column's latest items (today's block)."""

    column: Column
    items: list
    kind: str = "list"
    id: str = ""


@dataclass
class HeadlineBlock:
    """要闻: pictures of the newest pages with an image (``headline: true`` ones first), then the
    other headlines as a list."""

    title: str
    columns: list
    slides: list           # Slide
    items: list            # Page
    kind: str = "headline"
    id: str = ""


@dataclass
class Tab:
    column: Column
    items: list
    id: str = ""


@dataclass
class TabsBlock:
    """Several columns in one block: tabs with JavaScript, every list present without it."""

    title: str
    tabs: list             # Tab
    kind: str = "tabs"
    id: str = ""


@dataclass(frozen=True)
class ServiceLink:
    """One 办事入口: a guide page (``page``) or a configured address (``href``); 全程网办 first."""

    name: str
    online: bool
    page: Page | None = None
    href: str = ""


@dataclass
class ServiceCard:
    """A card of the services block: a service column and its entrances (or one configured list)."""

    name: str
    column: Column | None
    links: list            # ServiceLink
    online_count: int = 0


@dataclass
class ServicesBlock:
    title: str
    cards: list            # ServiceCard
    kind: str = "services"
    id: str = ""


@dataclass(frozen=True)
class Leader:
    page: Page
    name: str
    position: str
    photo: str             # output path, or ""
    alt: str


@dataclass
class LeadersBlock:
    """领导之窗: the current leaders, in their order, from the leader pages (type: leader)."""

    title: str
    column: Column | None
    leaders: list          # Leader
    kind: str = "leaders"
    id: str = ""


@dataclass
class InteractionBlock:
    """互动交流: 「我要写信」, consultation and complaint, the hotline, the latest published replies."""

    title: str
    interaction: Interaction
    column: Column | None
    replies: list          # Page (type: reply, 已答复)
    letter_page: str       # the generated 我要写信 page
    kind: str = "interaction"
    id: str = ""


@dataclass
class TopicsBlock:
    """专题专栏 banners: current top-level topics (not their sub-columns)."""

    title: str
    topics: list           # Column
    area: Column | None    # the 专题专栏 channel, for 更多
    kind: str = "topics"
    id: str = ""


@dataclass
class LinksBlock:
    title: str
    groups: tuple          # LinkGroup
    kind: str = "links"
    id: str = ""


@dataclass
class RepostsBlock:
    """国务院信息转载: placed where the site puts it (the demo: beside 要闻, above the fold)."""

    title: str
    column: Column
    items: list
    kind: str = "reposts"
    id: str = ""


@dataclass
class NewMediaBlock:
    title: str
    accounts: tuple        # NewMedia
    kind: str = "newmedia"
    id: str = ""


@dataclass
class HomePage:
    """Everything the home template shows besides the migration notice."""

    blocks: list = field(default_factory=list)
    composed: bool = False          # home.blocks has {block: …} entries (the portal layout)


LETTER_PAGE = "wyxx.html"           # 我要写信: the channels citizens write through


def visible(pages) -> list:
    return [p for p in pages if p.archived_at is None]


def _problem(report: Report | None, config, line: int, message: str, hint: str, rule: str) -> None:
    if report is not None:
        report.error(config.file, line, f"[{rule}] {message}", hint, rule=rule)


def block_configs(site: Site) -> tuple:
    """The site's blocks: ``home_blocks`` as site.yaml gives them; for a language version whose
    own ``home.blocks`` are column paths, those; else one list per channel (the default)."""
    config = site.config
    if config.home_blocks:
        return config.home_blocks
    names = config.home.get("blocks") if isinstance(config.home, dict) else None
    if names:
        names = names if isinstance(names, list) else [names]
        return tuple(BlockConfig("list", (str(n).strip("/"),)) for n in names if isinstance(n, (str, int)))
    return tuple(BlockConfig("list", (c.src,)) for c in site.channels)


def compose(site: Site, report: Report | None = None) -> HomePage:
    """The home page's blocks; problems go to ``report`` when given (see the module docstring)."""
    config = site.config
    size_default = int(config.home.get("block_size", 7)) if isinstance(config.home, dict) else 7
    by_src = {c.src: c for c in site.columns}
    home = HomePage()
    for n, spec in enumerate(block_configs(site), 1):
        columns = []
        for src in spec.columns:
            col = by_src.get(src)
            if col is None:
                if spec.kind != "list" or config.home_blocks:   # today's lists skipped a typo silently
                    _problem(report, config, spec.line, f"首页区块{_named(spec)}的栏目「{src}」不存在",
                             "写内容目录下栏目文件夹的路径，例如 zwdt/gzdt；可用的顶层栏目："
                             + "、".join(c.src for c in site.roots), "LY-4")
                continue
            columns.append(col)
        size = spec.size or size_default
        block = _block(site, spec, columns, size, report)
        if block is None:
            continue
        block.id = f"home-{spec.kind}-{n}"
        if isinstance(block, TabsBlock):
            for i, tab in enumerate(block.tabs, 1):
                tab.id = f"{block.id}-tab-{i}"
        home.blocks.append(block)
        home.composed = home.composed or spec.kind != "list"
    reprint = by_src.get(str(config.home.get("reprint_column", "") if isinstance(config.home, dict) else "").strip("/"))
    if reprint is not None and not any(b.kind == "reposts" for b in home.blocks):
        home.blocks.append(RepostsBlock(reprint.name, reprint, visible(reprint.all_pages)[:size_default],
                                        id="home-reprints"))
    return home


def _named(spec: BlockConfig) -> str:
    return f" {spec.kind}（{BLOCK_NAMES[spec.kind]}）" if spec.kind in BLOCK_NAMES else ""


def _block(site: Site, spec: BlockConfig, columns: list, size: int, report):
    kind, config = spec.kind, site.config
    title = spec.title
    if kind == "list":
        return ListBlock(columns[0], visible(columns[0].all_pages)[:size]) if columns else None
    if kind == "headline":
        return headline(site, spec, columns, size, report)
    if kind == "tabs":
        tabs = [Tab(c, visible(c.all_pages)[:size]) for c in columns]
        return TabsBlock(title, tabs) if tabs else None
    if kind == "services":
        return services(site, spec, columns, size)
    if kind == "leaders":
        return leaders(site, spec, columns)
    if kind == "interaction":
        replies_from = columns or [c for c in site.roots if any(p.type == "reply" for p in c.all_pages)]
        replies = [p for c in replies_from for p in visible(c.all_pages) if p.type == "reply" and p.status == "已答复"]
        replies = sorted(dict.fromkeys(replies), key=lambda p: (-p.date.timestamp(), p.src))[:size]
        return InteractionBlock(title or BLOCK_NAMES[kind], config.interaction,
                                columns[0] if columns else (replies_from[0] if replies_from else None),
                                replies, LETTER_PAGE)
    if kind == "topics":
        topics = top_topics(site)
        area = topics[0].parent if topics else None
        return TopicsBlock(title or BLOCK_NAMES[kind], topics[:size], area) if topics else None
    if kind == "links":
        return LinksBlock(title or BLOCK_NAMES[kind], config.links) if config.links else None
    if kind == "reposts":
        reprint = columns[0] if columns else None
        if reprint is None:
            src = str(config.home.get("reprint_column", "")).strip("/")
            reprint = next((c for c in site.columns if c.src == src), None)
        if reprint is None:
            _problem(report, config, spec.line, "首页区块 reposts（国务院信息转载）没有栏目",
                     "写 {block: reposts, columns: [xxgk/gwyxx]}，或在 home 下写 reprint_column", "LY-4")
            return None
        return RepostsBlock(title or reprint.name, reprint, visible(reprint.all_pages)[:size])
    if kind == "newmedia":
        accounts = tuple(m for m in config.newmedia if _static_file(site, m.image, report))
        return NewMediaBlock(title or BLOCK_NAMES[kind], accounts) if accounts else None
    return None


def _static_file(site: Site, name: str, report) -> bool:
    """Is a 政务新媒体 QR image there (sites/<site>/static/ or the theme's static/)? A QR code that
    does not load is a broken picture on the home page (LK-1)."""
    dirs = site.theme.dirs if site.theme is not None else [site.config.dir]
    if any((folder / "static" / name).is_file() for folder in dirs):
        return True
    n = next(i for i, m in enumerate(site.config.newmedia) if m.image == name)
    _problem(report, site.config, site.config.line_of("newmedia", n, "image"),
             f"政务新媒体二维码图片「{name}」不存在", f"把图片放在 sites/{site.config.key}/static/{name}，或改正 image", "LK-1")
    return False


def headline(site: Site, spec: BlockConfig, columns: list, size: int, report) -> HeadlineBlock | None:
    """要闻: ``headline: true`` pages first, then the newest; the first ones with a picture form the
    picture set. A headline page whose ``image`` is not there is an LK-1 error (a broken picture
    on the home page is the first thing an inspector sees)."""
    pages = sorted(dict.fromkeys(p for c in columns for p in visible(c.all_pages)),
                   key=lambda p: (p.extra.get("headline") is not True, -p.date.timestamp(), p.src))
    slides: list[Slide] = []
    for page in pages:
        if page.extra.get("headline") is True and page.image and not page.image_out:
            if report is not None and page.origin is None:
                report.error(page.file, page.line("image"),
                             f"[LK-1] 要闻页面的图片 image「{page.image}」不存在",
                             "把图片放在该页面同一目录并改正文件名，或删除 image 一行", rule="LK-1")
            continue
        if page.image_out and len(slides) < HEADLINE_PICTURES and (page.extra.get("headline") is True or not slides):
            alt = str(page.extra.get("image_alt") or "").strip() or page.title
            slides.append(Slide(page, page.image_out, alt))
    pictured = {id(s.page) for s in slides}
    items = [p for p in pages if id(p) not in pictured][:size]
    title = spec.title or (columns[0].name if len(columns) == 1 else BLOCK_NAMES["headline"])
    return HeadlineBlock(title, columns, slides, items) if slides or items else None


def services(site: Site, spec: BlockConfig, columns: list, size: int) -> ServicesBlock | None:
    """办事服务: a card per service column (its guides, 全程网办 first), or the configured list."""
    title = spec.title or BLOCK_NAMES["services"]
    if spec.items:
        entries = sorted(spec.items, key=lambda e: not e.online)   # stable: the written order otherwise
        links = [ServiceLink(e.name, e.online, href=e.url) for e in entries]
        return ServicesBlock(title, [ServiceCard(title, None, links, sum(e.online for e in entries))])
    if not columns:
        columns = [c for c in site.columns if c.children == [] and any(p.type == "service" for p in c.pages)]
    cards = []
    for col in columns:
        guides = [p for p in visible(col.all_pages) if p.type == "service"]
        guides.sort(key=lambda p: (p.info.get("online_level") != ONLINE, -p.date.timestamp(), p.src))
        links = [ServiceLink(str(p.info.get("item_name") or p.title), p.info.get("online_level") == ONLINE, page=p)
                 for p in guides[:size]]
        cards.append(ServiceCard(col.name, col, links, sum(1 for p in guides if p.info.get("online_level") == ONLINE)))
    return ServicesBlock(title, cards) if cards else None


def leaders(site: Site, spec: BlockConfig, columns: list) -> LeadersBlock | None:
    """领导之窗: current leaders (type: leader) by their ``order``."""
    pool = columns or [c for c in site.columns if any(p.type == "leader" for p in c.pages)]
    pages = [p for c in pool for p in c.all_pages
             if p.type == "leader" and p.info and p.archived_at is None and is_current(p, site.clock)]
    pages = sorted(dict.fromkeys(pages), key=lambda p: (p.info.get("order") or 0, p.src))
    people = []
    for p in pages:
        photo = p.info.get("photo") or {}
        people.append(Leader(p, str(p.info.get("name") or p.title), str(p.info.get("position") or ""),
                             photo.get("out", ""), photo.get("alt", "")))
    title = spec.title or BLOCK_NAMES["leaders"]
    return LeadersBlock(title, pool[0] if pool else None, people) if people else None


def top_topics(site: Site) -> list:
    """Current 专题 with pages. ``site.topics`` holds topics only (``Column.is_topic``): a topic's
    典型案例 sub-column is part of the topic's banner, never a banner of its own."""
    return [t for t in site.topics if t.archived_at is None and t.all_pages]


@dataclass(frozen=True)
class Channel:
    """One way to write in, on the 我要写信 page."""

    name: str
    href: str
    note: str = ""


@dataclass(frozen=True)
class Department:
    """A department or 街镇 site in the repository (资源库): its own letter channel and contact."""

    name: str
    href: str
    letter: str
    phone: str
    email: str


@dataclass
class LetterPage:
    """「我要写信」: every channel (写信, 咨询, 投诉, 依申请公开, the hotline, the e-mail) and the
    departments' own, so that a citizen finds one page to act from, without JavaScript."""

    channels: list         # Channel
    hotline: str
    departments: list      # Department
    replies: Column | None


def letter_page(site: Site) -> LetterPage | None:
    config = site.config
    inter = config.interaction
    if not inter:
        return None
    channels = [Channel(label, href, note) for label, href, note in (
        ("我要写信", inter.letter_url, "区长信箱：反映问题、提出建议"),
        ("我要咨询", inter.consult_url, "咨询政策和办事问题"),
        ("我要投诉", inter.complaint_url, "投诉政务服务和行政执法中的问题"),
        ("依申请公开", inter.apply_url, "申请获取主动公开以外的政府信息"),
    ) if href]
    email = config.contact.get("email", "")
    if email:
        channels.append(Channel("电子邮箱", f"mailto:{email}", email))
    departments = []
    for key in sorted(site.library):
        other = site.library[key]
        if other is None or getattr(other, "config", None) is None:
            continue
        oc = other.config
        departments.append(Department(oc.name, oc.base_url, oc.interaction.letter_url,
                                      oc.contact.get("phone", ""), oc.contact.get("email", "")))
    replies = next((c for c in site.roots if any(p.type == "reply" for p in c.all_pages)), None)
    return LetterPage(channels, inter.hotline, departments, replies)


__all__ = ["HomePage", "LETTER_PAGE", "LetterPage", "LinkGroup", "ServiceEntry", "compose", "letter_page", "top_topics"]
