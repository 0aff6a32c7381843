"""Gateway settings (section ``[gateway]`` and the per-facility accounts).

Environment variables follow the one settings model, e.g. ``ADAPTER_GATEWAY__ENVIRONMENT=test``,
``ADAPTER_GATEWAY__CA_BUNDLE=/etc/ssl/bhxh.pem``. Account passwords come from ``password``
(an environment secret) or ``password_file``; they are ``SecretStr`` so reprs and JSON mask them.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr

from adapter.errors import ConfigError

ENVIRONMENT_URLS: dict[str, str] = {
    "test": "https://daotaoegw.baohiemxahoi.gov.vn",
    "production": "https://egw.baohiemxahoi.gov.vn",
}

ReplyOutcomeName = Literal["accepted", "rejected", "authentication", "unavailable"]


class GatewaySettings(BaseModel):
    """Where and how to reach the BHXH gateway. Submission is off unless enabled."""

    environment: Literal["simulator", "test", "production"] = "simulator"
    base_url: str | None = None                # overrides the environment's URL (required for simulator)
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 60.0
    write_timeout_s: float = 30.0
    pool_timeout_s: float = 30.0
    max_concurrency: int = 8                   # in-flight requests per facility account
    verify_tls: bool = True                    # turning it off needs this explicit setting and logs a warning
    ca_bundle: Path | None = None
    token_refresh_margin_s: float = 60.0       # refresh this long before the announced expiry
    token_default_lifetime_s: float = 3600.0   # when the gateway sends no usable expires_in
    breaker_failure_threshold: int = 5         # consecutive failures that open the circuit
    breaker_open_s: float = 30.0               # how long the circuit stays open before one probe
    # Overrides of the classification table, e.g. {"402": "rejected"} (see adapter.transport.replies).
    reply_codes: dict[str, ReplyOutcomeName] = Field(default_factory=dict)
    unknown_code: ReplyOutcomeName = "rejected"

    def resolved_base_url(self) -> str:
        """The explicit base URL, else the environment's documented URL."""
        if self.base_url:
            return self.base_url.rstrip("/")
        if self.environment in ENVIRONMENT_URLS:
            return ENVIRONMENT_URLS[self.environment]
        raise ConfigError("gateway.base_url is required for the simulator environment")


class FacilityAccount(BaseModel):
    """A facility's gateway account. The password comes from a secret or a file, never from code."""

    ma_cskcb: str
    name: str = ""
    username: str
    password: SecretStr | None = None
    password_file: Path | None = None
    sending_enabled: bool = False
    profile_switch_date: str = "2025-01-01"    # encounters ending on/after this use profile 3176

    def password_md5(self) -> SecretStr:
        """MD5 of the password as uppercase hex, the form the gateway wants (login and headers)."""
        secret = self._password()
        # MD5 is the gateway's protocol, not our choice of password storage.
        digest = hashlib.md5(secret.encode("utf-8"), usedforsecurity=False).hexdigest().upper()
        return SecretStr(digest)

    def _password(self) -> str:
        if self.password_file is not None:
            try:
                return self.password_file.read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise ConfigError(f"cannot read the password file of account {self.ma_cskcb}") from exc
        if self.password is not None:
            return self.password.get_secret_value()
        raise ConfigError(f"account {self.ma_cskcb} has neither password nor password_file")
