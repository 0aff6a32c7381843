"""The claim envelope (spec §2.1) and the check-in file (§2.2)."""

from __future__ import annotations

import base64
import dataclasses
from datetime import date, datetime

import pytest
from lxml import etree
from mapper_samples import FACILITY, drug, outpatient, service, supply

from adapter.catalogue import table_by_code
from adapter.mappers import TablePolicy, build_checkin, build_claim, table_document

CREATED = date(2025, 7, 2)
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XSD = "http://www.w3.org/2001/XMLSchema"


def _claim(profile: str = "3176") -> bytes:
    return build_claim(outpatient(), FACILITY, profile, created_on=CREATED, policy=TablePolicy())  # type: ignore[arg-type]


def test_declaration_is_written_with_double_quotes_and_no_bom() -> None:
    claim = _claim()
    assert claim.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    assert not claim.startswith(b"\xef\xbb\xbf")


def test_envelope_skeleton() -> None:
    root = etree.fromstring(_claim())
    assert root.tag == "GIAMDINHHS"
    assert root.nsmap == {"xsi": XSI, "xsd": XSD}
    assert [c.tag for c in root] == ["THONGTINDONVI", "THONGTINHOSO", "CHUKYDONVI"]
    assert root.findtext("THONGTINDONVI/MACSKCB") == "79001"
    assert root.findtext("THONGTINHOSO/NGAYLAP") == "20250702"
    assert root.findtext("THONGTINHOSO/SOLUONGHOSO") == "1"
    assert len(root.findall("THONGTINHOSO/DANHSACHHOSO/HOSO")) == 1
    last = root[-1]
    assert last.tag == "CHUKYDONVI" and len(last) == 0 and not last.text


@pytest.mark.parametrize("profile", ["4750", "3176"])
def test_each_file_is_the_base64_of_its_own_table_document(profile: str) -> None:
    root = etree.fromstring(_claim(profile))
    files = root.findall("THONGTINHOSO/DANHSACHHOSO/HOSO/FILEHOSO")
    assert [f.findtext("LOAIHOSO") for f in files] == ["XML1", "XML2", "XML3"]
    for f in files:
        code = f.findtext("LOAIHOSO") or ""
        number = table_by_code(code).number
        content = base64.b64decode(f.findtext("NOIDUNGFILE") or "", validate=True)
        assert content == table_document(number, outpatient(), profile, FACILITY)  # type: ignore[arg-type]
        assert etree.fromstring(content).tag == table_by_code(code).root


def test_envelope_is_deterministic_and_takes_the_date_as_given() -> None:
    assert _claim() == _claim()
    other = build_claim(outpatient(), FACILITY, "3176", created_on=date(2026, 1, 31), policy=TablePolicy())
    assert b"<NGAYLAP>20260131</NGAYLAP>" in other


def test_checkin_names_the_first_cost_line_by_order_time() -> None:
    enc = outpatient()
    root = etree.fromstring(build_checkin(enc, "3176"))
    assert [c.tag for c in root] == ["DSACH_TRANG_THAI_KCB", "CHUKYDONVI"]
    row = root.find("DSACH_TRANG_THAI_KCB/TRANG_THAI_KCB")
    assert row is not None
    assert row.findtext("MA_DICH_VU") == "01.1900.1888"        # the exam at 08:05 comes first
    assert row.findtext("TEN_DICH_VU") == "Khám Nội"
    assert row.findtext("NGAY_YL") == "202507010805"
    assert not row.findtext("MA_THUOC") and not row.findtext("MA_VAT_TU")
    assert row.findtext("STT") == "1"


def test_checkin_with_a_drug_first_names_only_the_drug() -> None:
    early = drug("40.17", "Paracetamol", "1", "1500", datetime(2025, 7, 1, 8, 1))
    enc = dataclasses.replace(outpatient(), drugs=(early,))
    row = etree.fromstring(build_checkin(enc, "4750")).find("DSACH_TRANG_THAI_KCB/TRANG_THAI_KCB")
    assert row is not None
    assert (row.findtext("MA_THUOC"), row.findtext("TEN_THUOC")) == ("40.17", "Paracetamol")
    assert not row.findtext("MA_DICH_VU") and not row.findtext("MA_VAT_TU")


def test_checkin_with_a_supply_first_names_the_supply_not_its_service() -> None:
    first = dataclasses.replace(supply(), ngay_yl=datetime(2025, 7, 1, 7, 59))
    enc = dataclasses.replace(outpatient(), services=(first, service("01.1900.1888", "Khám", "1",
                                                                     datetime(2025, 7, 1, 8, 0))))
    row = etree.fromstring(build_checkin(enc, "3176")).find("DSACH_TRANG_THAI_KCB/TRANG_THAI_KCB")
    assert row is not None
    assert row.findtext("MA_VAT_TU") == "N03.02.070"
    assert row.findtext("TEN_VAT_TU") == "Bơm tiêm nhựa 5ml"
    assert not row.findtext("MA_DICH_VU")


def test_inpatient_checkin_carries_the_admission_and_the_first_cost_after_it() -> None:
    enc = dataclasses.replace(outpatient(), ma_loai_kcb="03", ngay_vao_noi_tru=datetime(2025, 7, 1, 8, 30),
                              ly_do_vnt="Sốt cao")
    reception = etree.fromstring(build_checkin(enc, "3176")).find("DSACH_TRANG_THAI_KCB/TRANG_THAI_KCB")
    ward = etree.fromstring(build_checkin(enc, "3176", inpatient=True)).find(
        "DSACH_TRANG_THAI_KCB/TRANG_THAI_KCB")
    assert reception is not None and ward is not None
    assert not reception.findtext("NGAY_VAO_NOI_TRU") and not reception.findtext("LY_DO_VNT")
    assert ward.findtext("NGAY_VAO_NOI_TRU") == "202507010830"
    assert ward.findtext("LY_DO_VNT") == "Sốt cao"
    assert ward.findtext("MA_THUOC") == "40.17"                 # the drug at 09:00 is the first after 08:30
    assert ward.findtext("NGAY_YL") == "202507010900"


def test_checkin_of_an_uninsured_visit_without_lines_has_empty_card_and_cost_fields() -> None:
    enc = dataclasses.replace(outpatient(), cards=(), drugs=(), services=())
    row = etree.fromstring(build_checkin(enc, "3176")).find("DSACH_TRANG_THAI_KCB/TRANG_THAI_KCB")
    assert row is not None
    for name in ("MA_THE_BHYT", "MA_DKBD", "GT_THE_TU", "GT_THE_DEN", "MA_DICH_VU", "NGAY_YL"):
        element = row.find(name)
        assert element is not None and element.text is None
