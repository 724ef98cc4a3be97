"""负责人信息 (S5): profiles, rank order in the column, back-links and the 政务公开 lead check."""
from __future__ import annotations

import yaml

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="3" height="4"><rect width="3" height="4"/></svg>\n'


def write_leader(project, slug, name, order, date="2026-01-15 09:00", body="## 简历\n\n某某，1970年生。\n", **changes):
    fields = {"type": "leader", "name": name, "photo": {"file": f"{slug}.svg", "alt": f"{name}同志标准照"},
              "position": "副区长", "order": order, "responsibilities": [f"负责{name}分管的工作。"],
              "in_charge_of": ["教育"], **changes}
    fields = {k: v for k, v in fields.items() if v is not None}
    head = yaml.safe_dump({"title": name, "date": date, **fields}, allow_unicode=True, sort_keys=False)
    project.write(f"content/t/gk/ldxx/{slug}.svg", SVG)
    return project.write(f"content/t/gk/ldxx/{slug}.md", f"---\n{head}---\n\n{body}")


def line_of(path, key) -> int:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith(key + ":"):
            return n
    raise AssertionError(key)


def leaders_site(project):
    project.column("gk", "政府信息公开", type="信息公开目录", order=6)
    project.column("gk/ldxx", "领导信息", type="负责人信息")
    # dates newest-first would put 丙 first; rank order must win
    write_leader(project, "jia", "甲区长", 1, date="2026-01-15 09:00", position="区长", principal=True,
                 in_charge_of=["区政府全面工作", "政务公开"])
    write_leader(project, "yi", "乙副区长", 2, date="2026-01-15 09:05")
    write_leader(project, "bing", "丙副区长", 3, date="2026-01-15 09:10")


def test_leader_page_shows_photo_position_and_resume(project):
    leaders_site(project)
    result = project.build()
    assert result.exit_code == 0, result.output
    html = project.html("gk/ldxx/jia.html")
    assert '<img class="leader-photo" src="jia.svg" alt="甲区长同志标准照"' in html
    assert '<th scope="row">职务</th><td>区长<span class="leader-principal">（主要负责人）</span></td>' in html
    assert "区政府全面工作、政务公开" in html and "负责甲区长分管的工作。" in html
    assert "某某，1970年生。" in html
    assert project.out("gk/ldxx/jia.svg").is_file()


def test_column_lists_leaders_by_order_with_photo(project):
    leaders_site(project)
    assert project.build().exit_code == 0
    html = project.html("gk/ldxx/index.html")
    assert 'class="leader-list"' in html
    assert html.index("甲区长") < html.index("乙副区长") < html.index("丙副区长")
    assert 'src="yi.svg"' in html and "副区长" in html
    page = project.html("gk/ldxx/yi.html")
    nav = page[page.index('class="prev-next"'):]
    assert '上一篇：<a href="jia.html">' in nav and '下一篇：<a href="bing.html">' in nav
    block = project.html("gk/index.html")  # the channel block follows the same order
    assert block.index("甲区长") < block.index("乙副区长") < block.index("丙副区长")


def test_former_leader_is_marked_and_listed_last(project):
    leaders_site(project)
    write_leader(project, "ding", "丁前副区长", 0, term={"from": "2021-01-01", "to": "2025-12-31"})
    assert project.build().exit_code == 0
    html = project.html("gk/ldxx/ding.html")
    assert "已归档" in html and "离任" in html and "2025-12-31 离任" in html
    listing = project.html("gk/ldxx/index.html")
    assert listing.index("丙副区长") < listing.index("丁前副区长")


