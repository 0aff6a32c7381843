"""Pure assembly of one Encounter from its contract rows (header, cards, detail rows).

Rows are plain mappings keyed by lower-case contract column names. Problems are
collected for the whole encounter so an operator sees every bad cell at once; an
encounter with any problem is returned without a model (``Extracted.encounter=None``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import Any

from adapter.his import contract
from adapter.his.convert import BadValue, Problems, convert_fields, to_datetime
from adapter.model import Card, Encounter, Guardian, Patient, Practitioner
from adapter.ports import Extracted

Row = Mapping[str, Any]
# kind name -> MA_LK -> rows in the profile's order
Details = Mapping[str, Mapping[str, Sequence[Row]]]

PATIENT_FIELDS = frozenset(f.name for f in fields(Patient))
HEADER_REQUIRED = ("ma_bn", "ho_ten", "ngay_sinh", "gioi_tinh", "ma_loai_kcb", "ma_doituong_kcb",
                   "ngay_vao", "ngay_ra")
CARD_SPEC = {"ma_the_bhyt": "str", "ma_dkbd": "str", "gt_the_tu": "date", "gt_the_den": "date"}
CARD_REQUIRED = ("ma_the_bhyt", "ma_dkbd", "gt_the_tu")
STAFF_SPEC = {"code": "str", "name": "str", "cccd": "str", "licence_no": "str", "licence_kind": "str",
              "title": "str", "departments": "str", "valid_from": "date", "valid_to": "date"}
# Attributes that name a practitioner (";" lists allowed).
STAFF_REFS = ("ma_bac_si", "nguoi_thuc_hien", "ma_bs_doc_kq", "ma_ttdv", "ma_bs")
HEADER_SPEC = {**dict(contract.encounter_fields()), **{n: "str" for n in contract.GUARDIAN_COLUMNS}}
KIND_SPECS = {k.name: {n: t for n, t in contract.model_fields(k.cls) if n != "ma_lk"}
              for k in contract.ROW_KINDS}


@dataclass(frozen=True, kw_only=True, slots=True)
class Assembled:
    extracted: Extracted
    changed_at: datetime | None


def lower_keys(row: Mapping[Any, Any]) -> dict[str, Any]:
    return {str(k).lower(): v for k, v in row.items()}


def practitioner(row: Row, max_text: int) -> Practitioner | None:
    """A staff row as a Practitioner, or None when its code or name is unusable."""
    problems = Problems(ma_lk="")
    kw = convert_fields(row, STAFF_SPEC, "his_practitioner", problems, max_text)
    if problems.errors or "code" not in kw or "name" not in kw:
        return None
    deps = tuple(d for d in kw.pop("departments", "").split(";") if d)
    return Practitioner(**kw, departments=deps)


def assemble(header: Row, details: Details, staff: Mapping[str, Practitioner], *, ma_cskcb: str,
             max_text: int) -> Assembled:
    """One Extracted from its rows; every unusable cell becomes a located DataError."""
    ma_lk = str(header.get("ma_lk") or "")
    problems = Problems(ma_lk=ma_lk)
    changed_at = _changed_at(header, problems)
    head = convert_fields(header, HEADER_SPEC, "his_encounter", problems, max_text)
    _stand_in_end(header, head)
    _require(head, header, HEADER_REQUIRED, "his_encounter", problems)
    cards = _cards(details.get("cards", {}).get(ma_lk, ()), problems, max_text)
    parts = {k.attr: _kind(k, details.get(k.name, {}).get(ma_lk, ()), problems, max_text)
             for k in contract.ROW_KINDS}
    version = changed_at.isoformat() if changed_at else None
    if problems.errors or not ma_lk:
        if not ma_lk:
            problems.required("his_encounter.ma_lk")
        extracted = Extracted(ma_lk=ma_lk, ma_cskcb=ma_cskcb, encounter=None, errors=tuple(problems.errors),
                              source_version=version)
        return Assembled(extracted=extracted, changed_at=changed_at)
    facility = str(header.get("ma_cskcb") or ma_cskcb)
    encounter = _encounter(ma_lk, head, cards, parts, staff, ma_cskcb=facility, version=version)
    extracted = Extracted(ma_lk=ma_lk, ma_cskcb=encounter.ma_cskcb, encounter=encounter,
                          source_version=version)
    return Assembled(extracted=extracted, changed_at=changed_at)


def _stand_in_end(header: Row, head: dict[str, Any]) -> None:
    # A visit still in care has no end time. The check-in (XML0), the only document built
    # from an open visit, carries no NGAY_RA; NGAY_VAO stands in so the model can exist.
    if is_open(header) and header.get("ngay_ra") in (None, "") and "ngay_vao" in head:
        head["ngay_ra"] = head["ngay_vao"]


def is_open(header: Row) -> bool:
    """The row says the HIS has not closed the visit (``finished`` = 0); unknown counts as closed."""
    value = header.get("finished")
    return value is not None and str(value).strip().lower() in ("0", "false", "f", "n")


def _changed_at(header: Row, problems: Problems) -> datetime | None:
    value = header.get("updated_at")
    if value is None:
        problems.required("his_encounter.updated_at")
        return None
    try:
        return to_datetime(value)
    except BadValue as bad:
        problems.add("his_encounter.updated_at", bad)
        return None


def _require(converted: Mapping[str, Any], raw: Row, names: Iterable[str], where: str,
             problems: Problems) -> None:
    for name in names:
        # A cell that failed conversion is already reported; only report true absences here.
        if name not in converted and raw.get(name) in (None, ""):
            problems.required(f"{where}.{name}")


def _split_card_row(row: Row) -> list[dict[str, Any]]:
    """One row per card: a row holding ";" lists (the XML1 way) is split position by position."""
    lists: dict[str, list[Any]] = {}
    for name in CARD_SPEC:
        value = row.get(name)
        lists[name] = [p.strip() for p in value.split(";")] if isinstance(value, str) else [value]
    count = max(len(v) for v in lists.values())
    return [{n: v[i] if i < len(v) else None for n, v in lists.items()} for i in range(count)]


def _cards(rows: Sequence[Row], problems: Problems, max_text: int) -> tuple[Card, ...]:
    cards = []
    for i, row in enumerate((r for raw in rows for r in _split_card_row(raw)), start=1):
        if not any(v not in (None, "") for v in row.values()):
            continue                        # a non-insured visit: empty card columns
        where = f"his_card[{i}]"
        kw = convert_fields(row, CARD_SPEC, where, problems, max_text)
        before = len(problems.errors)
        _require(kw, row, CARD_REQUIRED, where, problems)
        if len(problems.errors) == before and all(n in kw for n in CARD_REQUIRED):
            cards.append(Card(**kw))
    return tuple(cards)


def _kind(k: contract.RowKind, rows: Sequence[Row], problems: Problems, max_text: int) -> Any:
    built = []
    for i, row in enumerate(rows, start=1):
        where = f"{k.table}[{row.get('stt', i)}]" if k.many else k.table
        built.append(k.cls(**convert_fields(row, KIND_SPECS[k.name], where, problems, max_text)))
    if k.many:
        return tuple(built)
    return built[0] if built else None


def _encounter(ma_lk: str, head: dict[str, Any], cards: tuple[Card, ...], parts: dict[str, Any],
               staff: Mapping[str, Practitioner], *, ma_cskcb: str, version: str | None) -> Encounter:
    guardian_name = head.pop("guardian_name", None)
    guardian = Guardian(name=guardian_name, relation=head.pop("guardian_relation", None),
                        id_number=head.pop("guardian_id_number", None),
                        phone=head.pop("guardian_phone", None)) if guardian_name else None
    for n in contract.GUARDIAN_COLUMNS:
        head.pop(n, None)
    patient = Patient(**{n: v for n, v in head.items() if n in PATIENT_FIELDS}, guardian=guardian)
    episode = {n: v for n, v in head.items() if n not in PATIENT_FIELDS}
    enc = Encounter(ma_lk=ma_lk, ma_cskcb=ma_cskcb, patient=patient, cards=cards, source_version=version,
                    **episode, **parts)
    return with_referenced_staff(enc, staff)


def with_referenced_staff(enc: Encounter, staff: Mapping[str, Practitioner]) -> Encounter:
    """The encounter with ``practitioners`` = the staff its lines and papers name, by code."""
    refs = _staff_codes(enc)
    return _with_staff(enc, tuple(staff[c] for c in sorted(refs) if c in staff))


def _staff_codes(enc: Encounter) -> set[str]:
    objects: list[object] = [enc, *enc.drugs, *enc.services, *enc.lab_results, *enc.clinical_notes]
    objects += [o for o in (enc.discharge, enc.summary, enc.referral, enc.appointment, enc.sick_leave,
                            enc.pregnancy_rest) if o is not None]
    codes: set[str] = set()
    for obj in objects:
        for attr in STAFF_REFS:
            value = getattr(obj, attr, None)
            if value:
                codes.update(c.strip() for c in value.split(";") if c.strip())
    return codes


def _with_staff(enc: Encounter, practitioners: tuple[Practitioner, ...]) -> Encounter:
    if not practitioners:
        return enc
    return replace(enc, practitioners=practitioners)
