"""What a facility decides about its health-book bundles: identifier systems and sensitive data.

Every identifier system below is a **placeholder to be confirmed**: Vietnam has published no
FHIR naming system for CCCD, BHYT cards or facility codes (identifiers-and-registry.md §3: no
public VNeID data standard). They are stable and configurable so that a receiver can map them,
and changing one is a configuration change, never a code change. ``docs/fhir-mapping.md`` lists
them with the fields they carry.

HIV data (XML6 and everything that reveals it) is left out unless ``include_hiv`` is set
(bhyt-xml-spec.md §5, "strip HIV and other sensitive data according to facility policy").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Any

from adapter.model import DrugLine, LabResult

# Placeholders, to be confirmed with BHXH / MoH (marked TBC in the docs).
CCCD_SYSTEM = "https://id.vn/cccd"
BHYT_CARD_SYSTEM = "https://id.vn/bhyt/ma-the"
BHXH_FACILITY_SYSTEM = "https://id.vn/bhyt/ma-cskcb"
NATIONAL_FACILITY_SYSTEM = "https://id.vn/co-so-kcb/ma-dinh-danh"
LICENCE_SYSTEM = "https://id.vn/hanh-nghe/giay-phep"
STAFF_CODE_SYSTEM = "https://id.vn/bhyt/ma-nhan-vien"
HIS_PATIENT_SYSTEM = "https://id.vn/his/{ma_cskcb}/ma-bn"
HIS_ENCOUNTER_SYSTEM = "https://id.vn/his/{ma_cskcb}/ma-lk"
HIS_RECORD_SYSTEM = "https://id.vn/his/{ma_cskcb}/ma-hsba"
HIS_PAPER_SYSTEM = "https://id.vn/his/{ma_cskcb}/so-giay"
CODE_SYSTEM_BASE = "https://id.vn/fhir/CodeSystem"
EXTENSION_BASE = "https://id.vn/fhir/StructureDefinition"

# ARV active ingredients (WHO/MoH HIV guidelines), lower case, without diacritics, so that
# "Lamivudin", "lamivudine" and "LAMIVUDIN" all match. Tenofovir and lamivudine also treat
# hepatitis B: matching them hides some HBV lines too, the privacy-safe side of the error.
DEFAULT_ARV_INGREDIENTS: tuple[str, ...] = (
    "abacavir", "atazanavir", "darunavir", "dolutegravir", "efavirenz", "emtricitabin",
    "etravirin", "lamivudin", "lopinavir", "nevirapin", "raltegravir", "rilpivirin",
    "ritonavir", "stavudin", "tenofovir", "zidovudin",
)
# Words that mark a lab indicator or service as HIV-specific.
DEFAULT_HIV_LAB_WORDS: tuple[str, ...] = ("hiv", "cd4")
# Words that mark any free text (diagnosis, advice, drug or service name) as naming HIV.
DEFAULT_HIV_TEXT_WORDS: tuple[str, ...] = ("hiv", "aids", "arv")
# ICD-10 codes (prefix match) whose presence discloses HIV status.
DEFAULT_HIV_ICD_PREFIXES: tuple[str, ...] = (
    "B20", "B21", "B22", "B23", "B24", "Z21", "R75", "O98.7", "Z20.6", "Z71.7",
)


# Combining diacritical marks (Vietnamese tones and vowel marks after NFD); a regex runs in C.
_COMBINING = re.compile("[\u0300-\u036f]")


@dataclass(frozen=True, kw_only=True, slots=True)
class FhirPolicy:
    """Per-facility choices for the health-book bundle. Defaults are documented placeholders."""

    cccd_system: str = CCCD_SYSTEM
    card_system: str = BHYT_CARD_SYSTEM
    facility_system: str = BHXH_FACILITY_SYSTEM
    national_facility_system: str = NATIONAL_FACILITY_SYSTEM
    licence_system: str = LICENCE_SYSTEM
    staff_code_system: str = STAFF_CODE_SYSTEM
    his_patient_system: str = HIS_PATIENT_SYSTEM      # "{ma_cskcb}" is replaced
    his_encounter_system: str = HIS_ENCOUNTER_SYSTEM
    his_record_system: str = HIS_RECORD_SYSTEM
    his_paper_system: str = HIS_PAPER_SYSTEM          # referral letter / appointment slip numbers
    code_system_base: str = CODE_SYSTEM_BASE
    extension_base: str = EXTENSION_BASE
    utc_offset: str = "+07:00"                        # Asia/Ho_Chi_Minh has no DST
    include_hiv: bool = False
    arv_drug_codes: frozenset[str] = frozenset()      # MA_THUOC values the facility marks as ARV
    arv_ingredients: tuple[str, ...] = DEFAULT_ARV_INGREDIENTS
    hiv_lab_codes: frozenset[str] = frozenset()       # MA_DICH_VU / MA_CHI_SO marked HIV-specific
    hiv_lab_words: tuple[str, ...] = DEFAULT_HIV_LAB_WORDS
    hiv_text_words: tuple[str, ...] = DEFAULT_HIV_TEXT_WORDS
    hiv_icd_prefixes: tuple[str, ...] = DEFAULT_HIV_ICD_PREFIXES

    @classmethod
    def from_settings(cls, settings: Any) -> FhirPolicy:
        """Read every field that ``settings`` (the ``[fhir]`` section) has; keep defaults otherwise."""
        known = {f.name for f in fields(cls)}
        data = settings.model_dump() if hasattr(settings, "model_dump") else dict(vars(settings))
        chosen = {k: v for k, v in data.items() if k in known and v is not None}
        for name in ("arv_drug_codes", "hiv_lab_codes"):
            if name in chosen:
                chosen[name] = frozenset(chosen[name])
        for name in ("arv_ingredients", "hiv_lab_words", "hiv_text_words", "hiv_icd_prefixes"):
            if name in chosen:
                chosen[name] = tuple(chosen[name])
        return cls(**chosen)

    def system(self, template: str, ma_cskcb: str) -> str:
        return template.replace("{ma_cskcb}", ma_cskcb)

    def code_system(self, name: str) -> str:
        return f"{self.code_system_base.rstrip('/')}/{name}"

    def extension(self, name: str) -> str:
        return f"{self.extension_base.rstrip('/')}/{name}"

    # --- sensitive-data recognition -------------------------------------------------------

    def is_arv(self, drug: DrugLine) -> bool:
        """An ARV line: its code is listed by the facility, or any of its texts (name, strength,
        instructions, ...) names an ARV ingredient or HIV."""
        if drug.ma_thuoc and drug.ma_thuoc in self.arv_drug_codes:
            return True
        return _mentions(self.arv_ingredients + self.hiv_text_words, *_texts(drug))

    def is_hiv_lab(self, result: LabResult) -> bool:
        codes = {result.ma_dich_vu, result.ma_chi_so}
        if codes & self.hiv_lab_codes:
            return True
        return _mentions(self.hiv_lab_words + self.hiv_text_words, *_texts(result))

    def is_hiv_text(self, *texts: str | None) -> bool:
        """Free text that names HIV, AIDS, ARV treatment or an ARV ingredient."""
        return _mentions(self.hiv_text_words + self.arv_ingredients, *texts)

    def is_hiv_icd(self, code: str) -> bool:
        return code.strip().upper().startswith(self.hiv_icd_prefixes)


def fold(text: str) -> str:
    """Lower case without diacritics (đ -> d), for tolerant matching of Vietnamese names."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return _COMBINING.sub("", decomposed).lower()


def _texts(row: DrugLine | LabResult) -> list[str]:
    """Every text of a line: whatever of it reaches the bundle, none may name HIV."""
    return [v for f in fields(row) if isinstance(v := getattr(row, f.name), str)]


def _mentions(words: tuple[str, ...], *texts: str | None) -> bool:
    folded = " ".join(fold(t) for t in texts if t)
    return bool(folded) and _pattern(words).search(folded) is not None


@lru_cache(maxsize=32)
def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    # A word start, not any substring: "hiv" must not match inside an unrelated word.
    alternatives = "|".join(re.escape(fold(w)) for w in words if w.strip()) or "(?!)"
    return re.compile(rf"(?<![a-z0-9])(?:{alternatives})")
