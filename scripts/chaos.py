"""Chaos run: the real service, SIGKILLed at random moments, against a faulty simulator.

    .venv/bin/python scripts/chaos.py --encounters 2000 --kills 20 --seed 7
    .venv/bin/python scripts/chaos.py --quick            # 200 encounters, 5 kills, ~1 minute

The simulator runs in its own process (``chaos_simulator.py``) so its records outlive
every kill; it counts the requests in flight per account, from arrival until the reply is
sent or the client goes away. The service is ``bhyt-adapter run`` in a subprocess,
killed with SIGKILL after a seeded random uptime (then as soon as it holds items in
flight, within 10 s) and restarted. Then it runs with faults on
until the queue is empty, and a last ``run --once`` without faults drains what is left.

Verdict: lost = finished HIS encounters the simulator never accepted (must be 0);
duplicates = receipts beyond the one the adapter recorded, each explained by an attempt of
that item whose outcome could not be known (lease expired after a kill, reply lost, read
timeout); peak in flight per account <= gateway.max_concurrency. Exit 1 otherwise.
Output carries counts and MA_LK ids only, never patient data.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import chaos_verdict
from chaos_verdict import Verdict, analyse

FACILITY, USER = "79001", "79001_BV"
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


@dataclass(frozen=True, kw_only=True)
class Plan:
    encounters: int
    kills: int
    seed: int
    workdir: Path
    latency: tuple[float, float]
    fail_rate: float = 0.20
    timeout_rate: float = 0.05
    reset_rate: float = 0.02
    reply_lost_rate: float = 0.02
    token_expiry_every: int = 50
    concurrency: int = 16
    kill_window: tuple[float, float] = (4.0, 20.0)
    lease_s: float = 6.0
    aim_s: float = 10.0
    breaker: tuple[int, float] = (8, 2.0)     # failures that open the circuit, seconds it stays open
    settle_timeout_s: float = 900.0
    database_url: str | None = None

    @property
    def read_timeout_s(self) -> float:
        return self.latency[1] + 2.0              # a slow but healthy reply is never a timeout

    def faults(self) -> dict[str, Any]:
        return {"latency_min_s": self.latency[0], "latency_max_s": self.latency[1],
                "error_rate": self.fail_rate, "timeout_rate": self.timeout_rate,
                "timeout_s": self.read_timeout_s + 1.0, "reset_rate": self.reset_rate,
                "reply_lost_rate": self.reply_lost_rate, "token_expiry_every": self.token_expiry_every}


# ---- the run --------------------------------------------------------------------------------

@dataclass(kw_only=True)
class Chaos:
    plan: Plan
    log: Callable[[str], None]
    sim_url: str = ""
    kills: list[dict[str, Any]] = field(default_factory=list)
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)
    engine: Any = None
    settle_mean: float = 0.0                  # mean requests in flight while the backlog drained

    @property
    def config(self) -> Path:
        return self.plan.workdir / "adapter.toml"

    def prepare(self) -> Path:
        """The demo HIS, the account secret, the configuration, the certificate to register."""
        from adapter.his.demo import generate_demo_his

        wd = self.plan.workdir
        (wd / "logs").mkdir(parents=True, exist_ok=True)
        summary = generate_demo_his(wd / "his.sqlite", encounters=self.plan.encounters, seed=self.plan.seed,
                                    ma_cskcb=FACILITY)
        self.log(f"demo HIS: {summary.encounters} encounters, {summary.finished} finished")
        secret = wd / "secrets" / "gateway.pass"
        secret.parent.mkdir(parents=True, exist_ok=True)
        secret.write_text(f"chaos-{self.plan.seed}\n", encoding="utf-8")
        secret.chmod(0o600)
        self.config.write_text(_config_text(self.plan, secret), encoding="utf-8")
        return self._certificate()

    def _certificate(self) -> Path:
        from cryptography.hazmat.primitives.serialization import Encoding

        from adapter.bootstrap import bootstrap
        from adapter.settings import load_settings

        app = bootstrap(load_settings(self.config))
        try:
            pem = app.signer().certificate.public_bytes(Encoding.PEM)  # type: ignore[attr-defined]
            app.import_staff_from_his(FACILITY)      # the claim check needs the staff catalogue
        finally:
            app.close()
        path = self.plan.workdir / "keys" / "facility.pem"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pem)
        return path

    def start_simulator(self, cert: Path) -> None:
        wd = self.plan.workdir
        url_file = wd / "simulator.url"
        url_file.unlink(missing_ok=True)
        spec = {"username": USER, "password": f"chaos-{self.plan.seed}", "ma_cskcb": FACILITY,
                "cert": str(cert), "faults": self.plan.faults(), "seed": self.plan.seed,
                "url_file": str(url_file)}
        (wd / "simulator.json").write_text(json.dumps(spec), encoding="utf-8")
        argv = [sys.executable, str(HERE / "chaos_simulator.py"), str(wd / "simulator.json")]
        self.procs.append(self._spawn(argv, wd / "logs" / "simulator.log"))
        deadline = time.monotonic() + 30
        while not url_file.exists() or not url_file.read_text(encoding="utf-8"):
            if time.monotonic() > deadline or self.procs[-1].poll() is not None:
                raise RuntimeError("the simulator did not start; see logs/simulator.log")
            time.sleep(0.05)
        self.sim_url = url_file.read_text(encoding="utf-8")
        self.log(f"simulator on {self.sim_url} faults {self.plan.faults()}")

    def _spawn(self, argv: list[str], log_path: Path) -> subprocess.Popen[bytes]:
        env = {**os.environ, "ADAPTER_GATEWAY__BASE_URL": self.sim_url, "PYTHONUNBUFFERED": "1"}
        with log_path.open("ab") as out:
            return subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)

    def service(self, n: int, *extra: str) -> subprocess.Popen[bytes]:
        argv = [sys.executable, "-m", "adapter.cli.main", "--config", str(self.config), "-v", "run", *extra]
        return self._spawn(argv, self.plan.workdir / "logs" / f"service-{n:02d}.log")

    def kill_loop(self, rng: random.Random) -> None:
        seen: set[tuple[int, str]] = set()
        for n in range(self.plan.kills):
            proc = self.service(n)
            uptime = rng.uniform(*self.plan.kill_window)
            time.sleep(uptime)
            self._aim(seen)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            # Leases the dead process held; one still unexpired from an earlier kill is not new.
            held = self.leases() - seen
            seen |= held
            self.kills.append({"kill": n + 1, "uptime_s": round(uptime, 2), "in_flight": len(held)})
            self.log(f"kill {n + 1}/{self.plan.kills} after {uptime:.1f} s: {len(held)} item(s) in flight")

    def _aim(self, seen: set[tuple[int, str]]) -> None:
        """Wait (at most ``aim_s``) for this process to hold items: a kill that finds nothing in
        flight proves little. A slow start or an empty queue lets the kill go ahead anyway."""
        deadline = time.monotonic() + self.plan.aim_s
        while time.monotonic() < deadline and not self.leases() - seen:
            time.sleep(0.05)

    def leases(self) -> set[tuple[int, str]]:
        """(item id, lease owner) of the items in ``sending``."""
        from sqlalchemy import select

        from adapter.outbox.tables import outbox_item

        if not self._database_exists():
            return set()
        with self._engine().connect() as c:
            rows = c.execute(select(outbox_item.c.id, outbox_item.c.lease_owner)
                             .where(outbox_item.c.status == "sending"))
            return {(int(i), str(owner)) for i, owner in rows}

    def settle(self, finished: int) -> int:
        """Run the service (faults still on) until every finished encounter is queued and settled;
        then stop it as a service manager does (SIGTERM). The service's exit code."""
        began, before = time.monotonic(), self.inflight()
        proc = self.service(self.plan.kills)
        try:
            while time.monotonic() - began < self.plan.settle_timeout_s:
                time.sleep(1.0)
                counts = self.statuses()
                if sum(counts.values()) >= finished and not _pending(counts):
                    break
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                code = proc.wait(timeout=120)
            except subprocess.TimeoutExpired:
                self.log("the service did not stop within 120 s of SIGTERM; killing it")
                proc.kill()
                code = proc.wait()
        self.settle_mean = _mean_between(before, self.inflight())
        return code

    def inflight(self) -> dict[str, Any]:
        import httpx

        data: dict[str, Any] = httpx.get(f"{self.sim_url}/chaos/inflight", timeout=30).json()
        return data

    def final_drain(self) -> int:
        """Faults off, then one ``run --once``: whatever was left goes now."""
        import httpx

        httpx.post(f"{self.sim_url}/admin/faults", json={k: 0 for k in self.plan.faults()}, timeout=10)
        proc = self.service(self.plan.kills + 1, "--once")
        return proc.wait(timeout=600)

    def statuses(self) -> dict[str, int]:
        from sqlalchemy import func, select

        from adapter.outbox.tables import outbox_item

        if not self._database_exists():
            return {}
        with self._engine().connect() as c:
            rows = c.execute(select(outbox_item.c.status, func.count()).group_by(outbox_item.c.status))
            return {str(s): int(n) for s, n in rows}

    def _database_exists(self) -> bool:
        """False while no service has started far enough to create the default SQLite file."""
        return self.plan.database_url is not None or (self.plan.workdir / "adapter.db").exists()

    def _engine(self) -> Any:
        if self.engine is None:
            from adapter.outbox.open import make_engine

            url = self.plan.database_url or f"sqlite:///{(self.plan.workdir / 'adapter.db').as_posix()}"
            self.engine = make_engine(url)
        return self.engine

    def collect(self) -> dict[str, Any]:
        import httpx
        from sqlalchemy import select

        from adapter.outbox.tables import outbox_attempt, outbox_item

        with self._engine().connect() as c:
            items = [dict(r._mapping) for r in c.execute(select(outbox_item))]
            attempts = [dict(r._mapping) for r in c.execute(select(outbox_attempt))]

        def get(path: str) -> Any:
            return httpx.get(f"{self.sim_url}{path}", timeout=30).json()
        return {"items": items, "attempts": attempts, "finished": self.finished(),
                "receipts": get("/admin/records"), "report": get("/admin/report"),
                "inflight": {**self.inflight(), "mean_while_settling": self.settle_mean}}

    def finished(self) -> list[str]:
        """MA_LK of the finished encounters in the HIS: what must all be accepted."""
        from sqlalchemy import create_engine, text

        his = create_engine(f"sqlite:///{(self.plan.workdir / 'his.sqlite').as_posix()}")
        try:
            with his.connect() as c:
                rows = c.execute(text("SELECT ma_lk FROM his_encounter WHERE finished = 1"))
                return [str(r[0]) for r in rows]
        finally:
            his.dispose()

    def database_in_use(self) -> bool:
        """A given --database-url must be empty: an old watermark or queue would skew every figure."""
        from sqlalchemy import inspect

        return self.plan.database_url is not None and bool(inspect(self._engine()).get_table_names())

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=20)
        if self.engine is not None:
            self.engine.dispose()


