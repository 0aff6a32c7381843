"""Issue 10 item 8, as operators run it: the CLI at ``-vv`` prints no patient data.

``demo`` runs over a demo HIS with some corrupted encounters (so needs-fix items exist),
then ``queue list``, ``queue show`` (table and JSON, every item) and ``validate`` (files
built from the same patients, some defective) run as subprocesses; stdout and stderr are
searched for the patients' names, CCCD, card and phone numbers. ``queue show --payload``
prints the payload on purpose and is the one command left out.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from badinput_his import apply, assign, cases
from badinput_pipeline import FACILITY, his_connection
from patient_data import find_leaks, patient_values
from security_support import Canary, Listener
from xml_attacks import attacks

from adapter.his import demo_data
from adapter.his.demo import generate_demo_his
from adapter.mappers.envelope import build_claim
from adapter.mappers.policy import TablePolicy

CLI = Path(sys.executable).parent / "bhyt-adapter"
ENCOUNTERS, SEED = 30, 42
CORRUPT = (
    "enc_ho_ten_utf8_latin1",
    "enc_ho_ten_ctrl_bel",
    "enc_ho_ten_300",
    "enc_so_cccd_12345_unknown",
    "card_ma_the_bhyt_XX1234",
    "drug_line_quantity_negative",
    "enc_ngay_ra_feb30",
)

pytestmark = pytest.mark.slow


@dataclass
class Run:
    outputs: list[str]


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("ADAPTER_")}


def cli(*args: str, check_codes: tuple[int, ...] = (0, 1)) -> str:
    done = subprocess.run(
        [str(CLI), "-vv", *args], capture_output=True, text=True, timeout=180, env=_env(), check=False
    )
    assert done.returncode in check_codes, (args, done.returncode, done.stderr[-3000:])
    return done.stdout + "\n" + done.stderr


def _validate_folder(folder: Path) -> Path:
    """Envelopes of the same demo patients: clean ones, and ones whose defects name a patient field."""
    folder.mkdir()
    facility = demo_data.facility(FACILITY)
    for n, g in enumerate(g for g in demo_data.generate(encounters=ENCOUNTERS, seed=SEED) if g.finished):
        data = build_claim(g.encounter, facility, "3176", created_on=date(2025, 3, 4), policy=TablePolicy())
        if n % 3 == 1:
            data = data.replace(b"<SOLUONGHOSO>1<", b"<SOLUONGHOSO>2<")
        (folder / f"{g.encounter.ma_lk}.xml").write_bytes(data)
    return folder


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    work = tmp_path_factory.mktemp("cli")
    his = work / "demo-his.sqlite"  # the name `demo` looks for: it reuses this HIS
    generate_demo_his(his, encounters=ENCOUNTERS, seed=SEED, ma_cskcb=FACILITY)
    generated = demo_data.generate(encounters=ENCOUNTERS, seed=SEED, ma_cskcb=FACILITY)
    with his_connection(his) as conn:
        for ma_lk, case in assign([c for c in cases() if c.name in CORRUPT], generated).items():
            apply(conn, case, ma_lk)
    outputs = [cli("demo", "--workdir", str(work), "--encounters", str(ENCOUNTERS), "--seed", str(SEED))]
    config = str(work / "adapter.toml")
    outputs.append(cli("--config", config, "queue", "list"))
    listed = cli("--config", config, "queue", "list", "--json")
    outputs.append(listed)
    rows = json.loads(listed[: listed.rindex("]") + 1])
    held = [row["id"] for row in rows if row["status"] == "needs_fix"]
    sent = [row["id"] for row in rows if row["status"] == "accepted"]
    for item in held[:3]:  # held items print their issues (HIS errors, rules); one of each in JSON
        outputs.append(cli("--config", config, "queue", "show", str(item)))
    for item in (held[-1], sent[0]):
        outputs.append(cli("--config", config, "queue", "show", str(item), "--json"))
    folder = _validate_folder(work / "files")
    outputs.append(cli("validate", str(folder), "--lang", "en"))
    return Run(outputs=outputs)


def test_the_commands_did_their_work(run: Run) -> None:
    text = "\n".join(run.outputs)
    assert "needs_fix" in text and "accepted" in text
    assert "ENVELOPE_STRUCTURE" in text  # validate found the planted defects
    assert " DEBUG " in text  # -vv really logged at DEBUG


def _values() -> dict[str, str]:
    return patient_values(demo_data.generate(encounters=ENCOUNTERS, seed=SEED, ma_cskcb=FACILITY))


def test_no_cli_output_holds_patient_data_but_signxml_debug(run: Run) -> None:
    lines = [line for out in run.outputs for line in out.splitlines() if " signxml." not in line]
    assert find_leaks(lines, _values()) == []


def test_no_cli_output_holds_patient_data(run: Run) -> None:
    lines = [line for out in run.outputs for line in out.splitlines()]
    assert find_leaks(lines, _values(), first=True) == []


def test_hostile_files_through_the_cli_fetch_and_leak_nothing(
    tmp_path: Path, canary: Canary, fresh_listener: Listener
) -> None:
    from badinput_files import base_tables, claim

    for attack in attacks(canary.path, fresh_listener.url):
        (tmp_path / f"{attack.name}_xml1.xml").write_bytes(attack(base_tables()[1], "MA_LK"))
        (tmp_path / f"{attack.name}_envelope.xml").write_bytes(attack(claim(), "MACSKCB"))
    out = cli("validate", str(tmp_path), "--json")
    reports = json.loads(out[: out.rindex("]") + 1])
    unsafe = {r["file"] for r in reports if any(i["rule"] == "XML_UNSAFE" for i in r["issues"])}
    assert {
        f"{a.name}_xml1.xml"
        for a in attacks(canary.path, "")
        if a.declares_dtd
    } <= unsafe
    verified = cli("verify", str(tmp_path / "xxe_file_envelope.xml"), "--json")
    assert '"valid": false' in verified
    assert canary.secret not in out + verified
    assert fresh_listener.hits == []
