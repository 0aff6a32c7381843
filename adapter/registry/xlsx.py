"""Practitioner lists as XLSX (openpyxl), with the column layout in a JSON file.

The official QLHN import template is not public, so nothing about the sheet is
hard-coded: a layout names the sheet, the lines above the table (formatted with the
facility's attributes) and, per column, the header and the practitioner attribute
(``#`` = running number). Built-in layouts: ``qlhn_mau01`` (national practice registry,
NĐ 96 Mẫu 01 columns plus CCCD, title, scope, departments, hours) and ``staff_master``
(the 02/DM columns, for import). Codes are written as text cells so that leading zeros
survive (CCCD ``048...``); dates as real dates shown dd/mm/yyyy.
"""

from __future__ import annotations

import json
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from adapter.errors import ConfigError, DataError
from adapter.registry.convert import DATE_FIELDS, KNOWN_FIELDS, convert_row
from adapter.registry.model import FacilityRecord, RegisteredPractitioner
from adapter.validation.issues import Issue

NUMBER = "#"


@dataclass(frozen=True, kw_only=True, slots=True)
class LayoutColumn:
    header: str
    field: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Layout:
    name: str
    sheet: str
    preamble: tuple[str, ...]
    columns: tuple[LayoutColumn, ...]

    @property
    def header_row(self) -> int:
        """1-based row of the header line: the preamble, one blank line, then the header."""
        return len(self.preamble) + 2 if self.preamble else 1


def load_layout(name_or_path: str | Path) -> Layout:
    """A built-in layout by name or a JSON file."""
    path = Path(name_or_path)
    try:
        if path.suffix == ".json" or path.is_file():
            raw = json.loads(path.read_text(encoding="utf-8"))
        else:
            resource = resources.files("adapter").joinpath(f"data/registry/{name_or_path}.json")
            raw = json.loads(resource.read_text(encoding="utf-8"))
        return _layout(raw)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"practitioner list layout {name_or_path} cannot be used: {exc}") from exc


def _layout(raw: dict[str, Any]) -> Layout:
    columns = tuple(LayoutColumn(header=str(c["header"]), field=str(c["field"])) for c in raw["columns"])
    unknown = [c.field for c in columns if c.field != NUMBER and c.field not in KNOWN_FIELDS]
    if unknown:
        raise KeyError(f"unknown practitioner fields {unknown}")
    return Layout(name=str(raw["name"]), sheet=str(raw["sheet"]), preamble=tuple(raw.get("preamble", ())),
                  columns=columns)


CellValue = str | int | date | None
_FACILITY_PLACEHOLDERS = ("ma_cskcb", "name", "address", "person_responsible", "national_id", "tax_code")


def cell_value(practitioner: RegisteredPractitioner, column: LayoutColumn, number: int) -> CellValue:
    """What one cell holds: the running number, a date, or text."""
    if column.field == NUMBER:
        return number
    value = getattr(practitioner, column.field)
    if isinstance(value, tuple):
        return ";".join(value) or None
    return value if isinstance(value, date) or value is None else str(value)


def write_practitioner_list(path: Path, layout: Layout, facility: FacilityRecord,
                            practitioners: Sequence[RegisteredPractitioner]) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = layout.sheet
    for line, template in enumerate(layout.preamble, start=1):
        sheet.cell(row=line, column=1, value=_fill(template, facility))
    for col, column in enumerate(layout.columns, start=1):
        sheet.cell(row=layout.header_row, column=col, value=column.header).font = Font(bold=True)
    for offset, practitioner in enumerate(practitioners, start=1):
        _write_row(sheet, layout, layout.header_row + offset, practitioner, offset)
    workbook.save(path)


def _write_row(sheet: Worksheet, layout: Layout, row: int, practitioner: RegisteredPractitioner,
               number: int) -> None:
    for col, column in enumerate(layout.columns, start=1):
        cell = sheet.cell(row=row, column=col, value=cell_value(practitioner, column, number))
        cell.number_format = "DD/MM/YYYY" if column.field in DATE_FIELDS else "@"
        if column.field == NUMBER:
            cell.number_format = "0"


def _fill(template: str, facility: FacilityRecord) -> str:
    values = {name: getattr(facility, name) or "" for name in _FACILITY_PLACEHOLDERS}
    return template.format(**values)


def _fold(text: Any) -> str:
    return " ".join(unicodedata.normalize("NFC", str(text or "")).casefold().split())


def read_rows(path: Path, layout: Layout) -> Iterator[tuple[int, dict[str, Any]]]:
    """(sheet row, attribute -> cell) for every non-empty row under the header, matched by header text."""
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, InvalidFileException) as exc:
        raise DataError("the practitioner list is not a readable XLSX file", record=path.name,
                        rule="IMPORT_FILE") from exc
    try:
        sheet = workbook[layout.sheet] if layout.sheet in workbook.sheetnames else workbook.worksheets[0]
        yield from _rows(sheet, layout, path.name)
    finally:
        workbook.close()


def _rows(sheet: Any, layout: Layout, name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    wanted = {_fold(c.header): c.field for c in layout.columns}
    fields: dict[int, str] | None = None
    for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
        if fields is None:
            found = {i: wanted[_fold(v)] for i, v in enumerate(cells) if _fold(v) in wanted}
            fields = found if len(found) >= min(3, len(wanted)) else None
            continue
        if all(v is None or str(v).strip() == "" for v in cells):
            continue
        yield number, {field: cells[i] for i, field in fields.items() if i < len(cells)}
    if fields is None:
        raise DataError(f"no header row of layout {layout.name} found", record=name, rule="IMPORT_HEADER")


def read_practitioner_list(path: Path, layout: Layout, *, ma_cskcb: str
                           ) -> tuple[list[RegisteredPractitioner], list[Issue]]:
    """Practitioners from a sheet in this layout, and located problems with rows that were skipped."""
    records: list[RegisteredPractitioner] = []
    issues: list[Issue] = []
    for row, values in read_rows(path, layout):
        values.pop(NUMBER, None)
        record, problems = convert_row(values, ma_cskcb=ma_cskcb, row=row, table="XLSX")
        issues.extend(problems)
        if record is not None:
            records.append(record)
    return records, issues
