"""Search, Python side: build and query tokenization agree, postings survive their encoding, and
the files a query needs are written (issue: site search for Chinese)."""
from __future__ import annotations

import json
import subprocess
from collections import Counter

import pytest
from hypothesis import given, settings, strategies as st

from govsite.search.build import traditional_to_simplified
from govsite.search.fulltext import SNIPPET_CAP, TITLE_WEIGHT, decode_postings, encode_postings, weight
from govsite.search.partial import PartialIndex
from govsite.search.suggest import pinyin_forms, term_tokens
from govsite.search.tokenize import query_tokens, shard_of, tokens
from govsite.site.types import LABELS

from helpers import REPO

JS_TOKENIZER = REPO / "themes/default/static/js/search-tokenize.js"
SAMPLES = [
    "景澜区召开2026年优化营商环境工作推进会",
    "津政办发〔2016〕49号",
    "关于ＡＢＣ１２３与 Full-Width ＤＩＧＩＴＳ ２０２６ 的说明",
    "社會保險 國務院辦公廳",
    "单字 a 一 b 二三",
    "𠀀𠀁 扩展B区汉字 and émoji 😀",
    "",
    "  多个   空格\n换行\t制表 ",
]


def js_tokens(strings, shards=512):
    program = (f"const t=require({json.dumps(str(JS_TOKENIZER))});"
               "const input=JSON.parse(require('fs').readFileSync(0,'utf8'));"
               f"console.log(JSON.stringify(input.map(s=>[t.tokens(s),t.queryTokens(s),t.tokens(s).map(x=>t.shardOf(x,{shards}))])));")
    done = subprocess.run(["node", "-e", program], input=json.dumps(strings), capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_build_and_query_tokenization_agree():
    for text, (js_all, js_query, js_shards) in zip(SAMPLES, js_tokens(SAMPLES), strict=True):
        assert tokens(text) == js_all, text
        assert query_tokens(text) == js_query, text
        assert [shard_of(t, 512) for t in tokens(text)] == js_shards, text


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x9fff), max_size=30), min_size=1, max_size=20))
def test_tokenizers_agree_on_generated_text(strings):
    for text, (js_all, _, js_shards) in zip(strings, js_tokens(strings), strict=True):
        assert tokens(text) == js_all
        assert [shard_of(t, 512) for t in tokens(text)] == js_shards


_MIXED = st.text(alphabet=st.sampled_from("政务公開開發區發布後乾ａＢc09 ,。\n〔〕-_臺灣𠀀") | st.characters(
    min_codepoint=0x20, max_codepoint=0xffff), max_size=80)


@given(_MIXED)
def test_indexing_simplifies_exactly_like_str_translate(text):
    """Pages are indexed through the traditional → simplified table by code point arrays; the
    result must be what ``str.translate`` with the table gives."""
    table = traditional_to_simplified()
    assert PartialIndex(1000.0, table)._simplified(text) == text.translate(table)


def test_a_query_of_one_character_is_that_character():
    """税 and 房 are searched as 1-grams; a run of two or more characters still by its 2-grams
    (so an ordinary query loads no more shards than before)."""
    assert query_tokens("税") == ["税"]
    assert query_tokens("房 税收") == ["房", "税收"]
    assert query_tokens("房价") == ["房价"]
    assert query_tokens("契税 a") == ["契税", "a"]


def test_every_character_is_indexed_and_the_2gram_weights_stay_as_they_were():
    title, text = "关于房屋征收补偿的通知", "契税减免。住房公积金贷款。税" + "房屋征收范围内的住户。" * 5
    index = PartialIndex(100.0)
    index.add(0, title, text)
    weights = index.weights()
    assert {"税", "房", "契", "屋"} <= set(weights)
    # BM25 length and term frequencies of the 2-grams are what they were without the 1-grams
    counts = Counter(tokens(text))
    length = sum(counts.values()) + len(tokens(title))
    for token in tokens(title):
        counts[token] += TITLE_WEIGHT
    assert {t: w for t, w in weights.items() if len(t) > 1} == {t: weight(tf, length, 100.0) for t, tf in counts.items()}
    # a character of the title counts like a 2-gram of the title
    assert weights["屋"] == weight(text.count("屋") + TITLE_WEIGHT, length, 100.0)


def _postings(demo, token):
    data = json.loads((demo / "search/meta.js").read_text(encoding="utf-8")[len("GS_META("):-3])
    text = (demo / f"search/idx/{shard_of(token, data['shards'])}.js").read_text(encoding="utf-8")
    return {doc for doc, _ in decode_postings(json.loads(text[text.index(",") + 1:-3]).get(token, ""))}


@pytest.mark.parametrize("char", ["税", "房"])
def test_one_character_finds_every_page_that_has_it(demo, char):
    found = _postings(demo, char)
    docs = {}
    for path in (demo / "search/doc").glob("*.js"):
        text = path.read_text(encoding="utf-8")
        docs[int(path.stem)] = json.loads(text[text.index(",") + 1:-3])
    having = {n for n, d in docs.items() if char in d["t"] or char in d["x"]}
    assert having and having <= found
    # (a fragment keeps the first 3,000 characters; the index reads 6,000)
    assert all(n in having or len(docs[n]["x"]) == SNIPPET_CAP for n in found)


