"""The build clock (govsite/core/clock.py) and the whole-build shortcut keyed on it: a rebuild with
nothing changed takes the last build's output on a later day, until the first moment at which
any page or finding would change — and that output is what a clean build at the later time gives."""
from __future__ import annotations

import datetime as dt
import os

from test_cache import files

from govsite.core.clock import Clock
from govsite.pipeline.build import BuildOptions, build_site

from helpers import NOW, REPO, add_template_global, age

DAY = dt.timedelta(days=1)


def at(project, now, out=None, cache=True, jobs=1):
    return build_site(project.root, "t", out or project.root / "build", BuildOptions(now=now, jobs=jobs, cache=cache))


def findings(result) -> list[str]:
    return sorted(p.format() for p in result.report.problems)


def assert_same_as_clean_at(project, tmp_path, now, result):
    """The output and findings of ``result`` equal those of a clean build at ``now``, byte for byte."""
    clean = at(project, now, tmp_path / f"clean-{now[:10]}", cache=False)
    got, want = files(project.out()), files(tmp_path / f"clean-{now[:10]}" / "t")
    assert sorted(got) == sorted(want), f"{now}: different file sets"
    assert [rel for rel in want if got[rel] != want[rel]] == [], f"{now}: files differ from a clean build"
    assert findings(result) == findings(clean)


# -- the clock's questions ----------------------------------------------------------------------
def test_each_question_bounds_the_window_at_the_moment_its_answer_changes():
    clock = Clock(dt.datetime(2026, 6, 1, 12, 0))
    assert clock.reached(dt.datetime(2026, 5, 2, 9, 0))
    assert not clock.more_days_than(dt.datetime(2026, 5, 25, 9, 0), 14)   # stale from 9 June on
    assert not clock.reached(dt.datetime(2026, 6, 20, 10, 0))
    assert clock.year() == 2026
    assert clock.span(lambda: [], 366 * DAY) == (dt.datetime(2026, 5, 2, 9, 0), dt.datetime(2026, 6, 9, 0, 0))
    assert Clock(dt.datetime(2026, 6, 9, 0, 0)).more_days_than(dt.datetime(2026, 5, 25, 9, 0), 14)
    assert not Clock(dt.datetime(2026, 6, 8, 23, 59)).more_days_than(dt.datetime(2026, 5, 25, 9, 0), 14)


def test_a_raw_read_keeps_the_window_within_its_day_and_between_the_inputs_moments():
    clock = Clock(dt.datetime(2026, 6, 1, 12, 0))
    assert not clock.reached(dt.datetime(2026, 9, 1))
    assert clock.now == dt.datetime(2026, 6, 1, 12, 0)
    inputs = [dt.datetime(2026, 6, 1, 8, 30), dt.datetime(2026, 6, 1, 18, 0), dt.datetime(2026, 7, 1)]
    assert clock.span(lambda: inputs, 366 * DAY) == (dt.datetime(2026, 6, 1, 8, 30), dt.datetime(2026, 6, 1, 18, 0))
    plain = Clock(dt.datetime(2026, 6, 1, 12, 0))
    assert plain.now.hour == 12
    assert plain.span(lambda: [], 366 * DAY) == (dt.datetime(2026, 6, 1), dt.datetime(2026, 6, 2))


def _in_child(job) -> None:
    pid = os.fork()
    if pid == 0:   # pragma: no cover - the child's exit status says how it went
        try:
            job()
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def test_what_a_forked_worker_asks_beyond_the_known_window_narrows_it_to_the_minute():
    """Workers' answers do not come back: one that could change inside the window known at the fork
    (or a raw read the parent did not make) must not leave the window as wide as it was."""
    now = dt.datetime(2026, 6, 1, 12, 0)
    clock = Clock(now)
    clock.reached(dt.datetime(2026, 5, 2, 9, 0))
    clock.reached(dt.datetime(2026, 10, 2))
    _in_child(lambda: clock.reached(dt.datetime(2026, 5, 1)))    # already known to be past: no change
    _in_child(lambda: clock.reached(dt.datetime(2026, 10, 5)))   # after the window's end: no change
    assert not clock.spoiled
    assert clock.span(lambda: [], 366 * DAY) == (dt.datetime(2026, 5, 2, 9, 0), dt.datetime(2026, 10, 2))
    _in_child(lambda: clock.now)
    assert clock.spoiled and clock.span(lambda: [], 366 * DAY) == (now, now + dt.timedelta(minutes=1))
    other = Clock(now)
    other.reached(dt.datetime(2026, 10, 2))
    _in_child(lambda: other.more_days_than(dt.datetime(2026, 5, 25), 14))
    assert other.spoiled


