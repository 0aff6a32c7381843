"""Issue 10 item 6: every defective XML file is reported with a located rule; clean files pass.

Each file goes through ``validate_document`` (the drop-folder and ``validate`` entry point),
and the whole folder once through ``bhyt-adapter validate --json`` as a subprocess.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from badinput_files import FileCase, cases, write

from adapter.validation.engine import validate_document

CLI = Path(sys.executable).parent / "bhyt-adapter"


def _param(case: FileCase) -> object:
    marks = [pytest.mark.xfail(strict=True, reason=case.bug)] if case.bug else []
    return pytest.param(case, id=case.name, marks=marks)


def _matches(case: FileCase, issues: list[dict[str, Any]]) -> bool:
    if case.rule is None:
        return not any(i["severity"] == "blocking" for i in issues)
    return any(i["rule"] == case.rule and f"{i['table']}.{i['field']}".startswith(case.where) for i in issues)


def test_the_file_corpus_is_large_and_names_are_unique() -> None:
    names = [c.name for c in cases()]
    assert len(names) == len(set(names))
    assert len(names) >= 70


@pytest.mark.parametrize("case", [_param(c) for c in cases()])
def test_file_is_reported_with_its_located_rule(case: FileCase) -> None:
    report = validate_document(case.data)
    issues = [i.as_dict() for i in report.issues]
    assert _matches(case, issues), sorted((i["rule"], i["table"], i["field"]) for i in issues)


def test_every_file_issue_names_a_catalogued_rule() -> None:
    from adapter.validation.rules.catalog import RULES

    for case in cases():
        for issue in validate_document(case.data).issues:
            assert issue.rule in RULES, (case.name, issue.rule)
            assert issue.table, (case.name, issue)


@pytest.fixture(scope="module")
def cli_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("files")
    write(folder)  # the huge-number files among them once crashed the command
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADAPTER_")}
    done = subprocess.run(
        [str(CLI), "validate", str(folder), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert done.returncode == 1, done.stderr[-2000:]  # blocking issues present: exit 1, no crash
    return {Path(r["file"]).stem: r for r in json.loads(done.stdout)}


def test_cli_reports_every_file_like_the_library(cli_reports: dict[str, dict[str, Any]]) -> None:
    assert set(cli_reports) == {c.name for c in cases()}
    wrong = [c.name for c in cases() if not c.bug and not _matches(c, cli_reports[c.name]["issues"])]
    assert wrong == []


def test_validate_survives_huge_numbers_in_every_numeric_element() -> None:
    """Every numeric element of XML1-XML3 (31 fields once crashed): the file is reported, never a crash."""
    import re

    from badinput_files import base_tables, setter, with_table

    from adapter import catalogue

    for number in (1, 2, 3):
        present = set(re.findall(rb"<([A-Z_0-9]+)>[0-9.]+</\1>", base_tables()[number]))
        names = sorted(n for n in present if catalogue.field(number, "3176", n.decode()).numeric)
        for name in names:
            report = validate_document(with_table(number, setter(name.decode(), b"9" * 40)))
            located = {(i.rule, i.table, i.field) for i in report.issues if i.blocking}
            assert ("FIELD_TOO_LONG", f"XML{number}", name.decode()) in located, (number, name)
