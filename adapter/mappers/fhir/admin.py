"""Administrative group: Patient, RelatedPerson (legal guardian), Coverage, Organization, Practitioner."""

from __future__ import annotations

from adapter.mappers.fhir import codes
from adapter.mappers.fhir.context import Ctx, Json, codeable, fhir_date, ident_ref, prune, ref
from adapter.model import Card, Practitioner


def patient(ctx: Ctx) -> Json:
    p, pol, cskcb = ctx.encounter.patient, ctx.policy, ctx.facility.ma_cskcb
    identifiers = [_identifier("NI", pol.cccd_system, p.so_cccd),
                   *(_identifier("MB", pol.card_system, c.ma_the_bhyt) for c in ctx.encounter.cards),
                   _identifier("MR", pol.system(pol.his_patient_system, cskcb), p.ma_bn)]
    return prune({
        "resourceType": "Patient",
        "id": patient_id(ctx),
        "extension": _patient_extensions(ctx),
        "identifier": [i for i in identifiers if i],
        "name": [_human_name(p.ho_ten)],
        "telecom": [{"system": "phone", "value": p.dien_thoai}] if p.dien_thoai else [],
        "gender": codes.GENDER.get(p.gioi_tinh),
        "birthDate": fhir_date(p.ngay_sinh),
        # KET_QUA_DTRI 5/8: died (in or outside hospital); the time is not known precisely.
        "deceasedBoolean": True if ctx.encounter.ket_qua_dtri in codes.DIED else None,
        "address": [_address(ctx)] if p.dia_chi or p.matinh_cu_tru else [],
        "managingOrganization": ref(organization_id(ctx)),
    })


def patient_id(ctx: Ctx) -> str:
    return ctx.shared_id("Patient", ctx.encounter.patient.ma_bn)


def related_person(ctx: Ctx) -> Json | None:
    """The legal representative: the HIS guardian, else XML8 NGUOI_GIAM_HO (name only)."""
    g = ctx.encounter.patient.guardian
    summary = ctx.encounter.summary
    if g is None and not (summary and summary.nguoi_giam_ho):
        return None
    name = g.name if g else (summary.nguoi_giam_ho if summary else None)
    relation = codeable([{"system": codes.ROLE_CODE, "code": "GUARD", "display": "guardian"}],
                        g.relation if g else None)
    return prune({
        "resourceType": "RelatedPerson",
        "id": ctx.new_id("RelatedPerson"),
        "identifier": [_identifier("NI", ctx.policy.cccd_system, g.id_number)] if g and g.id_number else [],
        "patient": ref(patient_id(ctx)),
        "relationship": [relation],
        "name": [_human_name(name or "")],
        "telecom": [{"system": "phone", "value": g.phone}] if g and g.phone else [],
    })


def coverages(ctx: Ctx) -> list[Json]:
    return [_coverage(ctx, i, card) for i, card in enumerate(ctx.encounter.cards)]


def _coverage(ctx: Ctx, index: int, card: Card) -> Json:
    pol = ctx.policy
    parsed = codes.CARD_RE.match(card.ma_the_bhyt)
    return prune({
        "resourceType": "Coverage",
        "id": ctx.new_id("Coverage", index),
        "extension": [{"url": pol.extension("ma-dkbd"),
                       "valueIdentifier": {"system": pol.facility_system, "value": card.ma_dkbd}}],
        "identifier": [{"system": pol.card_system, "value": card.ma_the_bhyt}],
        "status": "active",
        "type": codeable([ctx.coding("ma-doi-tuong-the", parsed["group"])]) if parsed else None,
        "subscriberId": card.ma_the_bhyt,
        "beneficiary": ref(patient_id(ctx)),
        "period": prune({"start": fhir_date(card.gt_the_tu), "end": fhir_date(card.gt_the_den)}),
        "payor": [{"display": "Bảo hiểm xã hội Việt Nam"}],
        "class": [_benefit_class(parsed["benefit"])] if parsed else [],
    })


def _benefit_class(digit: str) -> Json:
    return {"type": codeable([{"system": codes.COVERAGE_CLASS, "code": "plan"}]),
            "value": digit, "name": f"Mức hưởng {codes.BENEFIT_LEVEL[digit]}"}


