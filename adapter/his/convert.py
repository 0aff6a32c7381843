"""Row -> model conversion at the HIS boundary, with located errors instead of exceptions.

A HIS hands over whatever its columns hold: native dates or ``yyyyMMddHHmm`` text,
numbers as Decimal, float, int or text, codes as numbers. Everything is converted
here, once: Decimal for money (never through binary float arithmetic), naive
datetimes, codes as ``str``. A value that cannot be converted becomes a
:class:`~adapter.errors.DataError` naming the record, the column and a rule code,
never the value itself.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from adapter.errors import DataError

RULE_REQUIRED = "HIS_REQUIRED"
RULE_DATE = "HIS_BAD_DATE"
RULE_NUMBER = "HIS_BAD_NUMBER"
RULE_UTF8 = "HIS_BAD_UTF8"
RULE_TOO_LONG = "HIS_TEXT_TOO_LONG"
DEFAULT_MAX_TEXT = 65_536
# The tables' widest numbers are 15 characters (T_* totals); anything at 10^15 or beyond is
# a corrupt cell, and letting it through only makes money arithmetic fail further down.
MAX_ADJUSTED_EXPONENT = 14


class BadValue(Exception):
    """Internal: one cell could not be converted (carries the rule code only)."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule


@dataclass(kw_only=True, slots=True)
class Problems:
    """The errors found while converting the rows of one encounter."""

    ma_lk: str
    errors: list[DataError] = field(default_factory=list)

    def add(self, where: str, bad: BadValue) -> None:
        self.errors.append(DataError(str(bad), record=self.ma_lk, field=where, rule=bad.rule))

    def required(self, where: str) -> None:
        self.errors.append(DataError("required value missing", record=self.ma_lk, field=where,
                                     rule=RULE_REQUIRED))


def to_text(value: object, max_text: int = DEFAULT_MAX_TEXT) -> str:
    if isinstance(value, str):
        text = value
    elif isinstance(value, bytes | bytearray | memoryview):
        try:
            text = bytes(value).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadValue(RULE_UTF8, "text is not valid UTF-8") from exc
    elif isinstance(value, float):
        text = repr(value) if not value.is_integer() else str(int(value))
    else:
        text = str(value)
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:       # surrogates left by a lenient decoder
            raise BadValue(RULE_UTF8, "text is not valid UTF-8") from exc
    if len(text) > max_text:
        raise BadValue(RULE_TOO_LONG, f"text longer than {max_text} characters")
    return text


def to_decimal(value: object, _max: int = 0) -> Decimal:
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, bool):
        raise BadValue(RULE_NUMBER, "not a number")
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise BadValue(RULE_NUMBER, "not a finite number")
        result = Decimal(repr(value))          # the shortest decimal text, not the binary expansion
    else:
        try:
            result = Decimal(to_text(value, 100).strip().replace(",", "."))
        except InvalidOperation as exc:
            raise BadValue(RULE_NUMBER, "not a decimal number") from exc
    if not result.is_finite():
        raise BadValue(RULE_NUMBER, "not a finite number")
    if result and result.adjusted() > MAX_ADJUSTED_EXPONENT:
        raise BadValue(RULE_NUMBER, "number out of range (10^15 or more)")
    return result


def to_int(value: object, _max: int = 0) -> int:
    number = to_decimal(value)
    if number != number.to_integral_value():
        raise BadValue(RULE_NUMBER, "not a whole number")
    return int(number)


_FORMATS = {12: "%Y%m%d%H%M", 14: "%Y%m%d%H%M%S", 8: "%Y%m%d"}


def to_datetime(value: object, _max: int = 0) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None) if value.tzinfo is None else _local_naive(value)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    text = to_text(value, 64).strip()
    try:
        fmt = _FORMATS.get(len(text)) if text.isdigit() else None
        parsed = datetime.strptime(text, fmt) if fmt else datetime.fromisoformat(text)
    except ValueError as exc:
        raise BadValue(RULE_DATE, "not a valid date-time") from exc
    return parsed if parsed.tzinfo is None else _local_naive(parsed)


def _local_naive(value: datetime) -> datetime:
    # The tables want Vietnam wall-clock time; an aware value is converted, not truncated.
    from zoneinfo import ZoneInfo
    return value.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).replace(tzinfo=None)


def to_date(value: object, _max: int = 0) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return to_datetime(value).date()


Converter = Callable[[Any, int], Any]
CONVERTERS: dict[str, Converter] = {"str": to_text, "decimal": to_decimal, "datetime": to_datetime,
                                    "date": to_date, "int": to_int}


def convert_fields(row: Mapping[str, Any], spec: Mapping[str, str], where: str,
                   problems: Problems, max_text: int) -> dict[str, Any]:
    """The model keyword arguments for the ``spec`` columns (name -> kind) present in ``row``.

    Bad cells are recorded in ``problems`` and left out. Columns the spec does not know
    (``ma_lk``, ``stt``, extras of a vendor view) are ignored.
    """
    out: dict[str, Any] = {}
    # Iterate over the cells that hold something: most columns of a wide row are empty.
    for name, value in [(n, v) for n, v in row.items() if v is not None and v != ""]:
        kind = spec.get(name)
        if kind is None:
            continue
        cls = type(value)
        # Fast paths for the common, already-correct cells; everything else takes the checked path.
        if (cls is str and kind == "str" and len(value) <= max_text and (value.isascii() or _utf8(value))) \
                or (cls is datetime and kind == "datetime" and value.tzinfo is None) \
                or (cls is Decimal and kind == "decimal" and value.is_finite()
                    and value.adjusted() <= MAX_ADJUSTED_EXPONENT):
            out[name] = value
            continue
        try:
            out[name] = CONVERTERS[kind](value, max_text)
        except BadValue as bad:
            problems.add(f"{where}.{name}", bad)
    return out


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
