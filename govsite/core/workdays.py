"""Working days (工作日) for deadlines: GK-3 disclosure, GK-4 interpretation, IA-1 replies.

Chinese time limits count working days, and working days are not simply Monday to Friday: public
holidays (春节, 国庆 …) are days off, and the State Council moves some weekend days to be working
days (调休). The official calendar comes from the ``chinesecalendar`` package, which is updated
every year when the 国务院办公厅 publishes the next year's 放假安排. A site can add or correct
days in site.yaml (``check: workdays: {holidays: [...], workdays: [...]}``), e.g. a local holiday
or a year the package does not know yet.

For a year the package has no data for (before 2004, or a year whose schedule was not published
when the installed version was made) the calendar falls back to Monday–Friday plus the site's
overrides; :attr:`Calendar.fallback_years` records which years that happened for, so the checker
can say that a deadline was computed without the official holidays.

Everything that counts working days goes through :func:`add_workdays` (a deadline) or
:func:`workdays_between` (how many working days passed); both take the same ``overrides``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

try:  # the package is a dependency; the fallback keeps the checker usable if it is missing
    import chinese_calendar as _cc
    _HOLIDAYS = dict(_cc.holidays)
    _MAKEUP = dict(_cc.workdays)
    _known = {d.year for d in _HOLIDAYS} | {d.year for d in _MAKEUP}
    KNOWN_YEARS = range(min(_known), max(_known) + 1) if _known else range(0)
except ImportError:  # pragma: no cover - only without the dependency
    _HOLIDAYS, _MAKEUP, KNOWN_YEARS = {}, {}, range(0)

MAX_SPAN_DAYS = 366 * 50   # a guard against absurd inputs (a date typed as year 9999)


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


@dataclass
class Calendar:
    """The official calendar plus a site's overrides.

    ``holidays``: extra days off (a local holiday, or a holiday of a year the package lacks).
    ``workdays``: extra working days (a 调休 Saturday/Sunday the package lacks).
    An override always wins over the package.
    """

    holidays: frozenset = frozenset()
    workdays: frozenset = frozenset()
    fallback_years: set = field(default_factory=set)
    _cache: dict = field(default_factory=dict, repr=False)

    def is_workday(self, day) -> bool:
        day = _as_date(day)
        hit = self._cache.get(day)
        if hit is not None:
            return hit
        if day in self.workdays:
            result = True
        elif day in self.holidays:
            result = False
        elif day.year in KNOWN_YEARS:
            result = day in _MAKEUP or (day.weekday() < 5 and day not in _HOLIDAYS)
        else:
            self.fallback_years.add(day.year)
            result = day.weekday() < 5
        self._cache[day] = result
        return result

    def add(self, start, n: int) -> dt.date:
        """The ``n``-th working day after ``start`` (``start`` itself is not counted).

        "Within 3 working days of publication" ends at the end of ``add(published, 3)``.
        """
        day = _as_date(start)
        left = max(int(n), 0)
        steps = 0
        while left > 0 and steps < MAX_SPAN_DAYS:
            day += dt.timedelta(days=1)
            steps += 1
            if self.is_workday(day):
                left -= 1
        return day

    def between(self, start, end) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when ``end <= start``)."""
        a, b = _as_date(start), _as_date(end)
        if b <= a:
            return 0
        if (b - a).days > MAX_SPAN_DAYS:
            b = a + dt.timedelta(days=MAX_SPAN_DAYS)
        count, day = 0, a
        while day < b:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                count += 1
        return count


def calendar(overrides: dict | None = None) -> Calendar:
    """A calendar from ``{"holidays": [dates], "workdays": [dates]}`` (dates or ``date`` objects)."""
    overrides = overrides or {}
    return Calendar(frozenset(_as_date(d) for d in overrides.get("holidays", ())),
                    frozenset(_as_date(d) for d in overrides.get("workdays", ())))


_DEFAULT = Calendar()


def _pick(overrides) -> Calendar:
    if overrides is None:
        return _DEFAULT
    if isinstance(overrides, Calendar):
        return overrides
    return calendar(overrides)


def is_workday(day, overrides=None) -> bool:
    return _pick(overrides).is_workday(day)


def add_workdays(start, n: int, overrides=None) -> dt.date:
    """The deadline ``n`` working days after ``start``; see :meth:`Calendar.add`."""
    return _pick(overrides).add(start, n)


def workdays_between(start, end, overrides=None) -> int:
    """Working days after ``start`` up to and including ``end``; see :meth:`Calendar.between`."""
    return _pick(overrides).between(start, end)
