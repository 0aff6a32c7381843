"""The rule catalogue: every rule's stable code, severity, bilingual message and doc line.

Codes are stable identifiers (operators filter on them, the outbox stores them);
never rename one. Message templates may name fields, tables, limits and code-list
names, NEVER a value from the record.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from adapter.validation.issues import Severity

B = Severity.BLOCKING
W = Severity.WARNING


@dataclass(frozen=True, kw_only=True, slots=True)
class RuleSpec:
    code: str
    severity: Severity
    vi: str  # Vietnamese template
    en: str  # English template
    doc: str  # one line: what is checked and where the rule comes from


def _r(code: str, severity: Severity, vi: str, en: str, doc: str) -> RuleSpec:
    return RuleSpec(code=code, severity=severity, vi=vi, en=en, doc=doc)


_SPECS = (
    # -- documents and envelopes
    _r("XML_MALFORMED", B, "Tệp XML không đúng cú pháp", "The XML is not well-formed",
       "Document or embedded table does not parse."),
    _r("FILE_NOT_UTF8", B, "Tệp XML không mã hóa UTF-8 (khai báo hoặc BOM khác UTF-8)",
       "The XML is not encoded in UTF-8 (its declaration or byte-order mark says otherwise)",
       "QĐ 130 and TT 48/2017: the data are UTF-8 XML; UTF-16/UTF-32 or a legacy code page is refused."),
    _r("XML_UNSAFE", B, "Tệp XML chứa DTD hoặc khai báo thực thể (bị từ chối)",
       "The XML declares a DTD or entities (refused)", "DOCTYPE/ENTITY are refused (XXE, billion laughs)."),
    _r("DOCUMENT_UNKNOWN", B, "Phần tử gốc {field} không phải bảng XML BHYT",
       "Root element {field} is not a BHYT XML table", "Root must be GIAMDINHHS or a table root of §3.1."),
    _r("ENVELOPE_STRUCTURE", B, "Cấu trúc hồ sơ GIAMDINHHS không hợp lệ: {detail_vi}",
       "GIAMDINHHS envelope structure is invalid: {detail_en}",
       "§2.1: MACSKCB, one HOSO, SOLUONGHOSO = 1, LOAIHOSO XML1..XML15 but XML12, no duplicates."),
    _r("ENVELOPE_BASE64", B, "NOIDUNGFILE của {field} không phải base64 hợp lệ",
       "NOIDUNGFILE of {field} is not valid base64", "§2.1: each table is base64 of its UTF-8 bytes."),
    _r("ENVELOPE_TABLE_MISMATCH", B, "LOAIHOSO {field} không khớp nội dung bảng",
       "LOAIHOSO {field} does not match the table content", "Declared table code equals the decoded root."),
    _r("ENVELOPE_FACILITY_MISMATCH", B, "MACSKCB của hồ sơ khác MA_CSKCB ở bảng 1",
       "Envelope MACSKCB differs from XML1 MA_CSKCB", "The sending facility is the treating facility."),
    _r("TABLE_MISSING", B, "Thiếu bảng {field}", "Table {field} is missing",
       "XML1 always; XML7 for inpatient types 03/04 ([QLBV])."),
    _r("TABLE_EMPTY", B, "Bảng {table} không có dòng dữ liệu", "Table {table} has no rows",
       "Only tables with rows are sent (§2.1)."),
    _r("XML8_NOT_EXPECTED", B, "Bảng 8 chỉ gửi khi MA_LOAI_KCB là 03, 04, 06",
       "XML8 is only sent when MA_LOAI_KCB is 03, 04 or 06",
       "[VALID] sheet rule; off when the XML8 policy is 'always' (§3.1)."),
    # -- structure (catalogue driven)
    _r("FIELD_REQUIRED", B, "Trường {field} bắt buộc nhưng để trống", "Required field {field} is empty",
       "Req column of §3.4 for the profile."),
    _r("FIELD_REQUIRED_IF", B, "Trường {field} bắt buộc khi {condition_vi}",
       "Field {field} is required when {condition_en}", "Conditional requirements of §4.2."),
    _r("FIELD_MISSING_ELEMENT", W, "Thiếu phần tử {field} (nên ghi phần tử rỗng)",
       "Element {field} is absent (emit it empty)", "§3.2: every element is emitted, empty or not."),
    _r("FIELD_UNKNOWN", W, "Phần tử {field} không có trong chuẩn {profile}",
       "Element {field} is not part of profile {profile}",
       "Catalogue of the profile (e.g. MA_NOI_DI in 3176 XML13)."),
    _r("FIELD_TOO_LONG", B, "Trường {field} dài quá {limit} ký tự (không được cắt)",
       "Field {field} is longer than {limit} characters (never truncated)", "Size of §3.4 per profile."),
    _r("FIELD_NOT_NUMBER", B, "Trường {field} phải là số, dấu thập phân là dấu chấm",
       "Field {field} must be a number with '.' as decimal separator", "Type Số of §3.4; §3.2."),
    _r("FIELD_DECIMALS", B, "Trường {field} có quá {limit} chữ số thập phân",
       "Field {field} has more than {limit} decimal places",
       "§3.2: amounts 2 dp, quantities and prices 3 dp."),
    _r("FIELD_DATE_FORMAT", B, "Trường {field} phải có định dạng {limit}",
       "Field {field} must be formatted {limit}", "§3.2: yyyyMMddHHmm (12) or yyyyMMdd (8)."),
    _r("FIELD_DATE_INVALID", B, "Trường {field} không phải ngày giờ có thật",
       "Field {field} is not a real calendar date/time", "§4.2: valid calendar dates ([QLBV])."),
    _r("TEXT_CONTROL_CHAR", B, "Trường {field} chứa ký tự điều khiển",
       "Field {field} contains control characters", "C0/C1 controls other than tab/CR/LF break XML 1.0."),
    _r("TEXT_NOT_NFC", W, "Trường {field} chưa chuẩn hóa Unicode NFC (tiếng Việt tổ hợp)",
       "Field {field} is not Unicode NFC (decomposed Vietnamese)",
       "NFD text compares unequal at the gateway."),
    _r("STT_SEQUENCE", W, "STT của bảng {table} phải tăng dần từ 1", "STT in {table} must increase from 1",
       "STT: 'số thứ tự tăng từ 1'."),
    # -- identifiers and codes
    _r("CCCD_FORMAT", B, "SO_CCCD phải gồm 9 hoặc 12 chữ số, hoặc 1 chữ in hoa và 7 chữ số",
       "SO_CCCD must be 9 or 12 digits, or one capital letter and 7 digits", "§4.2 regex."),
    _r("CCCD_BIRTH_MISMATCH", W, "Mã thế kỷ/giới tính/năm sinh trong SO_CCCD không khớp {field}",
       "Century/sex/birth-year digits of SO_CCCD do not match {field}", "identifiers §2.1 soft checks."),
    _r("CARD_FORMAT", B, "Mỗi mã thẻ trong {field} phải gồm 15 ký tự (2 chữ, 1 số mức hưởng, 12 số)",
       "Each card in {field} must be 15 characters (2 letters, benefit digit, 12 digits)",
       "§4.2 and identifiers §2.2."),
    _r("CARD_LIST_MISMATCH", B, "Số phần tử của {field} khác số thẻ trong MA_THE_BHYT",
       "{field} does not have one value per card of MA_THE_BHYT", "§4.2: per card DKBD and validity dates."),
    _r("CARD_NOT_VALID_ON_VISIT", W, "Không có thẻ BHYT nào còn hạn vào {field}",
       "No BHYT card is valid on {field}",
       "Card validity (GT_THE_TU..GT_THE_DEN, per card) covers admission and discharge days."),
    _r("CHECKIN_EMERGENCY", W, "Không gửi check-in cho người bệnh cấp cứu (MA_DOITUONG_KCB = 2)",
       "No check-in is sent for emergencies (MA_DOITUONG_KCB = 2)",
       "§3.1 [QD4750 Art. 2]: no XML0 for emergency visits."),
    _r("CARD_VALIDITY", B, "GT_THE_DEN phải sau hoặc bằng GT_THE_TU",
       "GT_THE_DEN must not be before GT_THE_TU", "Per card validity interval."),
    _r("FACILITY_CODE_FORMAT", B, "{field} phải gồm 5 ký tự mã cơ sở KBCB",
       "{field} must be a 5-character facility code", "MA_CSKCB, MA_DKBD, MA_NOI_DI/DEN (§3.4)."),
    _r("ICD10_FORMAT", W, "Mã ICD-10 trong {field} sai định dạng", "An ICD-10 code in {field} is malformed",
       "identifiers §2.4 regex (INFERRED, so a warning)."),
    _r("ICD10_TOO_MANY", B, "{field} có quá {limit} mã bệnh", "{field} has more than {limit} codes",
       "§4.2: MA_BENH_KT at most 12 codes."),
    _r("DEPT_CODE_FORMAT", W, "Mã khoa trong {field} sai định dạng",
       "A department code in {field} is malformed", "identifiers §2.5 regex (INFERRED)."),
    _r("BED_CODE_FORMAT", B, "Mã giường trong MA_GIUONG phải là H/T/C/K + 3 chữ số",
       "Each MA_GIUONG code must be H/T/C/K and 3 digits", "§4.1, [QLBV] regex."),
    _r("GOI_VTYT_FORMAT", B, "GOI_VTYT phải là G và số từ 1 đến 999", "GOI_VTYT must be G followed by 1..999",
       "§4.2 regex."),
    _r("MA_BHXH_FORMAT", B, "{field} phải là dãy số và không toàn số 0",
       "{field} must be digits and not all zeros", "§4.2: MA_BHXH, MA_BHXH_NND."),
    _r("CODE_NOT_IN_LIST", B, "Giá trị {field} không có trong danh mục {list} ({source})",
       "{field} is not in code list {list} ({source})", "Code lists by effective date (§4.1)."),
    # -- dates
    _r("DATE_ORDER", B, "{field} phải sau hoặc bằng {other}", "{field} must not be before {other}",
       "§4.2 date ordering."),
    _r("DATE_OUTSIDE_EPISODE", W, "{field} nằm ngoài khoảng NGAY_VAO - NGAY_RA",
       "{field} is outside NGAY_VAO..NGAY_RA", "[QLBV]: order dates within the episode."),
    # -- money
    _r("MONEY_LINE_TOTAL", B, "{field} khác giá trị tính lại theo công thức {profile}",
       "{field} differs from the {profile} formula", "§4.3 THANH_TIEN_BV / THANH_TIEN_BH per line."),
    _r("MONEY_LINE_OTHER_SOURCES", B, "T_NGUONKHAC khác tổng NSNN + VTNN + VTTN + CL",
       "T_NGUONKHAC differs from NSNN + VTNN + VTTN + CL", "§4.3."),
    _r("MONEY_LINE_SPLIT", B, "{field} khác giá trị tính lại theo công thức {profile}",
       "{field} differs from the {profile} split", "§4.3: 4750 step-wise or 3176 direct split."),
    _r("MONEY_TOTAL", B, "{field} ở bảng 1 khác tổng các dòng chi tiết",
       "XML1 {field} differs from the sum of the detail lines", "§4.3 XML1 totals."),
    _r("MONEY_RATIO_RANGE", B, "{field} phải trong khoảng 0 đến 100", "{field} must be between 0 and 100",
       "TYLE_TT_BH, TYLE_TT_DV, MUC_HUONG ([QLBV])."),
    _r("MONEY_CEILING", W, "T_BHTT vượt mức thanh toán T_TRANTT",
       "T_BHTT exceeds the payment ceiling T_TRANTT", "[QLBV]: capped supplies."),
    # -- bed-days, exams, episode
    _r("BED_DAY_QUANTITY", B, "Số lượng ngày giường trên một dòng không được lớn hơn 1",
       "A bed-day line must not exceed quantity 1", "[QLBV] Qd130Xml3Checker."),
    _r("BED_DAY_NOT_ALLOWED", B, "Không thanh toán ngày giường khi MA_LOAI_KCB là 01 hoặc 02",
       "No bed-day is paid when MA_LOAI_KCB is 01 or 02", "[QLBV]."),
    _r("BED_DAY_SHORT_STAY", B, "Nằm viện dưới 4 giờ không có ngày giường; 4-24 giờ tối đa 1",
       "Stay under 4 h has no bed-day; 4-24 h at most one", "[QLBV]."),
    _r("BED_DAYS_EXCEED", W, "Tổng ngày giường vượt số ngày điều trị được tính",
       "Total bed-days exceed the countable treatment days", "[QLBV] INVALID_BED_DAYS (INFERRED count)."),
    _r("EXAM_FEE_INPATIENT", W, "Đợt điều trị nội trú chỉ có một công khám",
       "An inpatient episode has a single exam fee", "[QLBV]."),
    _r("TREATMENT_DAYS", B, "SO_NGAY_DTRI không đúng quy định theo MA_LOAI_KCB",
       "SO_NGAY_DTRI does not follow the rule for MA_LOAI_KCB", "[VALID] XML1 SO_NGAY_DTRI."),
    _r("LEAVE_DAYS_LIMIT", B, "{field} vượt quá {limit} ngày", "{field} exceeds {limit} days",
       "[QLBV]: XML10 SO_NGAY at most 180."),
    # -- cross-table
    _r("CROSS_MA_LK", B, "MA_LK của dòng khác MA_LK ở bảng 1", "Row MA_LK differs from XML1 MA_LK",
       "Every row belongs to the XML1 episode."),
    _r("CROSS_ADMIN_MISMATCH", B, "{field} phải giống thông tin ở bảng 1",
       "{field} must equal the XML1 value", "§4.2: XML6/13/14/15 fields equal XML1 when present."),
    # -- practitioner registry
    _r("PRACTITIONER_NOT_REGISTERED", B,
       "Mã người hành nghề trong {field} chưa được duyệt trên cổng hoặc hết hiệu lực ({status})",
       "A practitioner code in {field} is not registered or not valid ({status})",
       "Staff catalogue 02/DM via the registry port (runs only when a registry is given)."),
    _r("PRACTITIONER_OUTSIDE_HOURS", W, "Người hành nghề trong {field} ngoài thời gian đăng ký hành nghề",
       "A practitioner in {field} acted outside the registered working time",
       "Staff catalogue working time (registry port)."),
)

RULES: Mapping[str, RuleSpec] = MappingProxyType({s.code: s for s in _SPECS})