def test_backlinks_from_interpretation_and_news(project):
    leaders_site(project)
    project.column("zcwj", "政策文件", type="政策文件", order=4)
    project.page("zcwj/p.md", "测试政策", type="policy", doc_kind="其他政策性文件", issuer="测试区人民政府",
                 signed="2026-01-05", status="有效")
    project.column("zcjd", "政策解读", type="政策解读", order=5)
    project.page("zcjd/jd.md", "测试政策解读", type="interpretation", interprets="[../zcwj/p.md]",
                 interpreting_org="测试区人民政府", form="文字", interpreter="../gk/ldxx/yi.md")
    project.page("zwdt/gzdt/c.md", "乙副区长调研教育工作", leaders="[../../gk/ldxx/yi.md]")
    result = project.build()
    assert result.exit_code == 0, result.output
    html = project.html("gk/ldxx/yi.html")
    assert 'href="../../zcjd/jd.html">测试政策解读' in html
    assert 'href="../../zwdt/gzdt/c.html">乙副区长调研教育工作' in html
    assert 'href="../gk/ldxx/yi.html">乙副区长</a>（副区长）' in project.html("zcjd/jd.html")


def test_bad_leader_reference(project):
    leaders_site(project)
    path = project.page("zwdt/gzdt/c.md", "调研", leaders="[../../gk/ldxx/nobody.md]")
    result = project.build()
    assert result.exit_code != 0
    assert f"c.md:{line_of(path, 'leaders')}" in result.output and "nobody.md」不是本站的负责人信息页面" in result.output


def test_missing_photo_file_and_required_fields(project):
    project.column("gk", "政府信息公开", type="信息公开目录", order=6)
    project.column("gk/ldxx", "领导信息", type="负责人信息")
    path = project.write("content/t/gk/ldxx/x.md", "---\ntitle: 某某\ndate: 2026-01-15 09:00\ntype: leader\n"
                         "name: 某某\nphoto: nophoto.jpg\norder: 1\n---\n\n## 简历\n\n简历。\n")
    result = project.build()
    assert result.exit_code != 0
    assert f"x.md:{line_of(path, 'photo')}" in result.output and "nophoto.jpg」不存在" in result.output
    assert "缺少必填字段 position（职务）" in result.output
    assert "缺少必填字段 responsibilities（分管工作）" in result.output


def test_exactly_one_disclosure_lead(project):
    leaders_site(project)
    result = project.build()
    assert result.exit_code == 0 and "[P1]" not in result.output
    write_leader(project, "yi", "乙副区长", 2, in_charge_of=["政务公开"])
    result = project.build()
    assert result.exit_code == 0  # a warning, not an error
    assert "[P1]" in result.output and "2 位现任负责人分管政务公开（甲区长、乙副区长）" in result.output


def test_no_disclosure_lead_warns(project):
    project.column("gk", "政府信息公开", type="信息公开目录", order=6)
    project.column("gk/ldxx", "领导信息", type="负责人信息")
    write_leader(project, "yi", "乙副区长", 2)
    result = project.build()
    assert result.exit_code == 0
    assert "_column.yaml:1" in result.output and "没有分管政务公开的负责人" in result.output


def test_demo_leaders(demo):
    html = (demo / "xxgk/ldxx/index.html").read_text(encoding="utf-8")
    names = ["林向东", "陈立华", "王慧敏", "赵国平"]
    assert [html.index(n) for n in names] == sorted(html.index(n) for n in names)
    page = (demo / "xxgk/ldxx/chenlihua.html").read_text(encoding="utf-8")
    assert 'alt="陈立华同志标准照"' in page and "2025-11-17-xxgk-gd-jd.html" in page


def test_bad_order_is_reported_not_crashing(project):
    leaders_site(project)
    path = write_leader(project, "yi", "乙副区长", "第二")
    result = project.build()
    assert result.exit_code != 0
    assert f"yi.md:{line_of(path, 'order')}" in result.output and "order（排列顺序）应是不小于 0 的整数" in result.output


def test_former_leader_does_not_count_as_disclosure_lead(project):
    leaders_site(project)
    write_leader(project, "ding", "丁前副区长", 5, in_charge_of=["政务公开"], term={"from": "2021-01-01", "to": "2025-12-31"})
    result = project.build()
    assert result.exit_code == 0 and "[P1]" not in result.output
