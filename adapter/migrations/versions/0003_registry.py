"""Registry tables: facility versions, their departments, practitioner periods (SCD type 2).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22

Written by hand to equal ``adapter.registry.store`` (a test compares them). Types are
spelled out here rather than imported, so that later edits of the store module can
never change what this revision created.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _period() -> list[sa.Column[object]]:
    return [
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
    ]


def _facility() -> None:
    op.create_table(
        "registry_facility",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("ma_cskcb", sa.String(5), nullable=False),
        sa.Column("name", sa.String(250), nullable=False),
        sa.Column("national_id", sa.String(13), nullable=True),
        sa.Column("tax_code", sa.String(20), nullable=True),
        sa.Column("tax_code_source", sa.String(32), nullable=True),
        sa.Column("address", sa.String(500), nullable=True),
        sa.Column("person_responsible", sa.String(250), nullable=True),
        sa.Column("hours_day", sa.String(200), nullable=True),
        sa.Column("hours_week", sa.String(200), nullable=True),
        *_period(),
        sa.PrimaryKeyConstraint("id", name="pk_registry_facility"),
    )
    op.create_index("ix_registry_facility_ma_cskcb", "registry_facility", ["ma_cskcb"])


def _department() -> None:
    op.create_table(
        "registry_department",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("facility_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("name", sa.String(250), nullable=False),
        sa.ForeignKeyConstraint(["facility_id"], ["registry_facility.id"],
                                name="fk_registry_department_facility_id_registry_facility"),
        sa.PrimaryKeyConstraint("id", name="pk_registry_department"),
    )
    op.create_index("ix_registry_department_facility_id", "registry_department", ["facility_id"])


_PRACTITIONER_STRINGS: tuple[tuple[str, int | None], ...] = (
    ("cccd", 15), ("bhxh_code", 15), ("gender", 1), ("licence_no", 250), ("licence_folded", 250),
    ("licence_kind", 4), ("licence_issuer", 250),
)
_PRACTITIONER_DETAILS: tuple[tuple[str, int | None], ...] = (
    ("title", 10), ("position", 5), ("scope", 100), ("scope_extra", 250), ("other_services", None),
    ("assignment_doc", 250), ("departments", 250), ("employment", 1), ("hours_day", 200), ("hours_week", 200),
    ("other_facilities", 250), ("transfer_facility", 5), ("transfer_decision", 100),
)


def _text_column(name: str, size: int | None) -> sa.Column[object]:
    return sa.Column(name, sa.String(size) if size else sa.Text(), nullable=True)


def _practitioner() -> None:
    op.create_table(
        "registry_practitioner",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("ma_cskcb", sa.String(5), nullable=False),
        sa.Column("code", sa.String(255), nullable=False),
        sa.Column("name", sa.String(250), nullable=False),
        *(_text_column(n, s) for n, s in _PRACTITIONER_STRINGS),
        sa.Column("licence_date", sa.Date(), nullable=True),
        sa.Column("licence_expires", sa.Date(), nullable=True),
        *(_text_column(n, s) for n, s in _PRACTITIONER_DETAILS),
        *_period(),
        sa.PrimaryKeyConstraint("id", name="pk_registry_practitioner"),
    )
    for column in ("ma_cskcb", "code", "cccd", "licence_folded"):
        op.create_index(f"ix_registry_practitioner_{column}", "registry_practitioner", [column])


def upgrade() -> None:
    _facility()
    _department()
    _practitioner()


def downgrade() -> None:
    op.drop_table("registry_practitioner")
    op.drop_table("registry_department")
    op.drop_table("registry_facility")
