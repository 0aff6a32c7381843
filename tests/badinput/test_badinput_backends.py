"""The HIS corpus on PostgreSQL and MariaDB: what the server lets a HIS store, the adapter handles alike.

A server refuses some corruptions outright (invalid UTF-8 in a text column, 30 February in a
DATETIME, text in a NUMERIC, SQLite date functions): those cases cannot occur in such a HIS and
are counted, not run. Every case the server stores must end exactly as on SQLite (held with the
same located rule, or sent), and every untouched encounter must be accepted.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from badinput_db import server_database
from badinput_his import HisCase, apply, assign, cases
from badinput_pipeline import Outcome, demo_his, his_connection, outcomes, run_pipeline, running_app
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

pytestmark = pytest.mark.slow
ENCOUNTERS = 230


@dataclass(frozen=True)
class BackendRun:
    applied: dict[str, HisCase]  # MA_LK -> case the server stored
    refused: list[str]  # case names the server refused to store
    untouched: list[str]
    outcomes: dict[str, Outcome]


# Values the server itself rewrites on the way in, so the HIS then holds a different, valid value:
# PostgreSQL reads 'yesterday' as a real timestamp; MariaDB rounds '3.5' into an INTEGER column.
SERVER_REWRITES = {
    "postgresql": {"enc_ngay_sinh_words", "enc_ngay_vao_words", "enc_ngay_ra_words", "enc_ngay_ttoan_words"},
    "mysql": {"treatment_days_text"},
}


def _binary(case: HisCase) -> bool:
    return any(isinstance(v, bytes) for op in case.ops for v in op.params.values())


def _corrupt(url: str, plan: dict[str, HisCase]) -> tuple[dict[str, HisCase], list[str]]:
    applied, refused = {}, []
    with his_connection(url) as conn:
        for ma_lk, case in plan.items():
            if case.name in SERVER_REWRITES.get(conn.dialect.name, set()):
                refused.append(case.name)
                continue
            if _binary(case) and conn.dialect.name == "postgresql":
                # PostgreSQL turns bytes bound to a text column into their '\x..' hex text (it cannot
                # hold invalid UTF-8 at all). MariaDB refuses most invalid UTF-8 but stores some
                # (a UTF-16 surrogate as ED A0 80): those must be held as HIS_BAD_UTF8 as on SQLite.
                refused.append(case.name)
                continue
            try:
                with conn.begin_nested():
                    apply(conn, case, ma_lk)
                applied[ma_lk] = case
            except DBAPIError:
                refused.append(case.name)
    return applied, refused


@pytest.fixture(
    scope="module",
    params=[
        pytest.param("postgres", marks=pytest.mark.postgres),
        pytest.param("mariadb", marks=pytest.mark.mariadb),
    ],
)
def backend_run(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BackendRun]:
    with server_database(request.param, "corpus") as url:
        generated = demo_his(url, encounters=ENCOUNTERS)
        applied, refused = _corrupt(url, assign(cases(), generated))
        work: Path = tmp_path_factory.mktemp(f"backend_{request.param}")
        with running_app(work, url) as app:
            run_pipeline(app)
            found = dict(outcomes(app))
        plan = {c.name for c in cases()}
        untouched = [
            g.encounter.ma_lk
            for g in generated
            if g.finished
            and g.encounter.ma_lk not in applied
            and not any(g.encounter.ma_lk == m for m in applied)
        ]
        assert refused or plan
        yield BackendRun(applied=applied, refused=refused, untouched=untouched, outcomes=found)


def test_most_corruptions_can_be_stored(backend_run: BackendRun) -> None:
    assert len(backend_run.applied) >= 90, backend_run.refused


def test_every_stored_corruption_ends_as_on_sqlite(backend_run: BackendRun) -> None:
    wrong = {}
    for ma_lk, case in backend_run.applied.items():
        if case.bug:
            continue
        outcome = backend_run.outcomes[ma_lk]
        if case.held:
            ok = outcome.status == "needs_fix" and any(
                rule == case.rule and loc.startswith(case.where) for rule, loc in outcome.locations()
            )
        else:
            ok = outcome.status == "accepted" and not outcome.blocking_rules()
        if not ok:
            wrong[case.name] = (outcome.status, sorted(outcome.locations()))
    assert wrong == {}, "\n".join(f"{k}: {v}" for k, v in wrong.items())


def test_every_encounter_the_server_left_alone_is_accepted(backend_run: BackendRun) -> None:
    statuses = {backend_run.outcomes[m].status for m in backend_run.untouched if m in backend_run.outcomes}
    assert statuses == {"accepted"}


@pytest.mark.mariadb
def test_invalid_utf8_in_mariadb_is_held_not_fatal(tmp_path: Path) -> None:
    with server_database("mariadb", "utf8") as url:
        generated = demo_his(url, encounters=5)
        target = next(g.encounter.ma_lk for g in generated if g.finished)
        with his_connection(url) as conn:
            conn.execute(
                text("UPDATE his_encounter SET ho_ten = :v WHERE ma_lk = :m"),
                {"v": b"\xed\xa0\x80", "m": target},
            )
        with running_app(tmp_path / "work", url) as app:
            run_pipeline(app)
            found = outcomes(app)
    assert found[target].status == "needs_fix"
    assert ("HIS_BAD_UTF8", "HIS.his_encounter.ho_ten") in found[target].locations()
    assert {o.status for m, o in found.items() if m != target} == {"accepted"}
