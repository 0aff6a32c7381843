"""Extraction state in the ADAPTER database: watermarks, content hashes, check-in markers.

Tables live on :data:`adapter.storage.metadata`; migration ``0002`` creates exactly
these (a test compares them).

* ``his_watermark``: how far each (facility, source) has been read. ``changed_at`` is
  the HIS's own change marker (HIS wall-clock time, naive, microseconds kept); it only
  moves forward.
* ``his_extracted``: the content hash last extracted per MA_LK, so that an edit in
  the HIS after extraction (a late line, a correction) shows up as a new version.
* ``his_checkin_sent``: which check-ins (XML0) were queued, per stage.

Writes take the caller's connection: the caller records the extraction and enqueues
the outbox item in ONE transaction, so a crash loses nothing and duplicates nothing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import fields, is_dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Engine,
    PrimaryKeyConstraint,
    String,
    Table,
    and_,
    insert,
    select,
    update,
)
from sqlalchemy.dialects import mysql

from adapter.model import Encounter
from adapter.ports import Watermark
from adapter.storage import metadata

STAGE_FIRST = "first"            # after the first cost of the visit
STAGE_INPATIENT = "inpatient"    # after the first cost in the treatment department


def _time() -> DateTime:
    # MariaDB DATETIME drops fractions unless asked; a truncated watermark would re-read rows.
    return DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


his_watermark = Table(
    "his_watermark", metadata,
    Column("ma_cskcb", String(16), nullable=False),
    Column("source", String(64), nullable=False),
    Column("changed_at", _time(), nullable=True),
    Column("ma_lk", String(100), nullable=False),
    Column("updated_at", _time(), nullable=False),          # UTC, when the adapter moved it
    PrimaryKeyConstraint("ma_cskcb", "source", name="pk_his_watermark"),
)

his_extracted = Table(
    "his_extracted", metadata,
    Column("ma_cskcb", String(16), nullable=False),
    Column("ma_lk", String(100), nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("source_version", String(64), nullable=True),
    Column("extracted_at", _time(), nullable=False),        # UTC
    PrimaryKeyConstraint("ma_cskcb", "ma_lk", name="pk_his_extracted"),
)

his_checkin_sent = Table(
    "his_checkin_sent", metadata,
    Column("ma_cskcb", String(16), nullable=False),
    Column("ma_lk", String(100), nullable=False),
    Column("stage", String(16), nullable=False),
    Column("sent_at", _time(), nullable=False),             # UTC, when it was queued
    PrimaryKeyConstraint("ma_cskcb", "ma_lk", "stage", name="pk_his_checkin_sent"),
)

HIS_STATE_TABLES = (his_watermark, his_extracted, his_checkin_sent)


def _utc_naive(at: datetime | None) -> datetime:
    moment = at or datetime.now(UTC)
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _canon(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _canon(getattr(value, f.name)) for f in fields(value)
                if f.name not in ("source_version", "practitioners")}
    if isinstance(value, tuple | list):
        items = [_canon(v) for v in value]
        # Row order in the HIS is not content: sort by the canonical text of each row.
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")     # 1.50 == 1.5 whatever the column scale
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def content_hash(encounter: Encounter) -> str:
    """Stable SHA-256 of the encounter's content (independent of row order and number scale).

    Leaves out the HIS change marker and the practitioner reference data: neither
    changes what would be sent.
    """
    text = json.dumps(_canon(encounter), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class WatermarkStore:
    """Watermarks, extracted hashes and check-in markers in the adapter's database."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def get(self, ma_cskcb: str, source: str) -> Watermark:
        with self._engine.connect() as conn:
            return self.read(ma_cskcb, source, conn=conn)

    def read(self, ma_cskcb: str, source: str, *, conn: Connection) -> Watermark:
        row = conn.execute(select(his_watermark.c.changed_at, his_watermark.c.ma_lk).where(
            his_watermark.c.ma_cskcb == ma_cskcb, his_watermark.c.source == source)).first()
        return Watermark(changed_at=row.changed_at, ma_lk=row.ma_lk) if row else Watermark()

    def advance(self, ma_cskcb: str, source: str, mark: Watermark, *, conn: Connection,
                at: datetime | None = None) -> bool:
        """Move the watermark to ``mark`` if it is ahead; False (no change) otherwise."""
        current = self.read(ma_cskcb, source, conn=conn)
        if not _ahead(mark, current):
            return False
        values = {"changed_at": mark.changed_at, "ma_lk": mark.ma_lk, "updated_at": _utc_naive(at)}
        key = and_(his_watermark.c.ma_cskcb == ma_cskcb, his_watermark.c.source == source)
        if conn.execute(update(his_watermark).where(key).values(**values)).rowcount == 0:
            conn.execute(insert(his_watermark).values(ma_cskcb=ma_cskcb, source=source, **values))
        return True

    def last_hash(self, ma_cskcb: str, ma_lk: str) -> str | None:
        with self._engine.connect() as conn:
            return self.hashes(ma_cskcb, [ma_lk], conn=conn).get(ma_lk)

    def hashes(self, ma_cskcb: str, ma_lks: list[str], *, conn: Connection) -> dict[str, str]:
        """The last extracted hash of each MA_LK that has one (one query)."""
        if not ma_lks:
            return {}
        rows = conn.execute(select(his_extracted.c.ma_lk, his_extracted.c.content_hash).where(
            his_extracted.c.ma_cskcb == ma_cskcb, his_extracted.c.ma_lk.in_(ma_lks)))
        return {r.ma_lk: r.content_hash for r in rows}

    def record_extracted(self, ma_cskcb: str, ma_lk: str, digest: str, *, conn: Connection,
                         source_version: str | None = None, at: datetime | None = None) -> bool:
        """Record the hash extracted now; True when it is new content (first time or changed)."""
        previous = self.hashes(ma_cskcb, [ma_lk], conn=conn).get(ma_lk)
        if previous == digest:
            return False
        values = {"content_hash": digest, "source_version": (source_version or "")[:64] or None,
                  "extracted_at": _utc_naive(at)}
        if previous is None:
            conn.execute(insert(his_extracted).values(ma_cskcb=ma_cskcb, ma_lk=ma_lk, **values))
        else:
            conn.execute(update(his_extracted).where(his_extracted.c.ma_cskcb == ma_cskcb,
                                                     his_extracted.c.ma_lk == ma_lk).values(**values))
        return True

    def checkins_sent(self, ma_cskcb: str, ma_lks: list[str], *, conn: Connection) -> set[tuple[str, str]]:
        """(MA_LK, stage) pairs already queued among ``ma_lks``."""
        if not ma_lks:
            return set()
        rows = conn.execute(select(his_checkin_sent.c.ma_lk, his_checkin_sent.c.stage).where(
            his_checkin_sent.c.ma_cskcb == ma_cskcb, his_checkin_sent.c.ma_lk.in_(ma_lks)))
        return {(r.ma_lk, r.stage) for r in rows}

    def sent_checkins(self, ma_cskcb: str, ma_lks: list[str]) -> set[tuple[str, str]]:
        """``checkins_sent`` on a connection of its own (in batches of 500 ids)."""
        out: set[tuple[str, str]] = set()
        with self._engine.connect() as conn:
            for start in range(0, len(ma_lks), 500):
                out |= self.checkins_sent(ma_cskcb, ma_lks[start:start + 500], conn=conn)
        return out

    def mark_checkin(self, ma_cskcb: str, ma_lk: str, stage: str, *, conn: Connection,
                     at: datetime | None = None) -> bool:
        """Record that a check-in was queued; False if it already was (idempotent)."""
        if (ma_lk, stage) in self.checkins_sent(ma_cskcb, [ma_lk], conn=conn):
            return False
        conn.execute(insert(his_checkin_sent).values(ma_cskcb=ma_cskcb, ma_lk=ma_lk, stage=stage,
                                                     sent_at=_utc_naive(at)))
        return True


def _ahead(new: Watermark, old: Watermark) -> bool:
    if new.changed_at is None:
        return False
    if old.changed_at is None:
        return True
    return (new.changed_at, new.ma_lk) > (old.changed_at, old.ma_lk)
