"""Import from the demo HIS through its source profile (real SQLite HIS, read-only engine)."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path

import pytest
from sqlalchemy import Engine

from adapter.his.demo import generate_demo_his
from adapter.his.engine import readonly_engine
from adapter.his.profile import SourceProfile
from adapter.registry.his_import import read_his_facility, read_his_practitioners
from adapter.registry.service import save_facility, sync
from adapter.registry.store import RegistryStore


@pytest.fixture(scope="module")
def his_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("his") / "his.db"
    generate_demo_his(path, encounters=2, seed=1, ma_cskcb="79001")
    return path


def test_demo_profile_practitioners_and_facility(his_db: Path) -> None:
    engine = readonly_engine(his_db)
    profile = SourceProfile.load("demo")
    records, issues = read_his_practitioners(engine, profile, ma_cskcb="79001")
    facility = read_his_facility(engine, profile, ma_cskcb="79001")
    engine.dispose()
    assert issues == []
    assert len(records) >= 5
    assert all(r.ma_cskcb == "79001" and r.code and r.valid_from for r in records)
    assert {r.title for r in records} <= {"1", "2", "3", "4", "5", "6", "7", "8", "9"}  # text titles mapped
    assert facility is not None and facility.ma_cskcb == "79001" and facility.departments == ()


def test_a_registry_query_in_the_profile_wins(his_db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "hospital"
    shutil.copytree(Path(str(resources.files("adapter.his").joinpath("profiles/demo"))), folder)
    (folder / "registry_practitioners.sql").write_text(
        "SELECT code, name, cccd, licence_no, licence_kind, title, departments, valid_from, valid_to,\n"
        "       '0700-1700' AS hours_day, 'T2T3T4T5T6' AS hours_week, '1' AS employment,\n"
        "       'x' AS internal_note\n"
        "FROM his_practitioner WHERE ma_cskcb = :ma_cskcb ORDER BY code\n",
        encoding="utf-8",
    )
    engine = readonly_engine(his_db)
    records, _ = read_his_practitioners(engine, SourceProfile.load(folder), ma_cskcb="79001")
    engine.dispose()
    assert {(r.hours_day, r.hours_week, r.employment) for r in records} == {("0700-1700", "T2T3T4T5T6", "1")}


def test_import_then_facility_gets_the_staff_departments(his_db: Path, sqlite_engine: Engine) -> None:
    store = RegistryStore(sqlite_engine)
    store.create_tables()
    engine = readonly_engine(his_db)
    profile = SourceProfile.load("demo")
    records, issues = read_his_practitioners(engine, profile, ma_cskcb="79001")
    his_facility = read_his_facility(engine, profile, ma_cskcb="79001")
    engine.dispose()
    now = datetime(2026, 11, 22, tzinfo=UTC)
    outcome = sync(
        store, records, issues, ma_cskcb="79001", effective=date(2026, 11, 22), now=now, close_missing=False
    )
    facility = save_facility(store, his_facility, ma_cskcb="79001", effective=date(2026, 11, 22), now=now)
    assert outcome.result.inserted == len(records)
    codes = {c for r in records for c in r.departments}
    assert {d.code for d in facility.departments} == codes
    assert all(d.name.startswith("Khoa") for d in facility.departments)
    assert store.facility("79001") == facility
