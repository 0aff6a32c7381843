"""Per-stage cost and end-to-end rate of extract -> map -> validate -> sign -> queue (issue 10, item 1).

    .venv/bin/python bench/bench_pipeline.py [--encounters 10000] [--procs 2] [--profile] [--json]

In ONE run, on the same demo encounters (``adapter.his.demo``, cached under the temp folder):

* each stage alone over every encounter (extract, map, validate, sign, queue);
* map + validate + sign + queue through the real ``ClaimPreparer`` + outbox in one process;
* the same with ``--procs`` processes, each preparing its share, all queueing into ONE SQLite outbox;
* the real ``Extraction.poll()`` (extract included) on a fresh outbox;
* a naive baseline: the three tables built with lxml one element at a time, the envelope signed
  with signxml's defaults for the profile, no validation, no queue;
* one raw RSA-2048 PKCS#1 v1.5 signature (the floor, so figures compare across machines).

Numbers on a shared 2-core machine are noisy: read the ratios to the baselines of the same run.
``--profile`` adds the top cProfile entries of each stage. Other bench scripts import the
set-up helpers below (``his_database``, ``open_app``), so they live here once.
"""

from __future__ import annotations

import argparse
import base64
import cProfile
import io
import json
import multiprocessing as mp
import pstats
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import fields
from datetime import date
from pathlib import Path
from typing import Any

FACILITY = "79001"
USER = f"{FACILITY}_BV"
SEED = 42
BATCH = 200
TARGET_ONE_PROC = 600.0      # encounters/s through map + validate + sign + queue, one process
TARGET_TWO_PROCS = 1000.0    # the same with both cores
CACHE = Path(tempfile.gettempdir()) / "bhyt-bench-cache"

# -- set-up shared by the bench scripts ------------------------------------------------------


