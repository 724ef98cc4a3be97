"""Replies (互动答复, IA-1), reply statistics, notices (公示) and consultations (意见征集, IA-2).

Working days are counted with the Chinese calendar: the tests put replies and 公示 periods across
国庆 2026 (10-01..10-07 off, Saturday 10-10 a 调休 working day) so a count by weekdays alone
would give other numbers.
"""
from __future__ import annotations

import json
import re

from checkfix import REPLY_BODY

STATS_NOW = "2026-11-24 10:00"


def _interaction(project, consultations=False):
    project.column("hdjl", "互动交流", type="互动交流", order=3, views="[reply_stats]")
    (project.column("hdjl/zj", "意见征集", type="互动交流") if consultations
     else project.column("hdjl/xx", "区长信箱", type="互动交流"))


def _reply(project, name, received, replied=None, status=None, dept="区教育局", kind="咨询", date=None, **extra):
    fields = dict(type="reply", kind=kind, received=f'"{received}"', replying_dept=dept,
                  status=status or ("已答复" if replied else "办理中"))
    if replied:
        fields["replied"] = f'"{replied}"'
    fields.update(extra)
    project.page(f"hdjl/xx/{name}.md", f"关于{name}的答复", date=date or f"{replied or received} 12:00",
                 body=REPLY_BODY, **fields)


def _row(html, table_id, name):
    """The cells of the row headed ``name`` in the table ``table_id``."""
    table = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    row = re.search(rf'<tr><th scope="row">{re.escape(name)}</th>(.*?)</tr>', table)
    assert row, (name, table)
    return re.findall(r"<td>(.*?)</td>", row.group(1))


# -- replies ----------------------------------------------------------------------------------------
def test_reply_page_shows_the_ia1_fields_as_a_table(project):
    _interaction(project)
    _reply(project, "r1", "2026-09-28", "2026-10-16", asker="张三丰", typical_case="true")
    result = project.build(now=STATS_NOW)
    assert result.exit_code == 0, result.output
    html = project.html("hdjl/xx/r1.html")
    for label, value in (("受理日期", "2026-09-28"), ("答复日期", "2026-10-16"), ("答复部门", "区教育局")):
        assert re.search(rf'<th scope="row">{label}</th><td>(<time[^>]*>)?{value}', html), label
    assert "<th scope=\"row\">来信人</th><td>张**</td>" in html  # the full name is never shown
    # 18 calendar days, but 国庆 is off and Saturday 10-10 is a working day: 10 working days
    assert "<td>10个工作日</td>" in html and "（截至 2026-10-23）" in html
    assert '<h2 id="答复内容">答复内容</h2>' in html and "典型案例" in html
    assert "超过答复时限" not in html


def test_reply_from_front_matter_question_and_answer(project):
    _interaction(project)
    project.page("hdjl/xx/faq.md", "关于办事时间的咨询", date="2026-05-20 09:00", type="reply", kind="便民问答",
                 received='"2026-05-18"', replied='"2026-05-19"', replying_dept="区政务服务办", status="已答复",
                 question="周六可以办理业务吗？", answer="区政务服务中心周六上午9:00至12:00提供延时服务。", body="")
    assert project.build().exit_code == 0
    html = project.html("hdjl/xx/faq.html")
    assert '<h2 id="reply-question-title">来信内容</h2>' in html and "周六可以办理业务吗？" in html
    assert '<h2 id="reply-answer-title">答复内容</h2>' in html and "延时服务" in html


def test_reply_status_badge_in_lists_and_overdue_marker(project):
    _interaction(project)
    _reply(project, "open", "2026-05-06", date="2026-05-07 09:00")      # due 2026-05-26 (15 working days)
    assert project.build().exit_code == 0
    assert '<span class="tag status-progress">办理中</span>' in project.html("hdjl/xx/index.html")
    assert "超过答复时限" in project.html("hdjl/xx/open.html")


