"""Pure validators for registry identifiers: tax code, CCCD, licence number, MA_KHOA, MA_CSKCB.

Every validator returns located ``Problem`` values and never raises on bad data: an
operator fixes the master data from the report, the adapter keeps going. Messages
name the field and the rule, never the value (a CCCD is personal data).

Sources (``identifiers-and-registry.md``): MST weights and the ``r == 0`` rejection
follow python-stdnum (§2.3); CCCD has no check digit, so only its structure is checked
(§2.1); licence numbers have no official grammar, so an unparseable number is a
warning for review, not a rejection (§1.2).
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from adapter.validation.issues import Severity


@dataclass(frozen=True, kw_only=True, slots=True)
class Problem:
    """One finding on one field of one registry record."""

    code: str                  # stable rule code, e.g. "TAX_CODE_CHECK_DIGIT"
    field: str                 # record attribute, e.g. "tax_code"
    severity: Severity
    message_en: str
    message_vi: str = ""


def error(code: str, field: str, en: str, vi: str = "") -> Problem:
    return Problem(code=code, field=field, severity=Severity.BLOCKING, message_en=en, message_vi=vi)


def warning(code: str, field: str, en: str, vi: str = "") -> Problem:
    return Problem(code=code, field=field, severity=Severity.WARNING, message_en=en, message_vi=vi)


# --- tax code (mã số thuế) -------------------------------------------------------------

class TaxCodeSource(enum.StrEnum):
    """Where a facility's tax code came from: the same syntax can mean different things."""

    ENTERPRISE_10 = "tax_enterprise_10"              # issued by the tax authority
    BRANCH_13 = "tax_branch_13"                      # tax-issued dependent-unit code
    SYNTHETIC_SUFFIX = "synthetic_parent_suffix"     # Da Nang rule: parent MST-NNN, NOT a tax identity
    PERSONAL_ID_12 = "personal_id_12"                # TT 86/2024: personal id used as MST


class TaxCodeForm(enum.StrEnum):
    TEN = "10"
    THIRTEEN = "13"
    PERSONAL_12 = "12"
    INVALID = "invalid"


MST_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
_MST = re.compile(r"(\d{10})(?:-(\d{3}))?")


def normalize_tax_code(raw: str) -> str:
    """Strip spaces and dots and fold Unicode dashes, as people type and Excel stores it."""
    text = re.sub(r"[\s.]", "", unicodedata.normalize("NFC", raw or ""))
    return text.replace("\u2013", "-").replace("\u2014", "-").replace("\u2212", "-")


def mst_check_digit(first_nine: str) -> int | None:
    """The 10th digit for nine digits, or None when the remainder is 0 (never issued)."""
    remainder = sum(int(d) * w for d, w in zip(first_nine, MST_WEIGHTS, strict=True)) % 11
    return None if remainder == 0 else 10 - remainder


def tax_code_form(raw: str) -> TaxCodeForm:
    """The syntactic form of a tax code, ignoring the check digit."""
    text = normalize_tax_code(raw)
    if re.fullmatch(r"\d{12}", text):
        return TaxCodeForm.PERSONAL_12
    m = _MST.fullmatch(text)
    if not m:
        return TaxCodeForm.INVALID
    return TaxCodeForm.THIRTEEN if m.group(2) else TaxCodeForm.TEN


def check_tax_code(raw: str | None, *, source: TaxCodeSource | None = None,
                   field: str = "tax_code") -> list[Problem]:
    """Validate a tax code and, when given, its declared source."""
    text = normalize_tax_code(raw or "")
    if not text:
        return []
    form = tax_code_form(text)
    if form is TaxCodeForm.INVALID:
        return [_format_problem(text, field)]
    problems = [] if form is TaxCodeForm.PERSONAL_12 else _check_mst_parts(text, field)
    return problems + _source_problems(form, source, field)


def _format_problem(text: str, field: str) -> Problem:
    if re.fullmatch(r"\d{9}(-\d{3})?", text):
        return error("TAX_CODE_LEADING_ZERO", field,
                     "tax code has 9 digits: a leading 0 was probably lost in a spreadsheet",
                     "MST chỉ có 9 chữ số: có thể bảng tính đã bỏ số 0 đầu")
    return error("TAX_CODE_FORMAT", field,
                 "tax code must be 10 digits, 10 digits-NNN, or a 12-digit personal id",
                 "MST phải gồm 10 số, 10 số-NNN hoặc số định danh cá nhân 12 số")


