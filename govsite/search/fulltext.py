"""The sharded full-text index: what a query loads, it needs; nothing else.

Layout under ``search/`` in the output (all files are scripts that call a global function, so
``<script>`` tags load them from ``file://`` as well as over HTTP):

- ``idx/<n>.js`` — ``GS_SHARD(n, {token: postings})``. A token lives in shard
  ``shard_of(token) % shards``; postings are delta-coded document ids, each followed by a
  5-bit weight, in a compact base-64 text (see :func:`encode_postings`).
- ``doc/<id>.js`` — ``GS_DOC(id, {...})``: title, URL, date, column, type and the page text for
  snippets; loaded only for the results shown.

Tokens are 2-grams, Latin words and numbers, and — the 1-gram layer, for one-character queries
(税, 房) — every Chinese character; all share the shards (a character's postings are one more
token there). The weight is the term-frequency part of BM25 (k1 = 1.2, b = 0.75; title tokens
count three times; a page's length is counted in 2-grams and words only, so the 1-grams change
no other token's weight), quantised to 1–31 at build time; the browser multiplies by the IDF it
computes from the posting-list length. Document ids follow the site's newest-first order, so a lower id wins ties.
"""
from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections import defaultdict
from itertools import accumulate

from govsite.search.tokenize import shard_of

K1, B = 1.2, 0.75
TITLE_WEIGHT = 3
TEXT_CAP = 6000          # characters of page text indexed
SNIPPET_CAP = 3000       # characters kept in a page's fragment for snippets
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
TARGET_SHARD_POSTINGS = 12000   # about 30–40 KB of text per shard, ~15 KB gzip


def js_call(function: str, *args) -> str:
    return f"{function}({','.join(json.dumps(a, ensure_ascii=False, separators=(',', ':')) for a in args)});\n"


def weight(tf: float, length: int, avgdl: float) -> int:
    """BM25 term-frequency saturation, quantised to 1..31 (PartialIndex.add inlines this)."""
    return max(1, min(31, round(tf / (tf + K1 * (1 - B + B * length / avgdl)) * 31)))


# (delta << 5 | weight) → its text, for the small deltas that make up nearly every posting
_SMALL = 1 << 15


def _encode_number(value: int) -> str:
    out = []
    while value >= 32:
        out.append(ALPHABET[32 + (value & 31)])
        value >>= 5
    out.append(ALPHABET[value])
    return "".join(out)


_PAIR = [_encode_number(v >> 5) + ALPHABET[v & 31] for v in range(_SMALL)]


def encode_pair(delta: int, w: int) -> str:
    key = (delta << 5) | w
    return _PAIR[key] if key < _SMALL else _encode_number(delta) + ALPHABET[w]


def encode_postings(pairs) -> str:
    """(doc id, weight) pairs, ids ascending → text. Numbers are written 5 bits a character,
    low bits first; characters 32–63 carry bits that continue, 0–31 end a number."""
    out, last = [], 0
    for doc, w in pairs:
        out.append(encode_pair(doc - last, w))
        last = doc
    return "".join(out)


_VALUE = {c: i for i, c in enumerate(ALPHABET)}


def decode_postings(text: str) -> list[tuple[int, int]]:
    """Inverse of :func:`encode_postings` (the browser has its own copy)."""
    pairs, doc, i, value_of = [], 0, 0, _VALUE
    while i < len(text):
        value, shift = 0, 0
        while True:
            c = value_of[text[i]]
            i += 1
            if c >= 32:
                value |= (c - 32) << shift
                shift += 5
            else:
                value |= c << shift
                break
        doc += value
        pairs.append((doc, value_of[text[i]]))
        i += 1
    return pairs


def doc_fragment(doc: int, record: dict, text: str) -> str:
    return js_call("GS_DOC", doc, {**record, "x": text[:SNIPPET_CAP]})


def _by_token(segments: tuple) -> dict:
    """A run's segments (:meth:`PartialIndex.segments`) as token → (first, weight, rest, last)."""
    words, firsts, weights, rests, lasts = segments
    if not firsts:
        return {}
    return dict(zip(words.split("\x00"), zip(firsts, weights, rests.split("\x00"), lasts, strict=False), strict=False))


