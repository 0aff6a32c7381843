"""The data-quality report wired to its inputs: the store, claim files, and XLSX output."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from adapter.registry.claim_check import used_codes
from adapter.registry.quality import Finding, quality_report
from adapter.registry.service import with_practitioner_departments
from adapter.registry.store import RegistryStore

REPORT_COLUMNS = ("severity", "rule", "practitioner", "row", "field", "message_en", "message_vi")


def run_quality_report(store: RegistryStore, *, ma_cskcb: str, today: date, soon_days: int = 60,
                       used: set[str] | None = None) -> list[Finding]:
    from adapter.registry.model import FacilityRecord

    # The periods a catalogue sent today would carry; history before that is settled.
    periods = store.periods_since(today, ma_cskcb=ma_cskcb)
    facility = store.facility(ma_cskcb) or with_practitioner_departments(
        FacilityRecord(ma_cskcb=ma_cskcb, name=ma_cskcb), periods)
    return quality_report(facility, periods, today=today, soon_days=soon_days, used=used)


def claim_codes(paths: Iterable[Path]) -> set[str]:
    """Practitioner codes used by claim files: GIAMDINHHS envelopes or single table documents."""
    from adapter.validation.engine import xml_files
    from adapter.validation.parse import envelope, parse_xml, table_rows

    codes: set[str] = set()
    for path in paths:
        for file in xml_files(path):
            root = parse_xml(file.read_bytes())
            if root.tag == "GIAMDINHHS":
                for hoso in envelope(root).hosos:
                    codes |= used_codes({n: t.rows for n, t in hoso.tables().items()})
            elif (rows := table_rows(root)) is not None:
                codes |= used_codes({rows.table: rows.rows})
    return codes


def write_report_xlsx(path: Path, findings: Sequence[Finding]) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "KiemTraDanhMuc"
    sheet.append(list(REPORT_COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for finding in findings:
        data = finding.as_dict()
        sheet.append([data[c] for c in REPORT_COLUMNS])
    workbook.save(path)
