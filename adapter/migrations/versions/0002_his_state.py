"""HIS extraction state: watermarks, extracted content hashes, check-in markers.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

Written by hand to equal ``adapter.his.state`` (a test compares them). Types are
spelled out here so that later edits of the state module never change what this
revision created.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _time() -> sa.types.TypeEngine[datetime]:
    return sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def upgrade() -> None:
    op.create_table(
        "his_watermark",
        sa.Column("ma_cskcb", sa.String(16), nullable=False),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("changed_at", _time(), nullable=True),
        sa.Column("ma_lk", sa.String(100), nullable=False),
        sa.Column("updated_at", _time(), nullable=False),
        sa.PrimaryKeyConstraint("ma_cskcb", "source", name="pk_his_watermark"),
    )
    op.create_table(
        "his_extracted",
        sa.Column("ma_cskcb", sa.String(16), nullable=False),
        sa.Column("ma_lk", sa.String(100), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("source_version", sa.String(64), nullable=True),
        sa.Column("extracted_at", _time(), nullable=False),
        sa.PrimaryKeyConstraint("ma_cskcb", "ma_lk", name="pk_his_extracted"),
    )
    op.create_table(
        "his_checkin_sent",
        sa.Column("ma_cskcb", sa.String(16), nullable=False),
        sa.Column("ma_lk", sa.String(100), nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("sent_at", _time(), nullable=False),
        sa.PrimaryKeyConstraint("ma_cskcb", "ma_lk", "stage", name="pk_his_checkin_sent"),
    )


def downgrade() -> None:
    op.drop_table("his_checkin_sent")
    op.drop_table("his_extracted")
    op.drop_table("his_watermark")
