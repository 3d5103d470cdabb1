"""Reporting periods: ``2020``, ``2020-Q3``, ``2020-07`` or a date range, in the local time zone.

The committee checks branches monthly (绩效), quarterly (政治工作验收) and yearly (全覆盖), so
a period is named the way they name it. Every period is a half-open interval
``[start, end)`` of aware datetimes: an attempt submitted at 23:59:59 on 30 September
belongs to Q3 and one at 00:00:00 on 1 October to Q4, with no gap and no overlap.

Midnight is taken in the *local* time zone of the machine (or a ``tz`` passed in, which
tests use): a kiosk in Lanzhou submitting at 00:30 on 1 July is in July, even though it is
still June in UTC. ``datetime(y, m, d).astimezone()`` asks the C library for the offset in
force on that date, so a zone with daylight saving gets the right offset at either end.
The workbook states the zone (:func:`zone_label`) so nobody has to guess.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path

from .errors import QuizbankError

__all__ = [
    "Period",
    "PeriodError",
    "current_year",
    "local_midnight",
    "now_local",
    "parse_date",
    "parse_period",
    "period_from_args",
    "zone_label",
]

_QUARTERS = "一二三四"
_YEAR = re.compile(r"^\s*(\d{4})\s*年?\s*(?:年度)?\s*$")
_QUARTER = re.compile(r"^\s*(\d{4})\s*[-/ ]?\s*[Qq]\s*([1-4])\s*$")
_MONTH = re.compile(r"^\s*(\d{4})\s*[-/.]\s*(\d{1,2})\s*$")
_DATE = re.compile(r"^\s*(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*$")


class PeriodError(QuizbankError):
    """A period or date on the command line that cannot be read: wrong usage (exit 2)."""

    exit_code = 2


def now_local() -> datetime:
    """The current time as an aware datetime in the local zone."""
    return datetime.now().astimezone()


def local_midnight(day: date, tz: tzinfo | None = None) -> datetime:
    """00:00 of ``day`` as an aware datetime, in ``tz`` or else the machine's local zone."""
    naive = datetime(day.year, day.month, day.day)
    return naive.replace(tzinfo=tz) if tz is not None else naive.astimezone()


@dataclass(frozen=True)
class Period:
    """A half-open interval ``[start, end)`` with the name the committee uses for it."""

    start: datetime
    """First instant in the period (local midnight)."""
    end: datetime
    """First instant after the period (local midnight of the following day)."""
    label: str
    """How the workbook names it: 2020年度, 2020年第三季度, 2020年7月, 2020-03-01 至 2020-03-31."""
    kind: str = "range"
    """year | quarter | month | range."""
    tz: tzinfo | None = None
    """The zone midnight was taken in; None means the machine's local zone."""

    def __contains__(self, moment: datetime) -> bool:
        return self.start <= moment < self.end

    @property
    def first_day(self) -> date:
        return self.start.date()

    @property
    def last_day(self) -> date:
        """The last calendar day inside the period (``end`` is the midnight after it)."""
        return (self.end - timedelta(seconds=1)).date()

    @property
    def span(self) -> str:
        """``2020-07-01 至 2020-09-30``: the dates, inclusive, as printed in the header."""
        return f"{self.first_day.isoformat()} 至 {self.last_day.isoformat()}"

    def year_to_end(self) -> Period:
        """From 1 January of the period's last year to the period's end: the 全覆盖 window.

        Everyone must be tested at least once a year; for a Q3 report that means "at least
        once between 1 January and 30 September".
        """
        y = self.last_day.year
        start = local_midnight(date(y, 1, 1), self.tz)
        return Period(start, self.end, f"{y}年1月1日至{self.last_day.isoformat()}", "year", self.tz)


def current_year(today: date | None = None, tz: tzinfo | None = None) -> Period:
    """The default period: the current calendar year."""
    y = (today or now_local().date()).year
    return _year(y, tz)


def _year(y: int, tz: tzinfo | None) -> Period:
    return Period(local_midnight(date(y, 1, 1), tz), local_midnight(date(y + 1, 1, 1), tz), f"{y}年度", "year", tz)


