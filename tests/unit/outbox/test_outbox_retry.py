"""The retry policy: retryability by type, capped exponential backoff with jitter, seeded RNG."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from adapter.errors import (
    AuthenticationError,
    CertificateError,
    DataError,
    GatewayRejected,
    GatewayUnavailable,
    OutcomeUnknown,
    TransportError,
)
from adapter.outbox.retry import Action, RetryPolicy

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)


def policy(**kw: object) -> RetryPolicy:
    base = {
        "max_attempts": 5,
        "base_delay": timedelta(seconds=10),
        "max_delay": timedelta(seconds=100),
        "jitter": 0.5,
    }
    base.update(kw)
    return RetryPolicy(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "error", [TransportError("reset"), GatewayUnavailable("503"), OutcomeUnknown("lost")]
)
def test_retryable_errors_retry_with_a_time(error: Exception) -> None:
    d = policy().decide(error, 1, NOW, random.Random(1))
    assert d.action is Action.RETRY
    assert d.retry_at is not None and NOW + timedelta(seconds=5) <= d.retry_at <= NOW + timedelta(seconds=10)


def test_gateway_rejection_is_final_and_names_the_code() -> None:
    d = policy().decide(GatewayRejected("bad", code="110"), 1, NOW, random.Random(1))
    assert d.action is Action.REJECT and d.retry_at is None and "110" in d.reason


@pytest.mark.parametrize("error", [DataError("x", record="LK1"), CertificateError("expired")])
def test_permanent_local_errors_need_a_fix_never_retry(error: Exception) -> None:
    for attempts in (1, 4, 99):
        d = policy().decide(error, attempts, NOW, random.Random(1))
        assert d.action is Action.NEEDS_FIX and d.retry_at is None


def test_auth_errors_reauth_then_die_like_others() -> None:
    assert policy().decide(AuthenticationError("401"), 1, NOW, random.Random(1)).action is Action.REAUTH
    assert policy().decide(AuthenticationError("401"), 5, NOW, random.Random(1)).action is Action.DEAD


def test_dead_after_max_attempts_with_the_reason() -> None:
    d = policy().decide(TransportError("timeout"), 5, NOW, random.Random(1))
    assert d.action is Action.DEAD and "5 attempts" in d.reason and "TransportError" in d.reason


def test_unknown_exception_types_are_retried_not_dropped() -> None:
    assert policy().decide(ValueError("bug"), 1, NOW, random.Random(1)).action is Action.RETRY


def test_backoff_doubles_until_the_cap_without_jitter() -> None:
    p = policy(jitter=0.0)
    delays = [p.delay(n, random.Random(0)).total_seconds() for n in range(1, 8)]
    assert delays == [10, 20, 40, 80, 100, 100, 100]


def test_jitter_is_deterministic_with_a_seed_and_within_bounds() -> None:
    p = policy(max_attempts=100)
    first = [p.delay(n, random.Random(42)) for n in range(1, 30)]
    again = [p.delay(n, random.Random(42)) for n in range(1, 30)]
    assert first == again
    rng = random.Random(7)
    samples = [p.delay(3, rng).total_seconds() for _ in range(500)]
    assert min(samples) >= 20 and max(samples) <= 40 and len(set(samples)) > 400


def test_huge_attempt_counts_do_not_overflow() -> None:
    assert policy(jitter=0.0).delay(10_000, random.Random(0)) == timedelta(seconds=100)


@pytest.mark.parametrize(
    "kw",
    [{"max_attempts": 0}, {"jitter": 1.5}, {"base_delay": timedelta(0)}, {"max_delay": timedelta(seconds=1)}],
)
def test_nonsense_policies_are_refused(kw: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=r"must|need"):
        policy(**kw)
