"""A demo-like inpatient encounter that fills every field the health-book mapping reads.

Used by the tests, the benchmark and the mapping documentation; all values are invented.
``with_hiv=True`` adds an XML6 row, an ARV drug line, an HIV lab result and an HIV code.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

from adapter.model import (
    Appointment,
    Card,
    DischargePaper,
    DrugLine,
    Encounter,
    Facility,
    Guardian,
    HivCare,
    LabResult,
    Patient,
    Practitioner,
    RecordSummary,
    Referral,
    ServiceLine,
)

FACILITY = Facility(ma_cskcb="79001", name="Bệnh viện Đa khoa Demo", national_id="8930000000017",
                    address="1 Đường Demo, Quận 1, TP Hồ Chí Minh", head_practitioner="000123/HCM-GPHN")


def demo_facility() -> Facility:
    return FACILITY


def demo_encounter(*, ma_lk: str = "LK0001", with_hiv: bool = False) -> Encounter:
    enc = Encounter(
        ma_lk=ma_lk, ma_cskcb="79001", patient=_patient(), ma_loai_kcb="03", ma_doituong_kcb="1.1",
        ngay_vao=datetime(2026, 3, 2, 8, 15), ngay_ra=datetime(2026, 3, 9, 10, 30),
        ngay_vao_noi_tru=datetime(2026, 3, 2, 9, 0),
        cards=(Card(ma_the_bhyt="DN4797912345678", ma_dkbd="79001", gt_the_tu=date(2026, 1, 1),
                    gt_the_den=date(2026, 12, 31)),),
        ly_do_vv="Đau bụng hố chậu phải", ly_do_vnt="Theo dõi viêm ruột thừa",
        chan_doan_vao="Theo dõi viêm ruột thừa cấp", chan_doan_rv="Viêm ruột thừa cấp; tăng huyết áp",
        ma_benh_chinh="K35.8", ma_benh_kt="I10;E11.9", ma_pttt_qt="47.01",
        ma_noi_den="79002", so_ngay_dtri=8, pp_dieu_tri="Ngoại khoa", ket_qua_dtri="3", ma_loai_rv="2",
        ghi_chu="Tái khám sau 7 ngày", ngay_tai_kham="20260316", ma_noi_di="79003", ma_hsba="HSBA-2026-0001",
        ma_ttdv="000123/HCM-GPHN", can_nang=Decimal("62.50"), chieu_cao_cm=Decimal("165"),
        drugs=(_drug(),), services=_services(), lab_results=_labs(),
        discharge=DischargePaper(ma_bs="000456/HCM-GPHN", pp_dieutri="Phẫu thuật nội soi cắt ruột thừa",
                                 ghi_chu="Ăn nhẹ, vận động sớm"),
        summary=RecordSummary(qt_benhly="Đau bụng 1 ngày, sốt nhẹ", tomtat_kq="Bạch cầu tăng; siêu âm: "
                              "ruột thừa viêm", pp_dieutri="Phẫu thuật nội soi", ket_qua_dtri="3",
                              ghi_chu="Tái khám sau 7 ngày", ma_ttdv="000123/HCM-GPHN"),
        referral=_referral(), appointment=_appointment(), practitioners=_staff(),
    )
    return _add_hiv(enc) if with_hiv else enc


def _patient() -> Patient:
    return Patient(
        ma_bn="BN000123", ho_ten="Nguyễn Văn An", ngay_sinh=datetime(1980, 5, 17), gioi_tinh="1",
        so_cccd="079080001234", nhom_mau="O+", ma_quoctich="000", ma_dantoc="01", ma_nghe_nghiep="21",
        dia_chi="12 Lê Lợi, Phường Bến Nghé, TP Hồ Chí Minh", matinh_cu_tru="79", mahuyen_cu_tru="760",
        maxa_cu_tru="26734", dien_thoai="0901234567",
        guardian=Guardian(name="Nguyễn Thị Bình", relation="Vợ", id_number="079185004321",
                          phone="0907654321"),
    )


def _drug() -> DrugLine:
    return DrugLine(ma_thuoc="40.152", ten_thuoc="Cefazolin", ham_luong="1g", duong_dung="2.15",
                    lieu_dung="1 lọ x 2 lần/ngày x 3 ngày", cach_dung="Tiêm tĩnh mạch chậm",
                    don_vi_tinh="Lọ", so_luong=Decimal("6"), ma_nhom="4", ma_bac_si="000456/HCM-GPHN",
                    ngay_yl=datetime(2026, 3, 2, 10, 0), nguon_ctra="1")


def _services() -> tuple[ServiceLine, ...]:
    return (
        ServiceLine(ma_dich_vu="10.0433.0558", ten_dich_vu="Phẫu thuật nội soi cắt ruột thừa", ma_nhom="8",
                    ma_pttt_qt="47.01", ngay_yl=datetime(2026, 3, 2, 11, 0),
                    ngay_th_yl=datetime(2026, 3, 2, 14, 0), ngay_kq=datetime(2026, 3, 2, 15, 10),
                    ma_bac_si="000456/HCM-GPHN", nguoi_thuc_hien="000456/HCM-GPHN;000789/HCM-GPHN",
                    ma_benh="K35.8", pp_vo_cam="1"),
        ServiceLine(ma_dich_vu="01.0150.0079", ten_dich_vu="Đặt sonde dạ dày", ma_nhom="18",
                    ngay_th_yl=datetime(2026, 3, 2, 13, 0), ngay_kq=datetime(2026, 3, 2, 13, 20),
                    nguoi_thuc_hien="000789/HCM-GPHN", ma_benh="K35.8"),
        ServiceLine(ma_dich_vu="22.0120.1369", ten_dich_vu="Tổng phân tích tế bào máu", ma_nhom="1"),
        ServiceLine(ma_dich_vu="18.0001.0001", ten_dich_vu="Siêu âm ổ bụng", ma_nhom="2"),
    )


def _labs() -> tuple[LabResult, ...]:
    return (
        LabResult(ma_dich_vu="22.0120.1369", ma_chi_so="WBC", ten_chi_so="Số lượng bạch cầu", gia_tri="14.2",
                  don_vi_do="G/L", ngay_kq=datetime(2026, 3, 2, 9, 30), ma_bs_doc_kq="000789/HCM-GPHN"),
        LabResult(ma_dich_vu="22.0120.1369", ma_chi_so="NEU%", ten_chi_so="Tỷ lệ bạch cầu trung tính",
                  gia_tri="82", don_vi_do="%", ngay_kq=datetime(2026, 3, 2, 9, 30)),
        LabResult(ma_dich_vu="18.0001.0001", ten_chi_so="Siêu âm ổ bụng", mo_ta="Ruột thừa đường kính 9 mm",
                  ket_luan="Hình ảnh viêm ruột thừa", ngay_kq=datetime(2026, 3, 2, 9, 45),
                  ma_bs_doc_kq="000789/HCM-GPHN"),
    )


def _referral() -> Referral:
    return Referral(so_hoso="CT-0001", giay_chuyen_tuyen="GCT-2026-0001", ma_noi_den="79002",
                    dau_hieu_ls="Sốt 38.5 độ", huong_dieu_tri="Điều trị tiếp tại tuyến trên",
                    ma_lydo_ct="2", ma_bac_si="000123/HCM-GPHN", ngay_ra=datetime(2026, 3, 9, 10, 30))


def _appointment() -> Appointment:
    return Appointment(so_giayhen_kl="GH-2026-0001", ngay_hen_kl=date(2026, 3, 16), ma_benh_chinh="K35.8",
                       ma_bac_si="000456/HCM-GPHN", ngay_ct=date(2026, 3, 9))


def _staff() -> tuple[Practitioner, ...]:
    return (
        Practitioner(code="000123/HCM-GPHN", name="Trần Văn Chủ", licence_no="000123/HCM-GPHN",
                     licence_kind="GPHN", title="Bác sĩ chuyên khoa II"),
        Practitioner(code="000456/HCM-GPHN", name="Lê Thị Dung", licence_no="000456/HCM-GPHN",
                     licence_kind="GPHN", title="Bác sĩ"),
        Practitioner(code="000789/HCM-GPHN", name="Phạm Văn Em", licence_no="000789/HCM-GPHN",
                     licence_kind="GPHN"),
    )


def _add_hiv(enc: Encounter) -> Encounter:
    arv = DrugLine(ma_thuoc="40.999", ten_thuoc="Tenofovir + Lamivudin + Dolutegravir",
                   ham_luong="300/300/50mg", duong_dung="1.01", lieu_dung="1 viên/ngày",
                   so_luong=Decimal("30"), don_vi_tinh="Viên", ma_nhom="4", nguon_ctra="3",
                   ngay_yl=datetime(2026, 3, 3, 8, 0))
    lab = LabResult(ma_dich_vu="22.0999.0001", ma_chi_so="HIVVL", ten_chi_so="Tải lượng HIV", gia_tri="40",
                    don_vi_do="copies/ml", ngay_kq=datetime(2026, 3, 3, 9, 0))
    care = HivCare(ngaykd_hiv=date(2020, 1, 10), bddt_arv=date(2020, 2, 1), ma_phac_do_dieu_tri="1a",
                   giai_doan_lam_sang="1", kq_xntl_vr="2", ma_cskcb="79001")
    return replace(enc, drugs=(*enc.drugs, arv), lab_results=(*enc.lab_results, lab), hiv_care=(care,),
                   ma_benh_kt="I10;E11.9;B20", chan_doan_rv="Viêm ruột thừa cấp; HIV giai đoạn 1")
