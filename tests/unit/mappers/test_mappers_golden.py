"""Golden files: XML1, XML2, XML3, the check-in and the envelope of one hand-built
encounter, both profiles. Regenerate after an intended change with
``UPDATE_GOLDEN=1 .venv/bin/pytest tests/unit/mappers/test_mappers_golden.py`` and
review the diff."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from mapper_samples import facility, outpatient

from adapter.catalogue import Profile
from adapter.mappers import TablePolicy, build_checkin, build_claim, table_document

GOLDEN = Path(__file__).parents[2] / "golden" / "mappers"
CREATED = date(2025, 7, 2)


def _check(name: str, produced: bytes) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(produced)
    assert produced == path.read_bytes(), f"{name} differs from the golden file"


@pytest.mark.parametrize("profile", ["4750", "3176"])
@pytest.mark.parametrize("number", [1, 2, 3])
def test_table_matches_golden(number: int, profile: Profile) -> None:
    produced = table_document(number, outpatient(profile), profile, facility(profile))
    _check(f"{profile}/XML{number}.xml", produced)


@pytest.mark.parametrize("profile", ["4750", "3176"])
def test_envelope_matches_golden(profile: Profile) -> None:
    claim = build_claim(outpatient(profile), facility(profile), profile, created_on=CREATED,
                        policy=TablePolicy())
    _check(f"{profile}/envelope.xml", claim)


@pytest.mark.parametrize("profile", ["4750", "3176"])
def test_checkin_matches_golden(profile: Profile) -> None:
    _check(f"{profile}/XML0.xml", build_checkin(outpatient(profile), profile))
