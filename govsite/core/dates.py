"""Dates and the build clock.

Government pages show times to the minute (``YYYY-MM-DD HH:MM``, SPEC MT-4/CP-1) in the site's
local time. All datetimes inside govsite are *naive local times* of the site's timezone, which
keeps comparisons simple and output free of UTC offsets.

"Now" is an input of the build, never read silently from the calendar: scheduling
(``publish``/``expire``), archiving and freshness depend on it, so it comes from ``--now``,
``SOURCE_DATE_EPOCH`` or, failing both, the system clock once at start-up.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DISPLAY_FORMAT = "%Y-%m-%d %H:%M"
_DATE_RE = re.compile(
    r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*$"
)


class DateError(ValueError):
    """A value that is not a date of the accepted forms."""


def parse_datetime(value) -> dt.datetime:
    """Accept ``YYYY-MM-DD HH:MM`` (seconds tolerated), ``YYYY-MM-DD`` or YAML date objects."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if not isinstance(value, str):
        raise DateError(f"不是日期：{value!r}")
    m = _DATE_RE.match(value)
    if not m:
        raise DateError(f"无法识别的日期「{value}」")
    y, mo, d, h, mi, s = (int(g) if g else 0 for g in m.groups())
    try:
        return dt.datetime(y, mo, d, h, mi, s)
    except ValueError as exc:
        raise DateError(f"日期「{value}」不存在（{exc}）") from None


def format_datetime(value: dt.datetime) -> str:
    return value.strftime(DISPLAY_FORMAT)


def site_zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise DateError(f"未知的时区「{name}」") from None


def build_now(now: str | None, zone: ZoneInfo) -> dt.datetime:
    """The build time as a naive local time of ``zone``.

    Precedence: an explicit ``--now`` value (local time of the site), then ``SOURCE_DATE_EPOCH``
    (seconds since the epoch, the reproducible-builds convention), then the system clock.
    """
    if now:
        return parse_datetime(now)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            stamp = int(epoch)
        except ValueError:
            raise DateError(f"SOURCE_DATE_EPOCH 不是整数：{epoch!r}") from None
        return dt.datetime.fromtimestamp(stamp, zone).replace(tzinfo=None)
    return dt.datetime.now(zone).replace(tzinfo=None, second=0, microsecond=0)
