"""Card and visit-history lookup ``KQNhanLichSuKCB2024`` (PURE): request, result, code meanings.

Result codes are SEEN in [QLBV] ``config/__tech.php`` (bhyt-xml-spec.md §6.4). The grouping
into categories is ours: it tells reception what to do next.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class CardStatus(enum.StrEnum):
    VALID = "valid"                  # the card can be used (maybe with a note: new card issued)
    CHECK_IDENTITY = "check_identity"  # army/police card: check the holder's papers
    INVALID = "invalid"              # expired, withdrawn, moved, stopped, wrong data
    MISMATCH = "mismatch"            # name or birth date do not match the card
    OFFICER = "officer"              # the looking-up officer is not registered / name mismatch
    REQUEST = "request"              # our request was malformed
    AUTHENTICATION = "authentication"
    UNAVAILABLE = "unavailable"      # the gateway failed; try later


@dataclass(frozen=True, kw_only=True, slots=True)
class CardCode:
    code: str
    status: CardStatus
    meaning: str          # English gloss
    vi: str               # Vietnamese text as reception staff know it


def _c(code: str, status: CardStatus, meaning: str, vi: str) -> CardCode:
    return CardCode(code=code, status=status, meaning=meaning, vi=vi)


_S = CardStatus
CARD_CODES: Mapping[str, CardCode] = {c.code: c for c in (
    _c("000", _S.VALID, "Card valid", "Thẻ hợp lệ"),
    _c("001", _S.CHECK_IDENTITY, "Army BHXH card: check ID",
       "Thẻ do BHXH Bộ Quốc phòng quản lý, kiểm tra giấy tờ tùy thân"),
    _c("002", _S.CHECK_IDENTITY, "Police BHXH card: check ID",
       "Thẻ do BHXH Bộ Công an quản lý, kiểm tra giấy tờ tùy thân"),
    _c("003", _S.VALID, "Old card expired, new card issued", "Thẻ cũ hết giá trị, đã được cấp thẻ mới"),
    _c("004", _S.VALID, "Old card valid, new card issued", "Thẻ cũ còn giá trị, đã được cấp thẻ mới"),
    _c("010", _S.INVALID, "Card expired", "Thẻ hết giá trị sử dụng"),
    _c("050", _S.INVALID, "No card information", "Không thấy thông tin thẻ"),
    _c("051", _S.INVALID, "Wrong card number", "Mã thẻ không đúng"),
    _c("052", _S.INVALID, "Wrong province code (characters 4-5)", "Mã tỉnh cấp thẻ không đúng"),
    _c("053", _S.INVALID, "Wrong benefit code (character 3)", "Mã quyền lợi thẻ không đúng"),
    _c("054", _S.OFFICER, "Officer CCCD not registered", "CCCD cán bộ tra cứu chưa được đăng ký"),
    _c("055", _S.OFFICER, "Officer name does not match CCCD", "Họ tên cán bộ không khớp CCCD"),
    _c("060", _S.MISMATCH, "Wrong name", "Sai họ tên"),
    _c("061", _S.MISMATCH, "Wrong name (first letter correct)", "Sai họ tên (đúng ký tự đầu)"),
    _c("070", _S.MISMATCH, "Wrong date of birth", "Sai ngày sinh"),
    _c("100", _S.UNAVAILABLE, "Error reading card data", "Lỗi khi lấy dữ liệu số thẻ"),
    _c("101", _S.UNAVAILABLE, "Server error", "Lỗi server"),
    _c("110", _S.INVALID, "Card withdrawn", "Thẻ đã thu hồi"),
    _c("120", _S.INVALID, "Card reported decreased", "Thẻ đã báo giảm"),
    _c("121", _S.INVALID, "Decreased: moved to another province", "Thẻ báo giảm, chuyển ngoại tỉnh"),
    _c("122", _S.INVALID, "Decreased: moved within the province", "Thẻ báo giảm, chuyển nội tỉnh"),
    _c("123", _S.INVALID, "Decreased: re-increased in the same unit", "Thẻ báo giảm, tăng lại cùng đơn vị"),
    _c("124", _S.INVALID, "Decreased: stopped participating", "Thẻ báo giảm, dừng tham gia"),
    _c("130", _S.INVALID, "Child without card", "Trẻ em không xuất trình thẻ"),
    _c("205", _S.REQUEST, "Parameter format error", "Lỗi sai định dạng tham số"),
    _c("401", _S.AUTHENTICATION, "Authentication error", "Lỗi xác thực tài khoản"),
    _c("500", _S.UNAVAILABLE, "Server error", "Lỗi server"),
)}


def card_code(code: str) -> CardCode:
    """The meaning of a result code; unknown codes are reported as such, never guessed."""
    return CARD_CODES.get(code) or CardCode(code=code, status=CardStatus.REQUEST,
                                            meaning="Unknown result code", vi="Mã kết quả không xác định")


@dataclass(frozen=True, kw_only=True, slots=True)
class CardQuery:
    """One lookup. Patient data: never logged; the repr hides it."""

    ma_the: str = field(repr=False)        # card number (15 chars), 10-digit BHXH code or CCCD
    ho_ten: str = field(repr=False)
    ngay_sinh: str = field(repr=False)     # dd/MM/yyyy, or the year alone as printed on the card
    ho_ten_cb: str = field(repr=False)     # officer doing the lookup (registered by the facility)
    cccd_cb: str = field(repr=False)

    def body(self) -> dict[str, str]:
        return {"maThe": self.ma_the, "hoTen": self.ho_ten, "ngaySinh": self.ngay_sinh,
                "hoTenCb": self.ho_ten_cb, "cccdCb": self.cccd_cb}


@dataclass(frozen=True, kw_only=True, slots=True)
class CardResult:
    """The lookup answer. ``raw`` is the full reply, kept as evidence (patient data: store, never log)."""

    code: CardCode
    ma_the: str = field(default="", repr=False)
    gt_the_tu: str = field(default="", repr=False)       # dd/MM/yyyy as sent
    gt_the_den: str = field(default="", repr=False)
    ma_dkbd: str = ""
    ma_kv: str = ""
    ngay_du_5nam: str = field(default="", repr=False)
    ma_the_moi: str = field(default="", repr=False)
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)

    @property
    def usable(self) -> bool:
        return self.code.status in (CardStatus.VALID, CardStatus.CHECK_IDENTITY)


def parse_card_reply(data: Mapping[str, Any]) -> CardResult:
    """The result of a lookup reply (any ``maKetQua``; the caller decides what errors to raise)."""
    def text(key: str) -> str:
        value = data.get(key)
        return "" if value is None else str(value)

    return CardResult(code=card_code(text("maKetQua")), ma_the=text("maThe"), gt_the_tu=text("gtTheTu"),
                      gt_the_den=text("gtTheDen"), ma_dkbd=text("maDKBD"), ma_kv=text("maKV"),
                      ngay_du_5nam=text("ngayDu5Nam"), ma_the_moi=text("maTheMoi"), raw=dict(data))
