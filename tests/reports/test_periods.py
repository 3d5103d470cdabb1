"""Reporting periods: names, boundaries in the local zone, errors."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from quizbank.periods import PeriodError, parse_date, parse_period, period_from_args, zone_label

SH = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("text", "first", "last", "label", "kind"),
    [
        ("2020", date(2020, 1, 1), date(2020, 12, 31), "2020年度", "year"),
        ("2020-Q1", date(2020, 1, 1), date(2020, 3, 31), "2020年第一季度", "quarter"),
        ("2020-Q3", date(2020, 7, 1), date(2020, 9, 30), "2020年第三季度", "quarter"),
        ("2020q4", date(2020, 10, 1), date(2020, 12, 31), "2020年第四季度", "quarter"),
        ("2020-07", date(2020, 7, 1), date(2020, 7, 31), "2020年7月", "month"),
        ("2020-2", date(2020, 2, 1), date(2020, 2, 29), "2020年2月", "month"),  # a leap year
        ("2020-12", date(2020, 12, 1), date(2020, 12, 31), "2020年12月", "month"),
        ("2021年", date(2021, 1, 1), date(2021, 12, 31), "2021年度", "year"),
    ],
)
def test_period_names(text: str, first: date, last: date, label: str, kind: str) -> None:
    p = parse_period(text, SH)
    assert (p.first_day, p.last_day, p.label, p.kind) == (first, last, label, kind)
    assert p.span == f"{first.isoformat()} 至 {last.isoformat()}"


def test_boundaries_are_local_midnight_half_open() -> None:
    q3 = parse_period("2020-Q3", SH)
    assert q3.start == datetime(2020, 7, 1, tzinfo=SH)
    assert datetime(2020, 9, 30, 23, 59, 59, tzinfo=SH) in q3
    assert datetime(2020, 10, 1, 0, 0, 0, tzinfo=SH) not in q3
    # 00:30 on 1 July in Lanzhou is still 30 June in UTC, and belongs to July
    assert datetime(2020, 6, 30, 16, 30, tzinfo=ZoneInfo("UTC")) in parse_period("2020-07", SH)
    assert datetime(2020, 6, 30, 16, 30, tzinfo=ZoneInfo("UTC")) not in parse_period("2020-06", SH)


def test_daylight_saving_offsets_at_each_end() -> None:
    march = parse_period("2021-03", BERLIN)
    assert march.start.utcoffset() == timedelta(hours=1)
    assert march.end.utcoffset() == timedelta(hours=2)  # summer time began on 28 March
    # (same-zone subtraction is wall-clock in Python, so compare real instants)
    assert march.end.timestamp() - march.start.timestamp() == 31 * 86400 - 3600


def test_year_to_end_is_the_coverage_window() -> None:
    q3 = parse_period("2020-Q3", SH)
    y = q3.year_to_end()
    assert (y.first_day, y.last_day) == (date(2020, 1, 1), date(2020, 9, 30))
    span = period_from_args(None, "2019-11-01", "2020-02-15", tz=SH)
    assert span.year_to_end().first_day == date(2020, 1, 1)  # the calendar year of the end


@pytest.mark.parametrize("text", ["2020-13", "2020-Q5", "20", "Q3", "2020-07-01", "", "abcd", "0999"])
def test_bad_periods_are_usage_errors(text: str) -> None:
    with pytest.raises(PeriodError) as e:
        parse_period(text, SH)
    assert e.value.exit_code == 2
    assert "--period" in str(e.value)


def test_from_to() -> None:
    p = period_from_args(None, "2020-03-01", "2020-03-31", tz=SH)
    assert (p.start, p.end) == (datetime(2020, 3, 1, tzinfo=SH), datetime(2020, 4, 1, tzinfo=SH))
    assert p.label == "2020-03-01 至 2020-03-31"
    assert period_from_args(None, None, "2020-05-31", tz=SH).first_day == date(2020, 1, 1)
    assert period_from_args(None, "2020-05-01", None, today=date(2020, 6, 3), tz=SH).last_day == date(2020, 6, 3)
    assert period_from_args(None, None, None, today=date(2024, 8, 8), tz=SH).label == "2024年度"
    assert parse_date("2020/7/1") == date(2020, 7, 1)


@pytest.mark.parametrize(
    ("period", "since", "until", "message"),
    [
        ("2020", "2020-01-01", None, "not both"),
        (None, "2020-04-01", "2020-03-01", "after"),
        (None, "2020-02-30", None, "--from"),
        (None, None, "tomorrow", "--to"),
    ],
)
def test_bad_ranges(period: str | None, since: str | None, until: str | None, message: str) -> None:
    with pytest.raises(PeriodError, match=message):
        period_from_args(period, since, until, tz=SH)


def test_zone_label_names_the_zone_and_offset() -> None:
    assert zone_label(datetime(2020, 1, 1, tzinfo=SH)) == "Asia/Shanghai（UTC+08:00）"
    assert zone_label(datetime(2020, 7, 1, tzinfo=BERLIN)).endswith("（UTC+02:00）")


@pytest.fixture
def berlin_local(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The machine's local zone set to Europe/Berlin for one test."""
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("berlin_local")
def test_machine_local_zone_by_default() -> None:
    march = parse_period("2021-03")
    assert march.start.utcoffset() == timedelta(hours=1)
    assert march.end.utcoffset() == timedelta(hours=2)
    assert zone_label(march.start) == "Europe/Berlin（UTC+01:00）"
