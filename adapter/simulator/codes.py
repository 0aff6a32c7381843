"""The simulator's ``maKetQua`` codes (defined by us; documented in docs/gateway.md).

Only "200" (received) is documented by BHXH for check-in/claim; "401"/"403"/"500" appear
in CV 1245 without detail; the data-error codes reuse the numbers of the staff-catalogue
service (123/124/125/202/204/205, SEEN-2nd) so that client classification stays simple.
"""

from __future__ import annotations

from collections.abc import Mapping

ACCEPTED = "200"
BAD_PARAMETER = "205"       # missing/invalid form field, content type, loaiHoSo, maTinh
BAD_BASE64 = "202"          # fileHSBase64 (or NOIDUNGFILE) is not base64
BAD_XML = "204"             # not well-formed, or unsafe (DTD, entities)
BAD_STRUCTURE = "123"       # wrong root / envelope structure / facility code in the file
BAD_SIGNATURE = "124"       # unsigned, CHUKYDONVI not last, wrong profile, signature does not verify
UNREGISTERED_CERT = "125"   # valid signature by a certificate not registered for the facility
AUTHENTICATION = "401"      # token missing, unknown or expired; login refused
BAD_PASSWORD_HASH = "402"   # noqa: S105 (a code) - passwordHash header is not the account's MD5
FORBIDDEN = "403"           # the account does not belong to maCSKCB
SERVER_ERROR = "500"
MAINTENANCE = "503"

MESSAGES: Mapping[str, str] = {
    ACCEPTED: "Tiếp nhận hồ sơ thành công",
    BAD_PARAMETER: "Sai định dạng tham số",
    BAD_BASE64: "Dữ liệu fileHSBase64 không đúng định dạng base64",
    BAD_XML: "Nội dung XML không hợp lệ hoặc không an toàn",
    BAD_STRUCTURE: "Sai cấu trúc hồ sơ XML",
    BAD_SIGNATURE: "Chữ ký số không hợp lệ",
    UNREGISTERED_CERT: "Chứng thư số chưa được đăng ký cho cơ sở KCB",
    AUTHENTICATION: "Lỗi xác thực: token không hợp lệ hoặc đã hết hạn",
    BAD_PASSWORD_HASH: "Sai tài khoản hoặc mật khẩu",
    FORBIDDEN: "Tài khoản không có quyền gửi dữ liệu cho cơ sở KCB này",
    SERVER_ERROR: "Lỗi hệ thống, vui lòng gửi lại sau",
    MAINTENANCE: "Hệ thống đang bảo trì, vui lòng gửi lại sau",
}

HTTP_STATUS: Mapping[str, int] = {SERVER_ERROR: 500, MAINTENANCE: 503}   # other codes: HTTP 200

DUPLICATE_NOTE = "Hồ sơ đã được tiếp nhận trước đó (trùng lặp)"
REPLACEMENT_NOTE = "Tiếp nhận hồ sơ thay thế"
