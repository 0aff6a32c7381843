"""Fixtures of the health-book (FHIR) tests: the demo encounter, its facility, a fixed time."""

from __future__ import annotations

from typing import Any

import pytest
from fhir_fixtures import GENERATED_AT

from adapter.mappers.fhir import FhirPolicy, build_bundle
from adapter.mappers.fhir.demo import demo_encounter, demo_facility
from adapter.model import Encounter, Facility


@pytest.fixture
def encounter() -> Encounter:
    return demo_encounter()


@pytest.fixture
def facility() -> Facility:
    return demo_facility()


@pytest.fixture
def bundle(encounter: Encounter, facility: Facility) -> dict[str, Any]:
    return build_bundle(encounter, facility, policy=FhirPolicy(), generated_at=GENERATED_AT)

