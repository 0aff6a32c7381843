"""The claim envelope (``GIAMDINHHS``, spec §2.1) and the check-in file (XML0, §2.2).

Pure: the creation date is a parameter, nothing reads a clock. Both documents end
with an empty ``<CHUKYDONVI/>`` as the last child of the root, the slot the signer
fills; what is returned here is never sent as is (unsigned means not sent).
"""

from __future__ import annotations

import base64
from datetime import date

from adapter.catalogue import Profile, table
from adapter.mappers.format import escape, stamp8
from adapter.mappers.plans import DECLARATION
from adapter.mappers.policy import TablePolicy, tables_for
from adapter.mappers.sources import xml1_values
from adapter.mappers.tables import Rows, table_document, table_parts
from adapter.model import Encounter, Facility
from adapter.text import clean

XSI = "http://www.w3.org/2001/XMLSchema-instance"
XSD = "http://www.w3.org/2001/XMLSchema"
_ROOT_OPEN = f'<GIAMDINHHS xmlns:xsi="{XSI}" xmlns:xsd="{XSD}">'


def _file(number: int, document: bytes) -> str:
    payload = base64.b64encode(document).decode("ascii")
    return (f"<FILEHOSO><LOAIHOSO>{table(number).code}</LOAIHOSO>"
            f"<NOIDUNGFILE>{payload}</NOIDUNGFILE></FILEHOSO>")


def claim_files(encounter: Encounter, facility: Facility, profile: Profile,
                policy: TablePolicy) -> dict[int, bytes]:
    """Each produced table's own UTF-8 document, by table number, in envelope order."""
    xml1 = xml1_values(encounter, profile, facility)
    return {n: table_document(n, encounter, profile, facility, xml1=xml1)
            for n in tables_for(encounter, policy)}


def claim_tables(encounter: Encounter, facility: Facility, profile: Profile,
                 policy: TablePolicy) -> dict[int, tuple[bytes, Rows]]:
    """Each produced table's document and its rows, by table number, in envelope order.

    The rows are what ``adapter.validation.parse.parse_table`` reads from the document
    (element name -> text, "" when empty), written in the same pass: validation of what
    the mapper just wrote needs no parse back. The documents equal ``claim_files``'.
    """
    xml1 = xml1_values(encounter, profile, facility)
    out: dict[int, tuple[bytes, Rows]] = {}
    for n in tables_for(encounter, policy):
        text, rows = table_parts(n, encounter, profile, facility, xml1=xml1)
        out[n] = (text.encode("utf-8"), rows)
    return out


def envelope(ma_cskcb: str, created_on: date, files: dict[int, bytes]) -> bytes:
    """A ``GIAMDINHHS`` document around already-built table documents (one HOSO)."""
    parts = [DECLARATION, _ROOT_OPEN,
             f"<THONGTINDONVI><MACSKCB>{escape(clean(ma_cskcb))}</MACSKCB></THONGTINDONVI>",
             f"<THONGTINHOSO><NGAYLAP>{stamp8(created_on)}</NGAYLAP><SOLUONGHOSO>1</SOLUONGHOSO>",
             "<DANHSACHHOSO><HOSO>"]
    parts.extend(_file(n, doc) for n, doc in files.items())
    parts.append("</HOSO></DANHSACHHOSO></THONGTINHOSO><CHUKYDONVI/></GIAMDINHHS>")
    return "".join(parts).encode("utf-8")


def claim_envelope(ma_cskcb: str, created_on: date, tables: dict[int, tuple[bytes, Rows]]) -> bytes:
    """``envelope`` around the documents of ``claim_tables`` (their rows are for validation)."""
    return envelope(ma_cskcb, created_on, {n: document for n, (document, _) in tables.items()})


def build_claim(encounter: Encounter, facility: Facility, profile: Profile, *,
                created_on: date, policy: TablePolicy) -> bytes:
    """The unsigned claim file of one episode: every applicable table, base64 in FILEHOSO."""
    return envelope(facility.ma_cskcb, created_on, claim_files(encounter, facility, profile, policy))


def build_checkin(encounter: Encounter, profile: Profile, *, inpatient: bool = False) -> bytes:
    """The unsigned check-in file (XML0), reception or (``inpatient``) treatment department."""
    return table_document(0, encounter, profile, inpatient=inpatient)
