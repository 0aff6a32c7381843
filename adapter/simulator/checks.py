"""What the simulated gateway checks in a submitted file (no I/O; raises DataError(rule=code)).

The signature is verified independently of ``adapter.signing``: signxml's XMLVerifier with
the BHXH profile pinned (enveloped, C14N 1.0, RSA-SHA256, SHA-256) against the certificates
registered for the facility.
"""

from __future__ import annotations

import base64
import binascii
import enum
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree
from signxml.algorithms import DigestAlgorithm, SignatureMethod
from signxml.exceptions import SignXMLException
from signxml.verifier import SignatureConfiguration, XMLVerifier

from adapter.errors import DataError
from adapter.logs import quiet_third_party_loggers
from adapter.simulator import codes

DSIG = "{http://www.w3.org/2000/09/xmldsig#}"
C14N_10 = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
CLAIM_TABLES = frozenset(f"XML{n}" for n in (*range(1, 12), 13, 14, 15))
_PROFILE = SignatureConfiguration(
    require_x509=True, location=".//", expect_references=1,
    signature_methods=frozenset({SignatureMethod.RSA_SHA256}),
    digest_algorithms=frozenset({DigestAlgorithm.SHA256}),
)


class Kind(enum.StrEnum):
    CHECKIN = "checkin"
    CLAIM = "claim"
    STAFF = "staff"


ROOTS = {Kind.CHECKIN: "CHI_TIEU_TRANG_THAI_KCB", Kind.CLAIM: "GIAMDINHHS", Kind.STAFF: "HSDANHMUC"}


@dataclass(frozen=True, kw_only=True, slots=True)
class Document:
    """A file that passed every check."""

    kind: Kind
    ma_cskcb: str
    ma_lk: str
    sha256: str


def refuse(code: str, why: str = "") -> DataError:
    message = codes.MESSAGES[code] + (f": {why}" if why else "")
    return DataError(message, rule=code)


def decode_file(text: str) -> bytes:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        raise refuse(codes.BAD_BASE64) from None


