"""Several workers on one server-side queue never take the same item (real PostgreSQL / MariaDB).

Four Worker threads, each with its own pooled connections and worker id, drain 200
items concurrently; the gateway double counts submissions per MA_LK.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from outbox_doubles import ScriptedGateway
from outbox_support import PG_ADMIN, create_outbox_tables, new_version, server_database
from sqlalchemy import create_engine, text

from adapter.outbox.retry import RetryPolicy
from adapter.outbox.states import Status
from adapter.outbox.store import OutboxStore
from adapter.outbox.values import ItemFilter
from adapter.outbox.worker import Worker
from adapter.ports import Submission, SystemClock

N_ITEMS = 100


@pytest.fixture(
    params=[
        pytest.param("postgres", marks=pytest.mark.postgres),
        pytest.param("mariadb", marks=pytest.mark.mariadb),
    ]
)
def server_store(request: pytest.FixtureRequest) -> Iterator[OutboxStore]:
    with server_database(request.param, "adapter_t_outbox") as engine:
        create_outbox_tables(engine)
        yield OutboxStore(engine)


def _fill(store: OutboxStore, n: int) -> None:
    now = datetime.now(UTC) - timedelta(seconds=1)
    with store.transaction() as conn:
        for i in range(n):
            store.enqueue(new_version(f"LK{i:04}"), now=now, conn=conn)


def test_four_workers_never_send_the_same_item(server_store: OutboxStore) -> None:
    _fill(server_store, N_ITEMS)

    def slow(_: Submission) -> None:
        time.sleep(0.002)  # widen the window in which two workers could collide

    gateway = ScriptedGateway(hook=slow)
    policy = RetryPolicy(max_attempts=3)
    workers = [
        Worker(
            server_store,
            gateway,
            policy,
            clock=SystemClock(),
            worker_id=f"w{i}",
            rng=random.Random(i),
            batch_size=5,
        )
        for i in range(4)
    ]
    reports = []
    errors: list[BaseException] = []

    def run(w: Worker) -> None:
        try:
            reports.append(w.drain())
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    sent = Counter(c.ma_lk for c in gateway.calls)
    assert len(sent) == N_ITEMS and max(sent.values()) == 1
    assert sum(r.accepted for r in reports) == N_ITEMS
    assert sum(1 for r in reports if r.accepted) >= 2  # the work really was shared
    assert {r.status for r in server_store.list_items(ItemFilter(limit=1000))} == {Status.ACCEPTED}


def test_concurrent_claims_are_disjoint(server_store: OutboxStore) -> None:
    _fill(server_store, 60)
    now = datetime.now(UTC)
    claimed: list[list[int]] = []
    barrier = threading.Barrier(4)

    def claim(worker: str) -> None:
        barrier.wait()
        got: list[int] = []
        while batch := server_store.claim(worker, limit=3, now=now, lease_s=60):
            got.extend(i.item_id for i in batch)
        claimed.append(got)

    threads = [threading.Thread(target=claim, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    flat = [i for got in claimed for i in got]
    assert len(flat) == 60 and len(set(flat)) == 60


@pytest.mark.postgres
def test_worker_survives_its_database_connections_being_killed() -> None:
    with server_database("postgres", "adapter_t_outbox_restart") as engine:
        create_outbox_tables(engine)
        store = OutboxStore(engine)
        _fill(store, 20)
        killer = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        killed: list[int] = []

        def kill_connections(sub: Submission) -> None:
            if sub.ma_lk in ("LK0005", "LK0012"):  # mid-drain, twice: like a server restart
                with killer.connect() as c:
                    killed.append(
                        len(
                            c.execute(
                                text(
                                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                    "WHERE datname = 'adapter_t_outbox_restart' AND pid <> pg_backend_pid()"
                                )
                            ).all()
                        )
                    )

        gateway = ScriptedGateway(hook=kill_connections)
        worker = Worker(
            store,
            gateway,
            RetryPolicy(max_attempts=3),
            clock=SystemClock(),
            worker_id="w",
            rng=random.Random(0),
            batch_size=4,
        )
        worker.drain()
        worker.drain()
        killer.dispose()
        statuses = Counter(r.status for r in store.list_items(ItemFilter(limit=100)))
        assert killed and all(n >= 1 for n in killed)
        assert statuses == {Status.ACCEPTED: 20} and len(gateway.calls) == 20
