"""The traditional-Chinese version (简繁体, LG-1): the whole site under a prefix, converted text
only, working links both ways, and search that stays in the reader's version."""
from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import quote

from govsite.render import variants

from helpers import NOW, age, run

SWITCH = re.compile(r'<a class="variant-switch" href="([^"]+)"[^>]*data-variant-switch>([^<]+)</a>')


def pages(root: Path, skip=("fanti/", "en/")):
    """The simplified pages (not the traditional tree, not the English version, which has none,
    not the redirect pages of sites/demo/redirects.yaml, which only send the reader on)."""
    for path in sorted(root.rglob("*.html")):
        rel = path.relative_to(root).as_posix()
        if not rel.startswith(skip) and rel != "404.html" \
                and '<meta http-equiv="refresh"' not in path.read_text(encoding="utf-8")[:1000]:
            yield rel


def follow(root: Path, rel: str, href: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(rel), href))


def test_every_demo_page_has_a_working_counterpart_both_ways(demo):
    checked = 0
    for rel in pages(demo):
        html = (demo / rel).read_text(encoding="utf-8")
        found = SWITCH.search(html)
        assert found, rel
        href, label = found.groups()
        assert label == "繁體"
        target = follow(demo, rel, href)
        assert target == f"fanti/{rel}" and (demo / target).is_file(), rel
        back = SWITCH.search((demo / target).read_text(encoding="utf-8"))
        assert back, target
        back_href, back_label = back.groups()
        assert back_label == "简体" and follow(demo, target, back_href) == rel, rel
        checked += 1
    assert checked > 150


def test_traditional_pages_convert_text_but_not_links_or_codes(demo):
    html = (demo / "fanti/zcwj/qzfbwj/2026-04-02-zwgk-yd.html").read_text(encoding="utf-8")
    assert '<html lang="zh-Hant"' in html
    assert "<title>景瀾區人民政府辦公室關於印發景瀾區2026年政務公開工作要點的通知 - 景瀾區人民政府</title>" in html
    assert '<meta name="ColumnType" content="政策文件">' in html   # vocabulary code, unchanged (MT-4)
    assert '<meta name="SiteName" content="景瀾區人民政府">' in html   # meta tags follow the version
    assert '<link rel="canonical" href="https://www.jinglan.gov.cn/fanti/zcwj/qzfbwj/2026-04-02-zwgk-yd.html">' in html
    assert 'hreflang="zh-Hans" href="https://www.jinglan.gov.cn/zcwj/qzfbwj/2026-04-02-zwgk-yd.html"' in html
    # shared files are linked in the simplified tree, pages stay in the traditional one
    assert 'href="../../../static/css/site.css"' in html and 'href="../../../zcwj/qzfbwj/zwgk-yd-fgb.csv"' in html
    assert 'href="../../index.html"' in html
    library = (demo / "fanti/zcwj/library.html").read_text(encoding="utf-8")
    assert 'data-issuer="景澜区人民政府"' in library and '<option value="景澜区人民政府">景瀾區人民政府</option>' in library


def test_every_relative_link_of_the_traditional_version_resolves(demo):
    link = re.compile(r'(?:href|src)="([^"#?]+)[^"]*"')
    for path in sorted((demo / "fanti").rglob("*.html")):
        rel = path.relative_to(demo).as_posix()
        if rel == "fanti/404.html":
            continue
        for href in link.findall(path.read_text(encoding="utf-8")):
            if href.startswith(("/", "mailto:", "tel:")) or "://" in href:
                continue
            assert (demo / follow(demo, rel, href)).is_file(), (rel, href)


