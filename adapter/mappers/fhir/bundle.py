"""Encounter -> FHIR R4B document Bundle (the electronic health-book record of one visit).

PURE: encounter, facility, policy, a generation time and an id factory in; a JSON-ready dict
out. The Composition comes first and groups the entries in the four QĐ 1332 / QĐ 31 groups:
administrative, history, visit, treatment summary.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from adapter.errors import DataError
from adapter.mappers.fhir import admin, clinical, codes, hiv, summary, visit
from adapter.mappers.fhir.context import Ctx, IdFactory, Json, codeable, narrative, prune, ref, uuid5_ids
from adapter.mappers.fhir.policy import FhirPolicy
from adapter.model import Encounter, Facility, ServiceLine

SECTIONS = {
    "hanh-chinh": "Thông tin hành chính",
    "tien-su": "Tiền sử (dị ứng, bệnh tật, tiêm chủng)",
    "dot-kham": "Thông tin đợt khám bệnh, chữa bệnh",
    "tom-tat": "Tóm tắt hồ sơ bệnh án",
}
EPISODE_SUMMARY = {"system": codes.LOINC, "code": "34133-9", "display": "Summary of episode note"}


def build_bundle(encounter: Encounter, facility: Facility, *, policy: FhirPolicy,
                 generated_at: datetime, ids: IdFactory = uuid5_ids) -> dict[str, Any]:
    """The document Bundle of one encounter. Same inputs, same bundle (ids are uuid5-derived)."""
    if encounter.ma_cskcb != facility.ma_cskcb:
        raise DataError("encounter belongs to another facility", record=encounter.ma_lk, field="MA_CSKCB",
                        rule="FHIR-FACILITY")
    sensitive = hiv.has_hiv_data(encounter, policy)
    ctx = Ctx(encounter=encounter, facility=facility, policy=policy, ids=ids,
              staff={p.code: p for p in encounter.practitioners},
              withhold_text=sensitive and not policy.include_hiv)
    groups = _groups(ctx)
    stamp = _instant(generated_at, policy.utc_offset)
    comp = _composition(ctx, groups, stamp, restricted=sensitive and policy.include_hiv)
    resources = [comp, *(r for g in groups.values() for r in g)]
    bundle_id = ctx.new_id("Bundle")
    return {
        "resourceType": "Bundle",
        "id": bundle_id,
        "identifier": {"system": codes.URN_RFC3986, "value": f"urn:uuid:{bundle_id}"},
        "type": "document",
        "timestamp": stamp,
        "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources],
    }


def to_json_bytes(bundle: dict[str, Any]) -> bytes:
    """The payload to send or store: compact UTF-8 JSON in the builder's key order. The same bundle
    always gives the same bytes (so the outbox can hash it); pass a stable ``generated_at``."""
    return json.dumps(bundle, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def to_transaction(document: dict[str, Any]) -> dict[str, Any]:
    """The same resources as a transaction: PUT by id, so resending is idempotent."""
    return {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [{"fullUrl": e["fullUrl"], "resource": e["resource"],
                   "request": {"method": "PUT",
                               "url": f"{e['resource']['resourceType']}/{e['resource']['id']}"}}
                  for e in document["entry"]],
    }


def _groups(ctx: Ctx) -> dict[str, list[Json]]:
    e, pol = ctx.encounter, ctx.policy
    drugs = [d for d in e.drugs if pol.include_hiv or not pol.is_arv(d)]
    labs = [r for r in e.lab_results if pol.include_hiv or not hiv.is_hiv_result(ctx, r)]
    conditions = visit.conditions(ctx)
    observations, reports = clinical.results(ctx, labs)
    referral = summary.service_request(ctx)
    guardian = admin.related_person(ctx)
    return {
        "hanh-chinh": [admin.patient(ctx), *admin.coverages(ctx), *([guardian] if guardian else [])],
        "tien-su": [],
        "dot-kham": [visit.encounter(ctx, [c["id"] for c in conditions]), admin.organization(ctx),
                     *conditions, *visit.vital_signs(ctx), *observations, *reports,
                     *clinical.medication_requests(ctx, drugs), *clinical.procedures(ctx, _services(ctx)),
                     *(hiv.observations(ctx) if pol.include_hiv else []), *admin.practitioners(ctx)],
        "tom-tat": [*([referral] if referral else []), *summary.appointments(ctx)],
    }


def _services(ctx: Ctx) -> list[ServiceLine]:
    pol = ctx.policy
    return [s for s in ctx.encounter.services if pol.include_hiv or not pol.is_hiv_text(s.ten_dich_vu)]


def _composition(ctx: Ctx, groups: dict[str, list[Json]], stamp: str, *, restricted: bool) -> Json:
    doctor = admin.treating_doctor(ctx)
    org = ref(admin.organization_id(ctx))
    return prune({
        "resourceType": "Composition",
        "id": ctx.new_id("Composition"),
        "status": "final",
        "type": codeable([EPISODE_SUMMARY]),
        "subject": ref(admin.patient_id(ctx)),
        "encounter": ref(visit.encounter_id(ctx)),
        "date": stamp,
        "author": [org, *([doctor] if doctor else [])],
        "title": f"Sổ sức khỏe điện tử - hồ sơ {ctx.ma_lk}",
        "attester": _attesters(ctx, stamp),
        # HIV data is only ever present by explicit policy, and then the document is restricted.
        "confidentiality": "R" if restricted else "N",
        "custodian": org,
        "section": [_section(ctx, code, groups[code]) for code in SECTIONS],
    })


def _attesters(ctx: Ctx, stamp: str) -> list[Json]:
    """The facility head (XML1 MA_TTDV, else the facility's) attests: the book has the legal value
    of paper (QĐ 31 Art. 1); the XML signature itself stays with the claim envelope."""
    head = admin.practitioner_ref(ctx, ctx.encounter.ma_ttdv or ctx.facility.head_practitioner)
    return [{"mode": "legal", "time": stamp, "party": head}] if head else []


def _section(ctx: Ctx, code: str, entries: list[Json]) -> Json:
    text = summary.summary_text(ctx) if code == "tom-tat" else None
    group = codeable([ctx.coding("nhom-so-suc-khoe", code, SECTIONS[code])])
    if not entries and text is None:
        # A section must carry text, entries or sub-sections (cmp-1); say why it is empty.
        return {"title": SECTIONS[code], "code": group,
                "text": narrative([("Không có dữ liệu", "không có trong dữ liệu BHYT của đợt khám")]),
                "emptyReason": codeable([{"system": codes.LIST_EMPTY, "code": "unavailable"}])}
    return prune({
        "title": SECTIONS[code],
        "code": group,
        "text": text,
        "entry": [ref(r["id"]) for r in entries],
    })


def _instant(value: datetime, utc_offset: str) -> str:
    """An aware time as is; a naive one is facility local time."""
    if value.tzinfo is not None:
        return value.isoformat(timespec="seconds")
    return value.strftime("%Y-%m-%dT%H:%M:%S") + utc_offset
