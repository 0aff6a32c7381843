"""``bhyt-adapter demo-his`` and ``bhyt-adapter his check|extract`` as subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("ADAPTER_")}
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "adapter.cli.main", *args], capture_output=True, text=True,
                          env=full_env, timeout=120, check=False)


def test_demo_his_then_check_from_settings(tmp_path: Path) -> None:
    db = tmp_path / "his.db"
    made = _cli("demo-his", "--out", str(db), "--encounters", "40", "--seed", "3", "--json")
    assert made.returncode == 0, made.stderr
    summary = json.loads(made.stdout)
    assert summary["encounters"] == 40 and summary["rows"]["his_encounter"] == 40
    config = tmp_path / "adapter.toml"
    config.write_text(f'[his]\nurl = "{db.as_posix()}"\nprofile = "demo"\n\n'
                      '[[facilities]]\nma_cskcb = "79001"\nusername = "79001_BV"\n', encoding="utf-8")
    checked = _cli("--config", str(config), "his", "check", "--json")
    assert checked.returncode == 0, checked.stderr + checked.stdout
    report = json.loads(checked.stdout)
    assert report["ok"] and report["connected"] and report["encounters_read"] > 0
    rows = {q["query"]: q["rows"] for q in report["queries"]}
    assert rows["encounters_changed"] > 0 and rows["drug_lines"] > 0 and rows["practitioners"] == 9


def test_check_reports_a_broken_profile_and_extract_lists_ids(tmp_path: Path) -> None:
    db = tmp_path / "vendor.db"
    assert _cli("demo-his", "--out", str(db), "--encounters", "20", "--schema", "vendor").returncode == 0
    wrong = _cli("his", "check", "--url", str(db), "--profile", "demo", "--ma-cskcb", "79001", "--json")
    assert wrong.returncode == 1
    report = json.loads(wrong.stdout)
    assert not report["ok"] and any("his_encounter" in q["error"] for q in report["queries"])
    listed = _cli("his", "extract", "--url", str(db), "--profile", "vendor_xml130", "--ma-cskcb", "79001",
                  "--limit", "5", "--json")
    assert listed.returncode == 0, listed.stderr
    assert [r["ok"] for r in json.loads(listed.stdout)] == [True] * 5
    first = json.loads(listed.stdout)[0]["ma_lk"]
    named = _cli("his", "extract", "--url", str(db), "--profile", "vendor_xml130", "--ma-cskcb", "79001",
                 "--ma-lk", first, "--ma-lk", "NO_SUCH_MA_LK", "--json")
    assert [r["ma_lk"] for r in json.loads(named.stdout)] == [first] and named.returncode == 0


def test_missing_his_url_is_a_configuration_error(tmp_path: Path) -> None:
    done = _cli("his", "check", "--ma-cskcb", "79001", env={"ADAPTER_WORKDIR": str(tmp_path)})
    assert done.returncode == 2 and "HIS" in done.stderr
