"""``bhyt-adapter staff ...`` run as a subprocess against a demo HIS and a temp workdir."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from adapter.his.demo import generate_demo_his
from adapter.registry.staff_xml import parse_staff_catalogue, structure_problems
from adapter.registry.xlsx import load_layout


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("staffcli")
    generate_demo_his(root / "his.db", encounters=2, seed=1, ma_cskcb="79001")
    return root


def run(workspace: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ADAPTER_WORKDIR": str(workspace / "var")}
    env.pop("ADAPTER_CONFIG", None)
    return subprocess.run(
        [sys.executable, "-m", "adapter.cli.main", "staff", *args, "--facility", "79001"],
        cwd=workspace,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_import_check_export_submit_history(workspace: Path) -> None:
    imported = run(
        workspace, "import", "--from-his", "--his", "his.db", "--effective", "2026-11-22", "--json"
    )
    assert imported.returncode == 0, imported.stderr
    counts = json.loads(imported.stdout)
    assert counts["inserted"] == counts["read"] > 0 and counts["issues"] == []

    again = run(workspace, "import", "--from-his", "--his", "his.db", "--effective", "2026-11-23", "--json")
    assert json.loads(again.stdout)["unchanged"] == counts["read"]

    check = run(workspace, "check", "--json", "--xlsx", "report.xlsx", "--on", "2026-11-22")
    findings = json.loads(check.stdout)
    assert check.returncode == (1 if any(f["severity"] == "blocking" for f in findings) else 0)
    assert load_workbook(workspace / "report.xlsx").active.max_row == len(findings) + 1

    exported = run(workspace, "export", "--xml", "dm02.xml", "--since", "2026-11-22")
    assert exported.returncode == 0, exported.stderr
    document = (workspace / "dm02.xml").read_bytes()
    assert structure_problems(document) == [] and len(parse_staff_catalogue(document)) == counts["read"]

    signed = run(workspace, "export", "--xml", "-", "--signed", "--since", "2026-11-22")
    assert (
        signed.returncode == 0
        and "<Signature" in signed.stdout
        and signed.stdout.rstrip().endswith("</CHUKYDONVI></HSDANHMUC>")
    )

    listed = run(workspace, "export", "--xlsx", "qlhn.xlsx", "--since", "2026-11-22")
    assert listed.returncode == 0, listed.stderr
    layout = load_layout("qlhn_mau01")
    assert load_workbook(workspace / "qlhn.xlsx")[layout.sheet].max_row == layout.header_row + counts["read"]

    refused = run(workspace, "submit", "--json")
    forced = run(workspace, "submit", "--json", "--force")
    assert forced.returncode == 0, forced.stderr
    assert json.loads(forced.stdout)["created"] is True
    assert refused.returncode == (1 if check.returncode == 1 else 0)

    history = run(workspace, "history", "000101/HCM-GPHN", "--json")
    assert history.returncode == 0
    assert [row["code"] for row in json.loads(history.stdout)] == ["000101/HCM-GPHN"]
    assert "079185000001" not in history.stdout  # no CCCD printed


def test_missing_facility_is_a_usage_error(workspace: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "adapter.cli.main", "staff", "export", "--xml", "x.xml"],
        cwd=workspace,
        env={**os.environ, "ADAPTER_WORKDIR": str(workspace / "empty")},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2 and "--facility" in result.stderr
