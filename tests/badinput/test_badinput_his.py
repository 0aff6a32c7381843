"""Issue 10 item 6: every corrupted HIS encounter is held with a located rule, every good one is sent.

The whole corpus is one demo HIS run once through the real pipeline (bootstrap, SQL reader,
mappers, validation, demo signer, outbox, HTTP to the simulator); see ``conftest.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from badinput_his import HisCase, cases
from badinput_pipeline import CorpusRun, demo_his, his_connection, outcomes, run_pipeline, running_app
from sqlalchemy import text


def _param(case: HisCase) -> object:
    marks = [pytest.mark.xfail(strict=True, reason=case.bug)] if case.bug else []
    return pytest.param(case, id=case.name, marks=marks)


def _ma_lk(run: CorpusRun, case: HisCase) -> str:
    return next(m for m, c in run.plan.items() if c.name == case.name)


def test_the_corpus_is_large_and_every_name_unique() -> None:
    names = [c.name for c in cases()]
    assert len(names) == len(set(names))
    assert len(names) >= 150


def _known_bugs(run: CorpusRun) -> set[str]:
    return {m for m, c in run.plan.items() if c.bug}


def test_no_encounter_crashed_the_poll(corpus_run: CorpusRun) -> None:
    poll = corpus_run.poll
    finished = sum(1 for g in corpus_run.generated if g.finished)
    assert poll.extracted == finished  # type: ignore[attr-defined]
    assert set(corpus_run.outcomes) == {g.encounter.ma_lk for g in corpus_run.generated if g.finished}
    # PREPARE_FAILED (an exception turned into an unlocated hold) only where a known bug says so.
    failed = {m for m, o in corpus_run.outcomes.items() if "PREPARE_FAILED" in o.blocking_rules()}
    assert failed <= _known_bugs(corpus_run)


def test_every_untouched_encounter_is_accepted(corpus_run: CorpusRun) -> None:
    untouched = corpus_run.untouched()
    assert len(untouched) >= 40
    assert {m: corpus_run.outcomes[m].status for m in untouched} == dict.fromkeys(untouched, "accepted")


@pytest.mark.parametrize("case", [_param(c) for c in cases() if c.held])
def test_bad_encounter_is_held_with_located_rule(corpus_run: CorpusRun, case: HisCase) -> None:
    outcome = corpus_run.outcomes[_ma_lk(corpus_run, case)]
    assert outcome.status == "needs_fix"
    located = [loc for rule, loc in outcome.locations() if rule == case.rule]
    assert any(loc.startswith(case.where) for loc in located), sorted(outcome.locations())


@pytest.mark.parametrize("case", [_param(c) for c in cases() if not c.held])
def test_awkward_but_legitimate_encounter_is_sent(corpus_run: CorpusRun, case: HisCase) -> None:
    outcome = corpus_run.outcomes[_ma_lk(corpus_run, case)]
    assert (outcome.status, outcome.blocking_rules()) == ("accepted", set())
    if case.warn:  # sent, and the warning says where
        assert (case.rule, case.where) in outcome.locations(), sorted(outcome.locations())


def test_every_held_issue_names_a_catalogued_rule_and_a_place(corpus_run: CorpusRun) -> None:
    from adapter.his.convert import RULE_DATE, RULE_NUMBER, RULE_REQUIRED, RULE_TOO_LONG, RULE_UTF8
    from adapter.validation.rules.catalog import RULES

    known = set(RULES) | {RULE_DATE, RULE_NUMBER, RULE_REQUIRED, RULE_TOO_LONG, RULE_UTF8}
    bugs = _known_bugs(corpus_run)
    for outcome in corpus_run.outcomes.values():
        if outcome.ma_lk in bugs:
            continue
        for issue in outcome.issues:
            assert issue["rule"] in known, issue
            assert issue["table"], issue
            assert issue["field"] or issue["table"] in ("ENVELOPE", "FILE"), issue


def test_a_30_digit_quantity_is_held_and_does_not_stop_the_poll(tmp_path: Path) -> None:
    """Regression: '1e30' once passed the reader and crashed money arithmetic, stopping every poll."""
    his = tmp_path / "his.sqlite"
    generated = demo_his(his, encounters=6)
    target = next(g.encounter.ma_lk for g in generated if g.finished)
    with his_connection(his) as conn:
        conn.execute(
            text("UPDATE his_drug_line SET so_luong = '1e30' WHERE ma_lk = :m AND stt = 1"), {"m": target}
        )
    with running_app(tmp_path / "work", his) as app:
        poll, _ = run_pipeline(app)
        found = outcomes(app)
    assert poll.extracted == sum(1 for g in generated if g.finished)
    assert found[target].status == "needs_fix"
    assert {o.status for m, o in found.items() if m != target} == {"accepted"}
