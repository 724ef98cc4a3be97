"""Page furniture (issue #23, item 3): 责任编辑, keywords that search, 【打印】【关闭】 without scripts,
the pager, the 公文 layout of policies and the status colours — each checked on the built HTML (and
the CSS and theme.yaml it relies on), with the errors an editor or a theme author gets for bad input.
"""
from __future__ import annotations

import colorsys
import posixpath
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import yaml
from hypothesis import given, strategies as st

from govsite.config.theme import contrast
from govsite.render.document import _TAIL_P, closing_of, last_paragraph, mark_closing
from govsite.render.pager import jump_numbers, window_numbers
from govsite.site.types import MEANINGS, STATUS_MEANINGS

from helpers import REPO, fails_cleanly

THEME = REPO / "themes/default"
CSS = (THEME / "static/css/site.css").read_text(encoding="utf-8")


def found(pattern: str, text: str) -> str:
    """The first group of ``pattern`` in ``text`` (the test fails when it is not there)."""
    match = re.search(pattern, text)
    assert match is not None, pattern
    return match.group(1)


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def resolves(project, page: str, href: str) -> Path:
    """The output file a relative link on ``page`` leads to (it must exist)."""
    target = project.out(posixpath.normpath(posixpath.join(posixpath.dirname(page), urlsplit(href).path)))
    assert target.is_file(), (page, href)
    return target


# -- 责任编辑 ----------------------------------------------------------------------------------------
def test_editor_is_inherited_page_over_column_over_site(project):
    project.configure("editor: 区政府办公室信息科\n")
    project.column("zwdt/tzgg", "通知公告", type="通知公告", order=2, editor="李四")
    project.column("zwdt/tzgg/qt", "其他通知", type="通知公告")
    project.page("zwdt/tzgg/qt/n2.md", "子栏目中的通知", date="2026-04-02 10:00")
    project.page("zwdt/gzdt/own.md", "自己写明责任编辑", editor="王五")
    assert project.build().exit_code == 0
    def editor(rel):
        found = re.findall(r'<p class="page-editor">责任编辑：(.*?)</p>', project.html(rel))
        assert len(found) == 1, rel
        return found[0]
    assert editor("zwdt/gzdt/a.html") == "区政府办公室信息科"      # site
    assert editor("zwdt/tzgg/n1.html") == "李四"                    # column
    assert editor("zwdt/tzgg/qt/n2.html") == "李四"                 # parent column
    assert editor("zwdt/gzdt/own.html") == "王五"                   # page


def test_no_editor_anywhere_shows_no_line(project):
    assert project.build().exit_code == 0
    assert "责任编辑" not in project.html("zwdt/gzdt/a.html")


def test_editor_of_the_wrong_type_is_an_error_with_its_line(project):
    assert project.build().exit_code == 0
    project.write("content/t/zwdt/gzdt/bad.md", "---\ntitle: 标题\ndate: 2026-05-01 09:00\neditor: [张三, 李四]\n---\n正文\n")
    out = fails_cleanly(project, "zwdt/gzdt/bad.md:4", "editor", "责任编辑")
    assert "Traceback" not in out


def test_column_and_site_editor_of_the_wrong_type_are_errors(project):
    assert project.build().exit_code == 0
    project.column("zwdt/tzgg", "通知公告", type="通知公告", order=2, editor="{name: 李四}")
    project.configure("editor: [甲, 乙]\n")
    out = fails_cleanly(project, "zwdt/tzgg/_column.yaml:", "site.yaml:", "责任编辑")
    assert re.search(r"_column\.yaml:\d+: 错误", out) and re.search(r"site\.yaml:\d+: 错误", out)


