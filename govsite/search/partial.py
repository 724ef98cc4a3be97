"""A render worker's share of the full-text index: the postings of a run of consecutive pages.

Indexing was a fifth of a cold build's CPU (at 5,000 pages ~2 ms a page): a ``Counter`` of a
page's 2-grams and characters, then one Python append per distinct token and page. Here a page is
its text's code points in a NumPy array: the Chinese characters and 2-grams are found, counted and
weighted by array operations, each token an integer (a character its code point, a 2-gram the two
code points side by side, a Latin word an id from a table), and the run's postings are sorted and
delta-coded at once when the run is done (:meth:`PartialIndex.segments`). The result is exactly
what the plain definition gives — ``Counter`` of :func:`~.tokenize.tokens` and
:func:`~.tokenize.characters`, BM25 weights, postings in the order tokens first appear — which
``tests/test_search_partial.py`` holds it to on random pages.
"""
from __future__ import annotations

import re
from array import array

import numpy as np

from govsite.search.fulltext import _PAIR, _SMALL, K1, TEXT_CAP, TITLE_WEIGHT, B, encode_pair
from govsite.search.tokenize import CJK_RANGES, CJK_RE, characters, normalize, tokens

_CHAR_BITS = 21                 # a code point fits in 21 bits: a 2-gram is two of them side by side
_WORD = 1 << 50                 # Latin words and numbers: ids from here up (above every 2-gram)
_UTF32 = "utf-32-le"

_IS_CJK = np.zeros(0x10000, dtype=bool)   # by code point below U+10000 (every CJK range is)
for _first, _last in CJK_RANGES:
    _IS_CJK[_first:_last + 1] = True
_PAIR_TEXT = np.array(_PAIR, dtype=object)     # (delta << 5 | weight) → its text, for small keys
_WORD_RE = re.compile(r"[a-z0-9]+")


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode(_UTF32, "surrogatepass"), dtype="<u4")


def _text(codes: np.ndarray) -> str:
    return codes.astype("<u4").tobytes().decode(_UTF32, "surrogatepass")