def _check_mst_parts(text: str, field: str) -> list[Problem]:
    m = _MST.fullmatch(text)
    assert m is not None
    base, suffix = m.group(1), m.group(2)
    problems: list[Problem] = []
    if base[2:9] == "0000000":
        problems.append(error("TAX_CODE_SEQUENCE", field, "tax code sequence 0000000 is never issued",
                              "Dãy số thứ tự 0000000 không được cấp"))
    if suffix == "000":
        problems.append(error("TAX_CODE_BRANCH_SUFFIX", field, "branch suffix must be 001 to 999",
                              "Hậu tố đơn vị phụ thuộc phải từ 001 đến 999"))
    if mst_check_digit(base[:9]) != int(base[9]):
        problems.append(error("TAX_CODE_CHECK_DIGIT", field, "tax code check digit is wrong",
                              "Chữ số kiểm tra của MST không đúng"))
    return problems


_FORMS_BY_SOURCE = {
    TaxCodeSource.ENTERPRISE_10: TaxCodeForm.TEN,
    TaxCodeSource.BRANCH_13: TaxCodeForm.THIRTEEN,
    TaxCodeSource.SYNTHETIC_SUFFIX: TaxCodeForm.THIRTEEN,
    TaxCodeSource.PERSONAL_ID_12: TaxCodeForm.PERSONAL_12,
}


def _source_problems(form: TaxCodeForm, source: TaxCodeSource | None, field: str) -> list[Problem]:
    if source is None:
        if form is TaxCodeForm.THIRTEEN:
            # Da Nang's synthetic "parent-NNN" codes look exactly like tax-issued branch codes.
            return [warning("TAX_CODE_SOURCE_UNKNOWN", field,
                            "13-character tax code without a declared source (tax branch or synthetic)",
                            "MST 13 ký tự chưa ghi rõ nguồn (chi nhánh do thuế cấp hay mã tự đặt)")]
        return []
    if _FORMS_BY_SOURCE[source] is not form:
        return [error("TAX_CODE_SOURCE_MISMATCH", field,
                      f"tax code form {form.value} does not match its declared source {source.value}",
                      "Dạng MST không khớp với nguồn khai báo")]
    return []


def is_tax_identity(source: TaxCodeSource | None) -> bool:
    """Whether the code may be used where a real tax identity is needed (e-invoices)."""
    return source is not None and source is not TaxCodeSource.SYNTHETIC_SUFFIX


# --- CCCD / personal id ------------------------------------------------------------------

CCCD_PROVINCES_63 = frozenset("""001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027
030 031 033 034 035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068
070 072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096""".split())


@dataclass(frozen=True, kw_only=True, slots=True)
class CccdParts:
    province: str              # place of birth registration (or a country code)
    male: bool
    birth_year: int


