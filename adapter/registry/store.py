"""Registry storage (SQLAlchemy Core): facility versions and practitioner periods, with history.

Slowly-changing dimension, type 2. A row is one period (``valid_from``..``valid_to``,
the 02/DM ``TU_NGAY``/``DEN_NGAY``) plus ``recorded_at``. The ONLY update ever made to
a stored row is *closing* it: moving ``valid_to`` earlier (or from open to a date),
with ``closed_at`` recording when, conditional on the period still reaching past the
new end. A change of attributes closes the old period the day before the change and
inserts a new one, exactly the two rows BHXH wants (BHYT-DATA-R19). A correction on
the first day of a period closes it before it starts (``valid_to < valid_from``): a
*void* period, kept for audit and ignored by every query.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    and_,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.engine import Connection

from adapter.registry.identifiers import TaxCodeSource, fold_licence
from adapter.registry.model import Department, FacilityRecord, RegisteredPractitioner, local_day
from adapter.storage import metadata

log = logging.getLogger(__name__)

registry_facility = Table(
    "registry_facility", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("ma_cskcb", String(5), nullable=False, index=True),
    Column("name", String(250), nullable=False),
    Column("national_id", String(13)),
    Column("tax_code", String(20)),
    Column("tax_code_source", String(32)),
    Column("address", String(500)),
    Column("person_responsible", String(250)),
    Column("hours_day", String(200)),
    Column("hours_week", String(200)),
    Column("valid_from", Date, nullable=False),
    Column("valid_to", Date),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("closed_at", DateTime(timezone=True)),
)

# Departments belong to one facility version and are never changed: a new department
# list is a new facility version.
registry_department = Table(
    "registry_department", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("facility_id", Integer, ForeignKey("registry_facility.id"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("code", String(20), nullable=False),
    Column("name", String(250), nullable=False),
)

registry_practitioner = Table(
    "registry_practitioner", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("ma_cskcb", String(5), nullable=False, index=True),
    Column("code", String(255), nullable=False, index=True),
    Column("name", String(250), nullable=False),
    Column("cccd", String(15), index=True),
    Column("bhxh_code", String(15)),
    Column("gender", String(1)),
    Column("licence_no", String(250)),
    Column("licence_folded", String(250), index=True),
    Column("licence_kind", String(4)),
    Column("licence_issuer", String(250)),
    Column("licence_date", Date),
    Column("licence_expires", Date),
    Column("title", String(10)),
    Column("position", String(5)),
    Column("scope", String(100)),
    Column("scope_extra", String(250)),
    Column("other_services", Text),
    Column("assignment_doc", String(250)),
    Column("departments", String(250)),
    Column("employment", String(1)),
    Column("hours_day", String(200)),
    Column("hours_week", String(200)),
    Column("other_facilities", String(250)),
    Column("transfer_facility", String(5)),
    Column("transfer_decision", String(100)),
    Column("valid_from", Date, nullable=False),
    Column("valid_to", Date),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("closed_at", DateTime(timezone=True)),
)

_P_COLUMNS = tuple(f.name for f in fields(RegisteredPractitioner))
_F_COLUMNS = tuple(f.name for f in fields(FacilityRecord) if f.name != "departments")


@dataclass(frozen=True, kw_only=True, slots=True)
class StoredPeriod:
    """A stored practitioner period with its audit times."""

    id: int
    record: RegisteredPractitioner
    recorded_at: datetime
    closed_at: datetime | None

    @property
    def void(self) -> bool:
        r = self.record
        return r.valid_to is not None and r.valid_from is not None and r.valid_to < r.valid_from


@dataclass(frozen=True, kw_only=True, slots=True)
class SyncResult:
    inserted: int = 0
    closed: int = 0
    unchanged: int = 0
    missing: tuple[str, ...] = ()      # codes with an open period that the source no longer lists

    def as_dict(self) -> dict[str, Any]:
        return {"inserted": self.inserted, "closed": self.closed, "unchanged": self.unchanged,
                "missing": list(self.missing)}


def _not_void(table: Table) -> Any:
    return or_(table.c.valid_to.is_(None), table.c.valid_to >= table.c.valid_from)


def _p_values(r: RegisteredPractitioner) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(r, name) for name in _P_COLUMNS}
    values["departments"] = ";".join(r.departments) or None
    values["licence_folded"] = fold_licence(r.licence_no) or None
    return values


def _p_record(row: Any) -> RegisteredPractitioner:
    data = {name: getattr(row, name) for name in _P_COLUMNS}
    data["departments"] = tuple(d for d in (row.departments or "").split(";") if d)
    return RegisteredPractitioner(**data)


def _stored(row: Any) -> StoredPeriod:
    return StoredPeriod(id=row.id, record=_p_record(row), recorded_at=row.recorded_at,
                        closed_at=row.closed_at)


def _same(a: RegisteredPractitioner, b: RegisteredPractitioner) -> bool:
    return a.attributes() == b.attributes()


class RegistryStore:
    """Facility versions and practitioner periods in the adapter's own database."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @property
    def engine(self) -> Engine:
        return self._engine

    def create_tables(self) -> None:
        """For tests and the demo; production schemas come from the Alembic migration 0003."""
        metadata.create_all(self._engine, tables=list(all_tables()))

    # --- practitioners -----------------------------------------------------------------

    def sync_practitioners(self, records: Iterable[RegisteredPractitioner], *, ma_cskcb: str, effective: date,
                           now: datetime, close_missing: bool = False) -> SyncResult:
        """Bring one facility's stored periods in line with a full source listing, in one transaction.

        ``effective`` is the day changes take effect when the source gives no later start.
        Practitioners with an open period that the listing lacks are reported as missing,
        and closed the day before ``effective`` only when ``close_missing`` is set (a
        practitioner who left must be reported within 3 working days, NĐ 96 Đ27 k12, but a
        partial listing must not end everybody's registration).
        """
        counts = {"inserted": 0, "closed": 0, "unchanged": 0}
        seen: set[int] = set()
        with self._engine.begin() as conn:
            for record in records:
                record = record if record.ma_cskcb else replace(record, ma_cskcb=ma_cskcb)
                self._sync_one(conn, record, effective=effective, now=now, counts=counts, seen=seen)
            missing = self._open_not_seen(conn, seen, effective, ma_cskcb)
            if close_missing:
                for period in missing:
                    counts["closed"] += self._close(conn, period.id, effective - timedelta(days=1), now)
        log.info("registry sync: %s inserted, %s closed, %s unchanged, %s missing",
                 counts["inserted"], counts["closed"], counts["unchanged"], len(missing))
        return SyncResult(**counts, missing=tuple(p.record.code for p in missing))

    def _sync_one(self, conn: Connection, record: RegisteredPractitioner, *, effective: date, now: datetime,
                  counts: dict[str, int], seen: set[int]) -> None:
        latest = self._latest(conn, record)
        if latest is None:
            first = record.with_period(record.valid_from or effective, record.valid_to)
            seen.add(self._insert(conn, first, now))
            counts["inserted"] += 1
            return
        seen.add(latest.id)    # listed: whatever happens to it below, it is not "missing"
        old = latest.record
        assert old.valid_from is not None
        if _same(old, record):
            self._sync_period(conn, latest, record, now=now, counts=counts, seen=seen)
            return
        start = record.valid_from if record.valid_from and record.valid_from > old.valid_from \
            else max(effective, old.valid_from)
        if old.valid_to is None or old.valid_to >= start:
            counts["closed"] += self._close(conn, latest.id, start - timedelta(days=1), now)
        seen.add(self._insert(conn, record.with_period(start, record.valid_to), now))
        counts["inserted"] += 1

    def _sync_period(self, conn: Connection, latest: StoredPeriod, record: RegisteredPractitioner, *,
                     now: datetime, counts: dict[str, int], seen: set[int]) -> None:
        """Same attributes: only the end of the period can differ."""
        old_end, new_end = latest.record.valid_to, record.valid_to
        if old_end == new_end:
            counts["unchanged"] += 1
        elif new_end is not None and (old_end is None or new_end < old_end):
            counts["closed"] += self._close(conn, latest.id, new_end, now)
        else:
            assert old_end is not None
            restart = max(old_end + timedelta(days=1), record.valid_from or old_end)
            seen.add(self._insert(conn, record.with_period(restart, new_end), now))
            counts["inserted"] += 1

    def _latest(self, conn: Connection, record: RegisteredPractitioner) -> StoredPeriod | None:
        t = registry_practitioner
        # The CCCD outlives the claim code (CCHN -> GPHN conversion changes the code).
        same_code = t.c.code == record.code
        who = or_(same_code, t.c.cccd == record.cccd) if record.cccd else same_code
        query = (select(t).where(t.c.ma_cskcb == record.ma_cskcb, who, _not_void(t))
                 .order_by(t.c.valid_from.desc(), t.c.id.desc()).limit(1))
        row = conn.execute(query).first()
        return _stored(row) if row is not None else None

    def _open_not_seen(self, conn: Connection, seen: set[int], on: date, ma_cskcb: str) -> list[StoredPeriod]:
        t = registry_practitioner
        query = select(t).where(t.c.ma_cskcb == ma_cskcb, _not_void(t),
                                or_(t.c.valid_to.is_(None), t.c.valid_to >= on))
        return [p for p in map(_stored, conn.execute(query)) if p.id not in seen]

    @staticmethod
    def _insert(conn: Connection, record: RegisteredPractitioner, now: datetime) -> int:
        result = conn.execute(insert(registry_practitioner).values(**_p_values(record), recorded_at=now))
        return _new_id(result.inserted_primary_key)

    @staticmethod
    def _close(conn: Connection, row_id: int, end: date, now: datetime) -> int:
        """Shorten a period; conditional, so a period is never lengthened or reopened."""
        t = registry_practitioner
        done = conn.execute(update(t).where(t.c.id == row_id, or_(t.c.valid_to.is_(None), t.c.valid_to > end))
                            .values(valid_to=end, closed_at=now))
        return done.rowcount

    def periods(self, *, ma_cskcb: str | None = None, include_void: bool = False) -> list[StoredPeriod]:
        """Every stored period (oldest first per code), for snapshots, exports and audits."""
        t = registry_practitioner
        query = select(t).order_by(t.c.code, t.c.valid_from, t.c.id)
        if ma_cskcb is not None:
            query = query.where(t.c.ma_cskcb == ma_cskcb)
        if not include_void:
            query = query.where(_not_void(t))
        with self._engine.connect() as conn:
            return [_stored(row) for row in conn.execute(query)]

    def practitioners_on(self, day: date, *, ma_cskcb: str | None = None) -> list[RegisteredPractitioner]:
        return [p.record for p in self.periods(ma_cskcb=ma_cskcb) if p.record.valid_on(day)]

    def periods_since(self, since: date, *, ma_cskcb: str) -> list[RegisteredPractitioner]:
        """What a 02/DM submission carries: periods in force on/after ``since``, plus periods
        closed on/after ``since`` even when they ended earlier: a change recorded today ends
        yesterday's period, and BHXH needs that closing row alongside the new one."""
        return [p.record for p in self.periods(ma_cskcb=ma_cskcb)
                if p.record.valid_to is None or p.record.valid_to >= since
                or (p.closed_at is not None and local_day(p.closed_at) >= since)]

    def history(self, key: str) -> list[StoredPeriod]:
        """All periods, void ones included, of the practitioner with this code, licence or CCCD."""
        t = registry_practitioner
        who = or_(t.c.code == key, t.c.cccd == key, t.c.licence_folded == fold_licence(key))
        query = (select(t).where(who)
                 .order_by(t.c.valid_from, t.c.id))
        with self._engine.connect() as conn:
            return [_stored(row) for row in conn.execute(query)]

    # --- facility ----------------------------------------------------------------------

    def save_facility(self, facility: FacilityRecord, *, effective: date, now: datetime) -> bool:
        """Record a facility version if anything changed; True when a new version was written."""
        with self._engine.begin() as conn:
            current = self._facility_latest(conn, facility.ma_cskcb)
            if current is not None and _facility_same(current[1], facility):
                return False
            start = facility.valid_from or effective
            if current is not None:
                self._close_facility(conn, current[0], start - timedelta(days=1), now)
            self._insert_facility(conn, facility, start, now)
            return True

    def facility(self, ma_cskcb: str, *, on: date | None = None) -> FacilityRecord | None:
        """The facility version valid on ``on`` (the latest one when ``on`` is None)."""
        with self._engine.connect() as conn:
            if on is None:
                latest = self._facility_latest(conn, ma_cskcb)
                return latest[1] if latest else None
            t = registry_facility
            row = conn.execute(select(t).where(
                t.c.ma_cskcb == ma_cskcb, _not_void(t), t.c.valid_from <= on,
                or_(t.c.valid_to.is_(None), t.c.valid_to >= on)).order_by(t.c.id.desc()).limit(1)).first()
            return self._facility_record(conn, row) if row is not None else None

    def _facility_latest(self, conn: Connection, ma_cskcb: str) -> tuple[int, FacilityRecord] | None:
        t = registry_facility
        row = conn.execute(select(t).where(t.c.ma_cskcb == ma_cskcb, _not_void(t))
                           .order_by(t.c.valid_from.desc(), t.c.id.desc()).limit(1)).first()
        return (row.id, self._facility_record(conn, row)) if row is not None else None

    @staticmethod
    def _facility_record(conn: Connection, row: Any) -> FacilityRecord:
        d = registry_department
        deps = conn.execute(select(d).where(d.c.facility_id == row.id).order_by(d.c.position))
        data: dict[str, Any] = {name: getattr(row, name) for name in _F_COLUMNS}
        source = data.pop("tax_code_source")
        return FacilityRecord(**data, tax_code_source=TaxCodeSource(source) if source else None,
                              departments=tuple(Department(code=r.code, name=r.name) for r in deps))

    @staticmethod
    def _insert_facility(conn: Connection, f: FacilityRecord, start: date, now: datetime) -> None:
        values: dict[str, Any] = {name: getattr(f, name) for name in _F_COLUMNS}
        source = f.tax_code_source.value if f.tax_code_source else None
        values.update(valid_from=start, tax_code_source=source, recorded_at=now)
        new_id = _new_id(conn.execute(insert(registry_facility).values(**values)).inserted_primary_key)
        rows = [{"facility_id": new_id, "position": i, "code": d.code, "name": d.name}
                for i, d in enumerate(f.departments)]
        if rows:
            conn.execute(insert(registry_department), rows)

    @staticmethod
    def _close_facility(conn: Connection, row_id: int, end: date, now: datetime) -> None:
        t = registry_facility
        conn.execute(update(t).where(and_(t.c.id == row_id, or_(t.c.valid_to.is_(None), t.c.valid_to > end)))
                     .values(valid_to=end, closed_at=now))


def _facility_same(a: FacilityRecord, b: FacilityRecord) -> bool:
    skip = ("valid_from", "valid_to")
    return all(getattr(a, f.name) == getattr(b, f.name) for f in fields(FacilityRecord) if f.name not in skip)


def _new_id(key: Any) -> int:
    assert key is not None, "every supported database returns the new primary key"
    return int(key[0])


def all_tables() -> Sequence[Table]:
    return (registry_facility, registry_department, registry_practitioner)
