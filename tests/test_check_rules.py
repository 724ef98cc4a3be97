"""``govsite check``: for every rule, one change to a clean site that triggers it and a near miss
that passes. The clean site (checkfix.clean) has no finding at all at the pinned time NOW
(2026-06-01 12:00, a Monday)."""
from __future__ import annotations

import pytest

from govsite.config.rules import RULES

from checkfix import REPLY_BODY, check, clean, copy_project, found, rules


def _columns(p, names, **kw):
    for name in names:
        p.column(name, f"栏目{name}", **kw)


# -- each case: rule id, trigger(project), near miss(project) ---------------------------------------
def id1_bad(p):
    text = (p.root / "sites/t/site.yaml").read_text(encoding="utf-8")
    p.write("sites/t/site.yaml", text.replace('site_code: "3399020001"', 'site_code: "33990200"'))


def id1_format_bad(p):
    text = (p.root / "sites/t/site.yaml").read_text(encoding="utf-8")
    p.write("sites/t/site.yaml", text.replace("domain: www.ceshi.gov.cn", "domain: www.ceshi.com"))


def id4_bad(p):
    p.page("zwdt/gzdt/ad.md", "便民信息", date="2026-05-29 09:00", body="本店商品限时抢购，欢迎选购。")


def id4_ok(p):
    p.page("zwdt/gzdt/ad.md", "便民信息", date="2026-05-29 09:00", body="区政府采购中心发布采购意向公开。")


def id4_host_bad(p):
    p.page("zwdt/gzdt/ad.md", "便民信息", date="2026-05-29 09:00",
           body='<script src="https://pos.baidu.com/s.js"></script>\n\n正文。')


def co1_bad(p):
    _columns(p, ["zwdt/gzdt/a", "zwdt/gzdt/a/b"])
    p.page("zwdt/gzdt/a/b/x.md", "四级栏目中的页面", date="2026-05-29 09:00")
    p.page("zwdt/gzdt/a/y.md", "三级栏目中的页面", date="2026-05-29 09:00")


def co1_ok(p):
    _columns(p, ["zwdt/gzdt/a"])
    p.page("zwdt/gzdt/a/y.md", "三级栏目中的页面", date="2026-05-29 09:00")


def _channels(p, count):
    extra = [f"c{i}" for i in range(count - 3)]
    for name in extra:
        p.column(name, f"频道{name}", type="其他", source="区政府办公室")
        p.page(f"{name}/p.md", f"频道{name}的页面", date="2026-05-29 09:00")
    text = (p.root / "sites/t/site.yaml").read_text(encoding="utf-8")
    p.write("sites/t/site.yaml", text.replace("channels: [zwdt, xxgk]", f"channels: [zwdt, xxgk, hdjl, {', '.join(extra)}]"))


def co3_bad(p):
    p.column("zwdt/kong", "空栏目", type="其他")


def co3_ok(p):
    p.column("zwdt/kong", "不空的栏目", type="其他")
    p.page("zwdt/kong/x.md", "有内容", date="2026-05-29 09:00")


def _empty(p, count):
    for i in range(count):
        p.column(f"xxgk/e{i}", f"空栏目{i}", type="其他")


def co4_bad(p):
    p.column("zwdt/bmdt", "部门动态", type="政务动态")
    p.page("zwdt/bmdt/x.md", "部门动态一则", date="2026-05-10 09:00")


def co4_ok(p):
    p.column("zwdt/bmdt", "部门动态", type="政务动态")
    p.page("zwdt/bmdt/x.md", "部门动态一则", date="2026-05-25 09:00")


def ck3_bad(p):
    (p.content / "zwdt/gzdt/fresh.md").unlink()


def ck4_bad(p):
    _empty(p, 5)


def ck4_ok(p):
    _empty(p, 4)


def ck1_bad(p):
    p.page("zwdt/gzdt/w.md", "工作进展", date="2026-05-29 09:00", body="截止目前，全区已完成改造。")


def ck1_ok(p):
    p.page("zwdt/gzdt/w.md", "工作进展", date="2026-05-29 09:00", body="截至目前，全区已完成改造。")


def ck1_date_bad(p):
    p.page("zwdt/gzdt/f.md", "提前写好的稿件", date="2026-06-05 09:00")


def ck1_date_ok(p):
    p.page("zwdt/gzdt/f.md", "提前写好的稿件", date="2026-06-05 09:00", publish="2026-06-05 09:00")


