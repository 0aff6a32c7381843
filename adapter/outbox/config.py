"""Outbox settings (section ``[outbox]``)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


class OutboxSettings(BaseModel):
    """Retry policy and replacement policy of the durable queue."""

    max_attempts: int = 12
    base_delay_s: float = 30.0
    max_delay_s: float = 3600.0
    lease_s: float = 120.0
    replacement_policy: Literal["hold", "send"] = "hold"   # edited after acceptance: wait for an operator
    retention_days: int = 90