def _check_year(y: int, text: str) -> None:
    if not 1900 <= y <= 2999:
        raise PeriodError(f"--period {text}: year {y} is out of range")


def parse_period(text: str, tz: tzinfo | None = None) -> Period:
    """``2020`` → the year, ``2020-Q3`` → the quarter, ``2020-07`` → the month.

    Raises:
        PeriodError: for anything else, with the accepted forms in the message.
    """
    if m := _YEAR.match(text):
        y = int(m.group(1))
        _check_year(y, text)
        return _year(y, tz)
    if m := _QUARTER.match(text):
        y, q = int(m.group(1)), int(m.group(2))
        _check_year(y, text)
        start = date(y, 3 * q - 2, 1)
        end = date(y + 1, 1, 1) if q == 4 else date(y, 3 * q + 1, 1)
        return Period(local_midnight(start, tz), local_midnight(end, tz), f"{y}年第{_QUARTERS[q - 1]}季度", "quarter", tz)
    if m := _MONTH.match(text):
        y, mo = int(m.group(1)), int(m.group(2))
        _check_year(y, text)
        if not 1 <= mo <= 12:
            raise PeriodError(f"--period {text}: month {mo} is not 1–12")
        end = date(y + 1, 1, 1) if mo == 12 else date(y, mo + 1, 1)
        return Period(local_midnight(date(y, mo, 1), tz), local_midnight(end, tz), f"{y}年{mo}月", "month", tz)
    raise PeriodError(f"--period {text!r}: write a year (2020), a quarter (2020-Q3) or a month (2020-07)")


def parse_date(text: str, option: str = "date") -> date:
    """``2020-07-01`` (also ``2020/7/1``, ``2020.7.1``) → a date; PeriodError otherwise."""
    m = _DATE.match(text)
    if not m:
        raise PeriodError(f"{option} {text!r}: write a date as YYYY-MM-DD")
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError as e:
        raise PeriodError(f"{option} {text!r}: {e}") from None


def period_from_args(
    period: str | None,
    date_from: str | None,
    date_to: str | None,
    *,
    today: date | None = None,
    tz: tzinfo | None = None,
) -> Period:
    """The period a ``report`` command line asks for.

    ``--period`` and ``--from``/``--to`` exclude each other. ``--to`` is inclusive (the whole
    day); ``--from`` alone runs to today, ``--to`` alone from 1 January of its year. With
    none of them: the current calendar year.
    """
    if period and (date_from or date_to):
        raise PeriodError("give either --period or --from/--to, not both")
    if period:
        return parse_period(period, tz)
    if not date_from and not date_to:
        return current_year(today, tz)
    today = today or now_local().date()
    last = parse_date(date_to, "--to") if date_to else today
    first = parse_date(date_from, "--from") if date_from else date(last.year, 1, 1)
    if first > last:
        raise PeriodError(f"--from {first.isoformat()} is after --to {last.isoformat()}")
    start = local_midnight(first, tz)
    end = local_midnight(last + timedelta(days=1), tz)
    return Period(start, end, f"{first.isoformat()} 至 {last.isoformat()}", "range", tz)


def _zone_name() -> str | None:
    """The IANA name of the local zone when the system says it (``TZ``, /etc/timezone, /etc/localtime)."""
    tz = os.environ.get("TZ", "").lstrip(":")
    if tz and "/" in tz and not tz.startswith("/"):
        return tz
    try:
        name = Path("/etc/timezone").read_text(encoding="utf-8").strip()
        if name:
            return name
    except OSError:
        pass
    try:
        target = os.readlink("/etc/localtime")
    except OSError:
        return None
    marker = "zoneinfo/"
    return target.split(marker, 1)[1] if marker in target else None


def zone_label(moment: datetime) -> str:
    """``Asia/Shanghai（UTC+08:00）``: the zone the workbook's dates are in, stated plainly."""
    offset = moment.utcoffset() or timedelta(0)
    sign = "+" if offset >= timedelta(0) else "-"
    minutes = abs(int(offset.total_seconds())) // 60
    utc = f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"
    key = getattr(moment.tzinfo, "key", None) or _zone_name()
    return f"{key}（{utc}）" if key else utc
