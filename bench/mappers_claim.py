"""Mapper speed: µs per encounter for the claim envelope of a typical encounter
(8 drugs, 12 services), and for its parts. Prints figures and ratios; no thresholds.

    .venv/bin/python bench/mappers_claim.py
"""

from __future__ import annotations

import dataclasses
import sys
import timeit
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "unit" / "mappers"))

from mapper_samples import FACILITY, drug, outpatient, service

from adapter.mappers import TablePolicy, build_checkin, build_claim, table_document
from adapter.mappers.sources import xml1_values
from adapter.model import Encounter


def typical(n_drugs: int = 8, n_services: int = 12) -> Encounter:
    start = datetime(2025, 7, 1, 8, 0)
    drugs = tuple(drug(f"40.{i}", f"Thuốc {i}", "10", "1500.5", start + timedelta(minutes=i))
                  for i in range(n_drugs))
    services = tuple(service(f"01.{i:04d}", f"Dịch vụ kỹ thuật {i}", "46200", start + timedelta(minutes=i))
                     for i in range(n_services))
    encounter: Encounter = dataclasses.replace(outpatient(), drugs=drugs, services=services)
    return encounter


def per_call_us(fn: Callable[[], object], number: int) -> float:
    best = min(timeit.repeat(fn, number=number, repeat=5))
    return best / number * 1e6


def main() -> None:
    enc, policy, created = typical(), TablePolicy(), date(2025, 7, 2)
    claim = build_claim(enc, FACILITY, "3176", created_on=created, policy=policy)
    rows = {
        "claim envelope (XML1+2+3, base64)": lambda: build_claim(enc, FACILITY, "3176", created_on=created,
                                                                  policy=policy),
        "XML1 values (incl. totals)": lambda: xml1_values(enc, "3176", FACILITY),
        "XML2 document (8 drugs)": lambda: table_document(2, enc, "3176", FACILITY),
        "XML3 document (12 services)": lambda: table_document(3, enc, "3176", FACILITY),
        "check-in (XML0)": lambda: build_checkin(enc, "3176"),
        "claim envelope, profile 4750": lambda: build_claim(enc, FACILITY, "4750", created_on=created,
                                                            policy=policy),
    }
    big = typical(80, 120)       # a long inpatient stay: ten times the lines
    rows["claim envelope, 80 drugs + 120 services"] = lambda: build_claim(
        big, FACILITY, "3176", created_on=created, policy=policy)
    figures = {name: per_call_us(fn, 30 if "120" in name else 300) for name, fn in rows.items()}
    # Shared machines vary several-fold in speed: a fixed pure-Python workload gives a yardstick.
    numbers = list(range(1000))
    yardstick = per_call_us(lambda: [f"<A>{i}</A>" for i in numbers], 300)
    whole = figures["claim envelope (XML1+2+3, base64)"]
    print(f"typical encounter: 8 drugs, 12 services; envelope {len(claim)} bytes")
    for name, us in figures.items():
        print(f"{name:40s} {us:8.1f} µs  ({us / whole:5.2f} of the envelope)")
    budget = 1e6 / 600
    print(f"envelope share of the 600 encounters/s budget ({budget:.0f} µs): {whole / budget:.2f}")
    print(f"envelopes per second on this core: {1e6 / whole:.0f}")
    print(f"yardstick (1000 f-strings): {yardstick:.1f} µs; envelope = {whole / yardstick:.1f} yardsticks")


if __name__ == "__main__":
    main()
