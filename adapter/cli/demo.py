"""``bhyt-adapter demo``: the whole pipeline on embedded defaults, non-interactively.

Same code path as production; only the configuration differs: a demo HIS in SQLite,
a generated self-signed facility certificate, and the built-in gateway simulator on a
free loopback port. The work folder keeps the adapter database, so a second run sends
nothing twice.
"""

from __future__ import annotations

import argparse
import secrets
import sys
import time
from pathlib import Path
from typing import Any

DEMO_FACILITY = "79001"
DEMO_FACILITY_NAME = "Bệnh viện Đa khoa Demo"
DEMO_USER = f"{DEMO_FACILITY}_BV"


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser("demo", help="run the whole pipeline on a demo HIS against the built-in simulator")
    p.add_argument("--workdir", type=Path, default=Path("demo-run"), help="work folder (default demo-run)")
    p.add_argument("--encounters", type=int, default=210,
                   help="visits in the demo HIS (default 210: about 3 %% are still open, so over 200 finish)")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--faults", action="store_true",
                   help="a hostile gateway: 1-3 s latency, 20 %% HTTP 500, 5 %% timeouts, tokens expiring "
                        "every 50 files; the queue retries until every encounter is accepted")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(func=run)


def _secret_file(path: Path) -> Path:
    if not path.exists():
        from adapter.crypto import write_private

        write_private(path, (secrets.token_urlsafe(18) + "\n").encode("ascii"))
    return path


# With --faults: retries come quickly, a read times out before the simulator's 5 s stall,
# and the circuit breaker reopens after 2 s, so the demo finishes in a minute or two.
FAULT_SETTINGS = ('[gateway]\nenvironment = "simulator"\nread_timeout_s = 4\nbreaker_open_s = 2\n\n'
                  '[outbox]\nbase_delay_s = 0.5\nmax_delay_s = 3\nmax_attempts = 60\n\n')


def _write_config(workdir: Path, his_path: Path, password_file: Path, faults: bool = False) -> Path:
    config = workdir / "adapter.toml"
    gateway = FAULT_SETTINGS if faults else '[gateway]\nenvironment = "simulator"\n\n'
    config.write_text(
        "# Written by `bhyt-adapter demo`: the demo's configuration (production differs only here).\n"
        f'workdir = "{workdir.as_posix()}"\n\n'
        f'[his]\nurl = "sqlite:///{his_path.as_posix()}"\nprofile = "demo"\n\n'
        '[signing]\nkind = "demo"\n\n'
        f'[fhir]\noutput_dir = "{(workdir / "fhir").as_posix()}"\n\n'
        f"{gateway}"
        f'[[facilities]]\nma_cskcb = "{DEMO_FACILITY}"\nname = "{DEMO_FACILITY_NAME}"\n'
        f'username = "{DEMO_USER}"\npassword_file = "{password_file.as_posix()}"\nsending_enabled = true\n',
        encoding="utf-8")
    return config


def _prepare_workdir(args: argparse.Namespace) -> tuple[Path, Path]:
    from adapter.his.demo import generate_demo_his

    workdir = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    his_path = workdir / "demo-his.sqlite"
    if not his_path.exists():
        generate_demo_his(his_path, encounters=args.encounters, seed=args.seed, ma_cskcb=DEMO_FACILITY)
    password_file = _secret_file(workdir / "secrets" / "gateway.pass")
    return _write_config(workdir, his_path, password_file, args.faults), password_file


def _export_certificate(app: Any, workdir: Path) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding

    pem: bytes = app.signer().certificate.public_bytes(Encoding.PEM)
    (workdir / "keys").mkdir(parents=True, exist_ok=True)
    (workdir / "keys" / "facility.pem").write_bytes(pem)
    return pem


def _simulator(password_file: Path, cert_pem: bytes, faults: bool) -> Any:
    from adapter.simulator.config import Faults, SimulatorConfig
    from adapter.simulator.server import SimulatorServer

    password = password_file.read_text(encoding="utf-8").strip()
    knobs = Faults(latency_min_s=1.0, latency_max_s=3.0, error_rate=0.2, timeout_rate=0.05, timeout_s=5.0,
                   token_expiry_every=50) if faults else Faults()
    config = SimulatorConfig(accounts={DEMO_USER: (password, DEMO_FACILITY)},
                             certificates={DEMO_FACILITY: [cert_pem]}, faults=knobs, seed=7)
    return SimulatorServer(config).start()


