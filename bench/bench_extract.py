"""HIS extraction throughput: batched SqlHisSource vs a per-encounter baseline, and memory.

    .venv/bin/python bench/bench_extract.py [--encounters 100000] [--backends postgres,mariadb,sqlite]
                                            [--batch-size 200] [--baseline 2000] [--keep]

For each backend it creates a demo HIS (``adapter_t_his_bench`` on the local PostgreSQL /
MariaDB servers, a temp file for SQLite) with N encounters (~25 detail rows each), then:

* reads every finished encounter into the model with ``SqlHisSource`` (one header query
  and one query per kind of row per batch) and prints encounters/s and rows/s;
* reads the first ``--baseline`` encounters with ``batch_size=1`` (the same code issuing
  its queries once per encounter, i.e. the naive reader) and prints the ratio;
* measures the Python heap peak (tracemalloc) while streaming N/10 and N encounters: flat
  memory shows as two similar peaks.

Absolute numbers on a shared 2-core machine are noisy (±25 %); compare ratios.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

from adapter.his.demo import generate_demo_his
from adapter.his.engine import readonly_engine
from adapter.his.profile import SourceProfile
from adapter.his.reader import SqlHisSource
from adapter.ports import Watermark

ADMIN = {"postgres": "postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
         "mariadb": "mysql+pymysql://root@127.0.0.1:3306/mysql?charset=utf8mb4"}
TARGET = {"postgres": "postgresql+psycopg://postgres@127.0.0.1:5432/{db}",
          "mariadb": "mysql+pymysql://root@127.0.0.1:3306/{db}?charset=utf8mb4"}
DB = "adapter_t_his_bench"


@contextmanager
def database(kind: str, keep: bool) -> Iterator[str]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield str(Path(tmp) / "his.db")
        return
    admin = create_engine(ADMIN[kind], isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {DB}"))
        extra = " CHARACTER SET utf8mb4" if kind == "mariadb" else ""
        conn.execute(text(f"CREATE DATABASE {DB}{extra}"))
    try:
        yield TARGET[kind].format(db=DB)
    finally:
        if not keep:
            with admin.connect() as conn:
                conn.execute(text(f"DROP DATABASE IF EXISTS {DB}"))
        admin.dispose()


def read_all(url: str, batch_size: int, limit: int) -> tuple[int, int, float]:
    """(encounters, detail rows, seconds) to stream ``limit`` encounters into the model."""
    engine = readonly_engine(url)
    source = SqlHisSource(engine, SourceProfile.load("demo"), ma_cskcb="79001", batch_size=batch_size)
    count = rows = 0
    began = time.perf_counter()
    for extracted, _mark in source.finished_since(Watermark(), limit=limit):
        enc = extracted.encounter
        count += 1
        if enc is not None:
            rows += len(enc.drugs) + len(enc.services) + len(enc.lab_results) + len(enc.clinical_notes) + 1
    seconds = time.perf_counter() - began
    engine.dispose()
    return count, rows, seconds


def heap_peak(url: str, batch_size: int, limit: int) -> float:
    """MiB of Python heap at the peak while streaming ``limit`` encounters."""
    tracemalloc.start()
    read_all(url, batch_size, limit)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def bench(kind: str, args: argparse.Namespace) -> None:
    with database(kind, args.keep) as url:
        made = generate_demo_his(url, encounters=args.encounters, seed=1)
        detail = sum(n for t, n in made.rows.items() if t not in ("his_encounter", "his_facility",
                                                                    "his_practitioner"))
        print(f"\n[{kind}] demo HIS: {made.encounters} encounters, {detail} detail rows "
              f"({detail / max(made.encounters, 1):.1f}/encounter), generated in {made.seconds:.1f} s")
        n, rows, secs = read_all(url, args.batch_size, args.encounters)
        print(f"  batched (batch_size={args.batch_size}): {n} encounters in {secs:.2f} s = "
              f"{n / secs:,.0f} enc/s, {rows / secs:,.0f} rows/s")
        base_n, _rows, base_secs = read_all(url, 1, min(args.baseline, args.encounters))
        base_rate = base_n / base_secs
        print(f"  per-encounter queries (batch_size=1): {base_n} encounters in {base_secs:.2f} s = "
              f"{base_rate:,.0f} enc/s")
        print(f"  ratio batched / per-encounter: {(n / secs) / base_rate:.1f}x")
        small = heap_peak(url, args.batch_size, max(args.encounters // 10, 1))
        full = heap_peak(url, args.batch_size, args.encounters)
        print(f"  heap peak streaming N/10: {small:.1f} MiB, N: {full:.1f} MiB (ratio {full / small:.2f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--encounters", type=int, default=100_000)
    parser.add_argument("--backends", default="postgres,mariadb")
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument("--baseline", type=int, default=2000, help="encounters read by the baseline")
    parser.add_argument("--keep", action="store_true", help="keep the server databases")
    args = parser.parse_args()
    for kind in args.backends.split(","):
        bench(kind.strip(), args)


if __name__ == "__main__":
    main()
