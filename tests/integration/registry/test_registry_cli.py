"""``bhyt-adapter staff ...`` against a demo HIS and a temp workdir.

The commands run in-process through ``adapter.cli.main.main`` (argument parsing, handlers,
exit codes, output), one of them also as a real subprocess of the console entry point.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from adapter.cli.main import main
from adapter.his.demo import generate_demo_his
from adapter.registry.staff_xml import parse_staff_catalogue, schema_problems
from adapter.registry.xlsx import load_layout


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    generate_demo_his(tmp_path / "his.db", encounters=2, seed=1, ma_cskcb="79001")
    monkeypatch.setenv("ADAPTER_WORKDIR", str(tmp_path / "var"))
    monkeypatch.delenv("ADAPTER_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def staff(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["staff", *args, "--facility", "79001"])
    out, err = capsys.readouterr()
    return code, out, err


def test_import_check_export_submit_history(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = staff(
        capsys, "import", "--from-his", "--his", "his.db", "--effective", "2026-11-22", "--json"
    )
    assert code == 0, err
    counts = json.loads(out)
    assert counts["inserted"] == counts["read"] > 0 and counts["issues"] == []
    _, out, _ = staff(
        capsys, "import", "--from-his", "--his", "his.db", "--effective", "2026-11-23", "--json"
    )
    assert json.loads(out)["unchanged"] == counts["read"]

    code, out, _ = staff(capsys, "check", "--json", "--xlsx", "report.xlsx", "--on", "2026-11-22")
    findings = json.loads(out)
    assert code == (1 if any(f["severity"] == "blocking" for f in findings) else 0)
    assert load_workbook(workspace / "report.xlsx").active.max_row == len(findings) + 1

    assert staff(capsys, "export", "--xml", "dm02.xml", "--since", "2026-11-22")[0] == 0
    document = (workspace / "dm02.xml").read_bytes()
    assert schema_problems(document) == [] and len(parse_staff_catalogue(document)) == counts["read"]

    assert staff(capsys, "export", "--xlsx", "qlhn.xlsx", "--since", "2026-11-22")[0] == 0
    layout = load_layout("qlhn_mau01")
    assert load_workbook(workspace / "qlhn.xlsx")[layout.sheet].max_row == layout.header_row + counts["read"]

    refused = staff(capsys, "submit", "--json")[0]
    code, out, err = staff(capsys, "submit", "--json", "--force")
    assert code == 0, err
    assert json.loads(out)["created"] is True
    assert refused == (1 if any(f["severity"] == "blocking" for f in findings) else 0)

    code, out, _ = staff(capsys, "history", "000101/HCM-GPHN", "--json")
    assert code == 0 and [row["code"] for row in json.loads(out)] == ["000101/HCM-GPHN"]
    assert "079185000001" not in out  # no CCCD printed


def test_signed_export_through_the_console_entry_point(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert staff(capsys, "import", "--from-his", "--his", "his.db", "--effective", "2026-11-22")[0] == 0
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "adapter.cli.main",
            "staff",
            "export",
            "--xml",
            "-",
            "--signed",
            "--facility",
            "79001",
            "--since",
            "2026-11-22",
        ],
        cwd=workspace,
        env=dict(os.environ),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert b"<Signature" in result.stdout and result.stdout.rstrip().endswith(b"</CHUKYDONVI></HSDANHMUC>")
    assert schema_problems(result.stdout) == []


def test_missing_facility_is_a_usage_error(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["staff", "export", "--xml", "x.xml"])
    assert code == 2 and "--facility" in capsys.readouterr().err


def test_staff_master_sheet_round_trips_through_the_cli(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert staff(capsys, "import", "--from-his", "--his", "his.db", "--effective", "2026-11-22")[0] == 0
    exported = staff(
        capsys, "export", "--xlsx", "master.xlsx", "--layout", "staff_master", "--since", "2026-11-22"
    )
    assert exported[0] == 0
    other = f"sqlite:///{workspace / 'other.db'}"
    code, out, err = staff(
        capsys, "import", "--xlsx", "master.xlsx", "--database", other, "--json", "--effective", "2026-11-22"
    )
    assert code == 0, err
    assert json.loads(out)["inserted"] > 0
    one = staff(capsys, "export", "--xml", "a.xml", "--since", "2026-11-22")
    two = staff(capsys, "export", "--xml", "b.xml", "--since", "2026-11-22", "--database", other)
    assert one[0] == two[0] == 0
    assert (workspace / "a.xml").read_bytes() == (workspace / "b.xml").read_bytes()
