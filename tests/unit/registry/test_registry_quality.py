"""Data-quality report: required, sizes, formats, duplicates, expiry, claim usage."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from registry_samples import DOCTOR, FACILITY, NURSE, STAFF, TRAINEE_SUPERVISOR

from adapter.registry.convert import title_code
from adapter.registry.quality import quality_report
from adapter.validation.issues import Severity

TODAY = date(2026, 11, 22)


def rules(findings: list) -> set[tuple[str, str, str]]:  # type: ignore[type-arg]
    return {(f.rule, f.practitioner, f.field) for f in findings}


def test_clean_sample_has_only_expected_findings() -> None:
    findings = quality_report(FACILITY, STAFF, today=TODAY)
    assert rules(findings) == {("REGISTRATION_ENDING", NURSE.code, "DEN_NGAY")}  # ends within 60 days


def test_required_sizes_formats_and_codes() -> None:
    broken = replace(
        DOCTOR,
        cccd=None,
        departments=("K1",),
        licence_no="0028445/HCM-CCHNN",
        licence_kind=None,
        scope="X" * 16,
        gender="4",
        hours_day="7h-17h",
    )
    found = rules(quality_report(FACILITY, [broken], today=TODAY))
    assert {
        ("REGISTRY_REQUIRED", DOCTOR.code, "SO_DINH_DANH"),
        ("MA_KHOA_FORMAT", DOCTOR.code, "MA_KHOA"),
        ("LICENCE_FORMAT", DOCTOR.code, "MACCHN"),
        ("REGISTRY_LENGTH", DOCTOR.code, "PHAMVI_CM"),
        ("REGISTRY_CODE_VALUE", DOCTOR.code, "GIOI_TINH"),
        ("HOURS_DAY_FORMAT", DOCTOR.code, "THOIGIAN_NGAY"),
    } <= found


def test_department_must_exist_in_the_facility() -> None:
    found = rules(quality_report(FACILITY, [replace(DOCTOR, departments=("K44",))], today=TODAY))
    assert ("MA_KHOA_UNKNOWN", DOCTOR.code, "MA_KHOA") in found


def test_duplicates_among_overlapping_periods_only() -> None:
    twin = replace(NURSE, code="000999/ĐNA-GPHN", licence_no="000999/ĐNA-GPHN", licence_kind="GPHN")
    found = rules(quality_report(FACILITY, [NURSE, twin], today=TODAY))
    assert ("REGISTRY_DUPLICATE", NURSE.code, "SO_DINH_DANH") in found
    earlier = replace(NURSE, valid_from=date(2018, 1, 1), valid_to=date(2019, 12, 31))
    assert not any(
        f.rule == "REGISTRY_DUPLICATE" for f in quality_report(FACILITY, [earlier, NURSE], today=TODAY)
    )


def test_expired_and_expiring_licences() -> None:
    expired = replace(DOCTOR, licence_expires=date(2026, 1, 1))
    soon = replace(TRAINEE_SUPERVISOR, licence_expires=date(2026, 12, 15))
    findings = quality_report(FACILITY, [expired, soon], today=TODAY)
    by_rule = {f.rule: f for f in findings}
    assert by_rule["LICENCE_EXPIRED"].severity is Severity.BLOCKING
    assert by_rule["LICENCE_EXPIRED"].practitioner == DOCTOR.code
    assert by_rule["LICENCE_EXPIRING"].severity is Severity.WARNING


def test_claim_usage_both_ways() -> None:
    used = {DOCTOR.code + ".HD.48002", "999999/ĐNA-GPHN", NURSE.code.replace("Đ", "D")}
    findings = quality_report(FACILITY, STAFF, today=TODAY, used=used)
    assert ("CLAIM_CODE_NOT_IN_CATALOGUE", "999999/ĐNA-GPHN", "MA_BAC_SI") in rules(findings)
    unused = [f.practitioner for f in findings if f.rule == "CATALOGUE_ROW_UNUSED"]
    assert unused == [TRAINEE_SUPERVISOR.code]


def test_facility_level_findings() -> None:
    bad = replace(FACILITY, tax_code="0100109107", national_id="4006381333932")
    found = {(f.rule, f.field) for f in quality_report(bad, [], today=TODAY)}
    assert found == {("TAX_CODE_CHECK_DIGIT", "tax_code"), ("FACILITY_ID_GS1", "national_id")}


def test_findings_never_carry_the_cccd() -> None:
    broken = replace(DOCTOR, cccd="999290001234")
    text = repr([f.as_dict() for f in quality_report(FACILITY, [broken], today=TODAY)])
    assert "999290001234" not in text and "CCCD_BIRTH_YEAR" in text


def test_title_text_maps_to_chucdanh_codes() -> None:
    assert [title_code(t) for t in ("Bác sĩ", "bác  sỹ", "Điều dưỡng", "3", "Giáo sư", None)] == [
        "1",
        "1",
        "3",
        "3",
        "Giáo sư",
        None,
    ]
