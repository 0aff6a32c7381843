"""Run every issue-10 benchmark and print one summary: figures, ratios to baselines, PASS/MISS.

    .venv/bin/python bench/run_all.py            # quick defaults (a few minutes on 2 cores)
    .venv/bin/python bench/run_all.py --full     # the sizes the issue names (much longer)
    .venv/bin/python bench/run_all.py --only pipeline,startup --json

Each benchmark runs in its own fresh process (``--json``), so one's imports, caches and
memory never colour another's figures. The baselines (naive build + sign, naive urllib
client, bare interpreter, smallest backlog) are measured in the same run: on a shared
machine read the ratios first. A MISS is a finding to act on, not a failed build: nothing
here asserts; the exit code is 0 whenever every benchmark ran.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_memory  # noqa: E402 - the bench folder is not a package
import bench_pipeline  # noqa: E402
import bench_startup  # noqa: E402
import bench_submit  # noqa: E402

QUICK: dict[str, list[str]] = {
    "pipeline": ["--encounters", "2000", "--procs", "2", "--postgres"],
    "submit": ["--concurrency", "1,8,32", "--files", "4,32,128", "--naive", "4"],
    "memory": ["--quick"],
    "startup": ["--runs", "5"],
}
FULL: dict[str, list[str]] = {
    "pipeline": ["--encounters", "10000", "--procs", "2", "--postgres"],
    "submit": ["--concurrency", "1,8,32", "--files", "8,64,320", "--naive", "8"],
    "memory": [],
    "startup": ["--runs", "5"],
}
SMOKE: dict[str, list[str]] = {    # only checks the plumbing (about a minute); figures mean nothing
    "pipeline": ["--encounters", "100", "--procs", "2"],
    "submit": ["--concurrency", "1,4", "--files", "2,8", "--naive", "2", "--latency-min", "0.1",
               "--latency-max", "0.2"],
    "memory": ["--sizes", "100,200"],
    "startup": ["--runs", "3"],
}
ROWS: dict[str, Callable[[Any], list[dict[str, Any]]]] = {
    "pipeline": bench_pipeline.summary_rows,
    "submit": bench_submit.summary_rows,
    "memory": bench_memory.summary_rows,
    "startup": bench_startup.summary_rows,
}
COLUMNS = ["measure", "value", "vs baseline", "target", "verdict"]


def run_one(name: str, extra: Sequence[str]) -> tuple[Any, float]:
    command = [sys.executable, str(HERE / f"bench_{name}.py"), *extra, "--json"]
    print(f"running: {' '.join(command[1:])}", file=sys.stderr, flush=True)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"bench_{name} failed ({done.returncode}):\n{done.stderr[-4000:]}")
    return json.loads(done.stdout), seconds


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="the issue's sizes instead of the quick ones")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: checks the plumbing only")
    parser.add_argument("--memory-quick", action="store_true",
                        help="with --full: keep the quick backlog sizes (the full ones take an hour or more)")
    parser.add_argument("--only", default=",".join(QUICK), help="comma-separated subset (default: all)")
    parser.add_argument("--json", action="store_true", help="print every benchmark's figures as JSON")
    parser.add_argument("--save", type=Path, help="also write the summary and every figure to this JSON file")
    args = parser.parse_args(argv)
    plan = dict(FULL if args.full else SMOKE if args.smoke else QUICK)
    if args.memory_quick:
        plan["memory"] = QUICK["memory"]
    results: dict[str, Any] = {}
    rows: list[dict[str, Any]] = []
    failed = []
    for name in args.only.split(","):
        try:
            results[name], seconds = run_one(name, plan[name])
        except (RuntimeError, json.JSONDecodeError) as exc:
            failed.append(name)
            print(f"bench_{name}: {exc}", file=sys.stderr)
            continue
        print(f"  bench_{name} took {seconds:.0f} s", file=sys.stderr, flush=True)
        rows.extend(ROWS[name](results[name]))
    _print(rows, results, args.json)
    if args.save is not None:
        args.save.write_text(json.dumps({"summary": rows, "results": results}, indent=2), encoding="utf-8")
    return 1 if failed else 0


def _print(rows: list[dict[str, Any]], results: dict[str, Any], as_json: bool) -> None:
    from adapter.cli.output import print_json, print_table

    if as_json:
        print_json({"summary": rows, "results": results})
        return
    print_table(rows, COLUMNS)
    misses = [r["measure"] for r in rows if r["verdict"] == "MISS"]
    print(f"\n{len(rows) - len(misses)} of {len(rows)} rows without a MISS"
          + (f"; MISS: {'; '.join(misses)}" if misses else ""))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
