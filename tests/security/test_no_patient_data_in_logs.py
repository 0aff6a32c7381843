"""Issue 10 item 8: no patient data in logs, in-process, with the root logger at DEBUG.

One demo HIS (some encounters corrupted so the error paths log too) goes through the
whole pipeline three times against the simulator: in maintenance (every send waits),
with the facility certificate unknown (every send rejected), and normally (accepted and
needs-fix); then card lookups and the operator's queue views. Every log line of every
logger (ours, httpx, uvicorn, SQLAlchemy) is searched for the patients' names, CCCD,
card and phone numbers, exactly and ASCII-folded.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

import pytest
from badinput_his import apply, assign, cases
from badinput_pipeline import FACILITY, demo_his, his_connection, root_at_debug, run_pipeline, running_app
from patient_data import find_leaks, logger_of, patient_values

from adapter.his import demo_data
from adapter.outbox.values import ItemFilter
from adapter.simulator.cards import demo_cards, demo_officers
from adapter.simulator.config import Faults
from adapter.transport.cards import CardQuery

# Corruptions whose error paths log (HIS rows refused, validation holds, text normalised).
CORRUPT = (
    "enc_ho_ten_utf8_latin1",
    "enc_ngay_sinh_feb30",
    "enc_ho_ten_ctrl_bel",
    "enc_ho_ten_300",
    "encounter_ho_ten_nfd",
    "enc_so_cccd_12345_unknown",
    "card_ma_the_bhyt_XX1234",
    "drug_line_quantity_negative",
    "ghi_chu_entity_decl",
    "enc_ma_loai_kcb_99_unknown",
)


@dataclass(frozen=True)
class Scenario:
    lines: list[str]
    values: dict[str, str]
    statuses: set[str]


def _lookups(app: object) -> dict[str, str]:
    """Look every simulator demo card up; return the values those queries carried."""
    from adapter.transport.client import GatewayClient

    settings = app.settings  # type: ignore[attr-defined]
    client = GatewayClient(settings.gateway, settings.facilities, base_url=app.base_url_override)  # type: ignore[attr-defined]
    try:
        return _each_card(client)
    finally:
        client.close()


def _each_card(client: Any) -> dict[str, str]:
    officer_cccd, officer = next(iter(demo_officers().items()))
    seen: dict[str, str] = {officer: "name", officer_cccd: "cccd"}
    for record in {r.ma_the: r for r in demo_cards().values()}.values():
        query = CardQuery(
            ma_the=record.ma_the,
            ho_ten=record.ho_ten,
            ngay_sinh=record.ngay_sinh,
            ho_ten_cb=officer,
            cccd_cb=officer_cccd,
        )
        client.lookup_card(FACILITY, query)
        seen.update({record.ma_the: "card", record.ho_ten: "name"})
    return seen


def _operator_views(app: object) -> set[str]:
    rows = app.outbox.list_items(ItemFilter(limit=1000))  # type: ignore[attr-defined]
    for row in rows:
        app.outbox.get(row.id)  # type: ignore[attr-defined]
    return {row.status.value for row in rows}


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    base = tmp_path_factory.mktemp("logs")
    his = base / "his.sqlite"
    generated = demo_his(his, encounters=40, seed=3)
    wanted = [c for c in cases() if c.name in CORRUPT]
    with his_connection(his) as conn:
        for ma_lk, case in assign(wanted, generated).items():
            apply(conn, case, ma_lk)
    values = patient_values(generated)
    statuses: set[str] = set()
    with root_at_debug() as capture:
        with running_app(base / "maintenance", his, faults=Faults(maintenance=True)) as app:
            run_pipeline(app)
            statuses |= _operator_views(app)
        with running_app(base / "untrusted", his, trust_certificate=False) as app:
            run_pipeline(app)
            statuses |= _operator_views(app)
        with running_app(base / "normal", his) as app:
            run_pipeline(app)
            values.update(_lookups(app))
            statuses |= _operator_views(app)
    return Scenario(lines=capture.lines, values=values, statuses=statuses)


def test_the_scenarios_went_through_every_outcome(scenario: Scenario) -> None:
    assert {"retry_wait", "rejected", "accepted", "needs_fix"} <= scenario.statuses
    assert len(scenario.lines) > 100  # DEBUG really was on: there is something to search
    assert len(scenario.values) > 80


def test_no_adapter_log_line_holds_a_name_cccd_card_or_phone(scenario: Scenario) -> None:
    ours = [line for line in scenario.lines if logger_of(line).startswith("adapter")]
    assert len(ours) > 100
    assert find_leaks(ours, scenario.values) == []


def test_third_party_loggers_hold_no_patient_data_but_signxml(scenario: Scenario) -> None:
    others = [line for line in scenario.lines if not logger_of(line).startswith(("adapter", "signxml"))]
    assert {logger_of(line).split(".")[0] for line in others} >= {"httpx", "httpcore"}
    assert find_leaks(others, scenario.values) == []


def test_no_log_line_of_any_logger_holds_patient_data(scenario: Scenario) -> None:
    assert find_leaks(scenario.lines, scenario.values, first=True) == []


def test_verifying_a_signed_claim_at_debug_logs_no_patient_data() -> None:
    from badinput_files import claim

    from adapter.ports import SystemClock
    from adapter.signing.testing import ephemeral_signer
    from adapter.signing.xmldsig import verify_xml

    signed = ephemeral_signer(SystemClock(), ma_cskcb="79001").sign(claim())
    with root_at_debug() as capture:
        verify_xml(signed)
    generated = demo_data.generate(encounters=7, seed=1, ma_cskcb=FACILITY)
    assert find_leaks(capture.lines, patient_values(generated), first=True) == []


def test_the_scanner_finds_what_it_looks_for(scenario: Scenario) -> None:
    """The scan itself can fail: a planted name (NFD and ASCII-folded) and a card are found."""
    name = next(v for v, k in scenario.values.items() if k == "name" and not v.isascii())
    card = next(v for v, k in scenario.values.items() if k == "card")
    planted = [
        f"x {unicodedata.normalize('NFD', name)} y",
        f"card={card}",
        "folded "
        + "".join(
            c for c in unicodedata.normalize("NFD", name.replace("Đ", "D")) if not unicodedata.combining(c)
        ),
    ]
    assert {leak.kind for leak in find_leaks(planted, scenario.values)} == {"name", "card"}
    assert len(find_leaks(planted, scenario.values)) >= 3


def test_logs_do_carry_ids(scenario: Scenario) -> None:
    """Logs are useful, not empty: they name MA_LK and rule codes."""
    text = "\n".join(scenario.lines)
    assert "ma_lk=79001_" in text
    assert "HIS_BAD_UTF8" in text or "HIS_BAD_DATE" in text
