"""The shipped fake of ``adapter.ports.Gateway``: in memory, no network, same reply semantics.

For service and outbox tests and for dry runs. It takes every document of a known facility,
remembers what it took, and reports an identical resend as a duplicate (like the simulator).
Errors can be scripted with ``fail_next``; they are raised before anything is recorded, except
``OutcomeUnknown``, which records the acceptance first (the "reply lost" case).
"""

from __future__ import annotations

import hashlib
import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from adapter.errors import AdapterError, ConfigError, OutcomeUnknown
from adapter.ports import Clock, GatewayReply, Submission, SystemClock


@dataclass(frozen=True, kw_only=True, slots=True)
class Taken:
    """One document the fake accepted."""

    ma_cskcb: str
    kind: str
    ma_lk: str
    sha256: str
    transaction_id: str
    duplicate: bool


class InMemoryGateway:
    """A Gateway that accepts, records, and fails on demand. Thread-safe."""

    def __init__(self, *, facilities: Iterable[str] | None = None, clock: Clock | None = None) -> None:
        self._facilities = frozenset(facilities) if facilities is not None else None
        self._clock = clock or SystemClock()
        self._lock = threading.Lock()
        self._failures: deque[AdapterError] = deque()
        self._taken: list[Taken] = []

    def fail_next(self, *errors: AdapterError) -> None:
        """The next submissions raise these errors, in order."""
        with self._lock:
            self._failures.extend(errors)

    @property
    def taken(self) -> list[Taken]:
        with self._lock:
            return list(self._taken)

    def submit(self, submission: Submission) -> GatewayReply:
        if self._facilities is not None and submission.ma_cskcb not in self._facilities:
            raise ConfigError(f"no gateway account configured for facility {submission.ma_cskcb}")
        with self._lock:
            failure = self._failures.popleft() if self._failures else None
            if failure is not None and not isinstance(failure, OutcomeUnknown):
                raise failure
            taken = self._take(submission)
        if failure is not None:
            raise failure                       # accepted, but the caller never hears of it
        return GatewayReply(code="200", transaction_id=taken.transaction_id,
                            received_at=f"{self._clock.now():%Y%m%d%H%M%S}",
                            message="accepted (in-memory gateway)", duplicate=taken.duplicate)

    def _take(self, submission: Submission) -> Taken:
        digest = hashlib.sha256(submission.payload).hexdigest()
        key = (submission.ma_cskcb, submission.kind.value, submission.ma_lk)
        earlier = [t for t in self._taken if (t.ma_cskcb, t.kind, t.ma_lk) == key]
        taken = Taken(ma_cskcb=key[0], kind=key[1], ma_lk=key[2], sha256=digest,
                      transaction_id=f"FAKE{len(self._taken) + 1:08d}",
                      duplicate=bool(earlier) and earlier[-1].sha256 == digest)
        self._taken.append(taken)
        return taken
