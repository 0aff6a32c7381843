"""Clean, hand-built episodes as parsed rows (element -> text), and XML writers for them.

Money is computed here with ``adapter.money``'s split functions and Decimal, the
way a correct HIS would, so that a clean sample has no issue at all.
"""

from __future__ import annotations

import base64
import copy
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from xml.sax.saxutils import escape

from adapter import catalogue
from adapter.catalogue import Profile
from adapter.money import split_3176, split_4750
from adapter.validation.parse import TableRows

Rows = dict[int, list[dict[str, str]]]
D = Decimal
HUNDRED = D(100)
MA_LK = "79001_2025_07_0012345_KB0001"


def r2(x: Decimal) -> Decimal:
    return x.quantize(D("0.01"), rounding=ROUND_HALF_UP)


def money(x: Decimal) -> str:
    return str(r2(x))


def blank(table: int, profile: Profile) -> dict[str, str]:
    return {f.name: "" for f in catalogue.fields(table, profile)}


def _split(row: dict[str, str], bv: Decimal, bh: Decimal, profile: Profile) -> None:
    nk = sum((D(row[n] or "0") for n in ("T_NGUONKHAC_NSNN", "T_NGUONKHAC_VTNN", "T_NGUONKHAC_VTTN",
                                          "T_NGUONKHAC_CL")), D(0))
    split = split_3176 if profile == "3176" else split_4750
    bntt, bncct, bhtt = split(bv, bh, D(row["MUC_HUONG"]), nk)
    row.update(THANH_TIEN_BV=money(bv), THANH_TIEN_BH=money(bh), T_NGUONKHAC=money(nk), T_BNTT=money(bntt),
               T_BNCCT=money(bncct), T_BHTT=money(bhtt))


def drug(profile: Profile, stt: int, qty: str, price: str, *, muc: str = "80", nsnn: str = "0",
         ratio: str = "100", yl: str = "202507010830") -> dict[str, str]:
    row = blank(2, profile)
    row.update(MA_LK=MA_LK, STT=str(stt), MA_THUOC="40.17", MA_NHOM="4", TEN_THUOC="Paracetamol",
               DON_VI_TINH="viên", HAM_LUONG="500mg", DUONG_DUNG="1.01", LIEU_DUNG="1 viên x 2 lần",
               SO_DANG_KY="VD-12345-10", TT_THAU="57/QĐ-TTMS;G1;N1;2022", PHAM_VI="1", TYLE_TT_BH=ratio,
               SO_LUONG=qty, DON_GIA=price, T_NGUONKHAC_NSNN=nsnn, T_NGUONKHAC_VTNN="0", T_NGUONKHAC_VTTN="0",
               T_NGUONKHAC_CL="0", MUC_HUONG=muc, MA_KHOA="K01", MA_BAC_SI="000123/HCM-GPHN",
               NGAY_YL=yl, NGAY_TH_YL=yl, MA_PTTT="1", NGUON_CTRA="1")
    bv = r2(D(qty) * D(price))
    _split(row, bv, r2(D(qty) * D(price) * D(ratio) / HUNDRED), profile)
    return row


def service(profile: Profile, stt: int, nhom: str, qty: str, price: str, *, muc: str = "80",
            supply: bool = False, yl: str = "202507010805", dv: str = "100") -> dict[str, str]:
    row = blank(3, profile)
    row.update(MA_LK=MA_LK, STT=str(stt), MA_NHOM=nhom, DON_VI_TINH="lần", PHAM_VI="1", SO_LUONG=qty,
               DON_GIA_BV=price, DON_GIA_BH=price, TYLE_TT_DV=dv, TYLE_TT_BH="100", MUC_HUONG=muc,
               T_NGUONKHAC_NSNN="0", T_NGUONKHAC_VTNN="0", T_NGUONKHAC_VTTN="0", T_NGUONKHAC_CL="0",
               MA_KHOA="K01", MA_BAC_SI="000123/HCM-GPHN", MA_BENH="J02.9", NGAY_YL=yl, MA_PTTT="1")
    if supply:
        row.update(MA_VAT_TU="N03.01.070", TEN_VAT_TU="Bơm tiêm", TT_THAU="57/QĐ-TTMS;G1;N1;2022")
    else:
        row.update(MA_DICH_VU="01.0001.1778", TEN_DICH_VU="Dịch vụ")
    if nhom in ("1", "2", "3", "8", "18"):
        row.update(NGUOI_THUC_HIEN="000456/HCM-GPHN", NGAY_TH_YL=yl, NGAY_KQ=yl)
    if nhom in ("14", "15", "16"):
        row.update(MA_GIUONG="H001")
    bv = r2(D(qty) * D(price) * D(dv) / HUNDRED)
    _split(row, bv, r2(D(qty) * D(price) * D(dv) / HUNDRED), profile)
    return row


