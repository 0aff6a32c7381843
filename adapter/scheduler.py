"""The scheduled service: APScheduler 3.11 jobs that only call ``ServiceJobs`` methods.

The retry queue lives in our own tables (the outbox), never in the scheduler's job
store: jobs are in memory, and each run asks the services what is due. Every job
has ``coalesce=True`` (a backlog of missed runs runs once), ``max_instances=1`` (a
slow drain is never started twice) and a misfire grace time. SIGTERM and SIGINT stop
the scheduler gracefully: the running job finishes, nothing new starts. One service
per working directory, enforced by a lock file (see :class:`InstanceLock`).
"""

from __future__ import annotations

import logging
import os
import signal
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import FrameType, TracebackType
from typing import IO, Any, Protocol

from adapter.errors import AdapterError, ConfigError
from adapter.outbox.config import ScheduleSettings

log = logging.getLogger(__name__)


class ServiceJobs(Protocol):
    """What the scheduler can ask the services to do. Implemented in ``adapter.services``."""

    def poll_his(self) -> object: ...
    def send_checkins(self) -> object: ...
    def drain(self) -> object: ...
    def nightly_sweep(self) -> object: ...
    def prune(self) -> object: ...
    def check_certificate(self) -> object: ...


ONCE_ORDER = ("poll_his", "send_checkins", "drain")


def _guarded(jobs: ServiceJobs, name: str) -> Callable[[], bool]:
    """Run one job; log a failure by type (never its data) and let the next run try again."""
    method = getattr(jobs, name)

    def run() -> bool:
        try:
            result = method()
        except AdapterError as exc:  # expected failure: its message carries ids only, no traceback
            log.error("job %s failed: %s: %s", name, type(exc).__name__, exc)
            return False
        except Exception as exc:  # a bug: the service must still outlive one failed run
            log.error("job %s failed: %s", name, type(exc).__name__, exc_info=exc)
            return False
        log.info("job %s done: %.300r", name, result)   # reports carry ids and counts only
        return True

    run.__name__ = f"job_{name}"
    return run


def _at(text: str) -> tuple[int, int]:
    try:
        hour, minute = (int(p) for p in text.split(":"))
    except ValueError as exc:
        raise ConfigError(f"schedule time must be HH:MM, got {text!r}") from exc
    if not (0 <= hour < 24 and 0 <= minute < 60):
        raise ConfigError(f"schedule time out of range: {text!r}")
    return hour, minute


def add_jobs(scheduler: Any, jobs: ServiceJobs, schedule: ScheduleSettings, *,
             poll_interval_s: float) -> None:
    """Register the six jobs on an APScheduler 3 scheduler."""
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    tz = scheduler.timezone
    every = {"poll_his": poll_interval_s, "send_checkins": schedule.checkin_interval_s,
             "drain": schedule.drain_interval_s}
    for name, seconds in every.items():
        scheduler.add_job(_guarded(jobs, name), IntervalTrigger(seconds=seconds, timezone=tz), id=name,
                          name=name, next_run_time=datetime.now(tz))
    daily = {"nightly_sweep": schedule.nightly_sweep_at, "prune": schedule.prune_at,
             "check_certificate": schedule.certificate_check_at}
    for name, text in daily.items():
        hour, minute = _at(text)
        scheduler.add_job(_guarded(jobs, name), CronTrigger(hour=hour, minute=minute, timezone=tz), id=name,
                          name=name)


def build_scheduler(jobs: ServiceJobs, schedule: ScheduleSettings, *, poll_interval_s: float,
                    timezone: str = "Asia/Ho_Chi_Minh", blocking: bool = True) -> Any:
    """A Blocking (service) or Background (tests, embedding) scheduler with the jobs added."""
    from zoneinfo import ZoneInfo

    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.schedulers.blocking import BlockingScheduler

    defaults = {"coalesce": True, "max_instances": 1, "misfire_grace_time": schedule.misfire_grace_s}
    cls = BlockingScheduler if blocking else BackgroundScheduler
    scheduler = cls(job_defaults=defaults, timezone=ZoneInfo(timezone))
    add_jobs(scheduler, jobs, schedule, poll_interval_s=poll_interval_s)
    return scheduler


def run_once(jobs: ServiceJobs) -> list[str]:
    """One pass of the frequent jobs, in pipeline order (``bhyt-adapter run --once``); the failed ones."""
    return [name for name in ONCE_ORDER if not _guarded(jobs, name)()]


def install_signal_handlers(stop: Callable[[], None]) -> None:
    """SIGTERM/SIGINT (and SIGBREAK on Windows) ask the scheduler to stop after the current job."""
    def handler(signum: int, _frame: FrameType | None) -> None:
        log.warning("signal %s received: stopping after the running job", signum)
        stop()

    for name in ("SIGTERM", "SIGINT", "SIGBREAK"):
        sig = getattr(signal, name, None)
        if sig is not None:
            signal.signal(sig, handler)


def serve(scheduler: Any) -> None:
    """Run a BlockingScheduler until a signal stops it."""
    def stop() -> None:
        # wait=True: the running job finishes before start() returns, so the caller never
        # closes engines or clients under a job still using them.
        scheduler.shutdown(wait=True)

    install_signal_handlers(stop)
    log.info("service started: jobs %s", ", ".join(j.id for j in scheduler.get_jobs()))
    scheduler.start()
    log.info("service stopped")


# ---- single-instance lock: the one OS-specific adapter of this module ---------------------------
class InstanceLock:
    """An exclusive, non-blocking lock on a file, released by the OS if the process dies.

    PORTABILITY ADAPTER: ``msvcrt.locking`` on Windows, ``fcntl.flock`` elsewhere. The
    file records the holder's pid, for operators only; the lock itself is the truth.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh: IO[str] | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = self.path.open("a+", encoding="ascii")
        try:
            _lock(fh)
        except OSError as exc:
            fh.close()
            raise ConfigError(f"another adapter service holds {self.path}") from exc
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()}\n")
        fh.flush()
        self._fh = fh

    def release(self) -> None:
        if self._fh is not None:
            _unlock(self._fh)
            self._fh.close()
            self._fh = None

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(fh: IO[str]) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(fh: IO[str]) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _lock(fh: IO[str]) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fh: IO[str]) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def run_service(jobs: ServiceJobs, schedule: ScheduleSettings, *, workdir: Path, poll_interval_s: float,
                timezone: str, once: bool = False) -> int:
    """The service's main loop under the single-instance lock. Returns an exit code."""
    with InstanceLock(schedule.lock_file or workdir / "adapter.lock"):
        if once:
            return 1 if run_once(jobs) else 0
        serve(build_scheduler(jobs, schedule, poll_interval_s=poll_interval_s, timezone=timezone))
    return 0