def his_database(encounters: int, *, cache: Path = CACHE, base: int = 10_000) -> Path:
    """A demo HIS SQLite file with at least ``encounters`` encounters, generated once and cached.

    Above ``base`` encounters the base set is cloned under new MA_LKs in SQL (generating 100k
    encounters in Python takes minutes; cloning takes seconds and reads the same to the adapter).
    """
    cache.mkdir(parents=True, exist_ok=True)
    size = encounters if encounters <= base else base
    path = cache / f"demo-his-{size}-seed{SEED}.sqlite"
    if not path.exists():
        from adapter.his.demo import generate_demo_his

        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        generate_demo_his(partial, encounters=size, seed=SEED, ma_cskcb=FACILITY)
        partial.rename(path)
    if encounters <= base:
        return path
    copies = -(-encounters // base)
    cloned = cache / f"demo-his-{base}x{copies}-seed{SEED}.sqlite"
    if not cloned.exists():
        _clone(path, cloned, copies)
    return cloned


def _clone(source: Path, target: Path, copies: int) -> None:
    partial = target.with_suffix(".partial")
    shutil.copyfile(source, partial)
    db = sqlite3.connect(partial)
    try:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            columns = [r[1] for r in db.execute(f"PRAGMA table_info({table})")]
            if "ma_lk" not in columns:
                continue
            names = ", ".join(columns)
            picked = ", ".join("ma_lk || :suffix" if c == "ma_lk" else c for c in columns)
            for k in range(1, copies):
                db.execute(f"INSERT INTO {table} ({names}) SELECT {picked} FROM {table} "
                           "WHERE ma_lk NOT LIKE '%\\_C%' ESCAPE '\\'", {"suffix": f"_C{k:02d}"})
        db.commit()
    finally:
        db.close()
    partial.rename(target)


def write_config(workdir: Path, his_path: Path, *, database_url: str | None = None,
                 password: str = "bench-password", gateway: str = "") -> Path:
    """The demo's configuration, pointed at a cached HIS (and optionally another outbox DB)."""
    workdir.mkdir(parents=True, exist_ok=True)
    secret = workdir / "gateway.pass"
    secret.write_text(password + "\n", encoding="utf-8")
    secret.chmod(0o600)
    db = f'database_url = "{database_url}"\n' if database_url else ""
    config = workdir / "adapter.toml"
    config.write_text(
        f'workdir = "{workdir.as_posix()}"\n{db}\n'
        f'[his]\nurl = "sqlite:///{his_path.as_posix()}"\nprofile = "demo"\n\n'
        '[signing]\nkind = "demo"\n\n[gateway]\nenvironment = "simulator"\n'
        f'{gateway}\n'
        f'[[facilities]]\nma_cskcb = "{FACILITY}"\nname = "Bench"\nusername = "{USER}"\n'
        f'password_file = "{secret.as_posix()}"\nsending_enabled = true\n', encoding="utf-8")
    return config


def open_app(config: Path, **kwargs: Any) -> Any:
    from adapter.bootstrap import bootstrap
    from adapter.settings import load_settings

    return bootstrap(load_settings(config), **kwargs)


def extract_all(app: Any, limit: int) -> list[Any]:
    from adapter.ports import Watermark

    source = app.his_source(FACILITY)
    return [e for e, _ in source.finished_since(Watermark(), limit=limit)]


def rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (ru_maxrss is KiB on Linux)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- measuring ---------------------------------------------------------------------------------


class Stage:
    """Runs a callable over items, times it, and (optionally) profiles it."""

    def __init__(self, profile: bool) -> None:
        self.profile = profile
        self.profiles: dict[str, str] = {}

    def run(self, name: str, action: Callable[[], Any]) -> tuple[float, Any]:
        profiler = cProfile.Profile() if self.profile else None
        start = time.perf_counter()
        if profiler is not None:
            result = profiler.runcall(action)
        else:
            result = action()
        elapsed = time.perf_counter() - start
        if profiler is not None:
            self.profiles[name] = _top(profiler)
        return elapsed, result


def _top(profiler: cProfile.Profile, n: int = 14) -> str:
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("tottime")
    stats.print_stats(n)
    lines = out.getvalue().splitlines()
    start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    return "\n".join(lines[start:start + n + 1])


def raw_rsa_ms(seconds: float = 0.5) -> float:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    data = b"x" * 1024
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        key.sign(data, padding.PKCS1v15(), hashes.SHA256())
        count += 1
    return (time.perf_counter() - start) / count * 1000


# -- the naive baseline ------------------------------------------------------------------------


def naive_claim(encounter: Any, key: Any) -> bytes:
    """XML1/2/3 built one lxml element at a time, base64 in an envelope, signed by signxml defaults."""
    from lxml import etree
    from signxml.algorithms import CanonicalizationMethod
    from signxml.signer import XMLSigner

    tables = [("XML1", _naive_table("TONG_HOP", [encounter], None)),
              ("XML2", _naive_table("CHITIEU_CHITIET_THUOC", encounter.drugs, "CHI_TIET_THUOC")),
              ("XML3", _naive_table("CHITIEU_CHITIET_DVKT_VTYT", encounter.services, "CHI_TIET_DVKT"))]
    root = etree.Element("GIAMDINHHS")
    info = etree.SubElement(root, "THONGTINDONVI")
    etree.SubElement(info, "MACSKCB").text = encounter.ma_cskcb
    hoso = etree.SubElement(etree.SubElement(etree.SubElement(root, "THONGTINHOSO"), "DANHSACHHOSO"), "HOSO")
    for kind, table in tables:
        file_ = etree.SubElement(hoso, "FILEHOSO")
        etree.SubElement(file_, "LOAIHOSO").text = kind
        etree.SubElement(file_, "NOIDUNGFILE").text = base64.b64encode(table).decode()
    etree.SubElement(root, "CHUKYDONVI")
    signer = XMLSigner(c14n_algorithm=CanonicalizationMethod.CANONICAL_XML_1_0)
    signed = signer.sign(root, key=key.private_key, cert=[key.certificate])
    return bytes(etree.tostring(signed, xml_declaration=True, encoding="utf-8"))


def _naive_table(root_name: str, rows: Iterable[Any], row_name: str | None) -> bytes:
    from lxml import etree

    root = etree.Element(root_name)
    parent = etree.SubElement(root, f"DSACH_{row_name}") if row_name else root
    for row in rows:
        element = etree.SubElement(parent, row_name) if row_name else parent
        for f in fields(row):
            value = getattr(row, f.name)
            if value is None or isinstance(value, tuple) or hasattr(value, "__dataclass_fields__"):
                continue
            etree.SubElement(element, f.name.upper()).text = _text(value)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))


