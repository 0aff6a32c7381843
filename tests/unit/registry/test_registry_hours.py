"""Registered working hours (THOIGIAN_NGAY / THOIGIAN_TUAN)."""

from __future__ import annotations

from datetime import datetime

import pytest

from adapter.registry.hours import check_hours, format_week, parse_hours

MONDAY = datetime(2026, 11, 23, 8, 0)  # T2
TUESDAY = datetime(2026, 11, 24, 10, 0)  # T3
SUNDAY = datetime(2026, 11, 22, 9, 0)  # CN


def test_same_hours_every_listed_day() -> None:
    hours = parse_hours("0700-1700", "T2T3T4T5T6")
    assert hours.covers(MONDAY)
    assert not hours.covers(MONDAY.replace(hour=18))
    assert not hours.covers(SUNDAY)
    assert format_week(hours.weekdays) == "T2T3T4T5T6"


def test_hours_per_weekday() -> None:
    hours = parse_hours("T20800-1500;T30700-1100", None)
    assert hours.covers(MONDAY)
    assert hours.covers(TUESDAY)
    assert not hours.covers(TUESDAY.replace(hour=12))
    assert not hours.covers(datetime(2026, 11, 25, 9, 0))  # T4 has no interval


def test_split_shift_and_night_shift() -> None:
    split = parse_hours("0700-1130;1330-1700", "")
    assert split.covers(MONDAY) and not split.covers(MONDAY.replace(hour=12))
    night = parse_hours("2200-0600", "CN")
    assert night.covers(SUNDAY.replace(hour=23)) and night.covers(SUNDAY.replace(hour=5))
    assert not night.covers(SUNDAY)


def test_empty_hours_cover_everything() -> None:
    hours = parse_hours(None, None)
    assert hours.empty and hours.covers(SUNDAY)


def test_well_formed_hours_have_no_problems() -> None:
    assert check_hours("T20800-1500;T30700-1100", "T2T3") == []
    assert check_hours("0700-2400", "T2T3T4T5T6T7CN") == []


@pytest.mark.parametrize(
    ("day", "week", "code"),
    [
        ("7:00-17:00", None, "HOURS_DAY_FORMAT"),
        ("2500-1700", None, "HOURS_DAY_TIME"),
        ("0760-1700", None, "HOURS_DAY_TIME"),
        ("0700-0700", None, "HOURS_DAY_EMPTY"),
        ("T80700-1100", None, "HOURS_DAY_FORMAT"),
        (None, "T2T9", "HOURS_WEEK_FORMAT"),
        (None, "Thứ 2", "HOURS_WEEK_FORMAT"),
    ],
)
def test_malformed_hours(day: str | None, week: str | None, code: str) -> None:
    assert code in [p.code for p in check_hours(day, week)]


def test_local_day_of_stored_instants() -> None:
    from datetime import UTC, date

    from adapter.registry.model import local_day

    assert local_day(datetime(2026, 11, 21, 23, 30, tzinfo=UTC)) == date(2026, 11, 22)  # 06:30 in Vietnam
    assert local_day(datetime(2026, 11, 21, 16, 59)) == date(2026, 11, 21)  # naive = UTC (SQLite)