# -- the shortcut on later days -------------------------------------------------------------------
def test_a_rebuild_days_later_with_nothing_changed_takes_the_shortcut_and_equals_a_clean_build(project, tmp_path):
    """Nothing on the site or in its findings changes until 通知公告 (183 days) goes stale on
    2 October: rebuilds the next day and a week later are the first build's output."""
    age(project.root)
    first = at(project, NOW)
    assert (first.window.start, first.window.end) == (dt.datetime(2026, 5, 17), dt.datetime(2026, 10, 2))
    later = ("2026-06-02 12:00", "2026-06-08 09:30", "2026-10-01 23:59")
    for now in later:
        again = at(project, now)
        assert again.cache == {"build": 1}, f"{now}: nothing changed, nothing flips: the shortcut"
        assert findings(again) == findings(first)
    for now in later:   # (a clean build keeps no stamp: compared once the shortcut has been taken)
        assert_same_as_clean_at(project, tmp_path, now, first)
    stale = at(project, "2026-10-02 00:00")
    assert stale.cache != {"build": 1}
    assert any("「通知公告」" in p.message and "2026-10-02 起超期" in p.message for p in stale.report.problems)
    assert_same_as_clean_at(project, tmp_path, "2026-10-02 00:00", stale)


def test_a_column_going_stale_ends_the_window_at_its_midnight(project, tmp_path):
    project.page("zwdt/gzdt/c.md", "第三篇工作动态", date="2026-05-25 09:00")   # 政务动态: 14 days
    age(project.root)
    first = at(project, NOW)
    assert first.window.end == dt.datetime(2026, 6, 9)
    assert not any("「工作动态」" in p.message for p in first.report.problems)
    assert at(project, "2026-06-08 23:59").cache == {"build": 1}
    later = at(project, "2026-06-09 08:00")
    assert later.cache != {"build": 1}
    assert any("「工作动态」" in p.message and "2026-06-09 起超期" in p.message for p in later.report.problems)
    assert_same_as_clean_at(project, tmp_path, "2026-06-09 08:00", later)


def test_a_page_going_live_days_later_ends_the_window(project, tmp_path):
    project.page("zwdt/tzgg/s.md", "定时发布的通知", date="2026-06-05 10:00", publish="2026-06-05 10:00")
    age(project.root)
    assert at(project, NOW).window.end == dt.datetime(2026, 6, 5, 10, 0)
    assert at(project, "2026-06-05 09:59").cache == {"build": 1}
    assert not project.out("zwdt/tzgg/s.html").exists()
    live = at(project, "2026-06-05 10:00")
    assert live.cache != {"build": 1} and project.out("zwdt/tzgg/s.html").is_file()
    assert_same_as_clean_at(project, tmp_path, "2026-06-05 10:00", live)


def test_output_that_reads_the_time_itself_keeps_the_window_within_the_day(project, tmp_path, monkeypatch):
    """A template helper that prints the build date (as 「统计截至」 does) reads ``site.now``: the
    next day's rebuild must not take today's output."""
    add_template_global(monkeypatch, "build_day", lambda site: lambda: site.now.strftime("%Y-%m-%d"))
    home = (REPO / "themes/default/templates/home.html").read_text(encoding="utf-8")
    project.write("sites/t/templates/home.html",
                  home.replace("{% block main %}", "{% block main %}<p class=asof>{{ build_day() }}</p>", 1))
    age(project.root)
    first = at(project, NOW)
    assert (first.window.start, first.window.end) == (dt.datetime(2026, 6, 1), dt.datetime(2026, 6, 2))
    assert '<p class=asof>2026-06-01</p>' in project.html("index.html")
    assert at(project, "2026-06-01 23:59").cache == {"build": 1}
    assert at(project, "2026-06-02 00:00").cache != {"build": 1}
    at(project, "2026-06-02 00:00", tmp_path / "clean", cache=False)   # what the shortcut would have missed
    assert '<p class=asof>2026-06-02</p>' in (tmp_path / "clean/t/index.html").read_text(encoding="utf-8")
