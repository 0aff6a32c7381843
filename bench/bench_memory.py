"""Peak memory while working off a backlog of finished encounters (issue 10, item 3).

    .venv/bin/python bench/bench_memory.py [--quick] [--sizes 10000,50000,100000] [--simulator] [--json]

A hospital that installs the adapter (or comes back from a week-long gateway outage) has a
backlog: tens of thousands of finished encounters in the HIS. For each backlog size a FRESH
Python process (so peaks never carry over) bootstraps the adapter on a fresh outbox, then:

1. ``App.poll_his()`` - extract, map, validate, sign and queue the whole backlog;
2. ``App.drain()`` - send every queued file, through a gateway double that accepts at once
   (``--simulator``: the real simulator over HTTP in another process; much slower).

It reports the peak RSS (``ru_maxrss``) after start-up, after the poll and after the drain.
Target: at most 250 MB at every size, and flat as the backlog grows (the peak at the largest
size within 10 % + 15 MB of the smallest). ``--quick`` uses 2k/5k/10k instead of 10k/50k/100k.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench_pipeline import FACILITY, his_database, open_app, rss_mb, write_config

TARGET_MB = 250.0
FULL_SIZES = "10000,50000,100000"
QUICK_SIZES = "2000,5000,10000"


class AcceptingGateway:
    """A gateway double that accepts every file at once: the drain costs only our own code."""

    def __init__(self) -> None:
        self.count = 0

    def submit(self, submission: Any) -> Any:
        from adapter.ports import GatewayReply

        self.count += 1
        return GatewayReply(code="200", transaction_id=f"T{self.count:08d}")


def child(size: int, his: Path, use_simulator: bool) -> dict[str, Any]:
    """Runs in its own process: bootstrap, poll the backlog, drain it; RSS peaks after each step."""
    work = Path(tempfile.mkdtemp(prefix="bhyt-bench-memory-"))
    try:
        config = write_config(work, his, gateway="max_concurrency = 8\n")
        out: dict[str, Any] = {"size": size}
        if use_simulator:
            return _with_simulator(config, size, out)
        return _phases(open_app(config, gateway=AcceptingGateway()), size, out)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _with_simulator(config: Path, size: int, out: dict[str, Any]) -> dict[str, Any]:
    from bench_submit import Simulator
    from cryptography.hazmat.primitives.serialization import Encoding

    probe = open_app(config)
    pem = probe.signer(FACILITY).certificate.public_bytes(Encoding.PEM)
    probe.close()
    with Simulator(pem, (0.0, 0.0), tls=False) as sim:
        return _phases(open_app(config, base_url=sim.base_url), size, out)


def _phases(app: Any, size: int, out: dict[str, Any]) -> dict[str, Any]:
    try:
        app.signer(FACILITY)
        app.outbox  # noqa: B018 - start-up: migrations, engine
        out["start_mb"] = rss_mb()
        extraction = app.extraction(FACILITY)
        start = time.perf_counter()
        poll = extraction.poll(max_batches=-(-size // extraction.batch_size))
        out.update(poll_s=time.perf_counter() - start, queued=poll.queued, needs_fix=poll.needs_fix,
                   poll_mb=rss_mb())
        start = time.perf_counter()
        drain = app.drain(concurrency=8)
        out.update(drain_s=time.perf_counter() - start, accepted=drain.accepted, drain_mb=rss_mb())
    finally:
        app.close()
    return out


def measure(sizes: Sequence[int], use_simulator: bool) -> list[dict[str, Any]]:
    his = his_database(max(sizes))
    results = []
    for size in sizes:
        command = [sys.executable, __file__, "--child", str(size), "--his", str(his)]
        if use_simulator:
            command.append("--simulator")
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=7200)
        if done.returncode != 0:
            raise RuntimeError(f"memory child for {size} failed:\n{done.stderr[-3000:]}")
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return results


def flat(results: Sequence[dict[str, Any]]) -> bool:
    low, high = float(results[0]["drain_mb"]), float(results[-1]["drain_mb"])
    return high <= low * 1.10 + 15


def summary_rows(results: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    base = results[0]["drain_mb"]
    for r in results:
        ok = r["drain_mb"] <= TARGET_MB
        rows.append({"measure": f"memory: peak RSS, backlog {r['size']:,}",
                     "value": f"{r['drain_mb']:.0f} MB",
                     "vs baseline": f"{r['drain_mb'] / base:.2f}x smallest",
                     "target": f"<= {TARGET_MB:.0f} MB", "verdict": "PASS" if ok else "MISS"})
    growth = results[-1]["drain_mb"] - results[0]["drain_mb"]
    rows.append({"measure": "memory: flat as the backlog grows", "value": f"+{growth:.0f} MB",
                 "vs baseline": f"{results[-1]['size'] / results[0]['size']:.0f}x backlog",
                 "target": "<= +10% +15 MB", "verdict": "PASS" if flat(results) else "MISS"})
    return rows


def print_report(results: Sequence[dict[str, Any]]) -> None:
    print(f"{'backlog':>8}{'start MB':>10}{'after poll':>12}{'after drain':>13}{'queued':>8}{'accepted':>10}"
          f"{'poll enc/s':>12}{'drain files/s':>15}")
    for r in results:
        print(f"{r['size']:>8}{r['start_mb']:>10.0f}{r['poll_mb']:>12.0f}{r['drain_mb']:>13.0f}{r['queued']:>8}"
              f"{r['accepted']:>10}{r['size'] / r['poll_s']:>12.0f}{r['accepted'] / r['drain_s']:>15.0f}")
    verdict = "flat" if flat(results) else "NOT flat"
    print(f"peak RSS {verdict} as the backlog grows; target <= {TARGET_MB:.0f} MB")


def main(argv: Sequence[str] | None = None) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=None, help=f"backlog sizes (default {FULL_SIZES})")
    parser.add_argument("--quick", action="store_true", help=f"sizes {QUICK_SIZES}")
    parser.add_argument("--simulator", action="store_true", help="drain to the real simulator over HTTP")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--his", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        print(json.dumps(child(args.child, args.his, args.simulator)))
        return []
    sizes = [int(s) for s in (args.sizes or (QUICK_SIZES if args.quick else FULL_SIZES)).split(",")]
    results = measure(sorted(sizes), args.simulator)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print_report(results)
    return results


if __name__ == "__main__":
    main(sys.argv[1:])
