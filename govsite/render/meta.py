"""网页标签 (SPEC MT-1…MT-5): the meta tags of every page, inherited and never empty.

Child pages inherit their parents' values and no value may be empty (附件 二(五)). The chains
(MT-4): Keywords → column keywords → site keywords → site name; Description → summary of the
body → title; Author/ContentSource → column default → site sponsor; Image → first body image →
site logo; Url → the page's absolute URL. Every function returns a :class:`Head`, which the
templates print as they are.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from govsite.config.site import SiteConfig
from govsite.content.model import Column, Page
from govsite.core.dates import format_datetime
from govsite.core.links import absolute

LOGO_DEFAULT = "static/img/logo.svg"


@dataclass
class Head:
    title: str
    description: str
    keywords: str
    canonical: str
    tags: list = field(default_factory=list)        # [(name, content)] — the 网页标签
    og: list = field(default_factory=list)          # [(property, content)]
    inherited: list = field(default_factory=list)   # names whose value came from a parent (MT-4)

    @property
    def standard(self) -> list:
        """HTML's own ``description``/``keywords``, unless a 网页标签 of the same name is present.

        Meta names are case-insensitive, so a content page's ``Keywords``/``Description`` tags
        already are the standard ones; each name is emitted once.
        """
        have = {name.lower() for name, _ in self.tags}
        return [(n, v) for n, v in (("description", self.description), ("keywords", self.keywords)) if n not in have]


def logo_path(config: SiteConfig) -> str:
    return f"static/{config.logo}" if config.logo else LOGO_DEFAULT


def conac_image_path(config: SiteConfig) -> str:
    return f"static/{config.conac_image}" if config.conac_image else "static/img/conac-placeholder.svg"


def _site_tags(config: SiteConfig) -> list:
    return [("SiteName", config.name), ("SiteDomain", config.domain), ("SiteIDCode", config.site_code)]


def _column_keywords(col: Column | None, config: SiteConfig) -> list:
    while col is not None:
        if col.keywords:
            return col.keywords
        col = col.parent
    return config.keywords or [config.name]


def _og(config, title, description, url, image, kind) -> list:
    return [("og:type", kind), ("og:site_name", config.name), ("og:title", title),
            ("og:description", description), ("og:url", url), ("og:image", image),
            ("og:locale", config.language.replace("-", "_"))]


def home_head(config: SiteConfig) -> Head:
    description = config.description or config.name
    keywords = ",".join(config.keywords or [config.name])
    url = absolute(config, "index.html")
    image = absolute(config, logo_path(config))
    return Head(config.name, description, keywords, url, _site_tags(config),
                _og(config, config.name, description, url, image, "website"))


def special_head(config: SiteConfig, title: str, path: str, description: str = "") -> Head:
    """Head of a site-level page (site map, help, search, 404): site tags only (MT-1)."""
    head = home_head(config)
    head.title = f"{title} - {config.name}"
    head.description = description or f"{config.name}{title}"
    head.canonical = absolute(config, path)
    head.og = _og(config, title, head.description, head.canonical, absolute(config, logo_path(config)), "website")
    return head


def column_head(col: Column, config: SiteConfig, path: str) -> Head:
    inherited = []
    description = col.description or col.intro
    if not description:
        description = col.name
        inherited.append("ColumnDescription")
    keywords = col.keywords
    if not keywords:
        keywords = _column_keywords(col, config) if col.parent else [col.name]
        inherited.append("ColumnKeywords")
    if not col.type:
        inherited.append("ColumnType")
    kw = ",".join(keywords)
    url = absolute(config, path)
    tags = _site_tags(config) + [("ColumnName", col.name), ("ColumnDescription", description),
                                 ("ColumnKeywords", kw), ("ColumnType", col.column_type)]
    og = _og(config, col.name, description, url, absolute(config, logo_path(config)), "website")
    return Head(f"{col.name} - {config.name}", description, kw, url, tags, og, inherited)


def page_head(page: Page, config: SiteConfig, body_html_summary: str, first_image: str) -> Head:
    col = page.column
    assert col is not None and page.date is not None, "the loader gives every rendered page a column and a date"
    inherited = []
    keywords = page.keywords
    if not keywords:
        keywords = _column_keywords(col, config)
        inherited.append("Keywords")
    description = page.description
    if not description:
        description = body_html_summary or page.title
        inherited.append("Description")
    image = page.image_out
    if not image:
        image = first_image or logo_path(config)
        inherited.append("Image")
    if not page.source:
        inherited.append("ContentSource")
    if not page.author:
        inherited.append("Author")
    url = absolute(config, page.url)
    image_url = absolute(config, image)
    kw = ",".join(keywords)
    tags = _site_tags(config) + [
        ("ColumnName", col.name), ("ColumnType", col.column_type),
        ("ArticleTitle", page.title), ("PubDate", format_datetime(page.date)),
        ("ContentSource", page.info_source), ("Keywords", kw), ("Author", page.author_name),
        ("Description", description), ("Image", image_url), ("Url", url),
    ]
    # a copy of another site's page (资源库) names the owner's page as the canonical one
    canonical = page.origin.url if page.origin is not None else url
    og = _og(config, page.title, description, canonical, image_url, "article")
    return Head(f"{page.title} - {config.name}", description, kw, canonical, tags, og, inherited)
