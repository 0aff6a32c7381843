"""``scripts/chaos.py --quick``: the real service SIGKILLed 5 times against a faulty simulator.

Runs the script as an operator would (a subprocess; it starts the simulator and the service
as processes of their own) and checks its JSON verdict: nothing lost, every duplicate
matched with an attempt whose outcome could not be known, the in-flight bound respected,
and enough chaos actually happened for that to mean something. About a minute.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")]


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    workdir = tmp_path_factory.mktemp("chaos") / "run"
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "chaos.py"), "--quick", "--seed", "3",
                           "--workdir", str(workdir), "--json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=240, check=False)
    assert proc.returncode in (0, 1), proc.stderr[-3000:]
    data: dict[str, Any] = json.loads(proc.stdout)
    data["exit_code"] = proc.returncode
    return data


def test_nothing_is_lost(result: dict[str, Any]) -> None:
    v = result["verdict"]
    assert v["finished"] > 150
    assert (v["lost"], v["accepted"]) == ([], v["finished"])
    assert set(v["statuses"]) == {"accepted"}                    # nothing left pending, dead or held


def test_every_duplicate_is_explained_by_its_own_unknown_outcome(result: dict[str, Any]) -> None:
    v = result["verdict"]
    assert v["unexplained"] == [] and v["phantom"] == [] and v["replacements"] == 0
    assert all(d["error_class"] in ("LeaseExpired", "OutcomeUnknown") for d in v["duplicates"])
    assert v["kill_duplicates"] <= v["in_flight_at_kills"]


def test_the_in_flight_bound_holds(result: dict[str, Any]) -> None:
    v = result["verdict"]
    assert 0 < v["peak_in_flight"] <= v["bound"] == result["plan"]["concurrency"]


def test_the_chaos_really_happened(result: dict[str, Any]) -> None:
    faults = result["simulator"]["faults"]
    assert len(result["kills"]) == 5
    assert result["verdict"]["in_flight_at_kills"] > 0          # at least one kill hit work in flight
    assert faults.get("server_error", 0) > 0 and faults.get("token_expired", 0) > 0
    assert result["verdict"]["attempts"].get("LeaseExpired", 0) > 0


def test_the_script_exits_0_on_success(result: dict[str, Any]) -> None:
    assert result["verdict"]["ok"] is True
    assert result["exit_code"] == 0
    assert result["exit_codes"] == {"settle_sigterm": 0, "final_run_once": 0}   # SIGTERM stops it cleanly
