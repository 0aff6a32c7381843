"""The bad-HIS-row corpus: deterministic corruptions of a demo HIS, one per encounter.

Each :class:`HisCase` names what it breaks, which demo encounters it can apply to, the
SQL that breaks it and what the pipeline must make of it: held (``needs_fix``) with an
issue carrying ``rule`` at ``where`` (``TABLE.field`` of the stored issue, a prefix
match), or sent and accepted (text that is awkward for XML but legitimate data).

``assign(cases, generated)`` gives every case its own finished demo encounter (first
eligible one, in generation order) so the whole corpus runs as ONE HIS database
through ONE poll and ONE drain. Nothing here is random: the same corpus every run.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, text

from adapter.his.demo_data import GeneratedEncounter

Eligible = Callable[[GeneratedEncounter], bool]


@dataclass(frozen=True, kw_only=True, slots=True)
class Op:
    """One SQL statement, ``:ma_lk`` bound to the case's encounter."""

    sql: str
    params: dict[str, Any] = field(default_factory=dict)
    clone: tuple[str, int] | None = None  # (table, copies): copy row stt=1 that many times


@dataclass(frozen=True, kw_only=True, slots=True)
class HisCase:
    name: str
    category: str
    what: str  # one line for docs/bad-input.md
    ops: tuple[Op, ...]
    rule: str | None  # None: the record is legitimate and must be accepted
    where: str = ""  # "HIS.his_encounter.ngay_vao", "XML1.NGAY_RA", ...
    eligible: Eligible = field(default=lambda g: True)
    bug: str = ""  # a known defect: the case is expected to fail (strict xfail)
    warn: bool = False  # ``rule`` is a warning: the record is sent, the issue recorded where it belongs

    @property
    def held(self) -> bool:
        return self.rule is not None and not self.warn


# -- eligibility -----------------------------------------------------------------------------


def _any(g: GeneratedEncounter) -> bool:
    return True


def _insured(g: GeneratedEncounter) -> bool:
    return bool(g.encounter.cards)


def _inpatient(g: GeneratedEncounter) -> bool:
    return g.encounter.discharge is not None


def _notes(g: GeneratedEncounter) -> bool:
    return bool(g.encounter.clinical_notes)


def _labs(g: GeneratedEncounter) -> bool:
    return bool(g.encounter.lab_results)


def _cccd(g: GeneratedEncounter) -> bool:
    return g.encounter.patient.so_cccd is not None


def _outpatient(g: GeneratedEncounter) -> bool:
    return g.encounter.ma_loai_kcb == "01" and bool(g.encounter.cards)


ELIGIBLE: dict[str, Eligible] = {
    "any": _any,
    "insured": _insured,
    "inpatient": _inpatient,
    "notes": _notes,
    "labs": _labs,
    "cccd": _cccd,
    "outpatient": _outpatient,
}

# -- statement builders ------------------------------------------------------------------------

_LINE_TABLES = {"his_drug_line", "his_service_line", "his_lab_result", "his_clinical_note", "his_card"}


def set_(table: str, column: str, value: Any) -> Op:
    row = " AND stt = 1" if table in _LINE_TABLES else ""
    return Op(sql=f"UPDATE {table} SET {column} = :v WHERE ma_lk = :ma_lk{row}", params={"v": value})


def shift(table: str, column: str, other: str, days: float) -> Op:
    """``column`` := ``other`` + ``days`` (SQLite date arithmetic on the stored text)."""
    row = " AND stt = 1" if table in _LINE_TABLES else ""
    return Op(
        sql=f"UPDATE {table} SET {column} = strftime('%Y-%m-%d %H:%M:%S.000000', {other}, "
        f"'{days:+} days') WHERE ma_lk = :ma_lk{row}"
    )


def clone(table: str, copies: int) -> Op:
    return Op(sql="", clone=(table, copies))


def delete(table: str) -> Op:
    return Op(sql=f"DELETE FROM {table} WHERE ma_lk = :ma_lk")


