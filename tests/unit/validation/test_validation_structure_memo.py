"""Structure checks remember good values across episodes: the memo never changes a verdict and
never holds a field that identifies or describes a patient."""

from __future__ import annotations

import validation_samples as s

from adapter.catalogue import PRODUCED_TABLES
from adapter.validation.engine import validate_tables
from adapter.validation.rules.structure import _columns, rows_to_diagnose

# Fields whose values are patient data: none of them may be memoised, in any table.
_PATIENT = {"HO_TEN", "MA_THE_BHYT", "MA_THE_TAM", "SO_CCCD", "NGAY_SINH", "NGAYSINH_NND", "DIA_CHI",
            "DIEN_THOAI", "MA_BN", "MA_LK", "MA_BENH", "MA_BENH_CHINH", "MA_BENH_KT", "MA_BENH_YHCT",
            "CHAN_DOAN_VAO", "CHAN_DOAN_RV", "MA_BHXH", "MA_BHXH_NND", "GHI_CHU", "KET_LUAN", "MO_TA"}


def test_no_patient_field_is_memoised_in_any_table_or_profile() -> None:
    for profile in ("4750", "3176"):
        for table in PRODUCED_TABLES:
            memoised = {c.name for c in _columns(table, profile) if c.good is not None}
            assert not memoised & _PATIENT, (table, profile)
            if table not in (1, 2, 3):
                assert not memoised, table


def test_a_bad_value_is_found_after_good_values_were_memoised() -> None:
    good = s.outpatient("3176")
    assert validate_tables(s.tables(good), "3176") == []
    assert rows_to_diagnose(2, "3176", tuple(good[2])) == set()
    bad = s.clone(good)
    bad[2][1]["SO_LUONG"] = "1,5"
    bad[2][0]["NGAY_YL"] = "202507011"
    assert rows_to_diagnose(2, "3176", tuple(bad[2])) == {0, 1}
    rules = {(i.rule, i.field, i.row) for i in validate_tables(s.tables(bad), "3176")}
    assert ("FIELD_NOT_NUMBER", "SO_LUONG", 2) in rules
    assert ("FIELD_DATE_FORMAT", "NGAY_YL", 1) in rules


def test_an_empty_required_value_is_never_taken_as_good() -> None:
    rows = s.outpatient("3176")
    assert validate_tables(s.tables(rows), "3176") == []
    rows[2][0]["MA_THUOC"] = ""
    assert rows_to_diagnose(2, "3176", tuple(rows[2])) == {0}


def test_an_element_the_profile_lacks_makes_the_row_dirty() -> None:
    rows = s.outpatient("3176")
    rows[3][0]["NOT_IN_CATALOGUE"] = "1"
    assert rows_to_diagnose(3, "3176", tuple(rows[3])) == {0}
