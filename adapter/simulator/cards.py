"""The simulator's card registry and the lookup verdict (PURE). Demo data is fictitious."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, kw_only=True, slots=True)
class CardRecord:
    """A card as BHXH would hold it. ``code`` is the verdict for a correct query (000, 010, 110...)."""

    ma_the: str
    ho_ten: str
    ngay_sinh: str            # dd/MM/yyyy
    gioi_tinh: str = "Nam"
    dia_chi: str = ""
    ma_dkbd: str = "79001"
    gt_the_tu: str = "01/01/2026"
    gt_the_den: str = "31/12/2026"
    ma_kv: str = ""
    ngay_du_5nam: str = ""
    ma_so_bhxh: str = ""
    cccd: str = ""
    code: str = "000"
    ma_the_moi: str = ""


def demo_cards() -> dict[str, CardRecord]:
    """A few fictitious cards covering the common verdicts; indexed by card number and CCCD."""
    records = (
        CardRecord(ma_the="DN4797900123456", ho_ten="Nguyễn Văn An", ngay_sinh="05/03/1990",
                   ma_so_bhxh="7990012345", cccd="079090001234"),
        CardRecord(ma_the="HT2797900765432", ho_ten="Trần Thị Bình", ngay_sinh="12/11/1955", gioi_tinh="Nữ",
                   gt_the_tu="01/01/2025", gt_the_den="31/12/2025", code="010", ma_so_bhxh="7990076543"),
        CardRecord(ma_the="GD4797900111111", ho_ten="Lê Minh Châu", ngay_sinh="20/07/2001",
                   code="004", ma_the_moi="GD4797900222222", ma_so_bhxh="7990011111"),
        CardRecord(ma_the="CN3797900333333", ho_ten="Phạm Văn Dũng", ngay_sinh="01/01/1980",
                   code="110", ma_so_bhxh="7990033333"),
        CardRecord(ma_the="QN5797900444444", ho_ten="Hoàng Quốc Em", ngay_sinh="09/09/1985",
                   code="001", ma_so_bhxh="7990044444"),
    )
    index: dict[str, CardRecord] = {}
    for record in records:
        for key in (record.ma_the, record.ma_so_bhxh, record.cccd):
            if key:
                index[key] = record
    return index


def demo_officers() -> dict[str, str]:
    """Registered lookup officers: CCCD -> full name (fictitious)."""
    return {"079085000001": "Võ Thị Tiếp Đón", "079085000002": "Đặng Văn Thu Ngân"}


def verdict(query: Mapping[str, str], cards: Mapping[str, CardRecord], officers: Mapping[str, str]) -> str:
    """The ``maKetQua`` BHXH would answer for a lookup, in the order the checks make sense."""
    if not all(query.get(k) for k in ("maThe", "hoTen", "ngaySinh", "hoTenCb", "cccdCb")):
        return "205"
    officer = officers.get(query["cccdCb"])
    if officer is None:
        return "054"
    if _fold(officer) != _fold(query["hoTenCb"]):
        return "055"
    record = cards.get(query["maThe"].strip().upper())
    if record is None:
        return "051" if len(query["maThe"]) == 15 else "050"
    return _person_verdict(query, record)


def _person_verdict(query: Mapping[str, str], record: CardRecord) -> str:
    if _fold(record.ho_ten) != _fold(query["hoTen"]):
        return "061" if _fold(record.ho_ten)[:1] == _fold(query["hoTen"])[:1] else "060"
    if _digits(record.ngay_sinh) != _digits(query["ngaySinh"]) and \
            _digits(query["ngaySinh"]) != _digits(record.ngay_sinh)[-4:]:
        return "070"
    return record.code


def reply(code: str, record: CardRecord | None) -> dict[str, Any]:
    """The reply JSON (documented field names of §6.4); card fields only when the card was found."""
    base: dict[str, Any] = {"maKetQua": code, "ghiChu": _NOTES.get(code, "")}
    if record is None or code in ("050", "051", "054", "055", "205"):
        return base
    return base | {
        "maThe": record.ma_the, "hoTen": record.ho_ten, "ngaySinh": record.ngay_sinh,
        "gioiTinh": record.gioi_tinh, "diaChi": record.dia_chi, "maDKBD": record.ma_dkbd,
        "cqBHXH": "BHXH mô phỏng", "gtTheTu": record.gt_the_tu, "gtTheDen": record.gt_the_den,
        "maKV": record.ma_kv, "ngayDu5Nam": record.ngay_du_5nam, "maSoBHXH": record.ma_so_bhxh,
        "maTheCu": "", "maTheMoi": record.ma_the_moi, "dsLichSuKCB2018": [], "dsLichSuKT2018": [],
    }


_NOTES = {
    "000": "Thẻ còn giá trị sử dụng (dữ liệu mô phỏng)",
    "004": "Thẻ cũ còn giá trị, đã được cấp thẻ mới (dữ liệu mô phỏng)",
    "010": "Thẻ hết giá trị sử dụng (dữ liệu mô phỏng)",
    "054": "CCCD cán bộ tra cứu chưa được đăng ký",
    "055": "Họ tên cán bộ không khớp CCCD",
    "205": "Lỗi sai định dạng tham số",
}


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())