class PartialIndex:
    """Postings of a run of consecutive documents, built where the page text is (a render worker).

    ``add()`` keeps each document's distinct tokens (as integers, in the order they first appear)
    and weights; ``segments()`` encodes the run as the shard files need it, so the per-posting
    work happens in the workers: per token the first document id and weight, the encoded rest,
    and the last id. The main process only re-codes the first delta of each segment when it
    joins them (:class:`~.fulltext.FullTextIndex`). Documents are added in ascending order.
    """

    def __init__(self, avgdl: float, table: dict | None = None):
        self.avgdl = max(avgdl, 1.0)
        self.table = table or {}
        self._simple = None   # traditional → simplified by code point, for code points below U+A000
        if self.table:
            lut = np.arange(max(self.table) + 1, dtype="<u4")
            for code, char in self.table.items():
                lut[code] = ord(char)
            self._simple = lut
        self._word_ids: dict[str, int] = {}
        self._words: list[str] = []
        self._docs: list[int] = []
        self._tokens: list[np.ndarray] = []    # per document: its distinct tokens, first appearance first
        self._weights: list[np.ndarray] = []   # per document: their weights (1–31)
        self.count = 0                         # postings in the run

    def _word(self, word: str) -> int:
        found = self._word_ids.get(word)
        if found is None:
            found = self._word_ids[word] = _WORD + len(self._words)
            self._words.append(word)
        return found

    def _simplified(self, text: str) -> str:
        """``text.translate(self.table)``: each traditional character by its simplified one (a
        table of single characters, see :func:`~.build.traditional_to_simplified`)."""
        lut = self._simple
        if lut is None or not text:
            return text
        codes = _code_points(text)
        inside = codes < len(lut)
        mapped = codes.copy()
        mapped[inside] = lut[codes[inside]]
        return _text(mapped) if (mapped != codes).any() else text

    def _title_ids(self, title_tokens: list[str]) -> list[int]:
        """A title's tokens (2-grams and words, :func:`~.tokenize.tokens`) as integers."""
        out = []
        for token in title_tokens:
            if len(token) == 2 and CJK_RE.match(token) and CJK_RE.match(token, 1):
                out.append(ord(token[0]) << _CHAR_BITS | ord(token[1]))
            else:
                out.append(self._word(token))
        return out

    def add(self, doc: int, title: str, text: str) -> None:
        """Index one document: its title's tokens count ``TITLE_WEIGHT`` times; its length (BM25)
        is counted in 2-grams and words, the 1-grams (characters) leave it as it is."""
        title = self._simplified(title)
        title_tokens = tokens(title)
        title_chars = characters(title)
        body = normalize(self._simplified(text[:TEXT_CAP]))
        codes = _code_points(body).astype(np.uint64)
        cjk = _IS_CJK[np.minimum(codes, 0xFFFF)]
        pairs = cjk[:-1] & cjk[1:]
        bigrams = (codes[:-1][pairs] << np.uint64(_CHAR_BITS)) | codes[1:][pairs]
        words = [self._word(w) for w in _WORD_RE.findall(body)]
        title_ids = self._title_ids(title_tokens)
        # every occurrence in the order the plain definition meets it: body 2-grams, body words,
        # title tokens, body characters, title characters (the title's count TITLE_WEIGHT each)
        title_part = np.array(title_ids + [ord(c) for c in title_chars], dtype=np.uint64)
        seq = np.concatenate((bigrams, np.array(words, dtype=np.uint64), title_part[:len(title_ids)],
                              codes[cjk], title_part[len(title_ids):]))
        counts = np.ones(len(seq))
        counts[len(bigrams) + len(words):len(bigrams) + len(words) + len(title_ids)] = TITLE_WEIGHT
        if title_chars:
            counts[len(seq) - len(title_chars):] = TITLE_WEIGHT
        unique, first, inverse = np.unique(seq, return_index=True, return_inverse=True)
        tf = np.bincount(inverse, weights=counts, minlength=len(unique))
        order = np.argsort(first, kind="stable")
        length = len(bigrams) + len(words) + len(title_tokens)
        norm = K1 * (1 - B + B * length / self.avgdl)
        tf = tf[order]
        weights = np.clip(np.rint(tf / (tf + norm) * 31), 1, 31).astype(np.uint8)
        self._docs.append(doc)
        self._tokens.append(unique[order])
        self._weights.append(weights)
        self.count += len(order)

    # -- the run, encoded --------------------------------------------------------------------
    def _sorted(self):
        """Every posting of the run grouped by token — tokens in the order they first appear in
        the run, a token's documents ascending — as (tokens, documents, weights, group starts)."""
        if not self._docs:
            empty = np.zeros(0, dtype=np.uint64)
            return empty, empty, np.zeros(0, dtype=np.uint8), np.zeros(0, dtype=bool)
        all_tokens = np.concatenate(self._tokens)
        docs = np.repeat(np.array(self._docs, dtype=np.int64), [len(t) for t in self._tokens])
        weights = np.concatenate(self._weights)
        # one stable sort groups the postings by token, each group in document order; the groups
        # are then laid out in the order their tokens first appear (where each group's first
        # posting was), by moving whole groups — no second sort of every posting
        by_token = np.argsort(all_tokens, kind="stable")
        grouped = all_tokens[by_token]
        starts = np.ones(len(grouped), dtype=bool)
        starts[1:] = grouped[1:] != grouped[:-1]
        group_start = np.flatnonzero(starts)
        sizes = np.diff(np.append(group_start, len(grouped)))
        layout = np.argsort(by_token[group_start], kind="stable")   # groups by first appearance
        new_start = np.empty(len(group_start), dtype=np.int64)
        new_start[layout] = np.concatenate(([0], np.cumsum(sizes[layout])[:-1]))
        group = np.cumsum(starts) - 1
        target = new_start[group] + (np.arange(len(grouped)) - group_start[group])
        order = np.empty(len(grouped), dtype=np.int64)
        order[target] = by_token
        tokens_ = all_tokens[order]
        starts = np.ones(len(tokens_), dtype=bool)
        starts[1:] = tokens_[1:] != tokens_[:-1]
        return tokens_, docs[order], weights[order], starts

    def _names(self, ids: np.ndarray) -> list[str]:
        """Token integers → their text."""
        out: list = [None] * len(ids)
        chars = ids < (1 << _CHAR_BITS)
        words = ids >= _WORD
        grams = ~chars & ~words
        where = np.flatnonzero(chars)
        for i, c in zip(where.tolist(), _text(ids[chars]), strict=True):
            out[i] = c
        where = np.flatnonzero(grams)
        if len(where):
            pair = np.empty(2 * len(where), dtype=np.uint64)
            pair[0::2] = ids[grams] >> np.uint64(_CHAR_BITS)
            pair[1::2] = ids[grams] & np.uint64((1 << _CHAR_BITS) - 1)
            text = _text(pair)
            for k, i in enumerate(where.tolist()):
                out[i] = text[2 * k:2 * k + 2]
        for i in np.flatnonzero(words).tolist():
            out[i] = self._words[int(ids[i]) - _WORD]
        return out

    def segments(self) -> tuple:
        """The run's postings as :class:`~.fulltext.FullTextIndex` joins them: per token its first
        document and weight, the encoded rest and its last document. Kept as five columns —
        tokens and rests each one NUL-joined string, the numbers arrays — rather than a tuple per
        token: the build cache and the pipes from the workers carry them, and columns unpickle
        about fifteen times faster than 20,000 small tuples."""
        tokens_, docs, weights, starts = self._sorted()
        if not len(tokens_):
            return "", array("I"), b"", "", array("I")
        ends = np.ones(len(tokens_), dtype=bool)
        ends[:-1] = starts[1:]
        # the rest of a token's postings: (this doc − previous doc) << 5 | weight, coded
        keys = np.zeros(len(tokens_), dtype=np.int64)
        keys[1:] = ((docs[1:] - docs[:-1]) << 5) | weights[1:]
        small = ~starts & (keys < _SMALL)
        pieces = np.empty(len(tokens_), dtype=object)
        pieces[:] = "\x00"   # (np.full would take the NUL for a string's end and store "")
        pieces[0] = ""
        pieces[small] = _PAIR_TEXT[keys[small]]
        for i in np.flatnonzero(~starts & ~small).tolist():   # a gap of 1,024 documents or more
            pieces[i] = encode_pair(int(keys[i]) >> 5, int(keys[i]) & 31)
        names = self._names(tokens_[starts])
        return ("\x00".join(names), array("I", docs[starts].tolist()), weights[starts].tobytes(),
                "".join(pieces.tolist()), array("I", docs[ends].tolist()))

    @property
    def postings(self) -> dict[str, list[int]]:
        """token → ``[doc << 5 | weight, …]`` in document order (tests, one-page weights)."""
        tokens_, docs, weights, starts = self._sorted()
        out: dict[str, list[int]] = {}
        names = self._names(tokens_[starts])
        bounds = np.flatnonzero(starts).tolist() + [len(tokens_)]
        values = ((docs << 5) | weights).tolist()
        for name, a, b in zip(names, bounds, bounds[1:], strict=False):
            out[name] = values[a:b]
        return out

    def weights(self) -> dict[str, int]:
        """Token → weight, for an index of one document."""
        return {token: values[0] & 31 for token, values in self.postings.items()}
