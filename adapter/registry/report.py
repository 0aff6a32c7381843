"""The data-quality report wired to its inputs: the store, claim files, and XLSX output."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.styles import Font

from adapter.ports import DocumentKind
from adapter.registry.claim_check import used_codes
from adapter.registry.quality import Finding, quality_report
from adapter.registry.service import with_practitioner_departments
from adapter.registry.store import RegistryStore

if TYPE_CHECKING:
    from adapter.outbox.store import OutboxStore

REPORT_COLUMNS = ("severity", "rule", "practitioner", "row", "field", "message_en", "message_vi")


def run_quality_report(store: RegistryStore, *, ma_cskcb: str, today: date, soon_days: int = 60,
                       used: set[str] | None = None) -> list[Finding]:
    from adapter.registry.model import FacilityRecord

    # The periods a catalogue sent today would carry; history before that is settled.
    periods = store.periods_since(today, ma_cskcb=ma_cskcb)
    facility = store.facility(ma_cskcb) or with_practitioner_departments(
        FacilityRecord(ma_cskcb=ma_cskcb, name=ma_cskcb), periods)
    return quality_report(facility, periods, today=today, soon_days=soon_days, used=used)


def codes_in_document(data: bytes) -> set[str]:
    """Practitioner codes of one claim document: a GIAMDINHHS envelope or a single table."""
    from adapter.validation.parse import envelope, parse_xml, table_rows

    root = parse_xml(data)
    if root.tag == "GIAMDINHHS":
        return set().union(*(used_codes({n: t.rows for n, t in hoso.tables().items()})
                             for hoso in envelope(root).hosos))
    rows = table_rows(root)
    return used_codes({rows.table: rows.rows}) if rows is not None else set()


def claim_codes(paths: Iterable[Path]) -> set[str]:
    """Practitioner codes used by the claim files under ``paths``."""
    from adapter.validation.files import xml_files

    return set().union(*(codes_in_document(f.read_bytes()) for path in paths for f in xml_files(path)))


def claim_codes_from_outbox(outbox: OutboxStore, *, ma_cskcb: str, since: datetime | None = None,
                            limit: int = 5000) -> set[str]:
    """Practitioner codes used by the signed claims the adapter queued for this facility."""
    from adapter.outbox.values import ItemFilter

    items = outbox.list_items(ItemFilter(ma_cskcb=ma_cskcb, since=since, limit=limit))
    payloads = (outbox.payload(i.id) for i in items if i.kind == DocumentKind.CLAIM.value)
    return set().union(*(codes_in_document(p) for p in payloads if p is not None))


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
