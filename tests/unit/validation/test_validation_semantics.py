"""Choices the regulation makes per profile, date or policy, pinned down one by one."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import validation_samples as s

from adapter.catalogue import Profile
from adapter.validation.context import PractitionerStatus, ValidationContext
from adapter.validation.engine import validate_tables
from adapter.validation.rules.episode import countable_bed_days, expected_treatment_days


def rules(rows: s.Rows, profile: Profile = "3176", **kw: object) -> set[str]:
    return {i.rule for i in validate_tables(s.tables(rows), profile, **kw)}  # type: ignore[arg-type]


def test_xml8_outside_inpatient_types_is_fine_under_the_always_policy() -> None:
    rows = s.outpatient()
    rows[8] = s.inpatient()[8]
    rows[8][0]["MA_LOAI_KCB"] = "01"
    always = ValidationContext.for_date(date(2025, 7, 1), xml8_policy="always")
    assert "XML8_NOT_EXPECTED" in rules(rows)
    assert "XML8_NOT_EXPECTED" not in rules(rows, context=always)


def test_practitioner_rule_runs_only_with_a_registry() -> None:
    assert rules(s.outpatient()) == set()   # no registry: nothing to say about practitioners


def test_3176_accepts_the_no_price_difference_formula_and_4750_does_not() -> None:
    # QĐ 3176 text example: second exam, DON_GIA_BV 100 000, DON_GIA_BH 40 000, TYLE_TT_DV 30 -> 72 000.
    for profile, expected in (("3176", False), ("4750", True)):
        rows = s.outpatient(profile)
        line = rows[3][0]
        line.update(DON_GIA_BV="100000", DON_GIA_BH="40000", TYLE_TT_DV="30", THANH_TIEN_BV="72000.00",
                    THANH_TIEN_BH="12000.00", T_BNTT="60000.00", T_BNCCT="2400.00", T_BHTT="9600.00")
        s.fill_totals(rows)
        found = {(i.rule, i.field) for i in validate_tables(s.tables(rows), profile)}
        assert (("MONEY_LINE_TOTAL", "THANH_TIEN_BV") in found) is expected, profile
        assert not {r for r, _ in found} & {"MONEY_LINE_SPLIT", "MONEY_TOTAL"}


@pytest.mark.parametrize(("birth", "ok"), [("199000000000", True), ("199003000000", True),
                                            ("199013000000", False), ("199000050000", False)])
def test_birth_date_may_leave_day_or_month_and_day_unknown(birth: str, ok: bool) -> None:
    rows = s.outpatient()
    rows[1][0].update(NGAY_SINH=birth, SO_CCCD="")
    assert ("FIELD_DATE_INVALID" not in rules(rows)) is ok


def test_several_cards_need_one_value_each() -> None:
    rows = s.outpatient()
    rows[1][0].update(MA_THE_BHYT="DN4797900123456;DN4797900123457", MA_DKBD="79001;79002",
                      GT_THE_TU="20250101;20250601", GT_THE_DEN="20250531;20251231")
    assert rules(rows) == set()
    rows[1][0]["GT_THE_DEN"] = "20251231"
    assert rules(rows) == {"CARD_LIST_MISMATCH"}


def test_4750_element_names_in_a_3176_referral_are_unknown() -> None:
    rows = s.outpatient()
    row = s.blank(13, "4750")
    row.update(MA_LK=s.MA_LK, MA_NOI_DI="79001")
    found = {(i.rule, i.field) for i in validate_tables(s.tables({**rows, 13: [row]}), "3176")}
    assert ("FIELD_UNKNOWN", "MA_NOI_DI") in found


@pytest.mark.parametrize(("start", "end", "days"), [
    ((1, 8, 0), (1, 11, 0), 0),     # under 4 h
    ((1, 8, 0), (1, 13, 0), 1),     # same day, 5 h
    ((1, 20, 0), (3, 8, 0), 2),     # two nights, discharge earlier in the day than admission
    ((1, 8, 0), (3, 14, 0), 3),     # the extra part-day is 6 h
    ((1, 8, 0), (3, 10, 0), 2),     # the extra part-day is 2 h
])
def test_countable_bed_days(start: tuple[int, int, int], end: tuple[int, int, int], days: int) -> None:
    a = datetime(2025, 7, start[0], start[1], start[2])
    b = datetime(2025, 7, end[0], end[1], end[2])
    assert countable_bed_days(a, b) == days


def test_treatment_days_rule_differs_by_profile() -> None:
    a, b = datetime(2025, 7, 1, 8), datetime(2025, 7, 3, 10)
    assert expected_treatment_days("03", a, b, "4750") == expected_treatment_days("03", a, b, "3176") == 3
    assert expected_treatment_days("01", a, b, "4750") == 0
    assert expected_treatment_days("01", a, b, "3176") is None
    assert expected_treatment_days("02", a, b, "4750") == 3
    assert expected_treatment_days("02", a, b, "3176") is None   # 3176: days with services


def test_code_lists_by_date_decide_the_category_code() -> None:
    rows = s.outpatient()
    rows[1][0]["MA_DOITUONG_KCB"] = "1.8"          # TB, in QĐ 824 and not in QĐ 3276
    old = ValidationContext.for_date(date(2025, 6, 30))
    new = ValidationContext.for_date(date(2025, 7, 1))
    assert "CODE_NOT_IN_LIST" not in rules(rows, context=old)
    assert "CODE_NOT_IN_LIST" in rules(rows, context=new)


def test_standalone_table_file_skips_whole_episode_rules() -> None:
    rows = {2: s.outpatient()[2]}
    found = rules(rows, whole=False)
    assert not found & {"TABLE_MISSING", "MONEY_TOTAL"}
    assert "TABLE_MISSING" in rules(rows, whole=True)


class RecordingRegistry:
    def __init__(self) -> None:
        self.calls: list[tuple[str, date]] = []

    def status(self, code: str, on: date) -> PractitionerStatus:
        self.calls.append((code, on))
        return "valid"


def test_registry_gets_the_order_time_for_lines_and_the_day_for_the_head() -> None:
    registry = RecordingRegistry()
    context = ValidationContext.for_date(date(2025, 7, 1), registry=registry)
    assert rules(s.outpatient(), context=context) == set()
    calls = dict(registry.calls)
    assert calls["000789/HCM-GPHN"] == date(2025, 7, 1)                       # XML1 MA_TTDV: day only
    assert calls["000456/HCM-GPHN"] == datetime(2025, 7, 1, 8, 30)            # XML3 NGUOI_THUC_HIEN
    assert type(calls["000789/HCM-GPHN"]) is date


def test_absent_and_unknown_elements_are_reported_once_per_table() -> None:
    rows = s.outpatient()
    for row in rows[2]:
        row.pop("DU_PHONG")
        row["EXTRA"] = "1"
    found = [(i.rule, i.row) for i in validate_tables(s.tables(rows), "3176")]
    assert found == [("FIELD_MISSING_ELEMENT", 1), ("FIELD_UNKNOWN", 1)]


def test_date_list_longer_than_its_field_is_too_long_and_nothing_else() -> None:
    rows = s.checkin()
    rows[0][0].update(GT_THE_TU="20250101;20250601", GT_THE_DEN="20251231;20261231",
                      MA_THE_BHYT="DN4797900123456", MA_DKBD="79001")
    found = {(i.rule, i.field) for i in validate_tables(s.tables(rows), "3176", whole=False)}
    assert ("FIELD_TOO_LONG", "GT_THE_TU") in found
    assert not {r for r, f in found if f == "GT_THE_TU"} - {"FIELD_TOO_LONG", "CARD_LIST_MISMATCH"}


def test_3176_treatment_days_may_count_from_the_admission_order() -> None:
    rows = s.inpatient()
    rows[1][0].update(NGAY_VAO="202506280800", SO_NGAY_DTRI="3")   # examined 28/06, admitted 01/07
    rows[7][0]["NGAY_VAO"] = rows[8][0]["NGAY_VAO"] = "202506280800"
    assert "TREATMENT_DAYS" not in rules(rows)
    assert "TREATMENT_DAYS" in rules(rows, "4750")


def test_xml1_t_bhtt_may_be_the_sum_of_lines_when_other_sources_pay() -> None:
    rows = s.outpatient()                    # drug 2 has 1000 from the state budget
    x1 = rows[1][0]
    lines_paid = sum((s.D(r["T_BHTT"]) for r in rows[2] + rows[3]), s.D(0))
    assert s.D(x1["T_BHTT"]) != lines_paid
    assert rules(rows) == set()
    x1["T_BHTT"] = str(lines_paid)
    assert rules(rows) == set()
    x1["T_BHTT"] = str(lines_paid + 1)
    assert rules(rows) == {"MONEY_TOTAL"}
