"""SqlHisSource on a real SQLite demo HIS: batching, watermarks, bad rows, read-only, outages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, text
from sqlalchemy.exc import OperationalError

from adapter.errors import SourceUnavailable
from adapter.his.demo import generate_demo_his
from adapter.his.engine import readonly_engine, writable_engine
from adapter.his.profile import SourceProfile
from adapter.his.reader import SqlHisSource
from adapter.ports import Watermark

N = 80


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("his") / "demo.db")
    generate_demo_his(path, encounters=N, seed=2)
    return path


@pytest.fixture
def engine(demo_db: str) -> Iterator[Engine]:
    eng = readonly_engine(demo_db)
    yield eng
    eng.dispose()


def _source(engine: Engine, batch_size: int = 20) -> SqlHisSource:
    return SqlHisSource(engine, SourceProfile.load("demo"), ma_cskcb="79001", batch_size=batch_size)


def _count_queries(engine: Engine) -> list[str]:
    seen: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    return seen


def test_one_header_query_and_one_query_per_row_kind_per_batch(engine: Engine) -> None:
    queries = _count_queries(engine)
    read = list(_source(engine, batch_size=20).finished_since(Watermark(), limit=1000))
    kinds = 1 + 13                      # cards + every row kind of the demo profile
    batches = -(-len(read) // 20)       # the last, short batch ends the loop
    headers = [q for q in queries if "FROM his_encounter" in q]
    assert len(headers) == batches
    assert len(queries) == batches * (1 + kinds + 1)      # headers, kinds, practitioners
    assert all(" IN (" in q for q in queries if "FROM his_drug_line" in q)


def test_resuming_from_a_watermark_neither_skips_nor_repeats(engine: Engine) -> None:
    source = _source(engine, batch_size=7)
    everything = [e.ma_lk for e, _ in source.finished_since(Watermark(), limit=1000)]
    first = list(source.finished_since(Watermark(), limit=30))
    rest = [e.ma_lk for e, _ in source.finished_since(first[-1][1], limit=1000)]
    assert [e.ma_lk for e, _ in first] + rest == everything
    assert len(set(everything)) == len(everything) > 70


def test_open_visits_are_not_finished_but_can_be_read_by_id(engine: Engine, demo_db: str) -> None:
    w = writable_engine(demo_db)
    with w.connect() as conn:
        open_ids = [r[0] for r in conn.execute(text("SELECT ma_lk FROM his_encounter WHERE finished = 0"))]
    w.dispose()
    source = _source(engine)
    finished = {e.ma_lk for e, _ in source.finished_since(Watermark(), limit=1000)}
    assert open_ids and not finished & set(open_ids)
    got = source.encounters([*open_ids, next(iter(finished))])
    assert len(got) == len(open_ids) + 1 and all(e.encounter is not None for e in got)
    open_read = [e.encounter for e in got if e.ma_lk in open_ids]
    # Still in care: no NGAY_RA in the HIS, NGAY_VAO stands in (the check-in carries no NGAY_RA).
    assert all(e is not None and e.ngay_ra == e.ngay_vao and e.ngay_ttoan is None for e in open_read)


def test_readonly_engine_refuses_writes(engine: Engine) -> None:
    with engine.connect() as conn, pytest.raises(OperationalError, match="readonly"):
        conn.execute(text("DELETE FROM his_card"))


def test_a_missing_database_is_source_unavailable(tmp_path: Path) -> None:
    eng = readonly_engine(tmp_path / "gone.db")
    with pytest.raises(SourceUnavailable):
        list(_source(eng).finished_since(Watermark(), limit=10))
    eng.dispose()


@pytest.fixture
def damaged(tmp_path: Path) -> Iterator[tuple[Engine, dict[str, str]]]:
    path = str(tmp_path / "bad.db")
    generate_demo_his(path, encounters=30, seed=9)
    w = writable_engine(path)
    with w.begin() as conn:
        ids = [r[0] for r in conn.execute(text(
            "SELECT ma_lk FROM his_encounter WHERE finished = 1 ORDER BY updated_at LIMIT 4"))]
        conn.execute(text("UPDATE his_encounter SET ho_ten = NULL WHERE ma_lk = :k"), {"k": ids[0]})
        conn.execute(text("UPDATE his_drug_line SET ngay_yl = '202502301200' WHERE ma_lk = :k AND stt = 1"),
                     {"k": ids[1]})
        conn.execute(text("UPDATE his_encounter SET ghi_chu = CAST(x'4e67fffe' AS TEXT) WHERE ma_lk = :k"),
                     {"k": ids[2]})
        conn.execute(text("UPDATE his_clinical_note SET dien_bien_ls = :t WHERE ma_lk = :k"),
                     {"k": ids[3], "t": "x" * 70_000})
        conn.execute(text("UPDATE his_encounter SET ly_do_vv = :t WHERE ma_lk = :k"),
                     {"k": ids[3], "t": "y" * 70_000})
    w.dispose()
    eng = readonly_engine(path)
    yield eng, {"null": ids[0], "date": ids[1], "utf8": ids[2], "long": ids[3]}
    eng.dispose()


def test_a_malformed_row_stops_only_its_own_encounter(damaged: tuple[Engine, dict[str, str]]) -> None:
    engine, ids = damaged
    read = {e.ma_lk: e for e, _ in _source(engine, batch_size=10).finished_since(Watermark(), limit=100)}
    rules = {name: {(x.field, x.rule) for x in read[ma_lk].errors} for name, ma_lk in ids.items()}
    assert rules["null"] == {("his_encounter.ho_ten", "HIS_REQUIRED")}
    assert rules["date"] == {("his_drug_line[1].ngay_yl", "HIS_BAD_DATE")}
    assert rules["utf8"] == {("his_encounter.ghi_chu", "HIS_BAD_UTF8")}
    assert ("his_encounter.ly_do_vv", "HIS_TEXT_TOO_LONG") in rules["long"]
    assert all(read[k].encounter is None for k in ids.values())
    good = [e for k, e in read.items() if k not in ids.values()]
    assert good and all(e.encounter is not None and not e.errors for e in good)


def test_build_source_from_settings(demo_db: str) -> None:
    from pydantic import SecretStr

    from adapter.errors import ConfigError
    from adapter.his.config import HisSettings
    from adapter.his.factory import build_source

    with pytest.raises(ConfigError):
        build_source(HisSettings(), ma_cskcb="79001")
    engine, source = build_source(HisSettings(url=SecretStr(demo_db), batch_size=9), ma_cskcb="79001")
    try:
        first = list(source.finished_since(Watermark(), limit=12))
        assert len(first) == 12 and all(e.encounter is not None for e, _ in first)
        assert source.profile.name == "demo"
    finally:
        engine.dispose()


def test_sqlite_paths_with_spaces_and_hashes_open_read_only(tmp_path: Path) -> None:
    folder = tmp_path / "Bệnh viện #1 data"
    folder.mkdir()
    generate_demo_his(folder / "his db.sqlite", encounters=5, seed=1)
    eng = readonly_engine(folder / "his db.sqlite")
    try:
        assert len(_source(eng).encounters(["79001_2025_03_BN00000001_000001"])) == 1
    finally:
        eng.dispose()


def test_check_reports_unreachable_databases_and_sample_problems(
        tmp_path: Path, damaged: tuple[Engine, dict[str, str]]) -> None:
    from adapter.his.check import check_source

    missing = readonly_engine(tmp_path / "nowhere.db")
    down = check_source(missing, SourceProfile.load("demo"), ma_cskcb="79001")
    missing.dispose()
    assert not down.connected and not down.ok and "unavailable" in down.error
    engine, ids = damaged
    report = check_source(engine, SourceProfile.load("demo"), ma_cskcb="79001", sample=50)
    assert report.connected and report.ok                 # every query runs ...
    assert {p["ma_lk"] for p in report.problems} == set(ids.values())    # ... and the bad rows are named
    assert {p["rule"] for p in report.problems} >= {"HIS_REQUIRED", "HIS_BAD_DATE", "HIS_BAD_UTF8"}
    assert report.as_dict()["queries"][0]["query"] == "encounters_changed"
