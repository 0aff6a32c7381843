"""Where each table's values come from: XML1 and XML0 from the encounter, detail rows
from the ``model_tables`` objects the encounter carries.

XML1 values are keyed by the 4750 field name and keep their model types; the table
plan formats them. The same dictionary is the fallback of the administrative fields
of XML6/7/8/9/13/14/15 (``plans.INHERITING_TABLES``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from datetime import date, datetime
from typing import Any

from adapter.catalogue import Profile
from adapter.mappers.format import stamp8
from adapter.model import DrugLine, Encounter, Facility, RecordSummary, ServiceLine
from adapter.money import episode_totals

# Table -> the encounter attribute holding its rows (a tuple) or its one record.
ROWS: dict[int, str] = {
    2: "drugs", 3: "services", 4: "lab_results", 5: "clinical_notes", 6: "hiv_care",
    7: "discharge", 8: "summary", 9: "births", 10: "pregnancy_rest", 11: "sick_leave",
    13: "referral", 14: "appointment", 15: "tb_treatments",
}

_PATIENT = ("ma_bn", "ho_ten", "so_cccd", "ngay_sinh", "gioi_tinh", "nhom_mau", "ma_quoctich",
            "ma_dantoc", "ma_nghe_nghiep", "dia_chi", "matinh_cu_tru", "mahuyen_cu_tru",
            "maxa_cu_tru", "dien_thoai")
_ENCOUNTER = ("ma_lk", "ma_cskcb", "ma_loai_kcb", "ma_doituong_kcb", "ngay_vao", "ngay_ra",
              "ngay_mien_cct", "ma_khuvuc", "nam_nam_lien_tuc", "ngay_vao_noi_tru", "ngay_ttoan",
              "ly_do_vv", "ly_do_vnt", "ma_ly_do_vnt", "chan_doan_vao", "chan_doan_rv",
              "ma_benh_chinh", "ma_benh_kt", "ma_benh_yhct", "ma_pttt_qt", "ma_noi_di", "ma_noi_den",
              "ma_tai_nan", "giay_chuyen_tuyen", "so_ngay_dtri", "pp_dieu_tri", "ket_qua_dtri",
              "ma_loai_rv", "ghi_chu", "ma_khoa", "can_nang", "can_nang_con", "ngay_tai_kham",
              "ma_hsba")


def _joined(values: Sequence[object]) -> str | None:
    """A ";" list, one entry per card, empty entries kept so positions stay aligned."""
    if not values:
        return None
    return ";".join("" if v is None else stamp8(v) if isinstance(v, date) else str(v) for v in values)


def card_values(encounter: Encounter) -> dict[str, Any]:
    cards = encounter.cards
    return {"MA_THE_BHYT": _joined([c.ma_the_bhyt for c in cards]),
            "MA_DKBD": _joined([c.ma_dkbd for c in cards]),
            "GT_THE_TU": _joined([c.gt_the_tu for c in cards]),
            "GT_THE_DEN": _joined([c.gt_the_den for c in cards])}


def _du_phong(encounter: Encounter, profile: Profile) -> object:
    # 3176 repurposes XML1 DU_PHONG as the height in cm; an explicit value still wins.
    if encounter.du_phong is not None or profile != "3176":
        return encounter.du_phong
    return encounter.chieu_cao_cm


def xml1_values(encounter: Encounter, profile: Profile, facility: Facility | None = None) -> dict[str, Any]:
    """Every XML1 value by 4750 field name, with the model's types."""
    patient = encounter.patient
    values: dict[str, Any] = {a.upper(): getattr(patient, a) for a in _PATIENT}
    values.update({a.upper(): getattr(encounter, a) for a in _ENCOUNTER})
    values.update(card_values(encounter))
    totals = episode_totals(encounter)
    values.update({f.name.upper(): getattr(totals, f.name) for f in fields(totals)})
    head = facility.head_practitioner if facility is not None else None
    values.update(STT=1, NAM_QT=encounter.settlement_year, THANG_QT=encounter.settlement_month,
                  MA_TTDV=encounter.ma_ttdv or head, DU_PHONG=_du_phong(encounter, profile))
    return values


def _yl_key(line: DrugLine | ServiceLine) -> tuple[bool, datetime]:
    return (line.ngay_yl is None, line.ngay_yl or datetime.max)


def first_cost(encounter: Encounter, since: datetime | None = None) -> DrugLine | ServiceLine | None:
    """The first cost line by order time (NGAY_YL), optionally at or after ``since``."""
    lines = sorted(encounter.cost_lines(), key=_yl_key)
    if since is not None:
        later = [x for x in lines if x.ngay_yl is not None and x.ngay_yl >= since]
        lines = later or lines
    return lines[0] if lines else None


def _first_cost_values(line: DrugLine | ServiceLine | None) -> dict[str, Any]:
    if line is None:
        return {}
    if isinstance(line, DrugLine):
        return {"MA_THUOC": line.ma_thuoc, "TEN_THUOC": line.ten_thuoc, "NGAY_YL": line.ngay_yl}
    if line.ma_vat_tu:     # a supply line: the check-in names the supply, not the service
        return {"MA_VAT_TU": line.ma_vat_tu, "TEN_VAT_TU": line.ten_vat_tu, "NGAY_YL": line.ngay_yl}
    return {"MA_DICH_VU": line.ma_dich_vu, "TEN_DICH_VU": line.ten_dich_vu, "NGAY_YL": line.ngay_yl}


def checkin_values(encounter: Encounter, *, inpatient: bool = False) -> dict[str, Any]:
    """The one XML0 row: reception check-in, or (``inpatient``) the treatment-department one."""
    patient = encounter.patient
    values: dict[str, Any] = {a.upper(): getattr(patient, a) for a in ("ma_bn", "ho_ten", "so_cccd",
                                                                      "ngay_sinh", "gioi_tinh")}
    values.update(card_values(encounter))
    values.update(MA_LK=encounter.ma_lk, STT=1, MA_DOITUONG_KCB=encounter.ma_doituong_kcb,
                  NGAY_VAO=encounter.ngay_vao, MA_LOAI_KCB=encounter.ma_loai_kcb,
                  MA_CSKCB=encounter.ma_cskcb)
    since = None
    if inpatient:
        since = encounter.ngay_vao_noi_tru
        values.update(NGAY_VAO_NOI_TRU=encounter.ngay_vao_noi_tru, LY_DO_VNT=encounter.ly_do_vnt,
                      MA_LY_DO_VNT=encounter.ma_ly_do_vnt)
    values.update(_first_cost_values(first_cost(encounter, since)))
    return values


def summary_derivable(encounter: Encounter) -> bool:
    """An XML8 can be built without a HIS summary when the discharge diagnosis is known."""
    return encounter.summary is not None or bool(encounter.chan_doan_rv)


def derived_summary(encounter: Encounter) -> RecordSummary:
    """The XML8 record when the HIS has none: treatment method and document date from the
    episode; everything else falls back to XML1 or stays empty for validation to report."""
    return RecordSummary(pp_dieutri=encounter.pp_dieu_tri, ngay_ct=encounter.ngay_ra.date())


def table_rows(number: int, encounter: Encounter) -> tuple[object, ...]:
    """The model objects of a detail table (a flat table has at most one)."""
    held = getattr(encounter, ROWS[number])
    if number == 8 and held is None and summary_derivable(encounter):
        held = derived_summary(encounter)
    if isinstance(held, tuple):
        return held
    return () if held is None else (held,)