def apply(conn: Connection, case: HisCase, ma_lk: str) -> None:
    for op in case.ops:
        if op.clone is not None:
            _clone(conn, ma_lk, *op.clone)
        else:
            conn.execute(text(op.sql), {"ma_lk": ma_lk, **op.params})


def _clone(conn: Connection, ma_lk: str, table: str, copies: int) -> None:
    row = (
        conn.execute(text(f"SELECT * FROM {table} WHERE ma_lk = :m AND stt = 1"), {"m": ma_lk})
        .mappings()
        .one()
    )
    top = conn.execute(text(f"SELECT MAX(stt) FROM {table} WHERE ma_lk = :m"), {"m": ma_lk}).scalar_one()
    names = list(row.keys())
    insert = text(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(':' + n for n in names)})")
    conn.execute(insert, [{**row, "stt": top + i} for i in range(1, copies + 1)])


# -- the cases ------------------------------------------------------------------------------


def _case(
    name: str,
    category: str,
    what: str,
    ops: Sequence[Op],
    rule: str | None,
    where: str = "",
    eligible: str = "any",
    bug: str = "",
    warn: bool = False,
) -> HisCase:
    return HisCase(
        name=name,
        category=category,
        what=what,
        ops=tuple(ops),
        rule=rule,
        where=where,
        eligible=ELIGIBLE[eligible],
        bug=bug,
        warn=warn,
    )


HEADER_REQUIRED = (
    "ma_bn",
    "ho_ten",
    "ngay_sinh",
    "gioi_tinh",
    "ma_loai_kcb",
    "ma_doituong_kcb",
    "ngay_vao",
    "ngay_ra",
)


def _nulls() -> Iterator[HisCase]:
    for col in HEADER_REQUIRED:
        for label, value in (("null", None), ("empty", "")):
            yield _case(
                f"enc_{col}_{label}",
                "null",
                f"his_encounter.{col} is {label.upper()}",
                [set_("his_encounter", col, value)],
                "HIS_REQUIRED",
                f"HIS.his_encounter.{col}",
            )
    yield _case(
        "card_number_empty",
        "null",
        "his_card.ma_the_bhyt is ''",
        [set_("his_card", "ma_the_bhyt", "")],
        "HIS_REQUIRED",
        "HIS.his_card[1].ma_the_bhyt",
        "insured",
    )
    yield _case(
        "card_dkbd_empty",
        "null",
        "his_card.ma_dkbd is ''",
        [set_("his_card", "ma_dkbd", "")],
        "HIS_REQUIRED",
        "HIS.his_card[1].ma_dkbd",
        "insured",
    )
    for table, col, xml, name in (
        ("his_drug_line", "ma_thuoc", "XML2", "MA_THUOC"),
        ("his_drug_line", "ten_thuoc", "XML2", "TEN_THUOC"),
        ("his_drug_line", "so_luong", "XML2", "SO_LUONG"),
        ("his_drug_line", "don_gia", "XML2", "DON_GIA"),
        ("his_drug_line", "ngay_yl", "XML2", "NGAY_YL"),
        ("his_drug_line", "ma_khoa", "XML2", "MA_KHOA"),
        ("his_drug_line", "ma_bac_si", "XML2", "MA_BAC_SI"),
        ("his_drug_line", "don_vi_tinh", "XML2", "DON_VI_TINH"),
        ("his_service_line", "ma_nhom", "XML3", "MA_NHOM"),
        ("his_service_line", "so_luong", "XML3", "SO_LUONG"),
        ("his_service_line", "ngay_yl", "XML3", "NGAY_YL"),
        ("his_service_line", "ma_khoa", "XML3", "MA_KHOA"),
    ):
        yield _case(
            f"{table[4:]}_{col}_null",
            "null",
            f"{table}[1].{col} is NULL",
            [set_(table, col, None)],
            "FIELD_REQUIRED",
            f"{xml}.{name}",
        )