def test_bad_reply_metadata_is_reported_with_path_and_line(project):
    _interaction(project)
    _reply(project, "a", "2026-05-06", status="已审核")                          # unknown status
    _reply(project, "b", "2026-05-10", "2026-05-08")                           # replied before received
    _reply(project, "c", "2026-05-06", status="已答复")                          # 已答复 without 答复日期
    _reply(project, "d", "2026-05-06", status="不予受理")                         # no reason
    project.page("hdjl/xx/e.md", "旧字段", type="reply", kind="咨询", status="已答复", received='"2026-05-06"',
                 replied='"2026-05-08"', department="区教育局", body=REPLY_BODY)  # pre-migration field
    _reply(project, "f", "2026-05-06", "2026-05-08", public="false")            # not public, no reason
    _reply(project, "g", "2026-05-06", "2026-05-08", deadline="{extended_to: 30}")  # extension without reason
    result = project.build()
    assert result.exit_code == 1
    out = result.output
    # _reply writes lines: 2 title, 3 date, 4 type, 5 kind, 6 received, 7 replying_dept, 8 status, 9 replied, then extras
    assert "content/t/hdjl/xx/a.md:8: 错误: [IA-1] status（办理状态）的值「已审核」无效" in out
    assert "content/t/hdjl/xx/b.md:9: 错误: [IA-1] 答复日期 2026-05-08 早于受理日期 2026-05-10" in out
    assert "content/t/hdjl/xx/c.md:8: 错误: [IA-1] 状态为已答复，但缺少答复日期 replied" in out
    assert "content/t/hdjl/xx/d.md:8: 错误: [IA-1] 状态为不予受理，但没有写明理由" in out
    assert "content/t/hdjl/xx/e.md:9: 错误: [IA-1] department 已改名为 replying_dept" in out
    assert "content/t/hdjl/xx/f.md:10: 错误: [IA-1] 留言答复标为不公开（public: false），但没有写明理由" in out
    assert "content/t/hdjl/xx/g.md:10: 错误: [IA-1] 答复时限延期（deadline.extended_to）需要写明延期理由" in out
    assert not project.out("index.html").exists()


def test_non_public_reply_is_not_rendered_but_counted(project):
    _interaction(project)
    _reply(project, "open", "2026-05-06", "2026-05-08")
    _reply(project, "private", "2026-05-11", "2026-05-13", public="false", public_reason="涉及个人隐私")
    result = project.build()
    assert result.exit_code == 0, result.output
    assert not project.out("hdjl/xx/private.html").exists()
    assert "关于private的答复" not in project.html("hdjl/xx/index.html")
    stats = json.loads(project.out("hdjl/stats.json").read_text(encoding="utf-8"))
    assert stats["total"]["received"] == 2 and stats["total"]["replied"] == 2


# -- statistics ----------------------------------------------------------------------------------------
def _stats_project(project):
    _interaction(project)
    _reply(project, "guoqing1", "2026-09-28", "2026-10-16", dept="区教育局")    # 10 working days (18 days)
    _reply(project, "guoqing2", "2026-09-30", "2026-10-09", dept="区教育局")    # 2 working days (9 days)
    _reply(project, "late", "2026-10-12", "2026-11-10", dept="区民政局", kind="投诉")  # 21 > 15: overdue
    _reply(project, "open", "2026-11-02", dept="区民政局")                      # due 11-23, open on 11-24
    _reply(project, "refused", "2026-10-20", "2026-10-22", dept="区民政局", status="无法办理",
           status_reason="属于民事纠纷")                                           # 2 working days
    _reply(project, "draft", "2026-10-20", "2026-10-21", draft="true")         # drafts do not count


