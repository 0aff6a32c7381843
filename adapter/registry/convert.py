"""Row -> ``RegisteredPractitioner`` conversion shared by the HIS and XLSX imports. Pure.

A bad cell never stops an import: the field is left empty and a located issue says
which row and field (never the value) so the operator can fix the source.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import fields
from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import Any

from adapter.registry.model import RegisteredPractitioner
from adapter.validation.issues import Issue, Severity

DATE_FIELDS = frozenset({"licence_date", "licence_expires", "valid_from", "valid_to"})
KNOWN_FIELDS = frozenset(f.name for f in fields(RegisteredPractitioner))
_DATE_FORMATS = ("%Y%m%d", "%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y%m%d%H%M")


def text_value(value: Any) -> str | None:
    """A cell as text: NFC, stripped; numbers without a trailing .0 (spreadsheets store codes as numbers)."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFC", str(value)).strip()
    return text or None


def date_value(value: Any) -> date | None:
    """A date from a date/datetime cell or a text in one of the formats HIS and spreadsheets use."""
    if value is None or isinstance(value, date):
        return value.date() if isinstance(value, datetime) else value
    text = text_value(value)
    if text is None:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError("not a date")


def _issue(rule: str, field: str, row: int, vi: str, en: str, *, table: str) -> Issue:
    return Issue(rule=rule, severity=Severity.BLOCKING, table=table, field=field, row=row,
                 message_vi=vi, message_en=en)


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


@cache
def title_codes() -> dict[str, str]:
    """Folded title text -> CHUCDANH_NN code, from ``data/registry/chucdanh_nn.json``."""
    resource = resources.files("adapter").joinpath("data/registry/chucdanh_nn.json")
    codes: dict[str, list[str]] = json.loads(resource.read_text(encoding="utf-8"))["codes"]
    return {_fold(name): code for code, names in codes.items() for name in names}


def title_code(text: str | None) -> str | None:
    """A CHUCDANH_NN code for a title the HIS may write as text ("Bác sĩ" -> "1")."""
    if text is None or re.fullmatch(r"\d{1,2}", text):
        return text
    return title_codes().get(_fold(text), text)


def _cccd(text: str | None) -> str | None:
    # A spreadsheet that stored the personal id as a number dropped its leading zero.
    if text is not None and text.isdigit() and len(text) == 11:
        return "0" + text
    return text


def convert_row(values: Mapping[str, Any], *, ma_cskcb: str, row: int, table: str = "IMPORT"
                ) -> tuple[RegisteredPractitioner | None, list[Issue]]:
    """One source row (attribute name -> cell) as a practitioner period, plus what was wrong."""
    data: dict[str, Any] = {}
    issues: list[Issue] = []
    for name, raw in values.items():
        if name not in KNOWN_FIELDS:
            continue
        try:
            data[name] = date_value(raw) if name in DATE_FIELDS else text_value(raw)
        except ValueError:
            issues.append(_issue("IMPORT_DATE", name, row, "Ngày không hợp lệ", "not a valid date",
                                 table=table))
    data["departments"] = tuple(d.strip() for d in (data.get("departments") or "").split(";") if d.strip())
    data["cccd"] = _cccd(data.get("cccd"))
    data["title"] = title_code(data.get("title"))
    data["code"] = data.get("code") or data.get("licence_no")
    data["ma_cskcb"] = data.get("ma_cskcb") or ma_cskcb
    for required in ("code", "name"):
        if not data.get(required):
            issues.append(_issue("IMPORT_REQUIRED", required, row, "Thiếu thông tin bắt buộc",
                                 "required value missing", table=table))
    start, end = data.get("valid_from"), data.get("valid_to")
    if start is not None and end is not None and end < start:
        # Stored as is it would be a void period, silently never valid.
        issues.append(_issue("IMPORT_PERIOD", "valid_to", row, "Đến ngày trước từ ngày",
                             "period ends before it starts", table=table))
        return None, issues
    if not data.get("code") or not data.get("name"):
        return None, issues
    return RegisteredPractitioner(**data), issues