def test_type_filter_shows_the_chinese_type_names(demo):
    data = json.loads((demo / "search/meta.js").read_text(encoding="utf-8")[len("GS_META("):-3])
    assert ["catalogue", "标准目录"] in data["types"] and ["consultation", "意见征集"] in data["types"]
    assert all(label == LABELS[name] for name, label in data["types"])


def test_cjk_bigrams_latin_words_and_document_numbers():
    assert tokens("津政办发〔2016〕49号") == ["津政", "政办", "办发", "2016", "49"]
    assert tokens("营商环境") == ["营商", "商环", "环境"]
    assert tokens("Ｗｉ-Fi 5G网络") == ["wi", "fi", "5g", "网络"]


@given(st.lists(st.tuples(st.integers(0, 10**6), st.integers(1, 31)), unique_by=lambda p: p[0]))
def test_postings_roundtrip(pairs):
    pairs = sorted(pairs)
    assert decode_postings(encode_postings(pairs)) == pairs


@given(st.lists(st.tuples(st.integers(0, 10**6), st.integers(1, 31)), unique_by=lambda p: p[0]),
       st.lists(st.tuples(st.integers(0, 10**6), st.integers(1, 31)), unique_by=lambda p: p[0]),
       st.integers(0, 10**6), st.integers(0, 10**6))
def test_a_run_cut_out_of_postings_and_replaced_gives_the_joined_postings(pairs, new, a, b):
    """The splice of a one-page edit (FullTextIndex.splice) cuts one run's documents out of a
    token's postings and puts the run's new segment in their place: the result is the encoding
    of the postings joined afresh, large document gaps included."""
    from govsite.search.fulltext import _respliced, encode_pair

    first, stop = min(a, b), max(a, b) + 1
    new = sorted(p for p in new if first <= p[0] < stop)
    segment = None
    if new:
        rest = "".join(encode_pair(d - prev, w) for (prev, _), (d, w) in zip(new, new[1:], strict=False))
        segment = (new[0][0], new[0][1], rest, new[-1][0])
    kept = [p for p in sorted(pairs) if not first <= p[0] < stop]
    assert _respliced(encode_postings(sorted(pairs)), segment, first, stop) == encode_postings(sorted(kept + new))


def test_weight_saturates_and_prefers_short_documents():
    assert 1 <= weight(1, 1000, 1000) < weight(5, 1000, 1000) <= 31
    assert weight(2, 200, 1000) > weight(2, 5000, 1000)


def test_pinyin_forms():
    assert pinyin_forms("社保") == ("shebao", "sb")
    assert pinyin_forms("5G网络") == ("5gwangluo", "5gwl")
    assert {"shebao", "sb", "社保"} <= set(term_tokens("社保"))


def test_search_files_written(demo):
    search = demo / "search"
    meta = (search / "meta.js").read_text(encoding="utf-8")
    assert meta.startswith("GS_META(")
    data = json.loads(meta[len("GS_META("):-3])
    assert data["n"] == len(list(search.glob("doc/*.js")))
    assert data["t2s"].get("會") == "会"
    assert data["synonyms"]["身份证丢了"] == "居民身份证 补领"
    assert "社保" in data["hot"]
    assert len(list(search.glob("idx/*.js"))) == data["shards"]
    assert (search / "suggest.js").read_text(encoding="utf-8").startswith("GS_SUGGEST(")
    assert '"version":"2.3.9"' in (search / "suggest.js").read_text(encoding="utf-8")


def test_every_indexed_token_finds_its_page(demo):
    """Each shard holds exactly the tokens that hash to it, and a title's tokens lead to its page."""
    data = json.loads((demo / "search/meta.js").read_text(encoding="utf-8")[len("GS_META("):-3])
    shards = {}
    for n in range(data["shards"]):
        text = (demo / f"search/idx/{n}.js").read_text(encoding="utf-8")
        entries = json.loads(text[text.index(",") + 1:-3])
        assert all(shard_of(t, data["shards"]) == n for t in entries)
        shards.update(entries)
    doc = json.loads((demo / "search/doc/0.js").read_text(encoding="utf-8")[len("GS_DOC(0,"):-3])
    for token in tokens(doc["t"]):
        assert 0 in {d for d, _ in decode_postings(shards[token])}, token


def test_segments_from_workers_join_to_the_same_postings():
    from govsite.search.fulltext import FullTextIndex

    docs = [(i, f"标题{i % 3}", "社保政策说明" * (1 + i % 4) + ("公积金" if i % 2 else "")) for i in range(0, 3000, 7)]
    whole = PartialIndex(20.0)
    for doc in docs:
        whole.add(*doc)
    index = FullTextIndex()
    for start in range(0, len(docs), 50):  # runs of consecutive documents, joined out of order
        part = PartialIndex(20.0)
        for doc in docs[start:start + 50]:
            part.add(*doc)
        index.parts.insert(0, (docs[start][0], part.segments()))
    index.finish()
    for token, values in whole.postings.items():
        assert decode_postings("".join(index.postings[token])) == [(v >> 5, v & 31) for v in values]
