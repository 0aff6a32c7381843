"""The whole-row fast path of the structure checks accepts exactly the rows whose every field
the per-field check accepts; anything else is diagnosed field by field."""

from __future__ import annotations

import validation_samples as s
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapter.catalogue import PRODUCED_TABLES
from adapter.validation.engine import validate_tables
from adapter.validation.rules.structure import (
    _good,
    compiled,
    known_names,
    row_clean,
    row_plan,
    rows_to_diagnose,
)

_VALUES = st.one_of(
    st.sampled_from(["", "0", "1", "12.5", "1.234", "1,5", "-1", "1e3", " 1", "1.", ".5", "20250701",
                     "202507010830", "20250230", "20250700", "19900000", "20250701;20250702", "2025070108",
                     "\x1f", "a\x1fb", "\x00", "\x7f", "e\u0301", "é", "٣", "\n", "A" * 300, "9" * 16]),
    st.text(max_size=20),
    st.from_regex(r"\d{1,16}(\.\d{1,4})?", fullmatch=True),
    st.none())
# Values many fields accept: the row often stays clean, so both verdicts are exercised.
_PLAUSIBLE = st.sampled_from(["", "1", "01", "K01", "Nguyễn Văn A", "20250701", "202507010830", "100.00"])


def _oracle(table: int, profile: str, row: dict[str, str]) -> bool:
    return all(_good(c, row.get(c.name)) for c in compiled(table, profile)) and \
        known_names(table, profile).issuperset(row)


@st.composite
def rows(draw: st.DrawFn) -> tuple[int, str, dict[str, str]]:
    profile = draw(st.sampled_from(["4750", "3176"]))
    base = s.inpatient(profile)      # rows of a clean episode; the other tables blank (not clean)
    table = draw(st.sampled_from(sorted(base)) | st.sampled_from(sorted(set(PRODUCED_TABLES) - set(base))))
    row = dict(draw(st.sampled_from(base[table]))) if table in base else s.blank(table, profile)
    names = [c.name for c in compiled(table, profile)]
    for name in draw(st.lists(st.sampled_from(names), max_size=3)):
        value = draw(_PLAUSIBLE | _VALUES)
        if value is None:
            row.pop(name, None)
        else:
            row[name] = value
    if draw(st.integers(0, 9)) == 0:
        row["NOT_IN_CATALOGUE"] = "1"
    return table, profile, row


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows())
def test_fast_path_agrees_with_the_per_field_check(case: tuple[int, str, dict[str, str]]) -> None:
    table, profile, row = case
    assert row_clean(row_plan(table, profile), row) == _oracle(table, profile, row)


def test_clean_sample_rows_take_the_fast_path() -> None:
    for profile in ("4750", "3176"):
        for table, table_rows in s.inpatient(profile).items():
            assert rows_to_diagnose(table, profile, tuple(table_rows)) == set(), (table, profile)


def test_bad_values_are_still_diagnosed() -> None:
    bad = s.outpatient("3176")
    bad[2][1]["SO_LUONG"] = "1,5"
    bad[2][0]["NGAY_YL"] = "202507011"
    assert rows_to_diagnose(2, "3176", tuple(bad[2])) == {0, 1}
    rules = {(i.rule, i.field, i.row) for i in validate_tables(s.tables(bad), "3176")}
    assert ("FIELD_NOT_NUMBER", "SO_LUONG", 2) in rules
    assert ("FIELD_DATE_FORMAT", "NGAY_YL", 1) in rules


def test_an_empty_required_value_or_an_unknown_element_makes_the_row_dirty() -> None:
    rows_ = s.outpatient("3176")
    rows_[2][0]["MA_THUOC"] = ""
    rows_[3][1]["NOT_IN_CATALOGUE"] = "1"
    assert rows_to_diagnose(2, "3176", tuple(rows_[2])) == {0}
    assert rows_to_diagnose(3, "3176", tuple(rows_[3])) == {1}
