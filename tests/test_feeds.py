"""sitemap.xml, robots.txt and RSS 2.0 (first part of the feeds/deployment issue)."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import feedparser

from govsite.outputs import feeds
from govsite.pipeline.build import BuildOptions, load_and_check

from htmlcheck import parse

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def test_sitemap_lists_every_page_and_column_with_lastmod(project):
    assert project.build().exit_code == 0
    root = ET.parse(project.out("sitemap.xml")).getroot()
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    urls = {u.findtext("s:loc", "", NS): u.findtext("s:lastmod", "", NS) for u in root.findall("s:url", NS)}
    for path in ["", "zwdt/", "zwdt/gzdt/", "zwdt/gzdt/a.html", "zwdt/tzgg/n1.html", "xxgk/guide.html"]:
        assert f"https://www.ceshi.gov.cn/{path}" in urls, path
    assert urls["https://www.ceshi.gov.cn/zwdt/gzdt/b.html"] == "2026-05-02"
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", v) for v in urls.values())
    assert len(urls) == len(root.findall("s:url", NS))  # no duplicates
    assert project.html("robots.txt").endswith("Sitemap: https://www.ceshi.gov.cn/sitemap.xml\n")


def test_sitemap_index_above_the_protocol_limit(project):
    site = load_and_check(project.root, "t", BuildOptions(now="2026-06-01 12:00")).site
    assert site is not None
    files = feeds.sitemaps(site, limit=3)
    index = ET.fromstring(files["sitemap.xml"])
    assert index.tag.endswith("sitemapindex")
    parts = [e.findtext("s:loc", "", NS) for e in index.findall("s:sitemap", NS)]
    assert parts == [f"https://www.ceshi.gov.cn/sitemap-{n}.xml" for n in range(1, len(files))]
    counted = sum(len(ET.fromstring(files[f"sitemap-{n}.xml"]).findall("s:url", NS)) for n in range(1, len(files)))
    assert counted == len(feeds.sitemap_entries(site))


def test_rss_feeds_parse_without_errors(project):
    project.page("zwdt/gzdt/c.md", "含<特殊>字符&引号\"的标题", date="2026-05-03 08:00", body="## 小标题\n\n正文**第一句**，[链接](a.md)。")
    assert project.build().exit_code == 0
    site_feed = feedparser.parse(project.out("rss.xml").read_bytes())
    assert not site_feed.bozo, site_feed.bozo_exception
    assert site_feed.feed.title == "测试区人民政府"
    titles = [e.title for e in site_feed.entries]
    assert titles[0] == "含<特殊>字符&引号\"的标题"
    assert site_feed.entries[0].link == "https://www.ceshi.gov.cn/zwdt/gzdt/c.html"
    assert site_feed.entries[0].summary.startswith("小标题 正文第一句，链接。")
    column_feed = feedparser.parse(project.out("zwdt/gzdt/rss.xml").read_bytes())
    assert not column_feed.bozo and {e.title for e in column_feed.entries} == {
        "第一篇工作动态", "第二篇工作动态", "含<特殊>字符&引号\"的标题"}
    assert column_feed.entries[0].published_parsed[:5] == (2026, 5, 3, 0, 0)  # newest first; 08:00 +0800 in UTC
    channel_feed = feedparser.parse(project.out("zwdt/rss.xml").read_bytes())
    assert len(channel_feed.entries) == 4  # the channel's feed includes its subcolumns


def test_feeds_are_linked_from_page_heads_and_header(project):
    assert project.build().exit_code == 0
    for rel, column_feed in (("index.html", None), ("zwdt/gzdt/index.html", "rss.xml"), ("zwdt/gzdt/a.html", "rss.xml")):
        links = [v for k, v in parse(project.out(rel)).links]
        html = project.html(rel)
        assert re.search(r'<link rel="alternate" type="application/rss\+xml" title="测试区人民政府" href="[./]*rss\.xml">', html)
        if column_feed:
            assert '<link rel="alternate" type="application/rss+xml" title="工作动态 - 测试区人民政府" href="rss.xml">' in html
        assert any(v.endswith("rss.xml") for v in links)
    assert 'class="rss-link" href="../../rss.xml">RSS订阅</a>' in project.html("zwdt/gzdt/a.html")
