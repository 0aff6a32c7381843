"""The one retry mechanism's policy (pure: time and randomness are parameters).

Retryability comes from the exception TYPE (``adapter.errors``), never from a
message. Backoff is exponential with a cap and jitter; after ``max_attempts`` the
item is dead with the reason. An exception outside our tree is treated as
retryable: it is a bug or an untranslated library error, and the request may have
left, so giving up silently would be worse than a bounded number of retries.
"""

from __future__ import annotations

import enum
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from adapter.errors import AuthenticationError, GatewayRejected, PermanentError


class OutboxSettingsLike(Protocol):
    """The fields of ``adapter.outbox.config.OutboxSettings`` the policy needs (kept pure here)."""

    max_attempts: int
    base_delay_s: float
    max_delay_s: float
    jitter: float


class Action(enum.StrEnum):
    RETRY = "retry"            # transport failure: try again at retry_at
    REAUTH = "reauth"          # token refused: the client refreshes it; retry at retry_at (alert)
    DEAD = "dead"              # retryable, but the attempts are used up
    NEEDS_FIX = "needs_fix"    # permanent local problem (data, signature): an operator must act
    REJECT = "reject"          # the gateway refused the content


@dataclass(frozen=True, kw_only=True, slots=True)
class Decision:
    action: Action
    reason: str
    retry_at: datetime | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class RetryPolicy:
    """Exponential backoff ``base * 2**(n-1)`` capped at ``max_delay``, minus up to ``jitter``."""

    max_attempts: int = 12
    base_delay: timedelta = timedelta(seconds=30)
    max_delay: timedelta = timedelta(hours=1)
    jitter: float = 0.5          # fraction of the delay that is randomised away (0 = none)

    def __post_init__(self) -> None:
        if self.max_attempts < 1 or not 0.0 <= self.jitter <= 1.0:
            raise ValueError("max_attempts must be >= 1 and jitter within [0, 1]")
        if self.base_delay <= timedelta(0) or self.max_delay < self.base_delay:
            raise ValueError("need 0 < base_delay <= max_delay")

    def delay(self, attempts: int, rng: random.Random) -> timedelta:
        """The wait after the ``attempts``-th failed attempt (1-based); never above the cap."""
        # In float seconds: timedelta arithmetic would overflow for large attempt counts.
        growth = 2.0 ** min(max(attempts, 1) - 1, 512)
        capped = min(self.max_delay.total_seconds(), self.base_delay.total_seconds() * growth)
        return timedelta(seconds=capped * (1.0 - self.jitter * rng.random()))

    def decide(self, error: BaseException, attempts: int, now: datetime,
               rng: random.Random) -> Decision:
        """What to do after attempt number ``attempts`` (1-based, this one included) failed."""
        kind = type(error).__name__
        if isinstance(error, GatewayRejected):
            return Decision(action=Action.REJECT, reason=f"{kind}: gateway code {error.code or '?'}")
        if isinstance(error, PermanentError):
            return Decision(action=Action.NEEDS_FIX, reason=f"{kind}: {error}")
        if attempts >= self.max_attempts:
            return Decision(action=Action.DEAD, reason=f"gave up after {attempts} attempts: {kind}")
        action = Action.REAUTH if isinstance(error, AuthenticationError) else Action.RETRY
        return Decision(action=action, reason=kind, retry_at=now + self.delay(attempts, rng))


def policy_from_settings(settings: OutboxSettingsLike) -> RetryPolicy:
    """The policy the ``[outbox]`` section describes."""
    return RetryPolicy(max_attempts=settings.max_attempts,
                       base_delay=timedelta(seconds=settings.base_delay_s),
                       max_delay=timedelta(seconds=settings.max_delay_s), jitter=settings.jitter)
