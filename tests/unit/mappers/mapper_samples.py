"""Hand-built encounters for the mapper tests and the golden files."""

from __future__ import annotations

import dataclasses
import typing
import unicodedata
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from adapter.catalogue import PROFILES, fields
from adapter.mappers.format import kind_of
from adapter.mappers.xsd import VAGUE_NUMERIC
from adapter.model import Card, DrugLine, Encounter, Facility, Patient, ServiceLine
from adapter.model_tables import TABLE_CLASSES

FACILITY = Facility(ma_cskcb="79001", name="Bệnh viện Mẫu", head_practitioner="000123/HCM-GPHN")
# Under 4750 the head signs with a 10-digit medical ID, under 3176 with the GPHN licence.
FACILITY_4750 = dataclasses.replace(FACILITY, head_practitioner="7900012345")


def facility(profile: str = "3176") -> Facility:
    return FACILITY_4750 if profile == "4750" else FACILITY


def patient(profile: str = "3176") -> Patient:
    return Patient(ma_bn="0012345", ho_ten="Nguyễn Văn A", ngay_sinh=datetime(1990, 3, 5),
                   gioi_tinh="1", so_cccd="079090001234", ma_quoctich="000", ma_dantoc="01",
                   ma_nghe_nghiep="00000" if profile == "4750" else "00",
                   dia_chi="12 Lê Lợi, Phường Bến Nghé, Quận 1, TP Hồ Chí Minh",
                   matinh_cu_tru="79", mahuyen_cu_tru="760", maxa_cu_tru="26740")


def drug(code: str, name: str, qty: str, price: str, when: datetime) -> DrugLine:
    q, p = Decimal(qty), Decimal(price)
    total = (q * p).quantize(Decimal("0.01"))
    return DrugLine(ma_thuoc=code, ma_nhom="4", ten_thuoc=name, don_vi_tinh="Viên", ham_luong="500mg",
                    duong_dung="1.01", lieu_dung="1 viên * 2 lần/ngày * 5 ngày", cach_dung="Uống sau ăn",
                    so_dang_ky="VD-12345-10", tt_thau="123/QĐ-SYT;G1;N4;2024", pham_vi="1",
                    tyle_tt_bh=Decimal(100), so_luong=q, don_gia=p, thanh_tien_bv=total,
                    thanh_tien_bh=total, muc_huong=Decimal(100), t_nguonkhac=Decimal(0),
                    t_bntt=Decimal(0), t_bncct=Decimal(0), t_bhtt=total, ma_khoa="K01",
                    ma_bac_si="000001/HCM-CCHN", ngay_yl=when, ngay_th_yl=when, ma_pttt="1")


def service(code: str, name: str, price: str, when: datetime, group: str = "13") -> ServiceLine:
    p = Decimal(price)
    return ServiceLine(ma_dich_vu=code, ma_nhom=group, ten_dich_vu=name, don_vi_tinh="Lần", pham_vi="1",
                       so_luong=Decimal(1), don_gia_bv=p, don_gia_bh=p, tyle_tt_dv=Decimal(100),
                       tyle_tt_bh=Decimal(100), thanh_tien_bv=p, thanh_tien_bh=p, muc_huong=Decimal(100),
                       t_nguonkhac=Decimal(0), t_bntt=Decimal(0), t_bncct=Decimal(0), t_bhtt=p,
                       ma_khoa="K01", ma_bac_si="000001/HCM-CCHN", nguoi_thuc_hien="000001/HCM-CCHN",
                       ma_benh="J02.9", ngay_yl=when, ngay_th_yl=when, ngay_kq=when, ma_pttt="1")


def supply() -> ServiceLine:
    """A syringe used with the blood count: a supply line (T_VTYT) at an 80 % benefit level."""
    when = datetime(2025, 7, 1, 8, 20)
    return ServiceLine(ma_dich_vu="22.0120.1369", ma_vat_tu="N03.02.070", ma_nhom="10", goi_vtyt="G1",
                       ten_vat_tu="Bơm tiêm nhựa 5ml", don_vi_tinh="Cái", pham_vi="1",
                       so_luong=Decimal(1), don_gia_bv=Decimal("1250.5"), don_gia_bh=Decimal("1250.5"),
                       tt_thau="45/QĐ-BV;G2;N1;2024", tyle_tt_dv=Decimal(100), tyle_tt_bh=Decimal(100),
                       thanh_tien_bv=Decimal("1250.50"), thanh_tien_bh=Decimal("1250.50"),
                       muc_huong=Decimal(80), t_nguonkhac=Decimal(0), t_bntt=Decimal(0),
                       t_bncct=Decimal("250.10"), t_bhtt=Decimal("1000.40"), ma_khoa="K01",
                       ma_bac_si="000001/HCM-CCHN", ma_benh="J02.9", ngay_yl=when, ngay_th_yl=when,
                       ma_pttt="1")