def cp1_bad(p):
    p.column("qt", "其他信息", type="其他")
    p.page("qt/x.md", "没有来源的信息", date="2026-05-29 09:00")


def cp1_ok(p):
    p.column("qt", "其他信息", type="其他")
    p.page("qt/x.md", "写明来源的信息", date="2026-05-29 09:00", source="区统计局")


def dup_bad(p):
    p.page("zwdt/gzdt/d1.md", "关于开展消防检查的通知", date="2026-05-10 09:00")
    p.page("zwdt/gzdt/d2.md", "关于开展消防检查的通知", date="2026-05-20 09:00")


def dup_ok(p):
    p.page("zwdt/gzdt/d1.md", "关于开展消防检查的通知", date="2026-04-01 09:00")
    p.page("zwdt/gzdt/d2.md", "关于开展消防检查的通知", date="2026-05-20 09:00")


def cp4_bad(p):
    p.page("zwdt/gzdt/zz.md", "国务院常务会议", date="2026-05-29 09:00", reprint="{original_site: 中国政府网}")


def cp4_ok(p):
    p.page("zwdt/gzdt/zz.md", "国务院常务会议", date="2026-05-29 09:00",
           reprint="{original_site: 中国政府网, original_url: 'https://www.gov.cn/a.htm', original_published: 2026-05-29 08:00}")


def cp4_lag_bad(p):  # Friday 18:00 → Tuesday: more than 1 working day
    p.page("zwdt/gzdt/zz.md", "国务院常务会议", date="2026-06-02 08:00", source="中国政府网",
           reprint="{original_site: 中国政府网, original_url: 'https://www.gov.cn/a.htm', original_published: 2026-05-29 18:00}")


def cp4_lag_ok(p):  # Friday 18:00 → Monday: within 1 working day
    p.page("zwdt/gzdt/zz.md", "国务院常务会议", date="2026-06-01 09:00", source="中国政府网",
           reprint="{original_site: 中国政府网, original_url: 'https://www.gov.cn/a.htm', original_published: 2026-05-29 18:00}")


def lk1_bad(p):
    p.page("zwdt/gzdt/l.md", "带链接", date="2026-05-29 09:00", body="正文。\n\n见[通知](../tzgg/n1.md#nope)。")


def lk1_ok(p):
    p.page("zwdt/gzdt/l.md", "带链接", date="2026-05-29 09:00", body="正文。\n\n见[通知](../tzgg/n1.md#top)。")


def lk1_raw_bad(p):
    p.page("zwdt/gzdt/l.md", "带链接", date="2026-05-29 09:00", body='<p><a href="missing.html">旧链接</a></p>')


def lk1_ref_bad(p):
    p.page("zwdt/gzdt/j.md", "某文件解读", date="2026-05-29 09:00", type="interpretation",
           interprets="[../../zcwj/none.md]", source="区政府办公室")


def lk1s_bad(p):
    p.page("zwdt/tzgg/later.md", "下周发布的通知", date="2026-06-08 09:00", publish="2026-06-08 09:00")
    p.page("zwdt/gzdt/l.md", "带链接", date="2026-05-29 09:00", body="见[通知](../tzgg/later.md)。")


def lk1s_ok(p):
    p.page("zwdt/gzdt/l.md", "带链接", date="2026-05-29 09:00", body="见[通知](../tzgg/n1.md)。")


def lk2_bad(p):
    p.page("zwdt/gzdt/o.md", "外链", date="2026-05-29 09:00", body="详见[报道](https://news.example.com/a.html)。")


def lk2_ok(p):
    p.page("zwdt/gzdt/o.md", "外链", date="2026-05-29 09:00", body="详见[原文](https://www.gov.cn/a.html)。")


def hidden_bad(p):
    p.page("zwdt/gzdt/h.md", "页面", date="2026-05-29 09:00",
           body='正文。\n\n<div style="display:none"><a href="https://casino.example.com/">x</a></div>\n')


def hidden_attr_bad(p):
    p.page("zwdt/gzdt/h.md", "页面", date="2026-05-29 09:00",
           body='<p>正文<a href="https://spam.example.com/" style="font-size:0">x</a></p>\n')


def hidden_ok(p):
    p.page("zwdt/gzdt/h.md", "页面", date="2026-05-29 09:00",
           body='<p>正文，参见<a href="https://www.example.com/">示例网站</a>。</p>\n')


