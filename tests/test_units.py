"""Small pieces with rules of their own: the slug rule, dates, Chinese line joining."""
from __future__ import annotations

import datetime as dt

import pytest

from govsite.dates import DateError, build_now, parse_datetime, site_zone
from govsite.markup import join_cjk_lines
from govsite.slugs import check_explicit, slugify


@pytest.mark.parametrize("name, slug", [
    ("春季植树活动", "chun-ji-zhi-shu-huo-dong"),
    ("2026-03-18-yshj", "2026-03-18-yshj"),
    ("重庆市 会议（一）", "chong-qing-shi-hui-yi-yi"),
    ("Notice_A B", "notice_a-b"),
    ("（）", ""),
])
def test_slug_rule(name, slug):
    assert slugify(name) == slug


@pytest.mark.parametrize("bad", ["../x", "a/b", "..", ".hidden", "中文", "A"])
def test_explicit_slug_rejects_paths_and_other_characters(bad):
    assert check_explicit(bad)


def test_explicit_slug_accepts_plain_segments():
    assert check_explicit("yshj-2026.v2") is None


def test_dates():
    assert parse_datetime("2026-03-18 09:30") == dt.datetime(2026, 3, 18, 9, 30)
    assert parse_datetime("2026-03-18") == dt.datetime(2026, 3, 18)
    assert parse_datetime("2026-03-18 09:30:15") == dt.datetime(2026, 3, 18, 9, 30, 15)
    assert parse_datetime(dt.date(2026, 3, 18)) == dt.datetime(2026, 3, 18)
    for bad in ("2026/03/18", "明天", "2026-13-01 00:00", 20260318):
        with pytest.raises(DateError):
            parse_datetime(bad)


def test_build_now_precedence(monkeypatch):
    zone = site_zone("Asia/Shanghai")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert build_now("2026-01-02 03:04", zone) == dt.datetime(2026, 1, 2, 3, 4)
    assert build_now(None, zone) == dt.datetime(1970, 1, 1, 8, 0)


def test_join_cjk_lines_only_between_chinese_and_not_in_pre():
    assert join_cjk_lines("<p>第一行\n第二行</p>") == "<p>第一行第二行</p>"
    assert join_cjk_lines("<p>重点<strong>内容</strong>\n然后</p>") == "<p>重点<strong>内容</strong>然后</p>"
    assert join_cjk_lines("<p>word\nword</p>") == "<p>word\nword</p>"
    assert join_cjk_lines("<pre>代码\n代码</pre>") == "<pre>代码\n代码</pre>"
    assert join_cjk_lines("<p>中文，\n继续</p>") == "<p>中文，继续</p>"