_BAD_DATES = (
    ("feb30", "2025-02-30 08:00:00"),
    ("month13", "2025-13-01 08:00:00"),
    ("compact_feb30", "202502301000"),
    ("words", "yesterday"),
    ("zeros", "0000-00-00 00:00:00"),
    ("hour25", "2025-03-03 25:00:00"),
)


def _dates() -> Iterator[HisCase]:
    for col in ("ngay_sinh", "ngay_vao", "ngay_ra", "ngay_ttoan"):
        for label, value in _BAD_DATES:
            yield _case(
                f"enc_{col}_{label}",
                "impossible date",
                f"his_encounter.{col} = {value!r}",
                [set_("his_encounter", col, value)],
                "HIS_BAD_DATE",
                f"HIS.his_encounter.{col}",
            )
    for table, col, eligible in (
        ("his_drug_line", "ngay_yl", "any"),
        ("his_drug_line", "ngay_th_yl", "any"),
        ("his_service_line", "ngay_yl", "any"),
        ("his_lab_result", "ngay_kq", "labs"),
        ("his_clinical_note", "thoi_diem_dbls", "notes"),
        ("his_discharge", "ngay_ct", "inpatient"),
    ):
        where = f"HIS.{table}[1].{col}" if table in _LINE_TABLES else f"HIS.{table}.{col}"
        yield _case(
            f"{table[4:]}_{col}_feb30",
            "impossible date",
            f"{table}.{col} = '2025-02-30'",
            [set_(table, col, "2025-02-30 08:00:00")],
            "HIS_BAD_DATE",
            where,
            eligible,
        )
    for col in ("gt_the_tu", "gt_the_den"):
        yield _case(
            f"card_{col}_feb29",
            "impossible date",
            f"his_card.{col} = '2025-02-29' (not a leap year)",
            [set_("his_card", col, "2025-02-29")],
            "HIS_BAD_DATE",
            f"HIS.his_card[1].{col}",
            "insured",
        )


def _order() -> Iterator[HisCase]:
    yield _case(
        "discharge_before_admission",
        "date order",
        "NGAY_RA one day before NGAY_VAO",
        [shift("his_encounter", "ngay_ra", "ngay_vao", -1)],
        "DATE_ORDER",
        "XML1.NGAY_RA",
    )
    yield _case(
        "discharge_equals_admission_minus_1min",
        "date order",
        "NGAY_RA a minute before NGAY_VAO",
        [shift("his_encounter", "ngay_ra", "ngay_vao", -1 / 1440)],
        "DATE_ORDER",
        "XML1.NGAY_RA",
    )
    yield _case(
        "payment_before_discharge",
        "date order",
        "NGAY_TTOAN two days before NGAY_RA",
        [shift("his_encounter", "ngay_ttoan", "ngay_ra", -2)],
        "DATE_ORDER",
        "XML1.NGAY_TTOAN",
    )
    yield _case(
        "inpatient_before_admission",
        "date order",
        "NGAY_VAO_NOI_TRU before NGAY_VAO",
        [shift("his_encounter", "ngay_vao_noi_tru", "ngay_vao", -1)],
        "DATE_ORDER",
        "XML1.NGAY_VAO_NOI_TRU",
        "inpatient",
    )
    yield _case(
        "born_after_admission",
        "date order",
        "NGAY_SINH after NGAY_VAO",
        [shift("his_encounter", "ngay_sinh", "ngay_vao", 30)],
        "DATE_ORDER",
        "XML1.NGAY_VAO",
    )
    yield _case(
        "drug_done_before_order",
        "date order",
        "XML2 NGAY_TH_YL before NGAY_YL",
        [shift("his_drug_line", "ngay_th_yl", "ngay_yl", -1)],
        "DATE_ORDER",
        "XML2.NGAY_TH_YL",
    )
    yield _case(
        "card_ends_before_start",
        "date order",
        "card GT_THE_DEN before GT_THE_TU",
        [shift("his_card", "gt_the_den", "gt_the_tu", -30)],
        "CARD_VALIDITY",
        "XML1.GT_THE_DEN",
        "insured",
    )
    yield _case(
        "card_expired_before_visit",
        "date order",
        "card valid only in 2019",
        [set_("his_card", "gt_the_tu", "2019-01-01"), set_("his_card", "gt_the_den", "2019-12-31")],
        "CARD_NOT_VALID_ON_VISIT",  # a warning by design: the card may have been renewed at the desk
        "XML1.NGAY_VAO",
        "insured",
        warn=True,
    )
    yield _case(
        "treatment_days_negative",
        "date order",
        "SO_NGAY_DTRI = -3",
        [set_("his_encounter", "so_ngay_dtri", -3)],
        "FIELD_NOT_NUMBER",
        "XML1.SO_NGAY_DTRI",
        "inpatient",
    )