def organization(ctx: Ctx) -> Json:
    f, pol = ctx.facility, ctx.policy
    identifiers = [{"system": pol.facility_system, "value": f.ma_cskcb}]
    if f.national_id:
        identifiers.append({"system": pol.national_facility_system, "value": f.national_id})
    return prune({
        "resourceType": "Organization",
        "id": organization_id(ctx),
        "identifier": identifiers,
        "active": True,
        "name": f.name,
        "address": [{"text": f.address}] if f.address else [],
    })


def organization_id(ctx: Ctx) -> str:
    return ctx.shared_id("Organization", ctx.facility.ma_cskcb)


def facility_ref(ctx: Ctx, ma_cskcb: str) -> Json:
    """Our own facility by resource, any other facility by its BHXH code."""
    if ma_cskcb == ctx.facility.ma_cskcb:
        return ref(organization_id(ctx))
    return ident_ref(ctx.policy.facility_system, ma_cskcb)


def practitioners(ctx: Ctx) -> list[Json]:
    return [practitioner(ctx, p) for p in ctx.staff.values()]


def practitioner(ctx: Ctx, p: Practitioner) -> Json:
    pol = ctx.policy
    identifiers = [{"system": pol.staff_code_system, "value": p.code}]
    if p.licence_no:
        identifiers.append(prune({"system": pol.licence_system, "value": p.licence_no,
                                  "type": codeable([], p.licence_kind) if p.licence_kind else None}))
    return prune({
        "resourceType": "Practitioner",
        "id": ctx.shared_id("Practitioner", p.code),
        "identifier": identifiers,
        "name": [_human_name(p.name)],
        "qualification": [{"code": codeable([], p.title)}] if p.title else [],
    })


def practitioner_ref(ctx: Ctx, codes_field: str | None) -> Json | None:
    """The first practitioner of a ";" code list: by resource when known, else by staff code."""
    code = next((c.strip() for c in (codes_field or "").split(";") if c.strip()), None)
    if code is None:
        return None
    if code in ctx.staff:
        return ref(ctx.shared_id("Practitioner", code))
    return ident_ref(ctx.policy.staff_code_system, code)


def treating_doctor(ctx: Ctx) -> Json | None:
    """The doctor of the health book's summary: XML7 MA_BS, else XML8 MA_TTDV (spec §5)."""
    e = ctx.encounter
    return practitioner_ref(ctx, (e.discharge.ma_bs if e.discharge else None)
                            or (e.summary.ma_ttdv if e.summary else None))


def _patient_extensions(ctx: Ctx) -> list[Json]:
    p, out = ctx.encounter.patient, list[Json]()
    if p.ngay_sinh.hour or p.ngay_sinh.minute:
        # Neonates carry their time of birth (NGAY_SINH yyyyMMddHHmm); 0000 means unknown.
        out.append({"url": codes.BIRTH_TIME_EXT, "valueDateTime": ctx.dt(p.ngay_sinh)})
    if p.ma_quoctich:
        out.append({"url": codes.NATIONALITY_EXT, "extension": [
            {"url": "code", "valueCodeableConcept": codeable([ctx.coding("ma-quoc-tich", p.ma_quoctich)])}]})
    if p.ma_dantoc:
        out.append({"url": ctx.policy.extension("dan-toc"),
                    "valueCodeableConcept": codeable([ctx.coding("ma-dan-toc", p.ma_dantoc)])})
    if p.ma_nghe_nghiep:
        out.append({"url": ctx.policy.extension("nghe-nghiep"),
                    "valueCodeableConcept": codeable([ctx.coding("ma-nghe-nghiep", p.ma_nghe_nghiep)])})
    return out


def _address(ctx: Ctx) -> Json:
    p = ctx.encounter.patient
    ward = [{"url": ctx.policy.extension("ma-xa"), "valueString": p.maxa_cu_tru}] if p.maxa_cu_tru else []
    return prune({"extension": ward, "use": "home", "text": p.dia_chi, "district": p.mahuyen_cu_tru,
                  "state": p.matinh_cu_tru, "country": "VN"})


def _human_name(full: str) -> Json:
    """Vietnamese order: family name first, given names after."""
    parts = full.split()
    return prune({"text": full, "family": parts[0] if parts else None, "given": parts[1:]})


def _identifier(type_code: str, system: str, value: str | None) -> Json | None:
    if not value:
        return None
    kind = codeable([{"system": codes.V2_0203, "code": type_code}])
    return {"type": kind, "system": system, "value": value}
