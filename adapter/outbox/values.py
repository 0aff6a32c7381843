"""Frozen value objects of the outbox: what goes in, what comes out. Rows never leave the store."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from adapter.outbox.states import Status
from adapter.ports import DocumentKind


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, kw_only=True, slots=True)
class NewVersion:
    """One rendering of a document for (facility, MA_LK, kind), as the pipeline produced it."""

    ma_cskcb: str
    ma_lk: str
    kind: DocumentKind
    profile: str
    content_hash: str                 # hash of the unsigned content: identical content = same hash
    unsigned: bytes
    signed: bytes | None = None
    cert_fingerprint: str | None = None
    issues: tuple[dict[str, Any], ...] = ()
    blocking: bool = False


@dataclass(frozen=True, kw_only=True, slots=True)
class EnqueueResult:
    item_id: int
    version: int
    created: bool                     # False: identical content was already queued
    status: Status


@dataclass(frozen=True, kw_only=True, slots=True)
class ClaimedItem:
    """An item leased to one worker: the exact signed bytes of the version to send."""

    item_id: int
    ma_cskcb: str
    ma_lk: str
    kind: DocumentKind
    profile: str
    version: int
    attempts: int                     # including the attempt this claim starts
    payload: bytes
    lease_until: datetime
    previous_status: Status           # sending: the last worker died, outcome unknown


@dataclass(frozen=True, kw_only=True, slots=True)
class PendingSignature:
    item_id: int
    version: int
    ma_cskcb: str
    ma_lk: str
    unsigned: bytes


@dataclass(frozen=True, kw_only=True, slots=True)
class ItemFilter:
    status: tuple[Status, ...] = ()
    ma_cskcb: str | None = None
    ma_lk: str | None = None
    since: datetime | None = None     # updated at or after
    until: datetime | None = None     # updated before
    limit: int = 500


@dataclass(frozen=True, kw_only=True, slots=True)
class ItemRow:
    id: int
    ma_cskcb: str
    ma_lk: str
    kind: str
    status: Status
    version: int
    attempts: int
    next_attempt_at: datetime | None
    last_error: str | None
    created_at: datetime
    updated_at: datetime

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(frozen=True, kw_only=True, slots=True)
class VersionInfo:
    version: int
    content_hash: str
    signed_hash: str | None
    profile: str
    cert_fingerprint: str | None
    blocking: bool
    superseded: bool
    issues: tuple[dict[str, Any], ...]
    created_at: datetime
    pruned: bool
    has_signed: bool

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(frozen=True, kw_only=True, slots=True)
class AttemptInfo:
    attempt_no: int
    version: int
    worker_id: str
    started_at: datetime
    finished_at: datetime
    outcome: str
    request_hash: str | None
    http_status: int | None
    code: str | None
    transaction_id: str | None
    received_at: str | None
    message: str | None
    error_class: str | None
    error: str | None
    dry_run: bool

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(frozen=True, kw_only=True, slots=True)
class ItemDetail:
    item: ItemRow
    accepted_version: int | None
    lease_owner: str | None
    lease_until: datetime | None
    versions: tuple[VersionInfo, ...]
    attempts: tuple[AttemptInfo, ...]
    audit: tuple[dict[str, Any], ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        return {"item": self.item.as_dict(), "accepted_version": self.accepted_version,
                "lease_owner": self.lease_owner, "lease_until": self.lease_until,
                "versions": [v.as_dict() for v in self.versions],
                "attempts": [a.as_dict() for a in self.attempts], "audit": list(self.audit)}


@dataclass(frozen=True, kw_only=True, slots=True)
class Stats:
    by_status: dict[str, int]
    by_facility: dict[str, dict[str, int]]
    acceptance_rate: float | None     # accepted / (accepted + rejected + dead); None if none final
    oldest_pending_age_s: float | None
    paused: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}
