"""CLI group ``simulator``: run the gateway simulator in the foreground, or read its report.

    bhyt-adapter simulator --port 8443 --tls --accounts accounts.json --cert 79001=facility.pem
    bhyt-adapter simulator --report --url https://127.0.0.1:8443 --ca ca.pem [--json]
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

DEMO_ACCOUNT = {"79001_BV": ("demo", "79001")}


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add this group's commands to the root parser."""
    p = sub.add_parser("simulator", help="run the BHXH gateway simulator, or show its report",
                       description="A local gateway that speaks the documented BHXH API (docs/gateway.md).")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    p.add_argument("--tls", action="store_true", help="HTTPS with a throw-away test CA (path printed)")
    p.add_argument("--accounts", type=Path, help='JSON {"user": {"password": ..., "ma_cskcb": ...}}')
    p.add_argument("--cert", action="append", default=[], metavar="[MA_CSKCB=]PEM",
                   help="registered facility certificate (without MA_CSKCB=: for every account)")
    p.add_argument("--latency", default="0", help="seconds, 'MIN-MAX' uniform (e.g. 1-3)")
    p.add_argument("--fail-rate", type=float, default=0.0, help="share of HTTP 500 replies")
    p.add_argument("--timeout-rate", type=float, default=0.0, help="share of requests left hanging")
    p.add_argument("--timeout-s", type=float, default=65.0, help="how long a hanging request sleeps")
    p.add_argument("--reset-rate", type=float, default=0.0, help="share of connections dropped unprocessed")
    p.add_argument("--reply-lost-rate", type=float, default=0.0, help="share accepted but reply dropped")
    p.add_argument("--token-expiry-every", type=int, default=0, help="expire all tokens every N files")
    p.add_argument("--maintenance", action="append", default=[], metavar="HH:MM-HH:MM",
                   help="maintenance window (UTC+7); repeatable")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--report", action="store_true", help="print the report of a running simulator")
    p.add_argument("--url", help="base URL of a running simulator (with --report)")
    p.add_argument("--ca", type=Path, help="CA file to trust for --report over HTTPS")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    if args.report:
        return _report(args)
    return _serve(args)


def _serve(args: argparse.Namespace) -> int:
    from adapter.simulator import SimulatorConfig, SimulatorServer
    from adapter.simulator.config import load_accounts

    accounts = load_accounts(args.accounts) if args.accounts else DEMO_ACCOUNT
    config = SimulatorConfig(accounts=accounts, certificates=_certificates(args.cert, accounts),
                             host=args.host, port=args.port, tls=args.tls, faults=_faults(args),
                             seed=args.seed)
    _sigterm_as_interrupt()
    server = SimulatorServer(config).start()
    print(f"BHXH gateway simulator on {server.base_url}  (Ctrl-C to stop)")
    if server.ca_pem_path:
        print(f"test CA for clients: {server.ca_pem_path}")
    ca = f" ADAPTER_GATEWAY__CA_BUNDLE={server.ca_pem_path}" if server.ca_pem_path else ""
    print(f"adapter settings: ADAPTER_GATEWAY__ENVIRONMENT=simulator "
          f"ADAPTER_GATEWAY__BASE_URL={server.base_url}{ca}")
    if not args.accounts:
        print("demo account: username 79001_BV, password 'demo' (MA_CSKCB 79001)")
    if not config.certificates:
        print("warning: no facility certificate registered (--cert): every file will be refused with 125")
    server.serve_forever()
    return 0


def _sigterm_as_interrupt() -> None:
    """A service manager's stop (SIGTERM) shuts down as cleanly as Ctrl-C (removes the test CA)."""
    import signal

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def _faults(args: argparse.Namespace) -> Any:
    from adapter.errors import ConfigError
    from adapter.simulator.config import Faults, parse_windows

    low, _, high = str(args.latency).partition("-")
    try:
        latency = float(low), float(high or low)
    except ValueError:
        raise ConfigError(f"--latency must be seconds or MIN-MAX, not {args.latency!r}") from None
    return Faults(latency_min_s=latency[0], latency_max_s=latency[1], error_rate=args.fail_rate,
                  timeout_rate=args.timeout_rate, timeout_s=args.timeout_s, reset_rate=args.reset_rate,
                  reply_lost_rate=args.reply_lost_rate, token_expiry_every=args.token_expiry_every,
                  maintenance_windows=parse_windows(args.maintenance))


def _certificates(specs: list[str], accounts: dict[str, tuple[str, str]]) -> dict[str, list[bytes]]:
    from adapter.errors import ConfigError

    registered: dict[str, list[bytes]] = {}
    for spec in specs:
        facility, _, path = spec.rpartition("=")
        try:
            pem = Path(path).read_bytes()
        except OSError as exc:
            raise ConfigError(f"cannot read certificate {path}") from exc
        for ma_cskcb in [facility] if facility else sorted({f for _, f in accounts.values()}):
            registered.setdefault(ma_cskcb, []).append(pem)
    return registered


def _report(args: argparse.Namespace) -> int:
    import ssl

    import httpx

    from adapter.cli.output import print_json, print_table
    from adapter.errors import ConfigError, TransportError

    if not args.url:
        raise ConfigError("--report needs --url")
    verify: ssl.SSLContext | bool = ssl.create_default_context(cafile=str(args.ca)) if args.ca else True
    try:
        report = httpx.get(args.url.rstrip("/") + "/admin/report", verify=verify, timeout=10).json()
    except (httpx.HTTPError, ValueError) as exc:
        raise TransportError(f"cannot read the simulator report at {args.url}") from exc
    if args.json:
        print_json(report)
        return 0
    keys = ("received", "accepted", "rejected", "duplicated", "replaced", "reply_lost", "lookups")
    print_table([{"metric": k, "value": report.get(k)} for k in keys])
    print_table([{"code": c, "count": n} for c, n in sorted(report.get("by_code", {}).items())])
    print_table([{"fault": f, "count": n} for f, n in sorted(report.get("faults", {}).items())])
    return 0
