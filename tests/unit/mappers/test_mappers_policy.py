"""Which tables an encounter produces (spec §3.1), the profile by date, and XML1 sources."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal

import pytest
from lxml import etree
from mapper_samples import FACILITY, full, outpatient

from adapter.mappers import TablePolicy, build_table, profile_for, tables_for
from adapter.mappers.policy import needs_checkin
from adapter.model import Card, Facility, HivCare, RecordSummary

SHEET, ALWAYS = TablePolicy(), TablePolicy(xml8="always")


def test_outpatient_has_summary_drugs_and_services_only() -> None:
    assert tables_for(outpatient(), SHEET) == (1, 2, 3)


def test_full_encounter_has_every_table_but_twelve() -> None:
    assert tables_for(full(), SHEET) == (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15)


def test_hiv_care_can_be_withheld() -> None:
    enc = dataclasses.replace(outpatient(), hiv_care=(HivCare(),))
    assert 6 in tables_for(enc, SHEET)
    assert 6 not in tables_for(enc, TablePolicy(hiv="withhold"))


@pytest.mark.parametrize(("loai", "summary", "diagnosis", "expected"), [
    ("01", RecordSummary(), "x", False),        # outpatient exam: not on the sheet
    ("03", RecordSummary(), None, True),        # inpatient with a HIS summary
    ("03", None, "Viêm phổi", True),            # inpatient, derivable from the discharge diagnosis
    ("03", None, None, False),                  # inpatient, nothing to summarise
    ("04", None, "x", True),
    ("06", None, "x", True),
])
def test_xml8_by_the_sheet(loai: str, summary: RecordSummary | None, diagnosis: str | None,
                           expected: bool) -> None:
    enc = dataclasses.replace(outpatient(), ma_loai_kcb=loai, summary=summary, chan_doan_rv=diagnosis)
    assert (8 in tables_for(enc, SHEET)) is expected
    assert 8 in tables_for(enc, ALWAYS)


def test_derived_xml8_takes_xml1_values() -> None:
    enc = dataclasses.replace(outpatient(), ma_loai_kcb="03")
    root = build_table(8, enc, "3176", FACILITY)
    assert root.findtext("MA_LOAI_KCB") == "03"
    assert root.findtext("CHAN_DOAN_RV") == "Viêm họng cấp"
    assert root.findtext("PP_DIEUTRI") == "Điều trị nội khoa"
    assert root.findtext("NGAY_CT") == "20250701"
    assert root.findtext("MA_TTDV") == "000123/HCM-GPHN"
    assert root.findtext("GHI_CHU") == ""


def test_profile_switches_on_the_end_of_the_episode() -> None:
    switch = date(2025, 1, 1)
    late = dataclasses.replace(outpatient(), ngay_ra=datetime(2024, 12, 31, 23, 59))
    assert profile_for(late, switch) == "4750"
    assert profile_for(dataclasses.replace(late, ngay_ra=datetime(2025, 1, 1, 0, 0)), switch) == "3176"


def test_cards_are_joined_per_card_in_order() -> None:
    cards = (Card(ma_the_bhyt="DN4797900123456", ma_dkbd="79001", gt_the_tu=date(2024, 1, 1),
                  gt_the_den=date(2024, 12, 31)),
             Card(ma_the_bhyt="DN4797900654321", ma_dkbd="79002", gt_the_tu=date(2025, 1, 1)))
    root = build_table(1, dataclasses.replace(outpatient(), cards=cards), "3176", FACILITY)
    assert root.findtext("MA_THE_BHYT") == "DN4797900123456;DN4797900654321"
    assert root.findtext("MA_DKBD") == "79001;79002"
    assert root.findtext("GT_THE_TU") == "20240101;20250101"
    assert root.findtext("GT_THE_DEN") == "20241231;"


def test_du_phong_is_the_height_in_3176_unless_set() -> None:
    enc = outpatient()
    assert build_table(1, enc, "3176", FACILITY).findtext("DU_PHONG") == "168"
    assert build_table(1, enc, "4750", FACILITY).findtext("DU_PHONG") == ""
    explicit = dataclasses.replace(enc, du_phong="170", chieu_cao_cm=Decimal("168"))
    assert build_table(1, explicit, "3176", FACILITY).findtext("DU_PHONG") == "170"


def test_ma_ttdv_defaults_to_the_facility_head() -> None:
    enc = outpatient()
    assert build_table(1, enc, "3176", FACILITY).findtext("MA_TTDV") == "000123/HCM-GPHN"
    own = dataclasses.replace(enc, ma_ttdv="000999/HCM-GPHN")
    assert build_table(1, own, "3176", FACILITY).findtext("MA_TTDV") == "000999/HCM-GPHN"
    headless = Facility(ma_cskcb="79001", name="x")
    assert build_table(1, enc, "3176", headless).findtext("MA_TTDV") == ""


def test_totals_come_from_the_lines() -> None:
    root = build_table(1, outpatient(), "4750", FACILITY)
    assert root.findtext("T_THUOC") == "30000.00"
    assert root.findtext("T_VTYT") == "1250.50"
    assert root.findtext("T_TONGCHI_BV") == "115950.50"
    assert root.findtext("T_BNCCT") == "250.10"
    assert root.findtext("T_BHTT") == "115700.40"


def test_detail_rows_are_numbered_from_one_and_linked() -> None:
    root = build_table(3, outpatient(), "3176", FACILITY)
    rows = root.findall("DSACH_CHI_TIET_DVKT/CHI_TIET_DVKT")
    assert [r.findtext("STT") for r in rows] == ["1", "2", "3"]
    assert {r.findtext("MA_LK") for r in rows} == {"79001_2025_07_0012345_KB0001"}


def test_text_that_breaks_xml_survives_in_every_kind_of_field() -> None:
    hostile = "A <b> & c ]]> d \x07 \"e\""
    enc = dataclasses.replace(outpatient(), chan_doan_rv=hostile, ma_benh_kt=hostile)
    doc = etree.tostring(build_table(1, enc, "3176", FACILITY))
    root = etree.fromstring(doc)
    assert root.findtext("CHAN_DOAN_RV") == "A <b> & c ]]> d  \"e\""     # CDATA field, control char removed
    assert root.findtext("MA_BENH_KT") == "A <b> & c ]]> d  \"e\""       # escaped field


def test_emergencies_need_no_checkin() -> None:
    assert needs_checkin(outpatient())
    assert not needs_checkin(dataclasses.replace(outpatient(), ma_doituong_kcb="2"))
