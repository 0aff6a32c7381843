"""The document Bundle: valid R4B, deterministic, lossless through JSON and through fhir.resources."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from fhir_fixtures import GENERATED_AT, resources

from adapter.errors import DataError
from adapter.mappers.fhir import FhirPolicy, build_bundle, to_json_bytes, to_transaction, validate_bundle
from adapter.mappers.fhir.codes import ENCOUNTER_CLASS
from adapter.model import DrugLine, Encounter, Facility, LabResult, Patient


def test_the_demo_bundle_validates(bundle: dict[str, Any]) -> None:
    validate_bundle(bundle)
    assert bundle["type"] == "document"
    assert bundle["entry"][0]["resource"]["resourceType"] == "Composition"


def test_it_carries_every_resource_kind_of_the_health_book(bundle: dict[str, Any]) -> None:
    kinds = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert kinds == {"Composition", "Patient", "Coverage", "RelatedPerson", "Encounter", "Organization",
                     "Condition", "Observation", "DiagnosticReport", "MedicationRequest", "Procedure",
                     "Practitioner", "ServiceRequest", "Appointment"}


def test_same_encounter_same_bundle(encounter: Encounter, facility: Facility) -> None:
    first = build_bundle(encounter, facility, policy=FhirPolicy(), generated_at=GENERATED_AT)
    again = build_bundle(encounter, facility, policy=FhirPolicy(), generated_at=GENERATED_AT)
    assert json.dumps(first, sort_keys=True) == json.dumps(again, sort_keys=True)


def test_ids_differ_between_encounters_but_the_patient_keeps_its_id(
        encounter: Encounter, facility: Facility, bundle: dict[str, Any]) -> None:
    other = build_bundle(replace(encounter, ma_lk="LK0002"), facility, policy=FhirPolicy(),
                         generated_at=GENERATED_AT)
    assert other["id"] != bundle["id"]
    assert resources(other, "Encounter")[0]["id"] != resources(bundle, "Encounter")[0]["id"]
    assert resources(other, "Patient")[0]["id"] == resources(bundle, "Patient")[0]["id"]


def test_ids_are_unique_and_every_reference_resolves(bundle: dict[str, Any]) -> None:
    urls = [e["fullUrl"] for e in bundle["entry"]]
    assert len(urls) == len(set(urls))
    refs = set(re.findall(r'"reference": "([^"]+)"', json.dumps(bundle)))
    assert refs and refs <= set(urls)


def test_an_injected_id_factory_is_used(encounter: Encounter, facility: Facility) -> None:
    names: list[str] = []

    def ids(name: str) -> str:
        names.append(name)
        return f"id-{len(names)}"

    out = build_bundle(encounter, facility, policy=FhirPolicy(), generated_at=GENERATED_AT, ids=ids)
    assert out["entry"][0]["resource"]["id"].startswith("id-")
    assert "79001/LK0001/Encounter/0" in names
    assert "79001/Patient/BN000123" in names


def test_json_round_trip_is_lossless(bundle: dict[str, Any]) -> None:
    assert json.loads(json.dumps(bundle, ensure_ascii=False)) == bundle
    assert json.loads(to_json_bytes(bundle)) == bundle
    assert to_json_bytes(bundle) == to_json_bytes(json.loads(to_json_bytes(bundle)))


def test_fhir_resources_round_trip_is_lossless(bundle: dict[str, Any]) -> None:
    from fhir.resources.R4B.bundle import Bundle

    model = Bundle.model_validate(bundle)
    assert json.loads(model.model_dump_json(exclude_none=True, by_alias=True)) == bundle


def test_timestamps_carry_the_offset(encounter: Encounter, facility: Facility) -> None:
    local = build_bundle(encounter, facility, policy=FhirPolicy(), generated_at=GENERATED_AT)
    utc = build_bundle(encounter, facility, policy=FhirPolicy(),
                       generated_at=datetime(2026, 3, 9, 4, 0, tzinfo=UTC))
    assert local["timestamp"] == "2026-03-09T11:00:00+07:00"
    assert utc["timestamp"] == "2026-03-09T04:00:00+00:00"


def test_a_minimal_uninsured_outpatient_visit_validates(facility: Facility) -> None:
    bare = Encounter(ma_lk="LK9", ma_cskcb="79001", ma_loai_kcb="01", ma_doituong_kcb="9",
                     patient=Patient(ma_bn="B9", ho_ten="Trần B", ngay_sinh=datetime(2001, 1, 1),
                                     gioi_tinh="2"),
                     ngay_vao=datetime(2026, 1, 5, 8, 0), ngay_ra=datetime(2026, 1, 5, 9, 0))
    out = build_bundle(bare, facility, policy=FhirPolicy(), generated_at=GENERATED_AT)
    validate_bundle(out)
    sections = out["entry"][0]["resource"]["section"]
    assert [s["code"]["coding"][0]["code"] for s in sections] == [
        "hanh-chinh", "tien-su", "dot-kham", "tom-tat"]
    assert sections[1]["emptyReason"]["coding"][0]["code"] == "unavailable"
    assert sections[3]["emptyReason"]["coding"][0]["code"] == "unavailable"
    assert resources(out, "Coverage") == []


@pytest.mark.parametrize("loai", sorted(ENCOUNTER_CLASS))
def test_every_visit_type_maps_to_a_valid_class(encounter: Encounter, facility: Facility, loai: str) -> None:
    out = build_bundle(replace(encounter, ma_loai_kcb=loai), facility, policy=FhirPolicy(),
                       generated_at=GENERATED_AT)
    validate_bundle(out)
    assert resources(out, "Encounter")[0]["class"]["code"] == ENCOUNTER_CLASS[loai][0]


def test_a_death_wins_over_the_discharge_type(encounter: Encounter, facility: Facility) -> None:
    out = build_bundle(replace(encounter, ket_qua_dtri="5", ma_loai_rv="1"), facility, policy=FhirPolicy(),
                       generated_at=GENERATED_AT)
    disposition = resources(out, "Encounter")[0]["hospitalization"]["dischargeDisposition"]
    codes = [c["code"] for c in disposition["coding"]]
    assert codes[0] == "exp"


def test_emergency_category_sets_the_priority(encounter: Encounter, facility: Facility) -> None:
    out = build_bundle(replace(encounter, ma_doituong_kcb="2"), facility, policy=FhirPolicy(),
                       generated_at=GENERATED_AT)
    assert resources(out, "Encounter")[0]["priority"]["coding"][0]["code"] == "EM"
    assert "priority" not in resources(build_bundle(encounter, facility, policy=FhirPolicy(),
                                                    generated_at=GENERATED_AT), "Encounter")[0]


def test_revisit_dates_of_xml1_become_appointments_without_a_slip(
        encounter: Encounter, facility: Facility) -> None:
    out = build_bundle(replace(encounter, appointment=None, ngay_tai_kham="20260316;20260401;bad"),
                       facility, policy=FhirPolicy(), generated_at=GENERATED_AT)
    validate_bundle(out)
    starts = [a["requestedPeriod"][0]["start"] for a in resources(out, "Appointment")]
    assert starts == ["2026-03-16", "2026-04-01"]


def test_a_pending_lab_result_has_a_data_absent_reason(encounter: Encounter, facility: Facility) -> None:
    pending = replace(encounter.lab_results[0], gia_tri=None)
    out = build_bundle(replace(encounter, lab_results=(pending,)), facility, policy=FhirPolicy(),
                       generated_at=GENERATED_AT)
    validate_bundle(out)
    obs = [o for o in resources(out, "Observation") if "dataAbsentReason" in o]
    assert len(obs) == 1 and obs[0]["status"] == "registered"


def test_the_transaction_puts_every_resource_by_id(bundle: dict[str, Any]) -> None:
    tx = to_transaction(bundle)
    validate_bundle(tx)
    assert tx["type"] == "transaction"
    first = tx["entry"][1]
    assert first["request"] == {"method": "PUT", "url": f"Patient/{first['resource']['id']}"}


def test_repeated_secondary_codes_give_one_condition_each(encounter: Encounter, facility: Facility) -> None:
    out = build_bundle(replace(encounter, ma_benh_kt="I10;K35.8;I10;E11.9"), facility, policy=FhirPolicy(),
                       generated_at=GENERATED_AT)
    codes = [c["code"]["coding"][0]["code"] for c in resources(out, "Condition")]
    assert codes == ["K35.8", "I10", "E11.9"]
    ranks = [d["rank"] for d in resources(out, "Encounter")[0]["diagnosis"]]
    assert ranks == [1, 2, 3]


def test_an_encounter_of_another_facility_is_refused(encounter: Encounter, facility: Facility) -> None:
    with pytest.raises(DataError) as caught:
        build_bundle(encounter, replace(facility, ma_cskcb="01001"), policy=FhirPolicy(),
                     generated_at=GENERATED_AT)
    assert caught.value.rule == "FHIR-FACILITY" and caught.value.record == "LK0001"


def test_a_newborn_keeps_the_time_of_birth(encounter: Encounter, facility: Facility) -> None:
    baby = replace(encounter.patient, ngay_sinh=datetime(2026, 3, 1, 23, 40))
    out = build_bundle(replace(encounter, patient=baby), facility, policy=FhirPolicy(),
                       generated_at=GENERATED_AT)
    validate_bundle(out)
    patient = resources(out, "Patient")[0]
    assert patient["birthDate"] == "2026-03-01"
    times = [x["valueDateTime"] for x in patient["extension"] if x["url"].endswith("patient-birthTime")]
    assert times == ["2026-03-01T23:40:00+07:00"]
    adult = resources(build_bundle(encounter, facility, policy=FhirPolicy(), generated_at=GENERATED_AT),
                      "Patient")[0]
    assert not [x for x in adult["extension"] if x["url"].endswith("patient-birthTime")]


@pytest.mark.parametrize(("outcome", "deceased"), [("5", True), ("8", True), ("1", None), (None, None)])
def test_a_death_marks_the_patient_deceased(encounter: Encounter, facility: Facility, outcome: str | None,
                                            deceased: bool | None) -> None:
    out = build_bundle(replace(encounter, ket_qua_dtri=outcome), facility, policy=FhirPolicy(),
                       generated_at=GENERATED_AT)
    assert resources(out, "Patient")[0].get("deceasedBoolean") is deceased


def test_lines_without_codes_or_names_still_give_valid_resources(encounter: Encounter,
                                                                  facility: Facility) -> None:
    bare = replace(encounter, drugs=(DrugLine(),), lab_results=(LabResult(),))
    out = build_bundle(bare, facility, policy=FhirPolicy(), generated_at=GENERATED_AT)
    validate_bundle(out)
    assert resources(out, "MedicationRequest")[0]["medicationCodeableConcept"] == {"text": "Thuốc"}


def test_narrative_text_is_escaped(encounter: Encounter, facility: Facility) -> None:
    summary = replace(encounter.summary, qt_benhly="<script>x</script> & 1 < 2")
    out = build_bundle(replace(encounter, summary=summary), facility, policy=FhirPolicy(),
                       generated_at=GENERATED_AT)
    validate_bundle(out)
    div = out["entry"][0]["resource"]["section"][3]["text"]["div"]
    assert "&lt;script&gt;" in div and "<script>" not in div


def test_building_never_imports_fhir_resources() -> None:
    code = ("import sys; from datetime import datetime; "
            "from adapter.mappers.fhir import FhirPolicy, build_bundle; "
            "from adapter.mappers.fhir.demo import demo_encounter, demo_facility; "
            "build_bundle(demo_encounter(), demo_facility(), policy=FhirPolicy(), "
            "generated_at=datetime(2026, 1, 1)); "
            "print(any(m.startswith('fhir.resources') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == "False"