# -- keywords ----------------------------------------------------------------------------------------
def test_keywords_link_to_the_search_page_with_the_keyword_as_query(project):
    project.page("zwdt/gzdt/kw.md", "带关键词的文章", keywords="[营商环境, 一网通办 & 好办]")
    assert project.build().exit_code == 0
    html = project.html("zwdt/gzdt/kw.html")
    line = found(r'<p class="page-keywords">关键词：(.*?)</p>', html)
    links = re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', line)
    assert [label for _href, label in links] == ["营商环境", "一网通办 &amp; 好办"]
    for href, label in links:
        assert resolves(project, "zwdt/gzdt/kw.html", href).name == "search.html"   # relative: works from file://
        assert parse_qs(urlsplit(href).query) == {"q": [label.replace("&amp;", "&")]}
    # the search page's script starts from that parameter
    assert 'params.get("q")' in (THEME / "static/js/search.js").read_text(encoding="utf-8")


def test_a_page_without_keywords_shows_no_keyword_line(project):
    project.page("zwdt/gzdt/nokw.md", "没有关键词")
    assert project.build().exit_code == 0
    assert "page-keywords" not in project.html("zwdt/gzdt/nokw.html")


# -- 【打印】【关闭】 --------------------------------------------------------------------------------
def test_print_and_close_are_links_that_work_without_scripts(project):
    assert project.build().exit_code == 0
    html = project.html("zwdt/gzdt/a.html")
    assert "<button" not in html[html.index('class="article-tools"'):]            # no script-only button
    printing = re.search(r'<a class="print-link" href="#([\w-]+)">【打印】</a>', html)
    assert printing and f'id="{printing.group(1)}" class="print-note"' in html     # the print view is on the page
    closing = found(r'<a class="close-link" href="([^"]+)">【关闭】', html)
    assert resolves(project, "zwdt/gzdt/a.html", closing) == project.out("zwdt/gzdt/index.html")
    # the print view: the note shows and the page chrome hides when the link's target is active,
    # with the same list of hidden parts as the print stylesheet
    assert ".print-note { display: none; }" in CSS and ".print-note:target { display: block;" in CSS
    hidden = found(r"html:has\(#print-view:target\) :is\(([^)]*)\)", CSS)
    printed = found(r"@media print \{\s*([^{]*)\{ display: none !important; \}", CSS)
    assert {s.strip() for s in hidden.split(",")} <= {s.strip() for s in printed.split(",")}
    assert {".site-header form", ".channel-nav", ".article-tools"} <= {s.strip() for s in hidden.split(",")}
    assert ".print-note" in printed                                               # the note itself never prints


# -- pager -------------------------------------------------------------------------------------------
def test_page_window_shows_first_last_and_two_around_with_gaps():
    assert window_numbers(1, 1) == [1]
    assert window_numbers(1, 5) == [1, 2, 3, 4, 5]
    assert window_numbers(1, 12) == [1, 2, 3, None, 12]
    assert window_numbers(6, 12) == [1, None, 4, 5, 6, 7, 8, None, 12]
    assert window_numbers(5, 12) == [1, 2, 3, 4, 5, 6, 7, None, 12]       # a one-page gap shows the page
    assert window_numbers(12, 12) == [1, None, 10, 11, 12]


def test_jump_links_name_every_page_when_few_and_a_round_step_when_many():
    assert jump_numbers(12) == list(range(1, 13))
    for count in (31, 100, 1000, 20000):
        numbers = jump_numbers(count)
        assert numbers[0] == 1 and numbers[-1] == count and len(numbers) <= 30
        steps = {b - a for a, b in zip(numbers[1:-2], numbers[2:-1], strict=True)}
        assert len(steps) == 1, (count, numbers)


