"""Treatment-summary group: the XML8/XML7 narrative, ServiceRequest (referral, XML13) and
Appointment (re-visit, XML14 or XML1 NGAY_TAI_KHAM)."""

from __future__ import annotations

from datetime import date, datetime

from adapter.mappers.fhir import codes
from adapter.mappers.fhir.admin import facility_ref, patient_id, practitioner_ref
from adapter.mappers.fhir.context import Ctx, Json, codeable, fhir_date, narrative, prune, ref
from adapter.mappers.fhir.visit import encounter_id
from adapter.model import Appointment, Referral

REFERRAL = {"system": codes.SNOMED, "code": "3457005", "display": "Patient referral"}
FOLLOW_UP = {"system": codes.SNOMED, "code": "390906007", "display": "Follow-up encounter"}


def summary_text(ctx: Ctx) -> Json | None:
    """XML8 summary (falling back to XML7 and XML1 for what XML8 lacks), as a labelled narrative."""
    e, s, d = ctx.encounter, ctx.encounter.summary, ctx.encounter.discharge
    outcome = (s.ket_qua_dtri if s else None) or e.ket_qua_dtri
    return narrative([
        ("Chẩn đoán ra viện", ctx.text((s.chan_doan_rv if s else None) or e.chan_doan_rv)),
        ("Quá trình bệnh lý và diễn biến lâm sàng", ctx.text(s.qt_benhly if s else None)),
        ("Tóm tắt kết quả cận lâm sàng", ctx.text(s.tomtat_kq if s else None)),
        ("Phương pháp điều trị", ctx.text((s.pp_dieutri if s else None) or (d.pp_dieutri if d else None)
                                          or e.pp_dieu_tri)),
        ("Kết quả điều trị", codes.KET_QUA_DISPLAY.get(outcome or "")),
        ("Lời dặn của bác sĩ", ctx.text((s.ghi_chu if s else None) or (d.ghi_chu if d else None)
                                        or e.ghi_chu)),
        ("Hẹn khám lại", ", ".join(_revisit_dates(ctx)) or None),
    ])


def service_request(ctx: Ctx) -> Json | None:
    r = ctx.encounter.referral
    if r is None:
        return None
    e = ctx.encounter
    reasons = [codeable([{"system": codes.ICD10, "code": c}])
               for c in ctx.icd(r.ma_benh_chinh or e.ma_benh_chinh) + ctx.icd(r.ma_benh_kt or e.ma_benh_kt)]
    if r.ma_lydo_ct:
        reasons.append(codeable([ctx.coding("ma-lydo-ct", r.ma_lydo_ct)]))
    return prune({
        "resourceType": "ServiceRequest",
        "id": ctx.new_id("ServiceRequest"),
        "identifier": _paper_ids(ctx, r.giay_chuyen_tuyen, r.so_hoso),
        "status": "completed",
        "intent": "order",
        "category": [codeable([REFERRAL])],
        "code": codeable([REFERRAL]),
        "subject": ref(patient_id(ctx)),
        "encounter": ref(encounter_id(ctx)),
        "authoredOn": ctx.dt(r.ngay_ra or e.ngay_ra),
        "requester": practitioner_ref(ctx, r.ma_bac_si),
        "performer": [facility_ref(ctx, c) for c in (r.ma_noi_den or e.ma_noi_den,) if c],
        "reasonCode": reasons,
        "note": [{"text": t} for t in _referral_notes(ctx, r)],
    })


def appointments(ctx: Ctx) -> list[Json]:
    slip = ctx.encounter.appointment
    if slip is not None and slip.ngay_hen_kl is not None:
        return [_appointment(ctx, 0, slip.ngay_hen_kl, slip)]
    return [_appointment(ctx, i, day, None) for i, day in enumerate(_xml1_revisits(ctx))]


def _appointment(ctx: Ctx, index: int, day: date, slip: Appointment | None) -> Json:
    # The slip fixes a day, not a time slot: a "proposed" appointment with a requested period
    # is what FHIR allows without start/end instants (invariant app-3).
    doctor = practitioner_ref(ctx, slip.ma_bac_si if slip else None)
    people = [{"actor": ref(patient_id(ctx)), "status": "accepted"}]
    if doctor:
        people.append({"actor": doctor, "status": "accepted"})
    return prune({
        "resourceType": "Appointment",
        "id": ctx.new_id("Appointment", index),
        "identifier": _paper_ids(ctx, slip.so_giayhen_kl if slip else None),
        "status": "proposed",
        "serviceType": [codeable([FOLLOW_UP])],
        "reasonCode": [codeable([{"system": codes.ICD10, "code": c}])
                       for c in ctx.icd(slip.ma_benh_chinh if slip else ctx.encounter.ma_benh_chinh)],
        "description": "Hẹn khám lại",
        "created": fhir_date(slip.ngay_ct) if slip else None,
        "participant": people,
        "requestedPeriod": [{"start": day.isoformat(), "end": day.isoformat()}],
    })


def _revisit_dates(ctx: Ctx) -> list[str]:
    slip = ctx.encounter.appointment
    if slip is not None and slip.ngay_hen_kl is not None:
        return [slip.ngay_hen_kl.isoformat()]
    return [d.isoformat() for d in _xml1_revisits(ctx)]


def _xml1_revisits(ctx: Ctx) -> list[date]:
    out = []
    for raw in (ctx.encounter.ngay_tai_kham or "").split(";"):
        try:
            out.append(datetime.strptime(raw.strip(), "%Y%m%d").date())
        except ValueError:
            continue   # a malformed date is reported by validation of XML1, not here
    return out


def _paper_ids(ctx: Ctx, *numbers: str | None) -> list[Json]:
    system = ctx.policy.system(ctx.policy.his_paper_system, ctx.facility.ma_cskcb)
    return [{"system": system, "value": n} for n in numbers if n]


def _referral_notes(ctx: Ctx, r: Referral) -> list[str]:
    labelled = (("Dấu hiệu lâm sàng", r.dau_hieu_ls), ("Quá trình bệnh lý", r.qt_benhly),
                ("Tóm tắt kết quả cận lâm sàng", r.tomtat_kq), ("Phương pháp điều trị", r.pp_dieutri),
                ("Hướng điều trị", r.huong_dieu_tri), ("Phương tiện vận chuyển", r.phuongtien_vc))
    return [f"{label}: {text}" for label, value in labelled if (text := ctx.text(value))]
