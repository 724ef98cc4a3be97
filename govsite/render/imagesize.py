"""The pixel size of a picture in a page body (正文图片), read from the file's header.

Why: an ``<img>`` without ``width`` and ``height`` takes no room until the picture arrives, and
then pushes the text below it down while the visitor reads (layout shift, CLS). With the size in
the HTML, the browser keeps the room from the first paint (the theme's ``height: auto`` keeps the
proportions on narrow screens). PNG, GIF, JPEG, WebP and SVG are understood; anything else gives
None and the picture is written as before.
"""
from __future__ import annotations

import re
import struct
from functools import lru_cache
from pathlib import Path

SUFFIXES = (".png", ".gif", ".jpg", ".jpeg", ".webp", ".svg")


def image_size(path: Path) -> tuple[int, int] | None:
    """(width, height) in CSS pixels, or None when the file is not a picture we can measure."""
    if path.suffix.lower() not in SUFFIXES:
        return None
    try:
        stat = path.stat()
    except OSError:
        return None
    return _measured(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4096)
def _measured(path: str, mtime_ns: int, size: int) -> tuple[int, int] | None:
    del mtime_ns, size  # part of the cache key only: a replaced file is measured again
    try:
        with open(path, "rb") as f:
            head = f.read(65536)
    except OSError:
        return None
    found = _svg(head) if path.lower().endswith(".svg") else _bitmap(head)
    return found if found and found[0] > 0 and found[1] > 0 else None


def _bitmap(head: bytes) -> tuple[int, int] | None:
    if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
        w, h = struct.unpack(">II", head[16:24])
        return w, h
    if head[:6] in (b"GIF87a", b"GIF89a"):
        w, h = struct.unpack("<HH", head[6:10])
        return w, h
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        kind = head[12:16]
        if kind == b"VP8X":
            return 1 + int.from_bytes(head[24:27], "little"), 1 + int.from_bytes(head[27:30], "little")
        if kind == b"VP8 ":
            w, h = struct.unpack("<HH", head[26:30])
            return w & 0x3FFF, h & 0x3FFF
        if kind == b"VP8L":
            bits = int.from_bytes(head[21:25], "little")
            return 1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF)
        return None
    if head.startswith(b"\xff\xd8"):
        return _jpeg(head)
    return None


def _jpeg(head: bytes) -> tuple[int, int] | None:
    i = 2
    while i + 9 < len(head):
        if head[i] != 0xFF:
            return None
        marker = head[i + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        length = struct.unpack(">H", head[i + 2:i + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):   # start of frame
            h, w = struct.unpack(">HH", head[i + 5:i + 9])
            return w, h
        i += 2 + length
    return None


_SVG_TAG = re.compile(rb"<svg\b[^>]*>", re.S)
_NUMBER = rb"\s*=\s*[\"']\s*([0-9.]+)\s*(px)?\s*[\"']"


def _svg(head: bytes) -> tuple[int, int] | None:
    tag = _SVG_TAG.search(head)
    if not tag:
        return None
    text = tag.group(0)
    width, height = re.search(rb"\swidth" + _NUMBER, text), re.search(rb"\sheight" + _NUMBER, text)
    if width and height:
        return round(float(width.group(1))), round(float(height.group(1)))
    box = re.search(rb"viewBox\s*=\s*[\"']\s*[-0-9.]+[\s,]+[-0-9.]+[\s,]+([0-9.]+)[\s,]+([0-9.]+)\s*[\"']", text)
    if box:
        return round(float(box.group(1))), round(float(box.group(2)))
    return None
