"""首页区块 (home.blocks) and the citizen entries (interaction:, links:, newmedia:), without a browser.

What a visitor relies on: the home page is composed from the blocks site.yaml names, in that order
(要闻 with its picture, tabs whose lists are all in the HTML, 办事 with 全程网办 first, 领导之窗,
互动交流 with 「我要写信」 and the hotline, 专题 banners, grouped links, 政务新媒体, 国务院信息转载);
a site without ``home:`` keeps its lists; citizens find 「我要写信」, 依申请公开 and 「我要留言」.
Bad input is reported with file:line, rule id and hint, and the previous output stays.
"""
from __future__ import annotations

import re

from govsite.config.site import BLOCK_KINDS

from helpers import fails_cleanly

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="36" viewBox="0 0 64 36"><rect width="64" height="36"/></svg>\n'

INTERACTION = """\
interaction:
  letter_url: https://hd.ceshi.gov.cn/xinxiang/
  consult_url: https://hd.ceshi.gov.cn/zixun/
  complaint_url: https://hd.ceshi.gov.cn/tousu/
  apply_url: https://ysqgk.ceshi.gov.cn/
  hotline: "12345"
links:
  - group: 政府网站
    items:
      - {name: 中国政府网, url: https://www.gov.cn/}
      - {name: 测试市人民政府, url: https://www.ceshishi.gov.cn/}
  - group: 街镇网站
    items:
      - {name: 东湖街道, url: https://dhjd.ceshi.gov.cn/}
newmedia:
  - {name: 测试发布（微信公众号）, image: img/wechat.svg, alt: 测试发布微信公众号二维码}
"""


def portal(project, blocks: str, extra: str = INTERACTION) -> None:
    """A site whose home page uses ``blocks`` (YAML list items, indented four spaces), with the
    columns and pages every block kind can draw on."""
    project.column("zwdt/xzdt", "街镇动态", type="政务动态", order=3)
    project.page("zwdt/xzdt/x1.md", "东湖街道开展消防演练", date="2026-05-20 09:00")
    project.column("hdjl", "互动交流", type="互动交流", order=3)
    project.column("hdjl/qzxx", "区长信箱", order=1)
    project.page("hdjl/qzxx/r1.md", "关于小区路灯维修的来信", date="2026-05-10 09:00", type="reply", kind="建议",
                 received='"2026-05-06"', replied='"2026-05-08"', replying_dept="区城管委", status="已答复",
                 body="## 来信内容\n\n路灯坏了。\n\n## 答复内容\n\n已修复。")
    project.page("hdjl/qzxx/r2.md", "关于公交线路的来信", date="2026-05-28 09:00", type="reply", kind="建议",
                 received='"2026-05-27"', replying_dept="区交通局", status="办理中",
                 body="## 来信内容\n\n加开公交。\n\n## 办理情况\n\n正在办理。")
    project.column("ztzl", "专题专栏", type="专题专栏", order=4)
    project.column("ztzl/yshj", "优化营商环境", image="banner.svg")
    project.write("content/t/ztzl/yshj/banner.svg", SVG)
    project.page("ztzl/yshj/a.md", "营商环境专题文章", date="2026-05-05 09:00")
    project.column("ztzl/yshj/dxal", "典型案例")
    project.page("ztzl/yshj/dxal/c.md", "典型案例一", date="2026-05-06 09:00")
    project.write("content/t/zwdt/gzdt/pic.svg", SVG)
    project.page("zwdt/gzdt/h.md", "区长调研重点项目", date="2026-04-20 09:00", headline="true", image="pic.svg",
                 image_alt="区长在项目工地听取汇报")
    project.write("sites/t/static/img/wechat.svg", SVG)
    project.configure(extra + "home:\n  blocks:\n" + blocks)


def block_order(home: str) -> list[str]:
    return re.findall(r'class="home-block home-(\w+)"', home)


def test_every_block_kind_renders_in_the_order_site_yaml_gives(project):
    portal(project, "".join(f"    - {{block: {kind}{', columns: [zwdt/gzdt]' if kind in ('headline', 'tabs') else ''}}}\n"
                            for kind in reversed(BLOCK_KINDS) if kind not in ("services", "leaders", "reposts"))
           + "    - zwdt/tzgg\n")
    assert project.build().exit_code == 0
    home = project.html("index.html")
    assert block_order(home) == ["newmedia", "links", "topics", "interaction", "tabs", "headline", "list"]


