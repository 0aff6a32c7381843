"""HIV data never appears in a bundle unless the facility's policy allows it."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from fhir_fixtures import GENERATED_AT, resources

from adapter.mappers.fhir import FhirPolicy, build_bundle, has_hiv_data, validate_bundle
from adapter.mappers.fhir.demo import demo_encounter, demo_facility
from adapter.model import DrugLine, Encounter, LabResult

# Anything that would disclose HIV status in the demo HIV encounter.
TELLTALES = ("hiv", "b20", "tenofovir", "lamivudin", "dolutegravir", "40.999", "hivvl", "arv",
             "hiv-care", "1a")


def _text(bundle: dict[str, Any]) -> str:
    return json.dumps(bundle, ensure_ascii=False).lower()


def _build(enc: Encounter, policy: FhirPolicy) -> dict[str, Any]:
    return build_bundle(enc, demo_facility(), policy=policy, generated_at=GENERATED_AT)


def test_the_default_policy_leaves_every_trace_of_hiv_out() -> None:
    out = _build(demo_encounter(with_hiv=True), FhirPolicy())
    validate_bundle(out)
    text = _text(out)
    assert [t for t in TELLTALES if f'"{t}' in text or t in text.replace('"', " ").split()] == []
    assert "hiv" not in text and "tenofovir" not in text and "b20" not in text


def test_free_clinical_text_is_withheld_but_coded_data_stays() -> None:
    out = _build(demo_encounter(with_hiv=True), FhirPolicy())
    conditions = [c["code"]["coding"][0]["code"] for c in resources(out, "Condition")]
    assert conditions == ["K35.8", "I10", "E11.9"]
    assert all("note" not in c for c in resources(out, "Condition"))
    assert "reasonCode" not in resources(out, "Encounter")[0]
    assert [m["medicationCodeableConcept"]["coding"][0]["code"]
            for m in resources(out, "MedicationRequest")] == ["40.152"]
    assert out["entry"][0]["resource"]["confidentiality"] == "N"


def test_a_non_hiv_encounter_keeps_its_free_text() -> None:
    out = _build(demo_encounter(), FhirPolicy())
    assert resources(out, "Condition")[0]["note"][0]["text"].startswith("Viêm ruột thừa")


def test_the_policy_can_include_hiv_and_then_marks_the_document_restricted() -> None:
    out = _build(demo_encounter(with_hiv=True), FhirPolicy(include_hiv=True))
    validate_bundle(out)
    text = _text(out)
    assert "tenofovir" in text and "b20" in text and "tải lượng hiv" in text
    care = [o for o in resources(out, "Observation")
            if o["code"].get("coding", [{}])[0].get("code") == "xml6"]
    assert len(care) == 1 and care[0]["meta"]["security"][0]["code"] == "HIV"
    assert out["entry"][0]["resource"]["confidentiality"] == "R"


@pytest.mark.parametrize("change", [
    {"drugs": (DrugLine(ma_thuoc="40.1", ten_thuoc="ZIDOVUDINE 300mg"),)},
    {"drugs": (DrugLine(ma_thuoc="40.777", ten_thuoc="Thuốc A"),)},
    {"lab_results": (LabResult(ma_dich_vu="x", ten_chi_so="Đếm tế bào CD4", gia_tri="350"),)},
    {"ma_benh_kt": "I10;Z21"},
    {"ma_doituong_kcb": "1.9"},
    {"chan_doan_rv": "Viêm phổi / nhiễm HIV"},
    {"ghi_chu": "Tiếp tục điều trị ARV tại phòng khám ngoại trú"},
])
def test_each_signal_marks_an_encounter_as_having_hiv_data(change: dict[str, Any]) -> None:
    policy = FhirPolicy(arv_drug_codes=frozenset({"40.777"}))
    assert not has_hiv_data(demo_encounter(), policy)
    assert has_hiv_data(replace(demo_encounter(), **change), policy)


def test_a_lab_row_of_an_hiv_service_is_left_out_by_the_service_name() -> None:
    base = demo_encounter()
    service = replace(base.services[2], ma_dich_vu="22.0999.0001", ten_dich_vu="HIV Ag/Ab miễn dịch tự động")
    row = LabResult(ma_dich_vu="22.0999.0001", ma_chi_so="X1", ten_chi_so="Kết quả", gia_tri="Âm tính")
    out = _build(replace(base, services=(*base.services, service), lab_results=(*base.lab_results, row)),
                 FhirPolicy())
    validate_bundle(out)
    assert "X1" not in _text(out) and "âm tính" not in _text(out)


def test_an_arv_recognised_by_facility_code_is_left_out() -> None:
    extra = DrugLine(ma_thuoc="40.777", ten_thuoc="X")
    enc = replace(demo_encounter(), drugs=(*demo_encounter().drugs, extra))
    out = _build(enc, FhirPolicy(arv_drug_codes=frozenset({"40.777"})))
    assert "40.777" not in _text(out)


def test_names_match_at_word_start_only() -> None:
    policy = FhirPolicy()
    assert policy.is_arv(DrugLine(ten_thuoc="Lamivudine 100mg"))
    assert policy.is_arv(DrugLine(ten_thuoc="TDF/3TC/DTG (tenofovir...)"))
    assert not policy.is_arv(DrugLine(ten_thuoc="Paracetamol"))
    assert not policy.is_hiv_lab(LabResult(ten_chi_so="Archive"))  # "hiv" inside another word
    assert policy.is_hiv_lab(LabResult(ma_chi_so="HIVVL"))
    assert policy.is_hiv_lab(LabResult(ten_chi_so="Xét nghiệm HIV nhanh"))
