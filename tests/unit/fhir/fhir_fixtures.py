"""Helpers shared by the FHIR tests (a uniquely named module: every test folder has a conftest)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

GENERATED_AT = datetime(2026, 3, 9, 11, 0)


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]
