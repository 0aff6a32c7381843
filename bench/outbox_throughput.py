"""Outbox throughput: enqueue and drain N items through a null gateway; prints figures and ratios.

    .venv/bin/python bench/outbox_throughput.py [N] [--pg URL]

SQLite (file, WAL) always; PostgreSQL when --pg is given (the database must exist and be
empty; tables are created). Figures are items per second on this machine; compare the
ratios (batch enqueue vs one transaction per item, 1 vs 4 sender threads), not the
absolute numbers.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from adapter.outbox.open import make_engine
from adapter.outbox.retry import RetryPolicy
from adapter.outbox.store import OutboxStore
from adapter.outbox.tables import OUTBOX_TABLES
from adapter.outbox.values import NewVersion, sha256_hex
from adapter.outbox.worker import Worker
from adapter.ports import DocumentKind, GatewayReply, Submission, SystemClock
from adapter.storage import metadata

PAYLOAD = b"<GIAMDINHHS>" + b"x" * 30_000 + b"</GIAMDINHHS>"     # ~30 KB, a typical claim file


class NullGateway:
    def submit(self, submission: Submission) -> GatewayReply:
        return GatewayReply(code="200", transaction_id="GD")


def _version(i: int, run: str) -> NewVersion:
    body = PAYLOAD + f"{run}-{i}".encode()
    return NewVersion(ma_cskcb="79001", ma_lk=f"{run}-{i:06}", kind=DocumentKind.CLAIM, profile="3176",
                      content_hash=sha256_hex(body), unsigned=body, signed=body)


def _fresh(engine: Engine) -> OutboxStore:
    tables = [metadata.tables[t] for t in OUTBOX_TABLES]
    metadata.drop_all(engine, tables=tables)
    metadata.create_all(engine, tables=tables)
    return OutboxStore(engine)


def _timed(label: str, n: int, fn: object) -> float:
    start = time.perf_counter()
    fn()  # type: ignore[operator]
    rate = n / (time.perf_counter() - start)
    print(f"  {label:<34} {rate:10.0f} items/s")
    return rate


def bench(name: str, engine: Engine, n: int) -> None:
    print(f"{name} ({n} items of {len(PAYLOAD) // 1000} KB)")
    store = _fresh(engine)
    now = datetime.now(UTC)

    def batch_enqueue() -> None:
        with store.transaction() as conn:
            for i in range(n):
                store.enqueue(_version(i, "a"), now=now, conn=conn)

    def single_enqueue() -> None:
        for i in range(n):
            store.enqueue(_version(i, "b"), now=now)

    def drain(threads: int) -> None:
        Worker(store, NullGateway(), RetryPolicy(), clock=SystemClock(), worker_id=f"bench{threads}",
               rng=random.Random(1), batch_size=50).drain(concurrency=threads, limit=n)

    batch = _timed("enqueue, one transaction", n, batch_enqueue)
    single = _timed("enqueue, one transaction each", n, single_enqueue)
    one = _timed("drain, 1 thread", n, lambda: drain(1))
    four = _timed("drain, 4 threads", n, lambda: drain(4))
    print(f"  ratio batch/single enqueue: {batch / single:.1f}x; drain 4/1 threads: {four / one:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int, nargs="?", default=500)
    parser.add_argument("--pg", help="PostgreSQL URL of an empty scratch database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{(Path(tmp) / 'bench.db').as_posix()}")
        bench("SQLite (WAL)", engine, args.n)
        engine.dispose()
    if args.pg:
        engine = make_engine(args.pg, pool_size=8)
        bench("PostgreSQL", engine, args.n)
        engine.dispose()


if __name__ == "__main__":
    main()
