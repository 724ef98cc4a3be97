"""Foreign-language versions (外文版, LG-1) and theme strings from translation files."""
from __future__ import annotations

import re
import subprocess
import sys

import yaml

from helpers import REPO

SWITCH = re.compile(r'<a class="language-switch" href="([^"]+)" lang="([^"]+)" hreflang="[^"]+">([^<]+)</a>')


def switch(html: str) -> tuple[str, ...]:
    """(href, lang, label) of the page's language switch."""
    found = SWITCH.search(html)
    assert found, "no language switch"
    return found.groups()


def test_english_version_is_built_under_its_prefix_with_english_interface(demo):
    html = (demo / "en/news/2026-03-18-business-environment-conference.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html
    for text in ("Skip to main content", "Published: ", "Site map", "Report an error on this page",
                 "Sponsor: General Office of Jinglan District People&#39;s Government", "You are here"):
        assert text in html, text
    assert "跳到主要内容" not in html and "发布时间" not in html
    assert '<link rel="stylesheet" href="../static/css/site.css">' in html or 'href="../../static/css/site.css"' in html
    assert (demo / "en/static/js/search.js").is_file() and (demo / "en/search/meta.js").is_file()


def test_counterparts_link_each_other_and_other_pages_fall_back_to_the_home_page(demo):
    zh = (demo / "zwdt/gzdt/yshj-tjh.html").read_text(encoding="utf-8")
    href, lang, label = switch(zh)
    assert (href, lang, label) == ("../../en/news/2026-03-18-business-environment-conference.html", "en", "English")
    assert '<link rel="alternate" hreflang="en" href="https://www.jinglan.gov.cn/en/news/2026-03-18-business-environment-conference.html"' in zh
    en = (demo / "en/news/2026-03-18-business-environment-conference.html").read_text(encoding="utf-8")
    assert switch(en) == ("../../zwdt/gzdt/yshj-tjh.html", "zh-CN", "中文")
    assert '<link rel="alternate" hreflang="zh-CN" href="https://www.jinglan.gov.cn/zwdt/gzdt/yshj-tjh.html"' in en
    # no counterpart: the switch leads to the other version's home page, and no hreflang is claimed
    other = (demo / "zwdt/gzdt/2026-07-30-jjyx.html").read_text(encoding="utf-8")
    assert switch(other)[0] == "../../en/index.html" and 'hreflang="en"' not in other.split("</head>")[0]
    assert switch((demo / "en/index.html").read_text(encoding="utf-8"))[0] == "../index.html"


def test_every_language_switch_link_resolves(demo):
    import posixpath

    for path in sorted(demo.rglob("*.html")):
        rel = path.relative_to(demo).as_posix()
        if rel.endswith("404.html"):
            continue
        for href, _lang, _label in SWITCH.findall(path.read_text(encoding="utf-8")):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), href))
            assert (demo / target).is_file(), (rel, href)


def test_robots_names_the_sitemap_of_every_version(demo):
    robots = (demo / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://www.jinglan.gov.cn/sitemap.xml" in robots
    assert "Sitemap: https://www.jinglan.gov.cn/en/sitemap.xml" in robots
    assert not (demo / "en/robots.txt").exists()
    assert "<loc>https://www.jinglan.gov.cn/en/news/2026-10-12-science-park.html</loc>" in (demo / "en/sitemap.xml").read_text(encoding="utf-8")


def test_search_script_messages_follow_the_page_language(browser, demo):
    from urllib.parse import quote

    page = browser.new_page()
    page.goto((demo / "en/search.html").as_uri() + "?q=" + quote("zzzzqqq"))
    page.wait_for_function("document.getElementById('search-status').textContent.indexOf('zzzzqqq') !== -1")
    assert page.inner_text("#search-status").startswith("No results for “zzzzqqq”")
    page.goto((demo / "en/search.html").as_uri() + "?q=" + quote("science park"))
    page.wait_for_selector(".result-title a")
    assert "/en/news/2026-10-12-science-park.html" in page.eval_on_selector(".result-title a", "a => a.href")
    page.close()


def test_shipped_translations_cover_every_interface_string():
    result = subprocess.run([sys.executable, str(REPO / "scripts/i18n_keys.py")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
    for language in ("zh-CN", "zh-TW", "en"):
        assert re.search(rf"^{language}: (\d+)/\1 translated$", result.stdout, re.M), result.stdout


def test_placeholders_survive_translation():
    theme = REPO / "themes/default/i18n"
    for language in ("zh-TW", "en"):
        for key, value in yaml.safe_load((theme / f"{language}.yaml").read_text(encoding="utf-8")).items():
            assert set(re.findall(r"\{\w+\}", key)) == set(re.findall(r"\{\w+\}", value)), (language, key)


def test_a_site_in_traditional_chinese_uses_the_zh_tw_strings(project):
    project.configure(replace={"channels: [zwdt, xxgk]\n": "channels: [zwdt, xxgk]\nlanguage: zh-TW\n"})
    assert project.build().exit_code == 0
    html = project.html("zwdt/gzdt/a.html")
    assert '<html lang="zh-TW">' in html and "跳到主要內容" in html and "發佈時間：" in html


def test_unknown_interface_language_is_reported(project):
    project.configure("language: fr\n")
    result = project.build()
    assert result.exit_code == 1 and "[LG-1] 没有语言「fr」的界面翻译文件" in result.output


def test_site_overrides_single_strings(project):
    project.write("sites/t/i18n/zh-CN.yaml", "联系我们: 联系方式\n")
    assert project.build().exit_code == 0
    assert ">联系方式</a>" in project.html("index.html")


def test_language_version_errors_are_reported(project):
    project.configure("languages:\n  en:\n    label: English\n    content: content/t-en\n")
    result = project.build()
    assert result.exit_code == 1 and "[LG-1] languages.en.content 目录「content/t-en」不存在" in result.output


def test_language_version_in_a_small_project(project):
    project.write("content/t-en/news/_column.yaml", "name: News\ntype: 政务动态\n")
    project.write("content/t-en/news/a.md", "---\ntitle: First news\ndate: 2026-05-01 09:00\ntranslation_key: first\n---\n\nText.\n")
    project.page("zwdt/gzdt/a.md", "第一篇工作动态", translation_key="first")
    project.configure("languages:\n  en:\n    label: English\n    name: Ceshi District\n    content: content/t-en\n")
    assert project.build().exit_code == 0
    assert 'href="../../en/news/a.html" lang="en"' in project.html("zwdt/gzdt/a.html")
    assert '<html lang="en">' in project.html("en/news/a.html") and "Ceshi District" in project.html("en/index.html")
