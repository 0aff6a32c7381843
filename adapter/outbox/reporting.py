"""Report windows (pure): a local calendar day as a UTC interval, and the sending deadline.

TT 48/2017 allows 7 working days to correct and send (bhyt-xml-spec.md §4.4); public
holidays are not modelled, so the deadline errs on the early side only around them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from adapter.errors import ConfigError


def subtract_working_days(day: date, n: int) -> date:
    """``n`` working days (Monday to Friday) before ``day``."""
    while n > 0:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def day_window(text: str | None, tz: str, now: datetime,
               deadline_days: int) -> tuple[datetime, datetime, datetime]:
    """(start, end, overdue_before) in UTC for the local day ``text`` (YYYY-MM-DD, default today).

    An item still pending at the end of the day is overdue if it was queued before
    ``overdue_before``: the start of the day ``deadline_days`` working days earlier.
    """
    zone = ZoneInfo(tz)
    try:
        day = date.fromisoformat(text) if text else now.astimezone(zone).date()
    except ValueError as exc:
        raise ConfigError(f"not a date (YYYY-MM-DD): {text!r}") from exc
    start = datetime.combine(day, time(0), zone)
    end = datetime.combine(day + timedelta(days=1), time(0), zone)
    overdue = datetime.combine(subtract_working_days(day, deadline_days), time(0), zone)
    return start.astimezone(UTC), end.astimezone(UTC), overdue.astimezone(UTC)
