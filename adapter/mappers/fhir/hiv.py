"""HIV data: recognising it (to leave it out by default) and mapping XML6 when a facility allows it.

An encounter "has HIV data" when any of these is true: it has XML6 rows, an ARV drug line,
an HIV-specific lab result, an HIV ICD-10 code anywhere, or patient category 1.9 (HIV/AIDS,
QĐ 824). With the default policy such an encounter's bundle carries none of them and no free
clinical text either, because free text (diagnosis, course, advice) may name the disease.
"""

from __future__ import annotations

from adapter.mappers.fhir import codes
from adapter.mappers.fhir.admin import patient_id
from adapter.mappers.fhir.context import Ctx, Json, codeable, fhir_date, prune, ref, split
from adapter.mappers.fhir.policy import FhirPolicy
from adapter.mappers.fhir.visit import encounter_id
from adapter.model import Encounter, HivCare, LabResult

HIV_CATEGORY = "1.9"


def has_hiv_data(e: Encounter, policy: FhirPolicy) -> bool:
    if e.hiv_care or e.ma_doituong_kcb.strip() == HIV_CATEGORY:
        return True
    if any(policy.is_arv(d) for d in e.drugs) or any(policy.is_hiv_lab(r) for r in e.lab_results):
        return True
    if any(policy.is_hiv_icd(c) for f in _icd_fields(e) for c in split(f)):
        return True
    return policy.is_hiv_text(*free_texts(e))


def free_texts(e: Encounter) -> list[str | None]:
    """Every free text the bundle may carry: a mention of HIV in any of them marks the encounter."""
    texts = [e.ly_do_vv, e.ly_do_vnt, e.chan_doan_vao, e.chan_doan_rv, e.pp_dieu_tri, e.ghi_chu]
    texts += [s.ten_dich_vu for s in e.services]
    if e.summary:
        s = e.summary
        texts += [s.chan_doan_rv, s.qt_benhly, s.tomtat_kq, s.pp_dieutri, s.ghi_chu]
    if e.discharge:
        texts += [e.discharge.pp_dieutri, e.discharge.ghi_chu]
    if e.referral:
        r = e.referral
        texts += [r.dau_hieu_ls, r.qt_benhly, r.tomtat_kq, r.pp_dieutri, r.huong_dieu_tri, r.phuongtien_vc]
    return texts


def _icd_fields(e: Encounter) -> list[str | None]:
    fields: list[str | None] = [e.ma_benh_chinh, e.ma_benh_kt]
    fields += [s.ma_benh for s in e.services]
    if e.referral:
        fields += [e.referral.ma_benh_chinh, e.referral.ma_benh_kt]
    if e.appointment:
        fields += [e.appointment.ma_benh_chinh, e.appointment.ma_benh_kt]
    return fields


def is_hiv_result(ctx: Ctx, result: LabResult) -> bool:
    """An HIV lab row, by its own codes and texts or by the name of the service that produced it."""
    if ctx.policy.is_hiv_lab(result):
        return True
    names = [s.ten_dich_vu for s in ctx.encounter.services
             if result.ma_dich_vu and s.ma_dich_vu == result.ma_dich_vu]
    return ctx.policy.is_hiv_text(*names)


def observations(ctx: Ctx) -> list[Json]:
    """XML6 rows, only when the policy includes HIV: one Observation each, key items as components."""
    return [_observation(ctx, i, h) for i, h in enumerate(ctx.encounter.hiv_care)]


def _observation(ctx: Ctx, index: int, h: HivCare) -> Json:
    items: list[tuple[str, str, str | None]] = [
        ("ngaykd-hiv", "dateTime", fhir_date(h.ngaykd_hiv)),
        ("bddt-arv", "dateTime", fhir_date(h.bddt_arv)),
        ("ma-phac-do-dieu-tri", "string", h.ma_phac_do_dieu_tri),
        ("giai-doan-lam-sang", "string", h.giai_doan_lam_sang),
        ("kq-xntl-vr", "string", h.kq_xntl_vr),
        ("ngay-kq-xn-tlvr", "dateTime", fhir_date(h.ngay_kq_xn_tlvr)),
    ]
    components = [{"code": codeable([ctx.coding("hiv-care", code)]),
                   f"value{kind[0].upper()}{kind[1:]}": value}
                  for code, kind, value in items if value]
    return prune({
        "resourceType": "Observation",
        "id": ctx.new_id("Observation", f"hiv-{index}"),
        "meta": {"security": [{"system": codes.ACT_CODE, "code": "HIV"}]},
        "status": "final",
        "code": codeable([ctx.coding("hiv-care", "xml6")], "Chăm sóc và điều trị HIV/AIDS"),
        "subject": ref(patient_id(ctx)),
        "encounter": ref(encounter_id(ctx)),
        "effectiveDateTime": ctx.dt(ctx.encounter.ngay_ra),
        "component": components,
    })
