"""Safe parsing of untrusted XML into table rows (element name -> text).

Hospital exports and envelopes are untrusted input: the parser never loads a DTD,
never resolves entities, never touches the network and keeps libxml2's size limits.
A document that *declares* a DTD or an entity is refused outright with
``XmlInputError``: no legitimate BHYT document has one, and refusing is simpler to
reason about than expanding "safely". Two guards: a scan of the prolog (everything
before the root element, however long, in whatever encoding the document uses) before
parsing, and a check of the parsed tree (no DTD, no entity node) after. Text inside the
root, CDATA included, is data: a note may well read "<!ENTITY" or "&#0;".
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import chain

from lxml import etree

from adapter import catalogue
from adapter.errors import XmlInputError

ENVELOPE_ROOT = "GIAMDINHHS"
UTF8 = "utf-8"
UNSAFE_MESSAGE = "XML with a DTD or entity declaration is refused"
# XML 1.0 appendix F: the byte-order mark, or the NUL bytes around the first "<", name the
# encoding family before any declaration can be read (UTF-32 first: its marks begin alike).
_SIGNATURES = (
    (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00<", "utf-32-be"), (b"<\x00\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le"),
    (b"\x00<", "utf-16-be"), (b"<\x00", "utf-16-le"),   # no mark: "<" and a NUL byte
)
_BOM_UTF8 = b"\xef\xbb\xbf"
_ENCODING_DECL = re.compile(rb"\s*<\?xml\s[^>]*?\bencoding\s*=\s*[\"']([A-Za-z][\w.:-]*)[\"']")
_PROLOG_SPACE = re.compile(rb"[ \t\r\n]*")
_TABLE_CODE = re.compile(r"XML(\d{1,2})")
# Raw C0 controls (other than tab, LF, CR) and their character references are not
# allowed in XML 1.0; lxml would only say "malformed", so they are found first and
# reported with the element that holds them.
# translate() maps every C0 control except tab/LF/CR to NUL and everything else to "1":
# one C-speed pass, then find(). Much faster than a regex over a 30 KB envelope.
_RAW_CONTROL = bytes(0 if b < 32 and b not in (9, 10, 13) else 49 for b in range(256))
_CONTROL_REF = re.compile(rb"&#(?:x0*(?:[0-8bcef]|1[0-9a-f])|0*(?:[0-8]|1[1246-9]|2[0-9]|3[01]));",
                          re.IGNORECASE)
_OPEN_TAG = re.compile(rb"<([A-Za-z_][\w.-]*)[^<>]*>")
# Where markup is data or ignored: a character reference there is only text.
_LITERAL = re.compile(rb"<!\[CDATA\[.*?\]\]>|<!--.*?-->|<\?.*?\?>", re.DOTALL)


@dataclass(frozen=True, kw_only=True, slots=True)
class TableRows:
    """One table as rows of element name -> text ("" for an empty element)."""

    table: int
    rows: tuple[Mapping[str, str], ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class EnvelopeFile:
    """One FILEHOSO of an envelope: its declared LOAIHOSO and the parsed table (if it parsed)."""

    declared: str
    table: TableRows | None
    error: str = ""                       # rule code when the content could not be used


@dataclass(frozen=True, kw_only=True, slots=True)
class Hoso:
    """One HOSO (one episode) of a GIAMDINHHS envelope."""

    files: tuple[EnvelopeFile, ...]

    def tables(self) -> dict[int, TableRows]:
        out: dict[int, TableRows] = {}
        for f in self.files:
            if f.table is not None and f.table.table not in out:
                out[f.table.table] = f.table
        return out


@dataclass(frozen=True, kw_only=True, slots=True)
class Envelope:
    macskcb: str
    declared_count: str                   # SOLUONGHOSO as written
    hosos: tuple[Hoso, ...] = field(default=())


def _parser() -> etree.XMLParser:
    # A new parser per call: lxml parsers are not thread-safe to share.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_comments=True, remove_pis=True)


def _signature(data: bytes) -> str | None:
    """The UTF-16/UTF-32 form the first bytes show (a byte-order mark or NULs around "<"), if any."""
    return next((name for signature, name in _SIGNATURES if data.startswith(signature)), None)


def encoding(data: bytes) -> str:
    """The document's encoding as Python names it: from the byte-order mark, else the declaration.

    ``"utf-8"`` when neither says otherwise (the XML default); a declared name Python does
    not know is returned lower-cased as written.
    """
    wide = _signature(data)
    if wide is not None:
        return wide
    start = len(_BOM_UTF8) if data.startswith(_BOM_UTF8) else 0
    m = _ENCODING_DECL.match(data, start, start + 512)
    if m is None:
        return UTF8
    name = m.group(1).decode("ascii").lower()
    try:
        return codecs.lookup(name).name
    except LookupError:
        return name


def declares_dtd(data: bytes) -> bool:
    """Whether the prolog (before the root element) holds a declaration ``<!...`` other than a comment."""
    wide = _signature(data)
    if wide is not None:
        # Refused for sending anyway, but the markup is only visible once decoded. (Only the
        # bytes decide: ASCII bytes that merely *declare* UTF-16 are scanned as they are.)
        data = data.decode(wide, errors="replace").encode(UTF8, errors="replace")
    pos = len(_BOM_UTF8) if data.startswith(_BOM_UTF8) else 0
    while True:
        space = _PROLOG_SPACE.match(data, pos)
        pos = space.end() if space else pos
        if data.startswith(b"<!--", pos):
            opening, close = 4, b"-->"
        elif data.startswith(b"<?", pos):
            opening, close = 2, b"?>"
        else:
            return data.startswith(b"<!", pos)
        end = data.find(close, pos + opening)
        if end < 0:
            return False                       # unterminated: the parser reports it malformed
        pos = end + len(close)


def parse_xml(data: bytes) -> etree._Element:
    """Parse untrusted bytes; refuse any DTD or entity declaration; return the root element."""
    if declares_dtd(data):
        raise XmlInputError(UNSAFE_MESSAGE)
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise XmlInputError(f"malformed XML: line {exc.lineno}") from exc
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise XmlInputError(UNSAFE_MESSAGE)    # the prolog scan missed it: refuse all the same
    if next(root.iter(etree.Entity), None) is not None:
        raise XmlInputError(UNSAFE_MESSAGE)
    return root


def control_character(data: bytes) -> str | None:
    """The element holding the first control character ("" when outside any), or None.

    A raw control byte is illegal anywhere; a reference such as ``&#0;`` only where it is
    markup, not inside CDATA, a comment or a processing instruction.
    """
    raw = data.translate(_RAW_CONTROL).find(b"\x00")
    ref = _control_reference(data) if b"&#" in data else -1
    found = [i for i in (raw, ref) if i >= 0]
    if not found:
        return None
    tags = _OPEN_TAG.findall(data, 0, min(found))
    return tags[-1].decode("ascii", "replace") if tags else ""


def _control_reference(data: bytes) -> int:
    """Offset of the first control-character reference outside CDATA, comments and PIs, or -1."""
    refs = _CONTROL_REF.finditer(data)
    first = next(refs, None)
    if first is None:                          # the usual case: &#13; and friends only
        return -1
    literal = _LITERAL.finditer(data)
    span = next(literal, None)
    for ref in chain((first,), refs):
        while span is not None and span.end() <= ref.start():
            span = next(literal, None)
        if span is None or ref.start() < span.start():
            return ref.start()
    return -1


def _row(item: etree._Element) -> dict[str, str]:
    # Comments and PIs are dropped by the parser, so every child is an element; one with
    # children of its own is not a field value and reads as empty.
    return {str(child.tag): "" if len(child) else (child.text or "") for child in item}


def table_rows(root: etree._Element) -> TableRows | None:
    """A table document's rows, or ``None`` when the root is not a known table root."""
    spec = catalogue.table_by_root(str(root.tag))
    if spec is None:
        return None
    if spec.list_element is None:
        return TableRows(table=spec.number, rows=(_row(root),))
    items = root.iterfind(f"{spec.list_element}/{spec.item_element}")
    return TableRows(table=spec.number, rows=tuple(_row(i) for i in items))


