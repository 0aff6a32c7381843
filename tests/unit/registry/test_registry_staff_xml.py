"""Mẫu 02/DM XML builder: structure, column values, determinism, unsafe input."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from lxml import etree
from registry_samples import DOCTOR, FACILITY, NURSE, STAFF

from adapter.errors import DataError, XmlInputError
from adapter.registry.staff_xml import (
    COLUMNS,
    build_staff_catalogue,
    parse_staff_catalogue,
    schema_problems,
    structure_problems,
)

CREATED = date(2026, 11, 22)


def test_document_has_the_02dm_structure() -> None:
    document = build_staff_catalogue(FACILITY, STAFF, created_on=CREATED)
    assert document.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<HSDANHMUC>')
    assert structure_problems(document) == []
    root = etree.fromstring(document)
    assert [c.tag for c in root] == ["DANHSACH_DMNHANLUCKBCB", "CHUKYDONVI"]
    assert len(root[-1]) == 0 and root[-1].text is None
    rows = root.findall("DANHSACH_DMNHANLUCKBCB/DMNHANLUCKBCB")
    assert len(rows) == 3
    assert all(len(row) == 24 for row in rows)
    assert len(COLUMNS) == 24


def test_row_values_follow_the_column_rules() -> None:
    rows = parse_staff_catalogue(build_staff_catalogue(FACILITY, [DOCTOR, NURSE], created_on=CREATED))
    by_name = {r["HO_TEN"]: r for r in rows}
    doctor = by_name["Trần Thị Bác Sĩ"]
    assert doctor["MA_KHOA"] == "K01;K03"
    assert doctor["TEN_KHOA"] == "Khoa Khám bệnh;Khoa Nội tổng hợp"
    assert doctor["SO_DINH_DANH"] == "048190001234"
    assert doctor["MACCHN"] == "000123/ĐNA-GPHN"
    assert doctor["NGAYCAP_CCHN"] == "20240301"
    assert doctor["TU_NGAY"] == "20240305"
    assert doctor["DEN_NGAY"] == ""
    assert doctor["MA_CSKCB"] == "48001"
    nurse = by_name["Lê Văn Điều Dưỡng"]
    assert nurse["DEN_NGAY"] == "20261231"
    assert nurse["TEN_KHOA"] == "Đơn nguyên Hồi sức & Chống độc"
    assert [r["STT"] for r in rows] == ["1", "2"]


def test_empty_columns_are_written_as_empty_elements() -> None:
    document = build_staff_catalogue(FACILITY, [NURSE], created_on=CREATED)
    assert b"<DEN_NGAY>20261231</DEN_NGAY>" in document
    assert b"<PHAMVI_CM/>" in document
    assert b"&amp;" in document  # the department name's "&" is escaped, not raw


def test_same_input_in_any_order_gives_the_same_bytes() -> None:
    one = build_staff_catalogue(FACILITY, [DOCTOR, NURSE], created_on=CREATED)
    two = build_staff_catalogue(FACILITY, [NURSE, DOCTOR], created_on=CREATED)
    assert one == two


def test_text_is_nfc_and_control_characters_are_dropped() -> None:
    nfd = "Tra\u0302\u0300n Thi\u0323 A\x07"
    rows = parse_staff_catalogue(
        build_staff_catalogue(FACILITY, [replace(DOCTOR, name=nfd)], created_on=CREATED)
    )
    assert rows[0]["HO_TEN"] == "Trần Thị A"


def test_an_empty_catalogue_is_refused() -> None:
    with pytest.raises(DataError) as caught:
        build_staff_catalogue(FACILITY, [], created_on=CREATED)
    assert caught.value.rule == "STAFF_EMPTY"


def test_parser_refuses_dtds_and_broken_xml() -> None:
    evil = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><HSDANHMUC/>'
    with pytest.raises(XmlInputError):
        parse_staff_catalogue(evil)
    with pytest.raises(XmlInputError):
        parse_staff_catalogue(b"<HSDANHMUC>")


def test_structure_problems_are_found() -> None:
    bad = (
        b"<HSDANHMUC><CHUKYDONVI/><DANHSACH_DMNHANLUCKBCB><DMNHANLUCKBCB><STT>1</STT></DMNHANLUCKBCB>"
        b"</DANHSACH_DMNHANLUCKBCB></HSDANHMUC>"
    )
    problems = structure_problems(bad)
    assert len(problems) == 2
    assert "CHUKYDONVI" in problems[0] and "row 1" in problems[1]


def test_documents_validate_against_the_02dm_schema() -> None:
    document = build_staff_catalogue(FACILITY, STAFF, created_on=CREATED)
    assert schema_problems(document) == []
    signed_like = document.replace(b"<CHUKYDONVI/>", b"<CHUKYDONVI><Signature><X/></Signature></CHUKYDONVI>")
    assert schema_problems(signed_like) == []


def test_schema_violations_name_element_and_line_but_not_the_value() -> None:
    too_long = replace(DOCTOR, cccd="0481900012345678", scope="X" * 16, gender="12")
    no_start = replace(NURSE, valid_from=None)
    problems = schema_problems(build_staff_catalogue(FACILITY, [too_long, no_start], created_on=CREATED))
    named = {p.split(": ")[1] for p in problems}
    assert named == {"SO_DINH_DANH", "PHAMVI_CM", "GIOI_TINH", "TU_NGAY"}
    assert all(p.startswith("line ") for p in problems)
    assert "0481900012345678" not in repr(problems)
    reordered = build_staff_catalogue(FACILITY, [DOCTOR], created_on=CREATED).replace(
        b"<STT>1</STT><MA_KHOA>K01;K03</MA_KHOA>", b"<MA_KHOA>K01;K03</MA_KHOA><STT>1</STT>"
    )
    assert schema_problems(reordered) != []
