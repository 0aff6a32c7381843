"""A self-signed facility certificate for demos and training (never for the real gateway).

The demo takes the production code path: it is an ordinary PKCS#12 file with a password
file beside it, read by the same loader as a CA-issued one.
"""

from __future__ import annotations

import logging
import os
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
from cryptography.x509.oid import NameOID

log = logging.getLogger(__name__)

P12_NAME = "facility.p12"
PASS_NAME = "facility.p12.pass"  # noqa: S105 - a file name, not a password
VALIDITY = timedelta(days=730)


def ensure_demo_certificate(directory: Path, ma_cskcb: str, facility_name: str) -> tuple[Path, Path]:
    """``(p12_path, password_file)``; generated on first use, reused afterwards."""
    p12_path, pass_path = directory / P12_NAME, directory / PASS_NAME
    if p12_path.exists() and pass_path.exists():
        return p12_path, pass_path
    directory.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(24)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = organisation_certificate(key, ma_cskcb, facility_name, datetime.now(UTC))
    blob = pkcs12.serialize_key_and_certificates(
        f"{ma_cskcb} demo".encode(), key, cert, None, BestAvailableEncryption(password.encode()))
    _write_private(pass_path, password.encode("utf-8"))
    _write_private(p12_path, blob)
    log.info("generated demo facility certificate for %s in %s", ma_cskcb, directory)
    return p12_path, pass_path


def organisation_certificate(key: rsa.RSAPrivateKey, ma_cskcb: str, facility_name: str,
                             now: datetime) -> x509.Certificate:
    """Self-signed organisation certificate shaped like a Vietnamese CA's (CN, O, C=VN, UID)."""
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, facility_name),
        x509.NameAttribute(NameOID.COMMON_NAME, facility_name),
        x509.NameAttribute(NameOID.USER_ID, f"MST:{ma_cskcb}-DEMO"),
    ])
    usage = x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=False,
                          crl_sign=False, encipher_only=False, decipher_only=False)
    return (x509.CertificateBuilder()
            .subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + VALIDITY)
            .add_extension(usage, critical=True)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))


def _write_private(path: Path, data: bytes) -> None:
    # Create with 0600 from the start: a chmod after writing leaves a window (POSIX only;
    # on Windows the mode is ignored and the directory ACL applies).
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)