def _mean_between(before: Mapping[str, Any], after: Mapping[str, Any]) -> float:
    """Mean requests in flight (busiest account) between two counter reports."""
    elapsed = after["clock"] - before["clock"]
    busy = [b - before["busy_s"].get(a, 0.0) for a, b in after["busy_s"].items()]
    return round(max(busy, default=0.0) / elapsed, 2) if elapsed > 0 else 0.0


def _pending(counts: Mapping[str, int]) -> bool:
    return any(counts.get(s, 0) for s in ("extracted", "ready", "sending", "retry_wait"))


def _config_text(plan: Plan, secret: Path) -> str:
    wd = plan.workdir.as_posix()
    db = f'database_url = "{plan.database_url}"\n' if plan.database_url else ""
    return (
        "# Written by scripts/chaos.py: the demo's configuration with short retry delays and lease.\n"
        f'workdir = "{wd}"\n{db}\n'
        f'[his]\nurl = "sqlite:///{wd}/his.sqlite"\nprofile = "demo"\n'
        "poll_interval_s = 2\nbatch_size = 50\n\n"     # small batches: a kill mid-poll loses little
        '[signing]\nkind = "demo"\n\n'
        f'[gateway]\nenvironment = "simulator"\nmax_concurrency = {plan.concurrency}\n'
        f"read_timeout_s = {plan.read_timeout_s}\nconnect_timeout_s = 2\npool_timeout_s = 30\n"
        f"breaker_failure_threshold = {plan.breaker[0]}\nbreaker_open_s = {plan.breaker[1]}\n\n"
        f"[outbox]\nbase_delay_s = 0.2\nmax_delay_s = 2\nlease_s = {plan.lease_s}\nmax_attempts = 60\n"
        f"batch_size = {plan.concurrency * 2}\n\n"
        "[outbox.schedule]\ndrain_interval_s = 1\ncheckin_interval_s = 30\n\n"
        f'[[facilities]]\nma_cskcb = "{FACILITY}"\nname = "Bệnh viện Đa khoa Demo"\nusername = "{USER}"\n'
        f'password_file = "{secret.as_posix()}"\nsending_enabled = true\n')