def test_headline_puts_the_headline_page_first_with_its_picture_caption_and_alt(project):
    portal(project, "    - {block: headline, columns: [zwdt/gzdt], title: 要闻动态}\n")
    assert project.build().exit_code == 0
    home = project.html("index.html")
    figure = home[home.index('class="home-block home-headline"'):]
    # the headline page is older than both other pages, yet it is the picture, with its own alt and its title as caption
    assert '<img src="zwdt/gzdt/pic.svg" alt="区长在项目工地听取汇报"' in figure
    assert '<figcaption><a href="zwdt/gzdt/h.html">区长调研重点项目</a></figcaption>' in figure
    # the other pages follow as a list, newest first; one picture needs no controls
    assert figure.index("第二篇工作动态") < figure.index("第一篇工作动态")
    assert "data-carousel-next" not in figure


def test_several_headline_pictures_are_a_set_turned_by_the_visitor_never_by_itself(project):
    portal(project, "    - {block: headline, columns: [zwdt/gzdt]}\n")
    project.write("content/t/zwdt/gzdt/pic2.svg", SVG)
    project.page("zwdt/gzdt/h2.md", "区政府召开常务会议", date="2026-05-25 09:00", headline="true", image="pic2.svg")
    assert project.build().exit_code == 0
    home = project.html("index.html")
    slides = re.findall(r'<li class="carousel-slide[^"]*"', home)
    assert len(slides) == 2 and "is-current" in slides[0]          # both pictures are in the HTML
    assert 'alt="区政府召开常务会议"' in home                           # no image_alt: the title
    controls = home[home.index('class="carousel-controls'):]
    assert controls.startswith('class="carousel-controls js-only"')   # buttons only where a script turns the set
    assert "上一张" in controls and "下一张" in controls and 'aria-label="第2张：区长调研重点项目"' in controls
    script = (project.out("static/js/site.js")).read_text(encoding="utf-8")
    carousel = script[script.index("/* == home: tabs and the"):]
    assert "setInterval" not in carousel and "setTimeout" not in carousel   # no autoplay, nothing to stop


def test_tabs_have_every_list_in_the_html_and_the_aria_tabs_pattern(project):
    portal(project, "    - {block: tabs, columns: [zwdt/gzdt, zwdt/tzgg, zwdt/xzdt]}\n")
    assert project.build().exit_code == 0
    home = project.html("index.html")
    tabs = re.findall(r'<button type="button" role="tab" id="([^"]+)" aria-controls="([^"]+)" aria-selected="(\w+)"', home)
    assert [t[2] for t in tabs] == ["true", "false", "false"]
    for tab_id, panel, _ in tabs:
        assert f'id="{panel}" role="tabpanel" aria-labelledby="{tab_id}"' in home
    # without a script every tab's list is there, under its own heading
    for title in ("第二篇工作动态", "关于开展检查的通知", "东湖街道开展消防演练"):
        assert title in home
    assert home.count('<h3 class="tab-heading">') == 3
    assert 'class="tab-list js-only" role="tablist"' in home


def test_services_put_full_online_items_first(project):
    portal(project, "    - {block: services, items: [{name: 护照办理, url: 'https://zwfw.ceshi.gov.cn/hz/'},"
                    " {name: 社保卡申领, url: 'https://zwfw.ceshi.gov.cn/sbk/', online: true}]}\n")
    assert project.build().exit_code == 0
    home = project.html("index.html")
    block = home[home.index("home-services"):]
    assert block.index("社保卡申领") < block.index("护照办理")
    assert '<a href="https://zwfw.ceshi.gov.cn/sbk/">社保卡申领</a> <span class="tag tag-online-full">全程网办</span>' in block


def test_topics_block_shows_topics_not_their_sub_columns(project):
    portal(project, "    - {block: topics}\n")
    assert project.build().exit_code == 0
    home = project.html("index.html")
    block = home[home.index("home-topics"):home.index("</section>", home.index("home-topics"))]
    assert 'href="ztzl/yshj/index.html"' in block and '<img src="ztzl/yshj/banner.svg"' in block
    assert "典型案例" not in block