def parse_safe(data: bytes, what: str = "file") -> etree._Element:
    """Well-formed XML without DTD or entities (no network, no entity expansion)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        raise refuse(codes.BAD_XML, f"{what} không đúng cú pháp XML") from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise refuse(codes.BAD_XML, f"{what} chứa DTD/entity")
    return root


def inspect_file(raw: bytes, *, kind: Kind, ma_cskcb: str, certificates: Sequence[bytes]) -> Document:
    """All content checks of one submitted file, signature last."""
    root = parse_safe(raw)
    if root.tag != ROOTS[kind]:
        raise refuse(codes.BAD_STRUCTURE, f"thẻ gốc phải là {ROOTS[kind]}")
    ma_lk = {Kind.CHECKIN: _checkin, Kind.CLAIM: _claim, Kind.STAFF: _staff}[kind](root, ma_cskcb)
    verify_signature(raw, root, certificates)
    return Document(kind=kind, ma_cskcb=ma_cskcb, ma_lk=ma_lk, sha256=hashlib.sha256(raw).hexdigest())


def _claim(root: etree._Element, ma_cskcb: str) -> str:
    if _text(root, "THONGTINDONVI/MACSKCB") != ma_cskcb:
        raise refuse(codes.BAD_STRUCTURE, "THONGTINDONVI/MACSKCB khác maCSKCB")
    if _text(root, "THONGTINHOSO/SOLUONGHOSO") != "1":
        raise refuse(codes.BAD_STRUCTURE, "SOLUONGHOSO phải bằng 1")
    hosos = root.findall("THONGTINHOSO/DANHSACHHOSO/HOSO")
    if len(hosos) != 1:
        raise refuse(codes.BAD_STRUCTURE, "phải có đúng một HOSO")
    tables = _tables(hosos[0])
    if "XML1" not in tables:
        raise refuse(codes.BAD_STRUCTURE, "thiếu XML1")
    ma_lk = _text(tables["XML1"], "MA_LK")
    if not ma_lk:
        raise refuse(codes.BAD_STRUCTURE, "XML1 thiếu MA_LK")
    return ma_lk


def _tables(hoso: etree._Element) -> dict[str, etree._Element]:
    tables: dict[str, etree._Element] = {}
    for item in hoso.findall("FILEHOSO"):
        name = _text(item, "LOAIHOSO")
        if name not in CLAIM_TABLES or name in tables:
            raise refuse(codes.BAD_STRUCTURE, f"LOAIHOSO không hợp lệ hoặc lặp: {name[:10]}")
        content = decode_file("".join(_text(item, "NOIDUNGFILE").split()))
        tables[name] = parse_safe(content, name)
    return tables


def _checkin(root: etree._Element, ma_cskcb: str) -> str:
    rows = root.findall("DSACH_TRANG_THAI_KCB/TRANG_THAI_KCB")
    if not rows:
        raise refuse(codes.BAD_STRUCTURE, "thiếu TRANG_THAI_KCB")
    if any(_text(r, "MA_CSKCB") not in ("", ma_cskcb) for r in rows):
        raise refuse(codes.BAD_STRUCTURE, "MA_CSKCB khác maCSKCB")
    ma_lk = _text(rows[0], "MA_LK")
    if not ma_lk:
        raise refuse(codes.BAD_STRUCTURE, "thiếu MA_LK")
    return ma_lk


def _staff(root: etree._Element, ma_cskcb: str) -> str:
    rows = root.findall("DANHSACH_DMNHANLUCKBCB/DMNHANLUCKBCB")
    if not rows:
        raise refuse(codes.BAD_STRUCTURE, "thiếu DMNHANLUCKBCB")
    if any(_text(r, "MA_CSKCB") != ma_cskcb for r in rows):
        raise refuse(codes.BAD_STRUCTURE, "MA_CSKCB khác maCSKCB")
    return ""


def verify_signature(raw: bytes, root: etree._Element, certificates: Sequence[bytes]) -> None:
    """CHUKYDONVI last, one BHXH-profile signature in it, made by a registered certificate."""
    signature = _signature_element(root)
    method = signature.find(f"{DSIG}SignedInfo/{DSIG}CanonicalizationMethod")
    if method is None or method.get("Algorithm") != C14N_10:
        raise refuse(codes.BAD_SIGNATURE, "CanonicalizationMethod phải là C14N 1.0")
    if any(_verifies(raw, pem) for pem in certificates):
        return
    embedded = signature.findtext(f"{DSIG}KeyInfo/{DSIG}X509Data/{DSIG}X509Certificate")
    if embedded and _verifies(raw, _pem("".join(embedded.split()))):
        raise refuse(codes.UNREGISTERED_CERT)
    raise refuse(codes.BAD_SIGNATURE, "chữ ký không khớp nội dung")


def _signature_element(root: etree._Element) -> etree._Element:
    last = root[-1] if len(root) else None
    if last is None or last.tag != "CHUKYDONVI":
        raise refuse(codes.BAD_SIGNATURE, "CHUKYDONVI phải là thẻ cuối cùng")
    found = last.findall(f"{DSIG}Signature")
    if len(found) != 1 or len(root.findall(f".//{DSIG}Signature")) != 1:
        raise refuse(codes.BAD_SIGNATURE, "CHUKYDONVI phải chứa đúng một chữ ký")
    return found[0]


def _verifies(raw: bytes, pem: bytes) -> bool:
    quiet_third_party_loggers()     # signxml logs whole documents (patient data) at DEBUG
    verifier = XMLVerifier()
    # lxml's inclusive C14N of subtrees adds a spurious xmlns="" (signxml issue 275); the BHXH
    # documents use no namespace of their own, so excising it is safe (tech-notes.md).
    verifier.excise_empty_xmlns_declarations = True
    try:
        verifier.verify(raw, x509_cert=pem.decode("ascii"), expect_config=_PROFILE)
    except (SignXMLException, ValueError, etree.LxmlError):
        return False            # any verifier complaint is the sender's problem (124/125), never a 500
    return True


def _pem(b64: str) -> bytes:
    lines = [b64[i:i + 64] for i in range(0, len(b64), 64)]
    return ("-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n").encode()


def _text(element: etree._Element, path: str) -> str:
    return (element.findtext(path) or "").strip()
