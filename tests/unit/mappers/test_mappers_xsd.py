"""The generated XSDs: current with the catalogue, and accepting what the mappers emit."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from lxml import etree
from mapper_samples import facility, full, outpatient

from adapter.catalogue import PRODUCED_TABLES, Profile
from adapter.mappers import TablePolicy, build_checkin, build_claim, build_table, tables_for
from adapter.mappers.schemas import load_envelope_schema, load_schema

REPOSITORY = Path(__file__).resolve().parents[3]


def _files(base: Path) -> dict[str, bytes]:
    return {p.relative_to(base).as_posix(): p.read_bytes() for p in sorted(base.rglob("*.xsd"))}


def test_committed_schemas_are_current(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(REPOSITORY / "scripts" / "gen_xsd.py"), "--out", str(tmp_path)],
                   check=True, capture_output=True)
    fresh = _files(tmp_path)
    assert len(fresh) == 2 * (len(PRODUCED_TABLES) + 1)
    assert _files(REPOSITORY / "schemas") == fresh
    assert _files(REPOSITORY / "adapter" / "data" / "schemas") == fresh


def _assert_valid(schema: etree.XMLSchema, doc: etree._Element) -> None:
    if not schema.validate(doc):
        raise AssertionError("\n".join(str(e) for e in schema.error_log))


@pytest.mark.parametrize("profile", ["4750", "3176"])
@pytest.mark.parametrize("number", [n for n in PRODUCED_TABLES if n != 0])
def test_every_table_of_the_full_encounter_is_valid(number: int, profile: Profile) -> None:
    doc = build_table(number, full(profile), profile, facility(profile))
    _assert_valid(load_schema(number, profile), doc)


@pytest.mark.parametrize("profile", ["4750", "3176"])
@pytest.mark.parametrize("inpatient", [False, True])
def test_checkins_are_valid(profile: Profile, inpatient: bool) -> None:
    for enc in (full(profile), outpatient(profile)):
        doc = etree.fromstring(build_checkin(enc, profile, inpatient=inpatient))
        _assert_valid(load_schema(0, profile), doc)


@pytest.mark.parametrize("profile", ["4750", "3176"])
def test_outpatient_tables_and_envelope_are_valid(profile: Profile) -> None:
    enc = outpatient(profile)
    for number in tables_for(enc, TablePolicy()):
        _assert_valid(load_schema(number, profile), build_table(number, enc, profile, facility(profile)))
    claim = build_claim(enc, facility(profile), profile, created_on=date(2025, 7, 2), policy=TablePolicy())
    _assert_valid(load_envelope_schema(profile), etree.fromstring(claim))


def test_the_envelope_schema_accepts_a_signature_and_rejects_xml12() -> None:
    claim = build_claim(outpatient(), facility(), "3176", created_on=date(2025, 7, 2), policy=TablePolicy())
    root = etree.fromstring(claim)
    slot = root.find("CHUKYDONVI")
    assert slot is not None
    etree.SubElement(slot, "{http://www.w3.org/2000/09/xmldsig#}Signature").text = "x"
    schema = load_envelope_schema("3176")
    _assert_valid(schema, root)
    loai = root.find("THONGTINHOSO/DANHSACHHOSO/HOSO/FILEHOSO/LOAIHOSO")
    assert loai is not None
    loai.text = "XML12"
    assert not schema.validate(root)


def test_schemas_reject_what_they_should() -> None:
    doc = build_table(1, outpatient(), "3176", facility())
    ngay_vao = doc.find("NGAY_VAO")
    assert ngay_vao is not None
    ngay_vao.text = "2025-07-01"
    assert not load_schema(1, "3176").validate(doc)
    doc = build_table(1, outpatient(), "3176", facility())
    doc.remove(doc[5])                          # a missing element is an error: all are always emitted
    assert not load_schema(1, "3176").validate(doc)
    doc = build_table(1, outpatient(), "3176", facility())
    total = doc.find("T_TONGCHI_BV")
    assert total is not None
    total.text = "1.005"
    assert not load_schema(1, "3176").validate(doc)


def test_no_schema_for_a_table_that_is_never_produced() -> None:
    from adapter.errors import ConfigError

    with pytest.raises(ConfigError):
        load_schema(12, "3176")


def test_profiles_differ_where_3176_changed_the_format() -> None:
    old = build_table(14, full("4750"), "4750", facility("4750"))
    new = build_table(14, full("3176"), "3176", facility("3176"))
    assert not load_schema(14, "3176").validate(old)        # NGAY_HEN_KL has 12 digits in 4750
    assert not load_schema(14, "4750").validate(new)        # and 8 in 3176
