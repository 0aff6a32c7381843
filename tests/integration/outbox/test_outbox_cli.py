"""The operator console end to end: ``bhyt-adapter queue/stats/report`` on a real SQLite outbox."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapter.cli.main import main
from adapter.outbox.open import open_store
from adapter.outbox.states import Status
from adapter.outbox.store import OutboxStore
from adapter.outbox.values import NewVersion, sha256_hex
from adapter.ports import DocumentKind, GatewayReply
from adapter.settings import Settings

PATIENT = "Nguyễn Văn A"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ADAPTER_WORKDIR", str(tmp_path / "var"))
    monkeypatch.delenv("ADAPTER_CONFIG", raising=False)
    monkeypatch.delenv("ADAPTER_DATABASE_URL", raising=False)
    return tmp_path / "var"


@pytest.fixture
def store(workdir: Path) -> OutboxStore:
    store = open_store(Settings(workdir=workdir))
    now = datetime.now(UTC)
    for ma_lk in ("LK1", "LK2"):
        body = f"<TONG_HOP><MA_LK>{ma_lk}</MA_LK><HO_TEN>{PATIENT}</HO_TEN></TONG_HOP>".encode()
        store.enqueue(
            NewVersion(
                ma_cskcb="79001",
                ma_lk=ma_lk,
                kind=DocumentKind.CLAIM,
                profile="3176",
                content_hash=sha256_hex(body),
                unsigned=body,
                signed=body + b"<sig/>",
            ),
            now=now,
        )
    (item,) = store.claim("w1", limit=1, now=now, lease_s=60)
    store.complete(
        item, GatewayReply(code="200", transaction_id="GD9"), worker_id="w1", started_at=now, now=now
    )
    return store


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def test_list_and_show_never_print_patient_fields(
    store: OutboxStore, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(capsys, "queue", "list", "--json")
    rows = json.loads(out)
    assert code == 0 and [(r["ma_lk"], r["status"]) for r in rows] == [("LK1", "accepted"), ("LK2", "ready")]
    code, table = run(capsys, "queue", "list", "--status", "ready")
    assert code == 0 and "LK2" in table and "LK1" not in table
    code, shown = run(capsys, "queue", "show", "1")
    assert code == 0 and "GD9" in shown
    _, shown_json = run(capsys, "queue", "show", "1", "--json")
    assert json.loads(shown_json)["attempts"][0]["transaction_id"] == "GD9"
    assert all(PATIENT not in text for text in (out, table, shown, shown_json))


def test_payload_is_the_exact_signed_bytes(
    store: OutboxStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "sent.xml"
    assert run(capsys, "queue", "show", "1", "--payload", "-o", str(target))[0] == 0
    assert target.read_bytes() == store.payload(1) and target.read_bytes().endswith(b"<sig/>")


def test_operator_actions_are_audited(store: OutboxStore, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "queue", "cancel", "2", "--reason", "test patient", "--operator", "nurse.lan")[0] == 0
    assert run(capsys, "queue", "resend", "2", "--reason", "was real", "--operator", "nurse.lan")[0] == 0
    assert run(capsys, "queue", "retry", "1")[0] == 1  # accepted items are not retried
    detail = store.get(2)
    assert detail is not None and detail.item.status is Status.READY
    assert [(a["actor"], a["action"], a["reason"]) for a in detail.audit] == [
        ("nurse.lan", "cancel", "test patient"),
        ("nurse.lan", "resend", "was real"),
    ]


def test_pause_stats_report_export(store: OutboxStore, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "queue", "pause", "79001", "--reason", "maintenance")[0] == 0
    code, out = run(capsys, "stats", "--json")
    stats = json.loads(out)
    assert code == 0 and stats["by_status"] == {"accepted": 1, "ready": 1} and stats["paused"] == ["79001"]
    code, out = run(capsys, "report", "daily", "--json")
    assert code == 0 and json.loads(out)["accepted"] == 1
    code, out = run(capsys, "queue", "export", "--csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and [r["ma_lk"] for r in rows] == ["LK1", "LK2"]


def test_bad_input_is_a_usage_error(store: OutboxStore, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "queue", "list", "--status", "nonsense")[0] == 2
    assert run(capsys, "queue", "list", "--since", "yesterday")[0] == 2


def test_the_installed_command_runs(store: OutboxStore, workdir: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "adapter.cli.main", "queue", "list", "--json"],
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert [r["ma_lk"] for r in json.loads(proc.stdout)] == ["LK1", "LK2"]
