"""The demo, run as an operator would: the CLI as a subprocess, twice, then the queue and the payload.

This is the walking skeleton's end-to-end proof: demo HIS -> extraction -> XML1..n ->
validation -> signed envelope -> outbox -> simulator over real loopback HTTP.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "adapter.cli.main"]


def run_cli(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=300, check=False)
    if check and result.returncode != 0:
        raise AssertionError(f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}")
    return result


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object], dict[str, object]]:
    workdir = tmp_path_factory.mktemp("demo")
    first = json.loads(run_cli("demo", "--workdir", str(workdir), "--encounters", "40", "--json").stdout)
    second = json.loads(run_cli("demo", "--workdir", str(workdir), "--encounters", "40", "--json").stdout)
    return workdir, first, second


def attempts(workdir: Path) -> int:
    with sqlite3.connect(workdir / "adapter.db") as conn:
        return int(conn.execute("SELECT COUNT(*) FROM outbox_attempt").fetchone()[0])


def test_every_demo_encounter_is_accepted(demo: tuple[Path, dict[str, object], dict[str, object]]) -> None:
    _, first, _ = demo
    assert first["all_accepted"] is True
    assert first["encounters"] == first["accepted_now"] == first["accepted_total"]
    assert int(first["encounters"]) >= 30  # type: ignore[call-overload]
    assert int(first["encounters"]) + int(first["open_visits_not_sent"]) == 40  # type: ignore[call-overload]
    assert first["needs_fix"] == 0 and first["rejected"] == 0
    assert first["health_book_bundles"] == first["encounters"]   # one FHIR document per encounter


def test_health_book_bundles_are_valid_fhir(demo: tuple[Path, dict[str, object], dict[str, object]]) -> None:
    from adapter.mappers.fhir import validate_bundle

    workdir, _, _ = demo
    bundles = sorted((workdir / "fhir").glob("*.fhir.json"))
    assert bundles
    for path in bundles[:5]:
        data = json.loads(path.read_bytes())
        assert data["resourceType"] == "Bundle" and data["type"] == "document"
        validate_bundle(data)


def test_second_run_enqueues_and_sends_nothing(
        demo: tuple[Path, dict[str, object], dict[str, object]]) -> None:
    workdir, first, second = demo
    assert second["extracted_now"] == 0 and second["queued_now"] == 0 and second["sent_now"] == 0
    assert second["accepted_total"] == first["accepted_total"]
    assert attempts(workdir) == first["accepted_now"]      # one attempt per item, none from the second run


def test_queue_list_json_has_only_ids(demo: tuple[Path, dict[str, object], dict[str, object]]) -> None:
    workdir, first, _ = demo
    out = run_cli("--config", str(workdir / "adapter.toml"), "queue", "list", "--json").stdout
    items = json.loads(out)
    assert len(items) == first["encounters"]
    assert {i["status"] for i in items} == {"accepted"}
    assert all(i["ma_lk"].startswith("79001_") for i in items)


@pytest.mark.xmlsec1
def test_sent_payload_verifies_with_xmlsec1(demo: tuple[Path, dict[str, object], dict[str, object]],
                                            tmp_path: Path) -> None:
    workdir, _, _ = demo
    xmlsec1 = shutil.which("xmlsec1")
    if xmlsec1 is None:
        pytest.skip("xmlsec1 (Debian package xmlsec1) is not installed")
    sent = tmp_path / "sent.xml"
    run_cli("--config", str(workdir / "adapter.toml"), "queue", "show", "1", "--payload", "-o", str(sent))
    assert sent.read_bytes().startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    cert = workdir / "keys" / "facility.pem"
    result = subprocess.run([xmlsec1, "--verify", "--trusted-pem", str(cert), str(sent)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    ours = run_cli("verify", str(sent), "--cert", str(cert), check=False)
    assert ours.returncode == 0
    # one changed character in the signed content must fail both verifiers
    tampered = tmp_path / "tampered.xml"
    tampered.write_bytes(sent.read_bytes().replace(b"<SOLUONGHOSO>1<", b"<SOLUONGHOSO>2<"))
    bad = subprocess.run([xmlsec1, "--verify", "--trusted-pem", str(cert), str(tampered)],
                         capture_output=True, text=True, check=False)
    assert bad.returncode != 0
    assert run_cli("verify", str(tampered), "--cert", str(cert), check=False).returncode == 1


@pytest.mark.slow
def test_demo_with_a_hostile_gateway_still_gets_everything_accepted_once(tmp_path: Path) -> None:
    out = run_cli("demo", "--workdir", str(tmp_path), "--encounters", "20", "--faults", "--json").stdout
    summary = json.loads(out)
    assert summary["all_accepted"] is True and summary["rejected"] == 0
    assert summary["gateway_faults_injected"] > 0            # 5xx, timeouts, expired tokens happened
    assert summary["gateway_duplicates"] == summary["gateway_replies_lost"] == 0