def _xml1(profile: Profile, kind: str, vao: str, ra: str, days: str) -> dict[str, str]:
    row = blank(1, profile)
    row.update(MA_LK=MA_LK, STT="1", MA_BN="0012345", HO_TEN="Nguyễn Văn A", SO_CCCD="079090001234",
               NGAY_SINH="199003050000", GIOI_TINH="1", MA_QUOCTICH="000", MA_DANTOC="01",
               MA_NGHE_NGHIEP="00" if profile == "3176" else "00000", DIA_CHI="12 Lê Lợi, Quận 1",
               MATINH_CU_TRU="79", MAHUYEN_CU_TRU="760", MAXA_CU_TRU="26740", MA_THE_BHYT="DN4797900123456",
               MA_DKBD="79001", GT_THE_TU="20250101", GT_THE_DEN="20251231", LY_DO_VV="Ho, sốt",
               CHAN_DOAN_VAO="Viêm họng cấp", CHAN_DOAN_RV="Viêm họng cấp", MA_BENH_CHINH="J02.9",
               MA_DOITUONG_KCB="1.1", NGAY_VAO=vao, NGAY_RA=ra, SO_NGAY_DTRI=days, KET_QUA_DTRI="2",
               MA_LOAI_RV="1", NGAY_TTOAN=ra, NAM_QT=ra[:4], THANG_QT=str(int(ra[4:6])), MA_LOAI_KCB=kind,
               MA_KHOA="K01", MA_CSKCB="79001", CAN_NANG="60.00", MA_HSBA="KB0001",
               MA_TTDV="0000000000" if profile == "4750" else "000789/HCM-GPHN")
    return row


def fill_totals(rows: Rows) -> None:
    drugs, services = rows.get(2, []), rows.get(3, [])
    lines = drugs + services

    def total(items: list[dict[str, str]], name: str) -> Decimal:
        return sum((D(x[name]) for x in items), D(0))

    tong_bh = total(lines, "THANH_TIEN_BH")
    rows[1][0].update(
        T_THUOC=money(total(drugs, "THANH_TIEN_BV")),
        T_VTYT=money(total([s for s in services if s["MA_VAT_TU"]], "THANH_TIEN_BV")),
        T_TONGCHI_BV=money(total(lines, "THANH_TIEN_BV")), T_TONGCHI_BH=money(tong_bh),
        T_BNTT=money(total(lines, "T_BNTT")), T_BNCCT=money(total(lines, "T_BNCCT")),
        T_BHTT=money(tong_bh - total(lines, "T_BNCCT")), T_NGUONKHAC=money(total(lines, "T_NGUONKHAC")),
        T_BHTT_GDV=money(total([x for x in lines if x["MA_PTTT"] == "1"], "T_BHTT")))


def _date(ts: str) -> str:
    return ts[:8]


def outpatient(profile: Profile = "3176") -> Rows:
    """An exam visit (01) with an exam, a lab test, a supply and two drugs, one partly state-funded."""
    vao, ra = ("202507010800", "202507010930") if profile == "3176" else ("202407010800", "202407010930")
    yl = vao[:8] + "0830"
    rows: Rows = {1: [_xml1(profile, "01", vao, ra, "0")]}
    if profile == "4750":
        rows[1][0].update(GT_THE_TU="20240101", GT_THE_DEN="20241231")
    rows[2] = [drug(profile, 1, "10", "1500.5", yl=yl), drug(profile, 2, "2.5", "12000", nsnn="1000", yl=yl)]
    rows[3] = [service(profile, 1, "13", "1", "38500", yl=yl), service(profile, 2, "1", "1", "65000", yl=yl),
               service(profile, 3, "10", "2", "3150", supply=True, yl=yl)]
    fill_totals(rows)
    return rows


def _xml7(profile: Profile, vao: str, ra: str) -> dict[str, str]:
    row = blank(7, profile)
    row.update(MA_LK=MA_LK, SO_LUU_TRU="LT001", MA_YTE="YT001", MA_KHOA_RV="K03", NGAY_VAO=vao, NGAY_RA=ra,
               CHAN_DOAN_RV="Viêm phổi", PP_DIEUTRI="Nội khoa", MA_TTDV=rows_ttdv(profile),
               MA_BS="000123/HCM-GPHN", TEN_BS="Bác sĩ B", NGAY_CT=_date(ra))
    return row


def rows_ttdv(profile: Profile) -> str:
    return "0000000000" if profile == "4750" else "000789/HCM-GPHN"


