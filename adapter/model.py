"""The canonical model: frozen, keyword-only value objects.

Rows from a HIS are converted into these at the boundary (``adapter.his``);
mappers, validation and the FHIR builder only ever see these objects.

Naming: attributes that carry a field of the QĐ 130/4750/3176 tables use the
catalogue field name in lower case (``ma_the_bhyt``, ``ngay_vao``), the words hospital
IT already uses in its HIS views. The detail-table objects (drug lines, services,
results, certificates, ...) are generated from the catalogue into
``adapter.model_tables`` and re-exported here.

Rules every producer and consumer relies on:

* Money, quantities and rates are ``Decimal``, never float.
* Date-times are naive local time (Asia/Ho_Chi_Minh wall clock), as the tables want.
* ``None`` means empty; the mappers emit an empty element for it.
* Line amounts (THANH_TIEN_*, T_BNTT, ...) come from the HIS as billed; the adapter
  recomputes them in validation and reports differences. XML1 totals are always
  computed from the lines (``adapter.money``), never copied from the HIS.
* On XML6/7/8/9/13/14/15, an administrative field left ``None`` that XML1 also has
  (name, birth date, card, dates, diagnoses) takes the XML1 value.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from adapter.model_tables import (
    Appointment,
    BirthCertificate,
    ClinicalNote,
    DischargePaper,
    DrugLine,
    HivCare,
    LabResult,
    PregnancyRest,
    RecordSummary,
    Referral,
    ServiceLine,
    SickLeave,
    TbTreatment,
)

__all__ = [
    "Appointment",
    "BirthCertificate",
    "Card",
    "ClinicalNote",
    "DischargePaper",
    "DrugLine",
    "Encounter",
    "Facility",
    "Guardian",
    "HivCare",
    "LabResult",
    "Patient",
    "Practitioner",
    "PregnancyRest",
    "RecordSummary",
    "Referral",
    "ServiceLine",
    "SickLeave",
    "TbTreatment",
]


@dataclass(frozen=True, kw_only=True, slots=True)
class Facility:
    """A health facility (cơ sở KBCB)."""

    ma_cskcb: str                      # 5-character BHXH facility code
    name: str
    national_id: str | None = None     # 13-digit national facility id (GLN axis), not the BHXH code
    tax_code: str | None = None
    address: str | None = None
    head_practitioner: str | None = None   # MA_TTDV: licence (3176: GPHN) of the head who signs

    @property
    def ma_tinh(self) -> str:
        """Province code used by the gateway: the first two characters of MA_CSKCB."""
        return self.ma_cskcb[:2]


@dataclass(frozen=True, kw_only=True, slots=True)
class Practitioner:
    """A practitioner as the claim lines reference them (MA_BAC_SI, NGUOI_THUC_HIEN, MA_TTDV)."""

    code: str                          # the code used on claim lines (4750: CCHN, 3176: GPHN)
    name: str
    cccd: str | None = None
    licence_no: str | None = None
    licence_kind: str | None = None    # "CCHN" or "GPHN"
    title: str | None = None
    departments: tuple[str, ...] = ()
    valid_from: date | None = None
    valid_to: date | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Guardian:
    """Legal representative (health-book administrative group)."""

    name: str
    relation: str | None = None
    id_number: str | None = None
    phone: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Patient:
    """Administrative data of XML1 (and the health book)."""

    ma_bn: str
    ho_ten: str
    ngay_sinh: datetime                # 12 characters in the tables; time 00:00 when unknown
    gioi_tinh: str                     # 1 male, 2 female, 3 undetermined
    so_cccd: str | None = None
    nhom_mau: str | None = None
    ma_quoctich: str | None = None
    ma_dantoc: str | None = None
    ma_nghe_nghiep: str | None = None
    dia_chi: str | None = None
    matinh_cu_tru: str | None = None
    mahuyen_cu_tru: str | None = None
    maxa_cu_tru: str | None = None
    dien_thoai: str | None = None
    guardian: Guardian | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Card:
    """One BHYT card valid during the episode (several are joined with ";")."""

    ma_the_bhyt: str                   # 15 characters
    ma_dkbd: str                       # 5-character initial-registration facility
    gt_the_tu: date
    gt_the_den: date | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Encounter:
    """One finished visit or treatment episode (one MA_LK), with all its lines."""

    ma_lk: str
    ma_cskcb: str
    patient: Patient
    ma_loai_kcb: str                   # visit type, "01".."09" (QĐ 824), "10".."16" (QĐ 1804)
    ma_doituong_kcb: str               # patient category, e.g. "1.1", "2", "3.2", "9"
    ngay_vao: datetime
    ngay_ra: datetime
    cards: tuple[Card, ...] = ()
    ngay_mien_cct: date | None = None
    ma_khuvuc: str | None = None
    nam_nam_lien_tuc: date | None = None
    ngay_vao_noi_tru: datetime | None = None
    ngay_ttoan: datetime | None = None
    ly_do_vv: str | None = None
    ly_do_vnt: str | None = None
    ma_ly_do_vnt: str | None = None
    chan_doan_vao: str | None = None
    chan_doan_rv: str | None = None
    ma_benh_chinh: str | None = None
    ma_benh_kt: str | None = None      # ";" list, at most 12 codes
    ma_benh_yhct: str | None = None
    ma_pttt_qt: str | None = None
    ma_noi_di: str | None = None
    ma_noi_den: str | None = None
    ma_tai_nan: str | None = None
    giay_chuyen_tuyen: str | None = None
    so_ngay_dtri: int | None = None
    pp_dieu_tri: str | None = None
    ket_qua_dtri: str | None = None
    ma_loai_rv: str | None = None
    ghi_chu: str | None = None
    nam_qt: int | None = None
    thang_qt: int | None = None
    ma_khoa: str | None = None
    can_nang: Decimal | None = None
    can_nang_con: str | None = None
    ngay_tai_kham: str | None = None   # ";" list of yyyyMMdd
    ma_hsba: str | None = None
    ma_ttdv: str | None = None
    chieu_cao_cm: Decimal | None = None    # 3176 writes it into XML1 DU_PHONG
    du_phong: str | None = None            # explicit XML1 DU_PHONG (wins over the height)
    drugs: tuple[DrugLine, ...] = ()
    services: tuple[ServiceLine, ...] = ()
    lab_results: tuple[LabResult, ...] = ()
    clinical_notes: tuple[ClinicalNote, ...] = ()
    hiv_care: tuple[HivCare, ...] = ()
    discharge: DischargePaper | None = None
    summary: RecordSummary | None = None
    births: tuple[BirthCertificate, ...] = ()
    pregnancy_rest: PregnancyRest | None = None
    sick_leave: SickLeave | None = None
    referral: Referral | None = None
    appointment: Appointment | None = None
    tb_treatments: tuple[TbTreatment, ...] = ()
    practitioners: tuple[Practitioner, ...] = field(default=())  # those referenced by the lines
    source_version: str | None = None  # the HIS's own change marker (rowversion, updated_at), if any

    @property
    def is_insured(self) -> bool:
        return bool(self.cards)

    @property
    def settlement_year(self) -> int:
        return self.nam_qt if self.nam_qt is not None else (self.ngay_ttoan or self.ngay_ra).year

    @property
    def settlement_month(self) -> int:
        return self.thang_qt if self.thang_qt is not None else (self.ngay_ttoan or self.ngay_ra).month

    def cost_lines(self) -> Iterator[DrugLine | ServiceLine]:
        yield from self.drugs
        yield from self.services