def _numbers() -> Iterator[HisCase]:
    for table, xml in (("his_drug_line", "XML2"), ("his_service_line", "XML3")):
        short = table[4:]
        yield _case(
            f"{short}_quantity_negative",
            "negative quantity",
            f"{table}[1].so_luong = -10",
            [set_(table, "so_luong", -10)],
            "MONEY_LINE_TOTAL",
            f"{xml}.THANH_TIEN_BV",
        )
        yield _case(
            f"{short}_quantity_text",
            "not a number",
            f"{table}[1].so_luong = 'mười'",
            [set_(table, "so_luong", "mười")],
            "HIS_BAD_NUMBER",
            f"HIS.{table}[1].so_luong",
        )
        for label, value in (("nan", "NaN"), ("inf", "Infinity"), ("exp", "1e999999")):
            yield _case(
                f"{short}_quantity_{label}",
                "not a number",
                f"{table}[1].so_luong = {value!r}",
                [set_(table, "so_luong", value)],
                "HIS_BAD_NUMBER",
                f"HIS.{table}[1].so_luong",
            )
        yield _case(
            f"{short}_ratio_150",
            "out of range",
            f"{table}[1].tyle_tt_bh = 150",
            [set_(table, "tyle_tt_bh", 150)],
            "MONEY_RATIO_RANGE",
            f"{xml}.TYLE_TT_BH",
        )
        yield _case(
            f"{short}_benefit_120",
            "out of range",
            f"{table}[1].muc_huong = 120",
            [set_(table, "muc_huong", 120)],
            "MONEY_RATIO_RANGE",
            f"{xml}.MUC_HUONG",
        )
        yield _case(
            f"{short}_total_off",
            "money formula",
            f"{table}[1].thanh_tien_bv off by 1000",
            [
                Op(
                    sql=f"UPDATE {table} SET thanh_tien_bv = thanh_tien_bv + 1000 "
                    "WHERE ma_lk = :ma_lk AND stt = 1"
                )
            ],
            "MONEY_LINE_TOTAL",
            f"{xml}.THANH_TIEN_BV",
        )
    yield _case(
        "drug_price_negative",
        "negative quantity",
        "his_drug_line[1].don_gia = -5000",
        [set_("his_drug_line", "don_gia", -5000)],
        "MONEY_LINE_TOTAL",
        "XML2.THANH_TIEN_BV",
    )
    yield _case(
        "treatment_days_text",
        "not a number",
        "so_ngay_dtri = '3.5'",
        [set_("his_encounter", "so_ngay_dtri", "3.5")],
        "HIS_BAD_NUMBER",
        "HIS.his_encounter.so_ngay_dtri",
    )
    yield _case(
        "weight_text",
        "not a number",
        "can_nang = 'sáu mươi'",
        [set_("his_encounter", "can_nang", "sáu mươi")],
        "HIS_BAD_NUMBER",
        "HIS.his_encounter.can_nang",
    )


