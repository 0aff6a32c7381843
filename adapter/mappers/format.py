"""Value formatting and XML text writing for the output tables (spec §3.2).

A field's *kind* comes from the catalogue format hint once per table plan; at run
time a formatter turns a model value into the exact characters of the element:

* date-times ``yyyyMMddHHmm``, dates ``yyyyMMdd`` (a ``date`` in a 12-character field
  gets ``0000``, a ``datetime`` in an 8-character field loses its time);
* amounts: ``Decimal`` rounded half-up to 2 places, always two decimals;
  quantities and unit prices: half-up to 3 places, trailing zeros dropped;
  other decimals (rates, benefit levels, height): plain, no exponent;
* text: ``adapter.text.clean`` (NFC, no control characters), never cut.

Free-text fields go in CDATA (as the vendor tools and BHXH samples do), every other
value is escaped. A CDATA section cannot contain ``]]>`` (it is split across two
sections) nor keep a CR (XML parsers turn it into LF), so a CR is written as a
character reference between sections.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from adapter.errors import DataError
from adapter.text import clean

Formatter = Callable[[object], str]

CENT = Decimal("0.01")
MILLI = Decimal("0.001")
_WIDE = Context(prec=60)       # quantize never fails on realistic money for lack of digits
_ESCAPE = re.compile("[&<>\r]")

# Free text written as CDATA: names, addresses, diagnoses and narrative fields.
FREE_TEXT: frozenset[str] = frozenset({
    "HO_TEN", "HO_TEN_CHA", "HO_TEN_ME", "HO_TEN_CON", "HO_TEN_NND", "NGUOI_GIAM_HO", "DIA_CHI",
    "DON_VI", "LY_DO_VV", "LY_DO_VNT", "CHAN_DOAN_VAO", "CHAN_DOAN_RV", "PP_DIEU_TRI", "PP_DIEUTRI",
    "GHI_CHU", "TEN_THUOC", "TEN_DICH_VU", "TEN_VAT_TU", "TEN_CHI_SO", "TT_THAU", "MO_TA", "KET_LUAN",
    "DIEN_BIEN_LS", "GIAI_DOAN_BENH", "HOI_CHAN", "PHAU_THUAT", "QT_BENHLY", "TOMTAT_KQ", "DAU_HIEU_LS",
    "HUONG_DIEU_TRI", "TINH_TRANG_CT", "TINH_TRANG_CON", "NGUYENNHAN_DINHCHI", "NOI_CU_TRU_NND",
    "NOI_SINH_CON", "NOICAP_CCCD_NND", "NGUOI_DO_DE", "NGUOI_GHI_PHIEU", "TEN_BS", "HOTEN_NGUOI_HT",
    "CHUCDANH_NGUOI_HT", "PHUONGTIEN_VC", "HAM_LUONG", "LIEU_DUNG", "CACH_DUNG", "DANG_BAO_CHE",
    "DON_VI_TINH", "DON_VI_DO",
})


def escape(text: str) -> str:
    """Element content escaping (no attributes are ever written)."""
    if not _ESCAPE.search(text):
        return text
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\r", "&#13;"))


def cdata(text: str) -> str:
    """``text`` as one or more CDATA sections that parse back to exactly ``text``."""
    body = text.replace("]]>", "]]]]><![CDATA[>")
    if "\r" in body:
        body = body.replace("\r", "]]>&#13;<![CDATA[")
    return f"<![CDATA[{body}]]>"


def _invalid(value: Decimal) -> DataError:
    kind = "not finite" if not value.is_finite() else "too large"
    return DataError(f"decimal value cannot be written ({kind})", rule="FORMAT_DECIMAL")


def _fixed(value: Decimal, step: Decimal) -> str:
    if not value.is_finite():
        raise _invalid(value)
    try:
        out = format(value.quantize(step, rounding=ROUND_HALF_UP, context=_WIDE), "f")
    except InvalidOperation as exc:
        raise _invalid(value) from exc
    return out[1:] if out.startswith("-") and not out.strip("-0.") else out


def _strip(text: str) -> str:
    return text.rstrip("0").rstrip(".") if "." in text else text


# Fast paths: most values arrive from the HIS already at the right scale, and ``str`` of
# such a Decimal is the answer; anything else (exponent, more digits, sign) takes the
# exact slow path. Both paths are checked against each other in the tests.

def amount(value: Decimal) -> str:
    """Money: 2 decimal places, half-up, ``.`` separator."""
    text = str(value)
    if text[0].isdigit() and "E" not in text:
        dot = text.find(".")
        if dot < 0:
            return text + ".00"
        if len(text) - dot == 3:
            return text
    return _fixed(value, CENT)


def quantity(value: Decimal) -> str:
    """Quantities and unit prices: at most 3 decimal places, no trailing zeros."""
    text = str(value)
    if text[0].isdigit() and "E" not in text:
        dot = text.find(".")
        if dot < 0:
            return text
        if len(text) - dot <= 4:
            return _strip(text)
    return _strip(_fixed(value, MILLI))


def plain(value: Decimal) -> str:
    """Any other decimal: exact, no exponent, no trailing zeros."""
    if not value.is_finite():
        raise _invalid(value)
    out = _strip(format(value, "f"))
    return "0" if out in ("-0", "") else out


@lru_cache(maxsize=4096)
def stamp12(value: date) -> str:
    """``yyyyMMddHHmm``; cached because the same order times recur on many lines."""
    if isinstance(value, datetime):
        # %-formatting: about three times cheaper than the equivalent f-string here.
        return "%04d%02d%02d%02d%02d" % (value.year, value.month, value.day,  # noqa: UP031
                                         value.hour, value.minute)
    return "%04d%02d%02d0000" % (value.year, value.month, value.day)  # noqa: UP031


@lru_cache(maxsize=4096)
def stamp8(value: date) -> str:
    return "%04d%02d%02d" % (value.year, value.month, value.day)  # noqa: UP031


def _auto(value: object, decimal_fn: Callable[[Decimal], str] = plain,
          date_fn: Callable[[date], str] | None = None) -> str:
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, Decimal):
        return decimal_fn(value)
    if isinstance(value, date):
        if date_fn is not None:
            return date_fn(value)
        return stamp12(value) if isinstance(value, datetime) else stamp8(value)
    if isinstance(value, float):
        # The model carries Decimal; a float here would write binary noise or an exponent.
        raise DataError("float value where the model carries Decimal", rule="FORMAT_FLOAT")
    if isinstance(value, int):
        return str(int(value))
    return clean(str(value))


def formatter(kind: str) -> Formatter:
    """The formatter of a field kind (see ``kind_of``); ``None`` is handled by the caller."""
    if kind == "dt12":
        return lambda v: _auto(v, date_fn=stamp12)
    if kind == "d8":
        return lambda v: _auto(v, date_fn=stamp8)
    if kind == "dec2":
        return lambda v: _auto(v, decimal_fn=amount)
    if kind == "dec3":
        return lambda v: _auto(v, decimal_fn=quantity)
    return _auto


def kind_of(fmt: str, profile: str) -> str:
    """Field kind from the catalogue format hint: dt12, d8, dec2, dec3 or auto."""
    if fmt.startswith("yyyyMMddHHmm"):
        return "dt12"
    if fmt.startswith("4750: yyyyMMddHHmm"):          # XML14 NGAY_HEN_KL: 12 chars in 4750, 8 in 3176
        return "dt12" if profile == "4750" else "d8"
    if fmt.startswith("yyyyMMdd or"):                  # NGAY_MIEN_CCT: either, by the value's type
        return "auto"
    if fmt.startswith("yyyyMMdd"):
        return "d8"
    if "2 dp" in fmt:
        return "dec2"
    if "3 dp" in fmt:
        return "dec3"
    return "auto"


def format_value(value: object, kind: str = "auto") -> str:
    """One value as element text (``""`` for ``None``); not escaped."""
    return "" if value is None else formatter(kind)(value)


# --- readers: value -> the exact text a parser reads back, and how to write that text ---
# The serialiser's hot path: one dict lookup on the exact type and one call per field.
# ``readers`` splits each writer in two, so that one pass yields both the document and the
# rows validation reads (no parse back): a reader gives the normalised text and whether it
# still needs the field's wrapper (escaping or CDATA); numbers and dates never do.

Writer = Callable[[Any], str]
Reader = tuple[Writer, bool]


def readers(kind: str, free_text: bool) -> tuple[dict[type, Reader], Reader, Writer]:
    """Per-type readers of a field, the reader for any other type, and the field's wrapper."""
    dt: Writer = stamp8 if kind == "d8" else stamp12
    d: Writer = stamp12 if kind == "dt12" else stamp8
    dec: Writer = {"dec2": amount, "dec3": quantity}.get(kind, plain)
    whole: Writer = (lambda v: dec(Decimal(v))) if kind in ("dec2", "dec3") else str
    table: dict[type, Reader] = {str: (clean, True), Decimal: (dec, False), datetime: (dt, False),
                                 date: (d, False), int: (whole, False)}
    fmt = formatter(kind)
    return table, (lambda v: clean(fmt(v)), True), (cdata if free_text else escape)
