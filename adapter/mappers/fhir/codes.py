"""Code systems and the code maps from the BHYT tables to FHIR value sets.

fhir.resources checks shapes, not bindings (``gender="nu"`` passes), so every code we emit
from a required FHIR binding is listed here and checked again by ``validate_bundle``.
Local BHYT codes travel as extra codings in our own (configurable) code systems, so that
nothing of the source value is lost when the FHIR concept is coarser.
"""

from __future__ import annotations

import re

ICD10 = "http://hl7.org/fhir/sid/icd-10"
ICD9CM = "http://hl7.org/fhir/sid/icd-9-cm"
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
ACT_PRIORITY = "http://terminology.hl7.org/CodeSystem/v3-ActPriority"
PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
ROLE_CODE = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
DISCHARGE = "http://terminology.hl7.org/CodeSystem/discharge-disposition"
DIAGNOSIS_ROLE = "http://terminology.hl7.org/CodeSystem/diagnosis-role"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
CONDITION_VER = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
V2_0074 = "http://terminology.hl7.org/CodeSystem/v2-0074"
V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203"
COVERAGE_CLASS = "http://terminology.hl7.org/CodeSystem/coverage-class"
LIST_EMPTY = "http://terminology.hl7.org/CodeSystem/list-empty-reason"
BIRTH_TIME_EXT = "http://hl7.org/fhir/StructureDefinition/patient-birthTime"
NATIONALITY_EXT = "http://hl7.org/fhir/StructureDefinition/patient-nationality"
DATA_ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
URN_RFC3986 = "urn:ietf:rfc:3986"

GENDER = {"1": "male", "2": "female", "3": "unknown"}

# MA_LOAI_KCB (QĐ 824, QĐ 1804 codes 10-16) -> v3 ActCode encounter class.
ENCOUNTER_CLASS: dict[str, tuple[str, str]] = {
    "01": ("AMB", "ambulatory"), "02": ("AMB", "ambulatory"), "03": ("IMP", "inpatient encounter"),
    "04": ("SS", "short stay"), "05": ("AMB", "ambulatory"), "06": ("OBSENC", "observation encounter"),
    "07": ("AMB", "ambulatory"), "08": ("AMB", "ambulatory"), "09": ("SS", "short stay"),
    "10": ("AMB", "ambulatory"), "11": ("FLD", "field"), "12": ("HH", "home health"),
    "13": ("AMB", "ambulatory"), "14": ("VR", "virtual"), "15": ("AMB", "ambulatory"),
    "16": ("AMB", "ambulatory"),
}
LOAI_KCB_DISPLAY = {
    "01": "Khám bệnh", "02": "Điều trị ngoại trú", "03": "Điều trị nội trú",
    "04": "Điều trị nội trú ban ngày", "05": "Điều trị ngoại trú bệnh mạn tính dài ngày",
    "06": "Điều trị lưu tại trạm y tế xã, phòng khám đa khoa khu vực",
    "07": "Nhận thuốc theo hẹn", "08": "Điều trị ngoại trú bệnh mạn tính có DVKT và/hoặc thuốc",
    "09": "Điều trị nội trú dưới 4 giờ", "10": "Khác", "11": "KCB lưu động", "12": "KCB tại nhà",
    "13": "Y học gia đình", "14": "KCB từ xa", "15": "Khám sức khỏe định kỳ", "16": "Khám sàng lọc",
}
LOAI_RV_DISPLAY = {
    "1": "Ra viện", "2": "Chuyển tuyến theo yêu cầu chuyên môn", "3": "Trốn viện",
    "4": "Xin ra viện", "5": "Chuyển tuyến theo yêu cầu người bệnh",
}
KET_QUA_DISPLAY = {
    "1": "Khỏi", "2": "Đỡ", "3": "Không thay đổi", "4": "Nặng hơn", "5": "Tử vong",
    "6": "Tiên lượng nặng xin về", "7": "Chưa xác định", "8": "Tử vong ngoại viện",
}
# MA_LOAI_RV -> discharge-disposition; a death (KET_QUA_DTRI 5/8) wins over any of these.
DISCHARGE_BY_LOAI_RV: dict[str, tuple[str, str]] = {
    "1": ("home", "Home"), "2": ("other-hcf", "Other healthcare facility"),
    "3": ("aadvice", "Left against advice"), "4": ("aadvice", "Left against advice"),
    "5": ("other-hcf", "Other healthcare facility"),
}
DIED = frozenset({"5", "8"})
# Benefit digit (3rd character of a 15-character card) -> benefit level (identifiers §2.2; verify).
BENEFIT_LEVEL = {"1": "100%", "2": "100% (có giới hạn)", "3": "95%", "4": "80%",
                 "5": "100% (kể cả ngoài phạm vi)"}
CARD_RE = re.compile(r"^(?P<group>[A-Z]{2})(?P<benefit>[1-5])(?P<province>\d{2})(?P<bhxh>\d{10})$")
ICD10_RE = re.compile(r"^[A-Z]\d{2}(\.\d{1,3})?$")
ICD9CM_RE = re.compile(r"^\d{2}(\.\d{1,2})?$")
# MA_NHOM cost groups that are procedures (XML3), and those that carry lab/imaging results.
PROCEDURE_GROUPS = {"8": ("surgery", "Phẫu thuật"), "18": ("procedure", "Thủ thuật")}
IMAGING_GROUPS = frozenset({"2"})
FUNCTIONAL_GROUPS = frozenset({"3"})

