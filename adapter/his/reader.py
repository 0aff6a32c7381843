"""``SqlHisSource``: the production :class:`adapter.ports.HisSource` over a HIS database.

Reads in batches: one query for up to ``batch_size`` encounter headers in watermark
order, then ONE query per kind of row for the whole batch (``WHERE ma_lk IN (...)``
with bound parameters). Never a query per encounter or per line. A batch is read,
its connection released, and only then yielded, so a slow consumer holds no
database connection and memory stays bounded by one batch.

A malformed row (missing required value, impossible date, invalid UTF-8, enormous
text) makes that one encounter an ``Extracted`` without a model and with located
``DataError``s; the rest of the batch goes on.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine

from adapter.his import profile as q
from adapter.his.assemble import Assembled, Details, Row, assemble, practitioner
from adapter.his.contract import ROW_KINDS
from adapter.his.convert import DEFAULT_MAX_TEXT
from adapter.his.engine import reading
from adapter.his.profile import SourceProfile
from adapter.model import Practitioner
from adapter.ports import Extracted, Watermark

log = logging.getLogger(__name__)
EPOCH = datetime(1900, 1, 1)       # "never read": earlier than any HIS change time


@dataclass(frozen=True, kw_only=True, slots=True)
class _Batch:
    headers: list[Row]
    details: Details
    staff: dict[str, Practitioner]


class SqlHisSource:
    """Reads finished encounters of one facility through a source profile."""

    def __init__(self, engine: Engine, profile: SourceProfile, *, ma_cskcb: str, batch_size: int = 200,
                 max_text: int = DEFAULT_MAX_TEXT) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be positive")
        self._engine = engine
        self._profile = profile
        self._ma_cskcb = ma_cskcb
        self._batch_size = batch_size
        self._max_text = max_text
        self._dialect = engine.dialect.name

    @property
    def profile(self) -> SourceProfile:
        return self._profile

    def finished_since(self, mark: Watermark, *, limit: int) -> Iterator[tuple[Extracted, Watermark]]:
        """Finished encounters changed after ``mark``, oldest first, with the mark after each."""
        remaining, current = limit, mark
        while remaining > 0:
            size = min(self._batch_size, remaining)
            batch = self._read_changed(current, size)
            for header in batch.headers:
                done = self._assemble(header, batch)
                current = Watermark(changed_at=done.changed_at or current.changed_at,
                                    ma_lk=done.extracted.ma_lk)
                yield done.extracted, current
            got = len(batch.headers)
            del batch                          # release it before the next batch is read
            remaining -= got
            if got < size:
                return

    def encounters(self, ma_lks: Sequence[str]) -> list[Extracted]:
        """The named encounters (finished or not), read in batches of ``batch_size``."""
        wanted = list(dict.fromkeys(ma_lks))
        out: list[Extracted] = []
        for start in range(0, len(wanted), self._batch_size):
            chunk = wanted[start:start + self._batch_size]
            with reading(self._engine) as conn:
                headers = self._rows(conn, q.ENCOUNTERS_BY_ID, ma_lks=chunk, ma_cskcb=self._ma_cskcb)
                batch = _Batch(headers=headers, details=self._details(conn, _ids(headers)),
                               staff=self._staff(conn))
            out.extend(self._assemble(h, batch).extracted for h in headers)
        return out

    def _read_changed(self, mark: Watermark, size: int) -> _Batch:
        with reading(self._engine) as conn:
            headers = self._rows(conn, q.ENCOUNTERS_CHANGED, ma_cskcb=self._ma_cskcb,
                                 since_changed=mark.changed_at or EPOCH, since_ma_lk=mark.ma_lk, limit=size)
            details = self._details(conn, _ids(headers)) if headers else {}
            staff = self._staff(conn) if headers else {}
        log.debug("HIS batch read: %d encounter(s) after %s", len(headers), mark.ma_lk or "start")
        return _Batch(headers=headers, details=details, staff=staff)

    def _assemble(self, header: Row, batch: _Batch) -> Assembled:
        done = assemble(header, batch.details, batch.staff, ma_cskcb=self._ma_cskcb, max_text=self._max_text)
        if done.extracted.errors:
            log.warning("HIS encounter %s unreadable: %s", done.extracted.ma_lk,
                        ", ".join(sorted({e.rule for e in done.extracted.errors})))
        return done

    def _rows(self, conn: Connection, query: str, **params: Any) -> list[Row]:
        statement = self._profile.statement(query, self._dialect)
        used = self._profile.parameters(query, self._dialect)
        result = conn.execute(statement, {k: v for k, v in params.items() if k in used})
        keys = [str(k).lower() for k in result.keys()]    # vendors answer MA_LK, PostgreSQL ma_lk
        return [dict(zip(keys, row, strict=True)) for row in result.fetchall()]

    def _details(self, conn: Connection, ma_lks: list[str]) -> Details:
        names = [q.CARDS, *(k.name for k in ROW_KINDS if self._profile.has(k.name))]
        details: dict[str, dict[str, list[Row]]] = {}
        for name in names:
            grouped: dict[str, list[Row]] = defaultdict(list)
            for row in self._rows(conn, name, ma_lks=ma_lks, ma_cskcb=self._ma_cskcb):
                grouped[str(row.get("ma_lk"))].append(row)
            details[name] = grouped
        return details

    def _staff(self, conn: Connection) -> dict[str, Practitioner]:
        staff = {}
        for row in self._rows(conn, q.PRACTITIONERS, ma_cskcb=self._ma_cskcb):
            p = practitioner(row, self._max_text)
            if p is not None:
                staff[p.code] = p
        return staff


def _ids(headers: list[Row]) -> list[str]:
    return [str(h.get("ma_lk")) for h in headers if h.get("ma_lk") not in (None, "")]
