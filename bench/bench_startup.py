"""Start-up time of the operator CLI (issue 10, item 4).

    .venv/bin/python bench/bench_startup.py [--runs 5] [--json]

Runs ``bhyt-adapter --help`` as a subprocess ``--runs`` times and takes the median wall time,
beside the bare interpreter (``python -c pass``) measured the same way in the same run.
It also lists which heavy third-party packages ``--help`` imports (it should import none:
handlers import them lazily) and the slowest imports by ``-X importtime``.
Target: median under 0.5 s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

TARGET_S = 0.5
HEAVY = ("sqlalchemy", "lxml", "signxml", "cryptography", "httpx", "pydantic", "pydantic_settings",
         "fhir", "apscheduler", "uvicorn", "starlette", "openpyxl", "psycopg", "pymysql", "pkcs11", "alembic")
PROBE = ("import sys; from adapter.cli.main import build_parser; build_parser().format_help(); "
         f"print(','.join(sorted(m for m in {HEAVY!r} if m in sys.modules)))")


def _cli() -> list[str]:
    script = Path(sys.executable).with_name("bhyt-adapter")
    return [str(script)] if script.exists() else [sys.executable, "-m", "adapter.cli.main"]


def median_s(command: Sequence[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True, timeout=60)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def heavy_imports() -> list[str]:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True,
                          timeout=60)
    return [m for m in done.stdout.strip().split(",") if m]


def slowest_imports(n: int = 12) -> list[tuple[str, float]]:
    """Top-level packages by cumulative import time under ``--help`` (``-X importtime``)."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "adapter.cli.main", "--help"],
                          capture_output=True, text=True, check=False, timeout=60)
    return top_level_imports(done.stderr)[:n]


def top_level_imports(report: str) -> list[tuple[str, float]]:
    """``-X importtime`` output -> (top-level module, cumulative seconds), slowest first."""
    totals: dict[str, float] = {}
    for line in report.splitlines():
        parts = line.split("|")
        if len(parts) != 3 or not parts[1].strip().isdigit():
            continue
        name = parts[2][1:].rstrip()        # "| " then two spaces per nesting level
        if not name.startswith(" "):
            totals[name] = int(parts[1]) / 1e6
    return sorted(totals.items(), key=lambda kv: kv[1], reverse=True)


def measure(runs: int) -> dict[str, Any]:
    cli = _cli()
    median_s([*cli, "--help"], 1)                      # warm the file cache and .pyc files
    return {"python_s": median_s([sys.executable, "-c", "pass"], runs),
            "help_s": median_s([*cli, "--help"], runs), "runs": runs, "command": " ".join([*cli, "--help"]),
            "heavy_imported": heavy_imports(), "slowest_imports": slowest_imports()}


def summary_rows(r: dict[str, Any]) -> list[dict[str, Any]]:
    heavy = ",".join(r["heavy_imported"]) or "none"
    return [{"measure": f"start-up: bhyt-adapter --help (median of {r['runs']})",
             "value": f"{r['help_s']:.3f} s",
             "vs baseline": f"{r['help_s'] / r['python_s']:.1f}x bare python", "target": f"< {TARGET_S} s",
             "verdict": "PASS" if r["help_s"] < TARGET_S else "MISS"},
            {"measure": "start-up: heavy packages imported by --help", "value": heavy, "vs baseline": "-",
             "target": "none", "verdict": "PASS" if not r["heavy_imported"] else "MISS"}]


def print_report(r: dict[str, Any]) -> None:
    print(f"{r['command']}: median {r['help_s'] * 1000:.0f} ms of {r['runs']} "
          f"(bare python -c pass: {r['python_s'] * 1000:.0f} ms, ratio {r['help_s'] / r['python_s']:.1f}x); "
          f"target < {TARGET_S * 1000:.0f} ms")
    print(f"heavy packages imported by --help: {', '.join(r['heavy_imported']) or 'none'}")
    print("slowest top-level imports (cumulative, -X importtime):")
    for name, seconds in r["slowest_imports"]:
        print(f"  {seconds * 1000:7.1f} ms  {name}")


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = measure(args.runs)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_report(result)
    return result


if __name__ == "__main__":
    main(sys.argv[1:])
