"""Money rules of spec §4.3 on the parsed rows, with ``Decimal`` only.

Line totals are re-derived here from the parsed strings; the split of a line into
T_BNTT / T_BNCCT / T_BHTT reuses ``adapter.money.split_4750`` / ``split_3176`` so the
validator and the mapper can never disagree on the formula. A split is accepted when
it follows from either the recomputed or the reported THANH_TIEN_BV/BH: a wrong
THANH_TIEN_BV is reported once (MONEY_LINE_TOTAL), not again in every field derived
from it, whichever of the two the HIS split.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Context, Decimal, localcontext
from functools import lru_cache

from adapter.money import HUNDRED, ZERO, r2, split_3176, split_4750
from adapter.validation.issues import Issue
from adapter.validation.rules.base import Episode, Row, at, decimal

_OTHER_SOURCES = ("T_NGUONKHAC_NSNN", "T_NGUONKHAC_VTNN", "T_NGUONKHAC_VTTN", "T_NGUONKHAC_CL")
_RATIOS = ("TYLE_TT_BH", "TYLE_TT_DV", "MUC_HUONG")
_SPLIT = ("T_BNTT", "T_BNCCT", "T_BHTT")
_NAMES = ("SO_LUONG", "DON_GIA", "DON_GIA_BV", "DON_GIA_BH", "THANH_TIEN_BV", "THANH_TIEN_BH", "T_NGUONKHAC",
          "T_TRANTT", *_RATIOS, *_OTHER_SOURCES, *_SPLIT)
_EMPTY = ("",) * len(_NAMES)
Amounts = dict[str, Decimal | None]
# Inputs are below 10^15 (base.decimal); a 15-digit quantity times a 15-digit price times two
# ratios needs more than the default 28 digits to stay exact to the cent.
_WIDE = Context(prec=60)


def amounts(row: Row) -> Amounts:
    """Every money field of a line parsed once (None when empty or malformed)."""
    return dict(zip(_NAMES, map(decimal, map(row.get, _NAMES, _EMPTY)), strict=True))


_SUMMED = ("THANH_TIEN_BV", "THANH_TIEN_BH", "T_BNTT", "T_BNCCT", "T_BHTT", "T_NGUONKHAC")
_SUMMED_EMPTY = ("",) * len(_SUMMED)


def _summed(row: Row) -> Amounts:
    return dict(zip(_SUMMED, map(decimal, map(row.get, _SUMMED, _SUMMED_EMPTY)), strict=True))


def _parsed(ep: Episode, table: int) -> list[Amounts]:
    """The summed money fields of every line of ``table``, parsed once per episode."""
    key = ("money.summed", table)
    found: list[Amounts] | None = ep.memo.get(key)
    if found is None:
        found = ep.memo[key] = [_summed(r) for r in ep.rows(table)]
    return found


def _or(value: Decimal | None, default: Decimal) -> Decimal:
    return default if value is None else value


def _expected_totals(table: int, v: Amounts, profile: str) -> tuple[Decimal, ...] | None:
    """(THANH_TIEN_BV candidates..., THANH_TIEN_BH) or None when inputs are missing."""
    qty, bh_ratio = v["SO_LUONG"], _or(v["TYLE_TT_BH"], HUNDRED)
    if table == 2:
        price = v["DON_GIA"]
        if qty is None or price is None:
            return None
        return r2(qty * price), r2(qty * price * bh_ratio / HUNDRED)
    price_bv, price_bh, dv = v["DON_GIA_BV"], v["DON_GIA_BH"], _or(v["TYLE_TT_DV"], HUNDRED)
    if qty is None or price_bv is None or price_bh is None:
        return None
    bh = r2(qty * price_bh * dv / HUNDRED * bh_ratio / HUNDRED)
    bv = r2(qty * price_bv * dv / HUNDRED)
    if profile == "3176":
        # 3176: a facility that does not charge the patient the BHYT price difference.
        return bv, r2(qty * price_bv - qty * price_bh * (HUNDRED - dv) / HUNDRED), bh
    return bv, bh


def _far(reported: Decimal | None, expected: Decimal, tolerance: Decimal) -> bool:
    return reported is not None and abs(reported - expected) > tolerance


def _bases(v: Amounts, expected: tuple[Decimal, ...] | None) -> list[tuple[Decimal, Decimal]]:
    """(THANH_TIEN_BV, THANH_TIEN_BH) pairs a correct split may start from: recomputed and as reported."""
    pairs = dict.fromkeys((e, expected[-1]) for e in expected[:-1]) if expected is not None else {}
    bv, bh = v["THANH_TIEN_BV"], v["THANH_TIEN_BH"]
    if bv is not None and bh is not None:
        pairs[(bv, bh)] = None
    return list(pairs)


def _total_faults(v: Amounts, expected: tuple[Decimal, ...] | None, tol: Decimal) -> list[str]:
    if expected is None:
        return []
    bv, faults = v["THANH_TIEN_BV"], []
    if bv is not None and _far(bv, expected[0], tol) and (len(expected) == 2 or _far(bv, expected[1], tol)):
        faults.append("THANH_TIEN_BV")
    if _far(v["THANH_TIEN_BH"], expected[-1], tol):
        faults.append("THANH_TIEN_BH")
    return faults


def _split_faults(v: Amounts, expected: tuple[Decimal, ...] | None, tol: Decimal, profile: str) -> list[str]:
    other = ZERO
    for name in _OTHER_SOURCES:
        part = v[name]
        other = other + part if part is not None else other
    faults = ["T_NGUONKHAC"] if _far(v["T_NGUONKHAC"], other, tol) else []
    split = split_3176 if profile == "3176" else split_4750
    muc, nk = _or(v["MUC_HUONG"], HUNDRED), _or(v["T_NGUONKHAC"], other)
    bases = _bases(v, expected)
    wrong: tuple[str, ...] = _SPLIT if bases else ()
    for bv, bh in bases:                  # usually the first basis fits at once
        parts = dict(zip(_SPLIT, split(bv, bh, muc, nk), strict=True))
        wrong = tuple(n for n in wrong if _far(v[n], parts[n], tol))
        if not wrong:
            break
    return faults + list(wrong)


def _sanity_faults(table: int, supply: bool, v: Amounts) -> list[str]:
    faults = [n for n in _RATIOS if (x := v[n]) is not None and not ZERO <= x <= HUNDRED]
    ceiling, paid = v["T_TRANTT"], v["T_BHTT"]
    if table == 3 and ceiling is not None and paid is not None and paid > ceiling and supply:
        faults.append("T_BHTT")
    return faults


_RULE_OF = {"THANH_TIEN_BV": "MONEY_LINE_TOTAL", "THANH_TIEN_BH": "MONEY_LINE_TOTAL",
            "T_NGUONKHAC": "MONEY_LINE_OTHER_SOURCES", "T_BNTT": "MONEY_LINE_SPLIT",
            "T_BNCCT": "MONEY_LINE_SPLIT", "T_BHTT": "MONEY_LINE_SPLIT"}


def check_lines(ep: Episode) -> Iterator[Issue]:
    # Computed whole before the first yield: a generator suspended inside localcontext()
    # would leave the wide context active in its caller.
    with localcontext(_WIDE):
        found = _line_issues(ep)
    yield from found


def _line_issues(ep: Episode) -> list[Issue]:
    # Plain lists, not nested generators: this runs on every line of every encounter.
    tol, profile, found = ep.context.money_tolerance, ep.profile, []
    for table in (2, 3):
        for row_no, row in ep.located(table):
            key = tuple(map(row.get, _NAMES, _EMPTY))
            for code, name, located in _line_faults(table, profile, tol, bool(row.get("MA_VAT_TU")), key):
                params = {"profile": profile} if located else {}
                found.append(at(ep, code, table, row_no, row, name, **params))
    return found


# Lines repeat their money fields across encounters (standard prices, quantity 1, the same
# benefit levels): 15,150 demo lines hold 252 distinct ones. The verdict is a pure function
# of these strings, so it is kept per distinct line; the key holds amounts, never who.
@lru_cache(maxsize=8192)
def _line_faults(table: int, profile: str, tol: Decimal, supply: bool,
                 values: tuple[str, ...]) -> tuple[tuple[str, str, bool], ...]:
    """(rule, field, with the profile) of each money fault of a line with these values."""
    v = dict(zip(_NAMES, map(decimal, values), strict=True))
    with localcontext(_WIDE):
        expected = _expected_totals(table, v, profile)
        out = [("MONEY_CEILING" if n == "T_BHTT" else "MONEY_RATIO_RANGE", n, False)
               for n in _sanity_faults(table, supply, v)]
        out += [(_RULE_OF[n], n, True)
                for n in _total_faults(v, expected, tol) + _split_faults(v, expected, tol, profile)]
    return tuple(out)


Line = tuple[Row, Amounts]


def _sum(lines: Iterable[Line], name: str) -> Decimal:
    return sum((x for x in (v[name] for _, v in lines) if x is not None), ZERO)


def expected_xml1_totals(drugs: tuple[Row, ...], services: tuple[Row, ...]) -> dict[str, Decimal]:
    """XML1 totals from the detail lines as written (spec §4.3, 'XML1 totals'), exact to the cent."""
    return _expected_xml1([(r, amounts(r)) for r in drugs], [(r, amounts(r)) for r in services])


def _expected_xml1(drugs: list[Line], services: list[Line]) -> dict[str, Decimal]:
    lines = drugs + services
    with localcontext(_WIDE):
        tong_bh, bncct = _sum(lines, "THANH_TIEN_BH"), _sum(lines, "T_BNCCT")
        return {
            "T_THUOC": _sum(drugs, "THANH_TIEN_BV"),
            "T_VTYT": _sum((s for s in services if s[0].get("MA_VAT_TU")), "THANH_TIEN_BV"),
            "T_TONGCHI_BV": _sum(lines, "THANH_TIEN_BV"),
            "T_TONGCHI_BH": tong_bh,
            "T_BNTT": _sum(lines, "T_BNTT"),
            "T_BNCCT": bncct,
            "T_BHTT": tong_bh - bncct,
            "T_NGUONKHAC": _sum(lines, "T_NGUONKHAC"),
            "T_BHTT_GDV": _sum((x for x in lines if x[0].get("MA_PTTT", "") in ("1", "")), "T_BHTT"),
        }


def check_totals(ep: Episode) -> Iterator[Issue]:
    xml1 = ep.xml1()
    if xml1 is None or not (ep.whole or 2 in ep.tables or 3 in ep.tables):
        return
    with localcontext(_WIDE):            # 5,000 lines of 15-digit amounts, summed exactly
        found = _total_issues(ep, xml1)
    yield from found


def _total_issues(ep: Episode, xml1: Row) -> list[Issue]:
    # With other-source money, T_TONGCHI_BH - T_BNCCT (the 130/4750 text, what the mapper
    # writes) and the sum of line T_BHTT (what the fund pays) differ; either is accepted.
    drugs = list(zip(ep.rows(2), _parsed(ep, 2), strict=True))
    services = list(zip(ep.rows(3), _parsed(ep, 3), strict=True))
    paid = r2(_sum(drugs + services, "T_BHTT"))
    found = []
    for name, expected in _expected_xml1(drugs, services).items():
        reported = decimal(xml1.get(name, ""))
        if reported is None or r2(reported) == r2(expected) or (name == "T_BHTT" and r2(reported) == paid):
            continue
        found.append(at(ep, "MONEY_TOTAL", 1, None, xml1, name))
    return found