def _codes() -> Iterator[HisCase]:
    for col, value, rule, where, eligible in (
        ("ma_loai_kcb", "99", "CODE_NOT_IN_LIST", "XML1.MA_LOAI_KCB", "any"),
        ("ma_loai_kcb", 1, "CODE_NOT_IN_LIST", "XML1.MA_LOAI_KCB", "any"),  # integer column: '01' -> '1'
        ("ma_doituong_kcb", "X.9", "CODE_NOT_IN_LIST", "XML1.MA_DOITUONG_KCB", "any"),
        ("gioi_tinh", "7", "CODE_NOT_IN_LIST", "XML1.GIOI_TINH", "any"),
        ("ket_qua_dtri", "9", "CODE_NOT_IN_LIST", "XML1.KET_QUA_DTRI", "any"),
        ("ma_loai_rv", "8", "CODE_NOT_IN_LIST", "XML1.MA_LOAI_RV", "any"),
        ("so_cccd", "12345", "CCCD_FORMAT", "XML1.SO_CCCD", "cccd"),
        ("so_cccd", "0790912345678", "CCCD_FORMAT", "XML1.SO_CCCD", "cccd"),
        ("ma_doituong_kcb", "", "HIS_REQUIRED", "HIS.his_encounter.ma_doituong_kcb", "outpatient"),
    ):
        yield _case(
            f"enc_{col}_{value!s}_unknown".replace(".", "_"),
            "unknown code",
            f"his_encounter.{col} = {value!r}",
            [set_("his_encounter", col, value)],
            rule,
            where,
            eligible,
        )
    for col, value, rule, where in (
        ("ma_the_bhyt", "XX1234", "CARD_FORMAT", "XML1.MA_THE_BHYT"),
        ("ma_the_bhyt", "DN9797912345678", "CARD_FORMAT", "XML1.MA_THE_BHYT"),
        ("ma_dkbd", "ABC", "FACILITY_CODE_FORMAT", "XML1.MA_DKBD"),
    ):
        yield _case(
            f"card_{col}_{value}",
            "unknown code",
            f"his_card.{col} = {value!r}",
            [set_("his_card", col, value)],
            rule,
            where,
            "insured",
        )
    for table, col, value, rule, where in (
        ("his_drug_line", "ma_nhom", "99", "CODE_NOT_IN_LIST", "XML2.MA_NHOM"),
        ("his_drug_line", "duong_dung", "2.10.1", "FIELD_TOO_LONG", "XML2.DUONG_DUNG"),
        ("his_drug_line", "pham_vi", "7", "CODE_NOT_IN_LIST", "XML2.PHAM_VI"),
        ("his_service_line", "ma_nhom", "77", "CODE_NOT_IN_LIST", "XML3.MA_NHOM"),
        ("his_service_line", "ma_giuong", "GIUONG-1", "BED_CODE_FORMAT", "XML3.MA_GIUONG"),
        ("his_service_line", "goi_vtyt", "G?", "GOI_VTYT_FORMAT", "XML3.GOI_VTYT"),
    ):
        yield _case(
            f"{table[4:]}_{col}_unknown",
            "unknown code",
            f"{table}[1].{col} = {value!r}",
            [set_(table, col, value)],
            rule,
            where,
        )


def _oversize() -> Iterator[HisCase]:
    for col, size, rule, where in (
        ("ho_ten", 300, "FIELD_TOO_LONG", "XML1.HO_TEN"),
        ("ma_bn", 200, "FIELD_TOO_LONG", "XML1.MA_BN"),
        ("dia_chi", 2000, "FIELD_TOO_LONG", "XML1.DIA_CHI"),
        ("ghi_chu", 100_000, "HIS_TEXT_TOO_LONG", "HIS.his_encounter.ghi_chu"),
        ("chan_doan_rv", 100_000, "HIS_TEXT_TOO_LONG", "HIS.his_encounter.chan_doan_rv"),
        ("ly_do_vv", 70_000, "HIS_TEXT_TOO_LONG", "HIS.his_encounter.ly_do_vv"),
    ):
        yield _case(
            f"enc_{col}_{size}",
            "oversize text",
            f"his_encounter.{col}: {size:,} characters",
            [set_("his_encounter", col, "Â" * size)],
            rule,
            where,
        )
    yield _case(
        "drug_name_5000",
        "oversize text",
        "his_drug_line[1].ten_thuoc: 5,000 characters",
        [set_("his_drug_line", "ten_thuoc", "x" * 5000)],
        "FIELD_TOO_LONG",
        "XML2.TEN_THUOC",
    )
    yield _case(
        "lab_description_100k",
        "oversize text",
        "his_lab_result[1].mo_ta: 100,000 characters",
        [set_("his_lab_result", "mo_ta", "ả" * 100_000)],
        "HIS_TEXT_TOO_LONG",
        "HIS.his_lab_result[1].mo_ta",
        "labs",
    )


