"""Safe parsing: hostile XML is refused; tables, envelopes and check-ins become rows."""

from __future__ import annotations

import base64
from datetime import date
from pathlib import Path

import pytest
import validation_samples as s

from adapter.errors import XmlInputError
from adapter.validation.codelists import CodeLists
from adapter.validation.engine import detect_profile, validate_document
from adapter.validation.files import validate_path
from adapter.validation.parse import envelope, parse_table, parse_xml

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE TONG_HOP [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<TONG_HOP><MA_LK>&xxe;</MA_LK></TONG_HOP>"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<TONG_HOP><MA_LK>&lol4;</MA_LK></TONG_HOP>"""

EXTERNAL_DTD = b'<?xml version="1.0"?><!DOCTYPE TONG_HOP SYSTEM "http://127.0.0.1:9/x.dtd"><TONG_HOP/>'
PARAMETER_ENTITY = b'<!DOCTYPE x [<!ENTITY % p SYSTEM "http://127.0.0.1:9/p.dtd"> %p;]><x/>'


@pytest.mark.parametrize("data", [XXE, BILLION_LAUGHS, EXTERNAL_DTD, PARAMETER_ENTITY],
                         ids=["xxe", "billion-laughs", "external-dtd", "parameter-entity"])
def test_dtd_and_entities_are_refused(data: bytes) -> None:
    with pytest.raises(XmlInputError, match="DTD"):
        parse_xml(data)


def test_utf16_doctype_is_refused_after_parsing() -> None:
    data = '<?xml version="1.0" encoding="utf-16"?><!DOCTYPE TONG_HOP><TONG_HOP/>'.encode("utf-16")
    with pytest.raises(XmlInputError, match="DTD"):
        parse_xml(data)


def test_malformed_xml_is_an_xml_input_error() -> None:
    with pytest.raises(XmlInputError, match="malformed"):
        parse_xml(b"<TONG_HOP><MA_LK>1</TONG_HOP>")


def test_hostile_table_inside_an_envelope_is_reported_not_expanded() -> None:
    data = s.envelope_xml({}, files=[("XML1", BILLION_LAUGHS)])
    report = validate_document(data)
    assert {"XML_UNSAFE", "TABLE_MISSING"} <= {i.rule for i in report.issues}
    assert report.blocking


def test_table_rows_keep_text_and_empty_elements() -> None:
    data = b"<TONG_HOP><MA_LK>A1</MA_LK><HO_TEN><![CDATA[L\xc3\xaa & co]]></HO_TEN><NHOM_MAU/></TONG_HOP>"
    rows = parse_table(data)
    assert rows.table == 1
    assert dict(rows.rows[0]) == {"MA_LK": "A1", "HO_TEN": "Lê & co", "NHOM_MAU": ""}


def test_list_table_rows_in_order() -> None:
    rows = parse_table(s.table_xml(2, s.outpatient()[2]))
    assert rows.table == 2
    assert [r["STT"] for r in rows.rows] == ["1", "2"]


def test_envelope_decodes_every_table() -> None:
    env = envelope(parse_xml(s.envelope_xml(s.inpatient())))
    assert env.macskcb == "79001" and env.declared_count == "1"
    assert sorted(env.hosos[0].tables()) == [1, 2, 3, 7, 8]


def test_checkin_document_is_recognised() -> None:
    report = validate_document(s.table_xml(0, s.checkin()[0]))
    assert (report.kind, report.ma_lk, report.issues) == ("XML0", s.MA_LK, ())


def test_base64_with_line_breaks_is_accepted() -> None:
    table = base64.encodebytes(s.table_xml(1, s.outpatient()[1])).decode()
    data = s.envelope_xml(s.outpatient()).replace(
        base64.b64encode(s.table_xml(1, s.outpatient()[1])), table.encode())
    assert not validate_document(data).blocking


def test_profile_detected_from_xml13_names_and_date() -> None:
    rows = s.tables(s.outpatient())
    assert detect_profile(rows) == "3176"
    assert detect_profile(s.tables(s.outpatient("4750"))) == "4750"
    referral = {13: s.TableRows(table=13, rows=({"MA_LK": "x", "MA_NOI_DI": "79001"},))}
    assert detect_profile({**rows, **referral}) == "4750"


def test_code_lists_follow_the_effective_date() -> None:
    before, after = CodeLists.load(date(2026, 7, 31)), CodeLists.load(date(2026, 8, 1))
    assert "12" not in before.get("MA_LOAI_KCB").codes and "12" in after.get("MA_LOAI_KCB").codes
    assert after.get("MA_LOAI_KCB").source.startswith("QĐ 1804")
    assert "1.11" not in CodeLists.load(date(2025, 6, 30)).get("MA_DOITUONG_KCB").codes
    assert "1.11" in CodeLists.load(date(2025, 7, 1)).get("MA_DOITUONG_KCB").codes


def test_code_list_version_is_chosen_by_episode_end_date() -> None:
    rows = s.outpatient()
    rows[1][0]["MA_LOAI_KCB"] = "12"
    report = validate_document(s.envelope_xml(rows))
    assert "CODE_NOT_IN_LIST" in {i.rule for i in report.issues}


def test_facility_directory_overrides_a_packaged_list(tmp_path: Path) -> None:
    (tmp_path / "gioi_tinh.json").write_text(
        '{"list": "GIOI_TINH", "fields": ["XML1.GIOI_TINH"], "versions": '
        '[{"source": "local", "effective_from": "2024-01-01", "codes": {"1": "Nam", "2": "Nữ"}}]}',
        encoding="utf-8")
    lists = CodeLists.load(date(2025, 1, 1), tmp_path)
    assert lists.get("GIOI_TINH").codes == frozenset({"1", "2"})
    assert lists.by_field[(1, "GIOI_TINH")].source == "local"


def test_validate_path_walks_a_folder(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "good.xml").write_bytes(s.envelope_xml(s.outpatient()))
    (tmp_path / "bad.xml").write_bytes(b"<TONG_HOP>")
    (tmp_path / "notes.txt").write_text("ignored")
    reports = validate_path(tmp_path)
    assert [(r.path.name, r.report.blocking) for r in reports] == [("good.xml", False), ("bad.xml", True)]


@pytest.mark.parametrize("text", [b"Nguy\x01en", b"Nguy&#x1;en", b"Nguy&#27;en"],
                         ids=["raw", "hex-ref", "dec-ref"])
def test_control_character_in_a_file_is_located(text: bytes) -> None:
    data = b"<TONG_HOP><MA_LK>A1</MA_LK><HO_TEN>" + text + b"</HO_TEN></TONG_HOP>"
    report = validate_document(data)
    assert [(i.rule, i.table, i.field) for i in report.issues] == [("TEXT_CONTROL_CHAR", "FILE", "HO_TEN")]


def test_tab_newline_and_their_references_are_not_control_characters() -> None:
    data = b"<TONG_HOP><GHI_CHU>a\tb\r\n&#10;&#x9;&#13;</GHI_CHU></TONG_HOP>"
    assert "TEXT_CONTROL_CHAR" not in {i.rule for i in validate_document(data).issues}


def test_control_character_inside_an_envelope_table() -> None:
    xml1 = s.table_xml(1, s.outpatient()[1]).replace("Ho, sốt".encode(), b"Ho\x0b sot")
    report = validate_document(s.envelope_xml({}, files=[("XML1", xml1)]))
    assert ("TEXT_CONTROL_CHAR", "ENVELOPE", "XML1") in {(i.rule, i.table, i.field) for i in report.issues}


def test_profile_detected_from_the_occupation_code_length() -> None:
    rows = s.outpatient("4750")
    rows[1][0].update(NGAY_VAO="202507010800", NGAY_RA="202507010930")   # a 2025 date alone says 3176
    assert detect_profile(s.tables(rows)) == "4750"
    rows[1][0]["MA_NGHE_NGHIEP"] = ""
    assert detect_profile(s.tables(rows)) == "3176"
