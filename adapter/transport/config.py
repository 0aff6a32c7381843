"""Gateway settings (section ``[gateway]`` and the per-facility accounts)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, SecretStr


class GatewaySettings(BaseModel):
    """Where and how to reach the BHXH gateway. Submission is off unless enabled."""

    environment: Literal["simulator", "test", "production"] = "simulator"
    base_url: str | None = None                # overrides the environment's URL
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 60.0
    max_concurrency: int = 8
    verify_tls: bool = True
    ca_bundle: Path | None = None


class FacilityAccount(BaseModel):
    """A facility's gateway account. The password comes from a secret or a file, never from code."""

    ma_cskcb: str
    name: str = ""
    username: str
    password: SecretStr | None = None
    password_file: Path | None = None
    sending_enabled: bool = False
    profile_switch_date: str = "2025-01-01"    # encounters ending on/after this use profile 3176
