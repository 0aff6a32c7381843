"""Data-quality report of the registry: what to fix before the 02/DM catalogue is sent. Pure.

Findings name the practitioner by claim code (a licence number, not patient data) and
the 02/DM column, never the offending value: the report is printed, exported and may
be mailed around. Checks: required columns, column sizes, identifier formats (CCCD,
licence, MA_KHOA, hours, codes), duplicates among overlapping periods, expired or
soon-expiring licences and registrations, claim codes missing from the catalogue and
catalogue rows no claim uses.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from adapter.registry.claim_check import supervising_code
from adapter.registry.hours import check_hours
from adapter.registry.identifiers import (
    Problem,
    check_cccd,
    check_licence,
    check_ma_khoa,
    check_national_facility_id,
    check_tax_code,
    fold_licence,
    licence_key,
)
from adapter.registry.model import FacilityRecord, RegisteredPractitioner
from adapter.registry.staff_xml import COLUMNS, FIELD_OF, row_values
from adapter.validation.issues import Severity

TAG_OF = {attr: tag for tag, attr in FIELD_OF.items()}
_ENUMS = {"gender": ("1", "2", "3"), "employment": ("1", "2")}


@dataclass(frozen=True, kw_only=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    practitioner: str              # claim code ("" for facility-level findings)
    field: str                     # 02/DM column or facility attribute
    message_en: str
    message_vi: str = ""
    row: int | None = None         # 1-based position in the report's period order

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


def _finding(p: Problem, practitioner: str, row: int | None) -> Finding:
    return Finding(rule=p.code, severity=p.severity, practitioner=practitioner, row=row,
                   field=TAG_OF.get(p.field, p.field), message_en=p.message_en, message_vi=p.message_vi)


def facility_findings(facility: FacilityRecord) -> list[Finding]:
    problems = [*check_tax_code(facility.tax_code, source=facility.tax_code_source),
                *check_national_facility_id(facility.national_id),
                *check_hours(facility.hours_day, facility.hours_week)]
    problems += [p for d in facility.departments for p in check_ma_khoa(d.code, field="departments")]
    return [_finding(p, "", None) for p in problems]


def period_problems(facility: FacilityRecord, p: RegisteredPractitioner, *, today: date) -> list[Problem]:
    """Format and completeness problems of one period."""
    known = frozenset(d.code for d in facility.departments) or None
    problems = [*check_cccd(p.cccd, today=today, gender=p.gender),
                *check_licence(p.licence_no, kind=p.licence_kind),
                *check_ma_khoa(";".join(p.departments), known=known),
                *check_hours(p.hours_day, p.hours_week)]
    problems += _required(p) + _sizes(facility, p) + _enums(p)
    return problems


def _required(p: RegisteredPractitioner) -> list[Problem]:
    missing = [name for name in ("departments", "cccd", "valid_from") if not getattr(p, name)]
    out = [Problem(code="REGISTRY_REQUIRED", field=name, severity=Severity.BLOCKING,
                   message_en="required 02/DM column is empty", message_vi="Thiếu cột bắt buộc của mẫu 02/DM")
           for name in missing]
    if not p.licence_no:
        out.append(Problem(code="REGISTRY_NO_LICENCE", field="licence_no", severity=Severity.WARNING,
                           message_en="no licence number: claim lines cannot be matched on it",
                           message_vi="Thiếu số CCHN/GPHN: không đối chiếu được mã trên hồ sơ"))
    return out


def _sizes(facility: FacilityRecord, p: RegisteredPractitioner) -> list[Problem]:
    values = row_values(facility, p, 1)
    return [Problem(code="REGISTRY_LENGTH", field=FIELD_OF.get(c.tag, c.tag), severity=Severity.BLOCKING,
                    message_en=f"value longer than {c.size} characters",
                    message_vi=f"Giá trị dài quá {c.size} ký tự")
            for c in COLUMNS if c.size is not None and len(values[c.tag]) > c.size]


def _enums(p: RegisteredPractitioner) -> list[Problem]:
    return [Problem(code="REGISTRY_CODE_VALUE", field=name, severity=Severity.BLOCKING,
                    message_en=f"must be one of {', '.join(allowed)}",
                    message_vi=f"Chỉ nhận các giá trị {', '.join(allowed)}")
            for name, allowed in _ENUMS.items() if getattr(p, name) not in (None, *allowed)]


def _overlap(a: RegisteredPractitioner, b: RegisteredPractitioner) -> bool:
    a_end, b_end = a.valid_to or date.max, b.valid_to or date.max
    return (a.valid_from or date.min) <= b_end and (b.valid_from or date.min) <= a_end


def duplicate_findings(periods: Sequence[RegisteredPractitioner]) -> list[Finding]:
    """The same person (CCCD), licence or code in two periods that overlap."""
    groups: dict[tuple[str, str], list[RegisteredPractitioner]] = defaultdict(list)
    for p in periods:
        key = licence_key(p.licence_no)
        for kind, value in (("cccd", p.cccd), ("licence", str(key) if key else fold_licence(p.licence_no)),
                            ("code", p.code)):
            if value:
                groups[(kind, value)].append(p)
    found: dict[tuple[str, str], Finding] = {}
    for (kind, _), members in groups.items():
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                if _overlap(a, b):
                    found.update({(p.code, kind): _duplicate(p.code, kind) for p in (a, b)})
    return list(found.values())


def _duplicate(code: str, kind: str) -> Finding:
    return Finding(rule="REGISTRY_DUPLICATE", severity=Severity.BLOCKING, practitioner=code,
                   field={"cccd": "SO_DINH_DANH", "licence": "MACCHN", "code": "MA_NVYT"}[kind],
                   message_en=f"two overlapping periods share this {kind}",
                   message_vi="Hai dòng cùng người/giấy phép có thời gian hiệu lực chồng nhau")


def expiry_findings(periods: Sequence[RegisteredPractitioner], *, today: date, soon_days: int
                    ) -> Iterator[Finding]:
    soon = today + timedelta(days=soon_days)
    for p in periods:
        if not p.valid_on(today):
            continue
        if p.licence_expires is not None and p.licence_expires < today:
            yield Finding(rule="LICENCE_EXPIRED", severity=Severity.BLOCKING, practitioner=p.code,
                          field="NGAY_HET_HAN", message_en="licence has expired but the registration is open",
                          message_vi="Giấy phép đã hết hạn nhưng vẫn đăng ký hành nghề")
        elif p.licence_expires is not None and p.licence_expires <= soon:
            yield Finding(rule="LICENCE_EXPIRING", severity=Severity.WARNING, practitioner=p.code,
                          field="NGAY_HET_HAN", message_en=f"licence expires within {soon_days} days",
                          message_vi=f"Giấy phép hết hạn trong {soon_days} ngày tới")
        if p.valid_to is not None and p.valid_to <= soon:
            yield Finding(rule="REGISTRATION_ENDING", severity=Severity.WARNING, practitioner=p.code,
                          field="DEN_NGAY", message_en=f"registration ends within {soon_days} days",
                          message_vi=f"Đăng ký hành nghề kết thúc trong {soon_days} ngày tới")


def _folded_keys(p: RegisteredPractitioner) -> set[str]:
    return {fold_licence(k) for k in (p.code, p.licence_no, p.cccd, p.bhxh_code) if k}


def usage_findings(periods: Sequence[RegisteredPractitioner], used: Collection[str]) -> Iterator[Finding]:
    """Codes claims use that no period knows, and periods no claim uses."""
    known = set().union(*(_folded_keys(p) for p in periods))
    used_folded = {fold_licence(supervising_code(c)) for c in used}
    for code in sorted({supervising_code(c) for c in used}):
        if fold_licence(code) not in known:
            yield Finding(rule="CLAIM_CODE_NOT_IN_CATALOGUE", severity=Severity.BLOCKING, practitioner=code,
                          field="MA_BAC_SI", message_en="claims use a code not in the staff catalogue",
                          message_vi="Hồ sơ dùng mã nhân viên không có trong danh mục 02/DM")
    for p in periods:
        if not _folded_keys(p) & used_folded:
            yield Finding(rule="CATALOGUE_ROW_UNUSED", severity=Severity.WARNING, practitioner=p.code,
                          field="", message_en="no claim in the checked set uses this practitioner",
                          message_vi="Không hồ sơ nào trong tập kiểm tra dùng nhân viên này")


def quality_report(facility: FacilityRecord, periods: Sequence[RegisteredPractitioner], *, today: date,
                   soon_days: int = 60, used: Collection[str] | None = None) -> list[Finding]:
    """Every finding, facility first, then per period in (code, TU_NGAY) order."""
    ordered = sorted(periods, key=lambda p: (p.code, p.valid_from or date.min))
    findings = facility_findings(facility)
    for row, p in enumerate(ordered, start=1):
        findings += [_finding(problem, p.code, row) for problem in period_problems(facility, p, today=today)]
    findings += duplicate_findings(ordered)
    findings += expiry_findings(ordered, today=today, soon_days=soon_days)
    if used is not None:
        findings += usage_findings(ordered, used)
    return findings
