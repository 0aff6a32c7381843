"""``bhyt-adapter simulator`` as a subprocess: serve over HTTPS, take a file, report, stop on SIGTERM."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from gateway_helpers import submission

from adapter.simulator import samples
from adapter.transport.client import GatewayClient
from adapter.transport.config import FacilityAccount, GatewaySettings

CLI = [sys.executable, "-m", "adapter.cli.main"]
ENV = {**os.environ, "PYTHONUNBUFFERED": "1"}


@pytest.fixture
def running(tmp_path: Path, key: samples.DemoKey) -> Iterator[tuple[str, Path, subprocess.Popen[str]]]:
    (tmp_path / "cert.pem").write_bytes(key.cert_pem)
    (tmp_path / "accounts.json").write_text(json.dumps({"79001_BV": {"password": "pw", "ma_cskcb": "79001"}}))
    proc = subprocess.Popen([*CLI, "simulator", "--port", "0", "--tls", "--seed", "3",
                             "--accounts", str(tmp_path / "accounts.json"),
                             "--cert", f"79001={tmp_path / 'cert.pem'}"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    assert proc.stdout is not None
    url = re.search(r"https://[\d.:]+", proc.stdout.readline())
    ca = re.search(r"(/\S+ca\.pem)", proc.stdout.readline())
    assert url and ca, proc.stderr.read() if proc.stderr else ""
    try:
        yield url.group(0), Path(ca.group(1)), proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(10)
        for stream in (proc.stdout, proc.stderr):
            if stream:
                stream.close()


def test_serve_submit_report_and_stop(running: tuple[str, Path, subprocess.Popen[str]],
                                      key: samples.DemoKey) -> None:
    url, ca, proc = running
    account = FacilityAccount(ma_cskcb="79001", username="79001_BV", password="pw")
    settings = GatewaySettings(base_url=url, ca_bundle=ca)
    with GatewayClient.from_settings(settings, [account]) as client:
        reply = client.submit(submission(samples.sign(samples.claim("79001", "LK-CLI"), key), ma_lk="LK-CLI"))
    assert reply.code == "200"

    out = subprocess.run([*CLI, "simulator", "--report", "--url", url, "--ca", str(ca), "--json"],
                         capture_output=True, text=True, env=ENV, timeout=30, check=True).stdout
    report = json.loads(out)
    assert (report["received"], report["accepted"], report["tokens_issued"]) == (1, 1, 1)
    table = subprocess.run([*CLI, "simulator", "--report", "--url", url, "--ca", str(ca)],
                           capture_output=True, text=True, env=ENV, timeout=30, check=True).stdout
    assert re.search(r"accepted\s+1", table)

    proc.send_signal(signal.SIGTERM)
    assert proc.wait(10) == 130                        # SIGTERM shuts down like Ctrl-C
    assert not ca.exists()                              # the throw-away CA is removed


def test_report_without_a_running_simulator_fails_cleanly() -> None:
    done = subprocess.run([*CLI, "simulator", "--report", "--url", "http://127.0.0.1:9"],
                          capture_output=True, text=True, env=ENV, timeout=30)
    assert done.returncode == 1 and "cannot read the simulator report" in done.stderr
