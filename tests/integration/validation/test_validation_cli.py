"""``bhyt-adapter validate`` as a subprocess on the defective-file corpus (tests/corpus/validation)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

CORPUS = Path(__file__).parents[2] / "corpus" / "validation"
CLI = Path(sys.executable).parent / "bhyt-adapter"

# file -> (rule, table, row, field) that must be reported, blocking
EXPECTED = {
    "money_line_envelope.xml": ("MONEY_LINE_TOTAL", "XML2", 1, "THANH_TIEN_BV"),
    "inpatient_dates_envelope.xml": ("DATE_ORDER", "XML1", None, "NGAY_TTOAN"),
    "xml1_too_long.xml": ("FIELD_TOO_LONG", "XML1", None, "MA_BN"),
    "checkin_no_item.xml": ("FIELD_REQUIRED_IF", "XML0", 1, "MA_DICH_VU"),
    "xxe.xml": ("XML_UNSAFE", "FILE", None, ""),
    "control_char.xml": ("TEXT_CONTROL_CHAR", "FILE", None, "LY_DO_VV"),
}


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CLI), "validate", *args], capture_output=True, text=True, timeout=60,
                          check=False)


def test_corpus_json_reports_each_defect_where_it_is() -> None:
    result = cli(str(CORPUS), "--json")
    assert result.returncode == 1, result.stderr
    reports = {r["file"]: r for r in json.loads(result.stdout)}
    assert set(reports) == {*EXPECTED, "clean_envelope.xml"}
    assert reports["clean_envelope.xml"]["issues"] == []
    for name, (rule, table, row, field) in EXPECTED.items():
        found = {(i["rule"], i["table"], i["row"], i["field"]) for i in reports[name]["issues"]}
        assert (rule, table, row, field) in found, name
        assert reports[name]["blocking"] is True


def test_table_output_names_file_ma_lk_location_and_message() -> None:
    result = cli(str(CORPUS), "--lang", "en")
    assert result.returncode == 1
    line = next(x for x in result.stdout.splitlines() if x.startswith("money_line_envelope.xml"))
    assert line.split()[:6] == ["money_line_envelope.xml", "79001_2025_07_0012345_KB0001", "XML2", "1",
                                "THANH_TIEN_BV", "MONEY_LINE_TOTAL"]
    assert "differs from the 3176 formula" in line
    assert "7 file(s), 6 with blocking issues" in result.stderr


def test_clean_file_exits_zero() -> None:
    result = cli(str(CORPUS / "clean_envelope.xml"))
    assert (result.returncode, result.stdout.strip()) == (0, "(none)")


def test_missing_path_is_a_usage_error() -> None:
    assert cli(str(CORPUS / "nope.xml")).returncode == 2


def test_rule_catalogue_is_listed() -> None:
    result = cli("--list-rules", "--json")
    assert result.returncode == 0
    codes = {r["rule"] for r in json.loads(result.stdout)}
    assert {"MONEY_LINE_SPLIT", "PRACTITIONER_NOT_REGISTERED", "TEXT_CONTROL_CHAR"} <= codes
