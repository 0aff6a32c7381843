"""Read the staff master and the facility from the HIS through its source profile.

The profile's ``registry_practitioners`` query is used when the hospital wrote one
(every 02/DM column, aliased to ``RegisteredPractitioner`` attribute names); otherwise
the ``practitioners`` query every profile has (code, name, CCCD, licence, title,
departments, validity). Unknown columns are ignored, so one view can serve both.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import Engine

from adapter.his.engine import reading
from adapter.his.profile import FACILITY, PRACTITIONERS, SourceProfile
from adapter.registry.convert import KNOWN_FIELDS, convert_row, text_value
from adapter.registry.identifiers import TaxCodeSource
from adapter.registry.model import FacilityRecord, RegisteredPractitioner
from adapter.validation.issues import Issue

log = logging.getLogger(__name__)

REGISTRY_PRACTITIONERS = "registry_practitioners"


def read_his_practitioners(engine: Engine, profile: SourceProfile, *, ma_cskcb: str
                           ) -> tuple[list[RegisteredPractitioner], list[Issue]]:
    """The facility's practitioners as the HIS lists them, with located conversion problems."""
    query = REGISTRY_PRACTITIONERS if profile.has(REGISTRY_PRACTITIONERS) else PRACTITIONERS
    with reading(engine) as conn:
        rows = [dict(r._mapping) for r in conn.execute(profile.statement(query, engine.dialect.name),
                                                       {"ma_cskcb": ma_cskcb})]
    ignored = sorted({k for row in rows for k in row} - KNOWN_FIELDS)
    if ignored:
        log.info("registry import from profile %s query %s ignores columns %s", profile.name, query, ignored)
    records: list[RegisteredPractitioner] = []
    issues: list[Issue] = []
    for number, row in enumerate(rows, start=1):
        record, problems = convert_row(row, ma_cskcb=ma_cskcb, row=number, table="HIS")
        issues.extend(problems)
        if record is not None:
            records.append(record)
    log.info("registry import from HIS: facility %s, %s rows, %s issues", ma_cskcb, len(records), len(issues))
    return records, issues


def read_his_facility(engine: Engine, profile: SourceProfile, *, ma_cskcb: str) -> FacilityRecord | None:
    """The facility row of the profile's optional ``facility`` query (departments are not in it)."""
    if not profile.has(FACILITY):
        return None
    with reading(engine) as conn:
        row = conn.execute(profile.statement(FACILITY, engine.dialect.name), {"ma_cskcb": ma_cskcb}).first()
    return _facility(dict(row._mapping), ma_cskcb) if row is not None else None


def _facility(row: dict[str, Any], ma_cskcb: str) -> FacilityRecord:
    source = text_value(row.get("tax_code_source"))
    return FacilityRecord(
        ma_cskcb=text_value(row.get("ma_cskcb")) or ma_cskcb, name=text_value(row.get("name")) or ma_cskcb,
        national_id=text_value(row.get("national_id")), tax_code=text_value(row.get("tax_code")),
        tax_code_source=TaxCodeSource(source) if source in set(TaxCodeSource) else None,
        address=text_value(row.get("address")), person_responsible=text_value(row.get("person_responsible")),
        hours_day=text_value(row.get("hours_day")), hours_week=text_value(row.get("hours_week")),
    )
