"""Extraction state in the adapter DB: migration 0002, watermark, hashes, late lines, check-ins."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, MetaData, Table, create_engine, text

from adapter.his.checkin import CheckinTrigger
from adapter.his.demo import generate_demo_his
from adapter.his.engine import readonly_engine, writable_engine
from adapter.his.extraction import extract_changed
from adapter.his.profile import SourceProfile
from adapter.his.reader import SqlHisSource
from adapter.his.state import HIS_STATE_TABLES, STAGE_FIRST, STAGE_INPATIENT, WatermarkStore
from adapter.ports import Extracted, Watermark

MIGRATIONS = Path(__file__).resolve().parents[3] / "adapter" / "migrations"


def _migrate_0002(engine: Engine, tmp_path: Path) -> None:
    """env.py + 0001 + 0002 only, so this test does not depend on later revisions."""
    root = tmp_path / "migrations"
    (root / "versions").mkdir(parents=True)
    for name in ("env.py", "script.py.mako"):
        shutil.copy(MIGRATIONS / name, root / name)
    for name in ("0001_outbox.py", "0002_his_state.py"):
        shutil.copy(MIGRATIONS / "versions" / name, root / "versions" / name)
    cfg = Config()
    cfg.set_main_option("script_location", str(root))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def _table(diff: Any) -> str:
    """The table a compare_metadata diff is about (add/remove come as tuples, modify as lists)."""
    while isinstance(diff, list):
        diff = diff[0]
    for part in diff[1:]:
        if isinstance(part, Table):
            return str(part.name)
        table = getattr(part, "table", None)
        if table is not None:
            return str(table.name)
        if isinstance(part, str):
            return part
    return ""


def test_migration_0002_creates_exactly_the_state_tables(his_url: str, tmp_path: Path) -> None:
    engine = writable_engine(his_url)        # any empty database will do as an adapter DB
    try:
        _migrate_0002(engine, tmp_path)
        mine = MetaData()
        for table in HIS_STATE_TABLES:
            table.to_metadata(mine)
        with engine.connect() as conn:
            diffs = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), mine)
        ours = [d for d in diffs if _table(d).startswith("his_")]
        assert ours == []
        assert any(d[0] == "remove_table" for d in diffs)     # the outbox tables of 0001 are there
    finally:
        engine.dispose()


@pytest.fixture
def adapter_db(tmp_path: Path) -> Iterator[Engine]:
    engine = create_engine(f"sqlite:///{(tmp_path / 'adapter.db').as_posix()}")
    with engine.begin() as conn:
        for table in HIS_STATE_TABLES:
            table.create(conn)
    yield engine
    engine.dispose()


def test_watermark_moves_only_forward(adapter_db: Engine) -> None:
    store = WatermarkStore(adapter_db)
    t = datetime(2025, 3, 1, 8, 0, 0, 123456)
    assert store.get("79001", "demo") == Watermark()
    with adapter_db.begin() as conn:
        assert store.advance("79001", "demo", Watermark(changed_at=t, ma_lk="B"), conn=conn)
        assert not store.advance("79001", "demo", Watermark(changed_at=t, ma_lk="A"), conn=conn)
        assert store.advance("79001", "demo", Watermark(changed_at=t, ma_lk="C"), conn=conn)
    assert store.get("79001", "demo") == Watermark(changed_at=t, ma_lk="C")
    assert store.get("79002", "demo") == Watermark()


@pytest.fixture
def his(tmp_path: Path) -> Iterator[tuple[str, Engine]]:
    path = str(tmp_path / "his.db")
    generate_demo_his(path, encounters=40, seed=21)
    engine = readonly_engine(path)
    yield path, engine
    engine.dispose()


def _extract(engine: Engine, adapter_db: Engine, seen: list[tuple[str, str | None]], **kw: Any) -> Any:
    def handle(extracted: Extracted, digest: str | None, conn: Connection) -> None:
        seen.append((extracted.ma_lk, digest))

    source = SqlHisSource(engine, SourceProfile.load("demo"), ma_cskcb="79001", batch_size=8)
    return extract_changed(source, WatermarkStore(adapter_db), adapter_db, ma_cskcb="79001",
                           source_name="demo", handle=handle, commit_every=5, **kw)


def test_a_late_line_is_a_new_version_and_a_rerun_sends_nothing(
        his: tuple[str, Engine], adapter_db: Engine) -> None:
    path, engine = his
    seen: list[tuple[str, str | None]] = []
    first = _extract(engine, adapter_db, seen)
    assert first.read == first.new_versions == len(seen) > 30
    assert _extract(engine, adapter_db, seen).read == 0          # watermark: nothing changed
    target, old_digest = seen[3]
    w = writable_engine(path)
    with w.begin() as conn:
        conn.execute(text("INSERT INTO his_drug_line (ma_lk, stt, ma_thuoc, so_luong, don_gia) "
                          "SELECT ma_lk, 99, '40.152', 10, 350 FROM his_encounter WHERE ma_lk = :k"),
                     {"k": target})
        conn.execute(text("UPDATE his_encounter SET updated_at = :t WHERE ma_lk = :k"),
                     {"k": target, "t": datetime(2030, 1, 1)})
    w.dispose()
    again = _extract(engine, adapter_db, seen)
    assert (again.read, again.new_versions) == (1, 1)
    assert seen[-1][0] == target and seen[-1][1] != old_digest
    assert again.watermark == Watermark(changed_at=datetime(2030, 1, 1), ma_lk=target)


def test_an_unchanged_reread_is_not_a_new_version(his: tuple[str, Engine], adapter_db: Engine) -> None:
    path, engine = his
    seen: list[tuple[str, str | None]] = []
    _extract(engine, adapter_db, seen)
    w = writable_engine(path)
    with w.begin() as conn:      # touched, same content (e.g. a HIS that saves without edits)
        conn.execute(text("UPDATE his_encounter SET updated_at = :t WHERE ma_lk = :k"),
                     {"k": seen[0][0], "t": datetime(2030, 1, 1)})
    w.dispose()
    again = _extract(engine, adapter_db, seen)
    assert (again.read, again.new_versions, again.unchanged) == (1, 0, 1)


def test_a_failing_handler_rolls_back_hash_and_watermark(his: tuple[str, Engine], adapter_db: Engine) -> None:
    _path, engine = his
    store = WatermarkStore(adapter_db)
    calls = 0

    def handle(extracted: Extracted, digest: str | None, conn: Connection) -> None:
        nonlocal calls
        calls += 1
        if calls == 7:
            raise RuntimeError("outbox down")

    source = SqlHisSource(engine, SourceProfile.load("demo"), ma_cskcb="79001", batch_size=8)
    with pytest.raises(RuntimeError):
        extract_changed(source, store, adapter_db, ma_cskcb="79001", source_name="demo", handle=handle,
                        commit_every=5)
    mark = store.get("79001", "demo")
    with adapter_db.connect() as conn:
        hashed = conn.execute(text("SELECT count(*) FROM his_extracted")).scalar_one()
    assert hashed == 5 and mark.ma_lk       # the first chunk committed, the second rolled back
    total = len(list(source.finished_since(Watermark(), limit=1000)))
    seen: list[tuple[str, str | None]] = []
    rest = _extract(engine, adapter_db, seen)
    assert rest.read == rest.new_versions == total - 5      # the rolled-back chunk is read again


def test_checkins_first_cost_and_admission_once_each(his: tuple[str, Engine], adapter_db: Engine) -> None:
    _path, engine = his
    store = WatermarkStore(adapter_db)
    trigger = CheckinTrigger(engine, SourceProfile.load("demo"), store, ma_cskcb="79001")
    due = trigger.checkins_due(datetime(2000, 1, 1))
    firsts = [e for e in due if not e.inpatient]
    admissions = [e for e in due if e.inpatient]
    assert firsts and admissions
    assert {e.ma_lk for e in admissions} <= {e.ma_lk for e in firsts}
    assert all(e.first_cost_at is not None for e in due)
    with adapter_db.begin() as conn:
        for e in due[:10]:
            assert store.mark_checkin("79001", e.ma_lk, e.stage, conn=conn)
        assert not store.mark_checkin("79001", due[0].ma_lk, due[0].stage, conn=conn)
    later = trigger.checkins_due(datetime(2000, 1, 1))
    assert len(later) == len(due) - 10
    assert {(e.ma_lk, e.stage) for e in later}.isdisjoint({(e.ma_lk, e.stage) for e in due[:10]})
    assert {e.stage for e in due} == {STAGE_FIRST, STAGE_INPATIENT}
    assert trigger.checkins_due(datetime.now() + timedelta(days=3650)) == []
