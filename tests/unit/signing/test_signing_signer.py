"""FacilitySigner: health check before signing, self-verification after, rollover helpers."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from adapter.errors import CertificateError, SigningError
from adapter.ports import FixedClock, Signer
from adapter.signing.keys import KeyMaterial, certificate_fingerprint
from adapter.signing.signer import FacilitySigner
from adapter.signing.xmldsig import verify_xml


def _signer(cert: x509.Certificate, key: rsa.RSAPrivateKey, now: datetime, **kw: object) -> FacilitySigner:
    return FacilitySigner(KeyMaterial(private_key=key, certificate=cert), clock=FixedClock(at=now), **kw)  # type: ignore[arg-type]


def test_signer_is_a_port_signer_and_output_verifies(material: KeyMaterial, claim: bytes,
                                                     now: datetime) -> None:
    signer: Signer = FacilitySigner(material, clock=FixedClock(at=now))
    signed = signer.sign(claim)
    assert verify_xml(signed, [material.certificate], at=now) == material.certificate
    assert signer.certificate_fingerprint == certificate_fingerprint(material.certificate)
    assert len(signer.certificate_fingerprint) == 64 and signer.certificate_fingerprint.islower()


def test_a_key_that_does_not_match_the_certificate_never_returns_bytes(
        material: KeyMaterial, other_key: rsa.RSAPrivateKey, claim: bytes, now: datetime) -> None:
    # The shape a broken token produces: a signature by another key under our certificate.
    wrong = KeyMaterial(private_key=other_key, certificate=material.certificate)
    with pytest.raises(SigningError, match="self-verification"):
        FacilitySigner(wrong, clock=FixedClock(at=now)).sign(claim)


@pytest.mark.parametrize(("case", "message"), [
    ("expired", "expired"),
    ("not_yet_valid", "not_yet_valid"),
    ("weak", "weak_key"),
    ("usage", "wrong_usage"),
    ("unregistered", "not_registered"),
])
def test_each_unusable_certificate_is_refused_before_signing(
        case: str, message: str, cert_factory: Callable[..., x509.Certificate], rsa_key: rsa.RSAPrivateKey,
        claim: bytes, now: datetime) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=1024) if case == "weak" else rsa_key
    cert = {
        "expired": lambda: cert_factory(not_after=now - timedelta(seconds=1)),
        "not_yet_valid": lambda: cert_factory(not_before=now + timedelta(hours=1)),
        "weak": lambda: cert_factory(key=key),
        "usage": lambda: cert_factory(digital_signature=False),
        "unregistered": lambda: cert_factory(),
    }[case]()
    registered = ("ab" * 32,) if case == "unregistered" else ()
    signer = _signer(cert, key, now, registered_fingerprints=registered)
    with pytest.raises(CertificateError, match=message):
        signer.sign(claim)


def test_a_registered_certificate_signs(cert_factory: Callable[..., x509.Certificate],
                                        rsa_key: rsa.RSAPrivateKey, claim: bytes, now: datetime) -> None:
    cert = cert_factory()
    colon_upper = ":".join(f"{b:02X}" for b in bytes.fromhex(certificate_fingerprint(cert)))
    signer = _signer(cert, rsa_key, now, registered_fingerprints=(colon_upper,))
    assert verify_xml(signer.sign(claim), [cert], at=now) == cert


def test_expiring_soon_signs_and_warns_once_a_day_with_the_fingerprint_only(
        cert_factory: Callable[..., x509.Certificate], rsa_key: rsa.RSAPrivateKey, claim: bytes,
        now: datetime, caplog: pytest.LogCaptureFixture) -> None:
    cert = cert_factory(not_after=now + timedelta(days=10, hours=1))
    signer = _signer(cert, rsa_key, now, expiry_warning_days=30)
    with caplog.at_level(logging.WARNING, logger="adapter.signing"):
        signer.sign(claim)
        signer.sign(claim)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [f"facility certificate {certificate_fingerprint(cert)} expires in 10 day(s): "
                        "renew and register the new one"]
    assert signer.health().days_left == 10


class _MovableClock:
    """A clock the test moves forward: one long-lived signer crosses its certificate's dates."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


def test_one_signer_warns_then_refuses_as_time_passes(
        cert_factory: Callable[..., x509.Certificate], rsa_key: rsa.RSAPrivateKey, claim: bytes,
        now: datetime, caplog: pytest.LogCaptureFixture) -> None:
    cert = cert_factory(not_before=now - timedelta(days=1), not_after=now + timedelta(days=100))
    clock = _MovableClock(now)
    signer = FacilitySigner(KeyMaterial(private_key=rsa_key, certificate=cert), clock=clock,
                            expiry_warning_days=30)
    with caplog.at_level(logging.WARNING, logger="adapter.signing"):
        signer.sign(claim)                                  # inside the plainly-valid window
        assert not caplog.records
        clock.at = now + timedelta(days=75)                 # 25 days left: warns
        signer.sign(claim)
        assert "expires in 25 day(s)" in caplog.text
        clock.at = now + timedelta(days=100, seconds=1)     # expired: refused
        with pytest.raises(CertificateError, match="expired"):
            signer.sign(claim)
        clock.at = now - timedelta(days=2)                  # before not_before: refused
        with pytest.raises(CertificateError, match="valid from"):
            signer.sign(claim)
