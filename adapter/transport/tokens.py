"""Gateway tokens (PURE): parsing ``APIKey`` and deciding when to refresh.

``expires_in`` is documented as a UTC datetime; production clients also meet a Unix
timestamp or a number of seconds ([QLBV] ``BHYTLoginService``), so all three are accepted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from adapter.errors import AuthenticationError

_TIMESTAMP_FLOOR = 1_000_000_000          # larger numbers are Unix timestamps, smaller are seconds


@dataclass(frozen=True, kw_only=True, slots=True)
class Token:
    """One account's access token. Never printed: the secrets are excluded from repr."""

    username: str
    access_token: str = field(repr=False)
    id_token: str = field(repr=False)
    expires_at: datetime

    def fresh(self, now: datetime, margin: timedelta) -> bool:
        return now < self.expires_at - margin


def parse_token(data: Mapping[str, Any], *, now: datetime, default_lifetime: timedelta) -> Token:
    """The token of a ``/api/token/take`` reply; AuthenticationError when it is not one."""
    key = data.get("APIKey")
    if str(data.get("maKetQua")) != "200" or not isinstance(key, Mapping):
        raise AuthenticationError(f"token refused (code {data.get('maKetQua')!s:.10})")
    access, id_token = key.get("access_token"), key.get("id_token")
    if not isinstance(access, str) or not isinstance(id_token, str) or not access:
        raise AuthenticationError("token reply without access_token/id_token")
    expires = parse_expiry(key.get("expires_in"), now=now)
    if expires is None or expires <= now:
        # missing, or already past by our clock (skew, or local time sent without offset): trust the
        # default lifetime; a refused token is refreshed once on the 401 anyway
        expires = now + default_lifetime
    return Token(username=str(key.get("username", "")), access_token=access, id_token=id_token,
                 expires_at=expires)


def parse_expiry(value: object, *, now: datetime) -> datetime | None:
    """A datetime string (UTC unless it says otherwise), a Unix timestamp or seconds from now."""
    if value is None or value == "":
        return None
    number = _as_number(value)
    if number is not None:
        if number >= _TIMESTAMP_FLOOR:
            return datetime.fromtimestamp(number, UTC)
        return now + timedelta(seconds=number)
    try:
        parsed = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _as_number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        return None
