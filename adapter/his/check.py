"""``his check``: can the adapter read this HIS? Connection, every profile query, first problems.

Runs each query of the profile once against the live database (read-only) with
sample parameters, counts the rows, then reads a first batch through the real reader
and lists the problems it found (MA_LK, column, rule; never values).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine

from adapter.errors import AdapterError
from adapter.his import profile as q
from adapter.his.engine import reading
from adapter.his.profile import SourceProfile
from adapter.his.reader import EPOCH, SqlHisSource
from adapter.ports import Watermark


@dataclass(frozen=True, kw_only=True, slots=True)
class QueryCheck:
    query: str
    rows: int | None
    seconds: float
    error: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class CheckReport:
    profile: str
    dialect: str
    ma_cskcb: str
    connected: bool
    queries: tuple[QueryCheck, ...] = ()
    encounters_read: int = 0
    problems: tuple[dict[str, str], ...] = field(default_factory=tuple)
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.connected and not self.error and all(not c.error for c in self.queries)

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "profile": self.profile, "dialect": self.dialect, "ma_cskcb": self.ma_cskcb,
                "connected": self.connected, "error": self.error, "encounters_read": self.encounters_read,
                "queries": [{"query": c.query, "rows": c.rows, "seconds": c.seconds, "error": c.error}
                            for c in self.queries],
                "problems": list(self.problems)}


def check_source(engine: Engine, profile: SourceProfile, *, ma_cskcb: str, sample: int = 50,
                 max_problems: int = 20) -> CheckReport:
    def report(**kw: Any) -> CheckReport:
        return CheckReport(profile=profile.name, dialect=engine.dialect.name, ma_cskcb=ma_cskcb, **kw)

    try:
        with reading(engine) as conn:
            conn.exec_driver_sql("SELECT 1").all()
    except AdapterError as exc:
        return report(connected=False, error=str(exc))
    ids, first = _sample_ids(engine, profile, ma_cskcb, sample)
    checks = [first, *(_run(engine, profile, name, ma_cskcb, ids, sample)
                       for name in profile.query_names() if name != q.ENCOUNTERS_CHANGED)]
    read, problems, error = _read_sample(engine, profile, ma_cskcb, sample, max_problems)
    return report(connected=True, queries=tuple(checks), encounters_read=read, problems=problems, error=error)


def _params(ma_cskcb: str, ids: list[str], limit: int) -> dict[str, Any]:
    return {"ma_cskcb": ma_cskcb, "since_changed": EPOCH, "since_ma_lk": "", "limit": limit,
            "ma_lks": ids or [""]}


def _execute(engine: Engine, profile: SourceProfile, name: str, params: dict[str, Any]) -> list[Any]:
    statement = profile.statement(name, engine.dialect.name)
    used = profile.parameters(name, engine.dialect.name)
    with reading(engine) as conn:
        return list(conn.execute(statement, {k: v for k, v in params.items() if k in used}).mappings())


def _sample_ids(engine: Engine, profile: SourceProfile, ma_cskcb: str,
                sample: int) -> tuple[list[str], QueryCheck]:
    began = time.perf_counter()
    try:
        rows = _execute(engine, profile, q.ENCOUNTERS_CHANGED, _params(ma_cskcb, [], sample))
    except AdapterError as exc:
        return [], QueryCheck(query=q.ENCOUNTERS_CHANGED, rows=None, seconds=_since(began), error=str(exc))
    ids = [str(r.get("ma_lk") or r.get("MA_LK")) for r in rows]
    return ids, QueryCheck(query=q.ENCOUNTERS_CHANGED, rows=len(rows), seconds=_since(began))


def _run(engine: Engine, profile: SourceProfile, name: str, ma_cskcb: str, ids: list[str],
         sample: int) -> QueryCheck:
    began = time.perf_counter()
    try:
        rows = _execute(engine, profile, name, _params(ma_cskcb, ids, sample))
    except AdapterError as exc:
        return QueryCheck(query=name, rows=None, seconds=_since(began), error=str(exc))
    return QueryCheck(query=name, rows=len(rows), seconds=_since(began))


def _read_sample(engine: Engine, profile: SourceProfile, ma_cskcb: str, sample: int,
                 max_problems: int) -> tuple[int, tuple[dict[str, str], ...], str]:
    source = SqlHisSource(engine, profile, ma_cskcb=ma_cskcb, batch_size=sample)
    problems: list[dict[str, str]] = []
    read = 0
    try:
        for extracted, _mark in source.finished_since(Watermark(), limit=sample):
            read += 1
            problems += [{"ma_lk": e.record, "field": e.field, "rule": e.rule} for e in extracted.errors]
    except AdapterError as exc:
        return read, tuple(problems[:max_problems]), str(exc)
    return read, tuple(problems[:max_problems]), ""


def _since(began: float) -> float:
    return round(time.perf_counter() - began, 4)
