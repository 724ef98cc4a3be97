"""Syndication (信息报送, research L1/L2/L5): every site exports all its published items for the
portal and superior platforms to harvest, and ``govsite import`` reposts another site's items.

Export: every visible content page of the main tree, not only the newest 20 of the ordinary
feeds, so a harvester needs no crawling — as an archived feed in the manner of RFC 5005 (Feed
Paging and Archiving). ``export/feed.json`` (JSON Feed 1.1) is the current document: the items of
the newest month. Each earlier month is an archive document, ``export/archive/YYYY-MM.json``; the
chain runs from the current document to the oldest archive (JSON Feed's ``next_url``, and
``_govsite`` ``prev_archive`` / ``next_archive`` / ``current`` as RFC 5005 names the links).
An archive holds the items published in its month, so adding a page rewrites the current
document and editing an old one rewrites its month's archive: a build writes export work in
proportion to what changed, and every other archive is kept as it was. ``export/rss.xml`` (RSS
2.0 with the full body) carries the current document's items for RSS harvesters; the history is
in the JSON archives only, which keeps the export at one copy of the site's text instead of two. Bodies are the renderer's own sanitized HTML, with links made
absolute so they work on the harvester's side. The rendering workers make each page's two items
while the body is at hand (``SiteRenderer.exports``), so the export costs no second Markdown pass;
with a build cache the items are kept there, keyed by everything they are made of, and a page
whose item is unchanged costs the export a read. Like the other feeds, nothing depends on the
clock: the files change only when content does, and unchanged files keep their mtime
(``OutputDir``).

Import: each item of a JSON Feed becomes one Markdown repost (转载) with ``reprint:`` metadata
(CP-4); the body is the exported HTML, which Python-Markdown passes through as raw HTML blocks
and the sanitizer checks like any other body. The original's URL identifies an item, so importing
the same feed again adds only what is new and never touches an editor's file.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import mimetypes
import posixpath
import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

import yaml

from govsite.cache.digest import hash_parts
from govsite.config.site import load_site
from govsite.content.model import Page
from govsite.core.dates import DateError, build_now, format_datetime, parse_datetime, site_zone
from govsite.core.errors import Report
from govsite.core.links import absolute, leave_path
from govsite.core.slugs import slugify
from govsite.core.source import SourceError, load_yaml, read_text, split_front_matter
from govsite.core.text import summarize
from govsite.outputs import feeds
from govsite.site import review

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
EXPORT_DIR = "export"
_URL_ATTR_RE = re.compile(r'\b(href|src)="(?!https?://|mailto:|tel:)([^"]*)"')   # relative ones only
_TABLE_SCROLL_RE = re.compile(r'<div class="table-scroll"[^>]*>(<table\b.*?</table>)</div>', re.S)


# -- export ---------------------------------------------------------------------------------------
def exported_pages(site) -> list[Page]:
    """Every published content page the site owns, newest first; the source path breaks ties (a
    total order). Copies of other sites' pages (资源库) are in their owners' exports."""
    pages = [p for p in site.pages if not (p.draft or p.scheduled or p.withheld) and p.origin is None]
    return sorted(sorted(pages, key=lambda p: p.src), key=lambda p: p.date, reverse=True)


def enabled(site) -> bool:
    """The export is written for a site's main tree (not a language version) unless site.yaml
    says ``syndication: false``; never in ``govsite serve``'s preview, which is not published."""
    return not site.out_prefix and site.config.syndication and not site.preview


def item_fields(site, page: Page) -> tuple[dict, tuple | None]:
    """The parts of a page's two export items that need no body: the JSON Feed item without
    ``content_html`` and ``summary``, and the RSS item's short fields — None for a page outside
    the current document, which ``export/rss.xml`` does not carry (the archives are JSON only).
    Cheap; with the body and text they are all an item is made of, so the build cache keys the
    items by them (a page that becomes current again gets a new key, and its RSS item)."""
    config = site.config
    if page.src not in current_sources(site):
        return feed_fields(site, page), None
    rss_url = absolute(config, f"{EXPORT_DIR}/rss.xml")
    return feed_fields(site, page), feeds.item_fields(site, page, lambda p: _rss_source(p, rss_url))


def item_bytes(site, page: Page, body, text: str, fields: tuple[dict, tuple | None]) -> tuple[bytes, bytes]:
    """A page's JSON Feed item and RSS ``<item>`` (``b""`` outside the current document). The
    render workers make them while the body is at hand (``SiteRenderer.exports``); the export
    then only joins them."""
    content = absolute_links(site.config, page, body)
    summary = page.description or summarize(text)
    json_fields, rss_fields = fields
    item = json.dumps({**json_fields, "content_html": content, "summary": summary}, ensure_ascii=False, sort_keys=True)
    return item.encode("utf-8"), feeds.export_item(rss_fields, summary, content) if rss_fields is not None else b""