def test_reply_statistics_use_the_working_day_calendar(project):
    _stats_project(project)
    result = project.build(now=STATS_NOW)
    assert result.exit_code == 0, result.output
    html = project.html("hdjl/stats.html")
    # received, replied, in progress, refused/unable, average, max, overdue
    assert _row(html, "stats-months", "2026-09") == ["2", "2", "0", "0", "6.0", "10", "0"]
    assert _row(html, "stats-months", "2026-10") == ["2", "1", "0", "1", "11.5", "21", "1"]
    assert _row(html, "stats-months", "2026-11") == ["1", "0", "1", "0", "—", "—", "1"]
    assert _row(html, "stats-departments", "区民政局") == ["3", "1", "1", "1", "11.5", "21", "2"]
    assert _row(html, "stats-kinds", "投诉") == ["1", "1", "0", "0", "21.0", "21", "1"]
    overdue = html.split('id="stats-overdue"', 1)[1].split("</table>", 1)[0]
    assert "关于late的答复" in overdue and "关于open的答复" in overdue and "尚未答复" in overdue
    assert "<td>2026-11-23（15个工作日）</td>" in overdue and "<td>16</td>" in overdue  # open: 16 working days so far
    assert "关于guoqing1的答复" not in overdue
    # the column page links its generated page
    assert 'href="stats.html"' in project.html("hdjl/index.html")


def test_reply_statistics_json_companion(project):
    _stats_project(project)
    _reply(project, "typical", "2026-11-03", "2026-11-05", typical_case="true")
    assert project.build(now=STATS_NOW).exit_code == 0
    first = project.out("hdjl/stats.json").read_bytes()
    stats = json.loads(first)
    assert stats["total"] == {"received": 6, "replied": 4, "in_progress": 1, "closed_without_reply": 1,
                              "average_working_days": 7.4, "max_working_days": 21, "overdue": 2}
    assert stats["working_days_limit"] == 15 and stats["now"] == STATS_NOW[:10]   # the day: figures change by date
    assert [o["title"] for o in stats["overdue"]] == ["关于late的答复", "关于open的答复"]
    assert stats["overdue"][0]["working_days_taken"] == 21 and stats["overdue"][0]["due"] == "2026-11-02"
    assert [c["url"] for c in stats["typical_cases"]] == ["hdjl/xx/typical.html"]
    assert 'href="stats.json"' in project.html("hdjl/stats.html")
    assert project.build(now=STATS_NOW).exit_code == 0
    assert project.out("hdjl/stats.json").read_bytes() == first  # deterministic


def test_statistics_follow_the_sites_workday_overrides(project):
    _stats_project(project)
    project.configure("check:\n  workdays:\n    holidays: ['2026-10-15']\n")  # a local day off
    assert project.build(now=STATS_NOW).exit_code == 0
    html = project.html("hdjl/stats.html")
    assert _row(html, "stats-months", "2026-09") == ["2", "2", "0", "0", "5.5", "9", "0"]
    assert "（截至 2026-10-26）" in project.html("hdjl/xx/guoqing1.html")


def test_check_uses_the_reply_fields(project):
    from checkfix import check, found

    _stats_project(project)
    result = check(project, now=STATS_NOW)
    late = found(result, "IA-1.late")
    assert [f.path.rsplit("/", 1)[-1] for f in late] == ["late.md"] and "期限 2026-11-02" in late[0].message
    assert any("open.md" in f.path for f in found(result, "IA-1"))


# -- notices and consultations ----------------------------------------------------------------------
def _notice(project, **extra):
    fields = dict(type="notice", start="2026-09-28", period=5, feedback="区民政局，电话0000-12345678")
    fields.update(extra)
    project.page("zwdt/tzgg/gs.md", "拟表彰名单的公示", date="2026-09-28 09:00", **fields)


def _status(project, rel):
    found = re.search(r'<div class="period-banner[^"]*" role="note">\s*<p><strong>(.*?)</strong>', project.html(rel))
    assert found, f"no period banner on {rel}"
    return found.group(1)


