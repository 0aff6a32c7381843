"""Visit group, clinical lines: MedicationRequest (XML2), Procedure (XML3 MA_NHOM 8/18),
Observation and DiagnosticReport (XML4 results, grouped by the service that produced them)."""

from __future__ import annotations

import re
from decimal import Decimal

from adapter.mappers.fhir import codes
from adapter.mappers.fhir.admin import patient_id, practitioner_ref
from adapter.mappers.fhir.context import Ctx, Json, codeable, num, prune, ref, split
from adapter.mappers.fhir.visit import encounter_id
from adapter.model import DrugLine, LabResult, ServiceLine

_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
# XML4 leaves GIA_TRI blank at discharge while a result is pending.
_PENDING = codeable([{"system": codes.DATA_ABSENT, "code": "temp-unknown"}])


def medication_requests(ctx: Ctx, drugs: list[DrugLine]) -> list[Json]:
    return [_medication(ctx, i, d) for i, d in enumerate(drugs)]


def _medication(ctx: Ctx, index: int, d: DrugLine) -> Json:
    name = " ".join(p for p in (d.ten_thuoc, d.ham_luong) if p) or None
    dose = prune({
        "text": d.lieu_dung,
        "patientInstruction": d.cach_dung,
        "route": codeable([ctx.coding("duong-dung", d.duong_dung)]) if d.duong_dung else None,
    })
    quantity = prune({"value": num(d.so_luong) if d.so_luong is not None else None, "unit": d.don_vi_tinh})
    return prune({
        "resourceType": "MedicationRequest",
        "id": ctx.new_id("MedicationRequest", index),
        "status": "completed",
        "intent": "order",
        "medicationCodeableConcept": codeable(
            [ctx.coding("ma-thuoc", d.ma_thuoc)] if d.ma_thuoc else [], name) or {"text": "Thuốc"},
        "subject": ref(patient_id(ctx)),
        "encounter": ref(encounter_id(ctx)),
        "authoredOn": ctx.dt(d.ngay_yl),
        "requester": practitioner_ref(ctx, d.ma_bac_si),
        "dosageInstruction": [dose] if dose else [],
        "dispenseRequest": {"quantity": quantity} if "value" in quantity else None,
    })


def procedures(ctx: Ctx, services: list[ServiceLine]) -> list[Json]:
    lines = [s for s in services if s.ma_nhom in codes.PROCEDURE_GROUPS]
    return [_procedure(ctx, i, s) for i, s in enumerate(lines)]


def _procedure(ctx: Ctx, index: int, s: ServiceLine) -> Json:
    group = s.ma_nhom or ""
    kind, display = codes.PROCEDURE_GROUPS[group]
    category = [ctx.coding("ma-nhom", group, display)]
    if kind == "surgery":
        category.append({"system": codes.SNOMED, "code": "387713003", "display": "Surgical procedure"})
    service = [ctx.coding("ma-dich-vu", s.ma_dich_vu)] if s.ma_dich_vu else []
    icd9 = [{"system": codes.ICD9CM, "code": c} for c in split(s.ma_pttt_qt)]
    performers = [r for r in (practitioner_ref(ctx, c) for c in split(s.nguoi_thuc_hien)) if r]
    return prune({
        "resourceType": "Procedure",
        "id": ctx.new_id("Procedure", index),
        "status": "completed",
        "category": codeable(category),
        "code": codeable(service + icd9, s.ten_dich_vu),
        "subject": ref(patient_id(ctx)),
        "encounter": ref(encounter_id(ctx)),
        "performedPeriod": prune({"start": ctx.dt(s.ngay_th_yl or s.ngay_yl), "end": ctx.dt(s.ngay_kq)}),
        "recorder": practitioner_ref(ctx, s.ma_bac_si),
        "performer": [{"actor": r} for r in performers],
        "reasonCode": [codeable([{"system": codes.ICD10, "code": c}]) for c in ctx.icd(s.ma_benh)],
    })


