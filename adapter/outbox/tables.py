"""The outbox tables on ``adapter.storage.metadata`` (SQLAlchemy Core).

Timestamps are stored as naive UTC and read back as aware UTC (:class:`UtcDateTime`),
because SQLite drops time zones. Payload columns are LONGBLOB on MariaDB/MySQL, whose
plain BLOB stops at 64 KiB. Migration ``0001`` creates exactly these tables; a test
compares the migrated schema with this metadata.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.dialects import mysql

from adapter.storage import metadata


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC in Python, naive UTC in the database. Naive input is refused."""

    impl = DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        # MariaDB/MySQL DATETIME drops fractions of a second unless asked; leases need them.
        if dialect.name in ("mysql", "mariadb"):
            return dialect.type_descriptor(mysql.DATETIME(fsp=6))
        return dialect.type_descriptor(DateTime())

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the outbox; pass an aware UTC value")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        stored: datetime = value
        return stored.replace(tzinfo=UTC) if stored.tzinfo is None else stored.astimezone(UTC)


def _blob() -> LargeBinary:
    return LargeBinary().with_variant(mysql.LONGBLOB(), "mysql", "mariadb")


def _text() -> Text:
    return Text().with_variant(mysql.MEDIUMTEXT(), "mysql", "mariadb")


outbox_item = Table(
    "outbox_item", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("ma_cskcb", String(16), nullable=False),
    Column("ma_lk", String(100), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("current_version", Integer, nullable=False),
    Column("accepted_version", Integer, nullable=True),     # last version the gateway accepted
    Column("sending_version", Integer, nullable=True),      # version in flight while sending
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UtcDateTime(), nullable=True),
    Column("lease_owner", String(64), nullable=True),
    Column("lease_until", UtcDateTime(), nullable=True),
    Column("last_error", String(500), nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    UniqueConstraint("ma_cskcb", "ma_lk", "kind", name="uq_outbox_item_key"),
    Index("ix_outbox_item_due", "status", "next_attempt_at"),
    Index("ix_outbox_item_updated", "updated_at"),
)

outbox_version = Table(
    "outbox_version", metadata,
    Column("item_id", Integer, ForeignKey("outbox_item.id"), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("content_hash", String(64), nullable=False),
    Column("profile", String(16), nullable=False),
    Column("unsigned_payload", _blob(), nullable=True),     # NULL once pruned
    Column("signed_payload", _blob(), nullable=True),       # NULL until signed, or once pruned
    Column("signed_hash", String(64), nullable=True),       # SHA-256 of the signed bytes; kept
    Column("cert_fingerprint", String(128), nullable=True),
    Column("issues", _text(), nullable=False),              # JSON list of issue dicts
    Column("blocking", Boolean, nullable=False),
    Column("superseded", Boolean, nullable=False, default=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("pruned_at", UtcDateTime(), nullable=True),
)

# Append-only: rows are inserted, never updated or deleted.
outbox_attempt = Table(
    "outbox_attempt", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("item_id", Integer, ForeignKey("outbox_item.id"), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("attempt_no", Integer, nullable=False),
    Column("worker_id", String(64), nullable=False),
    Column("started_at", UtcDateTime(), nullable=False),
    Column("finished_at", UtcDateTime(), nullable=False),
    Column("outcome", String(16), nullable=False),          # accepted, rejected, retry, dead, unknown...
    Column("request_hash", String(64), nullable=True),      # SHA-256 of the exact bytes sent
    Column("http_status", Integer, nullable=True),
    Column("code", String(32), nullable=True),              # maKetQua
    Column("transaction_id", String(100), nullable=True),   # maGiaoDich
    Column("received_at", String(32), nullable=True),       # thoiGianTiepNhan as sent
    Column("message", _text(), nullable=True),              # thongDiep
    Column("error_class", String(64), nullable=True),
    Column("error", String(500), nullable=True),
    Column("dry_run", Boolean, nullable=False, default=False),
)

audit_log = Table(
    "audit_log", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UtcDateTime(), nullable=False, index=True),
    Column("actor", String(100), nullable=False),
    Column("action", String(32), nullable=False),
    Column("item_id", Integer, nullable=True, index=True),
    Column("ma_cskcb", String(16), nullable=True),
    Column("reason", _text(), nullable=False),
    Column("detail", _text(), nullable=True),               # JSON: from/to status, versions
)

facility_switch = Table(
    "facility_switch", metadata,
    Column("ma_cskcb", String(16), primary_key=True),
    Column("paused", Boolean, nullable=False),
    Column("changed_at", UtcDateTime(), nullable=False),
    Column("changed_by", String(100), nullable=False),
    Column("reason", _text(), nullable=False),
)

OUTBOX_TABLES = ("outbox_item", "outbox_version", "outbox_attempt", "audit_log", "facility_switch")
