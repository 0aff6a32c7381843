"""The scheduled service with real APScheduler: job options, isolation of failures, overlap, lock, SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from adapter.errors import ConfigError
from adapter.outbox.config import ScheduleSettings
from adapter.scheduler import InstanceLock, build_scheduler, run_once

FAST = ScheduleSettings(checkin_interval_s=0.05, drain_interval_s=0.05, misfire_grace_s=7)


class RecordingJobs:
    """ServiceJobs double: counts calls, can fail or be slow, tracks overlapping drains."""

    def __init__(self, *, fail: str = "", drain_s: float = 0.0) -> None:
        self.calls: list[str] = []
        self.fail, self.drain_s = fail, drain_s
        self.running = 0
        self.max_running = 0
        self._lock = threading.Lock()

    def _call(self, name: str) -> str:
        with self._lock:
            self.calls.append(name)
        if name == self.fail:
            raise RuntimeError("boom")
        return name

    def poll_his(self) -> str:
        return self._call("poll_his")

    def send_checkins(self) -> str:
        return self._call("send_checkins")

    def drain(self) -> str:
        with self._lock:
            self.running += 1
            self.max_running = max(self.max_running, self.running)
        try:
            time.sleep(self.drain_s)
            return self._call("drain")
        finally:
            with self._lock:
                self.running -= 1

    def nightly_sweep(self) -> str:
        return self._call("nightly_sweep")

    def prune(self) -> str:
        return self._call("prune")

    def check_certificate(self) -> str:
        return self._call("check_certificate")


def _wait_for(predicate: object, timeout: float = 5.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.02)
    return False


def test_jobs_options_and_timezone() -> None:
    sched = build_scheduler(RecordingJobs(), FAST, poll_interval_s=0.05, blocking=False)
    jobs = {j.id: j for j in sched.get_jobs()}
    assert set(jobs) == {"poll_his", "send_checkins", "drain", "nightly_sweep", "prune", "check_certificate"}
    assert str(sched.timezone) == "Asia/Ho_Chi_Minh"
    sched.start(paused=True)
    try:
        for job in sched.get_jobs():
            assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, 7)
        assert "hour='1', minute='30'" in str(jobs["nightly_sweep"].trigger)
    finally:
        sched.shutdown(wait=False)


def test_a_failing_job_does_not_stop_the_others_and_drains_never_overlap() -> None:
    jobs = RecordingJobs(fail="poll_his", drain_s=0.2)
    sched = build_scheduler(jobs, FAST, poll_interval_s=0.05, blocking=False)
    sched.start()
    try:
        assert _wait_for(lambda: jobs.calls.count("drain") >= 3 and jobs.calls.count("poll_his") >= 3)
    finally:
        sched.shutdown(wait=True)
    assert jobs.max_running == 1


def test_run_once_is_poll_then_checkins_then_drain_even_after_a_failure() -> None:
    jobs = RecordingJobs(fail="poll_his")
    assert run_once(jobs) == ["poll_his"]
    assert jobs.calls == ["poll_his", "send_checkins", "drain"]
    assert run_once(RecordingJobs()) == []


def test_bad_schedule_time_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        build_scheduler(
            RecordingJobs(), ScheduleSettings(prune_at="25:00"), poll_interval_s=1, blocking=False
        )


def test_single_instance_lock(tmp_path: Path) -> None:
    path = tmp_path / "adapter.lock"
    with InstanceLock(path):
        with pytest.raises(ConfigError, match="another adapter service"):
            InstanceLock(path).acquire()
        assert path.read_text().strip() == str(os.getpid())
    with InstanceLock(path):
        pass


SERVICE_SCRIPT = """
import sys, pathlib, time
sys.path.insert(0, {here!r})
from test_outbox_scheduler import RecordingJobs, FAST
from adapter.scheduler import run_service

class Jobs(RecordingJobs):
    def drain(self):
        pathlib.Path({marker!r}).write_text("ran")
        time.sleep(0.5)
        pathlib.Path({marker!r} + ".done").write_text("done")
        return super().drain()

code = run_service(Jobs(), FAST, workdir=pathlib.Path({workdir!r}), poll_interval_s=0.05,
                   timezone="Asia/Ho_Chi_Minh")
# What the caller sees when run_service returns (it then closes engines and clients).
pathlib.Path({marker!r} + ".closed").write_text(str(pathlib.Path({marker!r} + ".done").exists()))
sys.exit(code)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_sigterm_stops_the_service_gracefully_and_releases_the_lock(tmp_path: Path) -> None:
    marker = tmp_path / "drained"
    script = SERVICE_SCRIPT.format(here=str(Path(__file__).parent), marker=str(marker), workdir=str(tmp_path))
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=Path(__file__).parents[3])
    try:
        assert _wait_for(marker.exists, timeout=20)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
        # The running job had finished when run_service returned to the caller.
        assert Path(f"{marker}.closed").read_text() == "True"
    finally:
        if proc.poll() is None:
            proc.kill()
    with InstanceLock(tmp_path / "adapter.lock"):
        pass
