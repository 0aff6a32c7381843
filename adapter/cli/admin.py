"""``config check`` and ``doctor``: what the adapter would run with, and whether its parts answer."""

from __future__ import annotations

import argparse
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any


def register(sub: argparse._SubParsersAction[Any]) -> None:
    config = sub.add_parser("config", help="inspect the configuration")
    csub = config.add_subparsers(dest="config_command", metavar="SUBCOMMAND")
    check = csub.add_parser("check", help="print the effective settings, secrets masked")
    check.add_argument("--json", action="store_true")
    check.set_defaults(func=config_check)
    doctor = sub.add_parser("doctor", help="check the database, HIS, certificate, gateway settings and tools")
    doctor.add_argument("--json", action="store_true")
    doctor.set_defaults(func=run_doctor)


def _flatten(data: Any, prefix: str = "") -> list[dict[str, Any]]:
    if isinstance(data, dict):
        return [row for k, v in data.items() for row in _flatten(v, f"{prefix}{k}.")]
    if isinstance(data, list) and data and isinstance(data[0], dict):
        return [row for i, v in enumerate(data) for row in _flatten(v, f"{prefix}{i}.")]
    return [{"setting": prefix.rstrip("."), "value": data}]


def config_check(args: argparse.Namespace) -> int:
    from adapter.cli.output import print_json, print_table
    from adapter.settings import load_settings, masked

    data = masked(load_settings(args.config))
    if args.json:
        print_json(data)
    else:
        print_table(_flatten(data), ["setting", "value"])
    problems = _config_problems(data)
    for problem in problems:
        print(f"problem: {problem}")
    return 1 if problems else 0


def _config_problems(data: dict[str, Any]) -> list[str]:
    out = []
    if not data["facilities"]:
        out.append("no [[facilities]] configured")
    for f in data["facilities"]:
        if f.get("password") is None and f.get("password_file") is None:
            out.append(f"facility {f['ma_cskcb']}: no password or password_file")
    for key in data["outbox"].get("encryption_key_files", []):
        if not Path(key).is_file():
            out.append(f"outbox.encryption_key_files: {key} does not exist")
    if not data["gateway"].get("verify_tls", True):
        out.append("gateway.verify_tls is false: only acceptable against a local simulator")
    return out


def _check(name: str, fn: Callable[[], str]) -> dict[str, str]:
    from adapter.errors import AdapterError

    try:
        return {"check": name, "status": "ok", "detail": fn()}
    except AdapterError as exc:
        return {"check": name, "status": "FAIL", "detail": str(exc)}
    except Exception as exc:  # noqa: BLE001 - doctor reports every failure, typed or not
        return {"check": name, "status": "FAIL", "detail": type(exc).__name__}


def run_doctor(args: argparse.Namespace) -> int:
    from adapter.bootstrap import bootstrap
    from adapter.cli.output import print_json, print_table
    from adapter.settings import load_settings

    app = bootstrap(load_settings(args.config))
    try:
        rows = [_check("adapter database", lambda: _database(app)),
                _check("HIS connection", lambda: _his(app)),
                _check("certificate", lambda: _certificate(app)),
                _check("gateway settings", lambda: _gateway(app)),
                _check("file permissions", lambda: _permissions(app)),
                _check("xmlsec1 (independent verifier, optional)", _xmlsec1)]
    finally:
        app.close()
    print_json(rows) if args.json else print_table(rows, ["check", "status", "detail"])
    return 0 if all(r["status"] == "ok" for r in rows) else 1


def _database(app: Any) -> str:
    stats = app.outbox.stats(app.clock.now())
    return f"{sum(stats.by_status.values())} item(s) in the queue"


def _his(app: Any) -> str:
    from sqlalchemy import text

    with app.his_engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return f"connected, profile {app.settings.his.profile}"


def _certificate(app: Any) -> str:
    signer = app.signer()
    health = signer.health()
    return f"{health.status} ({health.days_left} days left), sha256 {signer.certificate_fingerprint[:16]}…"


def _gateway(app: Any) -> str:
    gw = app.settings.gateway
    enabled = [f.ma_cskcb for f in app.settings.facilities if f.sending_enabled]
    where = gw.base_url or gw.environment
    return f"{where}; sending enabled for {', '.join(enabled) or 'no facility (submission is off)'}"


def _permissions(app: Any) -> str:
    from adapter.errors import ConfigError
    from adapter.outbox.open import permission_problems

    problems = permission_problems(app.settings)
    if problems:
        raise ConfigError("; ".join(problems))
    return "database, keys and secret files are private to the service account"


def _xmlsec1() -> str:
    path = shutil.which("xmlsec1")
    if path is None:
        raise FileNotFoundError("xmlsec1")
    return path
