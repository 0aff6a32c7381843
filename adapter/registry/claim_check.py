"""Claim check: every practitioner code on a claim must be registered and valid on its date.

A claim line passes the gateway's staff check only when its code matches an accepted
02/DM row of the facility that is valid on the order date (``identifiers-and-registry.md``
§1.8). Outside the registered hours is a warning: on-call work is legitimately outside
them, and the regulation only fines it after the fact.

Codes are matched on the claim code, the folded licence number, the BHXH code and the
CCCD, because profiles differ in what they write (130: BHXH code, 4750: CCHN, 3176:
GPHN; NĐ 102 points towards the personal id). 3176 suffixes (``.TX.XXXXX`` remote,
``.HD.XXXXX`` mobilised, ``.CG.XXXXX`` technology transfer; 130 ``.C.XXXXX``) and the
trainee form ``<GPHN>.<CCCD>`` resolve to the supervising practitioner's code.

Pure: the registry is loaded once into memory (``RegistryPractitioners``); the check
itself reads element-name -> text dicts, never a database.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, Protocol

from adapter.registry.hours import WorkingHours
from adapter.registry.identifiers import fold_licence, split_list
from adapter.registry.model import RegisteredPractitioner
from adapter.validation.issues import Issue, Severity

Status = Literal["valid", "unknown", "expired", "outside_hours"]

_SUFFIX = re.compile(r"^(?P<base>.+?)\.(?:(?:TX|HD|CG|C)\.[0-9A-Z]{5}|\d{12})$")


class PractitionerLookup(Protocol):
    """What the check needs; ``adapter.validation``'s ``PractitionerRegistry`` has the same shape."""

    def status(self, code: str, on: date) -> Status:
        ...


class StoredLike(Protocol):
    @property
    def record(self) -> RegisteredPractitioner:
        ...


class PeriodSource(Protocol):
    """A ``RegistryStore`` (or anything else that lists stored periods)."""

    def periods(self) -> Sequence[StoredLike]:
        ...


def supervising_code(code: str) -> str:
    """The registered code behind a claim code: suffixes and trainee ids stripped."""
    text = code.strip().upper()
    m = _SUFFIX.match(text)
    return m["base"] if m else text


def _keys(p: RegisteredPractitioner) -> set[str]:
    keys = (p.code.strip().upper(), fold_licence(p.licence_no), p.bhxh_code or "", p.cccd or "")
    return {k.strip() for k in keys if k.strip()}


class RegistryPractitioners:
    """An in-memory snapshot of registered periods, answering ``status(code, on)``.

    Built once per batch: hours are parsed here, not per claim line.
    """

    def __init__(self, source: PeriodSource | Iterable[RegisteredPractitioner], *,
                 ma_cskcb: str | None = None) -> None:
        # A registration at one facility does not cover claims of another: pass the
        # facility whose claims are checked when the store holds several.
        records = [r for r in _records(source) if ma_cskcb is None or r.ma_cskcb == ma_cskcb]
        self._index: dict[str, list[tuple[RegisteredPractitioner, WorkingHours]]] = defaultdict(list)
        for record in records:
            entry = (record, record.hours)
            for key in _keys(record):
                self._index[key].append(entry)
        self.size = len(records)
        self._resolved: dict[str, list[tuple[RegisteredPractitioner, WorkingHours]]] = {}

    def _entries(self, code: str) -> list[tuple[RegisteredPractitioner, WorkingHours]]:
        # Claims repeat a few codes thousands of times: resolve each spelling once.
        found = self._resolved.get(code)
        if found is None:
            base = supervising_code(code)
            found = self._index.get(base) or self._index.get(fold_licence(base)) or []
            self._resolved[code] = found
        return found

    def periods_for(self, code: str) -> list[RegisteredPractitioner]:
        return [record for record, _ in self._entries(code)]

    def status(self, code: str, on: date) -> Status:
        """``on`` may be a datetime: then the registered hours are checked too."""
        entries = self._entries(code)
        if not entries:
            return "unknown"
        day = on.date() if isinstance(on, datetime) else on
        valid = [hours for record, hours in entries if record.valid_on(day)]
        if not valid:
            return "expired"
        if isinstance(on, datetime) and all(not h.empty and not h.covers(on) for h in valid):
            return "outside_hours"
        return "valid"


def _records(source: PeriodSource | Iterable[RegisteredPractitioner]) -> list[RegisteredPractitioner]:
    if isinstance(source, Iterable):
        return list(source)
    return [p.record for p in source.periods()]