def test_column_pager_has_first_prev_numbers_next_last_total_and_jump_box(project):
    project.configure(replace={"channels: [zwdt, xxgk]\n": "channels: [zwdt, xxgk]\npage_size: 10\n"})
    for n in range(1, 114):     # with a.md and b.md: 115 items, 12 pages
        project.page(f"zwdt/gzdt/p{n:03}.md", f"第{n}条动态", date=f"2026-0{1 + n % 5}-{1 + n % 27:02} 09:00")
    assert project.build().exit_code == 0
    first = project.html("zwdt/gzdt/index.html")
    pager = first[first.index('<nav class="pager"'):first.index("</nav>", first.index('<nav class="pager"'))]
    assert text(pager).startswith("首页 上一页 1 2 3 … 12 下一页 尾页 共 12 页，115 条")
    assert '<span class="pager-off">首页</span>' in pager and '<span class="pager-off">上一页</span>' in pager
    assert '<a href="index_2.html" rel="next">下一页</a>' in pager and '<a href="index_12.html">尾页</a>' in pager
    middle = project.html("zwdt/gzdt/index_6.html")
    pager = middle[middle.index('<nav class="pager"'):middle.index("</nav>", middle.index('<nav class="pager"'))]
    assert text(pager).startswith("首页 上一页 1 … 4 5 6 7 8 … 12 下一页 尾页 共 12 页，115 条")
    assert '<a href="index.html">首页</a>' in pager and '<a href="index_5.html" rel="prev">上一页</a>' in pager
    assert 'aria-label="第6页" aria-current="page">6</a>' in pager
    # the jump box: a form for scripts (hidden without them by .js-only), and links to every page without
    form = re.search(r'<form class="pager-jump js-only" data-first="([^"]+)" data-pattern="([^"]+)">', pager)
    assert form and form.groups() == ("index.html", "index_{n}.html")
    assert 'max="12"' in pager
    links = re.findall(r'<a href="([^"]+)"[^>]*>第(\d+)页</a>', pager[pager.index("pager-jump-links"):])
    assert [int(n) for _href, n in links] == list(range(1, 13))
    for href, _n in links:
        resolves(project, "zwdt/gzdt/index_6.html", href)
    assert "html:not(.js) .js-only { display: none !important; }" in CSS
    assert "html.js .pager-jump-links { display: none; }" in CSS


def test_short_list_has_no_jump_box(project):
    assert project.build().exit_code == 0
    assert "pager" not in project.html("zwdt/gzdt/index.html")     # one page: no pager at all


# -- 公文 layout --------------------------------------------------------------------------------------
POLICY = dict(type="policy", doc_kind="行政规范性文件", issuer="测试区人民政府", doc_no="测政发〔2026〕3号",
              signed='"2026-03-01"', status="有效")
ENDING = "本办法自2026年4月1日起施行。\n\n测试区人民政府\n\n2026年3月1日\n"


def test_policy_shows_doc_number_under_title_and_closing_set_right(project):
    project.column("zcwj", "政策文件", type="政策文件")
    project.write("content/t/zcwj/fgb.csv", "a,b\n1,2\n")
    project.write("content/t/zcwj/mx.csv", "a,b\n1,2\n")
    project.page("zcwj/p.md", "测试区某办法", body="第一条　为了规范管理，制定本办法。\n\n" + ENDING,
                 attachments="[{title: 任务分工表, file: fgb.csv}, {title: 项目明细, file: mx.csv}]", **POLICY)
    assert project.build().exit_code == 0
    html = project.html("zcwj/p.html")
    assert re.search(r'<h1 id="article-title">测试区某办法</h1>\s*<p class="doc-number">测政发〔2026〕3号</p>', html)
    assert '<p class="doc-sign">测试区人民政府</p>' in html and '<p class="doc-date">2026年3月1日</p>' in html
    assert "<p>本办法自2026年4月1日起施行。</p>" in html                 # the text itself is left alone
    # 附件: numbered, after the text and its 落款
    section = html[html.index('class="attachments doc-attachments"'):]
    assert html.index('class="doc-date"') < html.index('class="attachments doc-attachments"')
    assert re.findall(r"<li><a href=\"[^\"]+\" download>(.*?)</a>", section[:section.index("</ol>")]) == ["任务分工表", "项目明细"]
    assert ".article-body p.doc-sign, .article-body p.doc-date { text-align: right;" in CSS
    assert ".doc-number { text-align: center;" in CSS


