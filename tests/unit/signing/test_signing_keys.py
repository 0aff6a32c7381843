"""Key loading (PKCS#12, PEM), the demo certificate and the factory, on real files in tmp_path."""

from __future__ import annotations

import os
import stat
import sys
from datetime import datetime
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from pydantic import SecretStr

from adapter.errors import CertificateError, ConfigError
from adapter.ports import FixedClock
from adapter.signing.config import SigningSettings
from adapter.signing.demo import ensure_demo_certificate
from adapter.signing.factory import build_signer
from adapter.signing.keys import KeyMaterial, load_pem, load_pkcs12
from adapter.signing.xmldsig import verify_xml


def _p12(path: Path, material: KeyMaterial, password: str) -> Path:
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"bv", material.private_key, material.certificate, None,
        serialization.BestAvailableEncryption(password.encode())))
    return path


def _pem(tmp_path: Path, material: KeyMaterial, password: str | None) -> tuple[Path, Path]:
    enc: serialization.KeySerializationEncryption = serialization.NoEncryption()
    if password:
        enc = serialization.BestAvailableEncryption(password.encode())
    key = tmp_path / "key.pem"
    key.write_bytes(material.private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, enc))
    cert = tmp_path / "cert.pem"
    cert.write_bytes(material.certificate.public_bytes(serialization.Encoding.PEM) * 2)
    return key, cert


def test_pkcs12_round_trip(tmp_path: Path, material: KeyMaterial) -> None:
    loaded = load_pkcs12(_p12(tmp_path / "f.p12", material, "mật khẩu"), "mật khẩu")
    assert loaded.certificate == material.certificate
    assert loaded.fingerprint == material.fingerprint


def test_pkcs12_wrong_password_does_not_echo_it(tmp_path: Path, material: KeyMaterial) -> None:
    p12 = _p12(tmp_path / "f.p12", material, "right")
    with pytest.raises(CertificateError, match="wrong password") as info:
        load_pkcs12(p12, "wrong-secret-xyz")
    assert "wrong-secret-xyz" not in str(info.value)


def test_pem_with_chain_and_password(tmp_path: Path, material: KeyMaterial) -> None:
    key, cert = _pem(tmp_path, material, "pw")
    loaded = load_pem(key, cert, "pw")
    assert loaded.certificate == material.certificate and len(loaded.chain) == 1


def test_pem_key_not_matching_the_certificate(tmp_path: Path, material: KeyMaterial,
                                              other_key: rsa.RSAPrivateKey) -> None:
    key, cert = _pem(tmp_path, KeyMaterial(private_key=other_key, certificate=material.certificate), None)
    with pytest.raises(CertificateError, match="does not match"):
        load_pem(key, cert, None)


def test_missing_key_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read key file"):
        load_pkcs12(tmp_path / "absent.p12", None)


def test_demo_certificate_is_created_once_and_private(tmp_path: Path) -> None:
    p12, pass_file = ensure_demo_certificate(tmp_path / "keys", "79001", "Bệnh viện Thử")
    first = p12.read_bytes()
    assert ensure_demo_certificate(tmp_path / "keys", "79001", "Bệnh viện Thử") == (p12, pass_file)
    assert p12.read_bytes() == first
    if sys.platform != "win32":
        assert stat.S_IMODE(os.stat(pass_file).st_mode) == 0o600
        assert stat.S_IMODE(os.stat(p12).st_mode) == 0o600
    cert = load_pkcs12(p12, pass_file.read_text().strip()).certificate
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
    assert cert.subject.get_attributes_for_oid(x509.NameOID.COUNTRY_NAME)[0].value == "VN"
    assert cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value == "Bệnh viện Thử"
    assert (cert.not_valid_after_utc - cert.not_valid_before_utc).days == 730


def test_factory_demo_signs(tmp_path: Path, claim: bytes) -> None:
    now = datetime.now().astimezone()
    signer = build_signer(SigningSettings(kind="demo"), workdir=tmp_path, ma_cskcb="79001",
                          facility_name="BV Demo", clock=FixedClock(at=now))
    assert (tmp_path / "keys" / "facility.p12").exists()
    assert verify_xml(signer.sign(claim), [signer.certificate]) == signer.certificate


def test_factory_pkcs12_with_password_file(tmp_path: Path, material: KeyMaterial, claim: bytes,
                                           now: datetime) -> None:
    p12 = _p12(tmp_path / "f.p12", material, "s3cret")
    (tmp_path / "pw").write_text("s3cret\n")
    settings = SigningSettings(kind="pkcs12", pkcs12_path=p12, password_file=tmp_path / "pw",
                               password=SecretStr("ignored-when-a-file-is-given"))
    signer = build_signer(settings, workdir=tmp_path, ma_cskcb="79001", facility_name="x",
                          clock=FixedClock(at=now))
    assert signer.certificate_fingerprint == material.fingerprint
    assert verify_xml(signer.sign(claim), at=now) == material.certificate


def test_factory_pem(tmp_path: Path, material: KeyMaterial, now: datetime) -> None:
    key, cert = _pem(tmp_path, material, None)
    signer = build_signer(SigningSettings(kind="pem", pem_key_path=key, pem_cert_path=cert),
                          workdir=tmp_path, ma_cskcb="79001", facility_name="x", clock=FixedClock(at=now))
    assert signer.certificate == material.certificate


@pytest.mark.parametrize(("settings", "missing"), [
    (SigningSettings(kind="pkcs12"), "signing.pkcs12_path"),
    (SigningSettings(kind="pem", pem_key_path=Path("k")), "signing.pem_cert_path"),
    (SigningSettings(kind="pkcs11", pkcs11_token_label="t"), "signing.pkcs11_module"),
    (SigningSettings(kind="pkcs11", pkcs11_module=Path("m.so"), pkcs11_token_label="t"), "key_label"),
    (SigningSettings(kind="pkcs11", pkcs11_module=Path("m.so"), pkcs11_token_label="t",
                     pkcs11_key_label="k"), "pkcs11_pin"),
])
def test_factory_names_the_missing_setting(tmp_path: Path, settings: SigningSettings, missing: str,
                                           now: datetime) -> None:
    with pytest.raises(ConfigError, match=missing):
        build_signer(settings, workdir=tmp_path, ma_cskcb="79001", facility_name="x",
                     clock=FixedClock(at=now))