_CURRENT: list = [None, frozenset()]   # (a weak reference to the site, its current pages' sources)


def current_sources(site) -> frozenset:
    """The source paths of the pages in the current export document (the newest month), worked
    out once per site object: each page's items ask."""
    held = _CURRENT[0]
    if held is None or held() is not site:
        _CURRENT[:] = [weakref.ref(site), frozenset(p.src for p in export_documents(site)[0].pages)]
    return _CURRENT[1]


ITEMS_PER_READ = 500   # export items read from the build cache in one query (one by one: 3× the time)


ARCHIVE_DIR = f"{EXPORT_DIR}/archive"


@dataclass(frozen=True)
class ExportDocument:
    """One document of the archived export: the current one (``month`` of its newest items) or
    the archive of one month; ``older``/``newer``: the neighbouring archives' paths ("" at the ends)."""

    rel: str
    month: str
    pages: tuple
    archive: bool
    older: str = ""
    newer: str = ""


def export_documents(site) -> list[ExportDocument]:
    """The documents of the export, newest first: the current one and one archive per earlier
    month (by publication date, in site time), each linked to its neighbours."""
    months: dict[str, list[Page]] = {}
    for page in exported_pages(site):
        assert page.date is not None, "an exported page is published, with a date"
        months.setdefault(page.date.strftime("%Y-%m"), []).append(page)
    names = list(months)
    rels = [f"{EXPORT_DIR}/feed.json"] + [f"{ARCHIVE_DIR}/{month}.json" for month in names[1:]]
    if not names:
        return [ExportDocument(rels[0], "", (), False)]
    return [ExportDocument(rels[n], month, tuple(months[month]), n > 0,
                           older=rels[n + 1] if n + 1 < len(rels) else "",
                           newer=rels[n - 1] if n > 1 else "")
            for n, month in enumerate(names)]


def write_export(renderer) -> None:
    """Write the export (see :func:`enabled`, :func:`export_documents`) from the items the render
    workers made: in memory, or under their keys in the build cache."""
    site = renderer.site
    if not enabled(site):
        return
    config = site.config
    documents = export_documents(site)
    pages = [page for document in documents for page in document.pages]
    ready = renderer.exports or {}
    renderer.exports = None
    cache = renderer.cache

    position = {page.src: n for n, page in enumerate(pages)}

    def item(part: int):
        fetched: dict = {}   # the next items' entries, read from the cache ITEMS_PER_READ at a time

        def made(page: Page) -> bytes:
            entry = ready.get(page.src)
            if isinstance(entry, bytes):   # the key of the cache entries the workers checked or wrote
                if entry not in fetched:
                    n = position[page.src]
                    ahead = (ready.get(p.src) for p in pages[n:n + ITEMS_PER_READ])
                    fetched.clear()
                    fetched.update(cache.exports.get_many([k for k in ahead if isinstance(k, bytes)], part))
                data = fetched.pop(entry, None)
                if data is not None:
                    return data
                entry = None
            if entry is None:  # not rendered in this process tree, or the cache failed: make it here
                body, text = renderer._markdown(page)
                entry = ready[page.src] = item_bytes(site, page, body, text, item_fields(site, page))
            return entry[part]
        return made

    channel = (config.name, absolute(config, "index.html"), config.description or config.name)
    current = documents[0]
    # each item a part keyed like its cache entry (no key without a cache): what is unchanged at
    # the start and the end of a file is copied from the last build's, and a file whose every
    # part is as it was is kept (OutputDir.write_parts)
    files = [(document.rel, json_feed_frame(site, document, current.rel), b", ", 0, document.pages)
             for document in documents]
    files.append((f"{EXPORT_DIR}/rss.xml", feeds.rss_frame(site, list(current.pages), *channel), b"", 1, current.pages))
    for rel, (head, foot), glue, part, chosen in files:
        made, suffix = item(part), b"jr"[part:part + 1]
        parts: list[tuple[bytes | None, Callable[..., bytes]]] = [(b"h" + hash_parts(head), lambda head=head: head)]
        for n, page in enumerate(chosen):
            key, sep = ready.get(page.src), glue if n else b""
            parts.append((key + suffix + sep if isinstance(key, bytes) else None,
                          lambda page=page, sep=sep, made=made: sep + made(page)))
        parts.append((b"f" + hash_parts(foot), lambda foot=foot: foot))
        records = cache.export_files
        record = records.key(renderer.fingerprint, rel)
        records.put(record, renderer.out.write_parts(rel, parts, records.get(record)))