def test_interaction_block_letter_page_and_header_entries(project):
    portal(project, "    - {block: interaction, columns: [hdjl/qzxx]}\n")
    assert project.build().exit_code == 0
    home = project.html("index.html")
    block = home[home.index("home-interaction"):]
    for text in ('href="wyxx.html">我要写信', 'href="https://hd.ceshi.gov.cn/zixun/">我要咨询',
                 'href="https://hd.ceshi.gov.cn/tousu/">我要投诉', 'href="https://ysqgk.ceshi.gov.cn/">依申请公开',
                 'href="tel:12345"'):
        assert text in block
    assert "关于小区路灯维修的来信" in block           # the latest published reply
    assert "关于公交线路的来信" not in block           # still being handled: not a published reply
    header = home[home.index('<header'):home.index('</header>')]
    assert '<a class="header-entry" href="wyxx.html">我要写信</a>' in header
    assert 'href="https://ysqgk.ceshi.gov.cn/">依申请公开' in header
    letter = project.html("wyxx.html")
    assert "<h1>我要写信</h1>" in letter
    for href in ("https://hd.ceshi.gov.cn/xinxiang/", "https://hd.ceshi.gov.cn/zixun/", "https://hd.ceshi.gov.cn/tousu/",
                 "https://ysqgk.ceshi.gov.cn/", "mailto:ceshi@ceshi.gov.cn", "tel:12345"):
        assert f'href="{href}"' in letter
    # the letter page is reachable from every page: the footer carries it
    article = project.html("zwdt/gzdt/a.html")
    assert 'href="../../wyxx.html">我要写信' in article


def test_articles_carry_leave_a_message_with_their_address_only_with_consult_url(project):
    project.build()
    assert "我要留言" not in project.html("zwdt/gzdt/a.html")
    project.configure("interaction:\n  consult_url: https://hd.ceshi.gov.cn/zixun/?from=web\n")
    assert project.build().exit_code == 0
    article = project.html("zwdt/gzdt/a.html")
    assert ('<a class="consult-link" href="https://hd.ceshi.gov.cn/zixun/?from=web&amp;url='
            'https%3A%2F%2Fwww.ceshi.gov.cn%2Fzwdt%2Fgzdt%2Fa.html">我要留言</a>') in article
    assert "内容纠错" in article


def test_links_grouped_on_the_home_page_and_in_the_footer_without_script(project):
    portal(project, "    - {block: links}\n    - {block: newmedia}\n")
    assert project.build().exit_code == 0
    home = project.html("index.html")
    block = home[home.index("home-links"):]
    assert block.index("政府网站") < block.index("中国政府网") < block.index("街镇网站") < block.index("东湖街道")
    footer = project.html("zwdt/gzdt/a.html").split('<footer class="site-footer">')[1]
    assert '<details class="footer-link-group">\n<summary>政府网站</summary>' in footer
    assert '<a href="https://www.gov.cn/">中国政府网</a>' in footer
    assert "<select" not in footer
    assert '<img src="static/img/wechat.svg" alt="测试发布微信公众号二维码"' in home
    assert project.out("static/img/wechat.svg").is_file()


def test_reposts_block_from_reprint_column(project):
    project.column("xxgk/gwyxx", "国务院信息转载", type="国务院信息转载")
    project.page("xxgk/gwyxx/g.md", "国务院部署安全生产工作", date="2026-05-26 09:00", source="中国政府网",
                 reprint="{original_url: 'https://www.gov.cn/a.htm', original_site: 中国政府网, original_published: '2026-05-26 08:00'}")
    project.configure("home:\n  blocks:\n    - {block: headline, columns: [zwdt/gzdt]}\n    - {block: reposts, columns: [xxgk/gwyxx]}\n")
    assert project.build().exit_code == 0
    home = project.html("index.html")
    assert block_order(home) == ["headline", "reposts"]
    assert "国务院部署安全生产工作" in home


def test_a_site_without_home_keeps_one_list_per_channel(project):
    assert project.build().exit_code == 0
    home = project.html("index.html")
    assert '<div class="home-blocks">' in home and "home-grid" not in home
    assert re.findall(r'<h2 id="home-block-\d+"><a href="([^"]+)">', home) == ["zwdt/index.html", "xxgk/index.html"]
    # column paths (today's format) still give the same lists
    project.configure("home:\n  blocks: [zwdt/tzgg, zwdt/gzdt]\n")
    assert project.build().exit_code == 0
    home = project.html("index.html")
    assert re.findall(r'<h2 id="home-block-\d+"><a href="([^"]+)">', home) == ["zwdt/tzgg/index.html", "zwdt/gzdt/index.html"]