def parse_table(data: bytes) -> TableRows:
    """Parse one standalone table document (XML0..XML15)."""
    root = parse_xml(data)
    rows = table_rows(root)
    if rows is None:
        raise XmlInputError(f"unknown table root element {root.tag!r}")
    return rows


def declared_table(code: str) -> int | None:
    """``"XML3"`` -> 3; ``None`` when LOAIHOSO is not a table code."""
    m = _TABLE_CODE.fullmatch(code.strip().upper())
    return int(m.group(1)) if m else None


def _file(el: etree._Element) -> EnvelopeFile:
    declared = (el.findtext("LOAIHOSO") or "").strip()
    content = "".join((el.findtext("NOIDUNGFILE") or "").split())
    try:
        raw = base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError):
        return EnvelopeFile(declared=declared, table=None, error="ENVELOPE_BASE64")
    # One code per embedded file (a file alone gets every refusal): the most serious first.
    if declares_dtd(raw):
        return EnvelopeFile(declared=declared, table=None, error="XML_UNSAFE")
    if encoding(raw) != UTF8:
        return EnvelopeFile(declared=declared, table=None, error="FILE_NOT_UTF8")
    if control_character(raw) is not None:
        return EnvelopeFile(declared=declared, table=None, error="TEXT_CONTROL_CHAR")
    try:
        rows = table_rows(parse_xml(raw))
    except XmlInputError as exc:
        return EnvelopeFile(declared=declared, table=None, error=_error_code(exc))
    if rows is None:
        return EnvelopeFile(declared=declared, table=None, error="ENVELOPE_TABLE_MISMATCH")
    return EnvelopeFile(declared=declared, table=rows)


def _error_code(exc: XmlInputError) -> str:
    return "XML_UNSAFE" if "DTD" in str(exc) else "XML_MALFORMED"


def envelope(root: etree._Element) -> Envelope:
    """Read a GIAMDINHHS envelope; every table inside goes through the same safe parser."""
    hosos = tuple(Hoso(files=tuple(_file(f) for f in h.iterfind("FILEHOSO")))
                  for h in root.iterfind("THONGTINHOSO/DANHSACHHOSO/HOSO"))
    return Envelope(macskcb=(root.findtext("THONGTINDONVI/MACSKCB") or "").strip(),
                    declared_count=(root.findtext("THONGTINHOSO/SOLUONGHOSO") or "").strip(),
                    hosos=hosos)