def _rss_source(page: Page, rss_url: str) -> tuple[str, str]:
    reprint = page.info.get("reprint") or {}
    if reprint.get("original_url"):
        return reprint["original_url"], reprint["original_site"]
    return rss_url, page.info_source


def absolute_links(config, page: Page, body) -> str:
    """The rendered body with every link absolute: relative links resolved against the page's
    URL, and leaving notices (LK-2) replaced by the outbound URL they stand for."""
    base = absolute(config, page.url)
    notices = {absolute(config, leave_path(url)): url for url in body.outbound}

    def fix(match):
        value = urljoin(base, html.unescape(match.group(2)))
        return f'{match.group(1)}="{html.escape(notices.get(value, value))}"'

    return _URL_ATTR_RE.sub(fix, body.html)


def rfc3339(value, zone: ZoneInfo) -> str:
    """A naive site-local time (or a date) as RFC 3339 with the site's UTC offset."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=zone).isoformat()
    return value.isoformat()


def plain(value, zone: ZoneInfo):
    """``value`` as JSON data, or ``None`` where it holds pages, columns or other objects: the
    export carries facts, not references into this build (which may name unpublished pages)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return rfc3339(value, zone)
    if isinstance(value, (list, tuple)):
        items = [plain(v, zone) for v in value]
        return [v for v in items if v is not None]
    if isinstance(value, dict):
        entries = {str(k): plain(v, zone) for k, v in value.items()}
        return {k: v for k, v in entries.items() if v is not None}
    return None


def _modified(page: Page) -> dt.datetime:
    """Publication time, or the latest correction (更正) after it."""
    dates = [page.date] + [c["date"] for c in page.info.get("corrections", []) if c["date"] > page.date]
    return max(dates)


def _attachments(page: Page, config) -> list[dict]:
    out = []
    for item in page.info.get("attachments", []) or []:
        if isinstance(item, dict) and item.get("out"):
            out.append({"url": absolute(config, item["out"]), "title": item["title"],
                        "mime_type": mimetypes.guess_type(item["out"])[0] or "application/octet-stream",
                        "size_in_bytes": item["size"]})
    return out


def feed_fields(site, page: Page) -> dict:
    """A page's JSON Feed item without its body (``content_html``) and ``summary``."""
    config = site.config
    zone = ZoneInfo(config.timezone)
    url = absolute(config, page.url)
    info = {k: v for k, v in plain(page.info, zone).items() if k not in ("reprint", "attachments")}
    issuer = str(page.info.get("issuer") or "")
    authors = [{"name": name} for name in dict.fromkeys(n for n in (page.info_source, issuer) if n)]
    column = page.column
    assert column is not None, "the loader puts every page in a column"
    item: dict = {
        "id": url, "url": url, "title": page.title,
        "date_published": rfc3339(page.date, zone), "date_modified": rfc3339(_modified(page), zone),
        "tags": [str(k) for k in page.keywords], "authors": authors,
        "_govsite": {
            "site": config.key, "column": {"path": column.src, "name": column.name},
            "type": page.type, "source": page.info_source, "index_no": page.index_no or None,
            "info": info, "reprint": plain(page.info.get("reprint") or None, zone),
        },
    }
    attachments = _attachments(page, config)
    if attachments:
        item["attachments"] = attachments
    trail = review.export_value(page, config.review)   # 三审 record: only with review.export (page.info never has it)
    if trail is not None:
        item["_govsite"]["review"] = trail
    return item


def json_feed_frame(site, document: ExportDocument, current: str) -> tuple[bytes, bytes]:
    """What comes before and after the items of one exported JSON Feed document: with the items
    (:func:`item_bytes`) joined by ``, `` between them, exactly ``json.dumps(feed,
    ensure_ascii=False, sort_keys=True)`` of the whole feed. ``next_url`` (JSON Feed's next page)
    is the next older archive; ``_govsite`` names the RFC 5005 links."""
    config = site.config
    feed = {
        "version": JSON_FEED_VERSION, "title": config.name, "home_page_url": config.base_url,
        "feed_url": absolute(config, document.rel), "description": config.description or config.name,
        "language": config.language,
        "_govsite": {"site": config.key, "name": config.name, "base_url": config.base_url,
                     "site_code": config.site_code, "archive": document.archive, "month": document.month or None,
                     "current": absolute(config, current),
                     "prev_archive": absolute(config, document.older) if document.older else None,
                     "next_archive": absolute(config, document.newer) if document.newer else None},
        "items": [],
    }
    if document.older:
        feed["next_url"] = absolute(config, document.older)
    # one line: without indent the C encoder writes it (5,000 pages: 0.3 s instead of 1.2 s)
    before, after = json.dumps(feed, ensure_ascii=False, sort_keys=True).split('"items": []', 1)
    return (before + '"items": [').encode("utf-8"), ("]" + after + "\n").encode("utf-8")