# a token's postings are cut and re-joined (:func:`_respliced`) rather than joined from every run
# when that is less work: ~90 ns per character of postings decoded, against ~2.6 ms per run
# of 200 documents split into its tokens
SPLICE_CHARS_PER_RUN = 30_000
_ONE_PAIR = re.compile(r"[g-z0-9_\-]*[A-Za-f][A-Za-f]")   # a number (continuation characters, then
_KEY_OF: dict[str, int] = {}                            # a final one), then a weight


def _pair_key(text: str) -> int:
    """``doc delta << 5 | weight`` of one encoded pair (:func:`encode_pair`)."""
    if not _KEY_OF:
        _KEY_OF.update((pair, key) for key, pair in enumerate(_PAIR))
    key = _KEY_OF.get(text)
    if key is None:   # a gap of 1,024 documents or more: decoded as a posting list of one
        (delta, weight), = decode_postings(text)
        key = delta << 5 | weight
    return key


def _respliced(text: str, segment, first: int, stop: int) -> str:
    """A token's joined postings ``text`` with its documents ``first`` ≤ doc < ``stop`` (one
    run) replaced by ``segment``, the token's (first, weight, rest, last) in that run now (None:
    not in it any more) — the text :meth:`FullTextIndex.finish` joins from the runs."""
    pairs = _ONE_PAIR.findall(text)
    ends = list(accumulate(map(len, pairs)))
    if (ends[-1] if ends else 0) != len(text):
        raise ValueError("postings that do not decode")
    keys = [_pair_key(pair) for pair in pairs]
    docs = list(accumulate(key >> 5 for key in keys))
    i, j = bisect_left(docs, first), bisect_left(docs, stop)
    last = docs[i - 1] if i else 0
    pieces = [text[:ends[i - 1]] if i else ""]
    if segment is not None:
        doc, weight, rest, last_doc = segment
        pieces += [encode_pair(doc - last, weight), rest]
        last = last_doc
    if j < len(docs):   # the next run's first delta counts from the new last document
        pieces += [encode_pair(docs[j] - last, keys[j] & 31), text[ends[j]:]]
    return "".join(pieces)


def _join_tokens(runs: list[tuple], tokens: set[str]) -> dict[str, str]:
    """The joined postings of ``tokens`` alone, exactly as :meth:`FullTextIndex.finish` joins
    them from ``runs`` (segments in document order); a token no run has is left out."""
    pieces: dict[str, list[str]] = {}
    last: dict[str, int] = {}
    for words, firsts, weights, rests, ends in runs:
        if not firsts or not tokens:
            continue
        position = dict(zip(words.split("\x00"), range(len(firsts)), strict=False))
        found = [(token, position[token]) for token in tokens if token in position]
        if found:
            rest_of = rests.split("\x00")
            _append_segments(pieces, last, ((t, firsts[i], weights[i], rest_of[i], ends[i]) for t, i in found))
    return {token: "".join(p) for token, p in pieces.items()}


def _append_segments(postings: dict[str, list[str]], last: dict[str, int], segments) -> None:
    """Append one run's ``segments`` — (token, first document, weight, encoded rest, last
    document) — to the joined ``postings``; a segment's first delta is coded here, from the
    token's ``last`` document in the runs before."""
    for token, first, w, rest, end in segments:
        pieces = postings.get(token)
        if pieces is None:
            postings[token] = [encode_pair(first, w), rest]
        else:
            pieces.append(encode_pair(first - last[token], w))
            pieces.append(rest)
        last[token] = end


