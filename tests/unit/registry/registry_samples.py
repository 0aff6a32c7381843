"""Sample registry data shared by the registry tests (no real people: names and ids are made up)."""

from __future__ import annotations

from datetime import date

from adapter.registry.identifiers import TaxCodeSource
from adapter.registry.model import Department, FacilityRecord, RegisteredPractitioner

FACILITY = FacilityRecord(
    ma_cskcb="48001",
    name="Bệnh viện Đa khoa Mẫu Đà Nẵng",
    national_id="4006381333931",
    tax_code="0100109106",
    tax_code_source=TaxCodeSource.ENTERPRISE_10,
    address="1 Lê Lợi, Đà Nẵng",
    person_responsible="Nguyễn Văn Trưởng",
    hours_day="0700-1700",
    hours_week="T2T3T4T5T6T7",
    departments=(
        Department(code="K01", name="Khoa Khám bệnh"),
        Department(code="K03", name="Khoa Nội tổng hợp"),
        Department(code="K02.D35", name="Đơn nguyên Hồi sức & Chống độc"),
    ),
)

DOCTOR = RegisteredPractitioner(
    code="000123/ĐNA-GPHN",
    name="Trần Thị Bác Sĩ",
    ma_cskcb="48001",
    cccd="048190001234",
    bhxh_code="4812345678",
    gender="2",
    licence_no="000123/ĐNA-GPHN",
    licence_kind="GPHN",
    licence_issuer="Sở Y tế Đà Nẵng",
    licence_date=date(2024, 3, 1),
    licence_expires=date(2029, 2, 28),
    title="1",
    position="2",
    scope="KB-NOI",
    scope_extra="20240301_1",
    other_services="02.0001;03.1234",
    assignment_doc="20240305_2",
    departments=("K01", "K03"),
    employment="1",
    hours_day="0700-1700",
    hours_week="T2T3T4T5T6",
    other_facilities="48002",
    valid_from=date(2024, 3, 5),
)

NURSE = RegisteredPractitioner(
    code="006946/ĐNA-CCHN",
    name="Lê Văn Điều Dưỡng",
    ma_cskcb="48001",
    cccd="048090005678",
    gender="1",
    licence_no="006946/ĐNA-CCHN",
    licence_kind="CCHN",
    licence_issuer="Sở Y tế Đà Nẵng",
    licence_date=date(2015, 6, 1),
    title="3",
    departments=("K02.D35",),
    employment="2",
    hours_day="T20800-1500;T30700-1100",
    hours_week="T2T3",
    valid_from=date(2020, 1, 1),
    valid_to=date(2026, 12, 31),
)

TRAINEE_SUPERVISOR = RegisteredPractitioner(
    code="000465/HCM-GPHN",
    name="Phạm Giám Sát",
    ma_cskcb="48001",
    cccd="079080001111",
    gender="1",
    licence_no="000465/HCM-GPHN",
    licence_kind="GPHN",
    title="1",
    departments=("K03",),
    valid_from=date(2025, 1, 1),
)

STAFF = (DOCTOR, NURSE, TRAINEE_SUPERVISOR)
