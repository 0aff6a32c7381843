"""Outbox tables: items, versions, append-only attempts, audit log, facility switches.

Revision ID: 0001
Revises:
Create Date: 2026-11-22

Written by hand to equal ``adapter.outbox.tables`` (a test compares them). Types are
spelled out here rather than imported, so that later edits of the tables module can
never change what this revision created.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _blob() -> sa.types.TypeEngine[bytes]:
    return sa.LargeBinary().with_variant(mysql.LONGBLOB(), "mysql", "mariadb")


def _time() -> sa.types.TypeEngine[datetime]:
    return sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def _text() -> sa.types.TypeEngine[str]:
    return sa.Text().with_variant(mysql.MEDIUMTEXT(), "mysql", "mariadb")


def _item() -> None:
    op.create_table(
        "outbox_item",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("ma_cskcb", sa.String(16), nullable=False),
        sa.Column("ma_lk", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("current_version", sa.Integer(), nullable=False),
        sa.Column("accepted_version", sa.Integer(), nullable=True),
        sa.Column("sending_version", sa.Integer(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", _time(), nullable=True),
        sa.Column("lease_owner", sa.String(64), nullable=True),
        sa.Column("lease_until", _time(), nullable=True),
        sa.Column("last_error", sa.String(500), nullable=True),
        sa.Column("created_at", _time(), nullable=False),
        sa.Column("updated_at", _time(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_outbox_item"),
        sa.UniqueConstraint("ma_cskcb", "ma_lk", "kind", name="uq_outbox_item_key"),
    )
    op.create_index("ix_outbox_item_due", "outbox_item", ["status", "next_attempt_at"])
    op.create_index("ix_outbox_item_updated", "outbox_item", ["updated_at"])


def _version() -> None:
    op.create_table(
        "outbox_version",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("profile", sa.String(16), nullable=False),
        sa.Column("unsigned_payload", _blob(), nullable=True),
        sa.Column("signed_payload", _blob(), nullable=True),
        sa.Column("signed_hash", sa.String(64), nullable=True),
        sa.Column("cert_fingerprint", sa.String(128), nullable=True),
        sa.Column("issues", _text(), nullable=False),
        sa.Column("blocking", sa.Boolean(), nullable=False),
        sa.Column("superseded", sa.Boolean(), nullable=False),
        sa.Column("created_at", _time(), nullable=False),
        sa.Column("pruned_at", _time(), nullable=True),
        sa.ForeignKeyConstraint(["item_id"], ["outbox_item.id"],
                                name="fk_outbox_version_item_id_outbox_item"),
        sa.PrimaryKeyConstraint("item_id", "version", name="pk_outbox_version"),
    )


def _attempt() -> None:
    op.create_table(
        "outbox_attempt",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("attempt_no", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.String(64), nullable=False),
        sa.Column("started_at", _time(), nullable=False),
        sa.Column("finished_at", _time(), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=True),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(32), nullable=True),
        sa.Column("transaction_id", sa.String(100), nullable=True),
        sa.Column("received_at", sa.String(32), nullable=True),
        sa.Column("message", _text(), nullable=True),
        sa.Column("error_class", sa.String(64), nullable=True),
        sa.Column("error", sa.String(500), nullable=True),
        sa.Column("dry_run", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["outbox_item.id"],
                                name="fk_outbox_attempt_item_id_outbox_item"),
        sa.PrimaryKeyConstraint("id", name="pk_outbox_attempt"),
    )
    op.create_index("ix_outbox_attempt_item_id", "outbox_attempt", ["item_id"])


def _audit_and_switch() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", _time(), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("ma_cskcb", sa.String(16), nullable=True),
        sa.Column("reason", _text(), nullable=False),
        sa.Column("detail", _text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_item_id", "audit_log", ["item_id"])
    op.create_table(
        "facility_switch",
        sa.Column("ma_cskcb", sa.String(16), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("changed_at", _time(), nullable=False),
        sa.Column("changed_by", sa.String(100), nullable=False),
        sa.Column("reason", _text(), nullable=False),
        sa.PrimaryKeyConstraint("ma_cskcb", name="pk_facility_switch"),
    )


def upgrade() -> None:
    _item()
    _version()
    _attempt()
    _audit_and_switch()


def downgrade() -> None:
    # Dropping a table drops its indexes; dropping them first fails on MariaDB (FK needs them).
    for table in ("facility_switch", "audit_log", "outbox_attempt", "outbox_version", "outbox_item"):
        op.drop_table(table)
