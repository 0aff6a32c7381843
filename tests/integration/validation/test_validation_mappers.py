"""The validator accepts what the mappers emit: a clean encounter built into a claim has no blocking issue."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal

import pytest

from adapter.catalogue import Profile
from adapter.mappers.envelope import build_checkin, build_claim
from adapter.mappers.policy import TablePolicy
from adapter.model import Card, DrugLine, Encounter, Facility, Patient, ServiceLine
from adapter.money import episode_totals, line_amounts
from adapter.validation.engine import validate_document

ZERO = Decimal(0)
WHEN = datetime(2025, 7, 1, 8, 30)


def _priced(line: DrugLine | ServiceLine, profile: Profile) -> DrugLine | ServiceLine:
    zeros = dict(t_nguonkhac_nsnn=ZERO, t_nguonkhac_vtnn=ZERO, t_nguonkhac_vttn=ZERO, t_nguonkhac_cl=ZERO)
    line = dataclasses.replace(line, **zeros)  # type: ignore[arg-type]
    a = line_amounts(line, profile)
    return dataclasses.replace(line, thanh_tien_bv=a.thanh_tien_bv, thanh_tien_bh=a.thanh_tien_bh,
                               t_nguonkhac=a.t_nguonkhac, t_bntt=a.t_bntt, t_bncct=a.t_bncct, t_bhtt=a.t_bhtt)


def _drug(profile: Profile) -> DrugLine:
    line = DrugLine(ma_thuoc="40.17", ma_nhom="4", ten_thuoc="Paracetamol", don_vi_tinh="Viên",
                    ham_luong="500mg", duong_dung="1.01", lieu_dung="1 viên x 2 lần",
                    so_dang_ky="VD-12345-10",
                    tt_thau="123/QĐ-SYT;G1;N4;2024", pham_vi="1", tyle_tt_bh=Decimal(100),
                    so_luong=Decimal(10), don_gia=Decimal("1500.5"), muc_huong=Decimal(80), ma_khoa="K01",
                    ma_bac_si="000001/HCM-GPHN", ngay_yl=WHEN, ngay_th_yl=WHEN, ma_pttt="1", nguon_ctra="1")
    return _priced(line, profile)  # type: ignore[return-value]


def _service(profile: Profile, group: str, code: str) -> ServiceLine:
    line = ServiceLine(ma_dich_vu=code, ma_nhom=group, ten_dich_vu="Dịch vụ", don_vi_tinh="Lần", pham_vi="1",
                       so_luong=Decimal(1), don_gia_bv=Decimal(46200), don_gia_bh=Decimal(46200),
                       tyle_tt_dv=Decimal(100), tyle_tt_bh=Decimal(100), muc_huong=Decimal(80), ma_khoa="K01",
                       ma_bac_si="000001/HCM-GPHN", nguoi_thuc_hien="000001/HCM-GPHN", ma_benh="J02.9",
                       ngay_yl=WHEN, ngay_th_yl=WHEN, ngay_kq=WHEN, ma_pttt="1")
    return _priced(line, profile)  # type: ignore[return-value]


def encounter(profile: Profile) -> Encounter:
    patient = Patient(ma_bn="0012345", ho_ten="Nguyễn Văn A", ngay_sinh=datetime(1990, 3, 5), gioi_tinh="1",
                      so_cccd="079090001234", ma_quoctich="000", ma_dantoc="01",
                      ma_nghe_nghiep="00" if profile == "3176" else "00000", dia_chi="12 Lê Lợi, Quận 1",
                      matinh_cu_tru="79", mahuyen_cu_tru="760", maxa_cu_tru="26740")
    return Encounter(
        ma_lk="79001_2025_07_0012345_KB0001", ma_cskcb="79001", patient=patient, ma_loai_kcb="01",
        ma_doituong_kcb="1.1", ngay_vao=datetime(2025, 7, 1, 8, 0), ngay_ra=datetime(2025, 7, 1, 9, 30),
        ngay_ttoan=datetime(2025, 7, 1, 9, 35),
        cards=(Card(ma_the_bhyt="DN4797900123456", ma_dkbd="79001", gt_the_tu=date(2025, 1, 1),
                    gt_the_den=date(2025, 12, 31)),),
        ly_do_vv="Ho, sốt", chan_doan_vao="Viêm họng cấp", chan_doan_rv="Viêm họng cấp",
        ma_benh_chinh="J02.9", so_ngay_dtri=0, ket_qua_dtri="2", ma_loai_rv="1", ma_khoa="K01",
        can_nang=Decimal(60), ma_hsba="KB0001",
        drugs=(_drug(profile),),
        services=(_service(profile, "13", "01.1900.1888"), _service(profile, "1", "22.0120.1369")))


def facility(profile: Profile) -> Facility:
    head = "000123/HCM-GPHN" if profile == "3176" else "7900012345"
    return Facility(ma_cskcb="79001", name="Bệnh viện Mẫu", head_practitioner=head)


@pytest.mark.parametrize("profile", ["3176", "4750"])
def test_generated_claim_has_no_blocking_issue(profile: Profile) -> None:
    enc = encounter(profile)
    assert episode_totals(enc).t_tongchi_bv > 0
    data = build_claim(enc, facility(profile), profile, created_on=date(2025, 7, 1), policy=TablePolicy())
    report = validate_document(data, profile)
    assert report.kind == "GIAMDINHHS" and report.ma_lk == enc.ma_lk
    assert [i.location + " " + i.rule for i in report.issues if i.blocking] == []


def test_generated_checkin_has_no_blocking_issue() -> None:
    report = validate_document(build_checkin(encounter("3176"), "3176"), "3176")
    assert report.kind == "XML0"
    assert [i.location + " " + i.rule for i in report.issues if i.blocking] == []
