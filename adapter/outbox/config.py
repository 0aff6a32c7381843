"""Outbox settings (section ``[outbox]``) and the service schedule (``[outbox.schedule]``)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field


class ScheduleSettings(BaseModel):
    """When the service runs each job (local times are in ``Settings.timezone``)."""

    checkin_interval_s: float = 60.0
    drain_interval_s: float = 60.0
    nightly_sweep_at: str = "01:30"            # HH:MM local: re-read the day's encounters, catch misses
    prune_at: str = "03:00"                    # HH:MM local: retention of stored payloads
    certificate_check_at: str = "07:00"        # HH:MM local: expiry warnings during office hours
    misfire_grace_s: int = 300                 # a job late by more than this is skipped, not run twice
    lock_file: Path | None = None              # default: <workdir>/adapter.lock


class OutboxSettings(BaseModel):
    """Retry policy, leases and replacement policy of the durable queue."""

    max_attempts: int = 12
    base_delay_s: float = 30.0
    max_delay_s: float = 3600.0
    jitter: float = 0.5
    lease_s: float = 120.0
    batch_size: int = 20
    concurrency: int = 8                       # sender threads per worker; the client still bounds each
                                               # facility at [gateway] max_concurrency requests in flight
    replacement_policy: Literal["hold", "send"] = "hold"   # edited after acceptance: wait for an operator
    retention_days: int = 90
    deadline_working_days: int = 7             # TT 48/2017: correct and send within 7 working days
    # Encryption at rest of stored payloads (AES-256-GCM). Empty: off. One key per file (base64 of
    # 32 random bytes, `bhyt-adapter queue keygen`); the FIRST file encrypts, all decrypt (rotation).
    encryption_key_files: list[Path] = Field(default_factory=list)
    schedule: ScheduleSettings = Field(default_factory=ScheduleSettings)
