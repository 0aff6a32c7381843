"""A validation issue: located, coded, bilingual. Shared by every rule and by the registry check."""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass
from typing import Any


class Severity(enum.StrEnum):
    BLOCKING = "blocking"      # keeps the encounter out of the queue (needs-fix)
    WARNING = "warning"        # reported, does not block


@dataclass(frozen=True, kw_only=True, slots=True)
class Issue:
    """One finding. Points at table, row and field; never carries the offending value."""

    rule: str                  # stable code, e.g. "MONEY_LINE_BHTT"
    severity: Severity
    table: str                 # "XML1", "XML3", "XML0", "ENVELOPE", "FILE", "HIS", "FHIR", "02/DM"
    field: str = ""            # element name, "" for a whole row or table
    row: int | None = None     # 1-based row (STT order) for list tables
    ma_lk: str = ""
    message_vi: str = ""
    message_en: str = ""

    @property
    def blocking(self) -> bool:
        return self.severity is Severity.BLOCKING

    @property
    def location(self) -> str:
        row = f"[{self.row}]" if self.row is not None else ""
        return f"{self.table}{row}.{self.field}" if self.field else f"{self.table}{row}"

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


def blocking(issues: list[Issue] | tuple[Issue, ...]) -> list[Issue]:
    return [i for i in issues if i.blocking]
