"""Deterministic demo encounters as model objects (pure: seed in, values out).

Both demo schemas (the view contract and the vendor-like ``xml130_bang*`` tables)
are written from these objects, so for the same seed they hold the same encounters,
and a reader test can compare what it extracts with what was generated.

Money follows spec §4.3: line amounts come from :func:`adapter.money.line_amounts`,
MUC_HUONG from the card's benefit digit, 100 when the episode's BHYT total is below
15 % of the base salary. Bed-days follow the §4.3 sanity rules (one per line, fewer
than SO_NGAY_DTRI, none for visit types 01/02, one exam fee for inpatients).
"""

from __future__ import annotations

import dataclasses
import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from adapter.his import demo_catalogue as cat
from adapter.his.assemble import with_referenced_staff
from adapter.model import (
    Appointment,
    Card,
    ClinicalNote,
    DischargePaper,
    DrugLine,
    Encounter,
    Facility,
    LabResult,
    Patient,
    Practitioner,
    RecordSummary,
    Referral,
    ServiceLine,
)
from adapter.money import drug_totals, line_amounts, service_totals

BASE_SALARY_2024_07 = Decimal(2_340_000)     # NĐ 73/2024, from 01/07/2024
BASE_SALARY_2023_07 = Decimal(1_800_000)     # NĐ 24/2023
DEFAULT_START = datetime(2025, 3, 3, 7, 0)
TT_THAU = "57/QĐ-SYT;G1;N1;2024"
_L = TypeVar("_L", DrugLine, ServiceLine)


@dataclass(frozen=True, kw_only=True, slots=True)
class GeneratedEncounter:
    """One demo encounter with the HIS-side state the model does not carry."""

    encounter: Encounter
    finished: bool
    updated_at: datetime


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def facility(ma_cskcb: str) -> Facility:
    return Facility(ma_cskcb=ma_cskcb, name=nfc("Bệnh viện Đa khoa Demo Sài Gòn"),
                    national_id="8930000000017", tax_code="0301234567",
                    address=nfc("125 Lê Lợi, Phường Bến Thành, TP Hồ Chí Minh"), head_practitioner=cat.HEAD)


def practitioners() -> tuple[Practitioner, ...]:
    return tuple(Practitioner(code=code, name=nfc(name), licence_no=code, licence_kind=kind, title=nfc(title),
                              departments=tuple(deps.split(";")), cccd=f"079{i % 2}85{i:06d}",
                              valid_from=date(2020, 1, 1))
                 for i, (code, name, title, kind, deps) in enumerate(cat.STAFF, start=1))


_STAFF = {p.code: p for p in practitioners()}


def base_salary(at: datetime) -> Decimal:
    return BASE_SALARY_2024_07 if at >= datetime(2024, 7, 1) else BASE_SALARY_2023_07


def money_profile(at: datetime) -> str:
    return "3176" if at >= datetime(2025, 1, 1) else "4750"