def ax1_bad(p):
    p.write("content/t/zwdt/gzdt/pic.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    p.page("zwdt/gzdt/i.md", "图片", date="2026-05-29 09:00", body="会议现场：\n\n![](pic.svg)")


def ax1_ok(p):
    p.write("content/t/zwdt/gzdt/pic.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    p.page("zwdt/gzdt/i.md", "图片", date="2026-05-29 09:00", body="会议现场：\n\n![会议现场](pic.svg)")


CATALOGUE = dict(type="catalogue_item", content="[预算报告, 预算表]", basis="《预算法》第十四条",
                 time_limit="{text: 批准后20日内, rule: {kind: periodic, every: year}}", subject="区财政局",
                 mode="主动公开", site_targets="[xxgk]")


def gk2_bad(p):
    fields = dict(CATALOGUE)
    del fields["basis"]
    p.page("xxgk/ml.md", "财政预算", date="2026-05-29 09:00", **fields)


def gk2_ok(p):
    p.page("xxgk/ml.md", "财政预算", date="2026-05-29 09:00", **CATALOGUE)


def gk2r_bad(p):
    p.page("xxgk/ysq.md", "某事项", date="2026-05-29 09:00", disclosure="{attribute: 不予公开}")


def gk2r_ok(p):
    p.page("xxgk/ysq.md", "某事项", date="2026-05-29 09:00",
           disclosure="{attribute: 不予公开, reason: 涉及第三方商业秘密（条例第十五条）}")


def gk3_bad(p):
    p.page("xxgk/dg.md", "待发布的信息", date="2026-06-10 09:00", draft="true", created='"2026-04-20"')


def gk3_ok(p):
    p.page("xxgk/dg.md", "待发布的信息", date="2026-06-10 09:00", draft="true", created='"2026-05-25"')


def gk3_periodic_bad(p):
    fields = dict(CATALOGUE, time_limit="{text: 每月, rule: {kind: periodic, every: month}}",
                  site_targets="[zwdt/tzgg]")
    p.page("xxgk/ml.md", "月度信息", date="2026-05-29 09:00", **fields)


def gk3_late_bad(p):
    p.page("xxgk/late.md", "晚发布的信息", date="2026-05-29 09:00", created='"2026-03-02"')


def gk3_late_ok(p):
    p.page("xxgk/late.md", "按时发布的信息", date="2026-05-29 09:00", created='"2026-05-20"')


def _policy(p, date="2026-05-18 09:00", **kw):
    p.column("zcwj", "政策文件", type="政策文件", source="区政府办公室")
    p.page("zcwj/zc.md", "关于某事项的实施意见", date=date, type="policy", doc_kind="行政规范性文件",
           status="有效", issuer="测试区人民政府", doc_no="测政发〔2026〕1号", signed='"2026-05-15"', **kw)


def gk4_bad(p):
    _policy(p)


def gk4_ok(p):
    _policy(p)
    p.page("zcwj/jd.md", "《实施意见》解读", date="2026-05-20 09:00", type="interpretation", interprets="[zc.md]",
           interpreting_org="测试区人民政府办公室", form="文字")


def gk4_reason_ok(p):
    _policy(p, no_interpretation_reason="内部工作安排，不涉及公众权利义务")


def _gazette(p, carried):
    """A 公报 issue of 2026 carrying ``carried`` of two 行政规范性文件 signed in 2026 (GK-5.gazette)."""
    p.column("zcwj", "政策文件", type="政策文件", source="区政府办公室")
    p.column("zcwj/gb", "政府公报", type="政府公报", source="区政府办公室")
    for name, signed in (("a", "2026-02-02"), ("b", "2026-03-02")):
        p.page(f"zcwj/{name}.md", f"关于{name}事项的管理办法", date=f"{signed} 09:00", type="policy",
               doc_kind="行政规范性文件", status="有效", issuer="测试区人民政府", doc_no=f"测政发〔2026〕{ord(name)}号",
               signed=f'"{signed}"', no_interpretation_reason="仅调整内部办理程序")
    p.write("content/t/zcwj/gb/1.pdf", b"%PDF-1.4\n%%EOF\n")
    p.page("zcwj/gb/1.md", "测试区人民政府公报 2026年第1期", date="2026-04-01 09:00", type="gazette", year=2026,
           number=1, pdf="1.pdf", documents="[" + ", ".join(f"../{n}.md" for n in carried) + "]")


def gk4_late_bad(p):
    _policy(p)
    p.page("zcwj/jd.md", "《实施意见》解读", date="2026-05-29 09:00", type="interpretation", interprets="[zc.md]",
           interpreting_org="测试区人民政府办公室", form="文字")


def _reply(p, received, replied=None, name="r2.md"):
    fields = dict(type="reply", kind="咨询", status="办理中", received=f'"{received}"', replying_dept="区住建委")
    if replied:
        fields.update(replied=f'"{replied}"', status="已答复")
    p.page(f"hdjl/{name}", "关于小区加装电梯的咨询", date="2026-05-29 09:00", body=REPLY_BODY, **fields)


def ia1_bad(p):
    _reply(p, "2026-05-06")


def ia1_ok(p):
    _reply(p, "2026-05-20")


def ia1_late_bad(p):
    _reply(p, "2026-04-01", "2026-05-08")


def ia1_late_ok(p):
    _reply(p, "2026-04-01", "2026-04-20")


def ck5_bad(p):
    _reply(p, "2026-01-05", "2026-04-20")


def ck5_ok(p):
    _reply(p, "2026-01-05", "2026-01-23")


def ck5c_bad(p):
    for name in ("r1.md", "_column.yaml"):
        (p.content / "hdjl" / name).unlink()
    (p.content / "hdjl").rmdir()


def ck5c_platform_ok(p):
    """No 互动交流 column, but the site links the platform's consultation channel (我要咨询)."""
    ck5c_bad(p)
    p.configure("interaction:\n  consult_url: https://www.example.gov.cn/hdjl/zxzx/\n")


def _dataset(p, last):
    p.column("sjkf", "数据开放", type="数据开放", source="区大数据中心")
    p.write("content/t/sjkf/ds.csv", "企业名称,地址\n甲公司,人民路1号\n")
    p.page("sjkf/ds.md", "企业名录", date="2026-01-10 09:00", type="dataset", update_frequency="月",
           last_updated=f'"{last}"', dataset_id="T-1", publisher="区市场监管局", topic="市场监管",
           open_level="无条件开放", category="企业", status="有效", files="[{path: ds.csv}]",
           schema="[企业名称, 地址]")


def cfg_bad(p):
    text = (p.root / "sites/t/site.yaml").read_text(encoding="utf-8")
    p.write("sites/t/site.yaml", text + "check:\n  home_days: -1\n")


def cfg_ok(p):
    text = (p.root / "sites/t/site.yaml").read_text(encoding="utf-8")
    p.write("sites/t/site.yaml", text + "check:\n  home_days: 10\n")


def noop(p):
    pass


CASES = [
    ("ID-1", id1_bad, noop),
    ("ID-1.format", id1_format_bad, noop),
    ("ID-4", id4_bad, id4_ok),
    ("ID-4", id4_host_bad, id4_ok),
    ("CO-1", co1_bad, co1_ok),
    ("CO-2", lambda p: _channels(p, 9), lambda p: _channels(p, 8)),
    ("CO-3", co3_bad, co3_ok),
    ("CO-4", co4_bad, co4_ok),
    ("CK-3", ck3_bad, noop),
    ("CK-4", ck4_bad, ck4_ok),
    ("CK-1", ck1_bad, ck1_ok),
    ("CK-1.date", ck1_date_bad, ck1_date_ok),
    ("CP-1", cp1_bad, cp1_ok),
    ("CP-1.dup", dup_bad, dup_ok),
    ("CP-4", cp4_bad, cp4_ok),
    ("CP-4.lag", cp4_lag_bad, cp4_lag_ok),
    ("LK-1", lk1_bad, lk1_ok),
    ("LK-1", lk1_raw_bad, lk1_ok),
    ("LK-1", lk1_ref_bad, noop),
    ("LK-1.scheduled", lk1s_bad, lk1s_ok),
    ("LK-2", lk2_bad, lk2_ok),
    ("LK-2.hidden", hidden_bad, hidden_ok),
    ("LK-2.hidden", hidden_attr_bad, hidden_ok),
    ("AX-1", ax1_bad, ax1_ok),
    ("GK-2", gk2_bad, gk2_ok),
    ("GK-2.reason", gk2r_bad, gk2r_ok),
    ("GK-3", gk3_bad, gk3_ok),
    ("GK-3", gk3_periodic_bad, gk2_ok),
    ("GK-3.late", gk3_late_bad, gk3_late_ok),
    ("GK-4", gk4_bad, gk4_ok),
    ("GK-4", gk4_bad, gk4_reason_ok),
    ("GK-4.late", gk4_late_bad, gk4_ok),
    ("GK-5.gazette", lambda p: _gazette(p, "a"), lambda p: _gazette(p, "ab")),
    ("IA-1", ia1_bad, ia1_ok),
    ("IA-1.late", ia1_late_bad, ia1_late_ok),
    ("CK-5", ck5_bad, ck5_ok),
    ("CK-5.channel", ck5c_bad, noop),
    ("CK-5.channel", ck5c_bad, ck5c_platform_ok),
    ("DA-2", lambda p: _dataset(p, "2026-03-01"), lambda p: _dataset(p, "2026-05-15")),
    ("CFG", cfg_bad, cfg_ok),
]


def test_clean_site_has_no_finding(project):
    result = check(clean(project))
    assert result.findings == [], [f.message for f in result.findings]
    assert result.output_mode == "rendered" and result.outputs > 5


def test_every_rule_has_a_case():
    covered = {rule for rule, _, _ in CASES}
    missing = set(RULES) - covered - {"MT-1", "MT-2", "MT-3", "MT-4"}  # tests/test_check_output.py
    missing -= {"CO-6", "GK-1.present", "GK-1.annual", "GK-1.late", "CK-6", "LK-3", "ID-1.valid", "CK-1.map"}  # test_presence.py
    assert not missing, missing


@pytest.mark.parametrize("rule_id,trigger,near_miss", CASES,
                         ids=[f"{c[0]}-{c[1].__name__}" for c in CASES])
def test_rule_triggers_and_near_miss_passes(project, rule_id, trigger, near_miss):
    clean(project)
    other = copy_project(project, "near-miss")
    near_miss(other)
    assert rule_id not in rules(check(other)), "near miss must pass"
    trigger(project)
    result = check(project)
    hits = found(result, rule_id)
    assert hits, f"{rule_id} not reported; got {sorted(rules(result))}"
    for f in hits:
        assert f.message.startswith(f"[{rule_id}]")
        assert f.hint
        assert f.path and (f.line > 0 or f.rule in ("CO-2",)), f


def test_wording_error_has_line_and_column(project):
    clean(project)
    ck1_bad(project)
    [hit] = found(check(project), "CK-1")
    assert hit.path.endswith("zwdt/gzdt/w.md")
    assert (hit.line, hit.column) == (6, 1)
    assert "截至目前" in hit.message and hit.severity == "error" and hit.veto


def test_link_problem_is_reported_at_the_source_line(project):
    clean(project)
    lk1_bad(project)
    [hit] = found(check(project), "LK-1")
    assert hit.path.endswith("zwdt/gzdt/l.md") and hit.line == 8
    assert hit.url == "zwdt/gzdt/l.html"


def test_hidden_link_found_in_output_and_mapped_to_source(project):
    clean(project)
    hidden_bad(project)
    [hit] = found(check(project), "LK-2.hidden")
    assert hit.path.endswith("zwdt/gzdt/h.md") and "casino.example.com" in hit.message
    assert "所在的元素被隐藏" in hit.message


WEIRD = ["5", "[1, 2]", "{a: b}", "''", "true", '"not a date"', "2026-05-01"]


@pytest.mark.parametrize("value", WEIRD)
def test_odd_front_matter_values_never_crash(project, value):
    clean(project)
    keys = ["interprets", "received", "replied", "reprint", "time_limit", "site_targets", "disclosure",
            "update_frequency", "last_updated", "created", "updated", "catalogue_items", "deadline", "status",
            "doc_kind", "needs_interpretation", "no_interpretation_reason", "content", "mode"]
    for i, kind in enumerate(["policy", "interpretation", "reply", "catalogue_item", "dataset", "news"]):
        project.page(f"xxgk/odd{i}.md", f"奇怪的值{i}", date="2026-05-29 09:00", type=kind,
                     **{k: value for k in keys})
    text = (project.root / "sites/t/site.yaml").read_text(encoding="utf-8")
    project.write("sites/t/site.yaml", text + f"check:\n  reply: {value}\n  freshness: {value}\n")
    result = check(project)
    assert all(f.message.startswith("[") for f in result.findings)
