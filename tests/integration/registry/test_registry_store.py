"""Registry store on real databases: SCD type 2 periods, closing only, facility versions."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from registry_samples import DOCTOR, FACILITY, NURSE, STAFF
from sqlalchemy import Engine

from adapter.registry.identifiers import TaxCodeSource
from adapter.registry.model import Department
from adapter.registry.store import RegistryStore

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
LATER = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)


def _store(engine: Engine) -> RegistryStore:
    store = RegistryStore(engine)
    store.create_tables()
    return store


def test_first_import_inserts_and_a_repeat_changes_nothing(engine: Engine) -> None:
    store = _store(engine)
    first = store.sync_practitioners(STAFF, ma_cskcb="48001", effective=date(2026, 11, 22), now=NOW)
    again = store.sync_practitioners(STAFF, ma_cskcb="48001", effective=date(2026, 12, 1), now=LATER)
    assert (first.inserted, first.closed, first.unchanged) == (3, 0, 0)
    assert (again.inserted, again.closed, again.unchanged) == (0, 0, 3)
    by_code = {p.record.code: p.record for p in store.periods()}
    assert by_code == {p.code: p for p in STAFF}  # every column round-trips


def test_a_change_closes_the_old_period_and_opens_a_new_one(engine: Engine) -> None:
    store = _store(engine)
    store.sync_practitioners([DOCTOR], ma_cskcb="48001", effective=date(2026, 1, 1), now=NOW)
    moved = replace(DOCTOR, departments=("K03",), hours_day="0700-1130")
    result = store.sync_practitioners([moved], ma_cskcb="48001", effective=date(2026, 12, 1), now=LATER)
    assert (result.inserted, result.closed) == (1, 1)
    history = store.history(DOCTOR.code)
    assert [(p.record.valid_from, p.record.valid_to) for p in history] == [
        (date(2024, 3, 5), date(2026, 11, 30)),
        (date(2026, 12, 1), None),
    ]
    assert history[0].record.departments == ("K01", "K03")  # old attributes untouched
    assert history[0].closed_at is not None and history[1].closed_at is None
    assert [p.departments for p in store.practitioners_on(date(2026, 12, 1))] == [("K03",)]
    # Submitted the day the change is recorded: the closing row travels with the new one.
    recorded = history[0].closed_at
    assert recorded is not None
    sent = store.periods_since(recorded.date(), ma_cskcb="48001")
    assert [(p.valid_from, p.valid_to) for p in sent] == [(date(2024, 3, 5), date(2026, 11, 30)),
                                                          (date(2026, 12, 1), None)]


def test_a_change_on_the_first_day_voids_the_period(engine: Engine) -> None:
    store = _store(engine)
    new = replace(DOCTOR, valid_from=date(2026, 12, 1))
    store.sync_practitioners([new], ma_cskcb="48001", effective=date(2026, 12, 1), now=NOW)
    fixed = replace(new, title="2")
    store.sync_practitioners([fixed], ma_cskcb="48001", effective=date(2026, 12, 1), now=LATER)
    assert [p.record.title for p in store.periods()] == ["2"]
    history = store.history(DOCTOR.code)
    assert [p.void for p in history] == [True, False]


def test_leaving_closes_and_rehiring_opens_a_new_period(engine: Engine) -> None:
    store = _store(engine)
    store.sync_practitioners([DOCTOR], ma_cskcb="48001", effective=date(2026, 1, 1), now=NOW)
    left = replace(DOCTOR, valid_to=date(2026, 6, 30))
    assert store.sync_practitioners([left], ma_cskcb="48001", effective=date(2026, 7, 1), now=NOW).closed == 1
    back = replace(DOCTOR, valid_from=date(2026, 9, 1))
    rehired = store.sync_practitioners([back], ma_cskcb="48001", effective=date(2026, 9, 1), now=LATER)
    assert rehired.inserted == 1
    assert [(p.record.valid_from, p.record.valid_to) for p in store.history(DOCTOR.code)] == [
        (date(2024, 3, 5), date(2026, 6, 30)),
        (date(2026, 9, 1), None),
    ]
    assert store.practitioners_on(date(2026, 8, 1)) == []


def test_a_new_code_for_the_same_person_is_a_new_period(engine: Engine) -> None:
    store = _store(engine)
    store.sync_practitioners([NURSE], ma_cskcb="48001", effective=date(2024, 1, 1), now=NOW)
    converted = replace(
        NURSE,
        code="000999/ĐNA-GPHN",
        licence_no="000999/ĐNA-GPHN",
        licence_kind="GPHN",
        valid_from=date(2025, 1, 1),
    )
    store.sync_practitioners([converted], ma_cskcb="48001", effective=date(2025, 1, 1), now=LATER)
    periods = [p.record for p in store.periods()]
    assert [(p.code, p.valid_to) for p in sorted(periods, key=lambda p: p.valid_from or date.min)] == [
        ("006946/ĐNA-CCHN", date(2024, 12, 31)),
        ("000999/ĐNA-GPHN", date(2026, 12, 31)),
    ]
    assert len(store.history("048090005678")) == 2  # found by CCCD


def test_a_future_change_is_not_reported_missing(engine: Engine) -> None:
    store = _store(engine)
    store.sync_practitioners([DOCTOR], ma_cskcb="48001", effective=date(2026, 1, 1), now=NOW)
    planned = replace(DOCTOR, title="2", valid_from=date(2027, 1, 1))
    result = store.sync_practitioners([planned], ma_cskcb="48001", effective=date(2026, 11, 22), now=NOW,
                                      close_missing=True)
    assert (result.missing, result.closed, result.inserted) == ((), 1, 1)
    assert [p.record.valid_to for p in store.history(DOCTOR.code)] == [date(2026, 12, 31), None]


def test_missing_practitioners_are_reported_and_closed_only_on_request(engine: Engine) -> None:
    store = _store(engine)
    store.sync_practitioners(STAFF, ma_cskcb="48001", effective=date(2026, 1, 1), now=NOW)
    report = store.sync_practitioners([DOCTOR], ma_cskcb="48001", effective=date(2026, 2, 1), now=NOW)
    assert sorted(report.missing) == sorted([NURSE.code, "000465/HCM-GPHN"])
    assert len(store.practitioners_on(date(2026, 2, 1))) == 3
    closed = store.sync_practitioners(
        [DOCTOR], ma_cskcb="48001", effective=date(2026, 2, 1), now=NOW, close_missing=True
    )
    assert closed.closed == 2
    assert [p.code for p in store.practitioners_on(date(2026, 2, 1))] == [DOCTOR.code]


def test_facility_versions_keep_departments_and_history(engine: Engine) -> None:
    store = _store(engine)
    assert store.save_facility(FACILITY, effective=date(2026, 1, 1), now=NOW)
    assert not store.save_facility(FACILITY, effective=date(2026, 2, 1), now=NOW)
    grown = replace(
        FACILITY,
        departments=(*FACILITY.departments, Department(code="K44", name="Khoa Dược")),
        tax_code="0100109106-001",
        tax_code_source=TaxCodeSource.SYNTHETIC_SUFFIX,
    )
    assert store.save_facility(grown, effective=date(2026, 3, 1), now=LATER)
    old = store.facility("48001", on=date(2026, 2, 15))
    new = store.facility("48001")
    assert old is not None and new is not None
    assert len(old.departments) == 3 and old.valid_to == date(2026, 2, 28)
    assert [d.code for d in new.departments][-1] == "K44"
    assert new.tax_code_source is TaxCodeSource.SYNTHETIC_SUFFIX
    assert store.facility("48001", on=date(2025, 12, 31)) is None
