"""Fixtures for the signing unit tests: real keys and certificates made with cryptography."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from adapter.signing.demo import organisation_certificate
from adapter.signing.keys import KeyMaterial

NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)

CertFactory = Callable[..., x509.Certificate]


@pytest.fixture(scope="session")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="session")
def other_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="session")
def material(rsa_key: rsa.RSAPrivateKey) -> KeyMaterial:
    cert = organisation_certificate(rsa_key, "79001", "Bệnh viện Đa khoa Thử nghiệm", NOW - timedelta(days=1))
    return KeyMaterial(private_key=rsa_key, certificate=cert)


@pytest.fixture(scope="session")
def cert_factory(rsa_key: rsa.RSAPrivateKey) -> CertFactory:
    def make(*, key: rsa.RSAPrivateKey | None = None, not_before: datetime = NOW - timedelta(days=10),
             not_after: datetime = NOW + timedelta(days=365),
             digital_signature: bool = True) -> x509.Certificate:
        key = key or rsa_key
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "BV test"),
                          x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")])
        usage = x509.KeyUsage(digital_signature=digital_signature, content_commitment=True,
                              key_encipherment=not digital_signature, data_encipherment=False,
                              key_agreement=False, key_cert_sign=False, crl_sign=False,
                              encipher_only=False, decipher_only=False)
        return (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                .public_key(key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(not_before).not_valid_after(not_after)
                .add_extension(usage, critical=True).sign(key, hashes.SHA256()))
    return make


def envelope(table_bytes: int = 2000) -> bytes:
    """A GIAMDINHHS-shaped claim file (tables base64 inside NOIDUNGFILE), ending with <CHUKYDONVI/>."""
    table = ("<?xml version=\"1.0\"?>\n<TONG_HOP><MA_LK>LK0001</MA_LK><HO_TEN><![CDATA[Nguyễn Văn A]]>"
             "</HO_TEN>" + "<GHI_CHU>x</GHI_CHU>" * (table_bytes // 20) + "</TONG_HOP>").encode()
    b64 = base64.b64encode(table).decode()
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            '<GIAMDINHHS xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xmlns:xsd="http://www.w3.org/2001/XMLSchema">\n'
            '  <THONGTINDONVI>\n    <MACSKCB>79001</MACSKCB>\n  </THONGTINDONVI>\n'
            '  <THONGTINHOSO>\n    <NGAYLAP>20260601</NGAYLAP>\n    <SOLUONGHOSO>1</SOLUONGHOSO>\n'
            '    <DANHSACHHOSO>\n      <HOSO>\n'
            f'        <FILEHOSO><LOAIHOSO>XML1</LOAIHOSO><NOIDUNGFILE>{b64}</NOIDUNGFILE></FILEHOSO>\n'
            f'        <FILEHOSO><LOAIHOSO>XML2</LOAIHOSO><NOIDUNGFILE>{b64}</NOIDUNGFILE></FILEHOSO>\n'
            '      </HOSO>\n    </DANHSACHHOSO>\n  </THONGTINHOSO>\n'
            '  <CHUKYDONVI/>\n</GIAMDINHHS>\n').encode()


@pytest.fixture
def claim() -> bytes:
    return envelope()


@pytest.fixture(scope="session")
def make_envelope() -> Callable[[int], bytes]:
    return envelope


@pytest.fixture(scope="session")
def now() -> datetime:
    return NOW