# -- bad input: file:line, Chinese message with the rule id and a hint, exit 1, previous output intact --
def test_unknown_block_kind_is_reported_with_its_line(project):
    assert project.build().exit_code == 0
    project.configure("home:\n  blocks:\n    - zwdt/gzdt\n    - {block: carousel, columns: [zwdt/gzdt]}\n")
    line = project.root.joinpath("sites/t/site.yaml").read_text(encoding="utf-8").splitlines().index(
        "    - {block: carousel, columns: [zwdt/gzdt]}") + 1
    fails_cleanly(project, f"sites/t/site.yaml:{line}: 错误: [LY-4] block 的值「carousel」无效",
                  "提示：可选：headline、tabs、services")


def test_block_naming_a_missing_column_is_reported(project):
    assert project.build().exit_code == 0
    project.configure("home:\n  blocks:\n    - {block: tabs, columns: [zwdt/gzdt, zwdt/nope]}\n")
    fails_cleanly(project, "sites/t/site.yaml:", "[LY-4] 首页区块 tabs（选项卡）的栏目「zwdt/nope」不存在",
                  "提示：写内容目录下栏目文件夹的路径")


def test_headline_without_columns_is_reported(project):
    assert project.build().exit_code == 0
    project.configure("home:\n  blocks:\n    - {block: headline}\n")
    fails_cleanly(project, "[LY-4] 首页区块 headline（要闻）缺少 columns（区块栏目）", "提示：例如 - {block: headline")


def test_headline_page_whose_image_is_missing_is_reported(project):
    project.configure("home:\n  blocks:\n    - {block: headline, columns: [zwdt/gzdt]}\n")
    assert project.build().exit_code == 0
    project.page("zwdt/gzdt/h.md", "区长调研重点项目", date="2026-04-20 09:00", headline="true", image="gone.jpg")
    fails_cleanly(project, "content/t/zwdt/gzdt/h.md:5: 错误: [LK-1] 要闻页面的图片 image「gone.jpg」不存在",
                  "提示：把图片放在该页面同一目录")


def test_malformed_interaction_and_links_urls_are_reported_together(project):
    assert project.build().exit_code == 0
    project.configure("interaction:\n  letter_url: hd.ceshi.gov.cn/xinxiang\n  hotline: '12345'\n"
                      "links:\n  - group: 政府网站\n    items:\n      - {name: 中国政府网, url: 'www.gov.cn'}\n")
    output = fails_cleanly(project, "[LK-1] interaction.letter_url 「hd.ceshi.gov.cn/xinxiang」无法识别",
                           "提示：写完整网址", "[LK-1] links[0].items[0].url 「www.gov.cn」无法识别",
                           "提示：例如 url: https://www.gov.cn/")
    lines = re.findall(r"sites/t/site\.yaml:(\d+): 错误", output)
    assert len(set(lines)) == 2   # each on its own line


def test_link_group_without_items_is_reported(project):
    assert project.build().exit_code == 0
    project.configure("links:\n  - group: 政府网站\n")
    fails_cleanly(project, "[LK-1]", "缺少必填项 links[0].items（链接）")


def test_the_demo_home_page_uses_every_block_kind_with_reposts_in_the_first_row(demo):
    home = (demo / "index.html").read_text(encoding="utf-8")
    order = block_order(home)
    assert set(order) == set(BLOCK_KINDS) | {"list"}
    assert order[:2] == ["headline", "reposts"]     # 国务院信息转载 beside 要闻, above the fold at 1280 px
    assert (demo / "wyxx.html").is_file()
    for img in re.findall(r'<img src="([^"]+)"', home[home.index('<main'):home.index('</main>')]):
        assert (demo / img).is_file(), img           # every picture of the home page is there


def test_newmedia_qr_image_that_is_not_there_is_reported(project):
    portal(project, "    - {block: newmedia}\n", extra=INTERACTION.replace("img/wechat.svg", "img/gone.svg"))
    project.configure(replace={"    - {block: newmedia}\n": "    - zwdt/gzdt\n"})
    assert project.build().exit_code == 0
    project.configure(replace={"    - zwdt/gzdt\n": "    - {block: newmedia}\n"})
    line = project.root.joinpath("sites/t/site.yaml").read_text(encoding="utf-8").splitlines().index(
        "  - {name: 测试发布（微信公众号）, image: img/gone.svg, alt: 测试发布微信公众号二维码}") + 1
    fails_cleanly(project, f"sites/t/site.yaml:{line}: 错误: [LK-1] 政务新媒体二维码图片「img/gone.svg」不存在",
                  "提示：把图片放在 sites/t/static/img/gone.svg")
