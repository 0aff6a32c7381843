"""Signers for other areas' tests and demos, passed in through constructors.

``ephemeral_signer`` is the real ``FacilitySigner`` over a key made in memory (no files, no
token): tests of the outbox or services get real, verifiable signatures. ``RefusingSigner``
raises the error it is given, for the "signing failed" paths.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric import rsa

from adapter.errors import SigningError
from adapter.ports import Clock
from adapter.signing.demo import organisation_certificate
from adapter.signing.keys import KeyMaterial
from adapter.signing.signer import FacilitySigner


def ephemeral_key_material(now: datetime, *, ma_cskcb: str = "00000",
                           facility_name: str = "Cơ sở KCB thử nghiệm") -> KeyMaterial:
    """A fresh RSA-2048 key and self-signed organisation certificate valid from ``now`` for 2 years."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = organisation_certificate(key, ma_cskcb, facility_name, now)
    return KeyMaterial(private_key=key, certificate=cert)


def ephemeral_signer(clock: Clock, *, ma_cskcb: str = "00000") -> FacilitySigner:
    """A real signer over an in-memory key (about 0.1 s to create: share it per test session)."""
    return FacilitySigner(ephemeral_key_material(clock.now(), ma_cskcb=ma_cskcb), clock=clock)


@dataclass(frozen=True, kw_only=True, slots=True)
class RefusingSigner:
    """A ``Signer`` that never signs: raises ``error`` (e.g. a ``CertificateError``)."""

    error: SigningError
    certificate_fingerprint: str = "0" * 64

    def sign(self, document: bytes) -> bytes:
        raise self.error
