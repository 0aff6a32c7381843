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


_SPECS = (
    # -- documents and envelopes
    RuleSpec(
        code="XML_MALFORMED",
        severity=B,
        vi="Tệp XML không đúng cú pháp",
        en="The XML is not well-formed",
        doc="Document or embedded table does not parse.",
    ),
    RuleSpec(
        code="XML_UNSAFE",
        severity=B,
        vi="Tệp XML chứa DTD hoặc khai báo thực thể (bị từ chối)",
        en="The XML declares a DTD or entities (refused)",
        doc="DOCTYPE/ENTITY are refused (XXE, billion laughs).",
    ),
    RuleSpec(
        code="DOCUMENT_UNKNOWN",
        severity=B,
        vi="Phần tử gốc {field} không phải bảng XML BHYT",
        en="Root element {field} is not a BHYT XML table",
        doc="Root must be GIAMDINHHS or a table root of §3.1.",
    ),
    RuleSpec(
        code="ENVELOPE_STRUCTURE",
        severity=B,
        vi="Cấu trúc hồ sơ GIAMDINHHS không hợp lệ: {detail_vi}",
        en="GIAMDINHHS envelope structure is invalid: {detail_en}",
        doc="§2.1: MACSKCB, one HOSO, SOLUONGHOSO = 1, LOAIHOSO XML1..XML15 but XML12, no duplicates.",
    ),
    RuleSpec(
        code="ENVELOPE_BASE64",
        severity=B,
        vi="NOIDUNGFILE của {field} không phải base64 hợp lệ",
        en="NOIDUNGFILE of {field} is not valid base64",
        doc="§2.1: each table is base64 of its UTF-8 bytes.",
    ),
    RuleSpec(
        code="ENVELOPE_TABLE_MISMATCH",
        severity=B,
        vi="LOAIHOSO {field} không khớp nội dung bảng",
        en="LOAIHOSO {field} does not match the table content",
        doc="Declared table code equals the decoded root.",
    ),
    RuleSpec(
        code="ENVELOPE_FACILITY_MISMATCH",
        severity=B,
        vi="MACSKCB của hồ sơ khác MA_CSKCB ở bảng 1",
        en="Envelope MACSKCB differs from XML1 MA_CSKCB",
        doc="The sending facility is the treating facility.",
    ),
    RuleSpec(
        code="TABLE_MISSING",
        severity=B,
        vi="Thiếu bảng {field}",
        en="Table {field} is missing",
        doc="XML1 always; XML7 for inpatient types 03/04 ([QLBV]).",
    ),
    RuleSpec(
        code="TABLE_EMPTY",
        severity=B,
        vi="Bảng {table} không có dòng dữ liệu",
        en="Table {table} has no rows",
        doc="Only tables with rows are sent (§2.1).",
    ),
    RuleSpec(
        code="XML8_NOT_EXPECTED",
        severity=B,
        vi="Bảng 8 chỉ gửi khi MA_LOAI_KCB là 03, 04, 06",
        en="XML8 is only sent when MA_LOAI_KCB is 03, 04 or 06",
        doc="[VALID] sheet rule; off when the XML8 policy is 'always' (§3.1).",
    ),
    # -- structure (catalogue driven)
    RuleSpec(
        code="FIELD_REQUIRED",
        severity=B,
        vi="Trường {field} bắt buộc nhưng để trống",
        en="Required field {field} is empty",
        doc="Req column of §3.4 for the profile.",
    ),
    RuleSpec(
        code="FIELD_REQUIRED_IF",
        severity=B,
        vi="Trường {field} bắt buộc khi {condition_vi}",
        en="Field {field} is required when {condition_en}",
        doc="Conditional requirements of §4.2.",
    ),
    RuleSpec(
        code="FIELD_MISSING_ELEMENT",
        severity=W,
        vi="Thiếu phần tử {field} (nên ghi phần tử rỗng)",
        en="Element {field} is absent (emit it empty)",
        doc="§3.2: every element is emitted, empty or not.",
    ),
    RuleSpec(
        code="FIELD_UNKNOWN",
        severity=W,
        vi="Phần tử {field} không có trong chuẩn {profile}",
        en="Element {field} is not part of profile {profile}",
        doc="Catalogue of the profile (e.g. MA_NOI_DI in 3176 XML13).",
    ),
    RuleSpec(
        code="FIELD_TOO_LONG",
        severity=B,
        vi="Trường {field} dài quá {limit} ký tự (không được cắt)",
        en="Field {field} is longer than {limit} characters (never truncated)",
        doc="Size of §3.4 per profile.",
    ),
    RuleSpec(
        code="FIELD_NOT_NUMBER",
        severity=B,
        vi="Trường {field} phải là số, dấu thập phân là dấu chấm",
        en="Field {field} must be a number with '.' as decimal separator",
        doc="Type Số of §3.4; §3.2.",
    ),
    RuleSpec(
        code="FIELD_DECIMALS",
        severity=B,
        vi="Trường {field} có quá {limit} chữ số thập phân",
        en="Field {field} has more than {limit} decimal places",
        doc="§3.2: amounts 2 dp, quantities and prices 3 dp.",
    ),
    RuleSpec(
        code="FIELD_DATE_FORMAT",
        severity=B,
        vi="Trường {field} phải có định dạng {limit}",
        en="Field {field} must be formatted {limit}",
        doc="§3.2: yyyyMMddHHmm (12) or yyyyMMdd (8).",
    ),
    RuleSpec(
        code="FIELD_DATE_INVALID",
        severity=B,
        vi="Trường {field} không phải ngày giờ có thật",
        en="Field {field} is not a real calendar date/time",
        doc="§4.2: valid calendar dates ([QLBV]).",
    ),
    RuleSpec(
        code="TEXT_CONTROL_CHAR",
        severity=B,
        vi="Trường {field} chứa ký tự điều khiển",
        en="Field {field} contains control characters",
        doc="C0/C1 controls other than tab/CR/LF break XML 1.0.",
    ),
    RuleSpec(
        code="TEXT_NOT_NFC",
        severity=W,
        vi="Trường {field} chưa chuẩn hóa Unicode NFC (tiếng Việt tổ hợp)",
        en="Field {field} is not Unicode NFC (decomposed Vietnamese)",
        doc="NFD text compares unequal at the gateway.",
    ),
    RuleSpec(
        code="STT_SEQUENCE",
        severity=W,
        vi="STT của bảng {table} phải tăng dần từ 1",
        en="STT in {table} must increase from 1",
        doc="STT: 'số thứ tự tăng từ 1'.",
    ),
    # -- identifiers and codes
    RuleSpec(
        code="CCCD_FORMAT",
        severity=B,
        vi="SO_CCCD phải gồm 9 hoặc 12 chữ số, hoặc 1 chữ in hoa và 7 chữ số",
        en="SO_CCCD must be 9 or 12 digits, or one capital letter and 7 digits",
        doc="§4.2 regex.",
    ),
    RuleSpec(
        code="CCCD_BIRTH_MISMATCH",
        severity=W,
        vi="Mã thế kỷ/giới tính/năm sinh trong SO_CCCD không khớp {field}",
        en="Century/sex/birth-year digits of SO_CCCD do not match {field}",
        doc="identifiers §2.1 soft checks.",
    ),
    RuleSpec(
        code="CARD_FORMAT",
        severity=B,
        vi="Mỗi mã thẻ trong {field} phải gồm 15 ký tự (2 chữ, 1 số mức hưởng, 12 số)",
        en="Each card in {field} must be 15 characters (2 letters, benefit digit, 12 digits)",
        doc="§4.2 and identifiers §2.2.",
    ),
    RuleSpec(
        code="CARD_LIST_MISMATCH",
        severity=B,
        vi="Số phần tử của {field} khác số thẻ trong MA_THE_BHYT",
        en="{field} does not have one value per card of MA_THE_BHYT",
        doc="§4.2: per card DKBD and validity dates.",
    ),
    RuleSpec(
        code="CARD_NOT_VALID_ON_VISIT",
        severity=W,
        vi="Không có thẻ BHYT nào còn hạn vào {field}",
        en="No BHYT card is valid on {field}",
        doc="Card validity (GT_THE_TU..GT_THE_DEN, per card) covers admission and discharge days.",
    ),
    RuleSpec(
        code="CHECKIN_EMERGENCY",
        severity=W,
        vi="Không gửi check-in cho người bệnh cấp cứu (MA_DOITUONG_KCB = 2)",
        en="No check-in is sent for emergencies (MA_DOITUONG_KCB = 2)",
        doc="§3.1 [QD4750 Art. 2]: no XML0 for emergency visits.",
    ),
    RuleSpec(
        code="CARD_VALIDITY",
        severity=B,
        vi="GT_THE_DEN phải sau hoặc bằng GT_THE_TU",
        en="GT_THE_DEN must not be before GT_THE_TU",
        doc="Per card validity interval.",
    ),
    RuleSpec(
        code="FACILITY_CODE_FORMAT",
        severity=B,
        vi="{field} phải gồm 5 ký tự mã cơ sở KBCB",
        en="{field} must be a 5-character facility code",
        doc="MA_CSKCB, MA_DKBD, MA_NOI_DI/DEN (§3.4).",
    ),
    RuleSpec(
        code="ICD10_FORMAT",
        severity=W,
        vi="Mã ICD-10 trong {field} sai định dạng",
        en="An ICD-10 code in {field} is malformed",
        doc="identifiers §2.4 regex (INFERRED, so a warning).",
    ),
    RuleSpec(
        code="ICD10_TOO_MANY",
        severity=B,
        vi="{field} có quá {limit} mã bệnh",
        en="{field} has more than {limit} codes",
        doc="§4.2: MA_BENH_KT at most 12 codes.",
    ),
    RuleSpec(
        code="DEPT_CODE_FORMAT",
        severity=W,
        vi="Mã khoa trong {field} sai định dạng",
        en="A department code in {field} is malformed",
        doc="identifiers §2.5 regex (INFERRED).",
    ),
    RuleSpec(
        code="BED_CODE_FORMAT",
        severity=B,
        vi="Mã giường trong MA_GIUONG phải là H/T/C/K + 3 chữ số",
        en="Each MA_GIUONG code must be H/T/C/K and 3 digits",
        doc="§4.1, [QLBV] regex.",
    ),
    RuleSpec(
        code="GOI_VTYT_FORMAT",
        severity=B,
        vi="GOI_VTYT phải là G và số từ 1 đến 999",
        en="GOI_VTYT must be G followed by 1..999",
        doc="§4.2 regex.",
    ),
    RuleSpec(
        code="MA_BHXH_FORMAT",
        severity=B,
        vi="{field} phải là dãy số và không toàn số 0",
        en="{field} must be digits and not all zeros",
        doc="§4.2: MA_BHXH, MA_BHXH_NND.",
    ),
    RuleSpec(
        code="CODE_NOT_IN_LIST",
        severity=B,
        vi="Giá trị {field} không có trong danh mục {list} ({source})",
        en="{field} is not in code list {list} ({source})",
        doc="Code lists by effective date (§4.1).",
    ),
    # -- dates
    RuleSpec(
        code="DATE_ORDER",
        severity=B,
        vi="{field} phải sau hoặc bằng {other}",
        en="{field} must not be before {other}",
        doc="§4.2 date ordering.",
    ),
    RuleSpec(
        code="DATE_OUTSIDE_EPISODE",
        severity=W,
        vi="{field} nằm ngoài khoảng NGAY_VAO - NGAY_RA",
        en="{field} is outside NGAY_VAO..NGAY_RA",
        doc="[QLBV]: order dates within the episode.",
    ),
    # -- money
    RuleSpec(
        code="MONEY_LINE_TOTAL",
        severity=B,
        vi="{field} khác giá trị tính lại theo công thức {profile}",
        en="{field} differs from the {profile} formula",
        doc="§4.3 THANH_TIEN_BV / THANH_TIEN_BH per line.",
    ),
    RuleSpec(
        code="MONEY_LINE_OTHER_SOURCES",
        severity=B,
        vi="T_NGUONKHAC khác tổng NSNN + VTNN + VTTN + CL",
        en="T_NGUONKHAC differs from NSNN + VTNN + VTTN + CL",
        doc="§4.3.",
    ),
    RuleSpec(
        code="MONEY_LINE_SPLIT",
        severity=B,
        vi="{field} khác giá trị tính lại theo công thức {profile}",
        en="{field} differs from the {profile} split",
        doc="§4.3: 4750 step-wise or 3176 direct split.",
    ),
    RuleSpec(
        code="MONEY_TOTAL",
        severity=B,
        vi="{field} ở bảng 1 khác tổng các dòng chi tiết",
        en="XML1 {field} differs from the sum of the detail lines",
        doc="§4.3 XML1 totals.",
    ),
    RuleSpec(
        code="MONEY_RATIO_RANGE",
        severity=B,
        vi="{field} phải trong khoảng 0 đến 100",
        en="{field} must be between 0 and 100",
        doc="TYLE_TT_BH, TYLE_TT_DV, MUC_HUONG ([QLBV]).",
    ),
    RuleSpec(
        code="MONEY_CEILING",
        severity=W,
        vi="T_BHTT vượt mức thanh toán T_TRANTT",
        en="T_BHTT exceeds the payment ceiling T_TRANTT",
        doc="[QLBV]: capped supplies.",
    ),
    # -- bed-days, exams, episode
    RuleSpec(
        code="BED_DAY_QUANTITY",
        severity=B,
        vi="Số lượng ngày giường trên một dòng không được lớn hơn 1",
        en="A bed-day line must not exceed quantity 1",
        doc="[QLBV] Qd130Xml3Checker.",
    ),
    RuleSpec(
        code="BED_DAY_NOT_ALLOWED",
        severity=B,
        vi="Không thanh toán ngày giường khi MA_LOAI_KCB là 01 hoặc 02",
        en="No bed-day is paid when MA_LOAI_KCB is 01 or 02",
        doc="[QLBV].",
    ),
    RuleSpec(
        code="BED_DAY_SHORT_STAY",
        severity=B,
        vi="Nằm viện dưới 4 giờ không có ngày giường; 4-24 giờ tối đa 1",
        en="Stay under 4 h has no bed-day; 4-24 h at most one",
        doc="[QLBV].",
    ),
    RuleSpec(
        code="BED_DAYS_EXCEED",
        severity=W,
        vi="Tổng ngày giường vượt số ngày điều trị được tính",
        en="Total bed-days exceed the countable treatment days",
        doc="[QLBV] INVALID_BED_DAYS (INFERRED count).",
    ),
    RuleSpec(
        code="EXAM_FEE_INPATIENT",
        severity=W,
        vi="Đợt điều trị nội trú chỉ có một công khám",
        en="An inpatient episode has a single exam fee",
        doc="[QLBV].",
    ),
    RuleSpec(
        code="TREATMENT_DAYS",
        severity=B,
        vi="SO_NGAY_DTRI không đúng quy định theo MA_LOAI_KCB",
        en="SO_NGAY_DTRI does not follow the rule for MA_LOAI_KCB",
        doc="[VALID] XML1 SO_NGAY_DTRI.",
    ),
    RuleSpec(
        code="LEAVE_DAYS_LIMIT",
        severity=B,
        vi="{field} vượt quá {limit} ngày",
        en="{field} exceeds {limit} days",
        doc="[QLBV]: XML10 SO_NGAY at most 180.",
    ),
    # -- cross-table
    RuleSpec(
        code="CROSS_MA_LK",
        severity=B,
        vi="MA_LK của dòng khác MA_LK ở bảng 1",
        en="Row MA_LK differs from XML1 MA_LK",
        doc="Every row belongs to the XML1 episode.",
    ),
    RuleSpec(
        code="CROSS_ADMIN_MISMATCH",
        severity=B,
        vi="{field} phải giống thông tin ở bảng 1",
        en="{field} must equal the XML1 value",
        doc="§4.2: XML6/13/14/15 fields equal XML1 when present.",
    ),
    # -- registry
    RuleSpec(
        code="PRACTITIONER_NOT_REGISTERED",
        severity=B,
        vi="Mã người hành nghề trong {field} chưa được duyệt trên cổng hoặc hết hiệu lực ({status})",
        en="A practitioner code in {field} is not registered or not valid ({status})",
        doc="Staff catalogue 02/DM via the registry port (runs only when a registry is given).",
    ),
    RuleSpec(
        code="PRACTITIONER_OUTSIDE_HOURS",
        severity=W,
        vi="Người hành nghề trong {field} ngoài thời gian đăng ký hành nghề",
        en="A practitioner in {field} acted outside the registered working time",
        doc="Staff catalogue working time (registry port).",
    ),
)

RULES: Mapping[str, RuleSpec] = MappingProxyType({s.code: s for s in _SPECS})
