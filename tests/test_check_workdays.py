"""Working days (工作日) for GK-3, GK-4 and IA-1: official holidays and 调休 make-up days from the
chinesecalendar package, the site's overrides, and Monday–Friday for years the package lacks."""
from __future__ import annotations

import datetime as dt

import pytest

from govsite.core import workdays
from govsite.core.workdays import add_workdays, calendar, is_workday, workdays_between

D = dt.date


def test_national_day_holiday_and_make_up_saturday():
    assert not is_workday(D(2026, 10, 1)) and not is_workday(D(2026, 10, 7))
    assert is_workday(D(2026, 10, 10))            # Saturday, 调休 make-up working day
    assert add_workdays(D(2026, 9, 30), 3) == D(2026, 10, 10)
    assert workdays_between(D(2026, 9, 30), D(2026, 10, 10)) == 3


def test_deadline_counts_from_the_day_after():
    assert add_workdays(D(2026, 6, 1), 0) == D(2026, 6, 1)
    assert add_workdays(dt.datetime(2026, 6, 1, 17, 30), 1) == D(2026, 6, 2)
    assert add_workdays(D(2026, 6, 5), 1) == D(2026, 6, 8)     # Friday → Monday
    assert workdays_between(D(2026, 6, 8), D(2026, 6, 1)) == 0


def test_year_without_data_falls_back_to_monday_to_friday():
    cal = calendar()
    year = max(workdays.KNOWN_YEARS) + 5
    new_year = D(year, 1, 1)
    monday = new_year + dt.timedelta(days=(7 - new_year.weekday()) % 7)
    assert cal.is_workday(monday)
    assert not cal.is_workday(monday + dt.timedelta(days=5))  # Saturday
    assert cal.fallback_years == {year}


@pytest.mark.parametrize("overrides,day,expected", [
    ({"holidays": [D(2031, 1, 1)]}, D(2031, 1, 1), False),
    ({"workdays": [D(2026, 6, 6)]}, D(2026, 6, 6), True),       # a Saturday made a working day
    ({"holidays": ["2026-06-03"]}, D(2026, 6, 3), False),       # strings are accepted too
])
def test_site_overrides_win(overrides, day, expected):
    assert calendar({k: [v if isinstance(v, D) else dt.date.fromisoformat(v) for v in vs]
                     for k, vs in overrides.items()}).is_workday(day) is expected


def test_overrides_move_a_deadline():
    assert add_workdays(D(2026, 6, 1), 3, {"holidays": [D(2026, 6, 2)]}) == D(2026, 6, 5)