# ---- output ---------------------------------------------------------------------------------

def summary(plan: Plan, verdict: Verdict, data: dict[str, Any], timings: dict[str, float],
            kills: list[dict[str, Any]], exits: dict[str, int]) -> dict[str, Any]:
    report = data["report"]
    return {"plan": {**asdict(plan), "workdir": str(plan.workdir)}, "timings_s": timings,
            "verdict": chaos_verdict.as_dict(verdict), "kills": kills, "exit_codes": exits,
            "simulator": {k: report.get(k) for k in ("received", "accepted", "duplicated", "replaced",
                                                     "reply_lost", "tokens_issued", "faults", "by_code")},
            "in_flight": data["inflight"]}


# ---- entry ----------------------------------------------------------------------------------

def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--encounters", type=int, help="encounters in the demo HIS (default 2000; quick 200)")
    p.add_argument("--kills", type=int, help="SIGKILLs of the service (default 20; quick 5)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--quick", action="store_true", help="200 encounters, 5 kills, 0.1-0.5 s latency")
    p.add_argument("--latency", help="simulator latency MIN-MAX seconds (default 1-3; quick 0.1-0.5)")
    p.add_argument("--concurrency", type=int, default=16, help="gateway.max_concurrency (default 16)")
    p.add_argument("--fail-rate", type=float, default=0.20)
    p.add_argument("--timeout-rate", type=float, default=0.05)
    p.add_argument("--reset-rate", type=float, default=0.02)
    p.add_argument("--reply-lost-rate", type=float, default=0.02)
    p.add_argument("--token-expiry-every", type=int, default=50)
    p.add_argument("--kill-window", help="uptime before each kill, MIN-MAX s (default 4-20; quick 3-8)")
    p.add_argument("--breaker", default="8-2", help="circuit breaker FAILURES-SECONDS_OPEN (default 8-2)")
    p.add_argument("--database-url", help="adapter database (default SQLite in the work folder)")
    p.add_argument("--workdir", type=Path, help="work folder, new or empty (default: a new temp folder)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    return p.parse_args(argv)


def _pair(text: str) -> tuple[float, float]:
    low, _, high = text.partition("-")
    return float(low), float(high or low)


def plan_of(args: argparse.Namespace) -> Plan:
    quick = args.quick
    return Plan(encounters=args.encounters or (200 if quick else 2000),
                kills=args.kills if args.kills is not None else (5 if quick else 20), seed=args.seed,
                workdir=(args.workdir or Path(tempfile.mkdtemp(prefix="bhyt-chaos-"))).resolve(),
                latency=_pair(args.latency or ("0.1-0.5" if quick else "1-3")),
                fail_rate=args.fail_rate, timeout_rate=args.timeout_rate, reset_rate=args.reset_rate,
                reply_lost_rate=args.reply_lost_rate, token_expiry_every=args.token_expiry_every,
                concurrency=args.concurrency,
                kill_window=_pair(args.kill_window or ("3-8" if quick else "4-20")),
                breaker=(int(_pair(args.breaker)[0]), _pair(args.breaker)[1]), database_url=args.database_url)


def _say(message: str) -> None:
    print(f"[chaos] {message}", file=sys.stderr, flush=True)


def _refusal(plan: Plan, chaos: Chaos) -> str | None:
    if plan.workdir.exists() and any(plan.workdir.iterdir()):
        return f"work folder {plan.workdir} is not empty; remove it or pass --workdir"
    if chaos.database_in_use():
        return "the --database-url database is not empty; give the chaos run a new one"
    return None


def _phases(chaos: Chaos, timings: dict[str, float], exits: dict[str, int]) -> dict[str, Any]:
    """Setup, kills, settle with faults on, final drain without faults; the collected records."""
    def timed(name: str, step: Callable[[], Any]) -> Any:
        mark = time.monotonic()
        try:
            return step()
        finally:
            timings[name] = time.monotonic() - mark

    timed("setup", lambda: chaos.start_simulator(chaos.prepare()))
    timed("kills", lambda: chaos.kill_loop(random.Random(chaos.plan.seed)))
    exits["settle_sigterm"] = timed("settle (faults on)", lambda: chaos.settle(len(chaos.finished())))
    exits["final_run_once"] = timed("final drain (faults off)", chaos.final_drain)
    return chaos.collect()


def run(plan: Plan, *, as_json: bool) -> int:
    chaos, began = Chaos(plan=plan, log=_say), time.monotonic()
    timings: dict[str, float] = {}
    exits: dict[str, int] = {}
    refusal = _refusal(plan, chaos)
    if refusal:
        print(refusal, file=sys.stderr)
        return 2
    try:
        data = _phases(chaos, timings, exits)
    finally:
        chaos.stop()
    timings["total"] = time.monotonic() - began
    verdict = analyse(finished=data["finished"], receipts=data["receipts"], items=data["items"],
                      attempts=data["attempts"], peak=max(data["inflight"]["peak"].values(), default=0),
                      bound=plan.concurrency, in_flight_at_kills=sum(k["in_flight"] for k in chaos.kills))
    result = summary(plan, verdict, data, {k: round(s, 1) for k, s in timings.items()}, chaos.kills, exits)
    text = json.dumps(result, indent=2, default=str)
    (plan.workdir / "chaos-result.json").write_text(text, encoding="utf-8")
    if as_json:
        print(text)
    else:
        chaos_verdict.print_summary(result)
        print(f"\nwork folder (logs, databases, chaos-result.json): {plan.workdir}")
    return 0 if verdict.ok else 1


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if sys.platform == "win32":
        print("the chaos run needs SIGKILL (POSIX)", file=sys.stderr)
        return 2
    return run(plan_of(args), as_json=args.json)


if __name__ == "__main__":
    sys.exit(main())
