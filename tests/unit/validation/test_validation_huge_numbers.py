"""Numbers beyond any amount are reported as size/format issues, never a ``decimal`` crash.

A 28-digit ``Decimal`` context cannot quantize a ~30-digit value to cents; once that escaped
``validate_document`` as ``decimal.InvalidOperation``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal, localcontext

from hypothesis import given
from hypothesis import strategies as st

from adapter.money import r2
from adapter.validation.context import ValidationContext
from adapter.validation.parse import TableRows
from adapter.validation.rules.base import Episode, decimal
from adapter.validation.rules.money import check_lines, expected_xml1_totals

FINITE = st.decimals(allow_nan=False, allow_infinity=False, min_value=Decimal("-1E+60"),
                     max_value=Decimal("1E+60"), places=None)


@given(FINITE)
def test_r2_never_fails_and_keeps_every_integer_digit(value: Decimal) -> None:
    rounded = r2(value)
    assert rounded.as_tuple().exponent == -2
    with localcontext() as ctx:
        ctx.prec = 200                                  # the check itself must not round
        assert abs(rounded - value) <= Decimal("0.005")


def test_r2_is_half_up_and_ignores_a_narrow_caller_context() -> None:
    with localcontext() as ctx:
        ctx.prec = 5
        assert r2(Decimal("1" + "0" * 30 + ".005")) == Decimal("1" + "0" * 30 + ".01")
        assert r2(Decimal("-2.345")) == Decimal("-2.35")
        assert r2(Decimal("9" * 38 + ".995")) == Decimal("1" + "0" * 38 + ".00")   # the carry adds a digit


def test_oversize_numbers_are_left_to_the_structure_rules() -> None:
    assert decimal("999999999999999.99") == Decimal("999999999999999.99")
    assert decimal("-999999999999999") == Decimal("-999999999999999")
    assert decimal("1" + "0" * 15) is None
    assert decimal("1E+30") is None
    assert decimal("0E+40") == 0                      # zero, however written, has no size
    assert decimal("0.00000000000000000000000000000001") == Decimal("1E-32")


# 32 significant digits, just below half a cent: a 28-digit context rounds it up to .995.
BORDER = "99999999999999.994999999999999999"


def test_xml1_totals_are_exact_beyond_28_digits() -> None:
    line = {"THANH_TIEN_BV": BORDER, "THANH_TIEN_BH": "0", "T_BNCCT": "0"}
    totals = expected_xml1_totals((line,) * 3, ())
    assert r2(totals["T_TONGCHI_BV"]) == Decimal("299999999999999.98")


def _episode(row: dict[str, str]) -> Episode:
    exact = replace(ValidationContext.for_date(date(2025, 3, 1)), money_tolerance=Decimal(0))
    return Episode(tables={2: TableRows(table=2, rows=(row,))}, profile="3176", ma_lk="LK1",
                   context=exact, whole=False)


def test_line_totals_are_recomputed_exactly_beyond_28_digits() -> None:
    row = {"MA_LK": "LK1", "STT": "1", "SO_LUONG": "1", "DON_GIA": BORDER, "TYLE_TT_BH": "100",
           "MUC_HUONG": "100", "THANH_TIEN_BV": "99999999999999.99", "THANH_TIEN_BH": "99999999999999.99",
           "T_NGUONKHAC": "0", "T_BNTT": "0", "T_BNCCT": "0", "T_BHTT": "99999999999999.99"}
    assert list(check_lines(_episode(row))) == []
    found = [(i.rule, i.field) for i in check_lines(_episode(dict(row, THANH_TIEN_BV="100000000000000")))]
    assert found == [("MONEY_LINE_TOTAL", "THANH_TIEN_BV")]
