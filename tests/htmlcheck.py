"""Small HTML helpers for tests: links, meta tags and elements of built pages."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []     # (attribute, value)
        self.meta: dict[str, str] = {}
        self.meta_list: list[tuple[str, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "meta" and "name" in a:
            self.meta[a["name"]] = a.get("content", "")
            self.meta_list.append((a["name"], a.get("content", "")))
        for attr in ("href", "src", "action"):
            if a.get(attr):
                self.links.append((attr, a[attr]))


def parse(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def local_targets(path: Path):
    """Yield (href, resolved file) for every link of a page that stays on the site."""
    for _, value in parse(path).links:
        parts = urlsplit(value)
        if parts.scheme or parts.netloc or value.startswith(("#", "mailto:", "tel:")):
            continue
        yield value, (path.parent / unquote(parts.path)).resolve()