@dataclass(frozen=True, kw_only=True, slots=True)
class Reference:
    """Where a practitioner code sits on the claim and which date it is checked on."""

    table: int
    field: str
    dates: tuple[str, ...]     # first non-empty wins; XML1 NGAY_VAO is the last resort
    hours: bool = True         # MA_TTDV signs for the facility: hours do not apply


REFERENCES: tuple[Reference, ...] = (
    Reference(table=1, field="MA_TTDV", dates=("NGAY_RA", "NGAY_VAO"), hours=False),
    Reference(table=2, field="MA_BAC_SI", dates=("NGAY_YL",)),
    Reference(table=3, field="MA_BAC_SI", dates=("NGAY_YL",)),
    Reference(table=3, field="NGUOI_THUC_HIEN", dates=("NGAY_TH_YL", "NGAY_YL")),
    Reference(table=4, field="MA_BS_DOC_KQ", dates=("NGAY_KQ",)),
    Reference(table=5, field="NGUOI_THUC_HIEN", dates=("THOI_DIEM_DBLS",)),
)

_MESSAGES: Mapping[str, tuple[str, Severity, str, str]] = {
    "unknown": ("PRACTITIONER_NOT_REGISTERED", Severity.BLOCKING,
                "Mã nhân viên y tế không có trong danh mục nhân lực (02/DM) của cơ sở",
                "practitioner code is not in the facility's staff catalogue (02/DM)"),
    # Same rule code as "unknown" (as in adapter.validation's catalogue): for the gateway
    # both are "not found in the staff catalogue"; the message tells them apart.
    "expired": ("PRACTITIONER_NOT_REGISTERED", Severity.BLOCKING,
                "Nhân viên y tế không còn/chưa đăng ký hành nghề tại cơ sở vào ngày y lệnh",
                "practitioner's registration is not valid on the order date"),
    "outside_hours": ("PRACTITIONER_OUTSIDE_HOURS", Severity.WARNING,
                      "Thời điểm y lệnh ngoài thời gian đăng ký hành nghề",
                      "order time is outside the practitioner's registered hours"),
}


def used_codes(tables: Mapping[int, Sequence[Mapping[str, str]]]) -> set[str]:
    """Every registered code a claim refers to (suffixes resolved), for the catalogue usage report."""
    return {supervising_code(code) for ref in REFERENCES for row in tables.get(ref.table, ())
            for code in split_list(row.get(ref.field))}


def parse_claim_time(text: str | None) -> datetime | None:
    """yyyyMMddHHmm (or yyyyMMdd) as the tables write it; None when absent or impossible."""
    raw = (text or "").strip()
    for fmt, size in (("%Y%m%d%H%M", 12), ("%Y%m%d", 8)):
        if len(raw) == size and raw.isdigit():
            try:
                return datetime.strptime(raw, fmt)
            except ValueError:
                return None
    return None


def check_claim_practitioners(tables: Mapping[int, Sequence[Mapping[str, str]]], registry: PractitionerLookup,
                              *, ma_lk: str) -> list[Issue]:
    """Issues for every practitioner code on XML1..5 that is unknown, not valid, or outside hours."""
    header = (tables.get(1) or [{}])[0]
    fallback = parse_claim_time(header.get("NGAY_VAO"))
    issues: list[Issue] = []
    for ref in REFERENCES:
        for index, row in enumerate(tables.get(ref.table, ())):
            issues.extend(_row_issues(ref, row, index, registry, ma_lk=ma_lk, fallback=fallback))
    return issues


def _row_issues(ref: Reference, row: Mapping[str, str], index: int, registry: PractitionerLookup, *,
                ma_lk: str, fallback: datetime | None) -> list[Issue]:
    codes = list(dict.fromkeys(split_list(row.get(ref.field))))
    when = next((t for t in (parse_claim_time(row.get(n)) for n in ref.dates) if t is not None), fallback)
    if not codes or when is None:
        return []
    on: date = when if ref.hours else when.date()
    stt = (row.get("STT") or "").strip()
    number = int(stt) if stt.isdigit() else index + 1
    statuses = (registry.status(code, on) for code in codes)
    return [_issue(status, ref, number if ref.table != 1 else None, ma_lk) for status in statuses
            if status != "valid"]


def _issue(status: Status, ref: Reference, row: int | None, ma_lk: str) -> Issue:
    rule, severity, vi, en = _MESSAGES[status]
    return Issue(rule=rule, severity=severity, table=f"XML{ref.table}", field=ref.field, row=row, ma_lk=ma_lk,
                 message_vi=vi, message_en=en)
