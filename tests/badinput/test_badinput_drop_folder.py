"""Issue 10 item 6 through the drop folder: every defective file is refused with its located rule
in the report beside it, and the clean claim is signed, queued and accepted by the simulator.

The file corpus is dropped into ``[his] drop_folder`` of a real ``App`` (composition root,
``poll_his`` then ``drain`` against the simulator); nothing here calls the importer directly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from badinput_files import FileCase, cases, write
from badinput_pipeline import outcomes, running_app


@dataclass(frozen=True)
class DropRun:
    inbox: Path
    reports: dict[str, dict[str, Any]]  # file stem -> report JSON
    where: dict[str, str]  # file stem -> "done" | "failed" | "inbox"
    statuses: dict[str, str]  # MA_LK -> outbox status


def _reports(inbox: Path) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    reports, where = {}, {}
    for sub in ("done", "failed"):
        for path in (inbox / sub).glob("*.xml.report.json"):
            stem = path.name.removesuffix(".xml.report.json")
            reports[stem] = json.loads(path.read_text(encoding="utf-8"))
            where[stem] = sub
    for path in inbox.glob("*.xml"):
        where[path.stem] = "inbox"
    return reports, where


@pytest.fixture(scope="module")
def drop_run(tmp_path_factory: pytest.TempPathFactory) -> DropRun:
    base = tmp_path_factory.mktemp("drop")
    inbox = base / "inbox"
    write(inbox)
    with running_app(base / "work", None, drop_folder=inbox) as app:
        app.poll_his()
        app.drain(concurrency=2)
        statuses = {m: o.status for m, o in outcomes(app).items()}
    reports, where = _reports(inbox)
    return DropRun(inbox=inbox, reports=reports, where=where, statuses=statuses)


def _param(case: FileCase) -> object:
    marks = [pytest.mark.xfail(strict=True, reason=case.bug)] if case.bug else []
    return pytest.param(case, id=case.name, marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in cases() if c.rule is not None])
def test_defective_file_is_refused_with_its_located_rule(drop_run: DropRun, case: FileCase) -> None:
    report = drop_run.reports[case.name]
    issues = report.get("issues", [])
    found = {(i["rule"], f"{i['table']}.{i['field']}") for i in issues if i["severity"] == "blocking"}
    if case.rule == "TEXT_NOT_NFC":  # a warning: the file is taken, the warning travels with it
        found = {(i["rule"], f"{i['table']}.{i['field']}") for i in issues}
    assert any(rule == case.rule and loc.startswith(case.where) for rule, loc in found), sorted(found)
    assert drop_run.where[case.name] == ("done" if case.rule == "TEXT_NOT_NFC" else "failed")


def test_no_file_is_left_in_the_inbox(drop_run: DropRun) -> None:
    assert [stem for stem, place in drop_run.where.items() if place == "inbox"] == []


def test_the_clean_claim_is_queued_and_accepted(drop_run: DropRun) -> None:
    report = drop_run.reports["clean_envelope"]
    assert (drop_run.where["clean_envelope"], report["queued"]) == ("done", True)
    assert drop_run.statuses[report["ma_lk"]] == "accepted"


def test_nothing_defective_was_queued(drop_run: DropRun) -> None:
    queued = {stem for stem, r in drop_run.reports.items() if r.get("queued")}
    assert queued <= {c.name for c in cases() if c.rule in (None, "TEXT_NOT_NFC")}
