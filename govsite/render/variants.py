"""简繁体 (LG-1): a traditional-Chinese version of the whole site, made at build time.

Every HTML page the build wrote is converted with OpenCC (profile configurable: ``s2t``, ``s2tw``,
``s2twp``, ``s2hk``) and written again under a path prefix (``fanti/`` by default), so
``zwdt/gzdt/a.html`` has the counterpart ``fanti/zwdt/gzdt/a.html``. Only what a reader sees is
converted — text between tags and the ``alt``, ``title``, ``aria-label``, ``placeholder`` and
``<meta content>`` attributes — never URLs, file names, ``value`` or ``data-*`` attributes, so
links, downloads and the filters of generated pages keep working. The ``ColumnType`` meta tag
keeps its value: it is a code from the national vocabulary that monitoring tools match (MT-4).

Links: pages link pages, so a relative link to another ``.html`` page stays inside the
traditional tree; every other relative link (styles, scripts, images, attachments, feeds, the
search index) is pointed back at the one copy in the simplified tree. Absolute links to the
site's own pages and the canonical URL move under the prefix. The language switch
(``data-variant-switch``) of each page leads to the same page in the other version, and
``<link rel=alternate hreflang>`` names both in every head.

Conversion runs over the finished output, so it needs nothing from templates beyond the switch
link, and a site without ``traditional:`` in site.yaml pays nothing.
"""
from __future__ import annotations

import posixpath
import re
from html import unescape

from govsite.cache.digest import code_fingerprint, hash_parts
from govsite.cache.tables import NullTable
from govsite.config.features import Variant
from govsite.render.qr import qr_svg

TEXT_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder", "content")
_TAG = re.compile(r"<(?:!--.*?--|[^>]*)>", re.S)
_ATTR = re.compile(r'(\s)([a-zA-Z_:][-a-zA-Z0-9_:.]*)="([^"]*)"')
_QR = re.compile(r'(<figure [^>]*data-qr="([^"]+)"[^>]*>)(<svg [^>]*aria-label="([^"]*)".*?</svg>)', re.S)
_RAW_BLOCKS = ("script", "style")


def counterpart(variant: Variant, path: str) -> str:
    """Output path of the traditional page for the simplified page ``path``."""
    return f"{variant.prefix}/{path}"