def _drain_until_settled(app: Any, concurrency: int, deadline_s: float = 900.0) -> Any:
    """Drain, then again as retries fall due, until nothing is pending (faults make retries)."""
    from adapter.outbox.worker import DrainReport

    total: dict[str, int] = {}
    stop = time.monotonic() + deadline_s
    while True:
        report = app.drain(concurrency=concurrency)
        for name in ("accepted", "rejected", "retried", "dead"):
            total[name] = total.get(name, 0) + getattr(report, name)
        by_status = app.outbox.stats(app.clock.now()).by_status
        if not (by_status.get("ready", 0) + by_status.get("retry_wait", 0)) or time.monotonic() > stop:
            return DrainReport(**total)
        time.sleep(0.5)


def _his_counts(app: Any) -> tuple[int, int]:
    """(finished, still open) visits in the demo HIS."""
    from sqlalchemy import text

    with app.his_engine.connect() as conn:
        query = text("SELECT finished, COUNT(*) FROM his_encounter GROUP BY finished")
        rows = dict(conn.execute(query).all())
    return int(rows.get(1, 0)), int(rows.get(0, 0))


def run(args: argparse.Namespace) -> int:
    from adapter.bootstrap import bootstrap
    from adapter.settings import load_settings

    started = time.perf_counter()
    config, password_file = _prepare_workdir(args)
    settings = load_settings(config)
    app = bootstrap(settings)
    try:
        sim = _simulator(password_file, _export_certificate(app, settings.workdir), args.faults)
        try:
            app.base_url_override = sim.base_url
            app.import_staff_from_his(DEMO_FACILITY)     # the claim check needs the staff catalogue
            poll = app.poll_his()
            drain = _drain_until_settled(app, args.concurrency)
            gateway_report = sim.state.report()
        finally:
            sim.stop()
        summary = _summary(app, poll, drain, _his_counts(app), time.perf_counter() - started)
        summary.update(_gateway_view(gateway_report, args.faults))
    finally:
        app.close()
    _print(summary, args.json, config)
    return 0 if summary["all_accepted"] else 1


def _summary(app: Any, poll: Any, drain: Any, his: tuple[int, int], seconds: float) -> dict[str, Any]:
    stats = app.outbox.stats(app.clock.now()).as_dict()
    by_status: dict[str, int] = stats.get("by_status", {})
    accepted = int(by_status.get("accepted", 0))
    finished, still_open = his
    return {
        "encounters": finished,
        "open_visits_not_sent": still_open,
        "extracted_now": poll.extracted,
        "queued_now": poll.queued,
        "needs_fix": int(by_status.get("needs_fix", 0)),
        "sent_now": drain.accepted + drain.rejected,
        "accepted_now": drain.accepted,
        "accepted_total": accepted,
        "rejected": int(by_status.get("rejected", 0)) + int(by_status.get("dead", 0)),
        "health_book_bundles": _bundles(app),
        "seconds": round(seconds, 2),
        "all_accepted": accepted == finished and finished > 0,
    }


def _gateway_view(report: dict[str, Any], faults: bool) -> dict[str, Any]:
    """What the simulator saw: retried faults, and duplicates (only a lost reply can cause one)."""
    view = {"gateway_duplicates": report.get("duplicated", 0),
            "gateway_replies_lost": report.get("reply_lost", 0)}
    if faults:
        view["gateway_faults_injected"] = sum(report.get("faults", {}).values())
    return view


def _bundles(app: Any) -> int:
    folder = app.settings.fhir.output_dir
    return len(list(folder.glob("*.fhir.json"))) if folder is not None and folder.is_dir() else 0


def _print(summary: dict[str, Any], as_json: bool, config: Path) -> None:
    from adapter.cli.output import print_json, print_table

    if as_json:
        print_json(summary)
        return
    rows = [{"measure": k.replace("_", " "), "value": v} for k, v in summary.items()]
    print_table(rows, ["measure", "value"])
    verdict = ("every demo encounter was accepted" if summary["all_accepted"]
               else "NOT every encounter accepted")
    print(f"\n{verdict}. Inspect: bhyt-adapter --config {config} queue list", file=sys.stdout)
