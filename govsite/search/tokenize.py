"""Search tokens, identical at build and query time (twin: ``static/js/search-tokenize.js``).

Chinese has no spaces, and a dictionary segmenter would have to run identically in Python and
the browser; overlapping 2-grams need no dictionary and find any word of two or more
characters. Text is normalised with NFKC (full-width letters and digits become ASCII) and lower
case; Latin letters and digits form words, so document numbers such as 津政办发〔2016〕49号
index as 津政 政办 办发 2016 49.

Every Chinese character is indexed on its own as well (the 1-gram layer, :func:`index_counts`),
because visitors do search for one character — 税, 房 — and a 2-gram index cannot answer that.
A query uses 1-grams only for a Chinese run of one character; a longer run is searched by its
2-grams, so an ordinary query loads no more than before.
"""
from __future__ import annotations

import re
import unicodedata
from operator import add

CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))   # Ext. A, unified, compatibility
CJK = "".join(f"{chr(first)}-{chr(last)}" for first, last in CJK_RANGES)
_TOKEN_RE = re.compile(rf"[{CJK}]+|[a-z0-9]+")
CJK_RE = re.compile(rf"[{CJK}]")


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def tokens(text: str) -> list[str]:
    """All tokens of ``text`` in order, repeats kept (term frequency counts them)."""
    out: list[str] = []
    extend, append, is_cjk_run = out.extend, out.append, CJK_RE.match
    for run in _TOKEN_RE.findall(normalize(text)):
        if is_cjk_run(run):
            extend(map(add, run[:-1], run[1:]))   # overlapping 2-grams, built in C
        else:
            append(run)
    return out


def characters(text: str) -> list[str]:
    """The Chinese characters of ``text`` in order, repeats kept: its 1-gram tokens."""
    return CJK_RE.findall(normalize(text))


def query_tokens(text: str) -> list[str]:
    """Distinct tokens of a query, in order: a Chinese run of one character is that character
    (a 1-gram), a longer run its 2-grams; Latin words and numbers as they are."""
    out: list[str] = []
    extend, append, is_cjk_run = out.extend, out.append, CJK_RE.match
    for run in _TOKEN_RE.findall(normalize(text)):
        if len(run) == 1 or not is_cjk_run(run):
            append(run)
        else:
            extend(map(add, run[:-1], run[1:]))
    return list(dict.fromkeys(out))


def shard_of(token: str, shards: int) -> int:
    """FNV-1a over code points, the same in JavaScript: which shard file holds ``token``."""
    h = 0x811C9DC5
    for ch in token:
        h = ((h ^ ord(ch)) * 0x01000193) & 0xFFFFFFFF
    return h % shards


def is_cjk(text: str) -> bool:
    return bool(CJK_RE.search(text))
