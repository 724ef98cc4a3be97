"""The span of build times that give the same site (时间是输入): the whole-build shortcut's window.

A build's output and findings depend on its build time (``site.clock``, :mod:`govsite.core.clock`)
only through what the build asked of it. Date-dependent code asks questions that know their own
flip moment — has a page's ``publish`` time come, is an expiry, an archive time, a consultation's
end, a leader's term past, are there more than 14 days since a column's newest page, is a reply's
deadline day over, which year's 年报 is due — and the clock keeps the last such moment at or
before the build time and the first one after it. Between the two, every build time gives
byte-identical output and the same findings, so a rebuild with nothing changed takes the last
build's output (:mod:`govsite.cache.stamp`) from the first minute of the window to the last: a
week later, when nothing the site shows or reports changes in that week.

Code that reads the time itself (``site.now``: 「统计截至」 on the reply statistics, the working days
a pending reply has taken) keeps the window within the build time's calendar day and between the
inputs' nearest moments (:func:`moments`), as every window was before the questions existed. A
site without a page writes its build time into its feeds: its window is one minute.

The window reaches at most a year either side (:data:`HORIZON`): what no question sees (a
dependence on the date added without one) then costs at most one real build a year, and a site
whose answers never change rebuilds once a year for one cached build's time.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from govsite.content.model import Column, Page, Site
from govsite.core.clock import midnight

HORIZON = dt.timedelta(days=366)


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
        into.add(midnight(value))
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


def window(site: Site) -> Window:
    """The build times that give ``site``'s output and findings: between the moments at which an
    answer the build asked of its clock changes (see the module's docstring)."""
    clock = site.clock
    if not site.pages:
        return Window(*clock.minute())
    return Window(*clock.span(lambda: moments(site), HORIZON))