def results(ctx: Ctx, lab_results: list[LabResult]) -> tuple[list[Json], list[Json]]:
    """Observations for XML4 rows and one DiagnosticReport per service (MA_DICH_VU) that has rows."""
    observations = [_observation(ctx, i, r) for i, r in enumerate(lab_results)]
    groups: dict[str, list[int]] = {}
    for i, r in enumerate(lab_results):
        groups.setdefault(r.ma_dich_vu or "", []).append(i)
    reports = [_report(ctx, n, code, [lab_results[i] for i in idx], [observations[i]["id"] for i in idx])
               for n, (code, idx) in enumerate(groups.items())]
    return observations, reports


def _observation(ctx: Ctx, index: int, r: LabResult) -> Json:
    obs_cat, _ = _category(ctx, r.ma_dich_vu)
    value = _value(r)
    return prune({
        "resourceType": "Observation",
        "id": ctx.new_id("Observation", index),
        "status": "final" if value else "registered",
        "category": [codeable([{"system": codes.OBS_CATEGORY, "code": obs_cat}])],
        "code": codeable([ctx.coding("ma-chi-so", r.ma_chi_so)] if r.ma_chi_so else [], r.ten_chi_so)
        or {"text": "Chỉ số"},
        "subject": ref(patient_id(ctx)),
        "encounter": ref(encounter_id(ctx)),
        "effectiveDateTime": ctx.dt(r.ngay_kq),
        "performer": [p for p in (practitioner_ref(ctx, r.ma_bs_doc_kq),) if p],
        **value,
        "dataAbsentReason": None if value else _PENDING,
        "note": [{"text": r.ket_luan}] if r.ket_luan else [],
    })


def _value(r: LabResult) -> Json:
    """A number with its unit as a Quantity; any other result (text, "<0.5", narrative) as a string."""
    raw = (r.gia_tri or "").strip()
    if raw and _NUMBER.match(raw):
        return {"valueQuantity": prune({"value": num(Decimal(raw)), "unit": r.don_vi_do})}
    text = raw or (r.mo_ta or "").strip()
    if text and r.don_vi_do and raw:
        text = f"{text} {r.don_vi_do}"
    return {"valueString": text} if text else {}


def _report(ctx: Ctx, index: int, service: str, rows: list[LabResult], obs_ids: list[str]) -> Json:
    obs_cat, report_cat = _category(ctx, service or None)
    line = _service(ctx, service)
    issued = max((r.ngay_kq for r in rows if r.ngay_kq), default=None)
    conclusions = [r.ket_luan for r in rows if r.ket_luan]
    return prune({
        "resourceType": "DiagnosticReport",
        "id": ctx.new_id("DiagnosticReport", index),
        "status": "final",
        "category": [codeable([{"system": codes.V2_0074, "code": report_cat}])],
        "code": codeable([ctx.coding("ma-dich-vu", service)] if service else [],
                         line.ten_dich_vu if line else None) or {"text": obs_cat},
        "subject": ref(patient_id(ctx)),
        "encounter": ref(encounter_id(ctx)),
        "effectiveDateTime": ctx.dt(issued),
        "issued": ctx.dt(issued),
        "resultsInterpreter": [p for p in (practitioner_ref(ctx, rows[0].ma_bs_doc_kq),) if p],
        "result": [ref(i) for i in obs_ids],
        "conclusion": "; ".join(conclusions) or None,
    })


def _service(ctx: Ctx, code: str) -> ServiceLine | None:
    return next((s for s in ctx.encounter.services if code and s.ma_dich_vu == code), None)


def _category(ctx: Ctx, service: str | None) -> tuple[str, str]:
    """Observation and report category from the XML3 cost group of the producing service."""
    line = _service(ctx, service or "")
    group = line.ma_nhom if line else None
    if group in codes.IMAGING_GROUPS:
        return "imaging", "RAD"
    if group in codes.FUNCTIONAL_GROUPS:
        return "procedure", "OTH"
    return "laboratory", "LAB"
