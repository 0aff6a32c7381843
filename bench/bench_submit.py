"""Submission throughput and client CPU against the simulator with 1-3 s latency (issue 10, item 2).

    .venv/bin/python bench/bench_submit.py [--files 8,48,192] [--concurrency 1,8,32] [--naive 6] [--json]

The simulator runs over HTTPS in ANOTHER process (spawned), so only the client's CPU is counted
(``time.process_time()`` of this process, all threads), in steady state: one untimed warm-up
file per run takes the first login, TLS handshake and statement compilation. For each
concurrency ``c`` a fresh outbox holds signed claims of distinct demo encounters and
``App.drain(concurrency=c)`` sends them with ``gateway.max_concurrency = c`` (the configured
bound). In the same run:

* the bare ``GatewayClient`` at the highest concurrency (threads, no outbox), to split transport
  CPU from outbox CPU;
* a naive client: one request after another, a new connection (TCP + TLS) each time, the form
  body encoded by ``urllib.parse.urlencode``.

Targets: at least 15 files/s within the bound, at most 1 ms of client CPU per submitted file.
"""

from __future__ import annotations

import argparse
import base64
import json
import multiprocessing as mp
import shutil
import ssl
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bench_pipeline import FACILITY, USER, extract_all, his_database, open_app, write_config

PASSWORD = "bench-password"
TARGET_FILES_PER_S = 15.0
TARGET_CPU_MS = 1.0

# -- the simulator, in its own process -----------------------------------------------------------


def _serve(cert_pem: bytes, latency: tuple[float, float], tls: bool, pipe: Any) -> None:
    import resource

    from adapter.simulator.config import Faults, SimulatorConfig
    from adapter.simulator.server import SimulatorServer

    faults = Faults(latency_min_s=latency[0], latency_max_s=latency[1])
    config = SimulatorConfig(accounts={USER: (PASSWORD, FACILITY)}, certificates={FACILITY: [cert_pem]},
                             tls=tls, faults=faults, seed=7)
    with SimulatorServer(config) as sim:
        pipe.send((sim.base_url, str(sim.ca_pem_path or "")))
        pipe.recv()                                     # "stop"
        usage = resource.getrusage(resource.RUSAGE_SELF)
        pipe.send({"report": sim.state.report(), "cpu_s": usage.ru_utime + usage.ru_stime})


class Simulator:
    """Context manager: the simulator in a spawned process; its report and CPU on exit."""

    def __init__(self, cert_pem: bytes, latency: tuple[float, float], *, tls: bool = True) -> None:
        ctx = mp.get_context("spawn")
        self._pipe, child = ctx.Pipe()
        self._proc = ctx.Process(target=_serve, args=(cert_pem, latency, tls, child), daemon=True)
        self.base_url = self.ca_path = ""
        self.final: dict[str, Any] = {}

    def __enter__(self) -> Simulator:
        self._proc.start()
        if not self._pipe.poll(60):
            raise RuntimeError("the simulator process did not start")
        self.base_url, self.ca_path = self._pipe.recv()
        return self

    def __exit__(self, *exc: object) -> None:
        self._pipe.send("stop")
        if self._pipe.poll(30):
            self.final = self._pipe.recv()
        self._proc.join(timeout=30)


# -- documents ---------------------------------------------------------------------------------


