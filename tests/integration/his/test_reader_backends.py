"""Both profiles extract exactly the generated encounters from SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import dataclasses

import pytest
from his_db import server_database
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from adapter.errors import SourceUnavailable
from adapter.his.demo import generate_demo_his
from adapter.his.demo_data import generate
from adapter.his.engine import reading, readonly_engine, writable_engine
from adapter.his.profile import SourceProfile
from adapter.his.reader import SqlHisSource
from adapter.his.state import content_hash
from adapter.his.vendor import generate_vendor_his
from adapter.ports import Watermark

N, SEED = 40, 4


@pytest.mark.parametrize(("make", "profile"), [(generate_demo_his, "demo"),
                                               (generate_vendor_his, "vendor_xml130")])
def test_profile_reads_back_the_generated_encounters(his_url: str, make, profile: str) -> None:  # type: ignore[no-untyped-def]
    summary = make(his_url, encounters=N, seed=SEED)
    engine = readonly_engine(his_url)
    try:
        source = SqlHisSource(engine, SourceProfile.load(profile), ma_cskcb="79001", batch_size=25)
        read = list(source.finished_since(Watermark(), limit=1000))
    finally:
        engine.dispose()
    expected = {g.encounter.ma_lk: g for g in generate(encounters=N, seed=SEED) if g.finished}
    assert summary.finished == len(expected) == len(read)
    assert [e.errors for e, _ in read] == [()] * len(read)
    for extracted, _ in read:
        got = extracted.encounter
        want = expected[extracted.ma_lk].encounter
        assert got is not None
        assert content_hash(got) == content_hash(want)
        assert dataclasses.replace(got, source_version=None) == want
    marks = [m for _, m in read]
    assert marks == sorted(marks, key=lambda m: (m.changed_at, m.ma_lk))


def test_reader_sessions_are_read_only(his_url: str) -> None:
    generate_demo_his(his_url, encounters=3, seed=1)
    engine = readonly_engine(his_url)
    try:
        with engine.connect() as conn, pytest.raises(DBAPIError):
            conn.execute(text("DELETE FROM his_card"))
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM his_encounter")).scalar_one() == 3
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_a_statement_timeout_is_source_unavailable() -> None:
    with server_database("postgres", "timeout") as url:
        engine = readonly_engine(url, statement_timeout_s=0.2)
        try:
            with pytest.raises(SourceUnavailable, match=r"timeout|cancel"), reading(engine) as conn:
                conn.execute(text("SELECT pg_sleep(2)"))
        finally:
            engine.dispose()


@pytest.mark.postgres
def test_reading_survives_a_server_side_disconnect_between_batches() -> None:
    with server_database("postgres", "restart") as url:
        generate_demo_his(url, encounters=30, seed=6)
        engine = readonly_engine(url)
        admin = writable_engine(url.rsplit("/", 1)[0] + "/postgres")
        try:
            items = SqlHisSource(engine, SourceProfile.load("demo"), ma_cskcb="79001",
                                 batch_size=10).finished_since(Watermark(), limit=100)
            first = [next(items) for _ in range(10)]
            with admin.connect() as conn:       # what a database restart does to pooled connections
                killed = conn.execute(text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                           "WHERE datname = 'adapter_t_his_restart'")).scalar_one()
            rest = list(items)
        finally:
            engine.dispose()
            admin.dispose()
    assert killed >= 1
    assert len(first) + len(rest) == 30 - sum(1 for g in generate(encounters=30, seed=6) if not g.finished)
