"""The build time as questions that know when their answer changes (时间是输入).

A build's output and findings depend on its build time only through what the code asks of it. A
question asked here — has this moment come (:meth:`Clock.reached`), is this day over
(:meth:`Clock.past`), are there more than n whole days since that date (:meth:`Clock.more_days_than`),
which year is it (:meth:`Clock.year`) — notes the moments at which its answer changes: the last
one at or before the build time (:attr:`Clock.since`) and the first one after it
(:attr:`Clock.until`). Every build time in ``[since, until)`` gets the same answers to every
question the build asked, so it gives the same output: the whole-build shortcut's window
(:mod:`govsite.site.moments`) reaches from one such change to the next, past midnight and across
days when nothing the build asked changes on them.

Code that takes the time itself (:attr:`Clock.now`: to print it, to count the days up to it, to
compare it in a way the clock cannot see) is conservative by construction: such a read keeps the
window within the build time's calendar day, and marks it ``raw`` so that the window also stops
at every moment of the inputs (:func:`govsite.site.moments.window`) — what every build did before
the questions existed. A question cannot widen the window; only a build whose every read was a
question gets more than a day.

Forked processes (the render workers, the search and export children) share the parent's clock
as it was at the fork, but what they note does not come back. So a question asked in a forked
process whose answer could change inside the window known at the fork — or a raw read there when
the parent made none — sets a flag in memory shared with the parent (:attr:`Clock.spoiled`), and
the window becomes the build time's minute: never wider than the answers allow, whatever code
runs where.
"""
from __future__ import annotations

import datetime as dt
import mmap
import os
from collections.abc import Callable, Iterable

MIDNIGHT = dt.time(0, 0)
TICK = dt.timedelta(microseconds=1)


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, MIDNIGHT)


def _moment(value: dt.date | dt.datetime) -> dt.datetime:
    """A date as its midnight; a datetime as a naive local time (as govsite keeps them)."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    return midnight(value)


class Clock:
    """The build time ``now`` and the span ``[since, until)`` of build times that answer every
    question asked so far the same way (``None``: no bound on that side yet)."""

    def __init__(self, now: dt.datetime) -> None:
        self._now = now
        self.since: dt.datetime | None = None
        self.until: dt.datetime | None = None
        self.raw = False                 # the time was read as it is: the window keeps to its day
        self._pid = os.getpid()
        self._shared: mmap.mmap | None = mmap.mmap(-1, 1)   # anonymous, MAP_SHARED: seen across fork

    def __getstate__(self) -> dict:    # a copy elsewhere (pickled) has its own process: nothing shared
        state = dict(self.__dict__)
        state["_shared"] = None
        return state

    # -- the raw read ------------------------------------------------------------------------
    @property
    def now(self) -> dt.datetime:
        """The build time itself. Whatever is done with it, the window stays within its day and
        stops at the inputs' moments (see the module's docstring)."""
        if self._forked() and not self.raw:
            self._spoil()
        self.raw = True
        today = self._now.date()
        self._note(midnight(today))
        self._note(midnight(today + dt.timedelta(days=1)))
        return self._now

    # -- questions ---------------------------------------------------------------------------
    def reached(self, moment: dt.date | dt.datetime) -> bool:
        """Has ``moment`` come (``now >= moment``; a date: its midnight)? Changes at ``moment``."""
        when = _moment(moment)
        self._note(when)
        return self._now >= when

    def after(self, moment: dt.datetime) -> bool:
        """Is it later than ``moment`` (``now > moment``)?"""
        return self.reached(_moment(moment) + TICK)

    def past(self, day: dt.date | dt.datetime) -> bool:
        """Is the calendar day ``day`` over (``now.date() > day``)? Changes at the next midnight."""
        day = day.date() if isinstance(day, dt.datetime) else day
        return self.reached(midnight(day + dt.timedelta(days=1)))

    def more_days_than(self, since: dt.date | dt.datetime, days: int) -> bool:
        """More than ``days`` whole calendar days from ``since``'s date to the build time's?
        Verdicts that count days count dates, so this changes at a midnight, never at a page's
        time of day."""
        since = since.date() if isinstance(since, dt.datetime) else since
        return self.past(since + dt.timedelta(days=days))

    def year(self) -> int:
        """The build time's year. Changes on 1 January."""
        year = self._now.year
        self._note(dt.datetime(year, 1, 1))
        self._note(dt.datetime(year + 1, 1, 1))
        return year

    # -- what the answers allow -------------------------------------------------------------------
    def minute(self) -> tuple[dt.datetime, dt.datetime]:
        """The narrowest span: the build time's minute."""
        return self._now, self._now + dt.timedelta(minutes=1)

    def span(self, moments: Callable[[], Iterable[dt.datetime]], horizon: dt.timedelta) -> tuple[dt.datetime, dt.datetime]:
        """``(start, end)``: the build times that answer every question asked the same way, within
        ``horizon`` of the build time; after a raw read also between the nearest of ``moments()``
        (the inputs' moments, which raw comparisons may have used); after a forked process asked
        beyond what it knew, the minute."""
        if self.spoiled:
            return self.minute()
        now = self._now
        start, end = now - horizon, now + horizon
        if self.since is not None:
            start = max(start, self.since)
        if self.until is not None:
            end = min(end, self.until)
        if self.raw:
            for moment in moments():
                if start < moment <= now:
                    start = moment
                elif now < moment < end:
                    end = moment
        return start, end

    @property
    def spoiled(self) -> bool:
        """A forked process asked what the window known at its fork did not allow for."""
        return self._shared is not None and self._shared[0] != 0

    def _note(self, when: dt.datetime) -> None:
        """An answer changes at ``when``: the window ends there (or begins there, when it is past)."""
        if self._forked():
            if (self.since is None or self.since < when) and (self.until is None or when < self.until):
                self._spoil()
            return
        if when <= self._now:
            if self.since is None or when > self.since:
                self.since = when
        elif self.until is None or when < self.until:
            self.until = when

    def _forked(self) -> bool:
        return os.getpid() != self._pid

    def _spoil(self) -> None:
        if self._shared is not None:
            self._shared[0] = 1