_BAD_UTF8 = (
    ("continuation", b"Nguy\x80n"),
    ("truncated", b"Nguy\xe1\xbb"),
    ("overlong", b"\xc0\xaf"),
    ("surrogate", b"\xed\xa0\x80"),
    ("latin1", b"Nguy\xeanV\xe3n"),
    ("ff", b"\xff\xfe\xff"),
)


def _utf8() -> Iterator[HisCase]:
    for label, raw in _BAD_UTF8:
        yield _case(
            f"enc_ho_ten_utf8_{label}",
            "invalid UTF-8",
            f"his_encounter.ho_ten = BLOB {raw!r}",
            [set_("his_encounter", "ho_ten", raw)],
            "HIS_BAD_UTF8",
            "HIS.his_encounter.ho_ten",
        )
    for table, col, eligible in (
        ("his_encounter", "dia_chi", "any"),
        ("his_drug_line", "ten_thuoc", "any"),
        ("his_clinical_note", "dien_bien_ls", "notes"),
        ("his_lab_result", "ket_luan", "labs"),
        ("his_discharge", "ghi_chu", "inpatient"),
    ):
        where = f"HIS.{table}[1].{col}" if table in _LINE_TABLES else f"HIS.{table}.{col}"
        yield _case(
            f"{table[4:]}_{col}_utf8",
            "invalid UTF-8",
            f"{table}.{col} = BLOB b'\\xc3\\x28'",
            [set_(table, col, b"\xc3\x28")],
            "HIS_BAD_UTF8",
            where,
            eligible,
        )


def _nfd(value: str) -> str:
    return unicodedata.normalize("NFD", value)


def _legit_text() -> Iterator[HisCase]:
    """Awkward but legitimate text: normalised or escaped, and the record is sent."""
    texts = (
        ("nfd", _nfd("Nguyễn Thị Hồng Nhung"), ""),
        ("cdata_end", "a ]]> b", ""),
        ("cdata_end_twice", "]]>]]>", ""),
        ("cdata_open", "<![CDATA[x]]>", ""),
        ("entity_decl", '<!ENTITY xxe SYSTEM "file:///etc/passwd">', ""),   # CDATA: only text
        ("doctype", "<!DOCTYPE html>", ""),
        ("entity_ref", "&xxe; &amp; &#0; &lt;", ""),
        ("tag_injection", "</GHI_CHU><MA_LK>X</MA_LK>", ""),
        ("lt_amp", "a < b && c > d", ""),
        ("cr_lf", "dòng 1\r\ndòng 2\rdòng 3", ""),
        ("emoji", "Bệnh nhân 🙂 ổn định", ""),
        ("nbsp_zwj", "A\u00a0B\u200dC", ""),
        ("bidi", "\u202eabc", ""),
    )
    for label, value, bug in texts:
        yield _case(
            f"ghi_chu_{label}",
            "awkward text (sent)",
            f"his_encounter.ghi_chu = {value!r}",
            [set_("his_encounter", "ghi_chu", value)],
            None,
            bug=bug,
        )
    for table, col, eligible in (
        ("his_encounter", "ho_ten", "any"),
        ("his_encounter", "dia_chi", "any"),
        ("his_drug_line", "ten_thuoc", "any"),
        ("his_encounter", "chan_doan_rv", "any"),
        ("his_clinical_note", "dien_bien_ls", "notes"),
    ):
        yield _case(
            f"{table[4:]}_{col}_nfd",
            "NFD text (sent)",
            f"{table}.{col} in NFD",
            [
                Op(
                    sql=f"UPDATE {table} SET {col} = :v WHERE ma_lk = :ma_lk",
                    params={"v": _nfd("Trần Thị Ánh Tuyết, Quận Ba Đình")},
                )
            ],
            None,
            eligible=eligible,
        )
    for table, col, eligible in (
        ("his_drug_line", "ten_thuoc", "any"),
        ("his_clinical_note", "dien_bien_ls", "notes"),
        ("his_lab_result", "ket_luan", "labs"),
    ):
        yield _case(
            f"{table[4:]}_{col}_cdata_end",
            "awkward text (sent)",
            f"{table}[1].{col} holds ']]>'",
            [set_(table, col, "kết quả ]]> bình thường")],
            None,
            eligible=eligible,
        )


