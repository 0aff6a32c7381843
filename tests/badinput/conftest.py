"""Fixtures of the bad-input corpus: ONE corrupted demo HIS through ONE real pipeline run."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from badinput_his import apply, assign, cases
from badinput_pipeline import (
    CorpusRun,
    demo_his,
    his_connection,
    outcomes,
    root_at_debug,
    run_pipeline,
    running_app,
)

ENCOUNTERS = 230  # 224 finished: every case gets its own encounter, about 60 stay untouched


@pytest.fixture(scope="session")
def corpus_run(tmp_path_factory: pytest.TempPathFactory) -> CorpusRun:
    base = tmp_path_factory.mktemp("badinput")
    his = base / "his.sqlite"
    generated = demo_his(his, encounters=ENCOUNTERS)
    plan = assign(cases(), generated)
    with his_connection(his) as conn:
        for ma_lk, case in plan.items():
            apply(conn, case, ma_lk)
    with root_at_debug() as capture, running_app(base / "work", his) as app:
        poll, drain = run_pipeline(app)
        found = outcomes(app)
    return CorpusRun(
        plan=plan,
        generated=tuple(generated),
        outcomes=found,
        poll=poll,
        drain=drain,
        log_lines=tuple(capture.lines),
    )