def test_notice_period_ends_after_the_national_day_holiday(project):
    # 5 working days from Monday 09-28: 09-28, 09-29, 09-30, 10-08, 10-09 (10-01..07 off)
    _notice(project)
    for now, expected in (("2026-09-27 18:00", "未开始"), ("2026-10-05 12:00", "公示中"),
                          ("2026-10-09 23:00", "公示中"), ("2026-10-10 08:00", "已结束")):
        assert project.build(now=now).exit_code == 0
        assert _status(project, "zwdt/tzgg/gs.html") == expected, now
    html = project.html("zwdt/tzgg/gs.html")
    assert '<time datetime="2026-10-09">2026-10-09</time>（5个工作日）' in html
    assert "区民政局，电话0000-12345678" in html


def test_notice_result_and_list_badge(project):
    _notice(project, result="{published: 2026-10-12, received: 0, summary: 公示期满无异议。}")
    assert project.build(now="2026-10-11 12:00").exit_code == 0
    assert _status(project, "zwdt/tzgg/gs.html") == "已结束"
    assert "公示期满无异议" not in project.html("zwdt/tzgg/gs.html")
    assert project.build(now="2026-10-12 12:00").exit_code == 0
    html = project.html("zwdt/tzgg/gs.html")
    assert _status(project, "zwdt/tzgg/gs.html") == "结果已公布"
    assert '<h2 id="period-result-title">公示结果</h2>' in html and "公示期满无异议。" in html
    assert '<span class="tag status-result">结果已公布</span>' in project.html("zwdt/tzgg/index.html")
    assert project.build(now="2026-10-05 12:00").exit_code == 0
    assert '<span class="tag status-progress">公示中</span>' in project.html("zwdt/tzgg/index.html")
    assert project.build(now="2026-09-27 18:00").exit_code == 0   # before the start: not yet, not ended
    assert '<span class="tag status-pending">未开始</span>' in project.html("zwdt/tzgg/index.html")


def test_consultation_with_draft_and_result_page(project):
    _interaction(project, consultations=True)
    project.write("content/t/hdjl/zj/draft.txt", "征求意见稿全文")
    project.page("hdjl/zj/fk.md", "意见采纳情况", date="2026-07-10 09:00", body="采纳情况说明。")
    project.write("content/t/hdjl/zj/zq.md", """---
title: 关于某办法公开征求意见的公告
date: 2026-06-01 09:00
type: consultation
start: 2026-06-01
end: 2026-06-30
feedback: [电子邮件：zq@ceshi.gov.cn, 电话：0000-12345678]
basis: 依据上位法起草。
draft_files: [{title: 某办法（征求意见稿）, file: draft.txt}]
result:
  page: fk.md
  received: 12
  adopted: 9
  not_adopted:
    - opinion: 建议取消备案
      reason: 备案为上位法规定
---

正文。
""")
    assert project.build(now="2026-06-15 12:00").exit_code == 0
    html = project.html("hdjl/zj/zq.html")
    assert _status(project, "hdjl/zj/zq.html") == "征集中"
    assert 'href="draft.txt" download>某办法（征求意见稿）</a>' in html and "依据上位法起草。" in html
    assert "<li>电话：0000-12345678</li>" in html
    assert project.build(now="2026-07-10 12:00").exit_code == 0  # the result page is published that day
    html = project.html("hdjl/zj/zq.html")
    assert _status(project, "hdjl/zj/zq.html") == "结果已公布"
    assert "共收到意见 12 条，采纳或部分采纳 9 条，未采纳 3 条" in html
    assert "<td>建议取消备案</td><td>备案为上位法规定</td>" in html and 'href="fk.html"' in html


def test_consultation_waits_for_a_scheduled_result_page(project):
    _interaction(project, consultations=True)
    project.page("hdjl/zj/fk.md", "意见采纳情况", date="2026-07-10 09:00", publish='"2026-07-20 09:00"')
    project.page("hdjl/zj/zq.md", "民生实事建议征集", date="2026-06-01 09:00", type="consultation", kind="建议征集",
                 start="2026-06-01", end="2026-06-30", feedback="电话：0000-12345678", result="{page: fk.md}")
    assert project.build(now="2026-07-15 12:00").exit_code == 0
    assert _status(project, "hdjl/zj/zq.html") == "已结束"


