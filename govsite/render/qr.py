"""扫一扫在手机打开: the QR code of a page's address as inline SVG (segno).

Inline, so the code prints with the page and needs no image request or script; drawn with SVG
presentation attributes only, so the strict Content-Security-Policy holds. Making a code costs a
few milliseconds, which is why sites switch it on with ``qr_code: true`` and why codes are
memoised per URL within a build.
"""
from __future__ import annotations

from functools import lru_cache
from html import escape


@lru_cache(maxsize=4096)
def qr_svg(url: str, label: str = "本页二维码") -> str:
    import segno

    svg = segno.make(url, error="m", micro=False).svg_inline(scale=3, border=2, dark="#000", light="#fff")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" focusable="false" ', 1)