def _text(value: Any) -> str:
    if isinstance(value, date):
        return value.strftime("%Y%m%d%H%M") if hasattr(value, "hour") else value.strftime("%Y%m%d")
    return str(value)


# -- the stages -------------------------------------------------------------------------------


def measure(args: argparse.Namespace) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="bhyt-bench-pipeline-"))
    try:
        return _measure(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _measure(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    his = his_database(args.encounters)
    stage = Stage(args.profile)
    config = write_config(work / "stages", his)
    app = open_app(config)
    try:
        result = _stages(app, stage, args.encounters)
        result.update(_combined(app, stage, result.pop("_extracted")))
    finally:
        app.close()
    result.update(_end_to_end(write_config(work / "e2e", his), args.encounters))
    if args.procs > 1:
        result.update(_parallel(write_config(work / "mp", his), args.encounters, args.procs))
    if args.postgres and args.procs > 1:
        result.update(_parallel_postgres(work, his, args.encounters, args.procs))
    result["raw_rsa_ms"] = raw_rsa_ms()
    result["profiles"] = stage.profiles
    return result


def _stages(app: Any, stage: Stage, n: int) -> dict[str, Any]:
    preparer = app.preparer(FACILITY)
    today = app.clock.now().date()
    app.outbox  # noqa: B018 - opening and migrating the outbox is start-up, not per-encounter cost
    secs_extract, extracted = stage.run("extract", lambda: extract_all(app, n))
    encs = [e.encounter for e in extracted if e.encounter is not None]
    profiles = [preparer.choose_profile(e) for e in encs]
    preparer.signer.sign(map_one(preparer, encs[0], profiles[0], today)[1])     # warm-up: imports, caches
    secs_map, mapped = stage.run("map", lambda: [
        map_one(preparer, e, p, today) for e, p in zip(encs, profiles, strict=True)])
    secs_validate, issues = stage.run("validate", lambda: [
        validate_one(preparer, m[0], p, e.ma_lk) for e, m, p in zip(encs, mapped, profiles, strict=True)])
    secs_scan, scanned = stage.run("text scan", lambda: [
        _text_scan(preparer, e, p, m[0]) for e, m, p in zip(encs, mapped, profiles, strict=True)])
    issues = [found + more for found, more in zip(issues, scanned, strict=True)]
    clean = [not any(i.blocking for i in found) for found in issues]
    docs = [m[1] for m in mapped]
    secs_sign, signed = stage.run("sign", lambda: [
        preparer.signer.sign(d) if ok else None for d, ok in zip(docs, clean, strict=True)])
    prepared = _prepared(encs, profiles, docs, signed, issues, preparer.signer.certificate_fingerprint)
    _enqueue_all(app.outbox, prepared[:1], app.clock.now())           # warm-up: statement compilation
    secs_queue, _ = stage.run("queue", lambda: _enqueue_all(app.outbox, prepared[1:], app.clock.now()))
    ms = {"extract": secs_extract / len(extracted), "map": secs_map / len(encs),
          "validate": secs_validate / len(encs), "text scan": secs_scan / len(encs),
          "sign": secs_sign / len(encs),
          "queue": secs_queue / max(1, len(encs) - 1)}
    return {**_shape(encs, signed), "ms": {k: v * 1000 for k, v in ms.items()},
            "naive_ms": _naive(encs, preparer.signer, stage), "_extracted": extracted}


def map_one(preparer: Any, encounter: Any, profile: str, today: date) -> tuple[Any, bytes]:
    """(what the validator reads, the unsigned envelope) for either shape of ``ClaimPreparer``.

    The preparer is being reshaped (tables validated before they are wrapped); the bench
    measures whichever shape the working tree has.
    """
    if hasattr(preparer, "build_tables"):
        tables = preparer.build_tables(encounter, preparer.facility, profile, preparer.policy)
        return tables, preparer.wrap(preparer.facility.ma_cskcb, today, tables)
    doc = preparer.build_claim(encounter, preparer.facility, profile, created_on=today,
                               policy=preparer.policy)
    return doc, doc


def validate_one(preparer: Any, subject: Any, profile: str, ma_lk: str) -> tuple[Any, ...]:
    if hasattr(preparer, "build_tables"):
        return tuple(preparer.validator(subject, profile, ma_lk))
    return tuple(preparer.validator(subject, profile))


def _text_scan(preparer: Any, encounter: Any, profile: str, tables: Any) -> tuple[Any, ...]:
    """The preparer's check of what the text normaliser changed (absent in older shapes)."""
    scan = getattr(preparer, "text_scan", None)
    if scan is None or not isinstance(tables, dict):
        return ()
    return tuple(scan(encounter, profile, tables.keys()))


def _prepared(encs: Sequence[Any], profiles: Sequence[str], docs: Sequence[bytes],
              signed: Sequence[bytes | None], issues: Sequence[tuple[Any, ...]],
              fingerprint: str) -> list[Any]:
    from adapter.services import Prepared, content_hash

    return [Prepared(ma_cskcb=e.ma_cskcb, ma_lk=e.ma_lk, kind=_claim_kind(), profile=p,
                     content_hash=content_hash(d), unsigned=d, signed=s,
                     cert_fingerprint=fingerprint if s else None, issues=i)
            for e, p, d, s, i in zip(encs, profiles, docs, signed, issues, strict=True)]


def _shape(encs: Sequence[Any], signed: Sequence[bytes | None]) -> dict[str, Any]:
    ok = [s for s in signed if s is not None]
    return {"encounters": len(encs), "drug_lines_avg": sum(len(e.drugs) for e in encs) / len(encs),
            "service_lines_avg": sum(len(e.services) for e in encs) / len(encs),
            "blocking": len(signed) - len(ok), "claim_kb_avg": sum(map(len, ok)) / max(1, len(ok)) / 1024}


def _claim_kind() -> Any:
    from adapter.ports import DocumentKind

    return DocumentKind.CLAIM


def _enqueue_all(outbox: Any, prepared: Sequence[Any], now: Any) -> None:
    from adapter.bootstrap import to_new_version

    for start in range(0, len(prepared), BATCH):
        with outbox.transaction() as conn:
            for item in prepared[start:start + BATCH]:
                outbox.enqueue(to_new_version(item), now=now, conn=conn)


def _naive(encs: Sequence[Any], signer: Any, stage: Stage) -> float:
    key = signer._key     # the bench reads the demo key; production code never does
    naive_claim(encs[0], key)
    secs, _ = stage.run("naive", lambda: [naive_claim(e, key) for e in encs])
    return secs * 1000 / len(encs)


def _combined(app: Any, stage: Stage, extracted: Sequence[Any]) -> dict[str, Any]:
    """The real ClaimPreparer.prepare + enqueue, batch by batch, into a fresh outbox."""
    from adapter.outbox.migrate import upgrade
    from adapter.outbox.open import make_engine
    from adapter.outbox.store import OutboxStore

    engine = make_engine(f"sqlite:///{(app.settings.workdir / 'combined.db').as_posix()}")
    upgrade(engine)
    try:
        store = OutboxStore(engine)
        secs, _ = stage.run("prepare+queue", lambda: prepare_and_queue(app.preparer(FACILITY), store,
                                                                      extracted, app.clock))
    finally:
        engine.dispose()
    return {"combined_per_s": len(extracted) / secs}


def prepare_and_queue(preparer: Any, store: Any, extracted: Sequence[Any], clock: Any) -> int:
    from adapter.bootstrap import to_new_version

    for start in range(0, len(extracted), BATCH):
        prepared = [preparer.prepare(e) for e in extracted[start:start + BATCH]]
        with store.transaction() as conn:
            for item in prepared:
                store.enqueue(to_new_version(item), now=clock.now(), conn=conn)
    return len(extracted)


def _end_to_end(config: Path, n: int) -> dict[str, Any]:
    """The production path: ``App.extraction(...).poll()`` on a fresh outbox and watermark."""
    app = open_app(config)
    try:
        extraction = app.extraction(FACILITY)
        app.signer(FACILITY)      # key loading is start-up, not per-encounter cost
        start = time.perf_counter()
        report = extraction.poll(max_batches=-(-n // extraction.batch_size))
        secs = time.perf_counter() - start
    finally:
        app.close()
    return {"e2e_per_s": report.extracted / secs, "e2e_queued": report.queued,
            "e2e_needs_fix": report.needs_fix}


@contextmanager
def postgres_database(prefix: str) -> Iterator[str]:
    """A throw-away PostgreSQL database on 127.0.0.1 (trust auth), dropped afterwards."""
    import os

    import psycopg

    name = f"{prefix}_{os.getpid()}"
    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _parallel_postgres(work: Path, his: Path, n: int, procs: int) -> dict[str, Any]:
    import psycopg

    try:
        with postgres_database("adapter_t_bench_pipeline") as url:
            pg = _parallel(write_config(work / "mp-pg", his, database_url=url), n, procs)
    except psycopg.OperationalError as exc:     # no server here: the SQLite figure still stands
        print(f"PostgreSQL run skipped: {type(exc).__name__}", file=sys.stderr)
        return {}
    return {"mp_pg_per_s": pg["mp_per_s"]}


# -- several processes, one outbox --------------------------------------------------------------


def _parallel(config: Path, n: int, procs: int) -> dict[str, Any]:
    app = open_app(config)
    try:
        ma_lks = [e.ma_lk for e in extract_all(app, n)]
        app.outbox   # migrate once, before the workers race for it  # noqa: B018
    finally:
        app.close()
    ctx = mp.get_context("spawn")
    barrier, results = ctx.Barrier(procs + 1), ctx.Queue()
    workers = [ctx.Process(target=_worker, args=(config, ma_lks[i::procs], barrier, results))
               for i in range(procs)]
    for w in workers:
        w.start()
    barrier.wait(timeout=300)
    spans = [results.get(timeout=600) for _ in workers]
    for w in workers:
        w.join(timeout=60)
    wall = max(end for _, end, _ in spans) - min(start for start, _, _ in spans)
    return {"procs": procs, "mp_per_s": sum(c for _, _, c in spans) / wall}


def _worker(config: Path, ma_lks: list[str], barrier: Any, results: Any) -> None:
    app = open_app(config)
    try:
        extracted = app.his_source(FACILITY).encounters(ma_lks)
        preparer = app.preparer(FACILITY)
        preparer.prepare(extracted[0])          # warm-up (not queued)
        barrier.wait(timeout=300)
        start = time.monotonic()
        count = prepare_and_queue(preparer, app.outbox, extracted, app.clock)
        results.put((start, time.monotonic(), count))
    finally:
        app.close()


# -- output ------------------------------------------------------------------------------------


def summary_rows(r: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows for ``run_all``: figure, baseline ratio, target, verdict."""
    naive_rate = 1000 / r["naive_ms"]
    rows = [_row("pipeline: map+validate+sign+queue, 1 process", r["combined_per_s"], "enc/s",
                 naive_rate, TARGET_ONE_PROC, f">= {TARGET_ONE_PROC:.0f}/s and > naive"),
            _row("pipeline: end to end (extract..queue), 1 process", r["e2e_per_s"], "enc/s", naive_rate,
                 None, "(figure)")]
    if "mp_per_s" in r:
        rows.append(_row(f"pipeline: map..queue, {r['procs']} processes, 1 outbox", r["mp_per_s"], "enc/s",
                         naive_rate, TARGET_TWO_PROCS, f">= {TARGET_TWO_PROCS:.0f}/s"))
    if "mp_pg_per_s" in r:
        rows.append(_row(f"pipeline: map..queue, {r['procs']} processes, PostgreSQL", r["mp_pg_per_s"],
                         "enc/s", naive_rate, TARGET_TWO_PROCS, f">= {TARGET_TWO_PROCS:.0f}/s"))
    rows[0]["verdict"] = _verdict(r["combined_per_s"] >= TARGET_ONE_PROC and r["combined_per_s"] > naive_rate)
    return rows


def _row(name: str, value: float, unit: str, baseline: float, target: float | None,
         goal: str) -> dict[str, Any]:
    verdict = "-" if target is None else _verdict(value >= target)
    return {"measure": name, "value": f"{value:,.0f} {unit}", "vs baseline": f"{value / baseline:.2f}x naive",
            "target": goal, "verdict": verdict}


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def print_report(r: dict[str, Any]) -> None:
    ms = r["ms"]
    rsa = r["raw_rsa_ms"]
    print(f"{r['encounters']} encounters, {r['drug_lines_avg']:.1f} drug + {r['service_lines_avg']:.1f} "
          f"service lines each, signed claim {r['claim_kb_avg']:.1f} KiB, "
          f"{r['blocking']} blocked by validation")
    print(f"{'stage':<28}{'ms/enc':>9}{'enc/s':>9}{'x raw RSA':>11}")
    for name, value in [*ms.items(), ("sum of stages", sum(ms.values())),
                        ("map..queue (sum)", sum(v for k, v in ms.items() if k != "extract")),
                        ("naive build + sign", r["naive_ms"])]:
        print(f"{name:<28}{value:9.3f}{1000 / value:9.0f}{value / rsa:11.1f}")
    print(f"{'raw RSA-2048 signature':<28}{rsa:9.3f}{1000 / rsa:9.0f}{1.0:11.1f}")
    print(f"map+validate+sign+queue, real preparer, 1 process: {r['combined_per_s']:8.0f} enc/s "
          f"({r['combined_per_s'] * r['naive_ms'] / 1000:.2f}x naive)")
    print(f"end to end Extraction.poll(), 1 process:          {r['e2e_per_s']:8.0f} enc/s "
          f"(queued {r['e2e_queued']}, needs fix {r['e2e_needs_fix']})")
    if "mp_per_s" in r:
        print(f"map+validate+sign+queue, {r['procs']} processes, 1 outbox:   {r['mp_per_s']:8.0f} enc/s "
              f"({r['mp_per_s'] / r['combined_per_s']:.2f}x one process)")
    if "mp_pg_per_s" in r:
        print(f"the same into a PostgreSQL outbox:                {r['mp_pg_per_s']:8.0f} enc/s")
    for name, text in r["profiles"].items():
        print(f"\n--- cProfile, stage {name} (top by own time) ---\n{text}")


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--encounters", type=int, default=10_000)
    parser.add_argument("--procs", type=int, default=2, help="processes for the parallel run (1: skip it)")
    parser.add_argument("--profile", action="store_true", help="cProfile each stage, print the top entries")
    parser.add_argument("--postgres", action="store_true",
                        help="repeat the parallel run into a PostgreSQL outbox (127.0.0.1, user postgres)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = measure(args)
    if args.json:
        print(json.dumps({k: v for k, v in result.items() if k != "profiles"}, indent=2))
    else:
        print_report(result)
    return result


if __name__ == "__main__":
    main(sys.argv[1:])
