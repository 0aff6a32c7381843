"""Date ordering (spec §4.2). Values of different precision are compared on the common prefix.

yyyyMMdd and yyyyMMddHHmm are digit strings of fixed width, so comparing their
common prefix as text is comparing them as dates at the coarser precision: a
yyyyMMdd appointment is compared with a discharge moment by day only.
"""

from __future__ import annotations

from collections.abc import Iterator

from adapter.validation.issues import Issue
from adapter.validation.rules.base import Episode, at, moment

# (tables, later field, earlier field): later >= earlier when both are present and valid.
ORDERINGS: tuple[tuple[tuple[int, ...], str, str], ...] = (
    ((0, 1, 13, 14), "NGAY_VAO_NOI_TRU", "NGAY_VAO"),
    ((1, 7, 8, 13, 14), "NGAY_RA", "NGAY_VAO"),
    ((0, 1), "NGAY_VAO", "NGAY_SINH"),
    ((0,), "NGAY_YL", "NGAY_VAO"),
    ((1,), "NGAY_TTOAN", "NGAY_VAO"),
    ((2, 3), "NGAY_TH_YL", "NGAY_YL"),
    ((3,), "NGAY_KQ", "NGAY_YL"),
    ((14,), "NGAY_HEN_KL", "NGAY_RA"),
    ((14,), "NGAY_CT", "NGAY_VAO"),
    ((10, 11), "DEN_NGAY", "TU_NGAY"),
    ((7,), "NGOAITRU_DENNGAY", "NGOAITRU_TUNGAY"),
    ((6, 15), "NGAYKT_DTRI_LAO", "NGAYBD_DTRI_LAO"),
)


def _comparable(text: str) -> bool:
    # Birth dates may hold 00 for unknown parts; they still order correctly as digits.
    return moment(text) is not None or (len(text) in (8, 12) and text.isdigit())


def not_before(later: str, earlier: str) -> bool:
    """True unless both are valid and ``later`` is before ``earlier``."""
    if not (_comparable(later) and _comparable(earlier)):
        return True
    n = min(len(later), len(earlier))
    return later[:n] >= earlier[:n]


def check_date_order(ep: Episode) -> Iterator[Issue]:
    for tables, later, earlier in ORDERINGS:
        for table in tables:
            for row_no, row in ep.located(table):
                if not not_before(row.get(later, ""), row.get(earlier, "")):
                    yield at(ep, "DATE_ORDER", table, row_no, row, later, other=earlier)


def check_within_episode(ep: Episode) -> Iterator[Issue]:
    """Order times of drug and service lines fall within XML1 NGAY_VAO..NGAY_RA ([QLBV])."""
    xml1 = ep.xml1()
    if xml1 is None:
        return
    start, end = xml1.get("NGAY_VAO", ""), xml1.get("NGAY_RA", "")
    for table in (2, 3):
        for row_no, row in ep.located(table):
            yl = row.get("NGAY_YL", "")
            if yl and not (not_before(yl, start) and not_before(end, yl)):
                yield at(ep, "DATE_OUTSIDE_EPISODE", table, row_no, row, "NGAY_YL")