# Required bindings of the resources we emit: (resourceType, dotted path) -> allowed codes.
# validate_bundle checks every value found at these paths.
REQUIRED_BINDINGS: dict[tuple[str, str], frozenset[str]] = {
    ("Composition", "confidentiality"): frozenset({"U", "L", "M", "N", "R", "V"}),
    ("Bundle", "type"): frozenset({"document", "transaction", "collection"}),
    ("Composition", "status"): frozenset({"preliminary", "final", "amended", "entered-in-error"}),
    ("Composition", "attester.mode"): frozenset({"personal", "professional", "legal", "official"}),
    ("Patient", "gender"): frozenset({"male", "female", "other", "unknown"}),
    ("RelatedPerson", "gender"): frozenset({"male", "female", "other", "unknown"}),
    ("Practitioner", "gender"): frozenset({"male", "female", "other", "unknown"}),
    ("Coverage", "status"): frozenset({"active", "cancelled", "draft", "entered-in-error"}),
    ("Encounter", "status"): frozenset({"planned", "arrived", "triaged", "in-progress", "onleave",
                                         "finished", "cancelled", "entered-in-error", "unknown"}),
    ("Observation", "status"): frozenset({"registered", "preliminary", "final", "amended", "corrected",
                                          "cancelled", "entered-in-error", "unknown"}),
    ("DiagnosticReport", "status"): frozenset({"registered", "partial", "preliminary", "final", "amended",
                                               "corrected", "appended", "cancelled", "entered-in-error",
                                               "unknown"}),
    ("MedicationRequest", "status"): frozenset({"active", "on-hold", "cancelled", "completed",
                                                "entered-in-error", "stopped", "draft", "unknown"}),
    ("MedicationRequest", "intent"): frozenset({"proposal", "plan", "order", "original-order",
                                                "reflex-order", "filler-order", "instance-order", "option"}),
    ("Procedure", "status"): frozenset({"preparation", "in-progress", "not-done", "on-hold", "stopped",
                                        "completed", "entered-in-error", "unknown"}),
    ("ServiceRequest", "status"): frozenset({"draft", "active", "on-hold", "revoked", "completed",
                                             "entered-in-error", "unknown"}),
    ("ServiceRequest", "intent"): frozenset({"proposal", "plan", "directive", "order", "original-order",
                                             "reflex-order", "filler-order", "instance-order", "option"}),
    ("Appointment", "status"): frozenset({"proposed", "pending", "booked", "arrived", "fulfilled",
                                          "cancelled", "noshow", "entered-in-error", "checked-in",
                                          "waitlist"}),
    ("Appointment", "participant.status"): frozenset({"accepted", "declined", "tentative", "needs-action"}),
    ("Patient", "telecom.system"): frozenset({"phone", "fax", "email", "pager", "url", "sms", "other"}),
    ("RelatedPerson", "telecom.system"): frozenset({"phone", "fax", "email", "pager", "url", "sms", "other"}),
}
# Codings with these systems are checked wherever they appear: by value set or by pattern.
SYSTEM_VALUES: dict[str, frozenset[str]] = {
    ACT_CODE: frozenset({c for c, _ in ENCOUNTER_CLASS.values()} | {"HIV"}),
    ACT_PRIORITY: frozenset({"EM", "R"}),
    DISCHARGE: frozenset({c for c, _ in DISCHARGE_BY_LOAI_RV.values()} | {"exp"}),
    DIAGNOSIS_ROLE: frozenset({"AD", "DD", "CC", "CM", "pre-op", "post-op", "billing"}),
    CONDITION_CATEGORY: frozenset({"problem-list-item", "encounter-diagnosis"}),
    CONDITION_VER: frozenset({"unconfirmed", "provisional", "differential", "confirmed", "refuted",
                              "entered-in-error"}),
    OBS_CATEGORY: frozenset({"social-history", "vital-signs", "imaging", "laboratory", "procedure",
                             "survey", "exam", "therapy", "activity"}),
    V2_0074: frozenset({"LAB", "RAD", "OTH", "OSL", "EC", "CT", "US", "XRC"}),
    COVERAGE_CLASS: frozenset({"group", "subgroup", "plan", "subplan", "class", "subclass"}),
    LIST_EMPTY: frozenset({"nilknown", "notasked", "withheld", "unavailable", "notstarted", "closed"}),
    DATA_ABSENT: frozenset({"unknown", "asked-unknown", "temp-unknown", "not-asked", "asked-declined",
                            "masked", "not-applicable", "unsupported", "as-text", "error", "not-performed"}),
    V2_0203: frozenset({"NI", "MB", "MR", "PRN", "LN", "VN"}),
    PARTICIPATION: frozenset({"ADM", "ATND", "CALLBCK", "CON", "DIS", "ESC", "REF", "SPRF", "PPRF", "PART",
                              "translator", "emergency"}),
    ROLE_CODE: frozenset({"GUARD", "FTH", "MTH", "PRN", "FAMMEMB", "NOK"}),
}
SYSTEM_PATTERNS: dict[str, re.Pattern[str]] = {ICD10: ICD10_RE, ICD9CM: ICD9CM_RE}
# Local code systems (names under FhirPolicy.code_system_base) with closed value sets.
LOCAL_VALUES: dict[str, frozenset[str]] = {
    "ma-loai-kcb": frozenset(LOAI_KCB_DISPLAY),
    "ma-loai-rv": frozenset(LOAI_RV_DISPLAY),
    "ket-qua-dtri": frozenset(KET_QUA_DISPLAY),
    "gioi-tinh": frozenset(GENDER),
    "ma-nhom": frozenset(str(n) for n in range(1, 20)),
    "ma-lydo-ct": frozenset({"1", "2", "3"}),
    "nhom-so-suc-khoe": frozenset({"hanh-chinh", "tien-su", "dot-kham", "tom-tat"}),
}
