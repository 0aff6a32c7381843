"""Certificate health: can this certificate sign a BHXH document now? Pure: time is a parameter."""

from __future__ import annotations

import enum
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from adapter.errors import CertificateError
from adapter.signing.keys import certificate_fingerprint

MIN_RSA_BITS = 2048


class HealthStatus(enum.StrEnum):
    OK = "ok"
    EXPIRING = "expiring"                  # a warning: still signs
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    WEAK_KEY = "weak_key"
    WRONG_USAGE = "wrong_usage"
    NOT_REGISTERED = "not_registered"


@dataclass(frozen=True, kw_only=True, slots=True)
class CertificateHealth:
    status: HealthStatus
    days_left: int
    fingerprint: str
    reason: str = ""

    @property
    def usable(self) -> bool:
        return self.status in (HealthStatus.OK, HealthStatus.EXPIRING)

    def require_usable(self) -> None:
        """Raise ``CertificateError`` naming the fault (fingerprint only, never a secret)."""
        if not self.usable:
            raise CertificateError(
                f"certificate {self.fingerprint[:16]}… refused: {self.status}: {self.reason}")


def assess(cert: x509.Certificate, now: datetime, *, warning_days: int,
           registered_fingerprints: Sequence[str]) -> CertificateHealth:
    """The first blocking fault in a fixed order, else ``expiring`` within ``warning_days``, else ``ok``."""
    fingerprint = certificate_fingerprint(cert)
    days_left = math.floor((cert.not_valid_after_utc - now).total_seconds() / 86400)
    status, reason = _fault(cert, now, fingerprint, registered_fingerprints)
    if status is HealthStatus.OK and days_left < warning_days:
        status, reason = HealthStatus.EXPIRING, f"expires in {days_left} day(s)"
    return CertificateHealth(status=status, days_left=days_left, fingerprint=fingerprint, reason=reason)


def _fault(cert: x509.Certificate, now: datetime, fingerprint: str,
           registered: Sequence[str]) -> tuple[HealthStatus, str]:
    if now < cert.not_valid_before_utc:
        return HealthStatus.NOT_YET_VALID, f"valid from {cert.not_valid_before_utc:%Y-%m-%d %H:%M} UTC"
    if now >= cert.not_valid_after_utc:
        return HealthStatus.EXPIRED, f"expired on {cert.not_valid_after_utc:%Y-%m-%d %H:%M} UTC"
    bits = key_bits(cert)
    if bits < MIN_RSA_BITS:
        return HealthStatus.WEAK_KEY, f"RSA key of {bits} bits (at least {MIN_RSA_BITS} required)"
    if not _may_sign(cert):
        return HealthStatus.WRONG_USAGE, "key usage does not allow digitalSignature"
    if registered and fingerprint not in {f.lower().replace(":", "") for f in registered}:
        return HealthStatus.NOT_REGISTERED, "fingerprint is not in signing.registered_fingerprints"
    return HealthStatus.OK, ""


def key_bits(cert: x509.Certificate) -> int:
    """RSA modulus size; 0 for non-RSA keys (which the BHXH profile cannot use)."""
    public = cert.public_key()
    return public.key_size if isinstance(public, rsa.RSAPublicKey) else 0


def _may_sign(cert: x509.Certificate) -> bool:
    # No KeyUsage extension means "unrestricted" (RFC 5280 §4.2.1.3); Vietnamese CAs always set it.
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return True
    return usage.digital_signature
