"""``FacilitySigner``: the production ``adapter.ports.Signer``.

Order on every document: certificate health check (refuse), sign, then verify the exact
output bytes against our own certificate. Unsigned or unverifiable bytes are never returned.

Documents of the simple shape the adapter writes take the fast path (``fastsign``: one
parse, one serialization, one RSA signature; a cheap independent self-verification); any
other shape takes the signxml path (``xmldsig``) with signxml's verifier. Both give the
same bytes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from cryptography import x509

from adapter.errors import SignatureInvalid, SigningError
from adapter.ports import Clock
from adapter.signing.fastsign import sign_simple, verify_own
from adapter.signing.health import CertificateHealth, HealthStatus, assess
from adapter.signing.keys import KeyMaterial
from adapter.signing.xmldsig import sign_xml, verify_xml

log = logging.getLogger(__name__)


class FacilitySigner:
    """Signs BHXH documents with one facility key; safe to share between threads."""

    def __init__(self, key: KeyMaterial, *, clock: Clock, expiry_warning_days: int = 30,
                 registered_fingerprints: Sequence[str] = ()) -> None:
        self._key = key
        self._clock = clock
        self._warning_days = expiry_warning_days
        self._registered = tuple(registered_fingerprints)
        self._warned_on: date | None = None
        self._lock = threading.Lock()
        self._fingerprint = key.fingerprint
        self._plainly_ok = self._plainly_ok_window()

    @property
    def certificate(self) -> x509.Certificate:
        return self._key.certificate

    @property
    def certificate_fingerprint(self) -> str:
        return self._fingerprint

    def health(self, now: datetime | None = None) -> CertificateHealth:
        """The certificate's state at ``now`` (default: the clock's now), for ``cert show`` and checks."""
        return assess(self._key.certificate, now or self._clock.now(), warning_days=self._warning_days,
                      registered_fingerprints=self._registered)

    def sign(self, document: bytes) -> bytes:
        """The signed document, verified; ``CertificateError`` / ``SigningError`` otherwise.

        ``SignerUnavailable`` (retryable) when the token is absent, unplugged or locked.
        """
        now = self._clock.now()
        window = self._plainly_ok
        if window is None or not window[0] <= now < window[1]:
            health = self.health(now)
            health.require_usable()
            self._warn_if_expiring(health, now.date())
        try:
            signed = sign_simple(document, self._key)
            if signed is not None:
                verify_own(signed, self._key.certificate)
            else:
                log.debug("document is not of the simple shape: signing on the signxml path")
                signed = sign_xml(document, self._key)
                verify_xml(signed, trusted=[self._key.certificate], at=now)
        except SignatureInvalid as exc:
            # A token that signs with another key, or a serializer bug: never let it out.
            raise SigningError(f"self-verification of the signed document failed: {exc}") from exc
        return signed

    def _plainly_ok_window(self) -> tuple[datetime, datetime] | None:
        """When the full health check would answer "ok" without a warning: (from, until), or None.

        Key size, usage and registration do not change with time, so a certificate without such
        a fault is "ok" from its start until ``warning_days`` before its end; inside that window
        ``sign`` skips the full check (two comparisons instead of a fingerprint and extensions).
        """
        cert = self._key.certificate
        start, end = cert.not_valid_before_utc, cert.not_valid_after_utc
        if not self.health(start + (end - start) / 2).usable:
            return None
        return start, end - timedelta(days=self._warning_days)

    def _warn_if_expiring(self, health: CertificateHealth, today: date) -> None:
        if health.status is not HealthStatus.EXPIRING:
            return
        with self._lock:
            if self._warned_on == today:
                return
            self._warned_on = today
        log.warning("facility certificate %s expires in %d day(s): renew and register the new one",
                    health.fingerprint, health.days_left)
