"""Facility key material: the private key, its certificate and the chain, from files.

Loading is the only place where cryptography's loader errors are seen; they become
``CertificateError`` (unsuitable material) or ``ConfigError`` (missing file), never a
message carrying the password.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12

from adapter.errors import CertificateError, ConfigError


@dataclass(frozen=True, kw_only=True, slots=True)
class KeyMaterial:
    """What signing needs. ``private_key`` may be a token-backed ``RSAPrivateKey`` subclass."""

    private_key: rsa.RSAPrivateKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()

    @property
    def fingerprint(self) -> str:
        return certificate_fingerprint(self.certificate)


def certificate_fingerprint(certificate: x509.Certificate) -> str:
    """SHA-256 of the DER certificate, lower-case hex (the form registered on the portal)."""
    return hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest()


def load_pkcs12(path: Path, password: str | None) -> KeyMaterial:
    """Key, certificate and chain from a PKCS#12 (.p12/.pfx) file."""
    data = _read(path)
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, _secret(password))
    except ValueError as exc:
        raise CertificateError(f"cannot open PKCS#12 file {path.name} (wrong password or damaged file)") \
            from exc
    if cert is None:
        raise CertificateError(f"PKCS#12 file {path.name} holds no certificate")
    return _material(key, cert, tuple(extra))


def load_pem(key_path: Path, cert_path: Path, password: str | None) -> KeyMaterial:
    """Key from a PEM private key file; leaf certificate first, then the chain, from a PEM file."""
    try:
        key = serialization.load_pem_private_key(_read(key_path), _secret(password))
    except (ValueError, TypeError) as exc:
        raise CertificateError(f"cannot open PEM key {key_path.name} (wrong password or damaged file)") \
            from exc
    try:
        certs = x509.load_pem_x509_certificates(_read(cert_path))
    except ValueError as exc:
        raise CertificateError(f"cannot read PEM certificate {cert_path.name}") from exc
    return _material(key, certs[0], tuple(certs[1:]))


def _material(key: object, cert: x509.Certificate, chain: tuple[x509.Certificate, ...]) -> KeyMaterial:
    if not isinstance(key, rsa.RSAPrivateKey):
        raise CertificateError("the facility key must be an RSA private key (BHXH profile is RSA-SHA256)")
    if key.public_key().public_numbers() != _rsa_public(cert).public_numbers():
        raise CertificateError("the private key does not match the certificate")
    return KeyMaterial(private_key=key, certificate=cert, chain=chain)


def _rsa_public(cert: x509.Certificate) -> rsa.RSAPublicKey:
    public = cert.public_key()
    if not isinstance(public, rsa.RSAPublicKey):
        raise CertificateError("the facility certificate does not hold an RSA key")
    return public


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read key file {path}: {exc.strerror}") from exc


def _secret(password: str | None) -> bytes | None:
    return password.encode("utf-8") if password else None
