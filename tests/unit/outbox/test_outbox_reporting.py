from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from adapter.errors import ConfigError
from adapter.outbox.reporting import day_window, subtract_working_days


def test_working_days_skip_weekends() -> None:
    assert subtract_working_days(date(2026, 11, 23), 1) == date(2026, 11, 20)  # Monday -> Friday
    assert subtract_working_days(date(2026, 11, 20), 7) == date(2026, 11, 11)


def test_local_day_is_a_utc_window() -> None:
    start, end, overdue = day_window("2026-11-20", "Asia/Ho_Chi_Minh", datetime.now(UTC), 7)
    assert start == datetime(2026, 11, 19, 17, 0, tzinfo=UTC)
    assert end == datetime(2026, 11, 20, 17, 0, tzinfo=UTC)
    assert overdue == datetime(2026, 11, 10, 17, 0, tzinfo=UTC)


def test_default_is_today_in_the_local_zone() -> None:
    start, _, _ = day_window(None, "Asia/Ho_Chi_Minh", datetime(2026, 11, 22, 18, 0, tzinfo=UTC), 7)
    assert start == datetime(2026, 11, 22, 17, 0, tzinfo=UTC)  # already the 23rd locally


def test_bad_dates_are_config_errors() -> None:
    with pytest.raises(ConfigError):
        day_window("22/11/2026", "Asia/Ho_Chi_Minh", datetime.now(UTC), 7)
