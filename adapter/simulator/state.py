"""The simulator's memory: tokens, what was received and accepted, fault RNG. Thread-safe.

The server runs its event loop in a background thread while tests read ``state`` from the
main thread, so every access goes through one lock.
"""

from __future__ import annotations

import random
import secrets
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes

from adapter.errors import ConfigError
from adapter.simulator.config import Faults, SimulatorConfig

VN_TIME = timezone(timedelta(hours=7))      # Vietnam has no DST; the gateway speaks local time


@dataclass(frozen=True, kw_only=True, slots=True)
class Issued:
    username: str
    id_token: str
    expires_at: datetime


@dataclass(frozen=True, kw_only=True, slots=True)
class Received:
    """One API request and what the simulator answered (or which fault it injected)."""

    at: datetime
    endpoint: str
    ma_cskcb: str
    code: str
    fault: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class Acceptance:
    """One accepted file (kept per MA_CSKCB, kind and MA_LK)."""

    ma_cskcb: str
    kind: str
    ma_lk: str
    sha256: str
    transaction_id: str
    received_at: str           # yyyyMMddHHmmss, UTC+7
    duplicate: bool = False
    replacement: bool = False
    reply_lost: bool = False


class SimulatorState:
    """Everything the simulator remembers between requests."""

    def __init__(self, config: SimulatorConfig) -> None:
        self.config = config
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        """Forget tokens, records and counters; faults and certificates go back to the configured ones."""
        with self._lock:
            self._faults = self.config.faults
            self._certificates = {k: list(v) for k, v in self.config.certificates.items()}
            self._rng = random.Random(self.config.seed)
            self._tokens: dict[str, Issued] = {}
            self._received: list[Received] = []
            self._accepted: list[Acceptance] = []
            self._submissions = 0
            self._sequence = 0

    # -- faults -------------------------------------------------------------------------

    @property
    def faults(self) -> Faults:
        with self._lock:
            return self._faults

    def set_faults(self, faults: Faults) -> None:
        with self._lock:
            self._faults = faults

    def chance(self, rate: float) -> bool:
        """One seeded draw; no draw at all when the rate is zero (keeps sequences reproducible)."""
        if rate <= 0:
            return False
        with self._lock:
            return self._rng.random() < rate

    def latency(self) -> float:
        faults = self.faults
        if faults.latency_max_s <= 0:
            return 0.0
        with self._lock:
            return self._rng.uniform(faults.latency_min_s, faults.latency_max_s)

    def count_submission(self) -> int:
        with self._lock:
            self._submissions += 1
            return self._submissions

    def in_maintenance(self) -> bool:
        faults = self.faults
        if faults.maintenance:
            return True
        now = self.config.clock.now().astimezone(VN_TIME).time()
        return any(_within(now, start, end) for start, end in faults.maintenance_windows)

    # -- certificate registry (the portal's "Danh mục chứng thư số") --------------------

    def certificates(self, ma_cskcb: str) -> list[bytes]:
        with self._lock:
            return list(self._certificates.get(ma_cskcb, ()))

    def register_certificate(self, ma_cskcb: str, pem: bytes) -> str:
        """Register a facility certificate at run time; its SHA-256 fingerprint (hex)."""
        try:
            cert = x509.load_pem_x509_certificate(pem)
        except ValueError as exc:
            raise ConfigError("not a PEM certificate") from exc
        with self._lock:
            self._certificates.setdefault(ma_cskcb, []).append(pem)
        return cert.fingerprint(hashes.SHA256()).hex()

    # -- tokens -------------------------------------------------------------------------

    def issue_token(self, username: str) -> tuple[str, Issued]:
        access = secrets.token_urlsafe(24)
        issued = Issued(username=username, id_token=secrets.token_urlsafe(24),
                        expires_at=self.config.clock.now() + timedelta(seconds=self.config.token_lifetime_s))
        with self._lock:
            self._tokens[access] = issued
        return access, issued

    def token(self, access: str, id_token: str) -> Issued | None:
        """The live token with this pair, or None (unknown, mismatched or expired)."""
        with self._lock:
            issued = self._tokens.get(access)
        if issued is None or not secrets.compare_digest(issued.id_token, id_token):
            return None
        return issued if self.config.clock.now() < issued.expires_at else None

    def expire_tokens(self) -> None:
        with self._lock:
            self._tokens.clear()

    # -- records ------------------------------------------------------------------------

    def record(self, received: Received) -> None:
        with self._lock:
            self._received.append(received)

    def accept(self, *, ma_cskcb: str, kind: str, ma_lk: str, sha256: str, reply_lost: bool) -> Acceptance:
        """Record an accepted file; same key and hash again is a duplicate, a new hash a replacement."""
        now = self.config.clock.now().astimezone(VN_TIME)
        with self._lock:
            earlier = [a for a in self._accepted if (a.ma_cskcb, a.kind, a.ma_lk) == (ma_cskcb, kind, ma_lk)]
            self._sequence += 1
            acceptance = Acceptance(
                ma_cskcb=ma_cskcb, kind=kind, ma_lk=ma_lk, sha256=sha256,
                transaction_id=f"GD{now:%Y%m%d%H%M%S}{self._sequence:06d}",
                received_at=f"{now:%Y%m%d%H%M%S}",
                duplicate=bool(earlier) and earlier[-1].sha256 == sha256,
                replacement=bool(earlier) and earlier[-1].sha256 != sha256,
                reply_lost=reply_lost)
            self._accepted.append(acceptance)
        return acceptance

    @property
    def accepted(self) -> list[Acceptance]:
        with self._lock:
            return list(self._accepted)

    @property
    def received(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    def report(self) -> dict[str, Any]:
        """Counts for operators and tests (ids and codes only, no file content)."""
        accepted, received = self.accepted, self.received
        files = [r for r in received if r.endpoint in ("checkin", "claim", "staff")]
        return {
            "received": len(files),
            "accepted": sum(1 for a in accepted if not a.duplicate),
            "rejected": sum(1 for r in files if r.code not in ("200", "") and not r.fault),
            "duplicated": sum(1 for a in accepted if a.duplicate),
            "replaced": sum(1 for a in accepted if a.replacement),
            "reply_lost": sum(1 for a in accepted if a.reply_lost),
            "by_code": dict(Counter(r.code for r in files if r.code)),
            "faults": dict(Counter(r.fault for r in received if r.fault)),
            "tokens_issued": sum(1 for r in received if r.endpoint == "token" and r.code == "200"),
            "lookups": sum(1 for r in received if r.endpoint == "lookup" and not r.fault),
            "faults_now": self.faults.as_dict(),
        }


def _within(now: time, start: time, end: time) -> bool:
    return start <= now < end if start <= end else (now >= start or now < end)
