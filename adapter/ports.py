"""The small ports between the stages. Each has one production adapter and one fake.

Services depend on these Protocols only; ``adapter.bootstrap`` wires the real
implementations, tests pass fakes through constructors.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from adapter.errors import DataError
from adapter.model import Encounter


class DocumentKind(enum.StrEnum):
    """What an outbox item carries; part of the idempotency key."""

    CHECKIN = "checkin"        # XML0 after the first cost, loaiHoSo 0
    CHECKIN_INPATIENT = "checkin_nt"   # XML0 again at admission to treatment care (spec §1.2)
    CLAIM = "claim"            # GIAMDINHHS, loaiHoSo 130
    STAFF = "staff"            # staff catalogue 02/DM, loaiHs 71
    FHIR = "fhir"              # health-book bundle to a FHIR endpoint


@dataclass(frozen=True, kw_only=True, slots=True)
class Extracted:
    """One encounter read from the HIS: the model, or the located errors that stopped it."""

    ma_lk: str
    ma_cskcb: str
    encounter: Encounter | None
    errors: tuple[DataError, ...] = ()
    source_version: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Watermark:
    """How far a source has been read: last change time and last MA_LK at that time."""

    changed_at: datetime | None = None
    ma_lk: str = ""


class HisSource(Protocol):
    """Reads finished encounters from a HIS, in batches, in watermark order."""

    def finished_since(self, mark: Watermark, *, limit: int) -> Iterator[tuple[Extracted, Watermark]]:
        """Finished encounters changed after ``mark``, oldest first, with the mark after each."""
        ...

    def encounters(self, ma_lks: Sequence[str]) -> list[Extracted]:
        """The named encounters (finished or not), in one batched read."""
        ...


class Signer(Protocol):
    """Signs a document in the BHXH profile and verifies the exact bytes before returning them."""

    def sign(self, document: bytes) -> bytes:
        ...

    @property
    def certificate_fingerprint(self) -> str:
        ...


@dataclass(frozen=True, kw_only=True, slots=True)
class GatewayReply:
    """What the gateway said about one submission that it received."""

    code: str                       # maKetQua
    transaction_id: str = ""        # maGiaoDich
    received_at: str = ""           # thoiGianTiepNhan, yyyyMMddHHmmss as sent
    message: str = ""               # thongDiep (may be Vietnamese text; no patient data expected)
    http_status: int = 200
    duplicate: bool = False         # the gateway said it already had identical content


@dataclass(frozen=True, kw_only=True, slots=True)
class Submission:
    """One signed document to send for one facility account."""

    ma_cskcb: str
    kind: DocumentKind
    profile: str
    payload: bytes                  # the exact signed bytes
    ma_lk: str = ""
    extra: dict[str, str] = field(default_factory=dict)


class Gateway(Protocol):
    """Sends documents. Returns the reply when accepted; raises RetryableError or GatewayRejected."""

    def submit(self, submission: Submission) -> GatewayReply:
        ...


class Clock(Protocol):
    def now(self) -> datetime:
        ...


class SystemClock:
    """Wall clock in UTC (naive values are never stored by the outbox)."""

    def now(self) -> datetime:
        from datetime import UTC
        return datetime.now(UTC)


@dataclass(frozen=True, kw_only=True, slots=True)
class FixedClock:
    """A clock for tests and deterministic runs."""

    at: datetime

    def now(self) -> datetime:
        return self.at
