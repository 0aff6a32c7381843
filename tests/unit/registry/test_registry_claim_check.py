"""Claim check: practitioner codes on XML1..5 against the registry on the order date."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest
from registry_samples import DOCTOR, NURSE, STAFF, TRAINEE_SUPERVISOR

from adapter.registry.claim_check import (
    RegistryPractitioners,
    check_claim_practitioners,
    parse_claim_time,
    supervising_code,
)
from adapter.validation.issues import Severity

REGISTRY = RegistryPractitioners(STAFF)


@pytest.mark.parametrize(
    ("code", "base"),
    [
        ("000465/HCM-GPHN.TX.79001", "000465/HCM-GPHN"),
        ("000465/HCM-GPHN.HD.48002", "000465/HCM-GPHN"),
        ("000465/HCM-GPHN.CG.01001", "000465/HCM-GPHN"),
        ("4812345678.C.48002", "4812345678"),
        ("000465/HCM-GPHN.079301000123", "000465/HCM-GPHN"),
        (" 000465/hcm-gphn ", "000465/HCM-GPHN"),
    ],
)
def test_suffixes_resolve_to_the_supervising_code(code: str, base: str) -> None:
    assert supervising_code(code) == base


def test_status_on_a_date() -> None:
    assert REGISTRY.status("000123/ĐNA-GPHN", date(2025, 1, 1)) == "valid"
    assert REGISTRY.status("000123/DNA-GPHN", date(2025, 1, 1)) == "valid"  # Đ folded
    assert REGISTRY.status("000123/ĐNA-GPHN", date(2024, 3, 4)) == "expired"  # before TU_NGAY
    assert REGISTRY.status("006946/ĐNA-CCHN", date(2027, 1, 1)) == "expired"  # after DEN_NGAY
    assert REGISTRY.status("999999/ĐNA-GPHN", date(2025, 1, 1)) == "unknown"


def test_bhxh_code_and_cccd_also_match() -> None:
    assert REGISTRY.status(DOCTOR.bhxh_code or "", date(2025, 1, 1)) == "valid"
    assert REGISTRY.status(DOCTOR.cccd or "", date(2025, 1, 1)) == "valid"


def test_hours_are_checked_when_a_time_is_given() -> None:
    assert REGISTRY.status("000123/ĐNA-GPHN", datetime(2025, 6, 2, 9, 0)) == "valid"  # Monday
    assert REGISTRY.status("000123/ĐNA-GPHN", datetime(2025, 6, 2, 19, 0)) == "outside_hours"
    assert REGISTRY.status("000123/ĐNA-GPHN", datetime(2025, 6, 1, 9, 0)) == "outside_hours"  # Sunday
    assert REGISTRY.status("000465/HCM-GPHN", datetime(2025, 6, 1, 3, 0)) == "valid"  # no hours known


def test_a_trainee_is_checked_against_the_supervisor() -> None:
    trainee = f"{TRAINEE_SUPERVISOR.code}.079301000123"
    assert REGISTRY.status(trainee, date(2025, 2, 1)) == "valid"
    assert REGISTRY.status(trainee, date(2024, 12, 31)) == "expired"


def _claim() -> dict[int, list[dict[str, str]]]:
    return {
        1: [{"MA_LK": "LK1", "NGAY_VAO": "202506020800", "NGAY_RA": "202506021100", "MA_TTDV": DOCTOR.code}],
        2: [
            {"STT": "1", "MA_BAC_SI": DOCTOR.code, "NGAY_YL": "202506020900"},
            {"STT": "2", "MA_BAC_SI": f"{DOCTOR.code};999999/ĐNA-GPHN", "NGAY_YL": "202506020905"},
        ],
        3: [
            {
                "STT": "1",
                "MA_BAC_SI": DOCTOR.code,
                "NGUOI_THUC_HIEN": NURSE.code,
                "NGAY_YL": "202506020910",
                "NGAY_TH_YL": "202506021600",
            },
            {"STT": "2", "MA_BAC_SI": DOCTOR.code, "NGUOI_THUC_HIEN": "", "NGAY_YL": "202506022000"},
        ],
        4: [{"STT": "1", "MA_BS_DOC_KQ": "000465/HCM-GPHN", "NGAY_KQ": "202506021000"}],
        5: [{"STT": "1", "NGUOI_THUC_HIEN": NURSE.code, "THOI_DIEM_DBLS": "202506021000"}],
    }


def test_claim_check_reports_located_issues() -> None:
    issues = check_claim_practitioners(_claim(), REGISTRY, ma_lk="LK1")
    found = sorted((i.location, i.rule, i.severity) for i in issues)
    assert found == [
        ("XML2[2].MA_BAC_SI", "PRACTITIONER_NOT_REGISTERED", Severity.BLOCKING),
        ("XML3[1].NGUOI_THUC_HIEN", "PRACTITIONER_OUTSIDE_HOURS", Severity.WARNING),  # Monday 16:00 > 15:00
        ("XML3[2].MA_BAC_SI", "PRACTITIONER_OUTSIDE_HOURS", Severity.WARNING),
    ]
    assert all(i.ma_lk == "LK1" and i.message_vi and i.message_en for i in issues)


def test_claim_on_a_date_after_the_registration_ended_is_blocking() -> None:
    claim = {5: [{"STT": "1", "NGUOI_THUC_HIEN": NURSE.code, "THOI_DIEM_DBLS": "202701040900"}]}
    issues = check_claim_practitioners(claim, REGISTRY, ma_lk="LK2")
    assert [(i.rule, i.blocking) for i in issues] == [("PRACTITIONER_NOT_REGISTERED", True)]


def test_missing_row_date_falls_back_to_ngay_vao_and_xml1_has_no_row() -> None:
    claim = {
        1: [{"NGAY_VAO": "202001010800", "NGAY_RA": "", "MA_TTDV": DOCTOR.code}],
        2: [{"STT": "7", "MA_BAC_SI": DOCTOR.code, "NGAY_YL": ""}],
    }
    issues = check_claim_practitioners(claim, REGISTRY, ma_lk="LK3")
    assert sorted(i.location for i in issues) == ["XML1.MA_TTDV", "XML2[7].MA_BAC_SI"]


def test_claim_times() -> None:
    assert parse_claim_time("202506021600") == datetime(2025, 6, 2, 16, 0)
    assert parse_claim_time("20250602") == datetime(2025, 6, 2)
    assert parse_claim_time("202513021600") is None
    assert parse_claim_time("") is None


def test_the_snapshot_can_be_limited_to_one_facility() -> None:
    elsewhere = replace(
        DOCTOR,
        ma_cskcb="48002",
        code="000888/ĐNA-GPHN",
        licence_no="000888/ĐNA-GPHN",
        cccd=None,
        bhxh_code=None,
    )
    registry = RegistryPractitioners([*STAFF, elsewhere], ma_cskcb="48001")
    assert registry.size == len(STAFF)
    assert registry.status(elsewhere.code, date(2025, 1, 1)) == "unknown"
    assert RegistryPractitioners([*STAFF, elsewhere]).status(elsewhere.code, date(2025, 1, 1)) == "valid"
