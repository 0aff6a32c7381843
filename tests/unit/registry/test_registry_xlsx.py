"""XLSX practitioner lists: layouts, write then read back cell by cell, import conversions."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from registry_samples import DOCTOR, FACILITY, NURSE, STAFF

from adapter.errors import ConfigError, DataError
from adapter.registry.xlsx import (
    NUMBER,
    cell_value,
    load_layout,
    read_practitioner_list,
    write_practitioner_list,
)


def _normal(value: object) -> object:
    return value.date() if isinstance(value, datetime) else value


@pytest.mark.parametrize("layout_name", ["qlhn_mau01", "staff_master"])
def test_every_written_cell_reads_back_identically(tmp_path: Path, layout_name: str) -> None:
    layout = load_layout(layout_name)
    path = tmp_path / "list.xlsx"
    write_practitioner_list(path, layout, FACILITY, STAFF)
    sheet = load_workbook(path)[layout.sheet]
    for offset, practitioner in enumerate(STAFF, start=1):
        for col, column in enumerate(layout.columns, start=1):
            written = cell_value(practitioner, column, offset)
            assert _normal(sheet.cell(row=layout.header_row + offset, column=col).value) == written, (
                column.header
            )
    assert [c.value for c in sheet[layout.header_row]][: len(layout.columns)] == [
        c.header for c in layout.columns
    ]


def test_codes_stay_text_and_dates_are_dates(tmp_path: Path) -> None:
    layout = load_layout("qlhn_mau01")
    path = tmp_path / "list.xlsx"
    write_practitioner_list(path, layout, FACILITY, [NURSE])
    sheet = load_workbook(path)[layout.sheet]
    row = {
        c.field: sheet.cell(row=layout.header_row + 1, column=i).value
        for i, c in enumerate(layout.columns, 1)
    }
    assert row["cccd"] == "048090005678"  # leading zero kept
    assert row["departments"] == "K02.D35"
    assert row["valid_to"] == datetime(2026, 12, 31)
    assert sheet.cell(row=2, column=1).value == "Tên cơ sở: Bệnh viện Đa khoa Mẫu Đà Nẵng (mã CSKCB 48001)"


def test_staff_master_round_trips_every_field(tmp_path: Path) -> None:
    layout = load_layout("staff_master")
    path = tmp_path / "master.xlsx"
    write_practitioner_list(path, layout, FACILITY, STAFF)
    records, issues = read_practitioner_list(path, layout, ma_cskcb="48001")
    assert issues == []
    assert records == list(STAFF)


def test_import_tolerates_spreadsheet_habits(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Danh sách nhân viên"])  # a title line above the header
    sheet.append(["  ho_ten ", "SO_DINH_DANH", "MACCHN", "TU_NGAY", "CHUCDANH_NN", "MA_KHOA", "GHI_CHU"])
    sheet.append(["Nguyen Van A", 48090001234, "000777/ĐNA-GPHN", "01/02/2025", "Bác sĩ", "K01; K03", "x"])
    sheet.append([None, None, None, None, None, None, None])
    sheet.append(["Thieu Ma", None, None, "2025-01-01", None, None, None])
    sheet.append(["Ngay Sai", "048090001235", "000778/ĐNA-GPHN", "32/01/2025", "2", "K01", None])
    path = tmp_path / "hand.xlsx"
    workbook.save(path)
    records, issues = read_practitioner_list(path, load_layout("staff_master"), ma_cskcb="48001")
    first = records[0]
    assert (first.cccd, first.code, first.valid_from, first.title) == (
        "048090001234",
        "000777/ĐNA-GPHN",
        date(2025, 2, 1),
        "1",
    )
    assert first.departments == ("K01", "K03") and first.ma_cskcb == "48001"
    assert [(i.row, i.field, i.rule) for i in issues] == [
        (5, "code", "IMPORT_REQUIRED"),
        (6, "valid_from", "IMPORT_DATE"),
    ]
    assert len(records) == 2 and records[1].valid_from is None


def test_a_sheet_without_the_header_is_refused(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["a", "b", "c"])
    path = tmp_path / "other.xlsx"
    workbook.save(path)
    with pytest.raises(DataError) as caught:
        read_practitioner_list(path, load_layout("staff_master"), ma_cskcb="48001")
    assert caught.value.rule == "IMPORT_HEADER"
    (tmp_path / "not.xlsx").write_bytes(b"plain text")
    with pytest.raises(DataError):
        read_practitioner_list(tmp_path / "not.xlsx", load_layout("staff_master"), ma_cskcb="48001")


def test_custom_layout_file_and_bad_layouts(tmp_path: Path) -> None:
    custom = tmp_path / "so_y_te.json"
    custom.write_text(
        json.dumps(
            {
                "name": "dn",
                "sheet": "DS",
                "preamble": ["{name}"],
                "columns": [
                    {"header": "TT", "field": NUMBER},
                    {"header": "Họ tên", "field": "name"},
                    {"header": "Số GPHN", "field": "licence_no"},
                ],
            }
        ),
        encoding="utf-8",
    )
    layout = load_layout(custom)
    path = tmp_path / "dn.xlsx"
    write_practitioner_list(path, layout, FACILITY, [DOCTOR])
    records, _ = read_practitioner_list(path, layout, ma_cskcb="48001")
    assert [(r.name, r.code) for r in records] == [(DOCTOR.name, DOCTOR.licence_no)]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"name": "x", "sheet": "s", "columns": [{"header": "H", "field": "salary"}]}))
    with pytest.raises(ConfigError):
        load_layout(bad)
    with pytest.raises(ConfigError):
        load_layout("no_such_layout")


def test_number_column_and_lists() -> None:
    layout = load_layout("qlhn_mau01")
    by_field = {c.field: c for c in layout.columns}
    assert cell_value(DOCTOR, by_field[NUMBER], 7) == 7
    assert cell_value(replace(DOCTOR, departments=()), by_field["departments"], 1) is None
