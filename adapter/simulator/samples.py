"""Sample documents and a throw-away facility key for demos, tests and benchmarks.

Fictitious data only. ``sign`` follows the BHXH profile (bhyt-xml-spec.md §7) with signxml
directly, so that the simulator can be exercised without ``adapter.signing``; production
documents are signed by ``adapter.signing``.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, field
from typing import cast

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from lxml import etree
from signxml.algorithms import SignatureConstructionMethod
from signxml.signer import XMLSigner

C14N_10 = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
DSIG_NS = "http://www.w3.org/2000/09/xmldsig#"
_DECL = b'<?xml version="1.0" encoding="utf-8"?>\n'


@dataclass(frozen=True, kw_only=True, slots=True)
class DemoKey:
    private_key: rsa.RSAPrivateKey = field(repr=False)   # loaded once: PEM loading re-checks the key (slow)
    key_pem: bytes = field(repr=False)
    cert_pem: bytes


def demo_key(common_name: str = "Benh vien mo phong 79001", days: int = 30) -> DemoKey:
    """A fresh RSA-2048 key and self-signed certificate (registered in the simulator by the caller)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=days)).sign(key, hashes.SHA256()))
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return DemoKey(private_key=key, key_pem=key_pem, cert_pem=cert.public_bytes(serialization.Encoding.PEM))


def sign(document: bytes, key: DemoKey) -> bytes:
    """Enveloped XML-DSig in the BHXH profile, unprefixed, placed inside the last CHUKYDONVI."""
    root = etree.fromstring(document, etree.XMLParser(resolve_entities=False, no_network=True))
    placeholder = etree.SubElement(root.find("CHUKYDONVI"), f"{{{DSIG_NS}}}Signature", nsmap={None: DSIG_NS})
    placeholder.set("Id", "placeholder")
    signer = XMLSigner(method=SignatureConstructionMethod.enveloped, signature_algorithm="rsa-sha256",
                       digest_algorithm="sha256", c14n_algorithm=C14N_10)
    signer.namespaces = cast(dict[str, str], {None: DSIG_NS})   # unprefixed, as .NET signs
    signed = signer.sign(root, key=key.private_key, cert=key.cert_pem.decode("ascii"))
    return _DECL + bytes(etree.tostring(signed, encoding="utf-8"))


def claim(ma_cskcb: str, ma_lk: str, *, total: str = "68500", ngay_lap: str = "20260101") -> bytes:
    """An unsigned GIAMDINHHS with one HOSO holding XML1 (and an XML2 line)."""
    xml1 = (f"<TONG_HOP><MA_LK>{ma_lk}</MA_LK><STT>1</STT><MA_CSKCB>{ma_cskcb}</MA_CSKCB>"
            f"<T_TONGCHI_BV>{total}</T_TONGCHI_BV></TONG_HOP>").encode()
    xml2 = (f"<CHITIEU_CHITIET_THUOC><DSACH_CHI_TIET_THUOC><CHI_TIET_THUOC><MA_LK>{ma_lk}</MA_LK>"
            "<STT>1</STT></CHI_TIET_THUOC></DSACH_CHI_TIET_THUOC></CHITIEU_CHITIET_THUOC>").encode()
    files = "".join(f"<FILEHOSO><LOAIHOSO>{name}</LOAIHOSO><NOIDUNGFILE>{_b64(_DECL + body)}</NOIDUNGFILE>"
                    "</FILEHOSO>" for name, body in (("XML1", xml1), ("XML2", xml2)))
    return _DECL + (
        '<GIAMDINHHS xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xmlns:xsd="http://www.w3.org/2001/XMLSchema">'
        f"<THONGTINDONVI><MACSKCB>{ma_cskcb}</MACSKCB></THONGTINDONVI>"
        f"<THONGTINHOSO><NGAYLAP>{ngay_lap}</NGAYLAP><SOLUONGHOSO>1</SOLUONGHOSO>"
        f"<DANHSACHHOSO><HOSO>{files}</HOSO></DANHSACHHOSO></THONGTINHOSO>"
        "<CHUKYDONVI/></GIAMDINHHS>").encode()


def checkin(ma_cskcb: str, ma_lk: str, *, ngay_vao: str = "202601010800") -> bytes:
    """An unsigned XML0 check-in with one TRANG_THAI_KCB row."""
    return _DECL + (
        "<CHI_TIEU_TRANG_THAI_KCB><DSACH_TRANG_THAI_KCB><TRANG_THAI_KCB>"
        f"<MA_LK>{ma_lk}</MA_LK><STT>1</STT><NGAY_VAO>{ngay_vao}</NGAY_VAO><MA_CSKCB>{ma_cskcb}</MA_CSKCB>"
        "</TRANG_THAI_KCB></DSACH_TRANG_THAI_KCB><CHUKYDONVI/></CHI_TIEU_TRANG_THAI_KCB>").encode()


def staff(ma_cskcb: str, *, macchn: str = "000123/HCM-GPHN", tu_ngay: str = "20260101") -> bytes:
    """An unsigned staff catalogue (Mẫu 02/DM) with one row."""
    return _DECL + (
        "<HSDANHMUC><DANHSACH_DMNHANLUCKBCB><DMNHANLUCKBCB><STT>1</STT><MA_KHOA>K01</MA_KHOA>"
        f"<HO_TEN>Bác sĩ Mô Phỏng</HO_TEN><MACCHN>{macchn}</MACCHN><TU_NGAY>{tu_ngay}</TU_NGAY>"
        f"<MA_CSKCB>{ma_cskcb}</MA_CSKCB></DMNHANLUCKBCB></DANHSACH_DMNHANLUCKBCB>"
        "<CHUKYDONVI/></HSDANHMUC>").encode()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
