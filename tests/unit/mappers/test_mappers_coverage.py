"""Every catalogue field of every produced table is emitted, in catalogue order, in both
profiles (446 fields in 4750; XML12 never), and an encounter with every attribute set
leaves no element empty."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from lxml import etree
from mapper_samples import FACILITY, facility, full

from adapter.catalogue import PRODUCED_TABLES, Profile, fields, table
from adapter.mappers import TablePolicy, build_table, tables_for
from adapter.model import BirthCertificate, Referral
from adapter.model_tables import TABLE_CLASSES

# The reception check-in names one first cost and no admission; nothing feeds its DU_PHONG.
COST_PAIRS = ({"MA_DICH_VU", "TEN_DICH_VU"}, {"MA_THUOC", "TEN_THUOC"}, {"MA_VAT_TU", "TEN_VAT_TU"})
CHECKIN_UNUSED = {"NGAY_VAO_NOI_TRU", "LY_DO_VNT", "MA_LY_DO_VNT", "DU_PHONG"}


def _rows(root: etree._Element, number: int) -> Iterator[etree._Element]:
    spec = table(number)
    if spec.item_element is None:
        yield root
        return
    yield from root.iterfind(f"{spec.list_element}/{spec.item_element}")


@pytest.mark.parametrize("profile", ["4750", "3176"])
@pytest.mark.parametrize("number", PRODUCED_TABLES)
def test_every_field_in_catalogue_order_and_filled(number: int, profile: Profile) -> None:
    root = build_table(number, full(profile), profile, facility(profile))
    expected = [f.name for f in fields(number, profile)]
    rows = list(_rows(root, number))
    assert rows, "no rows"
    for row in rows:
        children = [c.tag for c in row if c.tag != "CHUKYDONVI"]
        assert children == expected
        empty = {c.tag for c in row if c.tag != "CHUKYDONVI" and not (c.text or "").strip()}
        if number == 0:
            named = [pair for pair in COST_PAIRS if not pair & empty]
            assert len(named) == 1, "exactly one first cost"
            empty -= set().union(*COST_PAIRS)
        assert empty == (CHECKIN_UNUSED if number == 0 else set())


def test_the_catalogue_count_is_covered() -> None:
    total = sum(len(fields(n, "4750")) for n in PRODUCED_TABLES)
    assert total == 446
    assert 12 not in tables_for(full(), TablePolicy(xml8="always"))


def test_3176_renames_and_removals_in_xml13() -> None:
    root = build_table(13, full(), "3176", FACILITY)
    tags = [c.tag for c in root]
    assert "MA_CSKCB_DI" in tags and "MA_NOI_DI" not in tags
    assert "MA_CSKCB_DEN" in tags and "TINH_TRANG_CT" in tags
    assert "TEN_DICH_VU" not in tags and "TEN_THUOC" not in tags
    assert root.findtext("MA_CSKCB_DI") == full().referral.ma_noi_di  # type: ignore[union-attr]
    old = [c.tag for c in build_table(13, full(), "4750", FACILITY)]
    assert "MA_NOI_DI" in old and "TEN_THUOC" in old and "PP_DIEU_TRI" in old


def test_ngay_hen_kl_is_12_characters_in_4750_and_8_in_3176() -> None:
    assert len(build_table(14, full(), "4750", FACILITY).findtext("NGAY_HEN_KL") or "") == 12
    assert len(build_table(14, full(), "3176", FACILITY).findtext("NGAY_HEN_KL") or "") == 8


@pytest.mark.parametrize("number", [6, 7, 8, 9, 13, 14, 15])
def test_administrative_fields_left_empty_take_the_xml1_value(number: int) -> None:
    enc = full()
    blank = TABLE_CLASSES[number]()
    attr = {6: "hiv_care", 7: "discharge", 8: "summary", 9: "births", 13: "referral", 14: "appointment",
            15: "tb_treatments"}[number]
    held: object = (blank,) if isinstance(getattr(enc, attr), tuple) else blank
    enc = dataclasses.replace(enc, **{attr: held})  # type: ignore[arg-type]
    xml1 = build_table(1, enc, "3176", FACILITY)
    row = next(_rows(build_table(number, enc, "3176", FACILITY), number))
    inherited = [c.tag for c in row if c.text and xml1.find(c.tag) is not None and c.tag not in ("MA_LK",)]
    assert inherited, "nothing inherited"
    for tag in inherited:
        assert row.findtext(tag) == xml1.findtext(tag), tag
    for tag in ("DU_PHONG", "GHI_CHU", "PP_DIEU_TRI"):
        if row.find(tag) is not None:
            assert row.findtext(tag) == "", tag


def test_same_name_other_document_is_not_inherited() -> None:
    enc = dataclasses.replace(full(), referral=Referral(), births=(BirthCertificate(),))
    assert build_table(1, enc, "3176", FACILITY).findtext("GIAY_CHUYEN_TUYEN") == "CT01"
    assert build_table(13, enc, "3176", FACILITY).findtext("GIAY_CHUYEN_TUYEN") == ""
    assert build_table(1, enc, "3176", FACILITY).findtext("CAN_NANG_CON") == "3200"
    child = build_table(9, enc, "3176", FACILITY).find("DSACH_GIAYCHUNGSINH/DU_LIEU_GIAY_CHUNG_SINH")
    assert child is not None and child.findtext("CAN_NANG_CON") == ""