def test_a_body_not_ending_with_organ_and_date_is_left_alone(project):
    project.column("zcwj", "政策文件", type="政策文件")
    project.page("zcwj/q.md", "另一办法", body="本办法自2026年3月1日起施行。\n\n2026年3月1日起，停止执行原办法。\n", **POLICY)
    assert project.build().exit_code == 0
    html = project.html("zcwj/q.html")
    assert "doc-sign" not in html and "doc-date" not in html


def test_closing_is_recognised_in_its_usual_forms():
    joint = "<p>正文。</p>\n<p>测试区财政局　测试区教育局<br />\n二〇二六年三月一日</p>\n<p>（此件公开发布）</p>\n"
    assert closing_of(joint) == closing_of(joint.replace("　", " "))
    closing = closing_of(joint)
    assert closing is not None
    assert closing.organs == ("测试区财政局", "测试区教育局") and closing.date == "二〇二六年三月一日"
    assert closing.note == "（此件公开发布）"
    two = closing_of("<p>正文。</p><p>测试区发展和改革委员会</p><p>测试区商务局</p><p>2026年3月1日</p>")
    assert two is not None and two.organs == ("测试区发展和改革委员会", "测试区商务局")
    # a name the page gives is an organ whatever it ends with
    assert closing_of("<p>x</p><p>测试区12345热线</p><p>2026年3月1日</p>") is None
    assert closing_of("<p>x</p><p>测试区12345热线</p><p>2026年3月1日</p>", ["测试区12345热线"]) is not None
    for body in ("<p>会议于2026年3月1日召开。</p>", "<p>测试区人民政府</p>", "<h2>测试区人民政府</h2><p>2026年3月1日</p>",
                 "<p>测试区人民政府</p><p>2026年3月1日</p><p>附：说明</p>", "<p>由区政府办公室负责解释。</p><p>2026年3月1日</p>"):
        assert mark_closing(body) == body, body


# -- status colours ----------------------------------------------------------------------------------
def theme_spec() -> dict:
    return yaml.safe_load((THEME / "theme.yaml").read_text(encoding="utf-8"))


def test_every_status_meaning_has_a_declared_checked_colour():
    spec = theme_spec()
    pairs = {(text_role, background) for text_role, background, _where in spec["pairs"]}
    for meaning in MEANINGS:
        if meaning == "pending":            # 未开始: the muted colour, already checked on white
            continue
        role = f"status-{meaning}"
        assert role in spec["fixed"] and (role, "white") in pairs, role
        assert contrast(spec["fixed"][role], spec["fixed"]["white"]) >= 4.5, role
        assert f".status-{meaning} {{ color: var(--c-st-{meaning});" in CSS
        assert f"--c-st-{meaning}: var(--status-{meaning});" in CSS


def hue(color: str) -> float:
    """The hue in degrees; -1 for a grey (no hue to speak of)."""
    r, g, b = (int(color[i:i + 2], 16) / 255 for i in (1, 3, 5))
    h, _lightness, saturation = colorsys.rgb_to_hls(r, g, b)
    return h * 360 if saturation > 0.15 else -1


def is_red(color: str) -> bool:
    return hue(color) != -1 and (hue(color) < 20 or hue(color) > 340)