def test_bad_notice_and_consultation_metadata(project):
    _interaction(project, consultations=True)
    project.page("zwdt/tzgg/a.md", "没有期限", type="notice", start="2026-05-01", feedback="电话")
    project.page("zwdt/tzgg/b.md", "期限不符", type="notice", start="2026-09-28", period=5, end="2026-10-02",
                 feedback="电话")
    project.page("zwdt/tzgg/c.md", "没有反馈渠道", type="notice", start="2026-05-01", period="七")
    project.page("hdjl/zj/d.md", "没有征求意见稿", type="consultation", start="2026-05-01", end="2026-05-30",
                 feedback="电话", result="{published: 2026-06-10, received: 3, adopted: 5}")
    result = project.build()
    assert result.exit_code == 1
    out = result.output
    assert "content/t/zwdt/tzgg/a.md:5: 错误: [IA-2] 公示公告缺少期限" in out
    assert "content/t/zwdt/tzgg/b.md:7: 错误: [IA-2] 结束日期 2026-10-02 与 5 个工作日的期限不符（按工作日计算应为 2026-10-09）" in out
    assert "content/t/zwdt/tzgg/c.md:6: 错误: [IA-2] period（期限，工作日）应是不小于 1 的整数" in out
    assert "content/t/zwdt/tzgg/c.md:4: 错误: [IA-2] 公示公告缺少必填字段 feedback" in out
    assert "content/t/hdjl/zj/d.md:4: 错误: [IA-2] 意见征集缺少必填字段 draft_files" in out
    assert "意见征集缺少必填字段 basis" in out
    assert "content/t/hdjl/zj/d.md:8: 错误: [IA-2] 采纳数 5 大于收到的意见数 3" in out


# -- the demo ------------------------------------------------------------------------------------------
def test_demo_interaction_pages(demo):
    stats = json.loads((demo / "hdjl/stats.json").read_text(encoding="utf-8"))
    assert stats["total"]["received"] >= 12 and stats["total"]["overdue"] >= 1 and stats["total"]["in_progress"] >= 1
    assert "qzxx/2026-11-17-yyxx.html" not in (demo / "hdjl/stats.html").read_text(encoding="utf-8")
    assert not (demo / "hdjl/qzxx/2026-11-17-yyxx.html").exists()
    assert "公示中" in (demo / "zwdt/tzgg/2026-11-20-wmsq.html").read_text(encoding="utf-8")
    assert "已结束" in (demo / "hdjl/yjzj/2026-10-20-lhgl-zqyj.html").read_text(encoding="utf-8")
    assert "结果已公布" in (demo / "zwdt/tzgg/2026-05-08-mssxzj.html").read_text(encoding="utf-8")


def test_result_page_links_back_to_its_consultation(project):
    _interaction(project, consultations=True)
    project.page("hdjl/zj/fk.md", "意见采纳情况", date="2026-07-10 09:00")
    project.page("hdjl/zj/zq.md", "民生实事建议征集", date="2026-06-01 09:00", type="consultation", kind="建议征集",
                 start="2026-06-01", end="2026-06-30", feedback="电话：0000-12345678", result="{page: fk.md}")
    assert project.build(now="2026-07-15 12:00").exit_code == 0
    assert '本文公布的是<a href="zq.html">民生实事建议征集</a>的征集结果。' in project.html("hdjl/zj/fk.html")


def test_reply_transferred_to_as_text_or_mapping(project):
    _interaction(project)
    _reply(project, "t1", "2026-05-06", "2026-05-08", transferred_to="{unit: 区城管委, division: 市政科}")
    assert project.build().exit_code == 0
    assert '<th scope="row">转办单位</th><td>区城管委，市政科</td>' in project.html("hdjl/xx/t1.html")
