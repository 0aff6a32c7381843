"""Doubles for the outbox tests, passed in through constructors."""

from __future__ import annotations

import threading
from collections.abc import Callable

from adapter.ports import GatewayReply, Submission


class ScriptedGateway:
    """A gateway double: answers from a per-MA_LK script of exceptions / replies; records every call."""

    def __init__(
        self,
        script: dict[str, list[Exception | GatewayReply]] | None = None,
        hook: Callable[[Submission], None] | None = None,
    ) -> None:
        self.script = script or {}
        self.calls: list[Submission] = []
        self.hook = hook
        self._lock = threading.Lock()

    def submit(self, submission: Submission) -> GatewayReply:
        with self._lock:
            self.calls.append(submission)
            steps = self.script.get(submission.ma_lk, [])
            step = steps.pop(0) if steps else None
        if self.hook is not None:
            self.hook(submission)
        if isinstance(step, Exception):
            raise step
        return step or GatewayReply(
            code="200",
            transaction_id=f"T-{submission.ma_lk}-{len(self.calls)}",
            received_at="20261122100000",
            message="Thành công",
        )
