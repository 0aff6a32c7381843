"""The chaos verdict (pure): lost, duplicates matched one by one with unknown-outcome attempts."""

from __future__ import annotations

from types import ModuleType
from typing import Any

FINISHED = ["LK1", "LK2", "LK3"]


def receipt(ma_lk: str, tx: str, *, reply_lost: bool = False, replacement: bool = False) -> dict[str, Any]:
    return {"kind": "claim", "ma_lk": ma_lk, "maGiaoDich": tx, "reply_lost": reply_lost,
            "replacement": replacement}


def item(item_id: int, ma_lk: str, status: str = "accepted") -> dict[str, Any]:
    return {"id": item_id, "ma_lk": ma_lk, "kind": "claim", "status": status}


def attempt(item_id: int, no: int, outcome: str, *, tx: str | None = None,
            error_class: str | None = None) -> dict[str, Any]:
    return {"item_id": item_id, "attempt_no": no, "outcome": outcome, "transaction_id": tx,
            "error_class": error_class, "error": "x" if error_class else None}


ITEMS = [item(1, "LK1"), item(2, "LK2"), item(3, "LK3")]
CLEAN = [receipt("LK1", "T1"), receipt("LK2", "T2"), receipt("LK3", "T3")]
CLEAN_TRIES = [attempt(1, 1, "accepted", tx="T1"), attempt(2, 1, "accepted", tx="T2"),
               attempt(3, 1, "accepted", tx="T3")]


def judge(verdict: ModuleType, receipts: list[dict[str, Any]], attempts: list[dict[str, Any]], *,
          items: list[dict[str, Any]] = ITEMS, peak: int = 4, in_flight: int = 5) -> Any:
    return verdict.analyse(finished=FINISHED, receipts=receipts, items=items, attempts=attempts, peak=peak,
                           bound=4, in_flight_at_kills=in_flight)


def test_a_clean_run_is_ok(verdict: ModuleType) -> None:
    v = judge(verdict, CLEAN, CLEAN_TRIES)
    assert (v.ok, v.lost, v.duplicates, v.accepted) == (True, [], [], 3)


def test_a_kill_in_flight_explains_the_second_receipt(verdict: ModuleType) -> None:
    receipts = [receipt("LK1", "T0"), *CLEAN]       # the killed worker's request was accepted too
    tries = [attempt(1, 1, "unknown", error_class="LeaseExpired"), *CLEAN_TRIES]
    v = judge(verdict, receipts, tries)
    assert v.ok
    assert [(d["transaction"], d["cause"], d["attempt_no"]) for d in v.duplicates] == \
        [("T0", verdict.KILLED, 1)]
    assert v.kill_duplicates == 1


def test_a_lost_reply_explains_the_receipt_the_simulator_marked(verdict: ModuleType) -> None:
    receipts = [receipt("LK2", "T0", reply_lost=True), *CLEAN]
    tries = [attempt(2, 1, "retry", error_class="OutcomeUnknown"), *CLEAN_TRIES]
    v = judge(verdict, receipts, tries)
    assert v.ok and v.causes == {verdict.REPLY_LOST: 1}


def test_each_duplicate_needs_its_own_attempt(verdict: ModuleType) -> None:
    receipts = [receipt("LK1", "T0a"), receipt("LK1", "T0b"), *CLEAN]
    tries = [attempt(1, 1, "unknown", error_class="LeaseExpired"), *CLEAN_TRIES]
    v = judge(verdict, receipts, tries)
    assert not v.ok
    assert v.unexplained == ["LK1"]
    assert sorted(d["cause"] for d in v.duplicates) == sorted([verdict.KILLED, verdict.UNEXPLAINED])


def test_a_duplicate_after_a_plain_failure_is_unexplained(verdict: ModuleType) -> None:
    receipts = [receipt("LK3", "T0"), *CLEAN]
    tries = [attempt(3, 1, "retry", error_class="GatewayUnavailable"), *CLEAN_TRIES]
    assert judge(verdict, receipts, tries).unexplained == ["LK3"]


def test_a_finished_encounter_without_receipt_is_lost(verdict: ModuleType) -> None:
    v = judge(verdict, CLEAN[:2], CLEAN_TRIES[:2], items=[*ITEMS[:2], item(3, "LK3", "retry_wait")])
    assert (v.ok, v.lost, v.accepted) == (False, ["LK3"], 2)


def test_an_acceptance_the_simulator_never_gave_is_a_phantom(verdict: ModuleType) -> None:
    tries = [*CLEAN_TRIES[:2], attempt(3, 1, "accepted", tx="T9")]
    v = judge(verdict, CLEAN, tries)
    assert (v.ok, v.phantom) == (False, ["LK3"])


def test_more_kill_duplicates_than_items_in_flight_fail(verdict: ModuleType) -> None:
    receipts = [receipt("LK1", "T0"), *CLEAN]
    tries = [attempt(1, 1, "unknown", error_class="LeaseExpired"), *CLEAN_TRIES]
    assert not judge(verdict, receipts, tries, in_flight=0).ok


def test_the_concurrency_bound_is_checked(verdict: ModuleType) -> None:
    assert not judge(verdict, CLEAN, CLEAN_TRIES, peak=5).ok


def test_a_replacement_fails_the_run(verdict: ModuleType) -> None:
    receipts = [*CLEAN, receipt("LK1", "T4", replacement=True)]
    tries = [*CLEAN_TRIES, attempt(1, 2, "accepted", tx="T4")]
    v = judge(verdict, receipts, tries)
    assert (v.ok, v.replacements) == (False, 1)
