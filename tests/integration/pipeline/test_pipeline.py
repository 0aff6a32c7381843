"""The whole pipeline with real parts: demo HIS (SQLite), mappers, validation, demo certificate,
outbox (SQLite), gateway client and simulator over loopback HTTP."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from adapter.bootstrap import App
from adapter.outbox.values import ItemFilter


def statuses(app: App) -> dict[str, str]:
    return {row.ma_lk: str(row.status) for row in app.outbox.list_items(ItemFilter())}


def test_poll_then_drain_accepts_every_finished_encounter(app: App, simulator: Any) -> None:
    report = app.poll_his()
    assert report.extracted == report.queued > 0 and report.needs_fix == 0
    drained = app.drain(concurrency=4)
    assert drained.accepted == report.queued
    assert set(statuses(app).values()) == {"accepted"}
    assert len(simulator.state.accepted) == report.queued


def test_an_edit_in_the_his_after_acceptance_becomes_a_held_version(app: App, simulator: Any,
                                                                    his_db: Path) -> None:
    app.poll_his()
    app.drain()
    with sqlite3.connect(his_db) as conn:
        ma_lk = conn.execute("SELECT ma_lk FROM his_encounter WHERE finished = 1 ORDER BY ma_lk"
                             ).fetchone()[0]
        conn.execute("UPDATE his_encounter SET ghi_chu = 'sửa sau khi gửi',"
                     " updated_at = '2099-01-01 00:00:00'"
                     " WHERE ma_lk = ?", (ma_lk,))
    report = app.poll_his()
    assert report.extracted == 1
    assert statuses(app)[ma_lk] == "held"          # waits for an operator by default (mở khóa)
    assert app.drain().accepted == 0


def test_unregistered_practitioner_is_held_with_its_rule(app: App, simulator: Any, his_db: Path) -> None:
    assert app.import_staff_from_his("79001") > 0
    with sqlite3.connect(his_db) as conn:
        ma_lk = conn.execute("SELECT ma_lk FROM his_drug_line ORDER BY ma_lk LIMIT 1").fetchone()[0]
        conn.execute("UPDATE his_drug_line SET ma_bac_si = '999999/HCM-GPHN' WHERE ma_lk = ?", (ma_lk,))
    app.poll_his()
    detail = app.outbox.get(next(r.id for r in app.outbox.list_items(ItemFilter(ma_lk=ma_lk))))
    assert str(detail.item.status) == "needs_fix"
    rules = {(i["rule"], i["table"], i["field"]) for v in detail.versions for i in v.issues}
    assert ("PRACTITIONER_NOT_REGISTERED", "XML2", "MA_BAC_SI") in rules
    others = {k: v for k, v in statuses(app).items() if k != ma_lk}
    assert set(others.values()) == {"ready"}       # one bad record blocks nothing else