def test_sitemap_lists_both_versions(demo):
    sitemap = (demo / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://www.jinglan.gov.cn/zwdt/gzdt/yshj-tjh.html</loc>" in sitemap
    assert "<loc>https://www.jinglan.gov.cn/fanti/zwdt/gzdt/yshj-tjh.html</loc>" in sitemap


def test_search_in_the_traditional_version_links_traditional_pages(browser, demo):
    page = browser.new_page()
    page.goto((demo / "fanti/search.html").as_uri() + "?q=" + quote("營商環境"))
    page.wait_for_selector(".result-title a")
    hrefs = page.eval_on_selector_all(".result-title a", "els => els.map(a => a.href)")
    assert hrefs and all("/fanti/" in h for h in hrefs), hrefs[:3]
    page.click(".result-title a >> nth=0")
    page.wait_for_load_state()
    assert "/fanti/" in page.url and page.locator("html[lang=zh-Hant]").count() == 1
    page.close()


def test_switch_profile_and_prefix_are_configurable(project):
    project.configure("traditional:\n  prefix: zh-hk\n  profile: s2hk\n")
    assert project.build().exit_code == 0
    html = project.html("zh-hk/zwdt/gzdt/a.html")
    assert '<html lang="zh-HK"' in html and "第一篇工作動態" in html
    assert 'href="../../../zwdt/gzdt/a.html"' in html


def test_a_rebuild_converts_only_the_pages_that_changed_and_equals_a_clean_build(project, tmp_path, monkeypatch):
    """Conversion is a function of a page's bytes, path and the settings: a page whose simplified
    file is as it was keeps its counterpart, an edited one is converted again, and the result is
    what a build without the cache makes."""
    converted: list[str] = []
    convert = variants.Converter.page

    def counting(self, html, rel, **kw):
        converted.append(rel)
        return convert(self, html, rel, **kw)

    monkeypatch.setattr(variants.Converter, "page", counting)
    project.configure("traditional:\n  prefix: fanti\n")
    assert project.build().exit_code == 0
    first = set(converted)
    assert {"index.html", "zwdt/gzdt/a.html", "zwdt/tzgg/n1.html"} <= first
    age(project.root)
    converted.clear()
    project.page("zwdt/gzdt/a.md", "第一篇工作动态", date="2026-05-01 09:00", keywords="[营商环境]", body="改过的正文。")
    age(project.root)
    assert project.build().exit_code == 0
    assert "zwdt/gzdt/a.html" in converted and "zwdt/tzgg/n1.html" not in converted
    assert len(converted) < len(first) / 2, converted
    assert "改過的正文" in project.html("fanti/zwdt/gzdt/a.html")
    clean = run(["--project", str(project.root), "build", "t", "--now", NOW, "--no-cache", "--out", str(tmp_path / "clean")])
    assert clean.exit_code == 0
    built = {p.relative_to(project.out()).as_posix(): p.read_bytes() for p in project.out().rglob("*") if p.is_file()}
    assert built == {p.relative_to(tmp_path / "clean/t").as_posix(): p.read_bytes()
                     for p in (tmp_path / "clean/t").rglob("*") if p.is_file()}


def test_bad_traditional_settings_are_reported(project):
    project.configure("traditional:\n  profile: s2xx\n")
    result = project.build()
    assert result.exit_code == 1 and "[LG-1] 未知的简繁转换方案「s2xx」" in result.output


def test_sites_without_the_setting_have_no_switch(project):
    assert project.build().exit_code == 0
    assert "variant-switch" not in project.html("index.html") and not project.out("fanti").exists()


# -- 扫一扫在手机打开 (QR codes) --------------------------------------------------------------------
def qr_matrix(svg: str) -> set:
    """Dark modules of a segno SVG path ("M x y.5 h n m dx dy h n …", relative moves)."""
    found = re.search(r'class="qrline"[^>]* d="([^"]+)"', svg)
    assert found, svg
    path = found.group(1)
    dark, x, y = set(), 0.0, 0.0
    for op, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?:[ ,](-?[\d.]+))?", path):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            for i in range(int(float(a))):
                dark.add((int(x) + i, int(y)))
            x += float(a)
    return dark


def test_article_and_topic_pages_carry_a_qr_code_of_their_own_address(demo):
    import segno

    for rel, url, label in [
            ("zwdt/gzdt/yshj-tjh.html", "https://www.jinglan.gov.cn/zwdt/gzdt/yshj-tjh.html", "本页二维码"),
            ("ztzl/yshj/index.html", "https://www.jinglan.gov.cn/ztzl/yshj/", "本页二维码"),
            # the 繁体 page's code opens the 繁体 page
            ("fanti/zwdt/gzdt/yshj-tjh.html", "https://www.jinglan.gov.cn/fanti/zwdt/gzdt/yshj-tjh.html", "本頁二維碼")]:
        html = (demo / rel).read_text(encoding="utf-8")
        figure = re.search(r'<figure class="page-qr[^"]*"[^>]*>(<svg.*?</svg>)<figcaption>(扫一扫|掃一掃)[^<]+</figcaption>', html, re.S)
        assert figure, rel
        svg = figure.group(1)
        assert 'role="img"' in svg and f'aria-label="{label}"' in svg
        expected = {(x + 2, y + 2) for y, row in enumerate(segno.make(url, error="m", micro=False).matrix)
                    for x, bit in enumerate(row) if bit}
        assert qr_matrix(svg) == expected, rel


def test_qr_codes_are_off_unless_the_site_asks(project):
    assert project.build().exit_code == 0
    assert "page-qr" not in project.html("zwdt/gzdt/a.html")
    project.configure("qr_code: true\n")
    assert project.build().exit_code == 0
    assert 'class="page-qr"' in project.html("zwdt/gzdt/a.html")


def test_search_results_in_the_traditional_version_are_shown_in_traditional_characters(browser, demo):
    page = browser.new_page()
    page.goto((demo / "fanti/search.html").as_uri() + "?q=" + quote("营商环境"))
    page.wait_for_selector(".result-title a")
    titles = page.eval_on_selector_all(".result-title a", "els => els.map(a => a.textContent)")
    assert any("營商環境" in t for t in titles) and not any("营商环境" in t for t in titles), titles[:3]
    assert "景瀾區" in page.inner_text("#search-results")
    page.close()
