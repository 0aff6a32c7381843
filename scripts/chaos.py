"""Chaos run: the real service, SIGKILLed at random moments, against a faulty simulator.

    .venv/bin/python scripts/chaos.py --encounters 2000 --kills 20 --seed 7
    .venv/bin/python scripts/chaos.py --quick            # ~200 encounters, 5 kills

The simulator runs in its own process (this file, ``--serve-simulator``) so its records
outlive every kill; it counts the requests in flight per account, from arrival until the
reply is sent or the client goes away. The service is ``bhyt-adapter run`` in a subprocess,
killed with SIGKILL after a seeded random uptime and restarted. Then it runs with faults on
until the queue is empty, and a last ``run --once`` without faults drains what is left.

Verdict: lost = finished HIS encounters the simulator never accepted (must be 0);
duplicates = receipts beyond the one the adapter recorded, each explained by an attempt of
that item whose outcome could not be known (lease expired after a kill, reply lost, read
timeout); peak in flight per account <= gateway.max_concurrency. Exit 1 otherwise.
Output carries counts and MA_LK ids only, never patient data.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

FACILITY, USER = "79001", "79001_BV"
ROOT = Path(__file__).resolve().parents[1]
UNKNOWN_CLASSES = {"LeaseExpired", "OutcomeUnknown"}     # attempts whose outcome could not be known


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
    kill_window: tuple[float, float] = (2.0, 12.0)
    lease_s: float = 6.0
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


# ---- the verdict (pure) ----------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class Verdict:
    finished: int
    accepted: int
    lost: list[str]
    duplicates: int
    causes: dict[str, int]
    unexplained: list[str]
    phantom: list[str]                # adapter says accepted, the simulator has no such receipt
    replacements: int
    statuses: dict[str, int]
    attempts: dict[str, int]
    peak_in_flight: int
    bound: int
    in_flight_at_kills: int
    kill_duplicates: int

    @property
    def ok(self) -> bool:
        return (not self.lost and not self.unexplained and not self.phantom and self.replacements == 0
                and self.peak_in_flight <= self.bound and self.kill_duplicates <= self.in_flight_at_kills)


def analyse(*, finished: Iterable[str], receipts: list[Mapping[str, Any]], items: list[Mapping[str, Any]],
            attempts: list[Mapping[str, Any]], peak: int, bound: int, in_flight_at_kills: int) -> Verdict:
    """Match the simulator's receipts with the adapter's items and attempts (claims only)."""
    claims = [r for r in receipts if r["kind"] == "claim"]
    by_lk: dict[str, list[Mapping[str, Any]]] = {}
    for r in claims:
        by_lk.setdefault(r["ma_lk"], []).append(r)
    item_of = {i["ma_lk"]: i for i in items if i["kind"] == "claim"}
    tries: dict[int, list[Mapping[str, Any]]] = {}
    for a in attempts:
        tries.setdefault(a["item_id"], []).append(a)
    causes: Counter[str] = Counter()
    unexplained, phantom = [], []
    for ma_lk, got in sorted(by_lk.items()):
        item = item_of.get(ma_lk)
        known = _known_transactions(tries.get(item["id"], []) if item else [])
        if known and not known & {r["maGiaoDich"] for r in got}:
            phantom.append(ma_lk)
        extra = [r for r in got if r["maGiaoDich"] not in known]
        extra = extra if known else extra[1:]     # nothing recorded: the first receipt is the one
        if not extra:
            continue
        item_tries = tries.get(item["id"], []) if item else []
        unknown = [a for a in item_tries if a["error_class"] in UNKNOWN_CLASSES]
        for r in extra:
            causes[_cause(r, unknown)] += 1
        if len(extra) > len(unknown):
            unexplained.append(ma_lk)
    for ma_lk, item in item_of.items():
        if item["status"] == "accepted" and ma_lk not in by_lk:
            phantom.append(ma_lk)
    finished_set = set(finished)
    return Verdict(
        finished=len(finished_set), accepted=len(finished_set & by_lk.keys()),
        lost=sorted(finished_set - by_lk.keys()), duplicates=sum(causes.values()), causes=dict(causes),
        unexplained=unexplained, phantom=sorted(set(phantom)),
        replacements=sum(1 for r in claims if r.get("replacement")),
        statuses=dict(Counter(str(i["status"]) for i in items)),
        attempts=dict(Counter(str(a["error_class"] or a["outcome"]) for a in attempts)),
        peak_in_flight=peak, bound=bound, in_flight_at_kills=in_flight_at_kills,
        kill_duplicates=causes["killed in flight (lease expired)"])


def _known_transactions(tries: list[Mapping[str, Any]]) -> set[str]:
    return {str(a["transaction_id"]) for a in tries if a["outcome"] == "accepted" and a["transaction_id"]}


def _cause(receipt: Mapping[str, Any], unknown: list[Mapping[str, Any]]) -> str:
    if receipt.get("reply_lost"):
        return "reply lost (simulator dropped it)"
    if any(a["error_class"] == "LeaseExpired" for a in unknown):
        return "killed in flight (lease expired)"
    if unknown:
        return "no reply in time (read timeout)"
    return "UNEXPLAINED"


# ---- the simulator process ------------------------------------------------------------------

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class InFlight:
    """ASGI middleware: API requests in flight per account, and the peak.

    A request counts from its arrival until its reply is sent or its client disconnects
    (a read timeout or a SIGKILL closes the socket while the simulator still sleeps),
    which is what the adapter's per-account bound is about.
    """

    def __init__(self, app: Any) -> None:      # any ASGI app
        self.app = app
        self.now: Counter[str] = Counter()
        self.peak: Counter[str] = Counter()
        self.requests: Counter[str] = Counter()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> Any:
        if scope["type"] == "http" and scope["path"] == "/chaos/inflight":
            return await _json_reply(send, {"peak": self.peak, "requests": self.requests, "now": self.now})
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            return await self.app(scope, receive, send)
        body = await _read_body(receive)
        account = _account(scope, body)
        self.requests[account] += 1
        self.now[account] += 1
        self.peak[account] = max(self.peak[account], self.now[account])
        done = False

        def leave(*_: object) -> None:
            nonlocal done
            if not done:
                done = True
                self.now[account] -= 1

        gone = asyncio.ensure_future(receive())   # returns on disconnect, or once the reply is sent
        gone.add_done_callback(leave)
        try:
            return await self.app(scope, _replay(body, gone), send)
        finally:
            leave()
            gone.cancel()


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body") or message["type"] != "http.request":
            return b"".join(chunks)


def _replay(body: bytes, gone: asyncio.Future[Message]) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await gone
    return receive


def _account(scope: Scope, body: bytes) -> str:
    fields = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
    if not fields.get("username"):
        fields = dict(parse_qsl(body.decode("latin-1"), max_num_fields=50))
    return str(fields.get("username", "?"))


async def _json_reply(send: Send, data: Any) -> None:
    raw = json.dumps(data).encode()
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": raw})


class _QuietDrops(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:   # the injected drops are not errors
        return "ASGI callable should return None" not in record.getMessage()


def serve_simulator(spec_path: Path) -> None:
    """Run the simulator with the in-flight counter until SIGTERM; write the URL when ready."""
    import uvicorn

    from adapter.simulator.app import create_app
    from adapter.simulator.config import Faults, SimulatorConfig
    from adapter.simulator.state import SimulatorState

    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    config = SimulatorConfig(accounts={USER: (spec["password"], FACILITY)},
                             certificates={FACILITY: [Path(spec["cert"]).read_bytes()]},
                             faults=Faults().updated(spec["faults"]), seed=spec["seed"])
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("uvicorn.error").addFilter(_QuietDrops())
    sock = socket.create_server(("127.0.0.1", 0))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    server = uvicorn.Server(uvicorn.Config(InFlight(create_app(SimulatorState(config))), log_config=None,
                                           access_log=False, lifespan="off", timeout_keep_alive=30,
                                           timeout_graceful_shutdown=2))
    Path(spec["url_file"]).write_text(f"http://127.0.0.1:{sock.getsockname()[1]}", encoding="utf-8")
    server.run(sockets=[sock])


# ---- the run --------------------------------------------------------------------------------

@dataclass(kw_only=True)
class Chaos:
    plan: Plan
    log: Callable[[str], None]
    sim_url: str = ""
    kills: list[dict[str, Any]] = field(default_factory=list)
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)
    engine: Any = None

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
        spec = {"password": f"chaos-{self.plan.seed}", "cert": str(cert), "faults": self.plan.faults(),
                "seed": self.plan.seed, "url_file": str(url_file)}
        (wd / "simulator.json").write_text(json.dumps(spec), encoding="utf-8")
        argv = [sys.executable, __file__, "--serve-simulator", str(wd / "simulator.json")]
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
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            # Leases the dead process held; one still unexpired from an earlier kill is not new.
            held = self.leases() - seen
            seen |= held
            self.kills.append({"kill": n + 1, "uptime_s": round(uptime, 2), "in_flight": len(held)})
            self.log(f"kill {n + 1}/{self.plan.kills} after {uptime:.1f} s: {len(held)} item(s) in flight")

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

    def settle(self, finished: int) -> float:
        """Run the service (faults still on) until every finished encounter is queued and settled."""
        began = time.monotonic()
        proc = self.service(self.plan.kills)
        try:
            while time.monotonic() - began < self.plan.settle_timeout_s:
                time.sleep(1.0)
                counts = self.statuses()
                if sum(counts.values()) >= finished and not _pending(counts):
                    break
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=120)
        return time.monotonic() - began

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
        from sqlalchemy import create_engine, select, text

        from adapter.outbox.tables import outbox_attempt, outbox_item

        with self._engine().connect() as c:
            items = [dict(r._mapping) for r in c.execute(select(outbox_item))]
            attempts = [dict(r._mapping) for r in c.execute(select(outbox_attempt))]
        his = create_engine(f"sqlite:///{(self.plan.workdir / 'his.sqlite').as_posix()}")
        with his.connect() as c:
            query = text("SELECT ma_lk FROM his_encounter WHERE finished = 1")
            finished = [str(r[0]) for r in c.execute(query)]
        his.dispose()

        def get(path: str) -> Any:
            return httpx.get(f"{self.sim_url}{path}", timeout=30).json()
        return {"items": items, "attempts": attempts, "finished": finished, "receipts": get("/admin/records"),
                "report": get("/admin/report"), "inflight": get("/chaos/inflight")}

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=20)
        if self.engine is not None:
            self.engine.dispose()


def _pending(counts: Mapping[str, int]) -> bool:
    return any(counts.get(s, 0) for s in ("extracted", "ready", "sending", "retry_wait"))


def _config_text(plan: Plan, secret: Path) -> str:
    wd = plan.workdir.as_posix()
    db = f'database_url = "{plan.database_url}"\n' if plan.database_url else ""
    return (
        "# Written by scripts/chaos.py: the demo's configuration with short retry delays and lease.\n"
        f'workdir = "{wd}"\n{db}\n'
        f'[his]\nurl = "sqlite:///{wd}/his.sqlite"\nprofile = "demo"\npoll_interval_s = 2\n\n'
        '[signing]\nkind = "demo"\n\n'
        f'[gateway]\nenvironment = "simulator"\nmax_concurrency = {plan.concurrency}\n'
        f"read_timeout_s = {plan.read_timeout_s}\nconnect_timeout_s = 2\npool_timeout_s = 30\n"
        "breaker_failure_threshold = 8\nbreaker_open_s = 2\n\n"
        f"[outbox]\nbase_delay_s = 0.2\nmax_delay_s = 2\nlease_s = {plan.lease_s}\nmax_attempts = 60\n"
        f"batch_size = {plan.concurrency * 2}\n\n"
        "[outbox.schedule]\ndrain_interval_s = 1\ncheckin_interval_s = 30\n\n"
        f'[[facilities]]\nma_cskcb = "{FACILITY}"\nname = "Bệnh viện Đa khoa Demo"\nusername = "{USER}"\n'
        f'password_file = "{secret.as_posix()}"\nsending_enabled = true\n')


# ---- output ---------------------------------------------------------------------------------

def summary(plan: Plan, verdict: Verdict, data: dict[str, Any], timings: dict[str, float],
            kills: list[dict[str, Any]], final_exit: int) -> dict[str, Any]:
    report = data["report"]
    return {"plan": {**asdict(plan), "workdir": str(plan.workdir)}, "timings_s": timings,
            "verdict": {**asdict(verdict), "ok": verdict.ok}, "kills": kills,
            "final_run_once_exit": final_exit,
            "simulator": {k: report.get(k) for k in ("received", "accepted", "duplicated", "replaced",
                                                     "reply_lost", "tokens_issued", "faults", "by_code")},
            "in_flight": data["inflight"]}


def print_summary(result: dict[str, Any]) -> None:
    from adapter.cli.output import print_table

    v, sim = result["verdict"], result["simulator"]
    rows = [("finished encounters in the HIS", v["finished"]), ("accepted by the simulator", v["accepted"]),
            ("LOST (must be 0)", len(v["lost"])), ("duplicates (receipts beyond one)", v["duplicates"]),
            *((f"  caused by: {k}", n) for k, n in sorted(v["causes"].items())),
            ("UNEXPLAINED duplicates (must be 0)", len(v["unexplained"])),
            ("items in flight at the kills", v["in_flight_at_kills"]),
            ("duplicates from kills (<= in flight at kills)", v["kill_duplicates"]),
            ("phantom acceptances (must be 0)", len(v["phantom"])),
            ("replacements (must be 0)", v["replacements"]),
            ("peak requests in flight for the account", v["peak_in_flight"]),
            ("bound: gateway.max_concurrency", v["bound"]),
            ("simulator requests received (files)", sim["received"]), ("tokens issued", sim["tokens_issued"]),
            *((f"fault injected: {k}", n) for k, n in sorted((sim["faults"] or {}).items())),
            *((f"outbox status: {k}", n) for k, n in sorted(v["statuses"].items())),
            *((f"attempts: {k}", n) for k, n in sorted(v["attempts"].items())),
            *((f"time: {k}", f"{s:.1f} s") for k, s in result["timings_s"].items()),
            ("final run --once exit code", result["final_run_once_exit"])]
    print_table([{"measure": m, "value": val} for m, val in rows], ["measure", "value"])
    for name in ("lost", "unexplained", "phantom"):
        if v[name]:
            print(f"{name}: {', '.join(v[name][:20])}{' ...' if len(v[name]) > 20 else ''}")
    print("\nVERDICT: " + ("OK: nothing lost, every duplicate explained, bound respected" if v["ok"]
                           else "FAILED (see the rows marked 'must be 0' and the bound)"))


# ---- entry ----------------------------------------------------------------------------------

def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--encounters", type=int, default=2000, help="encounters in the demo HIS (default 2000)")
    p.add_argument("--kills", type=int, default=20, help="SIGKILLs of the service (default 20)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--quick", action="store_true", help="200 encounters, 5 kills, 0.1-0.5 s latency")
    p.add_argument("--latency", help="simulator latency MIN-MAX seconds (default 1-3; quick 0.1-0.5)")
    p.add_argument("--concurrency", type=int, default=16, help="gateway.max_concurrency (default 16)")
    p.add_argument("--fail-rate", type=float, default=0.20)
    p.add_argument("--timeout-rate", type=float, default=0.05)
    p.add_argument("--reset-rate", type=float, default=0.02)
    p.add_argument("--reply-lost-rate", type=float, default=0.02)
    p.add_argument("--token-expiry-every", type=int, default=50)
    p.add_argument("--kill-window", default=None, help="uptime before each kill, MIN-MAX s (default 2-12)")
    p.add_argument("--database-url", help="adapter database (default SQLite in the work folder)")
    p.add_argument("--workdir", type=Path, help="work folder, new or empty (default chaos-run/seed-S)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("--serve-simulator", type=Path, help=argparse.SUPPRESS)
    return p.parse_args(argv)


def _pair(text: str) -> tuple[float, float]:
    low, _, high = text.partition("-")
    return float(low), float(high or low)


def plan_of(args: argparse.Namespace) -> Plan:
    quick = args.quick
    return Plan(encounters=200 if quick and args.encounters == 2000 else args.encounters,
                kills=5 if quick and args.kills == 20 else args.kills, seed=args.seed,
                workdir=(args.workdir or ROOT / "chaos-run" / f"seed-{args.seed}").resolve(),
                latency=_pair(args.latency or ("0.1-0.5" if quick else "1-3")),
                fail_rate=args.fail_rate, timeout_rate=args.timeout_rate, reset_rate=args.reset_rate,
                reply_lost_rate=args.reply_lost_rate, token_expiry_every=args.token_expiry_every,
                concurrency=args.concurrency,
                kill_window=_pair(args.kill_window or ("2-6" if quick else "2-12")),
                database_url=args.database_url)


def _say(message: str) -> None:
    print(f"[chaos] {message}", file=sys.stderr, flush=True)


def run(plan: Plan, *, as_json: bool) -> int:
    if plan.workdir.exists() and any(plan.workdir.iterdir()):
        print(f"work folder {plan.workdir} is not empty; remove it or pass --workdir", file=sys.stderr)
        return 2
    chaos, timings, began = Chaos(plan=plan, log=_say), {}, time.monotonic()
    try:
        chaos.start_simulator(chaos.prepare())
        timings["setup"] = time.monotonic() - began
        mark = time.monotonic()
        chaos.kill_loop(random.Random(plan.seed))
        timings["kills"] = time.monotonic() - mark
        finished = len(chaos.collect()["finished"])
        timings["settle (faults on)"] = chaos.settle(finished)
        mark = time.monotonic()
        final_exit = chaos.final_drain()
        timings["final drain (faults off)"] = time.monotonic() - mark
        data = chaos.collect()
    finally:
        chaos.stop()
    timings["total"] = time.monotonic() - began
    verdict = analyse(finished=data["finished"], receipts=data["receipts"], items=data["items"],
                      attempts=data["attempts"], peak=max(data["inflight"]["peak"].values(), default=0),
                      bound=plan.concurrency, in_flight_at_kills=sum(k["in_flight"] for k in chaos.kills))
    result = summary(plan, verdict, data, {k: round(s, 1) for k, s in timings.items()}, chaos.kills,
                     final_exit)
    text = json.dumps(result, indent=2, default=str)
    (plan.workdir / "chaos-result.json").write_text(text, encoding="utf-8")
    if as_json:
        print(text)
    else:
        print_summary(result)
    return 0 if verdict.ok else 1


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.serve_simulator:
        serve_simulator(args.serve_simulator)     # uvicorn stops on SIGTERM
        return 0
    if sys.platform == "win32":
        print("the chaos run needs SIGKILL (POSIX)", file=sys.stderr)
        return 2
    return run(plan_of(args), as_json=args.json)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
