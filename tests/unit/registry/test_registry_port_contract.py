"""``RegistryPractitioners`` is the ``PractitionerRegistry`` port of ``adapter.validation``."""

from __future__ import annotations

from datetime import date

from registry_samples import DOCTOR, STAFF

from adapter.registry.claim_check import RegistryPractitioners
from adapter.validation.context import PractitionerRegistry, ValidationContext
from adapter.validation.engine import validate_tables
from adapter.validation.parse import TableRows


def test_the_validation_rule_uses_the_registry() -> None:
    registry: PractitionerRegistry = RegistryPractitioners(STAFF)  # checked by mypy as well
    assert registry.status(DOCTOR.code, date(2025, 6, 2)) == "valid"
    xml1 = {"MA_LK": "LK9", "NGAY_VAO": "202506020800", "NGAY_RA": "202506021000", "MA_TTDV": DOCTOR.code}
    xml3 = [
        {"MA_LK": "LK9", "STT": "1", "MA_BAC_SI": "999999/ĐNA-GPHN", "NGAY_YL": "202506020900"},
        {"MA_LK": "LK9", "STT": "2", "MA_BAC_SI": DOCTOR.code, "NGAY_YL": "202506020905"},
    ]
    tables = {1: TableRows(table=1, rows=(xml1,)), 3: TableRows(table=3, rows=tuple(xml3))}
    context = ValidationContext.for_date(date(2025, 6, 2), registry=registry)
    issues = validate_tables(tables, "3176", context=context, whole=False)
    found = [(i.rule, i.location) for i in issues if i.rule.startswith("PRACTITIONER")]
    assert found == [("PRACTITIONER_NOT_REGISTERED", "XML3[1].MA_BAC_SI")]
