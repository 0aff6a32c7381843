"""Structure rules driven by ``adapter.catalogue``: presence, size, number, decimals, dates, text.

Each (table, profile) is compiled once into a tuple of ``FieldCheck`` with one
regular expression that accepts every good value (size included); only a value that
fails it is diagnosed in detail. A first pass goes column by column over the distinct
values of a table (detail lines repeat most of theirs); only rows holding a value that
is not plainly good are then diagnosed field by field, in row order.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

from adapter import catalogue
from adapter.catalogue import FieldSpec, Profile
from adapter.validation.issues import Issue
from adapter.validation.rules.base import Episode, Row, at, make_issue, moment

_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff"
_CONTROL_RE = re.compile(f"[{_CONTROL}]")
_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")
_DP = re.compile(r"decimal[^,]*,\s*(\d) dp")
# "As in 4210" flags on XML2/XML3 fields that depend on the kind of line: handled by
# the conditional rules (a supply line has no MA_DICH_VU, a service line no MA_VAT_TU).
_NOT_PLAIN_REQUIRED = frozenset({(2, "MA_DICH_VU"), (2, "SO_DANG_KY"), (3, "MA_DICH_VU"), (3, "MA_VAT_TU"),
                                 (3, "TEN_VAT_TU"), (3, "TEN_DICH_VU")})
_BIRTH_FIELDS = frozenset({"NGAY_SINH", "NGAYSINH_NND"})


@dataclass(frozen=True, kw_only=True, slots=True)
class FieldCheck:
    name: str
    required: bool
    size: int | None
    kind: str                  # text | number | date
    date_lengths: tuple[int, ...] = ()
    is_list: bool = False      # ";" list of dates
    birth: bool = False        # 00 allowed for unknown month/day
    decimals: int | None = None
    fast: re.Pattern[str] = _NUMBER_RE      # accepts exactly the good values
    shape: re.Pattern[str] = _NUMBER_RE     # dates: the format without the size limit


def _date_lengths(spec: FieldSpec, profile: Profile) -> tuple[int, ...]:
    fmt = spec.fmt
    if fmt.startswith("4750:"):
        return (8,) if profile == "3176" else (12,)
    if "or yyyyMMddHHmm" in fmt:
        return (8, 12)
    if "yyyyMMddHHmm" in fmt:
        return (12,)
    return (8,) if "yyyyMMdd" in fmt else ()


def _size_part(size: int | None) -> str:
    return f"{{0,{size}}}" if size is not None else "*"


def _within(size: int | None) -> str:
    """A lookahead limiting the whole value to ``size`` characters (nothing when unbounded)."""
    return f"(?=.{{0,{size}}}\\Z)" if size is not None else ""


def _compile(spec: FieldSpec, profile: Profile) -> FieldCheck:
    required = spec.required and (spec.table, spec.base_name) not in _NOT_PLAIN_REQUIRED
    lengths = _date_lengths(spec, profile)
    if lengths:
        is_list = '";" list' in spec.fmt or "list" in spec.fmt
        body = "|".join(rf"\d{{{n}}}" for n in lengths)
        shape = rf"(?:{body})(?:;(?:{body}))*" if is_list else f"(?:{body})"
        return FieldCheck(name=spec.name, required=required, size=spec.size, kind="date",
                          date_lengths=lengths, is_list=is_list, birth=spec.name in _BIRTH_FIELDS,
                          fast=re.compile(_within(spec.size) + shape), shape=re.compile(shape))
    if spec.numeric or spec.fmt.startswith("decimal"):
        m = _DP.search(spec.fmt)
        dp = int(m.group(1)) if m else None
        frac = rf"(?:\.\d{{1,{dp}}})?" if dp is not None else r"(?:\.\d+)?"
        return FieldCheck(name=spec.name, required=required, size=spec.size, kind="number", decimals=dp,
                          fast=re.compile(rf"{_within(spec.size)}\d+{frac}", re.DOTALL))
    return FieldCheck(name=spec.name, required=required, size=spec.size, kind="text",
                      fast=re.compile(f"[^{_CONTROL}]{_size_part(spec.size)}"))


@cache
def compiled(table: int, profile: Profile) -> tuple[FieldCheck, ...]:
    return tuple(_compile(s, profile) for s in catalogue.fields(table, profile))


@cache
def known_names(table: int, profile: Profile) -> frozenset[str]:
    return frozenset(s.name for s in catalogue.fields(table, profile))


@lru_cache(maxsize=4096)
def _date_ok(value: str, is_list: bool, birth: bool) -> bool:
    for item in value.split(";") if is_list else (value,):
        if moment(item) is None and not (birth and _partial_birth(item)):
            return False
    return True


def _partial_birth(text: str) -> bool:
    """Birth dates may write 00 for an unknown day, or 0000 for unknown month and day."""
    if len(text) not in (8, 12) or not text.isdigit():
        return False
    month, day = text[4:6], text[6:8]
    fixed = text[:4] + (month if month != "00" else "01") + (day if day != "00" else "01") + text[8:]
    return (day == "00" or (month == "00" and day == "00")) and moment(fixed) is not None


def _diagnose(ep: Episode, table: int, row_no: int | None, row: Row, check: FieldCheck,
              value: str) -> Iterator[Issue]:
    def issue(code: str, **params: object) -> Issue:
        return at(ep, code, table, row_no, row, check.name, **params)

    if check.size is not None and len(value) > check.size:
        yield issue("FIELD_TOO_LONG", limit=check.size)
    if _CONTROL_RE.search(value):
        yield issue("TEXT_CONTROL_CHAR")
    elif check.kind == "number":
        yield from _diagnose_number(check, value, issue)
    elif check.kind == "date":
        if not check.shape.fullmatch(value):
            yield issue("FIELD_DATE_FORMAT", limit=" | ".join(_fmt(n) for n in check.date_lengths))
        elif not _date_ok(value, check.is_list, check.birth):
            yield issue("FIELD_DATE_INVALID")


def _diagnose_number(check: FieldCheck, value: str, issue: Callable[..., Issue]) -> Iterator[Issue]:
    if not _NUMBER_RE.fullmatch(value):
        yield issue("FIELD_NOT_NUMBER")
    elif check.decimals is not None and "." in value and len(value.split(".")[1]) > check.decimals:
        yield issue("FIELD_DECIMALS", limit=check.decimals)


def _fmt(n: int) -> str:
    return "yyyyMMddHHmm" if n == 12 else "yyyyMMdd"


def check_row(ep: Episode, table: int, row_no: int | None, row: Row) -> Iterator[Issue]:
    """Every catalogue field of one row, then the elements the profile does not know."""
    get = row.get
    for check in compiled(table, ep.profile):
        value = get(check.name)
        if not value:
            if check.required:
                yield at(ep, "FIELD_REQUIRED", table, row_no, row, check.name)
            elif value is None:
                yield at(ep, "FIELD_MISSING_ELEMENT", table, row_no, row, check.name)
        elif check.fast.fullmatch(value) is None or (
                check.kind == "date" and not _date_ok(value, check.is_list, check.birth)):
            yield from _diagnose(ep, table, row_no, row, check, value)
        elif not value.isascii() and not unicodedata.is_normalized("NFC", value):
            yield at(ep, "TEXT_NOT_NFC", table, row_no, row, check.name)
    known = known_names(table, ep.profile)
    if not known.issuperset(row):
        for name in (n for n in row if n not in known):
            yield at(ep, "FIELD_UNKNOWN", table, row_no, row, name, profile=ep.profile)


def _good(check: FieldCheck, value: str | None) -> bool:
    if not value:
        return value == "" and not check.required
    return check.fast.fullmatch(value) is not None and (
        check.kind != "date" or _date_ok(value, check.is_list, check.birth)) and (
        value.isascii() or unicodedata.is_normalized("NFC", value))


# The fast path for the common, valid row: the row's values joined with a separator that no
# good value contains (U+001F, a control character) and matched by ONE expression of the
# whole row, compiled per (table, profile) from the field patterns. A missing element joins
# as NUL, which no pattern accepts. It accepts exactly the rows whose every field ``_good``
# accepts (a property test pins this); any other row is diagnosed field by field.
_SEP = "\x1f"
_ABSENT = "\x00"
_NUMBER_CHARS, _DATE_CHARS = r"\d.", r"\d;"


@dataclass(frozen=True, kw_only=True, slots=True)
class RowPlan:
    names: tuple[str, ...]
    absent: tuple[str, ...]                       # the joined stand-in of each missing element
    pattern: re.Pattern[str]
    dates: tuple[tuple[str, bool, bool], ...]     # (name, is_list, birth): real calendar dates
    known: frozenset[str]


def _bounded(size: int | None, chars: str) -> str:
    """A lookahead: the run of ``chars`` starting here is at most ``size`` long."""
    return f"(?=[{chars}]{{0,{size}}}(?![{chars}]))" if size is not None else ""


def _number_pattern(check: FieldCheck) -> str:
    # The size as counted digits where possible: a lookahead per field made the whole-row
    # match several times slower. Whole numbers (the usual case) take the first branch.
    size, dp = check.size, check.decimals
    if size is None:
        return r"\d+" + (rf"(?:\.\d{{1,{dp}}})?" if dp is not None else r"(?:\.\d+)?")
    if dp is None:
        return rf"\d{{1,{size}}}|{_bounded(size, _NUMBER_CHARS)}\d+\.\d+"
    return "|".join([rf"\d{{1,{size}}}"] + [rf"\d{{1,{size - 1 - f}}}\.\d{{{f}}}"
                                            for f in range(1, dp + 1) if size - 1 - f >= 1])


def _date_pattern(check: FieldCheck) -> str:
    if not check.is_list and check.size is not None and max(check.date_lengths) <= check.size:
        return check.shape.pattern          # fixed lengths that fit: no size check needed
    return _bounded(check.size, _DATE_CHARS) + check.shape.pattern


def _field_pattern(check: FieldCheck) -> str:
    if check.kind == "text":
        low = 1 if check.required else 0
        high = "" if check.size is None else str(check.size)
        return f"[^{_CONTROL}]{{{low},{high}}}"
    body = _number_pattern(check) if check.kind == "number" else _date_pattern(check)
    return f"(?:{body})" if check.required else f"(?:{body})?"


@cache
def row_plan(table: int, profile: Profile) -> RowPlan:
    checks = compiled(table, profile)
    pattern = _SEP.join(f"(?:{_field_pattern(c)})" for c in checks)
    return RowPlan(names=tuple(c.name for c in checks), absent=(_ABSENT,) * len(checks),
                   pattern=re.compile(pattern), known=known_names(table, profile),
                   dates=tuple((c.name, c.is_list, c.birth) for c in checks if c.kind == "date"))


def row_clean(plan: RowPlan, row: Row) -> bool:
    """Every field of ``row`` plainly good and no element the profile lacks."""
    joined = _SEP.join(map(row.get, plan.names, plan.absent))
    if plan.pattern.fullmatch(joined) is None:
        return False
    if not (joined.isascii() or unicodedata.is_normalized("NFC", joined)):
        return False                 # U+001F is a starter: NFC of the whole is NFC of each part
    get = row.get
    for name, is_list, birth in plan.dates:
        value = get(name)
        if value and not _date_ok(value, is_list, birth):
            return False
    return plan.known.issuperset(row)


def rows_to_diagnose(table: int, profile: Profile, rows: tuple[Row, ...]) -> set[int]:
    """Indexes of rows with a field that is not plainly good, or an element the profile lacks."""
    plan = row_plan(table, profile)
    return {i for i, r in enumerate(rows) if not row_clean(plan, r)}


def check_structure(ep: Episode) -> Iterator[Issue]:
    for table in sorted(ep.tables):
        rows = ep.rows(table)
        if not rows:
            yield _empty(ep, table)
        dirty = rows_to_diagnose(table, ep.profile, rows)
        if dirty:
            once: set[tuple[str, str]] = set()
            for i, (row_no, row) in enumerate(ep.located(table)):
                if i in dirty:
                    yield from _first_of_kind(check_row(ep, table, row_no, row), once)
        yield from _stt(ep, table, rows)


_ONCE_PER_TABLE = frozenset({"FIELD_MISSING_ELEMENT", "FIELD_UNKNOWN"})


def _first_of_kind(issues: Iterator[Issue], seen: set[tuple[str, str]]) -> Iterator[Issue]:
    """Absent and unknown elements are a property of the exporter, not of each row: say it once."""
    for issue in issues:
        if issue.rule in _ONCE_PER_TABLE:
            key = (issue.rule, issue.field)
            if key in seen:
                continue
            seen.add(key)
        yield issue


def _empty(ep: Episode, table: int) -> Issue:
    return make_issue("TABLE_EMPTY", f"XML{table}", ma_lk=ep.ma_lk)


def _stt(ep: Episode, table: int, rows: tuple[Row, ...]) -> Iterator[Issue]:
    if len(rows) < 2:
        return
    for i, row in enumerate(rows, start=1):
        stt = row.get("STT", "")
        if stt and stt != str(i):
            yield at(ep, "STT_SEQUENCE", table, i, row, "STT")
            return
