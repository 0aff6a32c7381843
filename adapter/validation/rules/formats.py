"""Identifier and code formats (spec §4.1, §4.2; identifiers §2) and code-list membership."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache

from adapter import catalogue
from adapter.catalogue import PROFILES
from adapter.validation.issues import Issue
from adapter.validation.rules.base import Episode, Row, at, split_list

CCCD = re.compile(r"\d{9}|\d{12}|[A-Z]\d{7}")
CARD = re.compile(r"[A-Z]{2}[1-5]\d{12}")
FACILITY = re.compile(r"[0-9A-Z]{5}")
ICD10 = re.compile(r"[A-Z]\d{2}(?:\.\d{1,3})?")
DEPT = re.compile(r"K\d{2}(?:\d{2})*(?:\.(?:\d{1,2}|D\d{2}))?")
BED = re.compile(r"[HTCK]\d{3}")
GOI_VTYT = re.compile(r"G[1-9]\d{0,2}")
MAX_SECONDARY_ICD = 12

_FACILITY_SINGLE = ("MA_CSKCB", "MA_NOI_DI", "MA_NOI_DEN")
_FACILITY_LISTS = ("MA_DKBD", "MA_CSKCB_DI", "MA_CSKCB_DEN")
_CARD_LISTS = ("MA_DKBD", "GT_THE_TU", "GT_THE_DEN")


def _cccd(ep: Episode, table: int, row_no: int | None, row: Row) -> Iterator[Issue]:
    value = row.get("SO_CCCD", "")
    if not value:
        return
    if not CCCD.fullmatch(value):
        # 3176 allows a foreigner's passport, whose format is not Vietnamese: only an
        # all-digit value of the wrong length is certainly wrong there.
        if ep.profile == "4750" or value.isdigit():
            yield at(ep, "CCCD_FORMAT", table, row_no, row, "SO_CCCD")
        return
    if len(value) == 12:
        yield from _cccd_birth(ep, table, row_no, row, value)


def _cccd_birth(ep: Episode, table: int, row_no: int | None, row: Row, value: str) -> Iterator[Issue]:
    century_sex = int(value[3])
    year = 1900 + 100 * (century_sex // 2) + int(value[4:6])
    birth = row.get("NGAY_SINH", "")
    if birth[:4].isdigit() and int(birth[:4]) != year:
        yield at(ep, "CCCD_BIRTH_MISMATCH", table, row_no, row, "NGAY_SINH")
    sex = row.get("GIOI_TINH", "")
    if sex in ("1", "2") and (sex == "1") != (century_sex % 2 == 0):
        yield at(ep, "CCCD_BIRTH_MISMATCH", table, row_no, row, "GIOI_TINH")


def _cards(ep: Episode, table: int, row_no: int | None, row: Row) -> Iterator[Issue]:
    cards = split_list(row.get("MA_THE_BHYT", ""))
    if not cards:
        return
    if not all(CARD.fullmatch(c) for c in cards):
        yield at(ep, "CARD_FORMAT", table, row_no, row, "MA_THE_BHYT")
    for name in _CARD_LISTS:
        values = split_list(row.get(name, ""))
        if values and len(values) != len(cards):
            yield at(ep, "CARD_LIST_MISMATCH", table, row_no, row, name)
    starts, ends = split_list(row.get("GT_THE_TU", "")), split_list(row.get("GT_THE_DEN", ""))
    if any(len(a) == len(b) == 8 and a > b for a, b in zip(starts, ends, strict=False)):
        yield at(ep, "CARD_VALIDITY", table, row_no, row, "GT_THE_DEN")


def card_covers(starts: list[str], ends: list[str], day: str) -> bool:
    """Some card's [GT_THE_TU, GT_THE_DEN] holds the yyyyMMdd ``day`` (an open end runs on)."""
    padded = ends + [""] * len(starts)
    return any(a <= day and (not b or day <= b) for a, b in zip(starts, padded, strict=False))


def check_card_coverage(ep: Episode) -> Iterator[Issue]:
    xml1 = ep.xml1()
    if xml1 is None or not xml1.get("MA_THE_BHYT"):
        return
    starts, ends = split_list(xml1.get("GT_THE_TU", "")), split_list(xml1.get("GT_THE_DEN", ""))
    if not starts or not all(len(d) == 8 and d.isdigit() for d in starts + ends):
        return                      # format rules report these
    for name in ("NGAY_VAO", "NGAY_RA"):
        day = xml1.get(name, "")[:8]
        if len(day) == 8 and day.isdigit() and not card_covers(starts, ends, day):
            yield at(ep, "CARD_NOT_VALID_ON_VISIT", 1, None, xml1, name)


