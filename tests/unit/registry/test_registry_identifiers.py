"""Identifier validators: tax code, CCCD, licence number, MA_KHOA, facility ids."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapter.registry.identifiers import (
    LicenceKey,
    LicenceKind,
    TaxCodeForm,
    TaxCodeSource,
    check_cccd,
    check_licence,
    check_ma_cskcb,
    check_ma_khoa,
    check_national_facility_id,
    check_tax_code,
    gs1_check_ok,
    is_tax_identity,
    licence_key,
    mst_check_digit,
    parse_cccd,
    tax_code_form,
)
from adapter.validation.issues import Severity

TODAY = date(2026, 11, 22)


def codes(problems: list) -> list[str]:  # type: ignore[type-arg]
    return [p.code for p in problems]


# Published tax codes of well-known Vietnamese enterprises, and the stdnum/vn-ident vectors.
@pytest.mark.parametrize(
    "mst",
    [
        "0100109106",  # Viettel
        "0300588569",  # Vinamilk
        "0100112437",  # Vietcombank
        "0100233488",  # python-stdnum doctest
        "0100047516",  # vn-ident worked example
        "0314409058-002",  # branch (python-stdnum doctest)
        " 0100.233.488 ",  # dots and spaces as typed
        "0314409058\u2013002",  # en dash from a word processor
    ],
)
def test_real_tax_codes_are_valid(mst: str) -> None:
    assert [p for p in check_tax_code(mst) if p.severity is Severity.BLOCKING] == []


@pytest.mark.parametrize(
    ("mst", "code"),
    [
        ("0100233480", "TAX_CODE_CHECK_DIGIT"),
        ("0300588560", "TAX_CODE_CHECK_DIGIT"),
        ("0100000009", "TAX_CODE_SEQUENCE"),
        ("0314409058-000", "TAX_CODE_BRANCH_SUFFIX"),
        ("100233488", "TAX_CODE_LEADING_ZERO"),
        ("01002334881", "TAX_CODE_FORMAT"),
        ("0100233488-12", "TAX_CODE_FORMAT"),
        ("MST0100233488", "TAX_CODE_FORMAT"),
    ],
)
def test_invalid_tax_codes_are_reported(mst: str, code: str) -> None:
    assert code in codes(check_tax_code(mst))


def test_check_digit_matches_the_published_example_and_rejects_remainder_zero() -> None:
    assert mst_check_digit("010004751") == 6
    nine = next(f"01{n:07d}" for n in range(1, 10_000) if mst_check_digit(f"01{n:07d}") is None)
    assert all("TAX_CODE_CHECK_DIGIT" in codes(check_tax_code(nine + str(d))) for d in range(10))


def test_branch_suffix_without_a_declared_source_is_a_warning_only() -> None:
    problems = check_tax_code("0100109106-001")
    assert codes(problems) == ["TAX_CODE_SOURCE_UNKNOWN"]
    assert problems[0].severity is Severity.WARNING


def test_da_nang_synthetic_suffix_needs_a_valid_parent() -> None:
    assert check_tax_code("0100109106-005", source=TaxCodeSource.SYNTHETIC_SUFFIX) == []
    assert "TAX_CODE_CHECK_DIGIT" in codes(
        check_tax_code("0100109107-005", source=TaxCodeSource.SYNTHETIC_SUFFIX)
    )
    assert codes(check_tax_code("0100109106", source=TaxCodeSource.SYNTHETIC_SUFFIX)) == [
        "TAX_CODE_SOURCE_MISMATCH"
    ]
    assert not is_tax_identity(TaxCodeSource.SYNTHETIC_SUFFIX)
    assert is_tax_identity(TaxCodeSource.BRANCH_13)


def test_twelve_digit_personal_id_is_accepted_as_tax_code() -> None:
    assert tax_code_form("048090001234") is TaxCodeForm.PERSONAL_12
    assert check_tax_code("048090001234", source=TaxCodeSource.PERSONAL_ID_12) == []
    assert codes(check_tax_code("048090001234", source=TaxCodeSource.ENTERPRISE_10)) == [
        "TAX_CODE_SOURCE_MISMATCH"
    ]


def test_empty_tax_code_is_not_this_validators_business() -> None:
    assert check_tax_code(None) == []
    assert check_tax_code("  ") == []


def test_cccd_structure_is_decoded() -> None:
    parts = parse_cccd("079301000123")
    assert parts is not None
    assert (parts.province, parts.male, parts.birth_year) == ("079", False, 2001)
    assert check_cccd("048090001234", today=TODAY, birth_year=1990, gender="1") == []


@pytest.mark.parametrize(
    ("cccd", "kwargs", "code"),
    [
        ("04809000123", {}, "CCCD_FORMAT"),
        ("04809000123a", {}, "CCCD_FORMAT"),
        ("999090001234", {}, "CCCD_PROVINCE"),
        ("048290001234", {}, "CCCD_BIRTH_YEAR"),  # born 2090
        ("048090001234", {"birth_year": 1991}, "CCCD_BIRTH_YEAR"),
        ("048090001234", {"gender": "2"}, "CCCD_SEX"),
    ],
)
def test_cccd_problems(cccd: str, kwargs: dict, code: str) -> None:  # type: ignore[type-arg]
    assert code in codes(check_cccd(cccd, today=TODAY, **kwargs))


def test_cccd_country_prefix_is_only_a_warning() -> None:
    problems = check_cccd("999090001234", today=TODAY)
    assert [p.severity for p in problems] == [Severity.WARNING]


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("006946/ĐNA-CCHN", LicenceKey(kind=LicenceKind.CCHN, issuer="DNA", serial=6946)),
        ("001817/QNA-CCHN", LicenceKey(kind=LicenceKind.CCHN, issuer="QNA", serial=1817)),
        ("0021030/HCM-CCHN", LicenceKey(kind=LicenceKind.CCHN, issuer="HCM", serial=21030)),
        ("000465/hcm-gphn", LicenceKey(kind=LicenceKind.GPHN, issuer="HCM", serial=465)),
        (" 008071 / ĐL-CCHN", LicenceKey(kind=LicenceKind.CCHN, issuer="DL", serial=8071)),
        ("0026767/BYT-CCHN", LicenceKey(kind=LicenceKind.CCHN, issuer="BYT", serial=26767)),
    ],
)
def test_licence_numbers_seen_in_registers_parse(raw: str, key: LicenceKey) -> None:
    assert licence_key(raw) == key
    assert check_licence(raw) == []


def test_cchn_and_gphn_with_the_same_serial_are_different_people() -> None:
    assert licence_key("000465/HCM-CCHN") != licence_key("000465/HCM-GPHN")


@pytest.mark.parametrize("raw", ["0028445/HCM-CCHNN", "0870/CCHN-D-SYT-TNI", "..8146/ĐL-CCHN", "CCHN"])
def test_unparseable_licences_go_to_review_not_rejection(raw: str) -> None:
    problems = check_licence(raw)
    assert codes(problems) == ["LICENCE_FORMAT"]
    assert problems[0].severity is Severity.WARNING


def test_licence_kind_must_match_the_number() -> None:
    assert codes(check_licence("000465/HCM-GPHN", kind="CCHN")) == ["LICENCE_KIND_MISMATCH"]
    assert check_licence("000465/HCM-GPHN", kind="gphn") == []


@pytest.mark.parametrize("raw", ["K01", "K0809", "K16.1", "K02.D35", "K99", "K01;K03", "K01; K0249"])
def test_department_codes_that_pass(raw: str) -> None:
    assert check_ma_khoa(raw) == []


@pytest.mark.parametrize("raw", ["KX1", "K1", "K012", "K02.D3", "01", "K01;;X"])
def test_department_codes_that_fail(raw: str) -> None:
    assert "MA_KHOA_FORMAT" in codes(check_ma_khoa(raw))


def test_department_must_be_known_when_a_list_is_given() -> None:
    assert codes(check_ma_khoa("K01;K05", known=frozenset({"K01"}))) == ["MA_KHOA_UNKNOWN"]


def test_facility_codes() -> None:
    assert check_ma_cskcb("48001") == []
    assert codes(check_ma_cskcb("4800")) == ["MA_CSKCB_FORMAT"]
    assert gs1_check_ok("4006381333931")
    assert not gs1_check_ok("4006381333932")
    assert check_national_facility_id("4006381333931") == []
    assert codes(check_national_facility_id("4006381333932")) == ["FACILITY_ID_GS1"]
    assert codes(check_national_facility_id("40063813")) == ["FACILITY_ID_FORMAT"]


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_any_issued_sequence_with_its_check_digit_is_valid_and_no_other_digit_is(nine: str) -> None:
    digit = mst_check_digit(nine)
    if digit is None or nine[2:] == "0000000":
        return
    assert check_tax_code(nine + str(digit)) == []
    wrong = (digit + 1) % 10
    assert "TAX_CODE_CHECK_DIGIT" in codes(check_tax_code(nine + str(wrong)))