# -- import ---------------------------------------------------------------------------------------
class SyndicationError(Exception):
    """Input ``govsite import`` cannot use (message in English, the CLI prints it)."""


@dataclass
class ImportResult:
    imported: list = field(default_factory=list)    # written (or, with dry_run, to be written) paths
    skipped: list = field(default_factory=list)     # (original URL, why)


def read_feed(source: str) -> dict:
    """The JSON Feed at ``source``: an http(s) URL, a feed.json file, or a folder holding one
    (the export folder of a build, or the build folder itself)."""
    if source.startswith(("http://", "https://")):
        import http.client  # only `govsite import` fetches: builds need not load the HTTP stack
        import urllib.error
        import urllib.request

        try:
            with urllib.request.urlopen(source, timeout=30) as response:
                raw = response.read()
        except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
            raise SyndicationError(f"{source}: cannot fetch the feed ({getattr(exc, 'reason', exc)})") from None
    else:
        path = Path(source)
        if path.is_dir():
            path = next((c for c in (path / "feed.json", path / EXPORT_DIR / "feed.json") if c.is_file()),
                        path / "feed.json")
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise SyndicationError(f"{source}: cannot read the feed ({exc.strerror or exc})") from None
    try:
        feed = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise SyndicationError(f"{source}: not JSON ({exc})") from None
    if not (isinstance(feed, dict) and str(feed.get("version", "")).startswith("https://jsonfeed.org/version/")
            and isinstance(feed.get("items"), list)):
        raise SyndicationError(f"{source}: not a JSON Feed (needs \"version\": \"{JSON_FEED_VERSION}\" and \"items\")")
    return feed


MAX_ARCHIVES = 100_000   # documents followed at most: a chain that loops or never ends is cut


def archives(feed: dict, source: str):
    """The archive documents after ``feed`` (read from ``source``), newest first, following
    ``next_url``. Each is looked for where it lies relative to the document before it, so a copy of
    the export (a build folder, a mirror, a test server) finds its own archives; a ``next_url`` on
    another host than the document's own ``feed_url`` is read from there."""
    if not source.startswith(("http://", "https://")):
        path = Path(source)
        if path.is_dir():
            path = next((c for c in (path / "feed.json", path / EXPORT_DIR / "feed.json") if c.is_file()), path)
        source = str(path)
    seen = {source}
    while len(seen) <= MAX_ARCHIVES:
        url, own = feed.get("next_url"), str(feed.get("feed_url") or "")
        if not isinstance(url, str) or not url:
            return
        where = url
        if own and urlsplit(own)[:2] == urlsplit(url)[:2]:
            rel = posixpath.relpath(urlsplit(url).path, posixpath.dirname(urlsplit(own).path))
            where = urljoin(source, rel) if source.startswith(("http://", "https://")) \
                else str(Path(source).parent / rel)
        if where in seen:
            return
        seen.add(where)
        feed, source = read_feed(where), where
        yield feed, where


def _item_time(value, zone: ZoneInfo, where: str) -> dt.datetime:
    """An RFC 3339 time as naive local time of the importing site (a time without offset is
    taken as already local)."""
    try:
        when = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise SyndicationError(f"{where}: date_published {value!r} is not an RFC 3339 time") from None
    return when.astimezone(zone).replace(tzinfo=None) if when.tzinfo else when


def _items(feed: dict, source: str, zone: ZoneInfo) -> list[dict]:
    """The feed's items as ``{url, title, published, html, tags}``; every item is checked before
    anything is written."""
    out = []
    for n, item in enumerate(feed["items"], 1):
        where = f"{source}: item {n}"
        if not isinstance(item, dict):
            raise SyndicationError(f"{where} is not an object")
        url = str(item.get("url") or item.get("id") or "")
        if not url.startswith(("http://", "https://")):
            raise SyndicationError(f"{where} has no absolute url")
        title = str(item.get("title") or "").strip()
        if not title or not item.get("date_published"):
            raise SyndicationError(f"{where} ({url}) needs a title and date_published")
        body = item.get("content_html")
        if body is None:
            body = html.escape(str(item.get("content_text") or ""))
        tags = item.get("tags")
        tags = tags if isinstance(tags, list) else []
        out.append({"url": url, "title": title, "published": _item_time(item["date_published"], zone, where),
                    "html": str(body), "tags": [str(t) for t in tags]})
    return out