def _xml8(profile: Profile, vao: str, ra: str) -> dict[str, str]:
    row = blank(8, profile)
    row.update(MA_LK=MA_LK, MA_LOAI_KCB="03", NGAY_VAO=vao, NGAY_RA=ra, CHAN_DOAN_VAO="Viêm phổi",
               CHAN_DOAN_RV="Viêm phổi", QT_BENHLY="Sốt ho", TOMTAT_KQ="X-quang", PP_DIEUTRI="Nội khoa",
               KET_QUA_DTRI="2", MA_TTDV=rows_ttdv(profile), NGAY_CT=_date(ra))
    return row


def inpatient(profile: Profile = "3176") -> Rows:
    """A three-day inpatient stay (03): exam, two bed-days, drugs, XML7 and XML8."""
    year = "2025" if profile == "3176" else "2024"
    vao, vnt, ra = f"{year}07010800", f"{year}07010900", f"{year}07031000"
    rows: Rows = {1: [_xml1(profile, "03", vao, ra, "3")]}
    rows[1][0].update(NGAY_VAO_NOI_TRU=vnt, LY_DO_VNT="Sốt cao", MA_KHOA="K01;K03",
                      GT_THE_TU=f"{year}0101", GT_THE_DEN=f"{year}1231", CHAN_DOAN_RV="Viêm phổi",
                      MA_BENH_CHINH="J18.9", MA_BENH_KT="I10;E11.9")
    rows[2] = [drug(profile, i, "2", "5000", yl=f"{year}0701{h}") for i, h in ((1, "1000"), (2, "2000"))]
    rows[3] = [service(profile, 1, "13", "1", "38500", yl=f"{year}07010805"),
               service(profile, 2, "15", "1", "250000", yl=f"{year}07011000"),
               service(profile, 3, "15", "1", "250000", yl=f"{year}07021000"),
               service(profile, 4, "2", "1", "120000", yl=f"{year}07011100")]
    rows[7] = [_xml7(profile, vao, ra)]
    rows[8] = [_xml8(profile, vao, ra)]
    fill_totals(rows)
    return rows


def checkin(profile: Profile = "3176") -> Rows:
    row = blank(0, profile)
    x1 = outpatient(profile)[1][0]
    for name in row:
        if name in x1:
            row[name] = x1[name]
    row.update(STT="1", MA_DICH_VU="01.0001.1778", TEN_DICH_VU="Khám", NGAY_YL=x1["NGAY_VAO"])
    return {0: [row]}


def tables(rows: Rows) -> dict[int, TableRows]:
    return {t: TableRows(table=t, rows=tuple(rs)) for t, rs in rows.items()}


def clone(rows: Rows) -> Rows:
    return copy.deepcopy(rows)


# -- XML writers (how a HIS exports them) ------------------------------------------------------

def _fields(row: Mapping[str, str]) -> str:
    return "".join(f"<{k}>{escape(v)}</{k}>" if v else f"<{k}/>" for k, v in row.items())


def table_xml(table: int, rows: list[dict[str, str]]) -> bytes:
    spec = catalogue.table(table)
    if spec.list_element is None:
        body = _fields(rows[0])
    else:
        items = "".join(f"<{spec.item_element}>{_fields(r)}</{spec.item_element}>" for r in rows)
        body = f"<{spec.list_element}>{items}</{spec.list_element}>"
    tail = "<CHUKYDONVI/>" if table == 0 else ""
    return f'<?xml version="1.0" encoding="utf-8"?>\n<{spec.root}>{body}{tail}</{spec.root}>'.encode()


def envelope_xml(rows: Rows, macskcb: str = "79001", files: list[tuple[str, bytes]] | None = None) -> bytes:
    parts = files if files is not None else [(f"XML{t}", table_xml(t, rs)) for t, rs in sorted(rows.items())]
    body = "".join(f"<FILEHOSO><LOAIHOSO>{code}</LOAIHOSO><NOIDUNGFILE>{base64.b64encode(data).decode()}"
                   f"</NOIDUNGFILE></FILEHOSO>" for code, data in parts)
    return ('<?xml version="1.0" encoding="utf-8"?>\n<GIAMDINHHS><THONGTINDONVI><MACSKCB>'
            f"{macskcb}</MACSKCB></THONGTINDONVI><THONGTINHOSO><NGAYLAP>20250701</NGAYLAP>"
            f"<SOLUONGHOSO>1</SOLUONGHOSO><DANHSACHHOSO><HOSO>{body}</HOSO></DANHSACHHOSO>"
            "</THONGTINHOSO><CHUKYDONVI/></GIAMDINHHS>").encode()