def signed_claims(config: Path, count: int) -> tuple[list[Any], bytes]:
    """``count`` prepared (signed) claims of distinct encounters, and the signing certificate (PEM)."""
    from cryptography.hazmat.primitives.serialization import Encoding

    app = open_app(config)
    try:
        preparer = app.preparer(FACILITY)
        prepared = [preparer.prepare(e) for e in extract_all(app, count + count // 5 + 10)]
        ready = [p for p in prepared if p.signed is not None][:count]
        if len(ready) < count:
            raise RuntimeError(f"only {len(ready)} of {count} demo claims passed validation")
        return ready, app.signer(FACILITY).certificate.public_bytes(Encoding.PEM)
    finally:
        app.close()


def _queue(app: Any, prepared: Sequence[Any]) -> None:
    from adapter.bootstrap import to_new_version

    with app.outbox.transaction() as conn:
        for item in prepared:
            app.outbox.enqueue(to_new_version(item), now=app.clock.now(), conn=conn)


# -- the three ways of sending -----------------------------------------------------------------


def run_outbox(work: Path, his: Path, sim: Simulator, prepared: Sequence[Any],
               concurrency: int) -> dict[str, Any]:
    """``App.drain`` over a fresh outbox holding ``prepared``; wall time and client CPU of the drain."""
    gateway = f'max_concurrency = {concurrency}\nca_bundle = "{sim.ca_path}"\n'
    config = write_config(work / f"outbox-c{concurrency}", his, password=PASSWORD, gateway=gateway)
    app = open_app(config, base_url=sim.base_url)
    try:
        _queue(app, prepared[:1])
        app.drain(concurrency=concurrency)       # warm-up file: first login, TLS handshake, statements
        _queue(app, prepared[1:])
        cpu, start = time.process_time(), time.perf_counter()
        report = app.drain(concurrency=concurrency)
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    finally:
        app.close()
    return _figures(f"outbox drain, c={concurrency}", report.accepted, len(prepared) - 1, wall, cpu)


def run_client(sim: Simulator, prepared: Sequence[Any], concurrency: int) -> dict[str, Any]:
    """The bare ``GatewayClient`` from ``concurrency`` threads: the transport's share of the CPU."""
    from pydantic import SecretStr

    from adapter.ports import Submission
    from adapter.transport.client import GatewayClient
    from adapter.transport.config import FacilityAccount, GatewaySettings
    from adapter.transport.tls import tls_verify

    settings = GatewaySettings(max_concurrency=concurrency, ca_bundle=Path(sim.ca_path))
    account = FacilityAccount(ma_cskcb=FACILITY, username=USER, password=SecretStr(PASSWORD))
    items = [Submission(ma_cskcb=p.ma_cskcb, kind=p.kind, profile=p.profile, payload=p.signed, ma_lk=p.ma_lk)
             for p in prepared]
    with GatewayClient(settings, [account], base_url=sim.base_url, verify=tls_verify(settings)) as client, \
            ThreadPoolExecutor(max_workers=concurrency) as pool:
        client.submit(items[0])                  # warm-up file: login, TLS handshake
        cpu, start = time.process_time(), time.perf_counter()
        accepted = sum(1 for _ in pool.map(client.submit, items[1:]))
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    return _figures(f"bare GatewayClient, c={concurrency}", accepted, len(items) - 1, wall, cpu)


def run_naive(sim: Simulator, prepared: Sequence[Any]) -> dict[str, Any]:
    """One request after another, a new connection each time, urllib's form encoding."""
    import hashlib

    context = ssl.create_default_context(cafile=sim.ca_path)
    md5 = hashlib.md5(PASSWORD.encode(), usedforsecurity=False).hexdigest().upper()
    login = {"username": USER, "password": md5}
    key = _naive_post(sim.base_url + "/api/token/take", login, {}, context)["APIKey"]
    cpu, start = time.process_time(), time.perf_counter()
    headers = {"accessToken": key["access_token"], "tokenId": key["id_token"], "passwordHash": md5}
    accepted = 0
    for p in prepared:
        form = {"username": USER, "loaiHoSo": "130", "maTinh": FACILITY[:2], "maCSKCB": FACILITY,
                "fileHSBase64": base64.b64encode(p.signed).decode("ascii")}
        reply = _naive_post(f"{sim.base_url}/api/qd130/guiHoSoXmlQD{p.profile}", form, headers, context)
        accepted += str(reply.get("maKetQua")) == "200"
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    return _figures("naive urllib, sequential, new connection", accepted, len(prepared), wall, cpu)


def _naive_post(url: str, form: dict[str, str], headers: dict[str, str], context: ssl.SSLContext) -> Any:
    body = urllib.parse.urlencode(form).encode("ascii")
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    with urllib.request.urlopen(request, context=context, timeout=60) as response:
        return json.loads(response.read())


def _figures(name: str, accepted: int, files: int, wall: float, cpu: float) -> dict[str, Any]:
    return {"name": name, "files": files, "accepted": accepted, "files_per_s": accepted / wall,
            "cpu_ms_per_file": cpu * 1000 / max(accepted, 1), "wall_s": wall}


# -- the run -----------------------------------------------------------------------------------


def measure(args: argparse.Namespace) -> dict[str, Any]:
    levels = [int(c) for c in args.concurrency.split(",")]
    counts = [int(n) for n in args.files.split(",")]
    if len(levels) != len(counts):
        raise SystemExit("--files needs one count per --concurrency level")
    total = sum(counts) + counts[-1] + args.naive
    work = Path(tempfile.mkdtemp(prefix="bhyt-bench-submit-"))
    try:
        his = his_database(total + total // 5 + 10)
        prepared, cert = signed_claims(write_config(work / "prepare", his, password=PASSWORD), total)
        return _send_all(work, his, prepared, cert, levels, counts, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _send_all(work: Path, his: Path, prepared: list[Any], cert: bytes, levels: list[int],
              counts: list[int], args: argparse.Namespace) -> dict[str, Any]:
    runs: list[dict[str, Any]] = []
    with Simulator(cert, (args.latency_min, args.latency_max)) as sim:
        runs.append(run_naive(sim, _take(prepared, args.naive)))
        for level, count in zip(levels, counts, strict=True):
            runs.append(run_outbox(work, his, sim, _take(prepared, count), level))
        runs.append(run_client(sim, _take(prepared, counts[-1]), levels[-1]))
    return {"latency_s": [args.latency_min, args.latency_max], "runs": runs,
            "simulator": {"cpu_s": sim.final.get("cpu_s"), "report": sim.final.get("report", {})}}


def _take(items: list[Any], count: int) -> list[Any]:
    taken = items[:count]
    del items[:count]
    return taken


def summary_rows(r: dict[str, Any]) -> list[dict[str, Any]]:
    naive = r["runs"][0]
    rows = []
    for run in r["runs"][1:]:
        cpu_ok = run["cpu_ms_per_file"] <= TARGET_CPU_MS
        rows.append(_row(f"submit: {run['name']}", f"{run['files_per_s']:.1f} files/s",
                         run["files_per_s"] / naive["files_per_s"], "(figure)", None))
        rows.append(_row(f"submit: {run['name']} client CPU", f"{run['cpu_ms_per_file']:.2f} ms/file",
                         run["cpu_ms_per_file"] / naive["cpu_ms_per_file"], f"<= {TARGET_CPU_MS:.0f} ms/file",
                         cpu_ok))
    best = max((run for run in r["runs"] if run["name"].startswith("outbox")), key=lambda x: x["files_per_s"])
    level = best["name"].rsplit("c=", 1)[-1]
    rows.append(_row(f"submit: best outbox drain (c={level})", f"{best['files_per_s']:.1f} files/s",
                     best["files_per_s"] / naive["files_per_s"], f">= {TARGET_FILES_PER_S:.0f} files/s",
                     best["files_per_s"] >= TARGET_FILES_PER_S))
    return rows


def _row(name: str, value: str, ratio: float, target: str, ok: bool | None) -> dict[str, Any]:
    verdict = "-" if ok is None else ("PASS" if ok else "MISS")
    return {"measure": name, "value": value, "vs baseline": f"{ratio:.2f}x naive", "target": target,
            "verdict": verdict}


def print_report(r: dict[str, Any]) -> None:
    low, high = r["latency_s"]
    print(f"simulator latency uniform({low}, {high}) s per request, HTTPS, in another process")
    print(f"{'run':<44}{'files':>6}{'ok':>5}{'files/s':>9}{'CPU ms/file':>13}{'wall s':>8}")
    for run in r["runs"]:
        print(f"{run['name']:<44}{run['files']:>6}{run['accepted']:>5}{run['files_per_s']:>9.2f}"
              f"{run['cpu_ms_per_file']:>13.2f}{run['wall_s']:>8.1f}")
    sim = r["simulator"]
    print(f"simulator process CPU (not counted above): {sim['cpu_s'] or 0:.1f} s; "
          f"accepted={sim['report'].get('accepted')} duplicated={sim['report'].get('duplicated')}")


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", default="1,8,32")
    parser.add_argument("--files", default="8,48,192", help="files per concurrency level")
    parser.add_argument("--naive", type=int, default=6, help="files for the naive client")
    parser.add_argument("--latency-min", type=float, default=1.0)
    parser.add_argument("--latency-max", type=float, default=3.0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = measure(args)
    if args.json:
        print(json.dumps(result, indent=2, default=str))
    else:
        print_report(result)
    return result


if __name__ == "__main__":
    main(sys.argv[1:])
