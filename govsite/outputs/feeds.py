"""Machine-readable outputs: sitemap.xml (sitemaps.org), robots.txt and RSS 2.0 feeds.

Search engines and aggregators read these; inspection platforms crawl from the sitemap. All
URLs are absolute (from ``base_url``). Dates come from the content, never from the clock, so the
files are as deterministic as the pages.
"""
from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from email.utils import format_datetime as rfc822
from zoneinfo import ZoneInfo

from govsite.content.model import Column, Site, foreign_url, view_links
from govsite.core.links import absolute

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
SITEMAP_LIMIT = 50_000          # URLs per sitemap file (protocol limit)
SITE_FEED_ITEMS = 50
COLUMN_FEED_ITEMS = 20
_MARKUP_RE = re.compile(r"!\[[^\]]*\]\([^)]*\)|\[([^\]]*)\]\([^)]*\)|^[#>|\-*\s]+|[*_`|]", re.M)


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _day(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%d")


def sitemap_entries(site: Site) -> list[tuple[str, str]]:
    """(absolute URL, lastmod) for the home page, every column and every page."""
    config = site.config
    newest = site.pages[0].date if site.pages else site.now
    entries = [(absolute(config, "index.html"), _day(newest))]
    for col in site.columns:
        if col.all_pages:
            entries.append((absolute(config, col.url), _day(col.all_pages[0].date)))
        for _title, path in view_links(col):  # generated pages (汇总页) change with the whole site
            entries.append((absolute(config, path), _day(newest)))
    own = [p for p in site.pages if p.origin is None]  # a copy of another site's page is canonical there
    entries.extend((absolute(config, p.url), _day(p.date)) for p in sorted(own, key=lambda p: p.url))
    for path in ("sitemap.html", "help.html"):
        entries.append((absolute(config, path), _day(newest)))
    variant = getattr(site, "variant", None)
    if variant is not None:  # the 繁体 version's counterpart of every page (LG-1)
        root = absolute(config, "index.html")
        entries += [(root + variant.prefix + "/" + loc[len(root):], day) for loc, day in list(entries)]
    return entries


def sitemaps(site: Site, limit: int = SITEMAP_LIMIT, entries: list | None = None) -> dict[str, bytes]:
    """``sitemap.xml`` — or, above ``limit`` URLs, an index over ``sitemap-1.xml`` … files —
    of ``entries`` (default: :func:`sitemap_entries`)."""
    entries = sitemap_entries(site) if entries is None else entries
    chunks = [entries[i:i + limit] for i in range(0, len(entries), limit)] or [[]]

    def urlset(chunk):
        root = ET.Element("urlset", xmlns=SITEMAP_NS)
        for loc, lastmod in chunk:
            url = ET.SubElement(root, "url")
            ET.SubElement(url, "loc").text = loc
            ET.SubElement(url, "lastmod").text = lastmod
        return _xml(root)

    if len(chunks) == 1:
        return {"sitemap.xml": urlset(chunks[0])}
    files = {f"sitemap-{n}.xml": urlset(chunk) for n, chunk in enumerate(chunks, 1)}
    index = ET.Element("sitemapindex", xmlns=SITEMAP_NS)
    for n, chunk in enumerate(chunks, 1):
        entry = ET.SubElement(index, "sitemap")
        ET.SubElement(entry, "loc").text = absolute(site.config, f"sitemap-{n}.xml")
        ET.SubElement(entry, "lastmod").text = max(lastmod for _, lastmod in chunk)
    files["sitemap.xml"] = _xml(index)
    return files


def robots(site: Site) -> str:
    """robots.txt names the site's sitemap and those of its language versions (外文版)."""
    maps = [absolute(site.config, "sitemap.xml")]
    maps += [absolute(site.config, f"{v.prefix}/sitemap.xml") for v in getattr(site, "versions", [])]
    return "User-agent: *\nAllow: /\n\n" + "".join(f"Sitemap: {m}\n" for m in maps)


def raw_summary(page, length: int = 120) -> str:
    """A short description from the Markdown source (feeds are written without rendering bodies)."""
    if page.description:
        return page.description
    text = re.sub(r"\s+", " ", _MARKUP_RE.sub(lambda m: m.group(1) or "", page.body)).strip()
    return text[:length] + ("…" if len(text) > length else "")


def feed_path(col: Column | None) -> str:
    return f"{col.dir}/rss.xml" if col else "rss.xml"


CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"


def rss(site: Site, col: Column | None = None) -> bytes:
    """An RSS 2.0 feed of the site's newest pages, or of one column's (with its subcolumns)."""
    return rss_document(feed_inputs(site, col))


def feed_inputs(site: Site, col: Column | None = None, items: dict | None = None) -> tuple:
    """Everything :func:`rss` makes a feed of, as plain data: the channel's fields and each
    item's fields and summary. :func:`rss_document` needs nothing else, so the build cache can
    tell an unchanged feed by a digest of this. ``items``: the items made so far by page (a
    page is in its column's feed, each one above, and the site's: summed from its Markdown
    source once, not each time)."""
    config = site.config
    pages = (col.all_pages[:COLUMN_FEED_ITEMS] if col else site.pages[:SITE_FEED_ITEMS])
    channel = (f"{col.name} - {config.name}" if col else config.name,
               absolute(config, col.url if col else "index.html"),
               (col.description or col.intro or col.name) if col else (config.description or config.name))
    items = {} if items is None else items
    made = []
    for page in pages:
        item = items.get(id(page))
        if item is None:
            item = items[id(page)] = (item_fields(site, page), raw_summary(page))
        made.append(item)
    return _channel_fields(site, pages, *channel), made


def _channel_fields(site: Site, pages: list, title: str, link: str, description: str) -> tuple:
    config = site.config
    newest = rfc822(pages[0].date.replace(tzinfo=ZoneInfo(config.timezone))) if pages else None
    return title, link, description, config.language.lower(), newest


def _channel(fields: tuple) -> ET.Element:
    """The ``<rss><channel>`` of :func:`_channel_fields`, without items."""
    title, link, description, language, newest = fields
    root = ET.Element("rss", version="2.0")
    channel = ET.SubElement(root, "channel")
    ET.SubElement(channel, "title").text = title
    ET.SubElement(channel, "link").text = link
    ET.SubElement(channel, "description").text = description
    ET.SubElement(channel, "language").text = language
    if newest is not None:
        ET.SubElement(channel, "lastBuildDate").text = newest
    return root


def item_fields(site: Site, page, source=None) -> tuple:
    """The short fields of a page's ``<item>``: (title, link, pubDate, category, author, source),
    ``source`` being ``source(page)`` → (url, name), or None (only the export names a source)."""
    config = site.config
    link = foreign_url(page) or absolute(config, page.url)
    author = f"{config.contact.get('email', 'webmaster@' + config.domain)} ({page.author_name})"
    return (page.title, link, rfc822(page.date.replace(tzinfo=ZoneInfo(config.timezone))), page.column.name,
            author, source(page) if source is not None else None)


def _item(parent: ET.Element, fields: tuple, summary: str, content: str | None = None) -> ET.Element:
    """One ``<item>`` from :func:`item_fields`; ``content`` only in the export, whose root
    declares the ``content:`` prefix (see :func:`rss_frame`)."""
    title, link, date, category, author, source = fields
    item = ET.SubElement(parent, "item")
    ET.SubElement(item, "title").text = title
    ET.SubElement(item, "link").text = link
    ET.SubElement(item, "guid", isPermaLink="true").text = link
    ET.SubElement(item, "pubDate").text = date
    ET.SubElement(item, "category").text = category
    ET.SubElement(item, "author").text = author
    ET.SubElement(item, "description").text = summary
    if source is not None:
        url, name = source
        ET.SubElement(item, "source", url=url).text = name
    if content is not None:
        ET.SubElement(item, "content:encoded").text = content
    return item


def rss_document(inputs: tuple) -> bytes:
    """RSS 2.0 from :func:`feed_inputs`: the channel, then the items in the given order."""
    channel_fields, items = inputs
    root = _channel(channel_fields)
    channel = root[0]
    for fields, summary in items:
        _item(channel, fields, summary)
    return _xml(root)


def export_item(fields: tuple, summary: str, content: str) -> bytes:
    """One ``<item>`` of the export (:func:`rss_frame`) with the page's full body, as bytes."""
    item = _item(ET.Element("channel"), fields, summary, content)
    ET.indent(item, level=2)
    return b"    " + ET.tostring(item, encoding="utf-8") + b"\n"


def rss_frame(site: Site, pages: list, title: str, link: str, description: str) -> tuple[bytes, bytes]:
    """What comes before and after the items (:func:`export_item`) of the exported RSS 2.0: the
    syndication export (:mod:`govsite.syndication`) is too big to build as one tree, and is
    written item by item."""
    root = _channel(_channel_fields(site, pages, title, link, description))
    root.set("xmlns:content", CONTENT_NS)  # declared once; items name the prefix literally
    head = _xml(root).decode("utf-8")
    cut = head.rindex("</channel>")
    return head[:cut].rstrip(" ").encode("utf-8"), head[cut:].encode("utf-8")


def feeds(site: Site) -> dict[str, bytes]:
    """Every feed of the site: the site-wide one and one per column that has pages."""
    out = {feed_path(None): rss(site)}
    for col in site.columns:
        if col.all_pages:
            out[feed_path(col)] = rss(site, col)
    return out
