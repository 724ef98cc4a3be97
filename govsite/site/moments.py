"""The span of build times that give the same site (时间是输入): the whole-build shortcut's window.

A build's output and findings depend on its build time (``site.now``) in two ways only:

* comparisons with moments the inputs hold — a scheduled page going live (``publish``), an
  expiry, an archive time, a consultation's window, a leader's term, a reply's receipt, a page
  dated in the future — which flip exactly at that moment;
* the date: verdicts that count days (a column stale 14 days after its newest page, a reply late
  15 working days after its receipt, a data set overdue) count calendar days
  (``rules.site_rules._days_since``), so they flip at midnight, never at a page's time of day.

So between two such ticks any build time gives byte-identical output and the same findings, and
a rebuild with nothing changed takes the last build's output (:mod:`govsite.cache.stamp`) from
the first minute of the window to the last, not only within the same minute. A tick where
nothing flips only costs a real (cached) build. A site without a page writes its build time into
its feeds: its window is one minute.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from govsite.content.model import Column, Page, Site

MIDNIGHT = dt.time(0, 0)


@dataclass(frozen=True)
class Window:
    """Build times ``start <= now < end`` that give the same output and findings."""

    start: dt.datetime
    end: dt.datetime

    def holds(self, now: dt.datetime) -> bool:
        return self.start <= now < self.end


def _moments(value, into: set[dt.datetime]) -> None:
    """Every date and time in plain data (dicts, lists), into ``into`` (a date as its midnight)."""
    if isinstance(value, dt.datetime):
        into.add(value.replace(second=0, microsecond=0, tzinfo=None))
    elif isinstance(value, dt.date):
        into.add(dt.datetime.combine(value, MIDNIGHT))
    elif isinstance(value, dict):
        for item in value.values():
            _moments(item, into)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _moments(item, into)


def moments(site: Site) -> set[dt.datetime]:
    """Every moment of ``site``'s inputs at which a verdict may flip: those in its pages (visible
    or not), columns and site.yaml, in its language versions and in the sites it includes (资源库)."""
    found: set[dt.datetime] = set()
    sites = [site, *(v.site for v in site.versions if v.site is not None), *site.library.values()]
    for one in sites:
        _moments(one.config.raw, found)
        for item in one.by_src.values():
            if isinstance(item, Page):
                _moments([item.date, item.publish, item.expire, item.archived, item.archived_at], found)
                _moments(item.extra, found)
                _moments(item.info, found)
            elif isinstance(item, Column):
                _moments([item.archived, item.end, item.archived_at], found)
    return found


def window(site: Site, now: dt.datetime) -> Window:
    """The ticks around ``now``: the input moments nearest before (or at) and after it, within the
    build time's day (see the module's docstring)."""
    if not site.pages:
        return Window(now, now + dt.timedelta(minutes=1))
    midnight = dt.datetime.combine(now.date(), MIDNIGHT)
    start, end = midnight, midnight + dt.timedelta(days=1)
    for moment in moments(site):
        if start < moment <= now:
            start = moment
        elif now < moment < end:
            end = moment
    return Window(start, end)
