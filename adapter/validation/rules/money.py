"""Money rules of spec §4.3 on the parsed rows, with ``Decimal`` only.

Line totals are re-derived here from the parsed strings; the split of a line into
T_BNTT / T_BNCCT / T_BHTT reuses ``adapter.money.split_4750`` / ``split_3176`` so the
validator and the mapper can never disagree on the formula. The split is recomputed
from the *recomputed* THANH_TIEN_BV/BH, so a wrong split is reported against what the
line should say, and a wrong THANH_TIEN_BV whose split is otherwise right is reported
once, not again in every field derived from it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal

from adapter.money import HUNDRED, ZERO, r2, split_3176, split_4750
from adapter.validation.issues import Issue
from adapter.validation.rules.base import Episode, Row, at, decimal

_OTHER_SOURCES = ("T_NGUONKHAC_NSNN", "T_NGUONKHAC_VTNN", "T_NGUONKHAC_VTTN", "T_NGUONKHAC_CL")
_RATIOS = ("TYLE_TT_BH", "TYLE_TT_DV", "MUC_HUONG")
_SPLIT = ("T_BNTT", "T_BNCCT", "T_BHTT")


def _d(row: Row, name: str, default: Decimal | None = None) -> Decimal | None:
    value = decimal(row.get(name, ""))
    return default if value is None else value


def _expected_totals(table: int, row: Row, profile: str) -> tuple[Decimal, ...] | None:
    """(THANH_TIEN_BV candidates..., THANH_TIEN_BH) or None when inputs are missing."""
    qty = _d(row, "SO_LUONG")
    bh_ratio = _d(row, "TYLE_TT_BH", HUNDRED)
    assert bh_ratio is not None
    if table == 2:
        price = _d(row, "DON_GIA")
        if qty is None or price is None:
            return None
        return r2(qty * price), r2(qty * price * bh_ratio / HUNDRED)
    price_bv, price_bh, dv = _d(row, "DON_GIA_BV"), _d(row, "DON_GIA_BH"), _d(row, "TYLE_TT_DV", HUNDRED)
    if qty is None or price_bv is None or price_bh is None or dv is None:
        return None
    bh = r2(qty * price_bh * dv / HUNDRED * bh_ratio / HUNDRED)
    bv = r2(qty * price_bv * dv / HUNDRED)
    if profile == "3176":
        # 3176: a facility that does not charge the patient the BHYT price difference.
        return bv, r2(qty * price_bv - qty * price_bh * (HUNDRED - dv) / HUNDRED), bh
    return bv, bh


def _far(reported: Decimal | None, expected: Decimal, tolerance: Decimal) -> bool:
    return reported is not None and abs(reported - expected) > tolerance


def _basis(row: Row, expected: tuple[Decimal, ...] | None, tol: Decimal) -> tuple[Decimal, Decimal] | None:
    """(THANH_TIEN_BV, THANH_TIEN_BH) to split: recomputed, or as reported when not recomputable."""
    bv, bh = _d(row, "THANH_TIEN_BV"), _d(row, "THANH_TIEN_BH")
    if expected is None:
        return (bv, bh) if bv is not None and bh is not None else None
    # Of the allowed THANH_TIEN_BV formulas, the one the line used.
    chosen = next((e for e in expected[:-1] if bv is not None and not _far(bv, e, tol)), expected[0])
    return chosen, expected[-1]


def _line_totals(ep: Episode, table: int, row_no: int | None, row: Row,
                 expected: tuple[Decimal, ...] | None) -> Iterator[Issue]:
    if expected is None:
        return
    tol = ep.context.money_tolerance
    bv = _d(row, "THANH_TIEN_BV")
    if bv is not None and all(_far(bv, e, tol) for e in expected[:-1]):
        yield at(ep, "MONEY_LINE_TOTAL", table, row_no, row, "THANH_TIEN_BV", profile=ep.profile)
    if _far(_d(row, "THANH_TIEN_BH"), expected[-1], tol):
        yield at(ep, "MONEY_LINE_TOTAL", table, row_no, row, "THANH_TIEN_BH", profile=ep.profile)


def _line_split(ep: Episode, table: int, row_no: int | None, row: Row,
                expected: tuple[Decimal, ...] | None) -> Iterator[Issue]:
    sources = [_d(row, n) for n in _OTHER_SOURCES]
    other = sum((p for p in sources if p is not None), ZERO)
    reported_other = _d(row, "T_NGUONKHAC")
    if _far(reported_other, other, ep.context.money_tolerance):
        yield at(ep, "MONEY_LINE_OTHER_SOURCES", table, row_no, row, "T_NGUONKHAC")
    basis, muc = _basis(row, expected, ep.context.money_tolerance), _d(row, "MUC_HUONG", HUNDRED)
    if basis is None or muc is None:
        return
    split = split_3176 if ep.profile == "3176" else split_4750
    parts = split(basis[0], basis[1], muc, other if reported_other is None else reported_other)
    for name, value in zip(_SPLIT, parts, strict=True):
        if _far(_d(row, name), value, ep.context.money_tolerance):
            yield at(ep, "MONEY_LINE_SPLIT", table, row_no, row, name, profile=ep.profile)


def _line_sanity(ep: Episode, table: int, row_no: int | None, row: Row) -> Iterator[Issue]:
    for name in _RATIOS:
        value = _d(row, name)
        if value is not None and not ZERO <= value <= HUNDRED:
            yield at(ep, "MONEY_RATIO_RANGE", table, row_no, row, name)
    ceiling, paid = _d(row, "T_TRANTT"), _d(row, "T_BHTT")
    if table == 3 and row.get("MA_VAT_TU") and ceiling is not None and paid is not None and paid > ceiling:
        yield at(ep, "MONEY_CEILING", table, row_no, row, "T_BHTT")


def check_lines(ep: Episode) -> Iterator[Issue]:
    for table in (2, 3):
        for row_no, row in ep.located(table):
            expected = _expected_totals(table, row, ep.profile)
            yield from _line_sanity(ep, table, row_no, row)
            yield from _line_totals(ep, table, row_no, row, expected)
            yield from _line_split(ep, table, row_no, row, expected)


def _sum(rows: Iterable[Row], name: str) -> Decimal:
    return sum((v for v in (decimal(r.get(name, "")) for r in rows) if v is not None), ZERO)


def expected_xml1_totals(drugs: tuple[Row, ...], services: tuple[Row, ...]) -> dict[str, Decimal]:
    """XML1 totals from the detail lines as written (spec §4.3, 'XML1 totals')."""
    lines = drugs + services
    tong_bh, bncct = _sum(lines, "THANH_TIEN_BH"), _sum(lines, "T_BNCCT")
    return {
        "T_THUOC": _sum(drugs, "THANH_TIEN_BV"),
        "T_VTYT": _sum((s for s in services if s.get("MA_VAT_TU")), "THANH_TIEN_BV"),
        "T_TONGCHI_BV": _sum(lines, "THANH_TIEN_BV"),
        "T_TONGCHI_BH": tong_bh,
        "T_BNTT": _sum(lines, "T_BNTT"),
        "T_BNCCT": bncct,
        "T_BHTT": tong_bh - bncct,
        "T_NGUONKHAC": _sum(lines, "T_NGUONKHAC"),
        "T_BHTT_GDV": _sum((x for x in lines if x.get("MA_PTTT", "") in ("1", "")), "T_BHTT"),
    }


def check_totals(ep: Episode) -> Iterator[Issue]:
    xml1 = ep.xml1()
    if xml1 is None or not (ep.whole or 2 in ep.tables or 3 in ep.tables):
        return
    for name, expected in expected_xml1_totals(ep.rows(2), ep.rows(3)).items():
        reported = decimal(xml1.get(name, ""))
        if reported is not None and r2(reported) != r2(expected):
            yield at(ep, "MONEY_TOTAL", 1, None, xml1, name)
