"""Crash safety: a worker process SIGKILLed at random points, restarted, many times.

Afterwards every item is accepted (nothing lost), and an item reached the gateway more
than once only if its attempts log shows an attempt whose outcome was unknown (the
worker died between sending and recording the reply; its lease expired and the item
was retried, as designed: at-least-once, never silently dropped).
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from adapter.outbox.migrate import upgrade
from adapter.outbox.open import make_engine
from adapter.outbox.states import Status
from adapter.outbox.store import OutboxStore
from adapter.outbox.values import ItemFilter, NewVersion, sha256_hex
from adapter.ports import DocumentKind

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
N_ITEMS = 80
KILLS = 12

pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")]


@pytest.fixture
def gateway_url(tmp_path: Path) -> Iterator[str]:
    portfile = tmp_path / "port"
    proc = subprocess.Popen([sys.executable, str(HERE / "chaos_gateway.py"), str(portfile)])
    try:
        deadline = time.monotonic() + 10
        while not portfile.exists() or not portfile.read_text():
            assert time.monotonic() < deadline, "gateway double did not start"
            time.sleep(0.02)
        yield f"http://127.0.0.1:{portfile.read_text()}"
    finally:
        proc.terminate()
        proc.wait(timeout=5)


def _fill(store: OutboxStore) -> None:
    now = datetime.now(UTC)
    with store.transaction() as conn:
        for i in range(N_ITEMS):
            body = f"<GIAMDINHHS><MA_LK>LK{i:03}</MA_LK></GIAMDINHHS>".encode()
            store.enqueue(
                NewVersion(
                    ma_cskcb="79001",
                    ma_lk=f"LK{i:03}",
                    kind=DocumentKind.CLAIM,
                    profile="3176",
                    content_hash=sha256_hex(body),
                    unsigned=body,
                    signed=body + b"<sig/>",
                ),
                now=now,
                conn=conn,
            )


def _start(db_url: str, gateway_url: str, n: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "chaos_worker.py"), db_url, gateway_url, f"w{n}"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == b"ready"
    return proc


def _stop(proc: subprocess.Popen[bytes], sig: int) -> None:
    proc.send_signal(sig)
    proc.wait(timeout=5)
    if proc.stdout is not None:
        proc.stdout.close()


def _all_accepted(store: OutboxStore) -> bool:
    return all(r.status is Status.ACCEPTED for r in store.list_items(ItemFilter(limit=10_000)))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The outbox on SQLite (one worker) and on PostgreSQL (the multi-worker store), both for real."""
    if request.param == "sqlite":
        yield f"sqlite:///{(tmp_path / 'outbox.db').as_posix()}"
        return
    psycopg = pytest.importorskip("psycopg")
    name = "adapter_t_chaos_crash"
    try:
        admin = psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True,
                                connect_timeout=3)
    except psycopg.OperationalError:
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    with admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
        try:
            yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
        finally:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_sigkill_loses_nothing_and_duplicates_only_follow_unknown_outcomes(
    db_url: str, gateway_url: str
) -> None:
    engine = make_engine(db_url)
    upgrade(engine, "0001")
    store = OutboxStore(engine)
    _fill(store)
    rng = random.Random(20261122)
    for n in range(KILLS):
        proc = _start(db_url, gateway_url, n)
        time.sleep(rng.uniform(0.0, 0.5))  # while it claims, sends, records
        _stop(proc, signal.SIGKILL)
    final = _start(db_url, gateway_url, KILLS)
    try:
        deadline = time.monotonic() + 40
        while not _all_accepted(store):
            assert time.monotonic() < deadline, "items still pending after the final worker ran 40 s"
            time.sleep(0.2)
    finally:
        _stop(final, signal.SIGTERM)
    receipts = httpx.get(f"{gateway_url}/log").json()
    sent = Counter(r["ma_lk"] for r in receipts)
    assert set(sent) == {f"LK{i:03}" for i in range(N_ITEMS)}  # nothing lost
    for row in store.list_items(ItemFilter(limit=10_000)):
        detail = store.get(row.id)
        assert detail is not None
        outcomes = Counter(a.outcome for a in detail.attempts)
        assert outcomes["accepted"] >= 1
        # Every send beyond the first is explained by an attempt whose outcome was lost.
        assert sent[row.ma_lk] - 1 <= outcomes["unknown"], (row.ma_lk, sent[row.ma_lk], dict(outcomes))
    print(
        json.dumps(
            {"receipts": len(receipts), "items": N_ITEMS, "duplicates": sum(c - 1 for c in sent.values())}
        )
    )
    engine.dispose()