def check_checkin_emergency(ep: Episode) -> Iterator[Issue]:
    for row_no, row in ep.located(0):
        if row.get("MA_DOITUONG_KCB") == "2":
            yield at(ep, "CHECKIN_EMERGENCY", 0, row_no, row, "MA_DOITUONG_KCB")


def _facilities(ep: Episode, table: int, row_no: int | None, row: Row) -> Iterator[Issue]:
    for name in _FACILITY_SINGLE:
        value = row.get(name, "")
        if value and not FACILITY.fullmatch(value):
            yield at(ep, "FACILITY_CODE_FORMAT", table, row_no, row, name)
    for name in _FACILITY_LISTS:
        if not all(FACILITY.fullmatch(v) for v in split_list(row.get(name, ""))):
            yield at(ep, "FACILITY_CODE_FORMAT", table, row_no, row, name)


def _icd(ep: Episode, table: int, row_no: int | None, row: Row) -> Iterator[Issue]:
    main = row.get("MA_BENH_CHINH", "")
    if main and not ICD10.fullmatch(main):
        yield at(ep, "ICD10_FORMAT", table, row_no, row, "MA_BENH_CHINH")
    for name in ("MA_BENH_KT", "MA_BENH"):
        codes = split_list(row.get(name, ""))
        if not all(ICD10.fullmatch(c) for c in codes):
            yield at(ep, "ICD10_FORMAT", table, row_no, row, name)
        if name == "MA_BENH_KT" and len(codes) > MAX_SECONDARY_ICD:
            yield at(ep, "ICD10_TOO_MANY", table, row_no, row, name, limit=MAX_SECONDARY_ICD)


def _small_codes(ep: Episode, table: int, row_no: int | None, row: Row) -> Iterator[Issue]:
    if not all(DEPT.fullmatch(c) for c in split_list(row.get("MA_KHOA", ""))):
        yield at(ep, "DEPT_CODE_FORMAT", table, row_no, row, "MA_KHOA")
    if not all(BED.fullmatch(c) for c in split_list(row.get("MA_GIUONG", ""))):
        yield at(ep, "BED_CODE_FORMAT", table, row_no, row, "MA_GIUONG")
    goi = row.get("GOI_VTYT", "")
    if goi and not GOI_VTYT.fullmatch(goi):
        yield at(ep, "GOI_VTYT_FORMAT", table, row_no, row, "GOI_VTYT")
    for name in ("MA_BHXH", "MA_BHXH_NND"):
        value = row.get(name, "")
        if value and (not value.isdigit() or not value.strip("0")):
            yield at(ep, "MA_BHXH_FORMAT", table, row_no, row, name)


RowCheck = Callable[[Episode, int, "int | None", Row], Iterator[Issue]]
_TRIGGERS: tuple[tuple[RowCheck, frozenset[str]], ...] = (
    (_cccd, frozenset({"SO_CCCD"})),
    (_cards, frozenset({"MA_THE_BHYT"})),
    (_facilities, frozenset(_FACILITY_SINGLE + _FACILITY_LISTS)),
    (_icd, frozenset({"MA_BENH_CHINH", "MA_BENH_KT", "MA_BENH"})),
    (_small_codes, frozenset({"MA_KHOA", "MA_GIUONG", "GOI_VTYT", "MA_BHXH", "MA_BHXH_NND"})),
)


@cache
def _applicable(table: int) -> tuple[RowCheck, ...]:
    """The format checks whose fields the table has (in either profile): XML2 rows skip card checks."""
    names = {f.name for p in PROFILES for f in catalogue.fields(table, p)}
    return tuple(check for check, fields in _TRIGGERS if names & fields)


def check_formats(ep: Episode) -> Iterator[Issue]:
    for table in sorted(ep.tables):
        checks = _applicable(table)
        for row_no, row in ep.located(table):
            for check in checks:
                yield from check(ep, table, row_no, row)


def check_code_lists(ep: Episode) -> Iterator[Issue]:
    for (table, name), codelist in ep.context.codelists.by_field.items():
        for row_no, row in ep.located(table):
            value = row.get(name, "")
            if value and value not in codelist.codes:
                yield at(ep, "CODE_NOT_IN_LIST", table, row_no, row, name, list=codelist.name,
                         source=codelist.source)
