"""The claim preparer as wired today vs. validating the rows the mapper wrote (issue 10, item 1).

    .venv/bin/python bench/bench_prepare_rows.py [--encounters 2000] [--rounds 3]

In ONE run, on the same demo encounters, alternating rounds (the machine is shared and noisy):

* ``wired``: ``App.preparer()`` as ``bootstrap.py`` builds it (``claim_files``, then every table
  document parsed back by ``parse_table`` before ``validate_tables``);
* ``rows``: the same preparer with ``build_tables=claim_tables``, ``wrap=claim_envelope`` and a
  validator that wraps the written rows in ``TableRows`` (no parse back) - the change proposed
  to the lead for ``bootstrap.py``.

Both prepare (map + validate + text scan + sign) and enqueue into a fresh SQLite outbox, batch by
batch, exactly like ``bench_pipeline.prepare_and_queue``. Prints enc/s (best round) and the ratio;
also checks that both shapes give the same issues and the same unsigned envelopes.
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import bench_pipeline as bp


def rows_validator(settings: Any, registry: Any) -> Callable[[Any, str, str], Any]:
    from adapter.validation.context import context_factory
    from adapter.validation.engine import validate_tables
    from adapter.validation.parse import TableRows

    contexts = context_factory(settings.validation, registry)

    def validate(tables: Any, profile: str, ma_lk: str) -> Any:
        rows = {n: TableRows(table=n, rows=r) for n, (_, r) in tables.items()}
        return validate_tables(rows, profile, ma_lk=ma_lk, context=contexts)  # type: ignore[arg-type]

    return validate


def preparers(app: Any) -> dict[str, Any]:
    from adapter.mappers import claim_envelope, claim_tables

    wired = app.preparer(bp.FACILITY)
    rows = dataclasses.replace(wired, build_tables=claim_tables, wrap=claim_envelope,
                               validator=rows_validator(app.settings, app.practitioner_registry(bp.FACILITY)))
    return {"wired": wired, "rows": rows}


def _store(workdir: Path, name: str) -> tuple[Any, Any]:
    from adapter.outbox.migrate import upgrade
    from adapter.outbox.open import make_engine
    from adapter.outbox.store import OutboxStore

    engine = make_engine(f"sqlite:///{(workdir / f'{name}.db').as_posix()}")
    upgrade(engine)
    return engine, OutboxStore(engine)


def _round(app: Any, preparer: Any, extracted: Sequence[Any], workdir: Path,
           name: str) -> tuple[float, float]:
    """(enc/s wall, CPU ms/enc of this process: steadier than wall time on a shared machine)."""
    engine, store = _store(workdir, name)
    try:
        start, cpu = time.perf_counter(), time.process_time()
        bp.prepare_and_queue(preparer, store, extracted, app.clock)
        n = len(extracted)
        return n / (time.perf_counter() - start), (time.process_time() - cpu) * 1000 / n
    finally:
        engine.dispose()


def _same_output(preparer_a: Any, preparer_b: Any, extracted: Sequence[Any]) -> bool:
    for e in extracted[:200]:
        a, b = preparer_a.prepare(e), preparer_b.prepare(e)
        if a.unsigned != b.unsigned or [i.rule for i in a.issues] != [i.rule for i in b.issues]:
            return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--encounters", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-rows-"))
    app = bp.open_app(bp.write_config(workdir / "cfg", bp.his_database(args.encounters)))
    try:
        extracted = [e for e in bp.extract_all(app, args.encounters) if e.encounter is not None]
        shapes = preparers(app)
        for p in shapes.values():
            p.prepare(extracted[0])                 # warm-up: imports, key, caches
        best = {name: 0.0 for name in shapes}
        cpu = {name: float("inf") for name in shapes}
        for r in range(args.rounds):
            for name, p in shapes.items():
                rate, ms = _round(app, p, extracted, workdir, f"{name}-{r}")
                best[name], cpu[name] = max(best[name], rate), min(cpu[name], ms)
        same = _same_output(shapes["wired"], shapes["rows"], extracted)
    finally:
        app.close()
    print(f"{len(extracted)} encounters, map+validate+sign+queue, best of {args.rounds} alternating rounds")
    for name, rate in best.items():
        print(f"  {name:6} {rate:7.0f} enc/s  {1000 / rate:6.3f} ms/enc wall  {cpu[name]:6.3f} ms/enc CPU")
    print(f"  rows / wired: {best['rows'] / best['wired']:.2f}x wall, "
          f"{cpu['wired'] / cpu['rows']:.2f}x CPU   "
          f"target {bp.TARGET_ONE_PROC:.0f}/s: "
          f"{'PASS' if best['rows'] >= bp.TARGET_ONE_PROC else 'MISS'}   same envelopes and issues: {same}")


if __name__ == "__main__":
    main()