def _patient(rng: random.Random, n: int, at: datetime) -> Patient:
    male = rng.random() < 0.5
    name = " ".join((rng.choice(cat.FAMILY), rng.choice(cat.MIDDLE_M if male else cat.MIDDLE_F),
                     rng.choice(cat.GIVEN_M if male else cat.GIVEN_F)))
    born = date(rng.randint(1940, 2022), rng.randint(1, 12), rng.randint(1, 28))
    century = (born.year // 100 - 19) * 2 + (0 if male else 1)
    cccd = f"{rng.choice(cat.CCCD_PROVINCES)}{century}{born.year % 100:02d}{rng.randrange(10**6):06d}"
    street, ward, district, mahuyen, maxa = rng.choice(cat.ADDRESSES)
    return Patient(ma_bn=f"BN{n:08d}", ho_ten=nfc(name),
                   ngay_sinh=datetime.combine(born, datetime.min.time()),
                   gioi_tinh="1" if male else "2", so_cccd=cccd if at.year - born.year >= 14 else None,
                   nhom_mau=rng.choice(("A+", "B+", "O+", "AB+", None)), ma_quoctich="000", ma_dantoc="01",
                   ma_nghe_nghiep="00",
                   dia_chi=nfc(f"{rng.randint(1, 300)} {street}, {ward}, {district}, TP Hồ Chí Minh"),
                   matinh_cu_tru="79", mahuyen_cu_tru=mahuyen, maxa_cu_tru=maxa,
                   dien_thoai=f"09{rng.randrange(10**8):08d}")


def _card(rng: random.Random, at: datetime) -> tuple[Card, Decimal]:
    group, digit = rng.choice(cat.CARD_GROUPS)
    code = f"{group}{digit}79{rng.randrange(10**10):010d}"
    card = Card(ma_the_bhyt=code, ma_dkbd=rng.choice(cat.DKBD), gt_the_tu=date(at.year, 1, 1),
                gt_the_den=date(at.year, 12, 31))
    return card, cat.BENEFIT[digit]


@dataclass(frozen=True, kw_only=True, slots=True)
class _Visit:
    kind: str                 # MA_LOAI_KCB
    vao: datetime
    ra: datetime
    noi_tru: datetime | None
    doctor: str
    ma_khoa: str
    icd: tuple[str, str]
    insured: bool


def _visit(rng: random.Random, at: datetime) -> _Visit:
    kind = rng.choices(("01", "03", "02", "04"), weights=(70, 20, 5, 5))[0]
    if kind == "01":
        ra, noi_tru = at + timedelta(minutes=rng.randint(45, 240)), None
    elif kind == "02":
        ra, noi_tru = at + timedelta(days=rng.randint(3, 10), hours=rng.randint(0, 3)), None
    else:
        days = rng.randint(2, 8) if kind == "03" else rng.randint(1, 3)
        noi_tru = at + timedelta(minutes=rng.randint(30, 120))
        ra = at + timedelta(days=days, hours=rng.randint(1, 6))
    return _Visit(kind=kind, vao=at, ra=ra, noi_tru=noi_tru, doctor=rng.choice(cat.DOCTORS),
                  ma_khoa="K01" if kind == "01" else "K01;K03", icd=rng.choice(cat.ICD10),
                  insured=rng.random() >= 0.05)


def _order_time(rng: random.Random, v: _Visit) -> datetime:
    span = max(int((v.ra - v.vao).total_seconds() // 60) - 30, 1)
    return v.vao + timedelta(minutes=rng.randint(5, max(span, 6)))


def _drug(rng: random.Random, v: _Visit, d: cat.Drug) -> dict[str, Any]:
    bulk = d.unit in ("Chai", "Lọ")
    qty = Decimal(rng.choice((1, 2, 3)) if bulk else rng.choice((10, 14, 20, 30)))
    yl = _order_time(rng, v)
    return dict(ma_thuoc=d.code, ma_nhom=d.group, ten_thuoc=nfc(d.name), don_vi_tinh=nfc(d.unit),
                    ham_luong=nfc(d.strength), duong_dung=d.route, dang_bao_che=nfc(d.form),
                    lieu_dung=nfc("1 viên * 2 lần/ngày * 7 ngày"), cach_dung=nfc("Uống sau ăn"),
                    so_dang_ky=d.reg, tt_thau=nfc(TT_THAU), pham_vi="1",
                    tyle_tt_bh=d.ratio if v.insured else Decimal(0), so_luong=qty, don_gia=d.price,
                    ma_khoa=v.ma_khoa.split(";")[-1], ma_bac_si=v.doctor, ngay_yl=yl,
                    ngay_th_yl=yl + timedelta(minutes=10), ma_pttt="1", nguon_ctra="1")


def _service(rng: random.Random, v: _Visit, s: cat.Service, *, at: datetime | None = None) -> dict[str, Any]:
    yl = at or _order_time(rng, v)
    performs = s.group in ("1", "2", "3", "8", "18")
    return dict(ma_dich_vu=s.code or None, ma_vat_tu=s.supply_code, ma_nhom=s.group,
                       ten_dich_vu=nfc(s.name) if not s.supply_code else None,
                       ten_vat_tu=nfc(s.name) if s.supply_code else None, don_vi_tinh=nfc(s.unit),
                       pham_vi="1",
                       so_luong=Decimal(1), don_gia_bv=s.price_bv or s.price_bh,
                       don_gia_bh=s.price_bh if v.insured else Decimal(0),
                       tt_thau=nfc(TT_THAU) if s.supply_code else None, tyle_tt_dv=Decimal(100),
                       tyle_tt_bh=Decimal(100), ma_khoa=v.ma_khoa.split(";")[-1],
                       ma_giuong="H012" if s.group in ("14", "15") else None, ma_bac_si=v.doctor,
                       nguoi_thuc_hien=rng.choice(cat.TECHNICIANS) if performs else None, ma_benh=v.icd[0],
                       ngay_yl=yl, ngay_th_yl=yl + timedelta(minutes=5) if performs else None,
                       ngay_kq=yl + timedelta(minutes=40) if s.group in ("1", "2", "3") else None,
                       ma_pttt="1", ma_may=s.machine)


def _services(rng: random.Random, v: _Visit) -> list[tuple[dict[str, Any], cat.Service]]:
    exam = cat.EXAM_ON_DEMAND if rng.random() < 0.1 else cat.EXAM
    out = [(_service(rng, v, exam, at=v.vao + timedelta(minutes=5)), exam)]
    bed = cat.BED_INPATIENT if v.kind == "03" else cat.BED_DAYCARE
    if v.kind in ("03", "04"):
        # Admission and discharge day count as one day: fewer bed-days than SO_NGAY_DTRI.
        for day in range((v.ra.date() - v.vao.date()).days):
            out.append((_service(rng, v, bed, at=v.vao + timedelta(days=day, hours=1)), bed))
    room = max(3, rng.randint(3, 15)) - len(out)
    pool = (*cat.LABS, *cat.IMAGING, *cat.PROCEDURES, *cat.SUPPLIES)
    for s in rng.sample(pool, k=max(min(room, len(pool)), 2 if len(out) == 1 else 0)):
        out.append((_service(rng, v, s), s))
    return out


def _muc_huong(v: _Visit, benefit: Decimal, lines: list[DrugLine | ServiceLine]) -> Decimal:
    if not v.insured:
        return Decimal(0)
    total_bh = sum((drug_totals(x)[1] if isinstance(x, DrugLine) else service_totals(x)[1] for x in lines),
                   Decimal(0))
    return Decimal(100) if total_bh < base_salary(v.ra) * Decimal("0.15") else benefit


ZERO_AMOUNT = Decimal(0)


def _priced(cls: type[_L], kw: dict[str, Any], muc: Decimal, profile: str) -> _L:
    # Built from keyword dicts: dataclasses.replace dominated the generator's profile.
    # No other-source money in the demo: the four required T_NGUONKHAC_* amounts are explicit zeros.
    kw = {"t_nguonkhac_nsnn": ZERO_AMOUNT, "t_nguonkhac_vtnn": ZERO_AMOUNT, "t_nguonkhac_vttn": ZERO_AMOUNT,
          "t_nguonkhac_cl": ZERO_AMOUNT, **kw}
    a = line_amounts(cls(**kw, muc_huong=muc), profile)
    return cls(**kw, muc_huong=muc, thanh_tien_bv=a.thanh_tien_bv, thanh_tien_bh=a.thanh_tien_bh,
               t_nguonkhac=a.t_nguonkhac, t_bntt=a.t_bntt, t_bncct=a.t_bncct, t_bhtt=a.t_bhtt)


def _lab_results(rng: random.Random, priced: list[tuple[ServiceLine, cat.Service]]) -> list[LabResult]:
    out: list[LabResult] = []
    for line, s in priced:
        reader = rng.choice(cat.DOCTORS)
        for code, name, unit, value in s.indicators:
            out.append(LabResult(ma_dich_vu=line.ma_dich_vu, ma_chi_so=code, ten_chi_so=nfc(name),
                                 gia_tri=value, don_vi_do=nfc(unit), ngay_kq=line.ngay_kq,
                                 ma_bs_doc_kq=reader))
        if s.group in ("2", "3"):
            # Imaging has no numeric indicator: the service itself is the "indicator" named.
            out.append(LabResult(ma_dich_vu=line.ma_dich_vu, ma_chi_so=line.ma_dich_vu,
                                 ten_chi_so=line.ten_dich_vu,
                                 mo_ta=nfc("Hình ảnh trong giới hạn bình thường."),
                                 ket_luan=nfc("Chưa phát hiện bất thường."), ngay_kq=line.ngay_kq,
                                 ma_bs_doc_kq=reader))
    return out


def _notes(rng: random.Random, v: _Visit, tricky: str | None) -> list[ClinicalNote]:
    if v.kind == "01":
        return []
    days = min((v.ra.date() - v.vao.date()).days + 1, 6)
    notes = [ClinicalNote(dien_bien_ls=nfc(rng.choice(cat.NOTES)),
                          thoi_diem_dbls=v.vao + timedelta(days=d, hours=2),
                          nguoi_thuc_hien=v.doctor) for d in range(days)]
    if tricky:
        notes[0] = dataclasses.replace(notes[0], hoi_chan=tricky)
    return notes


def _cost_lines(rng: random.Random, v: _Visit, benefit: Decimal) -> tuple[list[DrugLine], list[ServiceLine],
                                                                             list[LabResult]]:
    drugs = [_drug(rng, v, d) for d in rng.sample(cat.DRUGS, k=rng.randint(3, 10))]
    services = _services(rng, v)
    muc = _muc_huong(v, benefit, [*(DrugLine(**d) for d in drugs), *(ServiceLine(**s) for s, _ in services)])
    profile = money_profile(v.ra)
    priced_drugs = [_priced(DrugLine, d, muc, profile) for d in drugs]
    priced_services = [(_priced(ServiceLine, s, muc, profile), c) for s, c in services]
    labs = _lab_results(rng, [(s, c) for s, c in priced_services if c.group in ("1", "2", "3")])
    return priced_drugs, [s for s, _ in priced_services], labs


def _papers(v: _Visit, p: Patient, ma_lk: str, tricky: str | None) -> dict[str, Any]:
    if v.kind not in ("03", "04"):
        return {}
    diag = nfc(v.icd[1])
    common: dict[str, Any] = {"ngay_vao": v.vao, "ngay_ra": v.ra, "chan_doan_rv": diag,
                              "pp_dieutri": nfc("Điều trị nội khoa"), "ma_ttdv": cat.HEAD,
                              "ngay_ct": v.ra.date()}
    return {
        "discharge": DischargePaper(so_luu_tru=f"LT{ma_lk[-8:]}", ma_yte=p.ma_bn, ma_khoa_rv="K03",
                                    ma_dinh_chi_thai="0", ghi_chu=tricky or nfc("Tái khám sau 1 tuần"),
                                    ma_bs=v.doctor, ten_bs=_staff_name(v.doctor), **common),
        "summary": RecordSummary(ma_loai_kcb=v.kind, chan_doan_vao=diag,
                                 qt_benhly=nfc("Vào viện vì " + diag.lower()),
                                 tomtat_kq=nfc("Xét nghiệm trong giới hạn bình thường"), ket_qua_dtri="2",
                                 ghi_chu=nfc("Ăn nhẹ, nghỉ ngơi"), **common),
    }


def _staff_name(code: str) -> str:
    return nfc(next(s[1] for s in cat.STAFF if s[0] == code))


def generate(*, encounters: int, seed: int, ma_cskcb: str = "79001",
             start: datetime | None = None) -> list[GeneratedEncounter]:
    """``encounters`` deterministic demo encounters, about one every six minutes from ``start``."""
    return list(iter_generate(encounters=encounters, seed=seed, ma_cskcb=ma_cskcb, start=start))


def iter_generate(*, encounters: int, seed: int, ma_cskcb: str = "79001",
                  start: datetime | None = None) -> Iterator[GeneratedEncounter]:
    """The same encounters as :func:`generate`, one at a time (flat memory for large demos)."""
    rng = random.Random(seed)
    at = start or DEFAULT_START
    for n in range(1, encounters + 1):
        at += timedelta(minutes=rng.randint(1, 11))
        yield _one(rng, n, at, ma_cskcb)


def _one(rng: random.Random, n: int, at: datetime, ma_cskcb: str) -> GeneratedEncounter:
    v = _visit(rng, at)
    patient = _patient(rng, n, at)
    ma_lk = f"{ma_cskcb}_{at:%Y_%m}_{patient.ma_bn}_{n:06d}"
    card, benefit = _card(rng, at) if v.insured else (None, Decimal(0))
    drugs, services, labs = _cost_lines(rng, v, benefit)
    tricky = rng.choice(cat.TRICKY_TEXTS) if rng.random() < 0.05 else None
    finished = rng.random() >= 0.03
    ttoan = v.ra + timedelta(minutes=rng.randint(10, 90)) if finished else None
    enc = Encounter(
        ma_lk=ma_lk, ma_cskcb=ma_cskcb, patient=patient, ma_loai_kcb=v.kind,
        ma_doituong_kcb=_category(rng, v, card, ma_cskcb), ngay_vao=v.vao, ngay_ra=v.ra,
        cards=(card,) if card else (), ngay_vao_noi_tru=v.noi_tru, ngay_ttoan=ttoan,
        ly_do_vv=nfc("Khám bệnh"), ly_do_vnt=nfc("Điều trị nội trú") if v.noi_tru else None,
        chan_doan_vao=nfc(v.icd[1]), chan_doan_rv=nfc(v.icd[1]), ma_benh_chinh=v.icd[0],
        so_ngay_dtri=0 if v.kind == "01" else (v.ra.date() - v.vao.date()).days + 1,
        ket_qua_dtri="1" if v.kind == "01" else "2", ma_loai_rv="1", ghi_chu=tricky,
        ma_khoa=v.ma_khoa, can_nang=Decimal(rng.randint(3500, 8500)) / 100,
        chieu_cao_cm=Decimal(rng.randint(100, 185)), ma_hsba=f"HS{n:08d}", ma_ttdv=cat.HEAD,
        drugs=tuple(drugs), services=tuple(services), lab_results=tuple(labs),
        clinical_notes=tuple(_notes(rng, v, tricky)), **_papers(v, patient, ma_lk, tricky),
    )
    enc = with_referenced_staff(_with_referral_or_appointment(rng, enc, v), _STAFF)
    return GeneratedEncounter(encounter=enc, finished=finished, updated_at=ttoan or v.ra)


def _category(rng: random.Random, v: _Visit, card: Card | None, ma_cskcb: str) -> str:
    if card is None:
        return "9"
    if rng.random() < 0.04:
        return "2"
    return "1.1" if card.ma_dkbd == ma_cskcb else "1.2"


def _with_referral_or_appointment(rng: random.Random, enc: Encounter, v: _Visit) -> Encounter:
    roll = rng.random()
    p = enc.patient
    admin: dict[str, Any] = {
        "ho_ten": p.ho_ten, "ngay_sinh": p.ngay_sinh, "gioi_tinh": p.gioi_tinh, "dia_chi": p.dia_chi,
        "ngay_vao": v.vao, "ngay_vao_noi_tru": v.noi_tru, "ngay_ra": v.ra, "chan_doan_rv": enc.chan_doan_rv,
        "ma_benh_chinh": enc.ma_benh_chinh, "ma_ttdv": cat.HEAD, "ma_cskcb": enc.ma_cskcb,
             "ma_the_bhyt": enc.cards[0].ma_the_bhyt if enc.cards else None}
    if roll < 0.05:
        ref = Referral(so_hoso=f"CT{enc.ma_lk[-6:]}", so_chuyentuyen=f"{v.ra:%Y}/{enc.ma_lk[-6:]}",
                       giay_chuyen_tuyen=f"GCT{enc.ma_lk[-6:]}", ma_noi_den="79010",
                       dau_hieu_ls=nfc("Đau ngực kéo dài, khó thở"),
                       qt_benhly=nfc("Điều trị nội khoa không đỡ"),
                       tomtat_kq=nfc("Điện tim có biến đổi ST"), pp_dieu_tri=nfc("Nội khoa"), ma_loai_rv="2",
                       ma_lydo_ct="2", huong_dieu_tri=nfc("Chuyển tuyến chuyên khoa tim mạch"),
                       phuongtien_vc=nfc("Xe cứu thương"), ma_bac_si=v.doctor, ma_quoctich=p.ma_quoctich,
                       ma_dantoc=p.ma_dantoc, ma_nghe_nghiep=p.ma_nghe_nghiep,
                       gt_the_den=f"{enc.cards[0].gt_the_den:%Y%m%d}" if enc.cards else None,
                       **admin)
        return dataclasses.replace(enc, referral=ref, ma_loai_rv="2", ma_noi_den="79010")
    if roll < 0.20:
        hen = (v.ra + timedelta(days=30)).date()
        app = Appointment(so_giayhen_kl=f"GH{enc.ma_lk[-6:]}", ngay_hen_kl=hen,
                          ma_doituong_kcb=enc.ma_doituong_kcb,
                          ma_bac_si=v.doctor, ngay_ct=v.ra.date(),
                          gt_the_den=f"{enc.cards[0].gt_the_den:%Y%m%d}" if enc.cards else None, **admin)
        return dataclasses.replace(enc, appointment=app, ngay_tai_kham=f"{hen:%Y%m%d}")
    return enc
