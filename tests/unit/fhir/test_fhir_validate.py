"""validate_bundle: the first problem, by path and rule code, and never the offending value."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from adapter.errors import DataError
from adapter.mappers.fhir import validate_bundle

Mutation = Callable[[dict[str, Any]], None]


def _entry(kind: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def pick(b: dict[str, Any]) -> dict[str, Any]:
        return next(e["resource"] for e in b["entry"] if e["resource"]["resourceType"] == kind)
    return pick


def _set(kind: str, key: str, value: Any) -> Mutation:
    return lambda b: _entry(kind)(b).__setitem__(key, value)


CASES: list[tuple[str, Mutation, str, str]] = [
    ("gender outside the value set", _set("Patient", "gender", "nu"), "FHIR-CODE-BINDING", "gender"),
    ("malformed date", _set("Patient", "birthDate", "17/05/1980"), "FHIR-STRUCTURE", "birthDate"),
    ("unknown resource type", _set("Coverage", "resourceType", "Insurance"), "FHIR-RESOURCE-TYPE",
     "entry[2].resource.resourceType"),
    ("encounter status", _set("Encounter", "status", "done"), "FHIR-CODE-BINDING", "status"),
    ("bad ICD-10 code", lambda b: _entry("Condition")(b)["code"]["coding"][0].__setitem__("code", "K358"),
     "FHIR-CODE-SYSTEM", "code.coding[0].code"),
    ("bad encounter class", lambda b: _entry("Encounter")(b)["class"].__setitem__("code", "INPATIENT"),
     "FHIR-CODE-SYSTEM", "class.code"),
    ("local visit type", lambda b: _entry("Encounter")(b)["type"][0]["coding"][0].__setitem__("code", "99"),
     "FHIR-CODE-SYSTEM", "type[0].coding[0].code"),
    ("dangling reference", _set("Condition", "subject", {"reference": "urn:uuid:nowhere"}),
     "FHIR-REFERENCE", "subject.reference"),
    ("no identifier", lambda b: b.pop("identifier"), "FHIR-BDL-9", "identifier"),
    ("no timestamp", lambda b: b.pop("timestamp"), "FHIR-BDL-10", "timestamp"),
    ("composition not first", lambda b: b["entry"].reverse(), "FHIR-BDL-11", "entry[0]"),
    ("duplicate fullUrl", lambda b: b["entry"].append(copy.deepcopy(b["entry"][1])), "FHIR-BDL-7", "fullUrl"),
    ("identifier without system", lambda b: _entry("Patient")(b)["identifier"][0].pop("system"),
     "FHIR-IDENTIFIER", "identifier[0]"),
    ("reference identifier without system",
     lambda b: _entry("Encounter")(b)["hospitalization"]["destination"]["identifier"].pop("system"),
     "FHIR-IDENTIFIER", "destination.identifier"),
    ("transaction entry without request", lambda b: b.update(type="transaction"), "FHIR-BDL-3",
     "entry[0].request"),
    ("empty section", lambda b: b["entry"][0]["resource"]["section"][1].pop("text"), "FHIR-CMP-1",
     "section[1]"),
]


@pytest.mark.parametrize(("mutate", "rule", "where"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_problem_is_reported_with_rule_and_path(
        bundle: dict[str, Any], mutate: Mutation, rule: str, where: str) -> None:
    broken = copy.deepcopy(bundle)
    mutate(broken)
    with pytest.raises(DataError) as caught:
        validate_bundle(broken)
    assert caught.value.rule == rule
    assert where in caught.value.field
    assert caught.value.record == bundle["id"]


def test_values_never_appear_in_the_message(bundle: dict[str, Any]) -> None:
    broken = copy.deepcopy(bundle)
    _entry("Patient")(broken)["gender"] = "Nguyễn-secret"
    with pytest.raises(DataError) as caught:
        validate_bundle(broken)
    assert "secret" not in str(caught.value)