class Converter:
    """Converts one simplified page into its traditional counterpart."""

    def __init__(self, variant: Variant, base_url: str, base_path: str, elsewhere: tuple = ()):
        import opencc

        self.variant = variant
        self.convert_text = opencc.OpenCC(f"{variant.profile}.json").convert
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.base_path = base_path if base_path.endswith("/") else base_path + "/"
        self.elsewhere = tuple(p.strip("/") + "/" for p in elsewhere)   # language versions: not converted

    def page(self, html: str, path: str, absolute_links=False) -> str:
        """``path``: the simplified page's output path (``zwdt/a.html``)."""
        depth = path.count("/")
        up = "../" * (depth + 1)         # from the traditional page to the site root
        here = posixpath.dirname(path)
        out, pos, raw_until, switch_text = [], 0, None, False
        for match in _TAG.finditer(html):
            text = html[pos:match.start()]
            if switch_text and text.strip():  # the switch's own label: 简体 in the traditional page
                out.append(self.variant.back_label)
                switch_text = False
            else:
                out.append(text if raw_until or not text.strip() else self.convert_text(text))
            tag = match.group(0)
            switch_text = switch_text or "data-variant-switch" in tag
            lower = tag[:8].lower()
            if raw_until:
                if lower.startswith(f"</{raw_until}"):
                    raw_until = None
                out.append(tag)
            else:
                for block in _RAW_BLOCKS:
                    if lower.startswith(f"<{block}") and not tag.endswith("/>"):
                        raw_until = block
                out.append(self._tag(tag, path, here, up, absolute_links))
            pos = match.end()
        out.append(self.convert_text(html[pos:]) if not raw_until else html[pos:])
        page = "".join(out)
        return _QR.sub(self._qr, page) if "data-qr=" in page else page

    def _qr(self, m) -> str:
        """扫一扫 on a traditional page opens the traditional page: draw the code anew."""
        url, label = m.group(2), unescape(m.group(4))
        address = self._absolute(url) if url.startswith(self.base_url) else url
        return m.group(1) + qr_svg(address, label)

    def _tag(self, tag: str, path: str, here: str, up: str, absolute_links: bool) -> str:
        if tag.startswith("<!"):
            return tag
        name = tag[1:].split(None, 1)[0].rstrip(">").lower() if len(tag) > 2 else ""
        switch = "data-variant-switch" in tag
        if "data-keep" in tag or 'name="ColumnType"' in tag:
            return tag  # hreflang alternates name both versions already; ColumnType is a vocabulary code

        def attribute(m):
            space, key, value = m.group(1), m.group(2), m.group(3)
            lkey = key.lower()
            if switch and lkey == "href":  # the language switch leads back to the simplified page
                return f'{space}{key}="{self.base_path + path if absolute_links else up + path}"'
            if switch and lkey in ("lang", "hreflang"):
                return f'{space}{key}="zh-Hans"'
            if name == "html" and lkey == "lang":
                return f'{space}{key}="{self.variant.lang}"'
            if lkey in ("href", "src", "action"):
                return f'{space}{key}="{self._link(value, here, up, absolute_links)}"'
            if lkey in TEXT_ATTRIBUTES and value and not (name == "meta" and "http-equiv" in tag):
                if lkey == "content" and value.startswith(self.base_url):
                    return f'{space}{key}="{self._absolute(value)}"'
                return f'{space}{key}="{self.convert_text(value)}"'
            return m.group(0)

        tag = _ATTR.sub(attribute, tag)
        if name == "html" and "data-pages" not in tag:  # search results link the traditional pages
            tag = tag[:-1] + f' data-pages="{up[3:]}">'
        return tag

    def _absolute(self, url: str) -> str:
        rest = url[len(self.base_url):]
        page = rest.split("#")[0].split("?")[0]
        if page == "" or page.endswith((".html", "/")):
            return self.base_url + self.variant.prefix + "/" + rest
        return url

    def _link(self, value: str, here: str, up: str, absolute_links: bool) -> str:
        if not value or value.startswith(("#", "mailto:", "tel:", "data:", "javascript:")):
            return value
        if value.startswith(self.base_url):
            return self._absolute(value)
        if "://" in value or value.startswith("//"):
            return value
        target = value.split("#", 1)[0].split("?", 1)[0]
        if value.startswith("/"):  # 404 page: links by the site's base path
            inside = value[len(self.base_path):] if value.startswith(self.base_path) else None
            if inside is not None and (target.endswith((".html", "/"))) and not inside.startswith(self.elsewhere or ("\0",)):
                return self.base_path + self.variant.prefix + "/" + value[len(self.base_path):]
            return value
        if (target.endswith(".html") or target == "") and not self._elsewhere(value, here):
            return value                   # pages link pages: stay in the traditional tree
        return self._to_simplified(value, here, up)

    def _elsewhere(self, value: str, here: str) -> bool:
        """A link into a language version, which has no traditional counterpart."""
        if not self.elsewhere:
            return False
        target = posixpath.normpath(posixpath.join(here, value.split("#", 1)[0].split("?", 1)[0]))
        return target.startswith(self.elsewhere)

    @staticmethod
    def _to_simplified(value: str, here: str, up: str) -> str:
        """A relative link to a shared file (style, image, index): from the traditional page
        (one folder deeper) to the single copy in the simplified tree."""
        target = posixpath.normpath(posixpath.join(here, value)) if here else posixpath.normpath(value)
        return up + target


def write_traditional(out, variant: Variant, config, elsewhere=(), converted=None) -> int:
    """Convert every HTML page the build wrote into ``out`` (an :class:`OutputDir`); returns the
    number converted now.

    ``elsewhere``: prefixes of language versions (外文版), which are neither converted nor linked
    into the traditional tree. ``converted``: the build cache's table of converted pages; a page
    whose simplified file has the bytes it had when its counterpart was made, under the same
    settings, keeps the counterpart of the previous output (conversion is a function of the page's
    bytes, its path and the settings: ~6 ms a page, most of an edit's rebuild otherwise)."""
    converter = Converter(variant, config.base_url, config.base_path, elsewhere)
    converted = converted if converted is not None else NullTable()
    setting = hash_parts(code_fingerprint(), repr(variant), config.base_url, config.base_path, tuple(elsewhere)) \
        if converted.enabled else b""   # (the code fingerprint holds OpenCC's version)
    root = out.tmp
    skip = [root / variant.prefix] + [root / p.strip("/") for p in elsewhere]
    pages = sorted(p for p in root.rglob("*.html") if not any(s in p.parents for s in skip))
    made = 0
    for source in pages:
        rel = source.relative_to(root).as_posix()
        target = counterpart(variant, rel)
        key = converted.key(setting, target, out.identity(rel)) if converted.enabled else None
        entry = converted.get(key)
        if entry is not None and out.previous_is(target, entry.identity) and out.keep(target):
            continue
        html = source.read_text(encoding="utf-8")
        out.write(target, converter.page(html, rel, absolute_links=(rel == "404.html")))
        converted.record(key, out, target)
        made += 1
    return made
