"""Episode-level sanity: bed-days, exam fees, treatment days, leave limits (spec §4.2, §4.3)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal

from adapter.money import ZERO
from adapter.validation.issues import Issue
from adapter.validation.rules.base import Episode, Row, at, decimal, moment

BED_GROUPS = frozenset({"14", "15", "16"})
EXAM_GROUP = "13"
NO_BED_TYPES = frozenset({"01", "02"})
INPATIENT_TYPES = frozenset({"03", "04", "06", "09"})
FOUR_HOURS = timedelta(hours=4)
ONE_DAY = timedelta(hours=24)
MAX_PREGNANCY_REST_DAYS = 180


def _qty(row: Row) -> Decimal:
    return decimal(row.get("SO_LUONG", "")) or ZERO


def _stay(xml1: Row) -> tuple[datetime, datetime] | None:
    start = moment(xml1.get("NGAY_VAO_NOI_TRU", "")) or moment(xml1.get("NGAY_VAO", ""))
    end = moment(xml1.get("NGAY_RA", ""))
    return (start, end) if start is not None and end is not None and end >= start else None


def countable_bed_days(start: datetime, end: datetime) -> int:
    """Admission and discharge day count as one day, plus one when the extra part-day is >= 4 h."""
    days = (end.date() - start.date()).days
    extra = (end - datetime.combine(end.date(), start.time())) if days else end - start
    return max(days + (1 if extra >= FOUR_HOURS else 0), 1 if end - start >= FOUR_HOURS else 0)


def check_bed_days(ep: Episode) -> Iterator[Issue]:
    xml1 = ep.xml1()
    beds = [(n, r) for n, r in ep.located(3) if r.get("MA_NHOM", "") in BED_GROUPS]
    for row_no, row in beds:
        if _qty(row) > 1:
            yield at(ep, "BED_DAY_QUANTITY", 3, row_no, row, "SO_LUONG")
    if xml1 is None or not beds:
        return
    kind = xml1.get("MA_LOAI_KCB", "")
    if kind in NO_BED_TYPES:
        yield at(ep, "BED_DAY_NOT_ALLOWED", 3, beds[0][0], beds[0][1], "MA_NHOM")
        return
    stay = _stay(xml1)
    if kind not in INPATIENT_TYPES or stay is None:
        return
    yield from _bed_count(ep, xml1, stay, sum((_qty(r) for _, r in beds), ZERO))


def _bed_count(ep: Episode, xml1: Row, stay: tuple[datetime, datetime], total: Decimal) -> Iterator[Issue]:
    start, end = stay
    length = end - start
    if (length < FOUR_HOURS and total > 0) or (length <= ONE_DAY and total > 1):
        yield at(ep, "BED_DAY_SHORT_STAY", 1, None, xml1, "NGAY_RA")
    elif length > ONE_DAY and total > countable_bed_days(start, end):
        yield at(ep, "BED_DAYS_EXCEED", 1, None, xml1, "SO_NGAY_DTRI")


def check_exam_fee(ep: Episode) -> Iterator[Issue]:
    xml1 = ep.xml1()
    if xml1 is None or xml1.get("MA_LOAI_KCB") != "03":
        return
    exams = [(n, r) for n, r in ep.located(3) if r.get("MA_NHOM") == EXAM_GROUP]
    if sum((_qty(r) for _, r in exams), ZERO) > 1:
        yield at(ep, "EXAM_FEE_INPATIENT", 3, exams[-1][0], exams[-1][1], "MA_NHOM")


def expected_treatment_days(kind: str, start: datetime, end: datetime, profile: str) -> int | None:
    """SO_NGAY_DTRI per [VALID] (4750) or the 3176 wording; None where it depends on other data."""
    zero = {"01", "07", "09"} if profile == "4750" else {"09"}
    span = {"02", "03", "04", "06"} if profile == "4750" else {"03", "04", "06"}
    if kind in zero:
        return 0
    return (end.date() - start.date()).days + 1 if kind in span else None


def _starts(xml1: Row, profile: str) -> list[datetime]:
    # 3176: a patient examined and given an appointment for admission counts from the
    # admission, so NGAY_VAO_NOI_TRU is an accepted start too.
    names = ("NGAY_VAO", "NGAY_VAO_NOI_TRU") if profile == "3176" else ("NGAY_VAO",)
    return [m for m in (moment(xml1.get(n, "")) for n in names) if m is not None]


def check_treatment_days(ep: Episode) -> Iterator[Issue]:
    xml1 = ep.xml1()
    if xml1 is None:
        return
    end, days = moment(xml1.get("NGAY_RA", "")), xml1.get("SO_NGAY_DTRI", "")
    if end is None or not days.isdigit():
        return
    kind = xml1.get("MA_LOAI_KCB", "")
    expected = {expected_treatment_days(kind, start, end, ep.profile) for start in _starts(xml1, ep.profile)}
    if expected and None not in expected and int(days) not in expected:
        yield at(ep, "TREATMENT_DAYS", 1, None, xml1, "SO_NGAY_DTRI")


def check_leave_days(ep: Episode) -> Iterator[Issue]:
    for row_no, row in ep.located(10):
        days = row.get("SO_NGAY", "")
        if days.isdigit() and int(days) > MAX_PREGNANCY_REST_DAYS:
            yield at(ep, "LEAVE_DAYS_LIMIT", 10, row_no, row, "SO_NGAY", limit=MAX_PREGNANCY_REST_DAYS)