def test_finished_states_are_not_red_and_in_progress_is_blue():
    fixed = theme_spec()["fixed"]
    colour = {status: fixed[f"status-{meaning}"] for status, meaning in STATUS_MEANINGS.items() if meaning != "pending"}
    red = theme_spec()["colors"]["accent"]
    for finished in ("已答复", "已结束", "结果已公布", "不予受理"):
        assert colour[finished] != red and not is_red(colour[finished]), finished
    assert is_red(colour["已废止"])                                    # the one alarm: no longer in force
    for running in ("办理中", "公示中", "征集中"):
        assert 200 <= hue(colour[running]) <= 240, running
    assert colour["已废止"] == colour["已失效"] == colour["过期失效"]   # no longer in force: one meaning, one colour
    assert len({colour["有效"], colour["已修改"], colour["已废止"], colour["办理中"], colour["已答复"], colour["已结束"]}) == 6


def test_badges_carry_their_meaning_class(project):
    project.column("hdjl", "互动交流", type="互动交流", order=3)
    body = "## 来信内容\n\n问题。\n\n## 答复内容\n\n答复。\n"
    common = dict(type="reply", kind="咨询", received='"2026-05-06"', replying_dept="区教育局", body=body)
    project.page("hdjl/done.md", "已答复的来信", date="2026-05-20 09:00", status="已答复", replied='"2026-05-19"', **common)
    project.page("hdjl/open.md", "办理中的来信", date="2026-05-21 09:00", status="办理中", **common)
    assert project.build().exit_code == 0
    listing = project.html("hdjl/index.html")
    assert '<span class="tag status-result">已答复</span>' in listing
    assert '<span class="tag status-progress">办理中</span>' in listing
    assert '<span class="tag status-result">已答复</span>' in project.html("hdjl/done.html")


def test_an_unreadable_theme_status_colour_is_reported_at_its_theme_line(project):
    assert project.build().exit_code == 0
    project.write("themes/pale/theme.yaml", 'extends: default\nfixed:\n  status-ended: "#bbbbbb"\n')
    project.configure("theme: pale\n")
    out = fails_cleanly(project, "themes/pale/theme.yaml:3", "[LY-5] 颜色对比度不足：状态标签：已结束", "status-ended")
    assert "site.yaml" not in out.split("[LY-5]")[0].splitlines()[-1]


# -- in a browser: a keyword from file:// finds its pages; 【打印】 without scripts shows the print view
def test_keyword_link_searches_from_file_and_print_view_works_without_scripts(project, browser):
    project.page("zwdt/gzdt/kw.md", "营商环境推进会召开", keywords="[营商环境]")
    assert project.build().exit_code == 0
    page = browser.new_page()
    page.goto(project.out("zwdt/gzdt/kw.html").as_uri())
    page.click(".page-keywords a")
    page.wait_for_selector(".result-title a")
    assert page.url.startswith(project.out("search.html").as_uri() + "?q=")
    titles = page.locator(".result-title a").all_inner_texts()
    assert "营商环境推进会召开" in titles
    assert "营商环境" in page.inner_text("#search-status")
    page.close()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(project.out("zwdt/gzdt/kw.html").as_uri())
    assert not page.is_visible("#print-view") and page.is_visible(".channel-nav")
    page.click(".print-link")
    assert page.is_visible("#print-view") and not page.is_visible(".channel-nav") and not page.is_visible(".article-tools")
    page.click("#print-view a")
    assert page.is_visible(".channel-nav") and not page.is_visible("#print-view")
    page.click(".close-link")
    assert page.url == project.out("zwdt/gzdt/index.html").as_uri()
    context.close()


@given(st.lists(st.sampled_from(["<p>", "</p>", "<p>区政府办公室</p>", "<br>", "<br />", "<p class=\"x\">",
                                 "二〇二六年三月一日", "文字", "<em>", "</em>", " ", "\n", "<", ">"]), max_size=25).map("".join))
def test_the_last_paragraph_is_what_a_search_from_every_paragraph_finds(text):
    """The closing finder looks only at the last ``<p>`` (speed); it must find what the regex's
    own search finds, at the same place."""
    found, expected = last_paragraph(text), _TAIL_P.search(text)
    assert (found and (found.start(), found.group(1))) == (expected and (expected.start(), expected.group(1)))
