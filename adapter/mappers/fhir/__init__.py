"""The health-book record: one FHIR R4B document Bundle per encounter (pure; see docs/fhir-mapping.md).

``build_bundle`` never imports fhir.resources; ``validate_bundle`` imports it on first use.
"""

from __future__ import annotations

from adapter.mappers.fhir.bundle import build_bundle, to_json_bytes, to_transaction
from adapter.mappers.fhir.context import ID_NAMESPACE, IdFactory, uuid5_ids
from adapter.mappers.fhir.hiv import has_hiv_data
from adapter.mappers.fhir.policy import FhirPolicy
from adapter.mappers.fhir.validate import validate_bundle

__all__ = [
    "ID_NAMESPACE",
    "FhirPolicy",
    "IdFactory",
    "build_bundle",
    "has_hiv_data",
    "to_json_bytes",
    "to_transaction",
    "uuid5_ids",
    "validate_bundle",
]
