"""Fixtures of the bad-input corpus: ONE corrupted demo HIS through ONE real pipeline run."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from badinput_his import HisCase, apply, assign, cases
from badinput_pipeline import (
    Outcome,
    demo_his,
    his_connection,
    outcomes,
    root_at_debug,
    run_pipeline,
    running_app,
)

from adapter.his.demo_data import GeneratedEncounter

ENCOUNTERS = 230  # 223 finished: every case gets its own encounter, the rest stay untouched


@dataclass(frozen=True, kw_only=True)
class CorpusRun:
    plan: Mapping[str, HisCase]  # MA_LK -> the case applied to it
    generated: tuple[GeneratedEncounter, ...]
    outcomes: Mapping[str, Outcome]
    poll: object
    drain: object
    log_lines: tuple[str, ...]

    def untouched(self) -> list[str]:
        return [
            g.encounter.ma_lk for g in self.generated if g.finished and g.encounter.ma_lk not in self.plan
        ]


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
