"""Cross-table consistency (spec §4.2), table presence, and the practitioner registry rule."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from adapter.validation.issues import Issue
from adapter.validation.rules.base import Episode, Row, at, make_issue, moment, split_list

# "Nếu có dữ liệu thì phải giống thông tin này ở bảng 1" (XML6, 13, 14, 15).
ADMIN_TABLES = (6, 13, 14, 15)
ADMIN_FIELDS = ("MA_BN", "HO_TEN", "SO_CCCD", "NGAY_SINH", "GIOI_TINH", "MA_QUOCTICH", "MA_DANTOC",
                "MA_NGHE_NGHIEP", "DIA_CHI", "MATINH_CU_TRU", "MAHUYEN_CU_TRU", "MAXA_CU_TRU", "MA_THE_BHYT",
                "GT_THE_DEN", "MA_CSKCB", "NGAY_VAO", "NGAY_VAO_NOI_TRU", "NGAY_RA")
XML8_TYPES = frozenset({"03", "04", "06"})
XML7_TYPES = frozenset({"03", "04"})
# (table, field with practitioner codes, fields giving when they acted (first present wins),
# whether working hours apply). The registry answers "outside_hours" only when given a
# datetime; MA_TTDV signs for the facility, so it is checked on the day only.
PRACTITIONER_FIELDS: tuple[tuple[int, str, tuple[str, ...], bool], ...] = (
    (1, "MA_TTDV", ("NGAY_RA", "NGAY_VAO"), False),
    (2, "MA_BAC_SI", ("NGAY_YL",), True),
    (3, "MA_BAC_SI", ("NGAY_YL",), True),
    (3, "NGUOI_THUC_HIEN", ("NGAY_TH_YL", "NGAY_YL"), True),
    (4, "MA_BS_DOC_KQ", ("NGAY_KQ",), True),
    (5, "NGUOI_THUC_HIEN", ("THOI_DIEM_DBLS",), True),
)


def check_ma_lk(ep: Episode) -> Iterator[Issue]:
    xml1 = ep.xml1()
    if xml1 is None or not xml1.get("MA_LK"):
        return
    key = xml1["MA_LK"]
    for table in sorted(t for t in ep.tables if t not in (0, 1)):
        for row_no, row in ep.located(table):
            value = row.get("MA_LK", "")
            if value and value != key:
                yield at(ep, "CROSS_MA_LK", table, row_no, row, "MA_LK")


def check_admin(ep: Episode) -> Iterator[Issue]:
    xml1 = ep.xml1()
    if xml1 is None:
        return
    for table in ADMIN_TABLES:
        for row_no, row in ep.located(table):
            for name in ADMIN_FIELDS:
                value = row.get(name, "")
                if value and name in xml1 and value != xml1[name]:
                    yield at(ep, "CROSS_ADMIN_MISMATCH", table, row_no, row, name)


def check_presence(ep: Episode) -> Iterator[Issue]:
    xml1 = ep.xml1()
    kind = xml1.get("MA_LOAI_KCB", "") if xml1 is not None else ""
    if 8 in ep.tables and xml1 is not None and ep.context.xml8_policy == "sheet" and kind not in XML8_TYPES:
        yield make_issue("XML8_NOT_EXPECTED", "XML8", ma_lk=ep.ma_lk)
    if not ep.whole or 0 in ep.tables:
        return
    if xml1 is None:
        yield make_issue("TABLE_MISSING", "XML1", field="XML1", ma_lk=ep.ma_lk)
    elif kind in XML7_TYPES and 7 not in ep.tables:
        yield make_issue("TABLE_MISSING", "XML7", field="XML7", ma_lk=ep.ma_lk)


def _acted(row: Row, fields: tuple[str, ...], xml1: Row | None) -> datetime | None:
    for name in fields:
        when = moment(row.get(name, ""))
        if when is not None:
            return when
    return moment(xml1.get("NGAY_VAO", "")) if xml1 is not None else None


def _statuses(ep: Episode, row: Row, field: str, when: datetime | None, hours: bool) -> Iterator[str]:
    assert ep.context.registry is not None
    if when is None:
        return
    on = when if hours else when.date()
    for code in dict.fromkeys(split_list(row.get(field, ""))):
        if code:
            yield ep.context.registry.status(code, on)


def check_practitioners(ep: Episode) -> Iterator[Issue]:
    """Runs only when the context carries a registry (the registry helper's port)."""
    if ep.context.registry is None:
        return
    xml1 = ep.xml1()
    for table, field, dates, hours in PRACTITIONER_FIELDS:
        for row_no, row in ep.located(table):
            when = _acted(row, dates, xml1)
            bad = [s for s in _statuses(ep, row, field, when, hours) if s != "valid"]
            hard = [s for s in bad if s != "outside_hours"]
            if hard:
                yield at(ep, "PRACTITIONER_NOT_REGISTERED", table, row_no, row, field, status=hard[0])
            elif bad:
                yield at(ep, "PRACTITIONER_OUTSIDE_HOURS", table, row_no, row, field)
