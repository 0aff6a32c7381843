"""Every rule of the catalogue has a failing and a passing case (a new rule without cases fails here)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
import validation_samples as s

from adapter.catalogue import Profile
from adapter.validation.context import PractitionerStatus, ValidationContext
from adapter.validation.engine import validate_document, validate_tables
from adapter.validation.issues import Issue, Severity
from adapter.validation.rules.catalog import RULES

Mutation = Callable[[s.Rows], None]


@dataclass(frozen=True)
class Case:
    fail: Callable[[], list[Issue]]
    ok: Callable[[], list[Issue]]


def run(rows: s.Rows, profile: Profile = "3176", *, whole: bool = True,
        context: ValidationContext | None = None) -> list[Issue]:
    return validate_tables(s.tables(rows), profile, context=context, whole=whole)


def rows_case(mutate: Mutation, base: Callable[[], s.Rows] = s.outpatient, *, whole: bool = True,
              context: ValidationContext | None = None) -> Case:
    def fail() -> list[Issue]:
        rows = s.clone(base())
        mutate(rows)
        return run(rows, whole=whole, context=context)

    return Case(fail=fail, ok=lambda: run(base(), whole=whole, context=context))


def doc_case(bad: Callable[[], bytes], good: Callable[[], bytes]) -> Case:
    return Case(fail=lambda: list(validate_document(bad()).issues),
                ok=lambda: list(validate_document(good()).issues))


def standalone(table: int, field: str, bad: str, good: str) -> Case:
    """A rule checked on a standalone table file: the same row with a bad and a good value."""
    def with_value(value: str) -> list[Issue]:
        row = s.blank(table, "3176")
        row.update({"MA_LK": s.MA_LK, field: value})
        return run({table: [row]}, whole=False)

    return Case(fail=lambda: with_value(bad), ok=lambda: with_value(good))


def x1(**values: str) -> Mutation:
    return lambda rows: rows[1][0].update(values)


def line(table: int, index: int, **values: str) -> Mutation:
    return lambda rows: rows[table][index].update(values)


def plus(table: int, index: int, name: str, delta: str) -> Mutation:
    def mutate(rows: s.Rows) -> None:
        row = rows[table][index]
        row[name] = str(s.D(row[name]) + s.D(delta))
    return mutate


def replace_content(data: bytes) -> bytes:
    return re.sub(rb"<NOIDUNGFILE>[^<]+</NOIDUNGFILE>", b"<NOIDUNGFILE>@@not base64@@</NOIDUNGFILE>", data,
                  count=1)


class Registry:
    def __init__(self, status: PractitionerStatus) -> None:
        self.answer = status

    def status(self, code: str, on: date) -> PractitionerStatus:
        return self.answer if code == "000456/HCM-GPHN" else "valid"


def registry_case(status: PractitionerStatus) -> Case:
    def ctx(answer: PractitionerStatus) -> ValidationContext:
        return ValidationContext.for_date(date(2025, 7, 1), registry=Registry(answer))

    return Case(fail=lambda: run(s.outpatient(), context=ctx(status)),
                ok=lambda: run(s.outpatient(), context=ctx("valid")))


def add_row(table: int, make: Callable[[s.Rows], dict[str, str]]) -> Mutation:
    return lambda rows: rows.setdefault(table, []).append(make(rows))


def admin_row(table: int, **values: str) -> Callable[[s.Rows], dict[str, str]]:
    def make(rows: s.Rows) -> dict[str, str]:
        row = s.blank(table, "3176")
        row.update({k: v for k, v in rows[1][0].items() if k in row})
        row.update(values)
        return row
    return make


def bed(rows: s.Rows) -> dict[str, str]:
    return s.service("3176", len(rows[3]) + 1, "15", "1", "250000", yl="202507021100")


def exam(rows: s.Rows) -> dict[str, str]:
    return s.service("3176", len(rows[3]) + 1, "13", "1", "38500", yl="202507011000")


def refresh_totals(mutate: Mutation) -> Mutation:
    def both(rows: s.Rows) -> None:
        mutate(rows)
        s.fill_totals(rows)
    return both


def without_xml7(rows: s.Rows) -> None:
    del rows[7]


def checkin_with(category: str) -> s.Rows:
    rows = s.checkin()
    rows[0][0]["MA_DOITUONG_KCB"] = category
    return rows


def xml1_only() -> bytes:
    return s.table_xml(1, s.outpatient()[1])


CASES: dict[str, Case] = {
    "XML_MALFORMED": doc_case(lambda: b"<TONG_HOP><MA_LK>", xml1_only),
    "XML_UNSAFE": doc_case(lambda: b'<!DOCTYPE x [<!ENTITY a "b">]><TONG_HOP>&a;</TONG_HOP>', xml1_only),
    "DOCUMENT_UNKNOWN": doc_case(lambda: b"<FOO/>", xml1_only),
    "FILE_NOT_UTF8": doc_case(lambda: xml1_only().decode().replace("utf-8", "utf-16", 1).encode("utf-16"),
                              xml1_only),
    "ENVELOPE_STRUCTURE": doc_case(lambda: s.envelope_xml(s.outpatient(), macskcb=""),
                                   lambda: s.envelope_xml(s.outpatient())),
    "ENVELOPE_BASE64": doc_case(lambda: replace_content(s.envelope_xml(s.outpatient())),
                                lambda: s.envelope_xml(s.outpatient())),
    "ENVELOPE_TABLE_MISMATCH": doc_case(
        lambda: s.envelope_xml({}, files=[("XML1", s.table_xml(1, s.outpatient()[1])),
                                          ("XML4", s.table_xml(2, s.outpatient()[2]))]),
        lambda: s.envelope_xml(s.outpatient())),
    "ENVELOPE_FACILITY_MISMATCH": doc_case(lambda: s.envelope_xml(s.outpatient(), macskcb="79002"),
                                           lambda: s.envelope_xml(s.outpatient())),
    "TABLE_MISSING": rows_case(without_xml7, s.inpatient),
    "TABLE_EMPTY": rows_case(refresh_totals(lambda rows: rows[2].clear())),
    "XML8_NOT_EXPECTED": rows_case(lambda rows: rows.update({8: s.inpatient()[8]})),
    "FIELD_REQUIRED": rows_case(x1(HO_TEN="")),
    "FIELD_REQUIRED_IF": rows_case(line(3, 1, NGUOI_THUC_HIEN="")),
    "FIELD_MISSING_ELEMENT": rows_case(lambda rows: rows[1][0].pop("NHOM_MAU")),
    "FIELD_UNKNOWN": rows_case(x1(MA_NOI_DI_CU="79001")),
    "FIELD_TOO_LONG": rows_case(x1(MA_BN="9" * 101)),
    "FIELD_NOT_NUMBER": rows_case(x1(CAN_NANG="60,5")),
    "FIELD_DECIMALS": rows_case(x1(CAN_NANG="60.555")),
    "FIELD_DATE_FORMAT": rows_case(x1(NGAY_TTOAN="2025-07-01")),
    "FIELD_DATE_INVALID": rows_case(x1(NGAY_SINH="199002300000")),
    "TEXT_CONTROL_CHAR": rows_case(x1(HO_TEN="Nguyen\x01Van A")),
    "TEXT_NOT_NFC": rows_case(x1(HO_TEN=unicodedata.normalize("NFD", "Nguyễn Văn A"))),
    "STT_SEQUENCE": rows_case(line(2, 1, STT="5")),
    "CCCD_FORMAT": rows_case(x1(SO_CCCD="07909000123")),
    "CCCD_BIRTH_MISMATCH": rows_case(x1(SO_CCCD="079190001234")),
    "CARD_FORMAT": rows_case(x1(MA_THE_BHYT="DN479790012345")),
    "CARD_LIST_MISMATCH": rows_case(x1(MA_DKBD="79001;79002")),
    "CARD_VALIDITY": rows_case(x1(GT_THE_DEN="20241231")),
    "CARD_NOT_VALID_ON_VISIT": rows_case(x1(GT_THE_TU="20250101;20250702", GT_THE_DEN="20250630;20251231",
                                            MA_THE_BHYT="DN4797900123456;DN4797900123457",
                                            MA_DKBD="79001;79001")),
    "CHECKIN_EMERGENCY": Case(fail=lambda: run(checkin_with("2"), whole=False),
                              ok=lambda: run(checkin_with("1.1"), whole=False)),
    "FACILITY_CODE_FORMAT": rows_case(x1(MA_DKBD="7900")),
    "ICD10_FORMAT": rows_case(x1(MA_BENH_CHINH="J2")),
    "ICD10_TOO_MANY": rows_case(x1(MA_BENH_KT=";".join(f"I{n:02d}" for n in range(10, 23)))),
    "DEPT_CODE_FORMAT": rows_case(x1(MA_KHOA="KX1")),
    "BED_CODE_FORMAT": rows_case(line(3, 1, MA_GIUONG="X001"), s.inpatient),
    "GOI_VTYT_FORMAT": rows_case(line(3, 2, GOI_VTYT="G0")),
    "MA_BHXH_FORMAT": standalone(11, "MA_BHXH", "0000000000", "7912345678"),
    "CODE_NOT_IN_LIST": rows_case(x1(MA_LOAI_KCB="17")),
    "DATE_ORDER": rows_case(x1(NGAY_TTOAN="202507010700")),
    "DATE_OUTSIDE_EPISODE": rows_case(line(2, 0, NGAY_YL="202506300830", NGAY_TH_YL="202506300830")),
    "MONEY_LINE_TOTAL": rows_case(refresh_totals(plus(2, 0, "THANH_TIEN_BV", "1"))),
    "MONEY_LINE_OTHER_SOURCES": rows_case(refresh_totals(plus(2, 1, "T_NGUONKHAC", "5"))),
    "MONEY_LINE_SPLIT": rows_case(refresh_totals(plus(2, 1, "T_BHTT", "1"))),
    "MONEY_TOTAL": rows_case(plus(1, 0, "T_THUOC", "1")),
    "MONEY_RATIO_RANGE": rows_case(line(3, 0, TYLE_TT_DV="120")),
    "MONEY_CEILING": rows_case(line(3, 2, T_TRANTT="1.00")),
    "BED_DAY_QUANTITY": rows_case(line(3, 1, SO_LUONG="2"), s.inpatient),
    "BED_DAY_NOT_ALLOWED": rows_case(refresh_totals(add_row(3, bed))),
    "BED_DAY_SHORT_STAY": rows_case(x1(NGAY_RA="202507011100", SO_NGAY_DTRI="1"), s.inpatient),
    "BED_DAYS_EXCEED": rows_case(refresh_totals(add_row(3, bed)), s.inpatient),
    "EXAM_FEE_INPATIENT": rows_case(refresh_totals(add_row(3, exam)), s.inpatient),
    "TREATMENT_DAYS": rows_case(x1(SO_NGAY_DTRI="5"), s.inpatient),
    "LEAVE_DAYS_LIMIT": standalone(10, "SO_NGAY", "181", "180"),
    "CROSS_MA_LK": rows_case(line(2, 0, MA_LK="79001_OTHER")),
    "CROSS_ADMIN_MISMATCH": Case(
        fail=lambda: [i for i in run_with(add_row(14, admin_row(14, HO_TEN="Nguyễn Văn B")))],
        ok=lambda: [i for i in run_with(add_row(14, admin_row(14)))]),
    "PRACTITIONER_NOT_REGISTERED": registry_case("expired"),
    "PRACTITIONER_OUTSIDE_HOURS": registry_case("outside_hours"),
}


def run_with(mutate: Mutation) -> list[Issue]:
    rows = s.outpatient()
    mutate(rows)
    return run(rows)


def test_every_rule_has_cases() -> None:
    assert sorted(CASES) == sorted(RULES)


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_fails_on_its_bad_case(code: str) -> None:
    found = [i for i in CASES[code].fail() if i.rule == code]
    assert found, f"{code} not reported"
    assert all(i.severity is RULES[code].severity for i in found)
    assert all(i.message_vi and i.message_en and "{" not in i.message_en + i.message_vi for i in found)


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_passes_on_its_good_case(code: str) -> None:
    assert code not in {i.rule for i in CASES[code].ok()}


@pytest.mark.parametrize("profile", ["3176", "4750"])
@pytest.mark.parametrize("base", [s.outpatient, s.inpatient], ids=["outpatient", "inpatient"])
def test_clean_samples_have_no_issue(profile: Profile, base: Callable[[Profile], s.Rows]) -> None:
    assert run(base(profile), profile) == []


def test_issue_is_located() -> None:
    rows = s.outpatient()
    rows[2][1]["THANH_TIEN_BH"] = "1.00"
    issue = next(i for i in run(rows) if i.rule == "MONEY_LINE_TOTAL")
    assert (issue.table, issue.row, issue.field, issue.ma_lk) == ("XML2", 2, "THANH_TIEN_BH", s.MA_LK)
    assert issue.location == "XML2[2].THANH_TIEN_BH"


def test_messages_never_carry_values() -> None:
    rows = s.outpatient()
    rows[1][0].update(HO_TEN="Trần Thị Bí Mật" + "x" * 300, SO_CCCD="07909000123")
    issues = run(rows)
    assert {"FIELD_TOO_LONG", "CCCD_FORMAT"} <= {i.rule for i in issues}
    assert not any("Bí Mật" in i.message_vi + i.message_en or "07909000123" in i.message_en for i in issues)


def test_value_longer_than_field_blocks_and_is_not_cut() -> None:
    rows = s.outpatient()
    rows[1][0]["MA_LK"] = "L" * 101
    issue = next(i for i in run(rows) if i.rule == "FIELD_TOO_LONG")
    assert issue.severity is Severity.BLOCKING and issue.field == "MA_LK"
    assert "100" in issue.message_en
