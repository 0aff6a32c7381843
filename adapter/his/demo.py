"""The demo HIS: the view-contract tables filled with deterministic encounters.

``generate_demo_his(url, encounters=200, seed=1)`` creates (or re-creates) the
contract schema on SQLite, PostgreSQL or MariaDB and bulk-inserts the encounters of
:mod:`adapter.his.demo_data`. It is for demos, tests and benchmarks; a real hospital
creates views over its own data instead (``docs/his-view-contract.md``).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, MetaData, Table

from adapter.his import contract, demo_data
from adapter.his.demo_data import GeneratedEncounter
from adapter.his.engine import writable_engine
from adapter.model import Encounter, Facility, Patient, Practitioner

CHUNK = 2000


@dataclass(frozen=True, kw_only=True, slots=True)
class DemoSummary:
    """What a demo generator wrote."""

    url: str                    # without password
    encounters: int
    finished: int
    open: int
    rows: dict[str, int] = field(default_factory=dict)   # table -> row count
    seconds: float = 0.0
    first_ma_lk: str = ""
    last_ma_lk: str = ""


_NAMES: dict[type, tuple[str, ...]] = {}


def _names(cls: type) -> tuple[str, ...]:
    names = _NAMES.get(cls)
    if names is None:
        names = _NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


def obj_row(obj: object, **extra: Any) -> dict[str, Any]:
    """A model object as a column dict (flat attributes only)."""
    row = {n: getattr(obj, n) for n in _names(type(obj)) if n not in ("ma_lk",)}
    row.update(extra)
    return row


_PATIENT = frozenset(f.name for f in fields(Patient))


def encounter_row(g: GeneratedEncounter) -> dict[str, Any]:
    e = g.encounter
    row = {n: getattr(e.patient if n in _PATIENT else e, n) for n, _ in contract.encounter_fields()}
    guardian = e.patient.guardian
    row.update(guardian_name=guardian.name if guardian else None, guardian_relation=None,
               guardian_id_number=None, guardian_phone=None)
    row.update(ma_lk=e.ma_lk, ma_cskcb=e.ma_cskcb, finished=1 if g.finished else 0,
               finished_at=e.ngay_ttoan if g.finished else None, updated_at=g.updated_at)
    if not g.finished:
        row["ngay_ra"] = None       # still in care: the HIS has no end time yet
    return row


def detail_rows(e: Encounter) -> Iterator[tuple[str, dict[str, Any]]]:
    """(contract table, row) for every card and detail row of one encounter."""
    for stt, card in enumerate(e.cards, start=1):
        yield "his_card", {"ma_lk": e.ma_lk, "stt": stt, **obj_row(card)}
    for k in contract.ROW_KINDS:
        value = getattr(e, k.attr)
        if k.many:
            for stt, item in enumerate(value, start=1):
                yield k.table, obj_row(item, ma_lk=e.ma_lk, stt=stt)
        elif value is not None:
            yield k.table, obj_row(value, ma_lk=e.ma_lk)


def facility_row(f: Facility) -> dict[str, Any]:
    return obj_row(f)


def practitioner_row(p: Practitioner, ma_cskcb: str) -> dict[str, Any]:
    return obj_row(p, departments=";".join(p.departments), ma_cskcb=ma_cskcb)


def contract_rows(generated: Iterable[GeneratedEncounter]) -> Iterator[tuple[str, dict[str, Any]]]:
    for g in generated:
        yield "his_encounter", encounter_row(g)
        yield from detail_rows(g.encounter)


class ChunkedWriter:
    """Buffers rows per table and inserts them in bulk chunks (executemany; COPY on psycopg)."""

    def __init__(self, conn: Connection, metadata: MetaData, chunk: int = CHUNK) -> None:
        self._conn, self._md, self._chunk = conn, metadata, chunk
        self._buffers: dict[str, list[dict[str, Any]]] = {}
        self.counts: dict[str, int] = {}
        # PostgreSQL COPY is several times faster than executemany for demo volumes.
        self._copy = conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg"

    def add(self, table: str, row: dict[str, Any]) -> None:
        buf = self._buffers.setdefault(table, [])
        buf.append(row)
        if len(buf) >= self._chunk:
            self._flush(table)

    def close(self) -> dict[str, int]:
        for table in list(self._buffers):
            self._flush(table)
        return dict(sorted(self.counts.items()))

    def _flush(self, table: str) -> None:
        rows = self._buffers.pop(table, [])
        if not rows:
            return
        target: Table = self._md.tables[table]
        if self._copy:
            self._copy_rows(target, rows)
        else:
            self._conn.execute(target.insert(), rows)
        self.counts[table] = self.counts.get(table, 0) + len(rows)

    def _copy_rows(self, target: Table, rows: list[dict[str, Any]]) -> None:
        names = list(rows[0])
        columns = ", ".join(target.c[n].name for n in names)      # names of our own metadata only
        raw: Any = self._conn.connection.driver_connection
        with raw.cursor() as cur, cur.copy(f"COPY {target.name} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[n] for n in names])


def generate_demo_his(url: str | Path, *, encounters: int, seed: int, ma_cskcb: str = "79001",
                      start: datetime | None = None) -> DemoSummary:
    """Create the view-contract schema at ``url`` and fill it with deterministic demo data."""
    began = time.perf_counter()
    tally = Tally()
    generated = tally.count(demo_data.iter_generate(encounters=encounters, seed=seed, ma_cskcb=ma_cskcb,
                                                    start=start))
    md = contract.build_metadata()
    engine = writable_engine(url)
    try:
        with engine.begin() as conn:
            md.drop_all(conn)
            md.create_all(conn)
            writer = ChunkedWriter(conn, md)
            writer.add("his_facility", facility_row(demo_data.facility(ma_cskcb)))
            for p in demo_data.practitioners():
                writer.add("his_practitioner", practitioner_row(p, ma_cskcb))
            for table, row in contract_rows(generated):
                writer.add(table, row)
            counts = writer.close()
    finally:
        engine.dispose()
    return tally.summary(engine.url.render_as_string(hide_password=True), counts, began)


class Tally:
    """Counts generated encounters as they stream past (the generators never hold them all)."""

    def __init__(self) -> None:
        self.total = self.finished = 0
        self.first = self.last = ""

    def count(self, items: Iterable[GeneratedEncounter]) -> Iterator[GeneratedEncounter]:
        for g in items:
            self.total += 1
            self.finished += g.finished
            self.first = self.first or g.encounter.ma_lk
            self.last = g.encounter.ma_lk
            yield g

    def summary(self, url: str, counts: dict[str, int], began: float) -> DemoSummary:
        return DemoSummary(url=url, encounters=self.total, finished=self.finished,
                           open=self.total - self.finished, rows=counts,
                           seconds=round(time.perf_counter() - began, 3), first_ma_lk=self.first,
                           last_ma_lk=self.last)
