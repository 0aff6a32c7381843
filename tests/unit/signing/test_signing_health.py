"""Certificate health assessment (pure: time is a parameter)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from adapter.errors import CertificateError
from adapter.signing.health import HealthStatus, assess
from adapter.signing.keys import certificate_fingerprint


def test_ok_certificate(cert_factory: Callable[..., x509.Certificate], now: datetime) -> None:
    cert = cert_factory(not_after=now + timedelta(days=100, minutes=1))
    health = assess(cert, now, warning_days=30, registered_fingerprints=())
    assert (health.status, health.days_left, health.usable) == (HealthStatus.OK, 100, True)
    assert health.fingerprint == certificate_fingerprint(cert)
    health.require_usable()


def test_expiring_is_a_warning_not_a_refusal(cert_factory: Callable[..., x509.Certificate],
                                             now: datetime) -> None:
    health = assess(cert_factory(not_after=now + timedelta(days=29, hours=23)), now, warning_days=30,
                    registered_fingerprints=())
    assert (health.status, health.days_left, health.usable) == (HealthStatus.EXPIRING, 29, True)


def test_expired_has_negative_days_left(cert_factory: Callable[..., x509.Certificate], now: datetime) -> None:
    health = assess(cert_factory(not_after=now - timedelta(days=2)), now, warning_days=30,
                    registered_fingerprints=())
    assert (health.status, health.days_left) == (HealthStatus.EXPIRED, -2)
    with pytest.raises(CertificateError, match="expired"):
        health.require_usable()


def test_the_validity_window_bounds(cert_factory: Callable[..., x509.Certificate], now: datetime) -> None:
    at_start = assess(cert_factory(not_before=now), now, warning_days=0, registered_fingerprints=())
    at_end = assess(cert_factory(not_after=now), now, warning_days=0, registered_fingerprints=())
    assert (at_start.status, at_end.status) == (HealthStatus.OK, HealthStatus.EXPIRED)


def test_order_of_faults_time_before_key(now: datetime,
                                        cert_factory: Callable[..., x509.Certificate]) -> None:
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    cert = cert_factory(key=weak, not_after=now - timedelta(days=1))
    assert assess(cert, now, warning_days=30, registered_fingerprints=()).status is HealthStatus.EXPIRED


def test_registered_fingerprints_accept_colons_and_upper_case(
        cert_factory: Callable[..., x509.Certificate], now: datetime) -> None:
    cert = cert_factory()
    fp = certificate_fingerprint(cert).upper()
    assert assess(cert, now, warning_days=30, registered_fingerprints=[fp]).status is HealthStatus.OK
    other = assess(cert, now, warning_days=30, registered_fingerprints=["00" * 32])
    assert other.status is HealthStatus.NOT_REGISTERED and not other.usable
