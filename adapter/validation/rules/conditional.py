"""Conditional requirements of spec §4.2 ([VALID] sheet), written out by hand."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from adapter.validation.issues import Issue
from adapter.validation.rules.base import Episode, Row, at, split_list
from adapter.validation.rules.structure import known_names


@dataclass(frozen=True, kw_only=True, slots=True)
class Condition:
    table: int
    fields: tuple[str, ...]
    when: Callable[[Row], bool]
    vi: str
    en: str


def _has(name: str) -> Callable[[Row], bool]:
    return lambda r: bool(r.get(name))


def _in_list(name: str, code: str) -> Callable[[Row], bool]:
    return lambda r: code in split_list(r.get(name, ""))


def _none_of(*names: str) -> Callable[[Row], bool]:
    return lambda r: not any(r.get(n) for n in names)


_TB = ("PHACDO_DTRI_LAO", "NGAYBD_DTRI_LAO", "NGAYKT_DTRI_LAO")
_PCR = ("LAN_XN_PCR", "NGAY_XN_PCR", "NGAY_KQ_XN_PCR", "MA_KQ_XN_PCR")
_ARV = ("NGAY_BAT_DAU_XU_TRI", "NGAY_KET_THUC_XU_TRI", "SO_NGAY_CAP_THUOC_ARV")
_LEAVE = ("SO_NGAY_NGHI", "NGOAITRU_TUNGAY", "NGOAITRU_DENNGAY")

def _c(table: int, fields: tuple[str, ...], when: Callable[[Row], bool], vi: str, en: str) -> Condition:
    return Condition(table=table, fields=fields, when=when, vi=vi, en=en)


def _code(name: str, *codes: str) -> Callable[[Row], bool]:
    return lambda r: r.get(name, "") in codes


def _except_blood(r: Row) -> bool:
    return r.get("MA_NHOM", "") not in ("7", "17")


def _tb_treated(r: Row) -> bool:
    return r.get("LOAI_DTRI_LAO", "0") not in ("0", "")


def _other_regimen(r: Row) -> bool:
    return r.get("MA_PHAC_DO_DIEU_TRI", "").upper() == "KHAC"


def _any_leave(r: Row) -> bool:
    return any(r.get(n) for n in _LEAVE)


CONDITIONS: tuple[Condition, ...] = (
    _c(0, ("LY_DO_VNT",), _has("NGAY_VAO_NOI_TRU"), "có NGAY_VAO_NOI_TRU", "NGAY_VAO_NOI_TRU is present"),
    _c(0, ("MA_DICH_VU",), _none_of("MA_THUOC", "MA_VAT_TU"), "MA_THUOC và MA_VAT_TU để trống",
       "MA_THUOC and MA_VAT_TU are empty"),
    _c(0, ("TEN_DICH_VU",), _has("MA_DICH_VU"), "có MA_DICH_VU", "MA_DICH_VU is present"),
    _c(0, ("TEN_THUOC",), _has("MA_THUOC"), "có MA_THUOC", "MA_THUOC is present"),
    _c(0, ("TEN_VAT_TU",), _has("MA_VAT_TU"), "có MA_VAT_TU", "MA_VAT_TU is present"),
    _c(2, ("TT_THAU", "SO_DANG_KY"), _except_blood, "MA_NHOM khác 7 và 17", "MA_NHOM is not 7 or 17"),
    _c(3, ("MA_DICH_VU",), _none_of("MA_VAT_TU"), "MA_VAT_TU để trống", "MA_VAT_TU is empty"),
    _c(3, ("TEN_DICH_VU",), _has("MA_DICH_VU"), "có MA_DICH_VU", "MA_DICH_VU is present"),
    _c(3, ("TEN_VAT_TU",), _has("MA_VAT_TU"), "có MA_VAT_TU", "MA_VAT_TU is present"),
    _c(3, ("TT_THAU",), _code("MA_NHOM", "10"), "MA_NHOM = 10", "MA_NHOM = 10"),
    _c(3, ("MA_XANG_DAU",), _code("MA_NHOM", "12"), "MA_NHOM = 12", "MA_NHOM = 12"),
    _c(3, ("NGUOI_THUC_HIEN", "NGAY_TH_YL"), _code("MA_NHOM", "1", "2", "3", "8", "18"),
       "MA_NHOM là 1, 2, 3, 8, 18", "MA_NHOM is 1, 2, 3, 8 or 18"),
    _c(4, ("NGAY_KQ",), _has("GIA_TRI"), "có GIA_TRI", "GIA_TRI is present"),
    _c(6, _TB, _tb_treated, "LOAI_DTRI_LAO khác 0", "LOAI_DTRI_LAO is not 0"),
    _c(6, _PCR, _in_list("MA_TINH_TRANG_DK", "1"), "MA_TINH_TRANG_DK có mã 1", "MA_TINH_TRANG_DK includes 1"),
    _c(6, _ARV, _in_list("MA_XU_TRI", "1"), "MA_XU_TRI có mã 1", "MA_XU_TRI includes 1"),
    _c(6, ("MA_BAC_PHAC_DO",), _other_regimen, "MA_PHAC_DO_DIEU_TRI là KHAC", "MA_PHAC_DO_DIEU_TRI is KHAC"),
    _c(7, ("NGUYENNHAN_DINHCHI", "THOIGIAN_DINHCHI", "TUOI_THAI"), _code("MA_DINH_CHI_THAI", "1"),
       "MA_DINH_CHI_THAI = 1", "MA_DINH_CHI_THAI = 1"),
    _c(7, _LEAVE, _any_leave, "có một trong SO_NGAY_NGHI, NGOAITRU_TUNGAY, NGOAITRU_DENNGAY",
       "any of SO_NGAY_NGHI, NGOAITRU_TUNGAY, NGOAITRU_DENNGAY is present"),
    _c(11, ("NGUYENNHAN_DINHCHI", "TUOI_THAI"), _code("MA_DINH_CHI_THAI", "1"), "MA_DINH_CHI_THAI = 1",
       "MA_DINH_CHI_THAI = 1"),
)


def check_conditions(ep: Episode) -> Iterator[Issue]:
    for cond in CONDITIONS:
        known = known_names(cond.table, ep.profile)
        for row_no, row in ep.located(cond.table):
            if not cond.when(row):
                continue
            for name in cond.fields:
                if name in known and not row.get(name):
                    yield at(
                        ep,
                        "FIELD_REQUIRED_IF",
                        cond.table,
                        row_no,
                        row,
                        name,
                        condition_vi=cond.vi,
                        condition_en=cond.en,
                    )