def _known_urls(folder: Path) -> dict[str, Path]:
    """original_url → file, for every repost already in the column (and its subcolumns)."""
    known: dict[str, Path] = {}
    for path in sorted(folder.rglob("*.md")):
        try:
            fm, _body, _line = split_front_matter(read_text(path))
            data = load_yaml(fm, 2)
        except (SourceError, OSError):
            continue
        reprint = data.get("reprint") if isinstance(data, dict) else None
        if isinstance(reprint, dict) and reprint.get("original_url"):
            known.setdefault(str(reprint["original_url"]).strip(), path)
    return known


def _slug(url: str) -> str:
    """A file-name part from the original URL's last path segment: stable for the same URL."""
    segments = [s for s in urlsplit(url).path.split("/") if s]
    stem = posixpath.splitext(segments[-1])[0] if segments else ""
    return slugify(stem)[:40].strip("-_") or "item"


def _time_text(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value.second else format_datetime(value)


def repost_text(item: dict, site_name: str, now: dt.datetime) -> str:
    """A repost as Markdown: front matter (CP-4 reprint data) and the original HTML as body."""
    front = {"title": item["title"], "date": format_datetime(now), "source": site_name}
    if item["tags"]:
        front["keywords"] = item["tags"]
    front["reprint"] = {"original_site": site_name, "original_url": item["url"],
                        "original_published": _time_text(item["published"])}
    body = _TABLE_SCROLL_RE.sub(r"\1", item["html"]).strip()  # the renderer wraps tables again
    head = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000)
    return f"---\n{head}---\n\n{body}\n"


def import_feed(project: Path, site_key: str, column_path: str, source: str, now: str | None = None,
                since: str | None = None, dry_run: bool = False) -> ImportResult:
    """Write one repost per new item of the feed at ``source`` into the column ``column_path``
    of ``site_key``. Raises :class:`SyndicationError` (nothing written) on bad input."""
    project = Path(project)
    if not (project / "sites" / site_key / "site.yaml").is_file():
        raise SyndicationError(f"site '{site_key}' not found (no sites/{site_key}/site.yaml)")
    config = load_site(project, site_key, Report())
    if config is None or config.content is None or not config.content.is_dir():
        raise SyndicationError(f"site '{site_key}': site.yaml or its content folder cannot be read; run govsite build {site_key}")
    column = config.content / column_path.strip("/")
    if ".." in Path(column_path).parts or not (column / "_column.yaml").is_file():
        raise SyndicationError(f"{column_path}: not a column of site '{site_key}' (no {column / '_column.yaml'})")
    zone = site_zone(config.timezone)
    try:
        when = build_now(now, zone)
        cutoff = parse_datetime(since) if since else None
    except DateError as exc:
        raise SyndicationError(f"--now/--since: {exc}") from None
    feed = read_feed(source)
    items = _items(feed, source, zone)
    for older, where in archives(feed, source):   # RFC 5005: the rest of the history, newest first
        found = _items(older, where, zone)
        items += found
        if cutoff is not None and found and max(i["published"] for i in found) < cutoff:
            break                                 # older archives hold older items still
    meta = feed.get("_govsite")
    meta = meta if isinstance(meta, dict) else {}
    site_name = str(meta.get("name") or feed.get("title") or (urlsplit(items[0]["url"]).netloc if items else ""))
    known = _known_urls(column)
    result = ImportResult()
    planned = set()
    for item in sorted(items, key=lambda i: (i["published"], i["url"])):
        if cutoff is not None and item["published"] < cutoff:
            continue
        if item["url"] in known:
            result.skipped.append((item["url"], f"already in {known[item['url']]}"))
            continue
        stem = f"{when:%Y-%m-%d}-{_slug(item['url'])}"
        path, n = column / f"{stem}.md", 2
        while path.exists() or path in planned:   # never overwrite an editor's file
            path, n = column / f"{stem}-{n}.md", n + 1
        planned.add(path)
        known[item["url"]] = path
        if not dry_run:
            path.write_text(repost_text(item, site_name, when), encoding="utf-8")
        result.imported.append(path)
    return result
