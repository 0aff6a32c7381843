"""FhirPolicy: defaults, reading the settings section defensively, text folding."""

from __future__ import annotations

from dataclasses import fields

import pytest
from pydantic import BaseModel, ValidationError

from adapter.mappers.fhir.config import FhirSettings as PackageSettings
from adapter.mappers.fhir.policy import CCCD_SYSTEM, FhirPolicy, fold
from adapter.settings import FhirSettings


def test_from_the_lead_settings_model() -> None:
    policy = FhirPolicy.from_settings(FhirSettings(include_hiv=True))
    assert policy.include_hiv is True
    assert policy.cccd_system == CCCD_SYSTEM


def test_extra_settings_fields_are_read_when_present() -> None:
    class Extended(BaseModel):
        include_hiv: bool = False
        cccd_system: str = "urn:oid:1.2.3"
        arv_drug_codes: list[str] = ["40.1", "40.2"]
        hiv_lab_words: list[str] = ["hiv"]
        endpoint: str | None = None        # not a policy field: ignored

    policy = FhirPolicy.from_settings(Extended())
    assert policy.cccd_system == "urn:oid:1.2.3"
    assert policy.arv_drug_codes == frozenset({"40.1", "40.2"})
    assert policy.hiv_lab_words == ("hiv",)


def test_system_templates_and_bases() -> None:
    policy = FhirPolicy(code_system_base="https://x.vn/cs/")
    assert policy.system(policy.his_patient_system, "79001") == "https://id.vn/his/79001/ma-bn"
    assert policy.code_system("ma-loai-kcb") == "https://x.vn/cs/ma-loai-kcb"


def test_fold_removes_diacritics_and_case() -> None:
    assert fold("Lamivudin ĐƯỜNG Uống") == "lamivudin duong uong"


def test_the_package_settings_model_gives_the_default_policy() -> None:
    assert FhirPolicy.from_settings(PackageSettings()) == FhirPolicy()


def test_the_package_settings_carry_every_policy_field() -> None:
    assert {f.name for f in fields(FhirPolicy)} <= set(PackageSettings.model_fields)


def test_the_package_settings_refuse_unknown_keys() -> None:
    with pytest.raises(ValidationError):
        PackageSettings.model_validate({"include_hvi": True})
    chosen = PackageSettings.model_validate({"include_hiv": True, "arv_drug_codes": ["40.1"],
                                             "mode": "transaction"})
    policy = FhirPolicy.from_settings(chosen)
    assert policy.include_hiv and policy.arv_drug_codes == frozenset({"40.1"})