_CONTROLS = (
    ("nul", "\x00"),
    ("bel", "\x07"),
    ("vt", "\x0b"),
    ("esc", "\x1b"),
    ("us", "\x1f"),
    ("fffe", "\ufffe"),
)


def _controls() -> Iterator[HisCase]:
    for label, ch in _CONTROLS:
        yield _case(
            f"enc_ho_ten_ctrl_{label}",
            "control character",
            f"his_encounter.ho_ten holds U+{ord(ch):04X}",
            [set_("his_encounter", "ho_ten", f"Nguyễn{ch}Văn")],
            "TEXT_CONTROL_CHAR",
            "XML1.HO_TEN",

        )
    for table, col, xml, eligible in (
        ("his_drug_line", "ten_thuoc", "XML2.TEN_THUOC", "any"),
        ("his_encounter", "chan_doan_rv", "XML1.CHAN_DOAN_RV", "any"),
        ("his_clinical_note", "dien_bien_ls", "XML5.DIEN_BIEN_LS", "notes"),
    ):
        yield _case(
            f"{table[4:]}_{col}_ctrl",
            "control character",
            f"{table}.{col} holds U+0001",
            [set_(table, col, "a\x01b")],
            "TEXT_CONTROL_CHAR",
            xml,
            eligible,

        )


def _volume() -> Iterator[HisCase]:
    yield _case(
        "drug_lines_5000",
        "enormous line count",
        "5,000 extra copies of drug line 1 (sent whole)",
        [clone("his_drug_line", 5000)],
        None,
    )
    yield _case(
        "lab_results_1000",
        "enormous line count",
        "1,000 extra copies of lab result 1 (sent whole)",
        [clone("his_lab_result", 1000)],
        None,
        eligible="labs",
    )
    yield _case(
        "drug_lines_1000_one_bad",
        "enormous line count",
        "1,000 extra drug lines, line 1 with a negative quantity",
        [clone("his_drug_line", 1000), set_("his_drug_line", "so_luong", -1)],
        "MONEY_LINE_TOTAL",
        "XML2.THANH_TIEN_BV",
    )


def cases() -> tuple[HisCase, ...]:
    """Every HIS case, in a stable order."""
    return (
        *_nulls(),
        *_dates(),
        *_order(),
        *_numbers(),
        *_codes(),
        *_oversize(),
        *_utf8(),
        *_legit_text(),
        *_controls(),
        *_volume(),
    )


def assign(all_cases: Sequence[HisCase], generated: Sequence[GeneratedEncounter]) -> dict[str, HisCase]:
    """MA_LK -> case: each case on its own finished encounter (the strictest eligibility first)."""
    free = [g for g in generated if g.finished]
    out: dict[str, HisCase] = {}
    order = sorted(all_cases, key=lambda c: sum(1 for g in free if c.eligible(g)))
    for case in order:
        g = next((g for g in free if case.eligible(g)), None)
        if g is None:
            raise ValueError(f"no demo encounter left for case {case.name}: generate more encounters")
        free.remove(g)
        out[g.encounter.ma_lk] = case
    return out
