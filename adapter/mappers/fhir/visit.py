"""Visit group: Encounter, Condition (ICD-10), vital-sign Observations (height, weight, blood group)."""

from __future__ import annotations

from decimal import Decimal

from adapter.mappers.fhir import codes
from adapter.mappers.fhir.admin import facility_ref, organization_id, patient_id, treating_doctor
from adapter.mappers.fhir.context import Ctx, Json, codeable, num, prune, ref


def encounter(ctx: Ctx, condition_ids: list[str]) -> Json:
    e = ctx.encounter
    klass, klass_display = codes.ENCOUNTER_CLASS.get(e.ma_loai_kcb, ("AMB", "ambulatory"))
    return prune({
        "resourceType": "Encounter",
        "id": encounter_id(ctx),
        "identifier": _identifiers(ctx),
        "status": "finished",
        "class": {"system": codes.ACT_CODE, "code": klass, "display": klass_display},
        "type": [codeable([ctx.coding("ma-loai-kcb", e.ma_loai_kcb, _kcb(e.ma_loai_kcb))])],
        "priority": _priority(e.ma_doituong_kcb),
        "subject": ref(patient_id(ctx)),
        "participant": _participants(ctx),
        "period": prune({"start": ctx.dt(e.ngay_vao), "end": ctx.dt(e.ngay_ra)}),
        "length": _days(e.so_ngay_dtri),
        "reasonCode": [codeable([], t) for t in (ctx.text(e.ly_do_vv), ctx.text(e.ly_do_vnt)) if t],
        "diagnosis": [_diagnosis(cid, rank) for rank, cid in enumerate(condition_ids, start=1)],
        "hospitalization": _hospitalization(ctx),
        "serviceProvider": ref(organization_id(ctx)),
    })


def _identifiers(ctx: Ctx) -> list[Json]:
    e, pol = ctx.encounter, ctx.policy
    out = [{"system": pol.system(pol.his_encounter_system, e.ma_cskcb), "value": e.ma_lk}]
    if e.ma_hsba:
        out.append({"system": pol.system(pol.his_record_system, e.ma_cskcb), "value": e.ma_hsba})
    return out


def _kcb(code: str) -> str | None:
    return codes.LOAI_KCB_DISPLAY.get(code)


def encounter_id(ctx: Ctx) -> str:
    return ctx.new_id("Encounter")


def conditions(ctx: Ctx) -> list[Json]:
    """Main diagnosis first (rank 1), then MA_BENH_KT in order; HIV codes only if allowed."""
    e = ctx.encounter
    main = ctx.icd(e.ma_benh_chinh)[:1]
    secondary = [c for c in dict.fromkeys(ctx.icd(e.ma_benh_kt)) if c not in main]
    return [_condition(ctx, i, code, main=(i == 0 and bool(main))) for i, code in enumerate(main + secondary)]


def _condition(ctx: Ctx, index: int, code: str, *, main: bool) -> Json:
    e = ctx.encounter
    note = ctx.text(e.chan_doan_rv) if main else None
    return prune({
        "resourceType": "Condition",
        "id": ctx.new_id("Condition", index),
        "verificationStatus": codeable([{"system": codes.CONDITION_VER, "code": "confirmed"}]),
        "category": [codeable([{"system": codes.CONDITION_CATEGORY, "code": "encounter-diagnosis"}])],
        "code": codeable([{"system": codes.ICD10, "code": code}]),
        "subject": ref(patient_id(ctx)),
        "encounter": ref(encounter_id(ctx)),
        "recordedDate": ctx.dt(e.ngay_ra),
        "note": [{"text": note}] if note else [],
    })


def vital_signs(ctx: Ctx) -> list[Json]:
    """Height (3176 DU_PHONG), weight (CAN_NANG) and blood group (NHOM_MAU): key health-book items."""
    e = ctx.encounter
    out: list[Json] = []
    if e.chieu_cao_cm is not None:
        out.append(_vital(ctx, "height", "8302-2", "Body height", _quantity(e.chieu_cao_cm, "cm")))
    if e.can_nang is not None:
        out.append(_vital(ctx, "weight", "29463-7", "Body weight", _quantity(e.can_nang, "kg")))
    if e.patient.nhom_mau:
        blood = _vital(ctx, "blood-group", "882-1", "ABO and Rh group", None, category="laboratory")
        blood["valueString"] = e.patient.nhom_mau
        out.append(blood)
    return out


def _vital(ctx: Ctx, kind: str, loinc: str, display: str, value: Json | None,
           category: str = "vital-signs") -> Json:
    return prune({
        "resourceType": "Observation",
        "id": ctx.new_id("Observation", kind),
        "status": "final",
        "category": [codeable([{"system": codes.OBS_CATEGORY, "code": category}])],
        "code": codeable([{"system": codes.LOINC, "code": loinc, "display": display}]),
        "subject": ref(patient_id(ctx)),
        "encounter": ref(encounter_id(ctx)),
        "effectiveDateTime": ctx.dt(ctx.encounter.ngay_ra),
        "valueQuantity": value,
    })


def _quantity(value: Decimal, unit: str) -> Json:
    return {"value": num(value), "unit": unit, "system": codes.UCUM, "code": unit}


def _days(days: int | None) -> Json | None:
    if days is None:
        return None
    return {"value": days, "unit": "d", "system": codes.UCUM, "code": "d"}


def _priority(ma_doituong_kcb: str) -> Json | None:
    # Category "2" is emergency (cấp cứu) in every generation of the patient-category list.
    if ma_doituong_kcb.strip() != "2":
        return None
    return codeable([{"system": codes.ACT_PRIORITY, "code": "EM", "display": "emergency"}])


def _participants(ctx: Ctx) -> list[Json]:
    doctor = treating_doctor(ctx)
    attender = codeable([{"system": codes.PARTICIPATION, "code": "ATND", "display": "attender"}])
    return [{"type": [attender], "individual": doctor}] if doctor else []


def _diagnosis(condition_id: str, rank: int) -> Json:
    use = codeable([{"system": codes.DIAGNOSIS_ROLE, "code": "DD", "display": "Discharge diagnosis"}])
    return {"condition": ref(condition_id), "use": use, "rank": rank}


def _hospitalization(ctx: Ctx) -> Json:
    e = ctx.encounter
    return prune({
        "origin": facility_ref(ctx, e.ma_noi_di) if e.ma_noi_di else None,
        "destination": facility_ref(ctx, e.ma_noi_den) if e.ma_noi_den else None,
        "dischargeDisposition": _disposition(ctx),
    })


def _disposition(ctx: Ctx) -> Json | None:
    """FHIR disposition from MA_LOAI_RV, a death from KET_QUA_DTRI wins; both local codes kept."""
    e = ctx.encounter
    codings: list[Json] = []
    if e.ket_qua_dtri in codes.DIED:
        codings.append({"system": codes.DISCHARGE, "code": "exp", "display": "Expired"})
    elif e.ma_loai_rv in codes.DISCHARGE_BY_LOAI_RV:
        code, display = codes.DISCHARGE_BY_LOAI_RV[e.ma_loai_rv]
        codings.append({"system": codes.DISCHARGE, "code": code, "display": display})
    if e.ma_loai_rv:
        codings.append(ctx.coding("ma-loai-rv", e.ma_loai_rv, codes.LOAI_RV_DISPLAY.get(e.ma_loai_rv)))
    if e.ket_qua_dtri:
        codings.append(ctx.coding("ket-qua-dtri", e.ket_qua_dtri, codes.KET_QUA_DISPLAY.get(e.ket_qua_dtri)))
    return codeable(codings) if codings else None
