"""Rule run on already-parsed rows for a typical encounter (8 drugs + 12 services).

    .venv/bin/python bench/validation_bench.py

Prints the time per encounter for the rule run alone, for parsing + rules from an
envelope, and their ratio. Target: < 0.5 ms per encounter for the rule run.
"""

from __future__ import annotations

import sys
import time
import timeit
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "tests" / "unit" / "validation"))

import validation_samples as s

from adapter.validation.context import ValidationContext
from adapter.validation.engine import validate_document, validate_tables


def typical() -> s.Rows:
    rows = s.outpatient()
    # Distinct quantities and prices: no two lines share their money fields.
    rows[2] = [s.drug("3176", i, str(i + 2), f"{1500.5 + 37 * i:.3f}", yl="202507010830")
               for i in range(1, 9)]
    groups = ["13", "1", "1", "1", "2", "2", "3", "18", "18", "1", "1", "2"]
    rows[3] = [s.service("3176", i, n, "1", str(65000 + 1000 * i), yl="202507010830")
               for i, n in enumerate(groups, start=1)]
    s.fill_totals(rows)
    return rows


def per_call(fn: object, number: int) -> float:
    # CPU time of this process: the machine is shared, wall time mostly measures the neighbours.
    best = min(timeit.repeat(fn, number=number, repeat=7, timer=time.process_time))  # type: ignore[arg-type]
    return best / number * 1000


def breakdown(tables: object, context: ValidationContext) -> None:
    from adapter.validation.rules import CHECKS, Episode

    ep = Episode(tables=tables, profile="3176", ma_lk=s.MA_LK, context=context, whole=True)  # type: ignore[arg-type]
    for check in CHECKS:
        ms = per_call(lambda c=check: list(c(ep)), 300)
        print(f"  {check.__name__:<24} {ms:.3f} ms")


def main() -> None:
    rows = typical()
    tables = s.tables(rows)
    context = ValidationContext.for_date(date(2025, 7, 1))
    assert validate_tables(tables, "3176", context=context) == []
    rules = per_call(lambda: validate_tables(tables, "3176", context=context), 500)
    broken = s.clone(rows)
    for row in broken[2]:
        row["THANH_TIEN_BV"] = "1.00"
    broken_tables = s.tables(broken)
    with_issues = per_call(lambda: validate_tables(broken_tables, "3176", context=context), 500)
    data = s.envelope_xml(rows)
    document = per_call(lambda: validate_document(data, "3176", context), 200)
    # A fixed pure-Python workload, to compare runs on machines (or loads) of different speed.
    reference = per_call(lambda: sum(i * i for i in range(10000)), 200)
    print(f"reference workload (sum of 10k squares):            {reference:.3f} ms")
    print(f"rule run, clean encounter (8 drugs + 12 services): {rules:.3f} ms  (target < 0.5 ms)"
          f"  = {rules / reference:.2f}x reference")
    print(f"rule run, encounter with 8 money issues:            {with_issues:.3f} ms")
    print(f"parse envelope (base64 tables) + rule run:          {document:.3f} ms")
    print(f"ratio parse+rules / rules:                           {document / rules:.2f}x")
    print("per check (clean encounter):")
    breakdown(tables, context)


if __name__ == "__main__":
    main()
