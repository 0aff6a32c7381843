"""Circuit breaker per destination (PURE state machine; the caller passes the time).

::

    CLOSED --(threshold consecutive failures)--> OPEN
    OPEN   --(open_for elapsed, one caller probes)--> HALF_OPEN
    HALF_OPEN --success--> CLOSED        HALF_OPEN --failure--> OPEN (timer restarts)

While OPEN (or while a probe is in flight) nothing is sent: the client raises
GatewayUnavailable without a network call, so a down gateway is not hammered by retries.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime, timedelta


class BreakerStatus(enum.StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


@dataclass(frozen=True, kw_only=True, slots=True)
class BreakerPolicy:
    threshold: int = 5
    open_for: timedelta = timedelta(seconds=30)


@dataclass(frozen=True, kw_only=True, slots=True)
class Breaker:
    status: BreakerStatus = BreakerStatus.CLOSED
    failures: int = 0
    opened_at: datetime | None = None

    def reopens_at(self, policy: BreakerPolicy) -> datetime | None:
        return self.opened_at + policy.open_for if self.opened_at else None


def admit(state: Breaker, now: datetime, policy: BreakerPolicy) -> tuple[bool, Breaker]:
    """Whether a request may go now, and the state after deciding (OPEN -> HALF_OPEN probe)."""
    if state.status is BreakerStatus.CLOSED:
        return True, state
    if state.status is BreakerStatus.OPEN and state.opened_at is not None \
            and now >= state.opened_at + policy.open_for:
        return True, replace(state, status=BreakerStatus.HALF_OPEN)
    return False, state


def succeeded(state: Breaker) -> Breaker:
    return Breaker()


def failed(state: Breaker, now: datetime, policy: BreakerPolicy) -> Breaker:
    failures = state.failures + 1
    if state.status is BreakerStatus.HALF_OPEN or failures >= policy.threshold:
        return Breaker(status=BreakerStatus.OPEN, failures=failures, opened_at=now)
    return replace(state, failures=failures)
