"""Reply classification (PURE): HTTP status and ``maKetQua`` -> what the client does.

The table is documented in docs/gateway.md. Only "200" is SEEN as success; "401"/"403"/"500"
are SEEN as names in CV 1245 without a precise meaning; the rest is INFERRED and therefore
configurable (``GatewaySettings.reply_codes``).

Order of decision:

1. HTTP status first: 5xx and 429 -> unavailable, 401 -> authentication, any other non-2xx
   -> rejected, unless the body carries a ``maKetQua`` the table knows.
2. A 2xx whose body is not the documented JSON -> the outcome is unknown (the gateway may
   have taken the file; the item must be retried, never dropped).
3. ``maKetQua`` looked up in the code table; unknown codes -> ``unknown_code`` (rejected by
   default: a data error goes to an operator instead of looping).
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from adapter.errors import (
    AuthenticationError,
    GatewayRejected,
    GatewayUnavailable,
    OutcomeUnknown,
)
from adapter.ports import GatewayReply


class Outcome(enum.StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"               # permanent: GatewayRejected
    AUTHENTICATION = "authentication"   # refresh the token once, then AuthenticationError
    UNAVAILABLE = "unavailable"         # retryable: GatewayUnavailable


DEFAULT_CODES: Mapping[str, Outcome] = {
    "200": Outcome.ACCEPTED,
    "401": Outcome.AUTHENTICATION,      # token missing, wrong or expired
    "402": Outcome.AUTHENTICATION,      # account / passwordHash refused (INFERRED from CV 3220 note)
    "403": Outcome.REJECTED,            # account not allowed for this facility: an operator must act
    "500": Outcome.UNAVAILABLE,
    "502": Outcome.UNAVAILABLE,
    "503": Outcome.UNAVAILABLE,         # maintenance
    "504": Outcome.UNAVAILABLE,
}


@dataclass(frozen=True, kw_only=True, slots=True)
class ReplyTable:
    """The configurable classification table."""

    codes: Mapping[str, Outcome] = field(default_factory=lambda: dict(DEFAULT_CODES))
    unknown_code: Outcome = Outcome.REJECTED

    @classmethod
    def with_overrides(cls, overrides: Mapping[str, str], unknown_code: str = "rejected") -> ReplyTable:
        codes = dict(DEFAULT_CODES) | {k: Outcome(v) for k, v in overrides.items()}
        return cls(codes=codes, unknown_code=Outcome(unknown_code))

    def by_code(self, code: str) -> Outcome:
        return self.codes.get(code, self.unknown_code)


def http_outcome(status: int) -> Outcome | None:
    """What the HTTP status alone says; None for 2xx (the body decides)."""
    if 200 <= status < 300:
        return None
    if status >= 500 or status == 429:
        return Outcome.UNAVAILABLE
    if status == 401:
        return Outcome.AUTHENTICATION
    return Outcome.REJECTED


def parse_body(body: bytes) -> dict[str, Any] | None:
    """The JSON object of a reply, or None when it is not one."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def to_reply(status: int, data: Mapping[str, Any]) -> GatewayReply:
    """The reply fields as the gateway sent them (no patient data is expected in them)."""
    return GatewayReply(
        code="" if data.get("maKetQua") is None else str(data["maKetQua"]),
        transaction_id=str(data.get("maGiaoDich") or ""),
        received_at=str(data.get("thoiGianTiepNhan") or ""),
        message=str(data.get("thongDiep") or ""),
        http_status=status,
        duplicate=bool(data.get("trungLap", False)),
    )


def classify(status: int, body: bytes, table: ReplyTable) -> tuple[Outcome, GatewayReply | None]:
    """The outcome of one submission reply, and the parsed reply when there is one."""
    data = parse_body(body)
    by_http = http_outcome(status)
    if data is None or data.get("maKetQua") in (None, ""):
        if by_http is None:
            raise OutcomeUnknown(f"HTTP {status} without the documented JSON reply")
        return by_http, None
    reply = to_reply(status, data)
    outcome = table.by_code(reply.code)
    if by_http is not None and outcome is Outcome.ACCEPTED:
        outcome = by_http                # "200" in a failed HTTP reply is not an acceptance
    return outcome, reply


def interpret(status: int, body: bytes, table: ReplyTable) -> GatewayReply:
    """The accepted reply, or the adapter error that the outcome calls for."""
    outcome, reply = classify(status, body, table)
    code = (reply.code if reply else "") or f"HTTP{status}"
    if outcome is Outcome.ACCEPTED and reply is not None:
        return reply
    if outcome is Outcome.AUTHENTICATION:
        raise AuthenticationError(f"gateway refused the credentials (code {code})")
    if outcome is Outcome.UNAVAILABLE:
        raise GatewayUnavailable(f"gateway unavailable (HTTP {status}, code {code})")
    detail = f": {reply.message[:300]}" if reply and reply.message else ""
    raise GatewayRejected(
        f"gateway rejected the file (HTTP {status}, code {code}){detail}",
        code=code,
        transaction_id=reply.transaction_id if reply else "",
    )
