"""Entry points: validate parsed tables (the pipeline) or one document (bytes). Pure: no I/O here."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date

from adapter.catalogue import Profile
from adapter.errors import XmlInputError
from adapter.validation.context import ContextFactory, ValidationContext
from adapter.validation.issues import Issue
from adapter.validation.parse import (
    ENVELOPE_ROOT,
    UTF8,
    Envelope,
    Hoso,
    TableRows,
    control_character,
    declared_table,
    declares_dtd,
    encoding,
    envelope,
    parse_xml,
)
from adapter.validation.parse import table_rows as _table_rows
from adapter.validation.rules import CHECKS, Episode
from adapter.validation.rules.base import make_issue, moment

# Out of the box 3176 for encounters ending from 2025-01-01, 4750 before (ARCHITECTURE §1).
PROFILE_3176_FROM = date(2025, 1, 1)
SENDABLE_TABLES = frozenset({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15})


@dataclass(frozen=True, kw_only=True, slots=True)
class ValidationReport:
    """What one document holds and what is wrong with it."""

    kind: str  # "GIAMDINHHS", "XML0".."XML15", or "UNKNOWN"
    ma_lk: str
    profile: str
    issues: tuple[Issue, ...]

    @property
    def blocking(self) -> bool:
        return any(i.blocking for i in self.issues)


def episode_date(tables: Mapping[int, TableRows]) -> date | None:
    """The date that selects code lists and the default profile: XML1 NGAY_RA, else a check-in NGAY_VAO."""
    for table, name in ((1, "NGAY_RA"), (1, "NGAY_VAO"), (0, "NGAY_VAO"), (2, "NGAY_YL"), (3, "NGAY_YL")):
        t = tables.get(table)
        when = moment(t.rows[0].get(name, "")) if t is not None and t.rows else None
        if when is not None:
            return when.date()
    return None


def detect_profile(tables: Mapping[int, TableRows]) -> Profile:
    """3176 or 4750 from renamed elements (XML13), formats (XML14, XML1 occupation), else the date."""
    for row in tables[13].rows if 13 in tables else ():
        if "MA_CSKCB_DI" in row or "TINH_TRANG_CT" in row:
            return "3176"
        if "MA_NOI_DI" in row or "PP_DIEU_TRI" in row:
            return "4750"
    for row in tables[14].rows if 14 in tables else ():
        length = len(row.get("NGAY_HEN_KL", ""))
        if length in (8, 12):
            return "3176" if length == 8 else "4750"
    occupation = len(tables[1].rows[0].get("MA_NGHE_NGHIEP", "")) if 1 in tables and tables[1].rows else 0
    if occupation in (2, 5):            # 3176: level-2 code "00"; 130/4750: 5 digits "00000"
        return "3176" if occupation == 2 else "4750"
    when = episode_date(tables)
    return "4750" if when is not None and when < PROFILE_3176_FROM else "3176"


def default_context(tables: Mapping[int, TableRows]) -> ValidationContext:
    return ValidationContext.for_date(episode_date(tables) or date.max)


ContextArg = ValidationContext | ContextFactory | None


def resolve_context(context: ContextArg, tables: Mapping[int, TableRows]) -> ValidationContext:
    """A fixed context, one made for the episode date by a factory, or the packaged defaults."""
    if context is None:
        return default_context(tables)
    if isinstance(context, ValidationContext):
        return context
    return context(episode_date(tables) or date.max)


def validate_tables(
    tables: Mapping[int, TableRows],
    profile: Profile | None = None,
    *,
    ma_lk: str = "",
    context: ContextArg = None,
    whole: bool = True,
) -> list[Issue]:
    """Every rule over the tables of one episode. ``whole``: all its tables are here."""
    if not ma_lk and 1 in tables and tables[1].rows:
        ma_lk = tables[1].rows[0].get("MA_LK", "")
    ep = Episode(
        tables=tables,
        profile=profile or detect_profile(tables),
        ma_lk=ma_lk,
        context=resolve_context(context, tables),
        whole=whole,
    )
    return [issue for check in CHECKS for issue in check(ep)]


def _file_issue(exc: XmlInputError) -> Issue:
    code = "XML_UNSAFE" if "DTD" in str(exc) else "XML_MALFORMED"
    return make_issue(code, "FILE")


def _refusal(data: bytes) -> tuple[Issue, ...]:
    """What stops a file before parsing: not UTF-8 (the gateway's encoding), a DTD, a control character.

    The encoding comes first: a UTF-16 file is all NUL bytes to the control-character scan.
    """
    found = []
    if encoding(data) != UTF8:
        found.append(make_issue("FILE_NOT_UTF8", "FILE"))
    if declares_dtd(data):
        found.append(make_issue("XML_UNSAFE", "FILE"))
    if found:
        return tuple(found)
    element = control_character(data)
    return (make_issue("TEXT_CONTROL_CHAR", "FILE", field=element),) if element is not None else ()


def validate_document(
    data: bytes, profile: Profile | None = None, context: ContextArg = None
) -> ValidationReport:
    """One document as a HIS exports it: a GIAMDINHHS envelope, a check-in, or a single table."""
    refused = _refusal(data)
    if refused:
        return ValidationReport(kind="UNKNOWN", ma_lk="", profile=profile or "", issues=refused)
    try:
        root = parse_xml(data)
    except XmlInputError as exc:
        return ValidationReport(kind="UNKNOWN", ma_lk="", profile=profile or "", issues=(_file_issue(exc),))
    if root.tag == ENVELOPE_ROOT:
        return _validate_envelope(envelope(root), profile, context)
    rows = _table_rows(root)
    if rows is None:
        issue = make_issue("DOCUMENT_UNKNOWN", "FILE", field=str(root.tag))
        return ValidationReport(kind="UNKNOWN", ma_lk="", profile=profile or "", issues=(issue,))
    tables = {rows.table: rows}
    chosen = profile or detect_profile(tables)
    ma_lk = rows.rows[0].get("MA_LK", "") if rows.rows else ""
    issues = validate_tables(tables, chosen, ma_lk=ma_lk, context=context, whole=False)
    return ValidationReport(kind=f"XML{rows.table}", ma_lk=ma_lk, profile=chosen, issues=tuple(issues))


def _structure(code: str, detail_vi: str, detail_en: str, ma_lk: str = "") -> Issue:
    return make_issue(code, "ENVELOPE", ma_lk=ma_lk, detail_vi=detail_vi, detail_en=detail_en)


def _envelope_issues(env: Envelope) -> Iterator[Issue]:
    if not env.macskcb:
        yield _structure("ENVELOPE_STRUCTURE", "thiếu MACSKCB", "MACSKCB is missing")
    if len(env.hosos) != 1:
        yield _structure(
            "ENVELOPE_STRUCTURE", "mỗi tệp phải có đúng một HOSO", "a file must hold exactly one HOSO"
        )
    if env.declared_count != str(len(env.hosos)):
        yield _structure(
            "ENVELOPE_STRUCTURE", "SOLUONGHOSO khác số HOSO", "SOLUONGHOSO differs from the HOSO count"
        )


def _hoso_issues(hoso: Hoso, ma_lk: str) -> Iterator[Issue]:
    seen: set[int] = set()
    for f in hoso.files:
        number = declared_table(f.declared)
        if number not in SENDABLE_TABLES:
            yield _structure(
                "ENVELOPE_STRUCTURE",
                "LOAIHOSO không hợp lệ (XML1..XML15, trừ XML12)",
                "LOAIHOSO is not one of XML1..XML15 (XML12 excluded)",
                ma_lk,
            )
        if f.error:
            yield make_issue(f.error, "ENVELOPE", field=f.declared, ma_lk=ma_lk)
        elif f.table is not None and number is not None and f.table.table != number:
            yield make_issue("ENVELOPE_TABLE_MISMATCH", "ENVELOPE", field=f.declared, ma_lk=ma_lk)
        if f.table is not None and f.table.table in seen:
            yield _structure(
                "ENVELOPE_STRUCTURE", "một bảng xuất hiện hai lần", "a table appears twice", ma_lk
            )
        if f.table is not None:
            seen.add(f.table.table)


def _validate_envelope(
    env: Envelope, profile: Profile | None, context: ContextArg
) -> ValidationReport:
    issues = list(_envelope_issues(env))
    first_ma_lk, chosen = "", profile or ""
    for hoso in env.hosos:
        tables = hoso.tables()
        xml1 = tables[1].rows[0] if 1 in tables and tables[1].rows else {}
        ma_lk = xml1.get("MA_LK", "")
        first_ma_lk = first_ma_lk or ma_lk
        chosen = profile or detect_profile(tables)
        issues.extend(_hoso_issues(hoso, ma_lk))
        if xml1 and env.macskcb and xml1.get("MA_CSKCB") and xml1["MA_CSKCB"] != env.macskcb:
            issues.append(make_issue("ENVELOPE_FACILITY_MISMATCH", "ENVELOPE", field="MACSKCB", ma_lk=ma_lk))
        issues.extend(validate_tables(tables, chosen, ma_lk=ma_lk, context=context, whole=True))
    return ValidationReport(kind=ENVELOPE_ROOT, ma_lk=first_ma_lk, profile=chosen, issues=tuple(issues))
