"""Registered working hours of 02/DM: ``THOIGIAN_NGAY`` and ``THOIGIAN_TUAN``. Pure.

``THOIGIAN_NGAY`` is ``HHMM-HHMM`` (every working day) or a ``;`` list with a weekday
prefix per item (``T20800-1500;T30700-1100``); several unprefixed items are several
intervals of the same day (``0700-1130;1330-1700``). ``THOIGIAN_TUAN`` concatenates
``T2``..``T7`` and ``CN``. On-call hours are excluded by the regulation, so an order
outside them is a warning, never a rejection (the claim check decides severity).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time

from adapter.registry.identifiers import Problem, error, split_list

_DAYS = {"T2": 0, "T3": 1, "T4": 2, "T5": 3, "T6": 4, "T7": 5, "CN": 6}
_DAY_NAMES = {v: k for k, v in _DAYS.items()}
_INTERVAL = re.compile(r"(?P<day>T[2-7]|CN)?(?P<start>\d{4})-(?P<end>\d{4})")
_WEEK_TOKEN = re.compile(r"T[2-7]|CN")


@dataclass(frozen=True, kw_only=True, slots=True)
class Interval:
    weekday: int | None        # 0 = Monday (T2) .. 6 = Sunday (CN); None = every working day
    start: time
    end: time                  # an end before the start wraps past midnight (night shifts)

    def contains(self, at: time) -> bool:
        if self.start <= self.end:
            return self.start <= at <= self.end
        return at >= self.start or at <= self.end


@dataclass(frozen=True, kw_only=True, slots=True)
class WorkingHours:
    """Parsed hours. Empty means "not registered": nothing can be said about an order time."""

    weekdays: frozenset[int] = frozenset()
    intervals: tuple[Interval, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.weekdays and not self.intervals

    def covers(self, at: datetime) -> bool:
        """Whether an order at ``at`` (local wall clock) falls inside the registered hours."""
        day = at.weekday()
        if self.weekdays and day not in self.weekdays:
            return False
        applicable = [i for i in self.intervals if i.weekday in (None, day)]
        if not applicable:
            return not self.intervals
        return any(i.contains(at.time()) for i in applicable)


def _hhmm(text: str) -> time | None:
    hours, minutes = int(text[:2]), int(text[2:])
    if text == "2400":
        return time(23, 59, 59)
    if hours > 23 or minutes > 59:
        return None
    return time(hours, minutes)


def parse_hours(day: str | None, week: str | None) -> WorkingHours:
    """Parse what parses; ``check_hours`` reports the rest."""
    intervals = []
    for item in split_list(day):
        m = _INTERVAL.fullmatch(item.upper())
        start, end = (_hhmm(m["start"]), _hhmm(m["end"])) if m else (None, None)
        if m and start is not None and end is not None:
            intervals.append(Interval(weekday=_DAYS[m["day"]] if m["day"] else None, start=start, end=end))
    days = frozenset(_DAYS[t] for t in _WEEK_TOKEN.findall((week or "").upper()))
    return WorkingHours(weekdays=days, intervals=tuple(intervals))


def check_hours(day: str | None, week: str | None, *, field_day: str = "hours_day",
                field_week: str = "hours_week") -> list[Problem]:
    problems = [p for item in split_list(day) for p in _check_interval(item, field_day)]
    rest = re.sub(r"[\s;,]", "", _WEEK_TOKEN.sub("", (week or "").upper()))
    if rest:
        problems.append(error("HOURS_WEEK_FORMAT", field_week,
                              "working days must be T2..T7 or CN, e.g. T2T3T4T5T6",
                              "Ngày làm việc phải là T2..T7 hoặc CN, ví dụ T2T3T4T5T6"))
    return problems


def _check_interval(item: str, field: str) -> list[Problem]:
    m = _INTERVAL.fullmatch(item.upper())
    if not m:
        return [error("HOURS_DAY_FORMAT", field,
                      "working hours must be HHMM-HHMM, optionally prefixed T2..T7/CN",
                      "Thời gian làm việc phải có dạng HHMM-HHMM, có thể kèm T2..T7/CN")]
    start, end = _hhmm(m["start"]), _hhmm(m["end"])
    if start is None or end is None:
        return [error("HOURS_DAY_TIME", field, "working hours contain an impossible time",
                      "Thời gian làm việc có giờ phút không hợp lệ")]
    if start == end:
        return [error("HOURS_DAY_EMPTY", field, "working interval starts and ends at the same time",
                      "Khoảng thời gian làm việc có giờ bắt đầu bằng giờ kết thúc")]
    return []


def format_week(weekdays: frozenset[int]) -> str:
    return "".join(_DAY_NAMES[d] for d in sorted(weekdays))
