"""Value formatting by field kind (spec §3.2)."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from mapper_samples import FACILITY, outpatient

from adapter.catalogue import field
from adapter.errors import DataError
from adapter.mappers import build_table, table_document
from adapter.mappers.format import CENT, MILLI, _fixed, amount, format_value, kind_of, plain, quantity


def test_datetime_and_date_in_their_own_and_in_the_other_width() -> None:
    moment = datetime(2025, 7, 1, 8, 5, 59)
    assert format_value(moment, "dt12") == "202507010805"
    assert format_value(moment, "d8") == "20250701"
    assert format_value(date(2025, 7, 1), "dt12") == "202507010000"
    assert format_value(date(2025, 7, 1), "d8") == "20250701"
    assert format_value(date(2025, 7, 1)) == "20250701"
    assert format_value(moment) == "202507010805"


@pytest.mark.parametrize(("value", "text"), [
    ("30000", "30000.00"), ("0.005", "0.01"), ("2.675", "2.68"), ("-0.001", "0.00"),
    ("1E+5", "100000.00"), ("-12.5", "-12.50"), ("123456789012.345", "123456789012.35"),
])
def test_amounts_have_two_decimals_half_up(value: str, text: str) -> None:
    assert amount(Decimal(value)) == text


@pytest.mark.parametrize(("value", "text"), [
    ("10", "10"), ("10.500", "10.5"), ("1428.5714", "1428.571"), ("0.0005", "0.001"),
    ("1E+3", "1000"), ("0.0004", "0"), ("2.000", "2"),
])
def test_quantities_and_prices_have_at_most_three_decimals(value: str, text: str) -> None:
    assert quantity(Decimal(value)) == text


@pytest.mark.parametrize(("value", "text"), [("100", "100"), ("1E+2", "100"), ("80.0", "80"),
                                             ("0.50", "0.5"), ("-0", "0"), ("168.25", "168.25")])
def test_other_decimals_are_exact_without_exponent(value: str, text: str) -> None:
    assert plain(Decimal(value)) == text


@pytest.mark.parametrize("value", ["NaN", "Infinity", "1E+80"])
def test_unwritable_decimals_are_data_errors(value: str) -> None:
    with pytest.raises(DataError):
        amount(Decimal(value))


def test_kinds_follow_the_catalogue() -> None:
    def kind(table: int, name: str, profile: str = "4750") -> str:
        return kind_of(field(table, profile, name).fmt, profile)  # type: ignore[arg-type]

    assert kind(1, "NGAY_VAO") == "dt12"
    assert kind(1, "T_TONGCHI_BV") == "dec2"
    assert kind(2, "SO_LUONG") == "dec3"
    assert kind(2, "DON_GIA") == "dec3"
    assert kind(3, "DON_GIA_BH") == "dec3"
    assert kind(2, "MUC_HUONG") == "auto"
    assert kind(1, "NGAY_MIEN_CCT") == "auto"
    assert kind(6, "NGAYKD_HIV") == "d8"
    assert kind(14, "NGAY_HEN_KL", "4750") == "dt12"
    assert kind(14, "NGAY_HEN_KL", "3176") == "d8"


def test_text_and_integers() -> None:
    assert format_value(7) == "7"
    assert format_value(None) == ""
    assert format_value("a\x00b") == "ab"
    assert format_value("0001") == "0001"


_DECIMALS = st.decimals(allow_nan=False, allow_infinity=False, min_value=-10**12, max_value=10**12)


@given(_DECIMALS)
def test_amount_fast_path_equals_the_exact_path(value: Decimal) -> None:
    assert amount(value) == _fixed(value, CENT)


@given(_DECIMALS)
def test_quantity_fast_path_equals_the_exact_path(value: Decimal) -> None:
    exact = _fixed(value, MILLI)
    assert quantity(value) == (exact.rstrip("0").rstrip(".") if "." in exact else exact)


@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)))
def test_stamps_match_strftime(moment: datetime) -> None:
    assert format_value(moment, "dt12") == moment.strftime("%Y%m%d%H%M")
    assert format_value(moment.date(), "d8") == moment.strftime("%Y%m%d")


def test_a_float_is_refused_with_its_record_and_field() -> None:
    enc = outpatient()
    bad = dataclasses.replace(enc.drugs[0], don_gia=1500.5)  # type: ignore[arg-type]
    with pytest.raises(DataError) as caught:
        table_document(2, dataclasses.replace(enc, drugs=(bad,)), "3176", FACILITY)
    error = caught.value
    assert (error.record, error.field, error.rule) == (enc.ma_lk, "DON_GIA", "FORMAT_FLOAT")
    assert "1500" not in str(caught.value)


def test_an_integer_amount_still_gets_two_decimals() -> None:
    enc = outpatient()
    line = dataclasses.replace(enc.drugs[0], thanh_tien_bv=15000)  # type: ignore[arg-type]
    row = build_table(2, dataclasses.replace(enc, drugs=(line,)), "3176", FACILITY)
    assert row.findtext("DSACH_CHI_TIET_THUOC/CHI_TIET_THUOC/THANH_TIEN_BV") == "15000.00"
