"""Service helpers that need no database: facility files and department completion."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from registry_samples import DOCTOR, FACILITY

from adapter.errors import ConfigError
from adapter.registry.identifiers import TaxCodeSource
from adapter.registry.model import FacilityRecord
from adapter.registry.service import catalogue_key, load_facility_file, with_practitioner_departments


def test_facility_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "facility.json"
    path.write_text(
        json.dumps(
            {
                "ma_cskcb": "48001",
                "name": "BV",
                "tax_code": "0100109106-001",
                "tax_code_source": "synthetic_parent_suffix",
                "valid_from": "2025-01-01",
                "departments": [{"code": "K01", "name": "Khoa Khám bệnh"}],
            }
        ),
        encoding="utf-8",
    )
    facility = load_facility_file(path)
    assert facility.tax_code_source is TaxCodeSource.SYNTHETIC_SUFFIX
    assert facility.department_name("K01") == "Khoa Khám bệnh"
    assert str(facility.valid_from) == "2025-01-01"


@pytest.mark.parametrize(
    "content", ['{"name": "no code"}', "not json", '{"ma_cskcb": "1", "name": "x", "y": 1}']
)
def test_bad_facility_files_are_configuration_errors(tmp_path: Path, content: str) -> None:
    path = tmp_path / "facility.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError):
        load_facility_file(path)


def test_departments_of_the_staff_are_added_with_standard_names() -> None:
    bare = FacilityRecord(ma_cskcb="48001", name="BV")
    done = with_practitioner_departments(bare, [DOCTOR])
    assert [(d.code, d.name) for d in done.departments] == [
        ("K01", "Khoa Khám bệnh"),
        ("K03", "Khoa Nội tổng hợp"),
    ]
    assert with_practitioner_departments(FACILITY, [DOCTOR]) is FACILITY


def test_catalogue_key_is_one_per_day() -> None:
    from datetime import date

    assert catalogue_key(date(2026, 11, 22)) == "DM02-20261122"


def test_a_period_ending_before_it_starts_is_refused() -> None:
    from adapter.registry.convert import convert_row

    record, issues = convert_row(
        {"code": "C1", "name": "A", "valid_from": "20250201", "valid_to": "20250101"}, ma_cskcb="48001", row=4
    )
    assert record is None and [(i.rule, i.row, i.field) for i in issues] == [("IMPORT_PERIOD", 4, "valid_to")]
