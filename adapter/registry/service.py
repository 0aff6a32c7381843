"""Registry use cases: import, export, check, submit. Collaborators come in as arguments.

The CLI (``adapter/cli/staff.py``) only parses arguments, calls these and prints.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from adapter.errors import ConfigError, DataError
from adapter.ports import DocumentKind, Signer
from adapter.registry.identifiers import TaxCodeSource
from adapter.registry.model import Department, FacilityRecord, RegisteredPractitioner
from adapter.registry.staff_xml import build_staff_catalogue
from adapter.registry.store import RegistryStore, SyncResult
from adapter.validation.issues import Issue

if TYPE_CHECKING:
    from adapter.outbox.store import OutboxStore
    from adapter.outbox.values import EnqueueResult

log = logging.getLogger(__name__)

STAFF_PROFILE = "02DM"


@dataclass(frozen=True, kw_only=True, slots=True)
class ImportOutcome:
    result: SyncResult
    issues: tuple[Issue, ...]
    read: int

    def as_dict(self) -> dict[str, Any]:
        return {"read": self.read, **self.result.as_dict(), "issues": [i.as_dict() for i in self.issues]}


@cache
def standard_department_names() -> dict[str, str]:
    resource = resources.files("adapter").joinpath("data/registry/departments_qd5937.json")
    raw = resource.read_text(encoding="utf-8")
    names: dict[str, str] = json.loads(raw)["departments"]
    return names


def _department_name(code: str) -> str:
    names = standard_department_names()
    return names.get(code) or names.get(code[:3], code)


def with_practitioner_departments(facility: FacilityRecord, practitioners: Iterable[RegisteredPractitioner]
                                  ) -> FacilityRecord:
    """Add departments the staff work in but the facility record lacks, named from the standard list."""
    known = {d.code for d in facility.departments}
    extra = sorted({c for p in practitioners for c in p.departments} - known)
    added = tuple(Department(code=c, name=_department_name(c)) for c in extra)
    return replace(facility, departments=facility.departments + added) if added else facility


def load_facility_file(path: Path) -> FacilityRecord:
    """A facility record from JSON: FacilityRecord fields, departments as [{"code", "name"}]."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        departments = tuple(Department(code=d["code"], name=d["name"]) for d in raw.pop("departments", ()))
        source = raw.pop("tax_code_source", None)
        for key in ("valid_from", "valid_to"):
            if raw.get(key):
                raw[key] = date.fromisoformat(raw[key])
        return FacilityRecord(**raw, departments=departments,
                              tax_code_source=TaxCodeSource(source) if source else None)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"facility file {path.name} cannot be used: {exc}") from exc


def sync(store: RegistryStore, records: Sequence[RegisteredPractitioner], issues: Sequence[Issue], *,
         ma_cskcb: str, effective: date, now: datetime, close_missing: bool) -> ImportOutcome:
    result = store.sync_practitioners(records, ma_cskcb=ma_cskcb, effective=effective, now=now,
                                      close_missing=close_missing)
    return ImportOutcome(result=result, issues=tuple(issues), read=len(records))


def save_facility(store: RegistryStore, facility: FacilityRecord | None, *, ma_cskcb: str, effective: date,
                  now: datetime) -> FacilityRecord:
    """Store the facility (given, or the latest stored one) with the staff's departments added."""
    base = facility or store.facility(ma_cskcb) or FacilityRecord(ma_cskcb=ma_cskcb, name=ma_cskcb)
    complete = with_practitioner_departments(base, store.practitioners_on(effective, ma_cskcb=ma_cskcb))
    store.save_facility(complete, effective=effective, now=now)
    return store.facility(ma_cskcb) or complete


def catalogue_rows(store: RegistryStore, *, ma_cskcb: str, since: date
                   ) -> tuple[FacilityRecord, list[RegisteredPractitioner]]:
    facility = store.facility(ma_cskcb)
    if facility is None:
        raise DataError("no facility record; run `staff import` first", record=ma_cskcb,
                        rule="REGISTRY_NO_FACILITY")
    return facility, store.periods_since(since, ma_cskcb=ma_cskcb)


def staff_catalogue(store: RegistryStore, *, ma_cskcb: str, since: date, created_on: date) -> bytes:
    """The unsigned 02/DM document of the periods running on or after ``since``."""
    facility, rows = catalogue_rows(store, ma_cskcb=ma_cskcb, since=since)
    return build_staff_catalogue(facility, rows, created_on=created_on)


def catalogue_key(created_on: date) -> str:
    """Outbox key: one catalogue per facility and day; a same-day change is a new version of it."""
    return f"DM02-{created_on:%Y%m%d}"


def submit_catalogue(outbox: OutboxStore, signer: Signer, document: bytes, *, ma_cskcb: str,
                     created_on: date, now: datetime) -> EnqueueResult:
    """Sign the catalogue (the signer verifies its own bytes) and queue the exact signed bytes."""
    from adapter.outbox.values import NewVersion, sha256_hex

    signed = signer.sign(document)
    new = NewVersion(ma_cskcb=ma_cskcb, ma_lk=catalogue_key(created_on), kind=DocumentKind.STAFF,
                     profile=STAFF_PROFILE, content_hash=sha256_hex(document), unsigned=document,
                     signed=signed, cert_fingerprint=signer.certificate_fingerprint)
    result = outbox.enqueue(new, now=now)
    log.info("staff catalogue queued: facility %s key %s outbox item %s", ma_cskcb, new.ma_lk, result.item_id)
    return result
