"""BHXH staff catalogue Mẫu 02/DM (TT 12/2026/TT-BTC Phụ lục II) as XML. Pure.

Structure (vendor-derived, see docs/registry.md for what is UNVERIFIED)::

    <?xml version="1.0" encoding="UTF-8"?>
    <HSDANHMUC>
      <DANHSACH_DMNHANLUCKBCB Id="...">
        <DMNHANLUCKBCB> 24 elements, STT .. MA_CSKCB, empty ones written as <X/> </DMNHANLUCKBCB>
      </DANHSACH_DMNHANLUCKBCB>
      <CHUKYDONVI/>            the signer puts the enveloped signature here
    </HSDANHMUC>

Every column is always written, empty or not: dropping an element changes the structure
the gateway validates. Changed registrations travel as two rows (old row with DEN_NGAY,
new row with TU_NGAY), which is what the store's periods already are.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

from lxml import etree

from adapter.errors import DataError, XmlInputError
from adapter.registry.model import FacilityRecord, RegisteredPractitioner

ROOT = "HSDANHMUC"
LIST = "DANHSACH_DMNHANLUCKBCB"
ROW = "DMNHANLUCKBCB"
SIGNATURE_HOLDER = "CHUKYDONVI"
LOAI_HS = "71"
ENDPOINT_PATH = "/api/DanhMucGW/GuiDanhMuc02_NLKCB"
DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


@dataclass(frozen=True, kw_only=True, slots=True)
class Column:
    tag: str
    size: int | None           # maximum length; None = unbounded
    required: bool = False
    kind: str = "str"          # "str", "num" or "date8" (yyyymmdd)


COLUMNS: tuple[Column, ...] = (
    Column(tag="STT", size=10, required=True, kind="num"),
    Column(tag="MA_KHOA", size=100, required=True),
    Column(tag="TEN_KHOA", size=None),
    Column(tag="HO_TEN", size=250, required=True),
    Column(tag="GIOI_TINH", size=1, kind="num"),
    Column(tag="SO_DINH_DANH", size=15, required=True),
    Column(tag="CHUCDANH_NN", size=2),
    Column(tag="VI_TRI", size=5),
    Column(tag="MACCHN", size=250),
    Column(tag="NGAYCAP_CCHN", size=8, kind="date8"),
    Column(tag="NOICAP_CCHN", size=250),
    Column(tag="PHAMVI_CM", size=15),
    Column(tag="PHAMVI_CMBS", size=50),
    Column(tag="DVKT_KHAC", size=None),
    Column(tag="VB_PHANCONG", size=50),
    Column(tag="THOIGIAN_DK", size=1, kind="num"),
    Column(tag="THOIGIAN_NGAY", size=200),
    Column(tag="THOIGIAN_TUAN", size=200),
    Column(tag="CSKCB_KHAC", size=30),
    Column(tag="CSKCB_CGKT", size=5),
    Column(tag="QD_CGKT", size=50),
    Column(tag="TU_NGAY", size=8, required=True, kind="date8"),
    Column(tag="DEN_NGAY", size=8, kind="date8"),
    Column(tag="MA_CSKCB", size=5, required=True),
)

# Practitioner attribute behind each column (STT, TEN_KHOA and MA_CSKCB are derived).
FIELD_OF: Mapping[str, str] = {
    "MA_KHOA": "departments", "HO_TEN": "name", "GIOI_TINH": "gender", "SO_DINH_DANH": "cccd",
    "CHUCDANH_NN": "title", "VI_TRI": "position", "MACCHN": "licence_no", "NGAYCAP_CCHN": "licence_date",
    "NOICAP_CCHN": "licence_issuer", "PHAMVI_CM": "scope", "PHAMVI_CMBS": "scope_extra",
    "DVKT_KHAC": "other_services", "VB_PHANCONG": "assignment_doc", "THOIGIAN_DK": "employment",
    "THOIGIAN_NGAY": "hours_day", "THOIGIAN_TUAN": "hours_week", "CSKCB_KHAC": "other_facilities",
    "CSKCB_CGKT": "transfer_facility", "QD_CGKT": "transfer_decision", "TU_NGAY": "valid_from",
    "DEN_NGAY": "valid_to", "MA_CSKCB": "ma_cskcb",
}

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def clean_text(value: str) -> str:
    """NFC (HIS exports mix NFD Vietnamese), control characters removed (illegal in XML 1.0)."""
    return _CONTROL.sub("", unicodedata.normalize("NFC", value)).strip()


def cell_text(value: object) -> str:
    """A value as the catalogue writes it: dates yyyymmdd, lists ';'-joined, None empty."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%Y%m%d")
    if isinstance(value, tuple):
        return ";".join(str(v) for v in value)
    return clean_text(str(value))


