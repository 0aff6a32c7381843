"""Health-book settings (section ``[fhir]``): a superset of the lead's first ``FhirSettings``.

Every policy field has the same name and default as ``FhirPolicy`` so that
``FhirPolicy.from_settings(settings.fhir)`` carries them over. Unknown keys are refused:
a misspelt ``include_hiv`` must not silently leave the default in force.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, SecretStr

from adapter.mappers.fhir import policy as p


class FhirSettings(BaseModel):
    """Health-book (FHIR R4B) output: policy, local output and optional submission."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    endpoint: str | None = None                  # FHIR base URL; nothing is sent without it
    mode: Literal["document", "transaction"] = "document"
    token: SecretStr | None = None               # bearer token of the endpoint, or ...
    token_file: Path | None = None               # ... a file holding it (wins)
    output_dir: Path | None = None
    include_hiv: bool = False                    # XML6, ARV lines, HIV codes and texts
    cccd_system: str = p.CCCD_SYSTEM
    card_system: str = p.BHYT_CARD_SYSTEM
    facility_system: str = p.BHXH_FACILITY_SYSTEM
    national_facility_system: str = p.NATIONAL_FACILITY_SYSTEM
    licence_system: str = p.LICENCE_SYSTEM
    staff_code_system: str = p.STAFF_CODE_SYSTEM
    his_patient_system: str = p.HIS_PATIENT_SYSTEM
    his_encounter_system: str = p.HIS_ENCOUNTER_SYSTEM
    his_record_system: str = p.HIS_RECORD_SYSTEM
    his_paper_system: str = p.HIS_PAPER_SYSTEM
    code_system_base: str = p.CODE_SYSTEM_BASE
    extension_base: str = p.EXTENSION_BASE
    utc_offset: str = "+07:00"
    arv_drug_codes: list[str] = []
    arv_ingredients: list[str] = list(p.DEFAULT_ARV_INGREDIENTS)
    hiv_lab_codes: list[str] = []
    hiv_lab_words: list[str] = list(p.DEFAULT_HIV_LAB_WORDS)
    hiv_text_words: list[str] = list(p.DEFAULT_HIV_TEXT_WORDS)
    hiv_icd_prefixes: list[str] = list(p.DEFAULT_HIV_ICD_PREFIXES)
