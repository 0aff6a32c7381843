"""Benchmark: health-book bundle build (pure, no validation) and validation, on the demo encounter.

Run: .venv/bin/python bench/fhir_bundle.py [--n 2000]
CPU time of this process (time.process_time), so other load on the machine skews it less.
Prints µs per build, the first-validation cost, µs per later validation, and their ratio.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import datetime

from adapter.mappers.fhir import FhirPolicy, build_bundle, validate_bundle
from adapter.mappers.fhir.demo import demo_encounter, demo_facility


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000)
    n = parser.parse_args().n
    enc, fac, policy, at = demo_encounter(), demo_facility(), FhirPolicy(), datetime(2026, 3, 9, 11, 0)
    hiv_enc = demo_encounter(with_hiv=True)

    start = time.process_time()
    for _ in range(n):
        bundle = build_bundle(enc, fac, policy=policy, generated_at=at)
    build_us = (time.process_time() - start) / n * 1e6

    start = time.process_time()
    for _ in range(n):
        build_bundle(hiv_enc, fac, policy=policy, generated_at=at)
    hiv_us = (time.process_time() - start) / n * 1e6

    start = time.process_time()
    validate_bundle(bundle)
    first_ms = (time.process_time() - start) * 1e3

    runs = max(1, n // 10)
    start = time.process_time()
    for _ in range(runs):
        validate_bundle(bundle)
    validate_us = (time.process_time() - start) / runs * 1e6

    size = len(json.dumps(bundle, ensure_ascii=False).encode())
    print(f"demo encounter: {len(bundle['entry'])} resources, {size} bytes of JSON")
    print(f"build (no validation):         {build_us:8.1f} µs/bundle  ({n} runs)")
    print(f"build, HIV encounter filtered: {hiv_us:8.1f} µs/bundle")
    print(f"first validation (imports):    {first_ms:8.1f} ms")
    print(f"validation after the first:    {validate_us:8.1f} µs/bundle  ({runs} runs)")
    print(f"ratio validation / build:      {validate_us / build_us:8.1f}")


if __name__ == "__main__":
    main()