class FullTextIndex:
    """All postings of a site, joined from the workers' segments; writes the shard files."""

    def __init__(self):
        self.parts: list[tuple[int, tuple]] = []    # (first document of the run, segments)
        self.size = 0
        self.postings: dict[str, list[str]] = {}    # token → encoded text pieces, after finish()

    def add(self, first_doc: int, segments: tuple, count: int) -> None:
        self.parts.append((first_doc, segments))
        self.size += count

    def finish(self) -> None:
        """Join the segments in document order; each segment's first delta is coded here."""
        last: dict[str, int] = {}
        postings: dict[str, list[str]] = {}
        for _, (words, firsts, weights, rests, ends) in sorted(self.parts, key=lambda p: p[0]):
            if firsts:
                _append_segments(postings, last, zip(words.split("\x00"), firsts, weights, rests.split("\x00"), ends, strict=False))
        self.postings = postings
        self.parts = []

    def joined(self) -> tuple[str, str]:
        """The finished postings as two NUL-joined strings (tokens, postings): what the build
        cache keeps of an index, so that the next build can :meth:`splice` into it."""
        return "\x00".join(self.postings), "\x00".join("".join(pieces) for pieces in self.postings.values())

    @classmethod
    def splice(cls, joined: tuple[str, str], changes: dict, runs: int, every_run, size: int):
        """The index :meth:`finish` would join from this build's runs, made from an earlier
        index (``joined``, see :meth:`joined`) that was joined from the same runs but for those
        in ``changes`` (position → (the segments it had there, the segments it has now, its
        first document, the next run's first document)). ``runs``: how many runs there are;
        ``every_run()``: all their segments in document order (None: the cache lost some).

        A one-page edit changes one run of 200 documents, and in it only the words of that page
        whose weight changed; joining every token of every run again (0.4 s at 5,000 pages, 1.7 s
        at 20,000) is then wasted. Here a token is joined again only if its segment in one of the
        changed runs is not what it was: every other token's postings are made of the very same
        segments, so they are the same text. A token joined again either has the changed runs'
        documents cut out of its earlier postings and the new segment put in their place
        (:func:`_respliced`: work in proportion to its postings), or is joined from every run
        (:func:`_join_tokens`: work in proportion to the runs) — whichever is less work.
        Returns the index and the tokens joined again, or None when a run is lost."""
        changed: set[str] = set()
        now = {}
        for position, (old, new, _, _) in changes.items():
            was, now[position] = _by_token(old), _by_token(new)
            changed.update(t for t in was.keys() | now[position].keys() if was.get(t) != now[position].get(t))
        tokens, texts = joined
        postings = dict(zip(tokens.split("\x00"), texts.split("\x00"), strict=False)) if tokens else {}
        fresh: dict[str, str] | None = None
        if sum(len(postings.get(t, "")) for t in changed) * len(changes) <= SPLICE_CHARS_PER_RUN * runs:
            try:
                fresh = {}
                for token in changed:
                    text = postings.get(token, "")
                    for position, (_, _, first, stop) in sorted(changes.items()):
                        text = _respliced(text, now[position].get(token), first, stop)
                    if text:
                        fresh[token] = text
            except ValueError:   # postings that do not decode: joined from the runs instead
                fresh = None
        if fresh is None:
            segments = every_run()
            if segments is None:
                return None
            fresh = _join_tokens(segments, changed)
        for token in changed:
            joined_text = fresh.get(token)
            if joined_text is None:
                postings.pop(token, None)
            else:
                postings[token] = joined_text
        index = cls()
        index.size = size
        index.postings = {token: [text] for token, text in postings.items()}
        return index, changed

    def replace(self, doc: int, old: dict[str, int], new: dict[str, int]) -> set[str]:
        """Give document ``doc`` the weights ``new`` where it had ``old`` (token → weight, as
        :meth:`PartialIndex.weights` gives them); returns the tokens whose postings changed.
        Used by :mod:`govsite.quick` to patch one edited page into a finished index."""
        changed = {t for t in old.keys() | new.keys() if old.get(t) != new.get(t)}
        for token in changed:
            pieces = self.postings.get(token)
            pairs = decode_postings("".join(pieces)) if pieces else []
            i = bisect_left(pairs, (doc, 0))
            if i < len(pairs) and pairs[i][0] == doc:
                self.size -= 1
                del pairs[i]
            if token in new:
                pairs.insert(i, (doc, new[token]))
                self.size += 1
            if pairs:
                self.postings[token] = [encode_postings(pairs)]
            else:
                del self.postings[token]
        return changed

    def shard_count(self) -> int:
        shards = 1
        while shards * TARGET_SHARD_POSTINGS < self.size and shards < 4096:
            shards *= 2
        return shards

    def shards(self, count: int, only=None):
        """Yield ``(n, js_text)`` for every shard (or those in ``only``), tokens in sorted order."""
        buckets: dict[int, list[str]] = defaultdict(list)
        for token in self.postings:
            n = shard_of(token, count)
            if only is None or n in only:
                buckets[n].append(token)
        for n in range(count) if only is None else sorted(only):
            entries = {token: "".join(self.postings[token]) for token in sorted(buckets.get(n, ()))}
            yield n, js_call("GS_SHARD", n, entries)
