"""The ``check:`` settings in site.yaml: severities, thresholds, word lists, allow-lists and the
working-day calendar, each reported with its line when malformed."""
from __future__ import annotations

from checkfix import REPLY_BODY, check, ck1_bad_body, clean, found, rules


def settings(project, text):
    path = project.root / "sites/t/site.yaml"
    base = path.read_text(encoding="utf-8")
    project.write("sites/t/site.yaml", base + text)
    return len(base.splitlines())


def test_severity_can_be_lowered_or_switched_off(project):
    clean(project)
    project.page("zwdt/gzdt/w.md", "工作进展", date="2026-05-29 09:00", body=ck1_bad_body)
    project.page("zwdt/gzdt/o.md", "外链", date="2026-05-29 09:00", body="[报道](https://news.example.com/a)")
    # (the structure rules stay off for the tiny fixture, as clean() set them: this check: replaces that one)
    settings(project, "check:\n  severity: {CK-1: warning, LK-2: off, CO-6: off, GK-1: off, CK-6: off}\n")
    result = check(project)
    assert [f.severity for f in found(result, "CK-1")] == ["warning"]
    assert "LK-2" not in rules(result) and result.errors == 0 and not result.vetoes


def test_spec_id_sets_every_sub_rule(project):
    clean(project)
    project.page("zwdt/gzdt/o.md", "外链", date="2026-05-29 09:00",
                 body='<p>正文<a href="https://spam.example.com/" hidden>x</a></p>\n\n[报道](https://news.example.com/a)')
    settings(project, "check:\n  severity: {LK-2: info}\n")
    result = check(project)
    assert {f.severity for f in found(result, "LK-2") + found(result, "LK-2.hidden")} == {"info"}


def test_thresholds(project):
    clean(project)
    project.column("zwdt/bmdt", "部门动态", type="政务动态")
    project.page("zwdt/bmdt/x.md", "部门动态一则", date="2026-05-10 09:00")
    assert found(check(project), "CO-4")
    settings(project, "check:\n  freshness: {政务动态: 30}\n  home_days: 3\n")
    result = check(project)
    assert not found(result, "CO-4")
    assert found(result, "CK-3")  # newest item 4 days old > 3


def test_malformed_settings_are_reported_with_their_line(project):
    clean(project)
    base = settings(project, "check:\n  home_days: many\n  colour: red\n  reply: {working_days: 0}\n"
                             "  workdays: {holidays: [someday]}\n  wording: {files: [nosuch.yaml]}\n"
                             "  home_dayz: 3\n")
    result = check(project)
    cfg = {(f.line, f.severity, f.message.split("：")[0]) for f in found(result, "CFG")}
    assert cfg == {
        (base + 2, "error", "[CFG] site.yaml 的 check.home_days"),
        (base + 3, "warning", "[CFG] site.yaml 的 check.colour"),
        (base + 4, "error", "[CFG] site.yaml 的 check.reply.working_days"),
        (base + 5, "error", "[CFG] site.yaml 的 check.workdays.holidays.0"),
        (base + 6, "error", "[CFG] site.yaml 的 check.wording.files.0"),
        (base + 7, "warning", "[CFG] site.yaml 的 check.home_dayz"),
    }, cfg
    # an unknown key is a warning (the default is used) naming the key it probably meant
    typo = next(f for f in found(result, "CFG") if "home_dayz" in f.message)
    assert "未知的设置「home_dayz」，是否应为 home_days" in typo.message and "home_days" in typo.hint


def test_site_word_list_and_allow(project):
    clean(project)
    project.write("sites/t/wording.yaml", "wording:\n  - {wrong: 测试区政府, right: 测试区人民政府}\n"
                                          "commercial:\n  - {host: ads.example.com}\n")
    project.page("zwdt/gzdt/w.md", "工作进展", date="2026-05-29 09:00",
                 body=ck1_bad_body + "\n\n测试区政府召开会议。\n\n[广告](https://ads.example.com/x)")
    settings(project, "check:\n  wording:\n    files: [wording.yaml]\n    allow: [截止目前]\n")
    result = check(project)
    assert [f.message for f in found(result, "CK-1")] == ["[CK-1] 表述错误「测试区政府」，应为「测试区人民政府」"]
    assert [f.line for f in found(result, "ID-4")] == [10]


def test_outbound_allow_list(project):
    clean(project)
    project.page("zwdt/gzdt/o.md", "外链", date="2026-05-29 09:00", body="[报道](https://www.people.com.cn/a)")
    assert found(check(project), "LK-2")
    settings(project, "check:\n  outbound_allow: [people.com.cn]\n")
    assert not found(check(project), "LK-2")


def test_workday_overrides_change_deadlines(project):
    clean(project)
    project.column("zcwj", "政策文件", type="政策文件", source="区政府办公室")
    # published Thursday 2026-05-28: 3 working days end Tuesday 2026-06-02, after NOW
    project.page("zcwj/zc.md", "关于某事项的实施意见", date="2026-05-28 09:00", type="policy")
    assert not found(check(project), "GK-4")
    # two local days off earlier (assumed), and the deadline moves; a made-up day off moves it the other way
    settings(project, "check:\n  workdays: {workdays: ['2026-05-30', '2026-05-31']}\n")
    assert found(check(project), "GK-4")


def test_calendar_fallback_is_noted(project):
    clean(project)
    project.page("hdjl/r2.md", "关于学校的咨询", date="2031-01-20 09:00", type="reply", kind="咨询", status="已答复",
                 received='"2031-01-05"', replied='"2031-01-16"', replying_dept="区教育局", body=REPLY_BODY)
    result = check(project, now="2031-02-01 12:00")
    assert any("2031 年没有法定节假日数据" in note for note in result.notes)


def test_starter_list_loads_and_matches_with_exceptions(tmp_path):
    from govsite.rules.wording import load_lists

    lists, problems = load_lists()
    assert problems == [] and len(lists.wording.literals) >= 50 and lists.ad_hosts
    own = tmp_path / "w.yaml"
    own.write_text("wording:\n  - {wrong: 瞎子, right: 盲人, unless: [瞎子摸象]}\n  - {regex: '[', right: x}\n"
                   "  - {right: 没有错词}\n", encoding="utf-8")
    lists, problems = load_lists(builtin=False, files=[own])
    assert len(problems) == 2  # the bad regex and the entry without wrong/regex
    hits = [m.entry.right for m in lists.wording.find("成语瞎子摸象不算，但瞎子要改。")]
    assert hits == ["盲人"]
