"""The render workers' indexing (:class:`govsite.search.partial.PartialIndex`, code points in NumPy
arrays) gives exactly the postings of the plain definition written below: a ``Counter`` of each
page's tokens and characters, BM25 weights, one posting per token and page, tokens in the order
they first appear in the run (issue #25: indexing was a fifth of a cold build's CPU)."""
from __future__ import annotations

from array import array
from collections import Counter, defaultdict

from hypothesis import given, settings, strategies as st

from govsite.search.build import traditional_to_simplified
from govsite.search.fulltext import _PAIR, _SMALL, TEXT_CAP, TITLE_WEIGHT, encode_pair, weight
from govsite.search.partial import PartialIndex
from govsite.search.tokenize import characters, tokens


class PlainIndex:
    """The definition, written plainly: what the index must hold."""

    def __init__(self, avgdl: float, table: dict | None = None):
        self.avgdl = max(avgdl, 1.0)
        self.table = table or {}
        self.postings: dict[str, list[int]] = defaultdict(list)

    def add(self, doc: int, title: str, text: str) -> None:
        title = title.translate(self.table)
        text = text[:TEXT_CAP].translate(self.table)
        title_tokens = tokens(title)
        # the body's 2-grams first, then its Latin words and numbers (the order tokens first appear
        # in a run: the build's order, kept so that cached runs stay valid)
        found = tokens(text)
        counts = Counter(t for t in found if characters(t))
        counts.update(t for t in found if not characters(t))
        length = sum(counts.values()) + len(title_tokens)
        for token in title_tokens:
            counts[token] += TITLE_WEIGHT
        chars = Counter(characters(text))
        for char in characters(title):
            chars[char] += TITLE_WEIGHT
        counts.update(chars)
        for token, tf in counts.items():
            self.postings[token].append(doc << 5 | weight(tf, length, self.avgdl))

    def segments(self) -> tuple:
        words, firsts, weights, rests, lasts = [], array("I"), bytearray(), [], array("I")
        for token, values in self.postings.items():
            words.append(token)
            firsts.append(values[0] >> 5)
            weights.append(values[0] & 31)
            lasts.append(values[-1] >> 5)
            rests.append("".join(encode_pair((v >> 5) - (u >> 5), v & 31) for u, v in zip(values, values[1:], strict=False)))
        return "\x00".join(words), firsts, bytes(weights), "\x00".join(rests), lasts


# Chinese (simplified, traditional, a compatibility ideograph, Extension A and B), full-width and
# ASCII letters and digits, punctuation, spaces and line breaks, emoji
_PIECES = st.sampled_from(list("政务公开發區國務院辦公廳后後乾干面麵㐀㐁𠀀𠀁豈更車ａＢ９abcXYZ0129 ,，。、\n〔〕-_()😀é"))
_TEXT = st.lists(_PIECES | st.sampled_from(["社会保险", "营商环境", "2026年", "津政办发〔2016〕49号", "GDP"]),
                 max_size=60).map("".join)
_RUN = st.lists(st.tuples(_TEXT, _TEXT), min_size=1, max_size=12)


def _both(docs, table, avgdl=40.0, step=1):
    new, plain = PartialIndex(avgdl, table), PlainIndex(avgdl, table)
    for i, (title, text) in enumerate(docs):
        new.add(i * step, title, text)
        plain.add(i * step, title, text)
    return new, plain


@settings(max_examples=300, deadline=None)
@given(_RUN, st.booleans())
def test_segments_are_the_plain_definitions(docs, simplify):
    table = traditional_to_simplified() if simplify else {}
    new, plain = _both(docs, table)
    assert new.segments() == plain.segments()
    assert new.postings == dict(plain.postings)
    assert new.count == sum(len(v) for v in plain.postings.values())


@settings(max_examples=50, deadline=None)
@given(_RUN)
def test_documents_far_apart_are_coded_like_any_others(docs):
    """A gap of 1,024 documents or more is past the table of small codes (``_SMALL``)."""
    new, plain = _both(docs, {}, step=1500)
    assert new.segments() == plain.segments()


@given(_TEXT, _TEXT)
def test_one_documents_weights(title, text):
    new, plain = _both([(title, text)], traditional_to_simplified())
    assert new.weights() == {t: v[0] & 31 for t, v in plain.postings.items()}


def test_a_long_page_is_indexed_up_to_the_cap_and_its_title_counts_three_times():
    body = "住房公积金贷款政策说明。" * 800 + "尾部不索引的内容"
    new, plain = _both([("关于住房公积金的通知", body), ("契税", "税" * 10)], {})
    assert new.segments() == plain.segments()
    postings = new.postings
    assert "尾部" not in postings and len(body) > TEXT_CAP
    assert [v >> 5 for v in postings["住房"]] == [0] and [v >> 5 for v in postings["税"]] == [1]


def test_the_small_code_table_is_what_encode_pair_writes():
    assert all(_PAIR[k] == encode_pair(k >> 5, k & 31) for k in range(0, _SMALL, 97))