def parse_cccd(raw: str | None) -> CccdParts | None:
    """The structural parts of a 12-digit personal id, or None when it is not 12 digits."""
    m = re.fullmatch(r"(\d{3})(\d)(\d{2})(\d{6})", (raw or "").strip())
    if not m:
        return None
    century_sex = int(m.group(2))
    year = 1900 + 100 * (century_sex // 2) + int(m.group(3))
    return CccdParts(province=m.group(1), male=century_sex % 2 == 0, birth_year=year)


def check_cccd(raw: str | None, *, today: date, birth_year: int | None = None, gender: str | None = None,
               field: str = "cccd") -> list[Problem]:
    """Structure of a CCCD: 12 digits, province prefix, century/sex digit, birth year. No checksum."""
    text = (raw or "").strip()
    if not text:
        return []
    parts = parse_cccd(text)
    if parts is None:
        return [error("CCCD_FORMAT", field, "personal id must be 12 digits",
                      "Số định danh phải gồm 12 chữ số")]
    problems: list[Problem] = []
    if parts.province not in CCCD_PROVINCES_63:
        problems.append(warning("CCCD_PROVINCE", field,
                                "personal id prefix is not a province code (country code?)",
                                "Ba số đầu không phải mã tỉnh (có thể là mã quốc gia)"))
    if parts.birth_year > today.year:
        problems.append(error("CCCD_BIRTH_YEAR", field, "personal id encodes a birth year in the future",
                              "Năm sinh trong số định danh ở tương lai"))
    elif birth_year is not None and parts.birth_year != birth_year:
        problems.append(error("CCCD_BIRTH_YEAR", field,
                              "personal id birth year differs from the date of birth",
                              "Năm sinh trong số định danh khác ngày sinh"))
    if gender in ("1", "2") and parts.male != (gender == "1"):
        problems.append(error("CCCD_SEX", field, "personal id sex digit differs from GIOI_TINH",
                              "Chữ số giới tính trong số định danh khác GIOI_TINH"))
    return problems


# --- licence number (CCHN / GPHN) --------------------------------------------------------

class LicenceKind(enum.StrEnum):
    CCHN = "CCHN"              # practising certificate, before 2024
    GPHN = "GPHN"              # practice licence, Law 15/2023


_LICENCE = re.compile(r"(?P<serial>\d{1,7})/(?P<issuer>[A-Z]{2,4})-?(?P<kind>CCHN|GPHN)")


@dataclass(frozen=True, kw_only=True, slots=True, order=True)
class LicenceKey:
    """Matching key: kind stays in it because GPHN serials restarted at low numbers."""

    kind: LicenceKind
    issuer: str
    serial: int


def fold_licence(raw: str | None) -> str:
    """NFC, upper case, Đ -> D, no whitespace: the form licence numbers are compared in."""
    text = unicodedata.normalize("NFC", raw or "").upper().replace("Đ", "D")
    return re.sub(r"\s+", "", text)


def licence_key(raw: str | None) -> LicenceKey | None:
    m = _LICENCE.fullmatch(fold_licence(raw))
    if not m:
        return None
    return LicenceKey(kind=LicenceKind(m["kind"]), issuer=m["issuer"], serial=int(m["serial"]))


def check_licence(raw: str | None, *, kind: str | None = None, field: str = "licence_no") -> list[Problem]:
    """A licence number that does not parse goes to review (warning): there is no official grammar."""
    text = (raw or "").strip()
    if not text:
        return []
    key = licence_key(text)
    if key is None:
        return [warning("LICENCE_FORMAT", field,
                        "licence number does not look like NNNNNN/ISSUER-CCHN|GPHN; review it",
                        "Số CCHN/GPHN không đúng dạng NNNNNN/NƠI CẤP-CCHN|GPHN; cần rà soát")]
    if kind and kind.upper() != key.kind.value:
        return [error("LICENCE_KIND_MISMATCH", field, "licence kind differs from the kind in the number",
                      "Loại giấy phép khác với loại ghi trong số")]
    return []


# --- department, facility and other codes ------------------------------------------------

MA_KHOA = re.compile(r"K\d{2}(?:\d{2})*(?:\.(?:\d{1,2}|D\d{2}))?")
MA_CSKCB = re.compile(r"\d{5}")


def check_ma_khoa(raw: str | None, *, known: frozenset[str] | None = None, field: str = "departments"
                  ) -> list[Problem]:
    """Each ";" element must be a department code (K01, K0809, K16.1, K02.D35) and, if given, known."""
    problems: list[Problem] = []
    for item in split_list(raw):
        if not MA_KHOA.fullmatch(item):
            problems.append(error("MA_KHOA_FORMAT", field,
                                  "department code must look like K01, K0809, K16.1, K02.D35",
                                  "Mã khoa không đúng dạng (K01, K0809, K16.1, K02.D35)"))
        elif known is not None and item not in known:
            problems.append(error("MA_KHOA_UNKNOWN", field,
                                  "department code is not a department of the facility",
                                  "Mã khoa không có trong danh mục khoa của cơ sở"))
    return problems


def check_ma_cskcb(raw: str | None, *, field: str = "ma_cskcb") -> list[Problem]:
    if MA_CSKCB.fullmatch((raw or "").strip()):
        return []
    return [error("MA_CSKCB_FORMAT", field, "facility code must be 5 digits", "Mã CSKCB phải gồm 5 chữ số")]


def gs1_check_ok(code: str) -> bool:
    """GS1 mod-10 check digit: a hypothesis for the 13-digit national facility id (warn only)."""
    if not re.fullmatch(r"\d{13}", code or ""):
        return False
    digits = [int(c) for c in code]
    total = sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits[:12]))
    return (10 - total % 10) % 10 == digits[12]


def check_national_facility_id(raw: str | None, *, field: str = "national_id") -> list[Problem]:
    text = (raw or "").strip()
    if not text:
        return []
    if not re.fullmatch(r"\d{13}", text):
        return [error("FACILITY_ID_FORMAT", field, "national facility id must be 13 digits",
                      "Mã định danh cơ sở phải gồm 13 chữ số")]
    if not gs1_check_ok(text):
        return [warning("FACILITY_ID_GS1", field,
                        "national facility id fails the GS1 check (unconfirmed rule)",
                        "Mã định danh cơ sở không qua kiểm tra GS1 (quy tắc chưa xác nhận)")]
    return []


def split_list(raw: str | None) -> list[str]:
    """A ";" list as the tables write it, without empty items."""
    return [p.strip() for p in (raw or "").split(";") if p.strip()]
