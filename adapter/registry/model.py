"""Registry value objects: the facility with its departments, and practitioners with history.

These carry everything the BHXH staff catalogue (Mẫu 02/DM) and the national practice
registry list (NĐ 96 Mẫu 01) need. ``adapter.model.Practitioner`` is the slimmer view
the claim mappers use; ``RegisteredPractitioner.as_model()`` converts.

A record is one *period* of one practitioner: ``valid_from``/``valid_to`` are the
02/DM ``TU_NGAY``/``DEN_NGAY``. A change never edits a period in place: the old period
is closed and a new one opens (``adapter.registry.store``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import UTC, date, datetime, timedelta, timezone

from adapter.model import Practitioner
from adapter.registry.hours import WorkingHours, parse_hours
from adapter.registry.identifiers import TaxCodeSource

# Vietnam has had no daylight saving since 1975: a fixed offset is exact and, unlike
# zoneinfo, needs no tz database (absent on Windows without the tzdata package).
VIETNAM = timezone(timedelta(hours=7), "ICT")


def local_day(moment: datetime) -> date:
    """The Vietnamese calendar day of a stored instant (naive values are UTC, as stored)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(VIETNAM).date()


@dataclass(frozen=True, kw_only=True, slots=True)
class Department:
    code: str                  # MA_KHOA (QĐ 5937 PL5 -> QĐ 1804 PL02)
    name: str


@dataclass(frozen=True, kw_only=True, slots=True)
class FacilityRecord:
    """The facility as registered (one period)."""

    ma_cskcb: str                                  # 5-character BHXH code
    name: str
    national_id: str | None = None                 # 13-digit id issued by QLHN
    tax_code: str | None = None
    tax_code_source: TaxCodeSource | None = None   # never guess: synthetic codes are not tax identities
    address: str | None = None
    person_responsible: str | None = None          # người phụ trách chuyên môn (name), for NĐ 96 Mẫu 01
    hours_day: str | None = None                   # facility working hours, same syntax as THOIGIAN_NGAY
    hours_week: str | None = None
    departments: tuple[Department, ...] = ()
    valid_from: date | None = None
    valid_to: date | None = None

    def department_name(self, code: str) -> str | None:
        return next((d.name for d in self.departments if d.code == code), None)


@dataclass(frozen=True, kw_only=True, slots=True)
class RegisteredPractitioner:
    """One period of one practitioner, with every 02/DM column plus registry extras."""

    code: str                                  # the code the HIS writes on claim lines (3176: GPHN)
    name: str                                  # HO_TEN
    ma_cskcb: str = ""                         # MA_CSKCB of the main facility
    cccd: str | None = None                    # SO_DINH_DANH (12-digit personal id)
    bhxh_code: str | None = None               # 10-digit social-insurance code (pre-TT12 MA_BHXH)
    gender: str | None = None                  # GIOI_TINH: 1 male, 2 female, 3 undetermined
    licence_no: str | None = None              # MACCHN
    licence_kind: str | None = None            # "CCHN" or "GPHN"
    licence_issuer: str | None = None          # NOICAP_CCHN
    licence_date: date | None = None           # NGAYCAP_CCHN
    licence_expires: date | None = None        # GPHN validity end (5 years), if known
    title: str | None = None                   # CHUCDANH_NN code
    position: str | None = None                # VI_TRI code
    scope: str | None = None                   # PHAMVI_CM
    scope_extra: str | None = None             # PHAMVI_CMBS, "YYYYMMDD_Z;..."
    other_services: str | None = None          # DVKT_KHAC, ";" list
    assignment_doc: str | None = None          # VB_PHANCONG
    departments: tuple[str, ...] = ()          # MA_KHOA codes
    employment: str | None = None              # THOIGIAN_DK: 1 full time, 2 part time
    hours_day: str | None = None               # THOIGIAN_NGAY
    hours_week: str | None = None              # THOIGIAN_TUAN
    other_facilities: str | None = None        # CSKCB_KHAC
    transfer_facility: str | None = None       # CSKCB_CGKT
    transfer_decision: str | None = None       # QD_CGKT
    valid_from: date | None = None             # TU_NGAY
    valid_to: date | None = None               # DEN_NGAY; None = open

    def valid_on(self, day: date) -> bool:
        starts = self.valid_from is None or self.valid_from <= day
        return starts and (self.valid_to is None or day <= self.valid_to)

    @property
    def hours(self) -> WorkingHours:
        return parse_hours(self.hours_day, self.hours_week)

    def attributes(self) -> dict[str, object]:
        """Everything but the period: two periods with equal attributes are the same registration."""
        skip = ("valid_from", "valid_to")
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in skip}

    def with_period(self, valid_from: date | None, valid_to: date | None) -> RegisteredPractitioner:
        return replace(self, valid_from=valid_from, valid_to=valid_to)

    def as_model(self) -> Practitioner:
        return Practitioner(code=self.code, name=self.name, cccd=self.cccd, licence_no=self.licence_no,
                            licence_kind=self.licence_kind, title=self.title, departments=self.departments,
                            valid_from=self.valid_from, valid_to=self.valid_to)


PRACTITIONER_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(RegisteredPractitioner))
