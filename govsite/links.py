"""Which links leave the government web (SPEC LK-2).

Outbound links to non-government sites need review and a notice that the visitor is leaving the
government site. A host counts as government when it is under ``gov.cn`` (national and local
government domains) or on the site's ``outbound_allow`` list in site.yaml.
"""
from __future__ import annotations

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