def outpatient(profile: str = "3176") -> Encounter:
    """An outpatient exam with two drugs, two services and a supply (spec §2.4, extended);
    the occupation code has the profile's length (5 characters in 4750, 2 in 3176)."""
    return Encounter(
        ma_lk="79001_2025_07_0012345_KB0001", ma_cskcb="79001", patient=patient(profile),
        ma_loai_kcb="01", ma_doituong_kcb="1.1",
        ngay_vao=datetime(2025, 7, 1, 8, 0), ngay_ra=datetime(2025, 7, 1, 9, 30),
        ngay_ttoan=datetime(2025, 7, 1, 9, 35),
        cards=(Card(ma_the_bhyt="DN4797900123456", ma_dkbd="79001", gt_the_tu=date(2025, 1, 1),
                    gt_the_den=date(2025, 12, 31)),),
        ly_do_vv="Ho, sốt", chan_doan_vao="Viêm họng cấp", chan_doan_rv="Viêm họng cấp",
        ma_benh_chinh="J02.9", so_ngay_dtri=0, pp_dieu_tri="Điều trị nội khoa", ket_qua_dtri="2",
        ma_loai_rv="1", ma_khoa="K01", ma_benh_kt="R50.9",
        ghi_chu=unicodedata.normalize("NFD", "Tái khám nếu sốt > 38.5°C & ho kéo dài"),
        can_nang=Decimal("60"), ma_hsba="KB0001",
        chieu_cao_cm=Decimal("168"),
        drugs=(drug("40.17", "Paracetamol", "10", "1500", datetime(2025, 7, 1, 9, 0)),
               drug("40.1", "Amoxicilin", "10.5", "1428.5714", datetime(2025, 7, 1, 9, 1))),
        services=(service("01.1900.1888", "Khám Nội", "38500", datetime(2025, 7, 1, 8, 5), group="13"),
                  service("22.0120.1369", "Tổng phân tích tế bào máu", "46200",
                          datetime(2025, 7, 1, 8, 20), group="1"),
                  supply()),
    )


def _sample(number: int, name: str, hint: object, index: int) -> object:
    """A value of the attribute's type that fits its field in both profiles."""
    specs = [f for p in PROFILES for f in fields(number, p) if f.base_name == name.upper()]
    kinds = {kind_of(f.fmt, f"{p}") for f, p in zip(specs, PROFILES, strict=False)}
    sizes = [f.size for f in specs if f.size is not None]
    text = str(hint)
    if "datetime" in text:
        return datetime(2025, 7, 1, 8, index % 60)
    if "date" in text:
        return date(2025, 7, 1 + index % 28)
    if "Decimal" in text:
        return Decimal(index) + Decimal("0.5") if kinds & {"dec2", "dec3"} else Decimal(index % 9 + 1)
    if "int" in text:
        return index % 9 + 1
    if kinds & {"d8"}:
        return "20250701"
    if any(f.numeric and f.name not in VAGUE_NUMERIC for f in specs):
        return str(index % 9 + 1)
    return f"{name.upper()}-{index}"[: min(sizes, default=None)]


def filled(number: int) -> Any:
    """An instance of table ``number``'s ``model_tables`` class with every attribute set."""
    cls = TABLE_CLASSES[number]
    hints = typing.get_type_hints(cls)
    values = {f.name: _sample(number, f.name, hints[f.name], i + 1)
              for i, f in enumerate(dataclasses.fields(cls))}
    return cls(**values)


def full(profile: str = "3176") -> Encounter:
    """Every table present, every attribute set (the field-coverage and XSD tests)."""
    base = outpatient(profile)
    t = {n: filled(n) for n in TABLE_CLASSES}
    return dataclasses.replace(
        base, ma_loai_kcb="03", ngay_vao_noi_tru=datetime(2025, 7, 1, 8, 30), ly_do_vnt="Sốt cao",
        ma_ly_do_vnt="01", ngay_mien_cct=date(2025, 1, 1), ma_khuvuc="K1", nam_nam_lien_tuc=date(2020, 1, 1),
        ma_benh_kt="J00;J01", ma_benh_yhct="U50.001", ma_pttt_qt="89.01", ma_noi_di="79002",
        ma_noi_den="79003", ma_tai_nan="1", giay_chuyen_tuyen="CT01", ghi_chu="Tái khám sau 5 ngày",
        nam_qt=2025, thang_qt=7, du_phong="170",
        can_nang_con="3200", ngay_tai_kham="20250706",
        ma_ttdv="7900077777" if profile == "4750" else "000777/HCM-GPHN",
        patient=dataclasses.replace(base.patient, nhom_mau="O+", dien_thoai="0901234567"),
        drugs=(t[2], t[2]), services=(t[3],), lab_results=(t[4],), clinical_notes=(t[5],),
        hiv_care=(t[6],), discharge=t[7], summary=t[8], births=(t[9],), pregnancy_rest=t[10],
        sick_leave=t[11], referral=t[13], appointment=t[14], tb_treatments=(t[15],),
    )
