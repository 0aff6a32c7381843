"""Row -> model conversion: native and text values, and located errors for bad cells."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from adapter.his import convert
from adapter.his.assemble import assemble, practitioner
from adapter.his.convert import BadValue

HEADER: dict[str, Any] = {
    "ma_lk": "LK1", "ma_cskcb": "79001", "ma_bn": "BN1", "ho_ten": "Nguyễn Văn An",
    "ngay_sinh": "198001010000", "gioi_tinh": 1, "ma_loai_kcb": "01", "ma_doituong_kcb": "1.1",
    "ngay_vao": datetime(2025, 3, 1, 8, 0), "ngay_ra": "2025-03-01 09:30:00.000000",
    "so_ngay_dtri": Decimal("0"), "can_nang": 55.5, "updated_at": "2025-03-01 10:00:00",
}


@pytest.mark.parametrize(("value", "expected"), [
    ("202503011530", datetime(2025, 3, 1, 15, 30)),
    ("20250301153045", datetime(2025, 3, 1, 15, 30, 45)),
    ("20250301", datetime(2025, 3, 1)),
    ("2025-03-01 15:30:00.000000", datetime(2025, 3, 1, 15, 30)),
    (date(2025, 3, 1), datetime(2025, 3, 1)),
    (b"202503011530", datetime(2025, 3, 1, 15, 30)),
])
def test_datetimes_from_native_values_and_text(value: object, expected: datetime) -> None:
    assert convert.to_datetime(value) == expected


@pytest.mark.parametrize("value", ["202502301200", "20251301", "2025-02-30", "yesterday", "2025030"])
def test_impossible_dates_are_reported(value: str) -> None:
    with pytest.raises(BadValue) as info:
        convert.to_datetime(value)
    assert info.value.rule == convert.RULE_DATE


def test_decimals_never_go_through_binary_float() -> None:
    assert convert.to_decimal(0.1) == Decimal("0.1")
    assert convert.to_decimal(" 1234,50 ") == Decimal("1234.50")
    assert convert.to_decimal(42) == Decimal(42)
    for bad in ("abc", float("nan"), "Infinity", True):
        with pytest.raises(BadValue):
            convert.to_decimal(bad)


def test_absurd_magnitudes_are_refused_at_the_boundary() -> None:
    assert convert.to_decimal("99999999999999.99") == Decimal("99999999999999.99")
    for bad in ("1e30", 1e30, Decimal("1E+15"), 10**20, "-1e15"):
        with pytest.raises(BadValue) as info:
            convert.to_decimal(bad)
        assert info.value.rule == convert.RULE_NUMBER
    problems = convert.Problems(ma_lk="LK")
    row = {"so_luong": Decimal("1E+30"), "don_gia": Decimal("0E+30")}
    spec = {"so_luong": "decimal", "don_gia": "decimal"}
    out = convert.convert_fields(row, spec, "his_drug_line[1]", problems, 100)
    assert out == {"don_gia": Decimal(0)}
    assert [e.field for e in problems.errors] == ["his_drug_line[1].so_luong"]


def test_codes_stay_text_with_their_shape() -> None:
    assert convert.to_text(1) == "1"
    assert convert.to_text(3.0) == "3"
    assert convert.to_text(Decimal("1.10")) == "1.10"


def test_invalid_utf8_and_enormous_text_are_reported() -> None:
    with pytest.raises(BadValue) as bad_bytes:
        convert.to_text(b"\xff\xfeabc")
    with pytest.raises(BadValue) as surrogate:
        convert.to_text(b"ab\xff".decode("utf-8", errors="surrogateescape"))
    with pytest.raises(BadValue) as long:
        convert.to_text("x" * 101, 100)
    assert (bad_bytes.value.rule, surrogate.value.rule, long.value.rule) == \
        (convert.RULE_UTF8, convert.RULE_UTF8, convert.RULE_TOO_LONG)


def _assemble(header: dict[str, Any], **details: Any) -> Any:
    return assemble(header, details, {}, ma_cskcb="79001", max_text=1000)


def test_a_good_header_becomes_an_encounter() -> None:
    done = _assemble(HEADER)
    enc = done.extracted.encounter
    assert enc is not None and not done.extracted.errors
    assert enc.patient.gioi_tinh == "1" and enc.patient.ngay_sinh == datetime(1980, 1, 1)
    assert enc.ngay_ra == datetime(2025, 3, 1, 9, 30) and enc.can_nang == Decimal("55.5")
    assert enc.so_ngay_dtri == 0 and enc.source_version == "2025-03-01T10:00:00"
    assert done.changed_at == datetime(2025, 3, 1, 10, 0)


def test_every_bad_cell_is_located_and_no_model_is_built() -> None:
    header = {**HEADER, "ho_ten": None, "ngay_vao": "202502301200", "ghi_chu": "x" * 2000}
    lines = {"LK1": [{"ma_lk": "LK1", "stt": 2, "so_luong": "hai", "ngay_yl": "2025"}]}
    done = _assemble(header, drug_lines=lines)
    found = {(e.field, e.rule) for e in done.extracted.errors}
    assert done.extracted.encounter is None
    assert found == {("his_encounter.ho_ten", "HIS_REQUIRED"), ("his_encounter.ngay_vao", "HIS_BAD_DATE"),
                     ("his_encounter.ghi_chu", "HIS_TEXT_TOO_LONG"),
                     ("his_drug_line[2].so_luong", "HIS_BAD_NUMBER"),
                     ("his_drug_line[2].ngay_yl", "HIS_BAD_DATE")}
    assert all(e.record == "LK1" for e in done.extracted.errors)
    assert all("Nguyễn" not in str(e) for e in done.extracted.errors)


def test_an_open_visit_without_end_time_is_readable_a_closed_one_is_not() -> None:
    open_visit = _assemble({**HEADER, "ngay_ra": None, "finished": 0}).extracted
    closed = _assemble({**HEADER, "ngay_ra": None, "finished": 1}).extracted
    assert open_visit.encounter is not None and open_visit.encounter.ngay_ra == datetime(2025, 3, 1, 8, 0)
    assert closed.encounter is None
    assert [(e.field, e.rule) for e in closed.errors] == [("his_encounter.ngay_ra", "HIS_REQUIRED")]


def test_card_lists_are_split_per_card_and_empty_cards_skipped() -> None:
    cards = {"LK1": [{"ma_lk": "LK1", "ma_the_bhyt": "DN4790000000001;DN4790000000002",
                      "ma_dkbd": "79001;79024", "gt_the_tu": "20250101;20250301", "gt_the_den": "20250228;"}]}
    enc = _assemble(HEADER, cards=cards).extracted.encounter
    assert [c.ma_the_bhyt for c in enc.cards] == ["DN4790000000001", "DN4790000000002"]
    assert enc.cards[1].gt_the_tu == date(2025, 3, 1) and enc.cards[1].gt_the_den is None
    empty = {"LK1": [{"ma_lk": "LK1", "ma_the_bhyt": None, "ma_dkbd": "", "gt_the_tu": None}]}
    assert _assemble(HEADER, cards=empty).extracted.encounter.cards == ()


def test_a_card_without_dkbd_is_an_error() -> None:
    cards = {"LK1": [{"ma_lk": "LK1", "ma_the_bhyt": "DN4790000000001", "gt_the_tu": "20250101"}]}
    errors = _assemble(HEADER, cards=cards).extracted.errors
    assert [(e.field, e.rule) for e in errors] == [("his_card[1].ma_dkbd", "HIS_REQUIRED")]


def test_staff_referenced_by_lines_are_attached() -> None:
    doc = practitioner({"code": "000101/HCM-GPHN", "name": "Trần Thị B", "departments": "K01;K03"}, 100)
    other = practitioner({"code": "X", "name": "Y"}, 100)
    assert doc is not None and other is not None and doc.departments == ("K01", "K03")
    lines = {"LK1": [{"ma_lk": "LK1", "stt": 1, "ma_bac_si": "000101/HCM-GPHN;NOT-IN-LIST"}]}
    staff = {doc.code: doc, "X": other}
    done = assemble(HEADER, {"drug_lines": lines}, staff, ma_cskcb="79001", max_text=100)
    assert done.extracted.encounter is not None
    assert done.extracted.encounter.practitioners == (doc,)
    assert practitioner({"code": None, "name": "Z"}, 100) is None
