"""Money verdicts are kept per distinct line: a repeated line is judged the same, and each
issue is still located at its own row and episode."""

from __future__ import annotations

from decimal import Decimal

import validation_samples as s

from adapter.validation.engine import validate_tables


def _located(rows: s.Rows, ma_lk: str) -> set[tuple[str, str, int | None, str]]:
    return {(i.rule, i.field, i.row, i.ma_lk) for i in validate_tables(s.tables(rows), "3176", ma_lk=ma_lk)
            if i.rule.startswith("MONEY_LINE")}


def _wrong_line() -> s.Rows:
    rows = s.outpatient("3176")
    rows[2][0]["THANH_TIEN_BV"] = s.money(Decimal(rows[2][0]["THANH_TIEN_BV"]) + 1)
    return rows


def test_the_same_wrong_line_is_reported_at_its_row_in_every_episode() -> None:
    first = _wrong_line()
    second = _wrong_line()
    second[2].reverse()                                   # the wrong line is now the second
    for i, row in enumerate(second[2], start=1):
        row["STT"] = str(i)
    for row in first[2] + second[2]:
        row.pop("MA_LK", None)                            # issues take the episode's MA_LK
    assert _located(first, "A") == {("MONEY_LINE_TOTAL", "THANH_TIEN_BV", 1, "A")}
    assert _located(second, "B") == {("MONEY_LINE_TOTAL", "THANH_TIEN_BV", 2, "B")}
    assert _located(first, "C") == {("MONEY_LINE_TOTAL", "THANH_TIEN_BV", 1, "C")}


def test_a_line_judged_good_stays_good_and_a_changed_amount_is_caught() -> None:
    rows = s.outpatient("3176")
    assert _located(rows, "A") == set()
    assert _located(rows, "A") == set()
    rows[3][1]["T_BHTT"] = s.money(Decimal(rows[3][1]["T_BHTT"]) + 5)
    assert ("MONEY_LINE_SPLIT", "T_BHTT", 2, rows[3][1]["MA_LK"]) in _located(rows, "A")
