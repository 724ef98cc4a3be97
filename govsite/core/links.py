"""Which links leave the government web (SPEC LK-2).

Outbound links to non-government sites need review and a notice that the visitor is leaving the
government site. A host counts as government when it is under ``gov.cn`` (national and local
government domains) or on the site's ``outbound_allow`` list in site.yaml.
"""
from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

# gov.cn: government domains; conac.cn: 中央编办's 党政机关网站标识 service linked from every footer
GOVERNMENT_SUFFIXES = ("gov.cn", "conac.cn")


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""


def host_matches(host: str, pattern: str) -> bool:
    """``pattern`` matches the host itself and every subdomain of it."""
    pattern = pattern.lower().lstrip("*.").rstrip(".")
    return host == pattern or host.endswith("." + pattern)


def is_outbound(url: str, site_domain: str, allow: tuple = ()) -> bool:
    """True for an http(s) link to a host that is neither this site, a government site, nor allowed."""
    if not url.startswith(("http://", "https://", "//")):
        return False
    host = host_of(url if not url.startswith("//") else "http:" + url)
    if not host:
        return False
    trusted = (site_domain, *GOVERNMENT_SUFFIXES, *allow)
    return not any(host_matches(host, p) for p in trusted if p)


def leave_path(url: str) -> str:
    """Output path of the leaving notice (LK-2) for an outbound URL: one static page per URL."""
    return f"leave/{hashlib.sha1(url.encode('utf-8')).hexdigest()[:12]}.html"


def absolute(config, path: str) -> str:
    """Absolute URL of an output path under a site's ``base_url`` (a :class:`~govsite.config.site.SiteConfig`);
    folder index pages get their folder URL."""
    return absolute_url(config.base_url, path)


def absolute_url(base_url: str, path: str) -> str:
    """:func:`absolute` under any base URL (a language version links the main site's pages)."""
    if path.startswith(("http://", "https://")):
        return path
    if path == "index.html":
        path = ""
    elif path.endswith("/index.html"):
        path = path[: -len("index.html")]
    return base_url + path