def row_values(facility: FacilityRecord, practitioner: RegisteredPractitioner, stt: int) -> dict[str, str]:
    """The 24 column texts of one 02/DM row."""
    values = {tag: cell_text(getattr(practitioner, attr)) for tag, attr in FIELD_OF.items()}
    values["STT"] = str(stt)
    names = (clean_text(facility.department_name(code) or "") for code in practitioner.departments)
    values["TEN_KHOA"] = ";".join(names)
    values["MA_CSKCB"] = values["MA_CSKCB"] or facility.ma_cskcb
    return {c.tag: values[c.tag] for c in COLUMNS}


def list_id(facility: FacilityRecord, created_on: date) -> str:
    return f"DM02_{facility.ma_cskcb}_{created_on:%Y%m%d}"


def build_staff_catalogue(facility: FacilityRecord, practitioners: Sequence[RegisteredPractitioner], *,
                          created_on: date) -> bytes:
    """The unsigned 02/DM document; rows in (code, TU_NGAY) order so equal input gives equal bytes."""
    if not practitioners:
        # The gateway accepts an empty list and returns a transaction id: refuse it here.
        raise DataError("the staff catalogue has no rows", record=facility.ma_cskcb, rule="STAFF_EMPTY")
    root = etree.Element(ROOT)
    rows = etree.SubElement(root, LIST, Id=list_id(facility, created_on))
    ordered = sorted(practitioners, key=lambda p: (p.code, p.valid_from or date.min))
    for stt, practitioner in enumerate(ordered, start=1):
        _append_row(rows, row_values(facility, practitioner, stt))
    etree.SubElement(root, SIGNATURE_HOLDER)
    body: bytes = etree.tostring(root, encoding="UTF-8", xml_declaration=False)
    return DECLARATION + body


def _append_row(parent: etree._Element, values: Mapping[str, str]) -> None:
    row = etree.SubElement(parent, ROW)
    for column in COLUMNS:
        etree.SubElement(row, column.tag).text = values[column.tag] or None


def parse_staff_catalogue(document: bytes) -> list[dict[str, str]]:
    """The rows of a 02/DM document as tag -> text (for checks and read-back). Rejects DTDs."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(document, parser)
    except etree.XMLSyntaxError as exc:
        raise XmlInputError("the staff catalogue is not well-formed XML") from exc
    if root.getroottree().docinfo.doctype:
        raise XmlInputError("the staff catalogue must not carry a DTD")
    return [{child.tag: child.text or "" for child in row if isinstance(child.tag, str)}
            for row in root.iterfind(f"{LIST}/{ROW}")]


def structure_problems(document: bytes) -> list[str]:
    """What differs from the expected structure (root, list, 24 columns in order, CHUKYDONVI last)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.fromstring(document, parser)
    children = [child.tag for child in root]
    problems = []
    if root.tag != ROOT:
        problems.append(f"root is not {ROOT}")
    if children != [LIST, SIGNATURE_HOLDER]:
        problems.append(f"{ROOT} must hold exactly {LIST} then {SIGNATURE_HOLDER} (last)")
    expected = [c.tag for c in COLUMNS]
    for n, row in enumerate(root.iterfind(f"{LIST}/{ROW}"), start=1):
        if [c.tag for c in row] != expected:
            problems.append(f"row {n}: columns differ from the 24 columns of 02/DM")
    return problems


@cache
def _schema() -> etree.XMLSchema:
    text = resources.files("adapter").joinpath("data/registry/dm02.xsd").read_bytes()
    return etree.XMLSchema(etree.fromstring(text))


def schema_problems(document: bytes) -> list[str]:
    """Violations of ``data/registry/dm02.xsd`` as "line N: ELEMENT" (libxml2's own text can quote
    the value, e.g. a CCCD, so only the element name and line are kept)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    tree = etree.fromstring(document, parser).getroottree()
    schema = _schema()
    if schema.validate(tree):
        return []
    out = []
    for entry in schema.error_log:
        m = re.search(r"Element '([A-Za-z_]+)'", entry.message)
        out.append(f"line {entry.line}: {m.group(1) if m else 'structure'}")
    return out
