"""PURE mappers: encounter -> QĐ 4750/3176 XML tables, the claim envelope, the check-in.

Public API::

    from adapter.mappers import (TablePolicy, build_checkin, build_claim, build_table, claim_envelope,
                                 claim_tables, needs_checkin, profile_for, table_document, tables_for,
                                 text_changes)
    from adapter.mappers.schemas import load_schema, load_envelope_schema

No I/O, no clock: the creation date of a claim is a parameter.
"""

from __future__ import annotations

from adapter.mappers.envelope import (
    build_checkin,
    build_claim,
    claim_envelope,
    claim_files,
    claim_tables,
    envelope,
)
from adapter.mappers.policy import TablePolicy, needs_checkin, profile_for, tables_for
from adapter.mappers.tables import build_table, table_document
from adapter.mappers.textscan import TextChange, text_changes

__all__ = [
    "TablePolicy",
    "TextChange",
    "build_checkin",
    "build_claim",
    "build_table",
    "claim_envelope",
    "claim_files",
    "claim_tables",
    "envelope",
    "needs_checkin",
    "profile_for",
    "table_document",
    "tables_for",
    "text_changes",
]
