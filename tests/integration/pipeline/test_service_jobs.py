"""The scheduler's jobs on real parts: check-ins, sweep, retention, certificate check, `run --once`."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from adapter.bootstrap import App
from adapter.outbox.values import ItemFilter

ALL = timedelta(days=3650)   # the demo's visits lie in the past


def kinds(app: App) -> dict[str, int]:
    out: dict[str, int] = {}
    for row in app.outbox.list_items(ItemFilter()):
        out[str(row.kind)] = out.get(str(row.kind), 0) + 1
    return out


def test_checkins_are_queued_once_and_accepted(app: App, simulator: Any) -> None:
    first = app.send_checkins(ALL)
    assert first.due == first.queued > 0
    assert app.send_checkins(ALL).queued == 0                      # marked in the enqueue transaction
    by_kind = kinds(app)
    assert by_kind.get("checkin", 0) > 0
    assert sum(by_kind.values()) == first.queued
    report = app.drain()
    assert report.accepted == first.queued
    assert len(simulator.state.accepted) == first.queued


def test_inpatients_get_a_second_checkin(app: App, simulator: Any) -> None:
    app.send_checkins(ALL)
    by_kind = kinds(app)
    assert by_kind.get("checkin_nt", 0) > 0                     # the demo has inpatient episodes


def test_sweep_prune_and_certificate_check(app: App, simulator: Any) -> None:
    app.poll_his()
    app.drain()
    report = app.nightly_sweep()
    assert "not_sent_in_time" in report and report["not_sent_in_time"] == []
    assert app.prune() == 0                                      # nothing is older than retention
    health = app.check_certificate()
    assert health[0]["ma_cskcb"] == "79001" and health[0]["days_left"] > 300


def test_run_once_as_a_subprocess(app: App, simulator: Any, tmp_path: Path, his_db: Path) -> None:
    config = tmp_path / "adapter.toml"
    config.write_text(
        f'workdir = "{(tmp_path / "svc").as_posix()}"\n[his]\nurl = "sqlite:///{his_db.as_posix()}"\n'
        '[signing]\nkind = "demo"\n[gateway]\nenvironment = "simulator"\n'
        '[[facilities]]\nma_cskcb = "79001"\nname = "BV Demo"\nusername = "79001_BV"\n'
        'password = "pw-test"\nsending_enabled = true\n', encoding="utf-8")
    # the service signs with the demo certificate of its own workdir: the simulator must know it
    env = {**os.environ, "ADAPTER_GATEWAY__BASE_URL": simulator.base_url}
    from cryptography.hazmat.primitives.serialization import Encoding

    from adapter.signing.demo import ensure_demo_certificate
    from adapter.signing.keys import load_pkcs12

    p12, pw = ensure_demo_certificate(tmp_path / "svc" / "keys", "79001", "BV Demo")
    key = load_pkcs12(p12, pw.read_text(encoding="utf-8").strip())
    simulator.state.register_certificate("79001", key.certificate.public_bytes(Encoding.PEM))
    cli = [sys.executable, "-m", "adapter.cli.main", "--config", str(config)]
    result = subprocess.run([*cli, "run", "--once"],
                            capture_output=True, text=True, env=env, timeout=240, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    listing = subprocess.run([*cli, "queue", "list",
                              "--status", "accepted", "--json"], capture_output=True, text=True, env=env,
                             check=True)
    assert '"claim"' in listing.stdout
