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


def _nhom_in(*codes: str) -> Callable[[Row], bool]:
    return lambda r: r.get("MA_NHOM", "") in codes


def _in_list(name: str, code: str) -> Callable[[Row], bool]:
    return lambda r: code in split_list(r.get(name, ""))


def _none_of(*names: str) -> Callable[[Row], bool]:
    return lambda r: not any(r.get(n) for n in names)


_TB = ("PHACDO_DTRI_LAO", "NGAYBD_DTRI_LAO", "NGAYKT_DTRI_LAO")
_PCR = ("LAN_XN_PCR", "NGAY_XN_PCR", "NGAY_KQ_XN_PCR", "MA_KQ_XN_PCR")
_ARV = ("NGAY_BAT_DAU_XU_TRI", "NGAY_KET_THUC_XU_TRI", "SO_NGAY_CAP_THUOC_ARV")
_LEAVE = ("SO_NGAY_NGHI", "NGOAITRU_TUNGAY", "NGOAITRU_DENNGAY")

CONDITIONS: tuple[Condition, ...] = (
    Condition(
        table=0,
        fields=("LY_DO_VNT",),
        when=_has("NGAY_VAO_NOI_TRU"),
        vi="có NGAY_VAO_NOI_TRU",
        en="NGAY_VAO_NOI_TRU is present",
    ),
    Condition(
        table=0,
        fields=("MA_DICH_VU",),
        when=_none_of("MA_THUOC", "MA_VAT_TU"),
        vi="MA_THUOC và MA_VAT_TU để trống",
        en="MA_THUOC and MA_VAT_TU are empty",
    ),
    Condition(
        table=0,
        fields=("TEN_DICH_VU",),
        when=_has("MA_DICH_VU"),
        vi="có MA_DICH_VU",
        en="MA_DICH_VU is present",
    ),
    Condition(
        table=0, fields=("TEN_THUOC",), when=_has("MA_THUOC"), vi="có MA_THUOC", en="MA_THUOC is present"
    ),
    Condition(
        table=0, fields=("TEN_VAT_TU",), when=_has("MA_VAT_TU"), vi="có MA_VAT_TU", en="MA_VAT_TU is present"
    ),
    Condition(
        table=2,
        fields=("TT_THAU", "SO_DANG_KY"),
        when=lambda r: r.get("MA_NHOM", "") not in ("7", "17"),
        vi="MA_NHOM khác 7 và 17",
        en="MA_NHOM is not 7 or 17",
    ),
    Condition(
        table=3,
        fields=("MA_DICH_VU",),
        when=_none_of("MA_VAT_TU"),
        vi="MA_VAT_TU để trống",
        en="MA_VAT_TU is empty",
    ),
    Condition(
        table=3,
        fields=("TEN_DICH_VU",),
        when=_has("MA_DICH_VU"),
        vi="có MA_DICH_VU",
        en="MA_DICH_VU is present",
    ),
    Condition(
        table=3, fields=("TEN_VAT_TU",), when=_has("MA_VAT_TU"), vi="có MA_VAT_TU", en="MA_VAT_TU is present"
    ),
    Condition(table=3, fields=("TT_THAU",), when=_nhom_in("10"), vi="MA_NHOM = 10", en="MA_NHOM = 10"),
    Condition(table=3, fields=("MA_XANG_DAU",), when=_nhom_in("12"), vi="MA_NHOM = 12", en="MA_NHOM = 12"),
    Condition(
        table=3,
        fields=("NGUOI_THUC_HIEN", "NGAY_TH_YL"),
        when=_nhom_in("1", "2", "3", "8", "18"),
        vi="MA_NHOM là 1, 2, 3, 8, 18",
        en="MA_NHOM is 1, 2, 3, 8 or 18",
    ),
    Condition(table=4, fields=("NGAY_KQ",), when=_has("GIA_TRI"), vi="có GIA_TRI", en="GIA_TRI is present"),
    Condition(
        table=6,
        fields=_TB,
        when=lambda r: r.get("LOAI_DTRI_LAO", "0") not in ("0", ""),
        vi="LOAI_DTRI_LAO khác 0",
        en="LOAI_DTRI_LAO is not 0",
    ),
    Condition(
        table=6,
        fields=_PCR,
        when=_in_list("MA_TINH_TRANG_DK", "1"),
        vi="MA_TINH_TRANG_DK có mã 1",
        en="MA_TINH_TRANG_DK includes 1",
    ),
    Condition(
        table=6,
        fields=_ARV,
        when=_in_list("MA_XU_TRI", "1"),
        vi="MA_XU_TRI có mã 1",
        en="MA_XU_TRI includes 1",
    ),
    Condition(
        table=6,
        fields=("MA_BAC_PHAC_DO",),
        when=lambda r: r.get("MA_PHAC_DO_DIEU_TRI", "").upper() == "KHAC",
        vi="MA_PHAC_DO_DIEU_TRI là KHAC",
        en="MA_PHAC_DO_DIEU_TRI is KHAC",
    ),
    Condition(
        table=7,
        fields=("NGUYENNHAN_DINHCHI", "THOIGIAN_DINHCHI", "TUOI_THAI"),
        when=lambda r: r.get("MA_DINH_CHI_THAI") == "1",
        vi="MA_DINH_CHI_THAI = 1",
        en="MA_DINH_CHI_THAI = 1",
    ),
    Condition(
        table=7,
        fields=_LEAVE,
        when=lambda r: any(r.get(n) for n in _LEAVE),
        vi="có một trong SO_NGAY_NGHI, NGOAITRU_TUNGAY, NGOAITRU_DENNGAY",
        en="any of SO_NGAY_NGHI, NGOAITRU_TUNGAY, NGOAITRU_DENNGAY is present",
    ),
    Condition(
        table=11,
        fields=("NGUYENNHAN_DINHCHI", "TUOI_THAI"),
        when=lambda r: r.get("MA_DINH_CHI_THAI") == "1",
        vi="MA_DINH_CHI_THAI = 1",
        en="MA_DINH_CHI_THAI = 1",
    ),
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
